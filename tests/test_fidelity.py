"""One scenario per scheduler rule of reference/go-scheduler.md, with the outcome Go decides."""
import pytest

import gmplab
from gmplab.ops import (go, gosched, loop, lock_os_thread, netread, recv, send, sleep,
                        syscall, syscall_block, unlock_os_thread, wait, work)
from gmplab.runtime import layout as L
from gmplab.state import table

from helpers import fns, run_checked, subseq


def test_initial_state_m0_main_p0_sysmon_m1():
    rt = gmplab.Runtime(gomaxprocs=4)
    assert rt.g(1).status == "_Grunning" and rt.g(1).m == 0
    assert rt.m(0).p == 0 and rt.m(0).curg == 1
    assert rt.m(1).state == "sysmon" and rt.m(1).p is None
    assert rt.mcount() == 2 and rt.sched.nmsys == 1
    assert rt.sched.npidle == 3 and rt.p(1).status == "_Pidle"


def test_goid_batches_of_16_per_p():
    rt = gmplab.Runtime(gomaxprocs=2, seed=3)
    a = rt.go(work("1ms"), go(work(1)))       # runs on P0: its child gets a P0 goid
    b = rt.go(work("1ms"), go(work(1)))
    assert (a, b) == (2, 3)
    assert rt.p(0).goidcache == 4 and rt.p(0).goidcacheend == 17
    rt.run()
    made = sorted(e.g for e in rt.events.where(fn="newproc"))
    # the child created on P1 takes the next batch: 17
    assert 17 in made and set(made) <= set(range(1, 33))


def test_newproc_goes_to_runnext_and_kicks_old_runnext_to_tail():
    rt = gmplab.Runtime(gomaxprocs=1)
    g2 = rt.go(work(1))
    assert rt.p(0).runnext == g2 and rt.p(0).runq == []
    g3 = rt.go(work(1))
    assert rt.p(0).runnext == g3 and rt.p(0).runq == [g2]
    ev = rt.events[-4:]
    assert [e.fn for e in ev] == ["newproc", "runqput", "runqput", "wakep"]
    assert ev[2].g == g2 and ev[2].why == L.W_KICK


def test_full_ring_spills_128_plus_1_to_global():
    rt = gmplab.Runtime(gomaxprocs=1)
    ids = [rt.go(work(1)) for _ in range(258)]
    # runnext holds the last; the ring filled with 256, then one more spilled 128+1
    assert rt.p(0).runnext == ids[-1]
    assert rt.sched.runqsize == 129
    assert rt.sched.runq == ids[:128] + [ids[-2]]
    assert len(rt.p(0).runq) == 128
    assert len(rt.events.where(fn="runqputslow")) == 1


def test_runqget_runnext_inherits_time_slice():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(work("10us"))
    rt.go(work("10us"))
    rt.run()
    ex = rt.events.where(fn="execute")
    # G3 (runnext) inherits main's slice: schedtick unchanged; G2 from the ring: +1
    g3 = [e for e in ex if e.g == 3][0]
    g2 = [e for e in ex if e.g == 2][0]
    assert g3.why == L.W_INHERIT
    assert g2.why == L.W_NONE and g2.a == g3.a + 1


def test_fairness_every_61st_schedtick_takes_one_global_g():
    # GOMAXPROCS=1: 300 Gs overflow to the global queue; each G runs 1µs
    rt = gmplab.Runtime(gomaxprocs=1)
    for _ in range(300):
        rt.go(work("1us"))
    rt.run()
    fair = [e for e in rt.events.where(fn="globrunqget") if e.why == L.W_FAIR]
    assert fair, "the 1-in-61 check fired"
    assert all(e.a == 1 for e in fair), "exactly one G is taken for fairness"
    ticks = {e.t: e for e in rt.events.where(fn="execute")}
    for e in fair:
        assert ticks[e.t].a % 61 == 1, "right after a schedtick that is a multiple of 61"


def test_spinning_ms_at_most_half_the_busy_ps():
    rt = gmplab.Runtime(gomaxprocs=8, seed=2)
    for _ in range(3):
        rt.go(loop(20, work("30us"), gosched()))
    while not rt.finished:
        rt.step()
        busy = rt.gomaxprocs() - rt.sched.npidle
        assert rt.sched.nmspinning <= max(1, busy // 2 + 1), rt.schedtrace()


def test_steal_takes_half_rounded_up():
    rt = gmplab.Runtime(gomaxprocs=2, seed=1)
    for _ in range(9):
        rt.go(work("100us"))
    rt.run()
    st = rt.events.where(fn="runqsteal")
    assert st, "P1's spinning M stole from P0"
    first = st[0]
    # P0 ring held G2..G9 (8), runnext G10: the thief takes 8 - 8/2 = 4, runs the last
    assert first.b == 4 and first.a == 0 and first.p == 1


def test_entersyscall_leaves_p_in_Psyscall_then_fast_path_back():
    rt = gmplab.Runtime(gomaxprocs=2)
    g = rt.go(work("50us"), syscall("5us"), work("50us"))
    while not rt.events.where(fn="entersyscall"):
        rt.step()
    m = rt.g(g).m
    assert rt.g(g).status == "_Gsyscall"
    assert rt.m(m).p is None and rt.m(m).oldp == 0
    assert rt.p(0).status == "_Psyscall" and rt.p(0).m is None
    rt.run()
    ex = rt.events.where(fn="exitsyscall")
    assert ex[0].why == L.W_FAST_OLDP and ex[0].p == 0


def test_first_syscall_on_a_p_is_retaken_at_sysmons_first_look():
    # syscalltick 0 equals sysmon's record and syscallwhen was never recorded (ancient):
    # the P is retaken at the first look even though an idle P could cover (reference §3)
    rt = gmplab.Runtime(gomaxprocs=2)
    rt.go(syscall("8ms"))
    rt.run()
    rk = rt.events.where(fn="retake")
    assert rk and rk[0].t <= 40_000 and rk[0].a == -1
    assert subseq(fns(rt.events), ["entersyscall", "retake", "handoffp", "exitsyscall"])


def test_retake_waits_a_sysmon_tick_and_spares_ps_others_can_cover():
    # second syscall on the P: sysmon records the new syscalltick first. With an idle P to
    # cover and nothing queued, the P is not retaken within 10ms.
    rt = gmplab.Runtime(gomaxprocs=2)
    rt.go(syscall("100us"), work("200us"), syscall("5ms"))
    rt.run()
    rk = rt.events.where(fn="retake")
    ent = rt.events.where(fn="entersyscall")
    assert len(ent) == 2
    assert all(e.t < ent[1].t for e in rk), "the 5ms syscall keeps its P (idle P can cover)"
    assert rt.events.where(fn="exitsyscall")[-1].why == L.W_FAST_OLDP


def test_retake_when_work_is_queued_behind_the_syscall():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(syscall("100us"), work("50us"), syscall("2ms"))
    rt.go(work("1ms"))          # queued on the same P
    rt.run()
    ent = rt.events.where(fn="entersyscall")[1]
    rk = [e for e in rt.events.where(fn="retake") if e.t > ent.t]
    assert rk, "a P with queued work is retaken"
    assert 20_000 <= rk[0].t - ent.t <= 100_000, "after at least one sysmon tick"
    assert subseq([e.fn for e in rt.events if e.t >= rk[0].t], ["retake", "handoffp", "startm"])


def test_exitsyscall_slow_path_goes_global_and_m_stops():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(work("10ms"))
    rt.go(syscall("3ms"))      # runs first (runnext); its P is retaken for the other G
    rt.run()
    slow = rt.events.where(fn="exitsyscall0")
    assert slow and slow[0].why == L.W_SLOW_GLOBAL
    after = [e.fn for e in rt.events if e.t >= slow[0].t]
    assert "stopm" in after[:4]


def test_entersyscallblock_hands_off_at_once():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(syscall_block("1ms"))
    rt.go(work("10us"))
    rt.run()
    fs = fns(rt.events)
    i = fs.index("entersyscallblock")
    assert fs[i + 1] == "handoffp" and rt.events[i + 1].t == rt.events[i].t


def test_sysmon_backoff_from_20us_to_10ms():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(work("300ms"))
    rt.run_for("500us")
    sm = table(rt._S, "m")[1]
    assert sm[L.M_sysmondelay] == 20_000, "busy first 50 rounds: 20µs"
    rt.run_for("100ms")
    assert sm[L.M_sysmondelay] == 10_000_000, "idle rounds double the sleep up to 10ms"


def test_preemption_after_10ms_goes_to_global_queue():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(work("50ms"))
    rt.go(work("1ms"))
    rt.run()
    pre = rt.events.where(fn="preemptone")
    stop = rt.events.where(fn="gopreempt_m")
    assert pre and stop and stop[0].why == L.W_GLOBAL
    # G2 started with a fresh slice and is preempted 10ms (+ up to one sysmon tick) later
    start = [e for e in rt.events.where(fn="execute") if e.g == 2][0]
    victim = [e for e in pre if e.g == 2][0]
    assert 10_000_000 <= victim.t - start.t <= 10_000_000 + 10_100_000


def test_gosched_goes_to_global_queue():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(work("5us"), gosched(), work("5us"))
    rt.run()
    e = rt.events.where(fn="goschedImpl")[0]
    assert e.why == L.W_GLOBAL
    after = [x for x in rt.events if x.t >= e.t and x.fn == "globrunqget"]
    assert after


def test_gopark_goready_puts_receiver_in_runnext():
    rt = gmplab.Runtime(gomaxprocs=1)
    c = rt.chan()
    s = rt.go(work("10us"), send(c), work("10us"))
    r = rt.go(recv(c), work("1us"))     # runs first (runnext) and parks
    rt.run()
    park = rt.events.where(fn="gopark", g=r)[0]
    assert park.why == L.WR_CHANRECV
    ready = rt.events.where(fn="goready", g=r)[0]
    put = [e for e in rt.events.where(fn="runqput", g=r) if e.t == ready.t]
    assert put[0].why == L.W_RUNNEXT
    # the woken receiver runs on the sender's P right after the sender's next stop,
    # inheriting its time slice
    ex = [e for e in rt.events.where(fn="execute", g=r) if e.t > ready.t][0]
    assert ex.why == L.W_INHERIT


def test_sleep_parks_without_blocking_the_m():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(sleep("1ms"), work("1us"))
    rt.go(work("500us"))
    rt.run()
    assert rt.mcount() <= 3, "no extra thread for a sleeping G"
    t = rt.events.where(fn="checkTimers")[0]
    assert t.t >= 1_000_000


def test_netread_parks_in_the_netpoller_without_blocking_an_m():
    rt = gmplab.Runtime(gomaxprocs=1)
    g = rt.go(netread("2ms"), work("1us"))
    rt.go(work("1ms"))
    rt.run_for("1500us")
    assert rt.g(g).status == "_Gwaiting" and rt.g(g).waitreason == "IO wait"
    assert all(m.state != "syscall" for m in rt.allm)
    rt.run()
    assert rt.events.where(fn="netpoll")


def test_lockosthread_nesting():
    rt = gmplab.Runtime(gomaxprocs=2)
    g = rt.go(lock_os_thread(), lock_os_thread(), unlock_os_thread(), work("1ms"),
              unlock_os_thread(), work("1ms"))
    while not rt.events.where(fn="UnlockOSThread"):
        rt.step()
    m = rt.g(g).m
    assert rt.m(m).lockedg == g and rt.m(m).lockedExt == 1, "Lock, Lock, Unlock: still locked"
    rt.run()
    last = rt.events.where(fn="UnlockOSThread")[-1]
    assert last.a == 0


def test_locked_g_exit_takes_its_thread():
    rt = gmplab.Runtime(gomaxprocs=2)
    rt.go(lock_os_thread(), work("10us"))
    rt.run()
    assert rt.events.where(fn="mexit")
    assert rt.sched.nmfreed == 1


def test_locked_g_sleeping_hands_its_p_and_comes_back_on_its_m():
    rt = gmplab.Runtime(gomaxprocs=1)
    g = rt.go(lock_os_thread(), work("10us"), sleep("1ms"), work("10us"), unlock_os_thread())
    rt.go(work("3ms"))
    rt.run()
    fs = fns(rt.events)
    assert "stoplockedm" in fs and "startlockedm" in fs
    ms = {e.m for e in rt.events.where(fn="execute", g=g)}
    assert len(ms) == 1, "a locked G always runs on its own M"


def test_procresize_moves_queues_to_global_head():
    rt = gmplab.Runtime(gomaxprocs=4, seed=1)
    ids = [rt.go(work("5ms")) for _ in range(12)]
    rt.run_for("200us")
    queued = {i: (rt.p(i).runnext, rt.p(i).runq) for i in range(4)}
    old_global = rt.sched.runq
    assert rt.gomaxprocs(2) == 4
    assert rt.gomaxprocs() == 2
    assert all(table(rt._S, "p")[i, L.P_status] == L.Pdead for i in (2, 3))
    # P2 is destroyed first, then P3: each pushes (runnext, ring...) onto the head,
    # so P3's Gs end up in front of P2's
    head = []
    for i in (3, 2):
        nx, ring = queued[i]
        head += ([nx] if nx is not None else []) + ring
    assert rt.sched.runq[:len(head)] == head
    assert set(old_global) <= set(rt.sched.runq)
    run_checked(rt)
    assert len(rt.events.where(fn="goexit0")) == len(ids) + 1


def test_checkdead_all_goroutines_asleep():
    rt = gmplab.Runtime(gomaxprocs=2)
    c = rt.chan()
    rt.go(recv(c))
    with pytest.raises(gmplab.Deadlock, match="all goroutines are asleep - deadlock!"):
        rt.run()
    with pytest.raises(ValueError, match="finished"):
        rt.run()


def test_thread_limit():
    rt = gmplab.Runtime(gomaxprocs=2, maxmcount=10)
    for _ in range(12):
        rt.go(syscall_block("5ms"))
    with pytest.raises(gmplab.ThreadExhaustion, match="program exceeds 10-thread limit"):
        rt.run()


def test_wakep_starts_one_spinning_m_only():
    rt = gmplab.Runtime(gomaxprocs=4)
    rt.go(work(1))
    rt.go(work(1))
    rt.go(work(1))
    st = rt.events.where(fn="startm")
    assert len(st) == 1 and st[0].b == 1, "nmspinning != 0 stops further wakeps"


def test_handoffp_idle_p_goes_idle_when_nothing_to_do():
    rt = gmplab.Runtime(gomaxprocs=2)
    rt.go(work(5), syscall_block("1ms"))
    rt.run()
    h = rt.events.where(fn="handoffp")
    assert h and h[0].why in (L.W_IDLE, L.W_SPIN, L.W_LASTP)


def test_schedtrace_with_scheddetail_records_every_p_m_g():
    from gmplab.schedtrace import parse
    rt = gmplab.Runtime(gomaxprocs=2, schedtrace="1ms", scheddetail=True)
    rt.go(work("2500us"))
    rt.run()
    rows = parse("\n".join(rt.trace))
    # sysmon's first look (20µs), then ~1ms and ~2ms: Go prints SCHED 0ms, 1ms, 2ms
    assert len(rows) == 3 and all(r["detailed"] for r in rows)
    assert [p["id"] for p in rows[0]["P"]] == [0, 1]
    assert {m["id"] for m in rows[0]["M"]} == set(range(rt.mcount()))


def test_schedtrace_first_line_is_SCHED_0ms_at_sysmons_first_look():
    """Go's sysmon starts with lasttrace = 0 and prints when lasttrace + interval <= now, with
    now = nanotime(): its first look (after usleep(20)) prints. schedtrace() sets starttime =
    now on its first call and prints (now-starttime)/1e6: the first line reads SCHED 0ms and
    the later ones count from it (issue #15: gmplab's first line came one interval in)."""
    from gmplab.problems.probe import sysmon_rounds
    from gmplab.schedtrace import parse
    rt = gmplab.Runtime(gomaxprocs=2, seed=0, schedtrace="20ms")
    rt.go(work("70ms"))
    looks, printed = [], []            # sysmon's rounds; the round that printed each line
    for t, _, _, _ in sysmon_rounds(rt, 1 << 40):
        looks.append(t)
        printed += [t] * (len(rt.trace) - len(printed))
    assert printed[0] == looks[0] == 20_000, "the first line at sysmon's first look"
    assert rt.starttime == printed[0]
    rows = parse(rt.trace)
    assert rows[0]["t_ms"] == 0 and rt.trace[0].startswith("SCHED 0ms: ")
    assert len(rows) == 4 and all(b - a >= 20_000_000 for a, b in zip(printed, printed[1:]))
    assert [r["t_ms"] for r in rows] == [(t - printed[0]) // 1_000_000 for t in printed]
    # an on-demand line counts from the same start: at 70.0005ms, 69ms after the first line
    assert rt.now // 1_000_000 == 70
    assert rt.schedtrace().startswith(f"SCHED {(rt.now - printed[0]) // 1_000_000}ms: ")
    assert rt.schedtrace().startswith("SCHED 69ms: ")
    # every interval: the 1ms trace starts at 20µs too
    rt1 = gmplab.Runtime(gomaxprocs=2, seed=0, schedtrace="1ms")
    rt1.go(work("3ms"))
    rt1.run(until="100us")
    assert len(rt1.trace) == 1 and rt1.trace[0].startswith("SCHED 0ms: ")
    assert rt1.starttime == 20_000


# --- The fidelity review (issue 8): each decision as proc.go (go1.25.3) takes it --------------

from gmplab.problems.probe import idle_ps as _pidle  # noqa: E402  (the Ps on sched.pidle)


def _steps_until(rt, pred, limit=100_000):
    for _ in range(limit):
        if pred():
            return
        rt.step()
    raise AssertionError("never reached")


def test_thieves_rob_a_p_that_is_idle_but_not_on_the_idle_list():
    # GOMAXPROCS=2, main starts three 1ms goroutines and enters a 5ms syscall. sysmon retakes
    # P0 (first syscall) and hands it to a starting M3: P0 is _Pidle but on no idle list, so the
    # spinning M2 robs it (stealWork tests idlepMask, not the status) and two Gs run at once.
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    rt.main(go(work("1ms")), go(work("1ms")), go(work("1ms")), syscall("5ms"))
    _steps_until(rt, lambda: rt.events.where(fn="runqsteal") or rt.events.where(fn="stopm"))
    retake = rt.events.where(fn="retake")[0]
    hand = rt.events.where(fn="handoffp")[0]
    assert hand.p == 0 and hand.why == L.W_LOCALWORK and hand.t == retake.t
    assert rt.p(0).status == "_Pidle" and 0 not in _pidle(rt)
    steal = rt.events.where(fn="runqsteal")
    assert steal, "M2 robs P0 instead of giving up"
    assert (steal[0].m, steal[0].p, steal[0].a, steal[0].b) == (2, 1, 0, 1)
    assert steal[0].t < 50_000 and not rt.events.where(fn="stopm")
    rt.run()
    ran = {e.g: e.p for e in rt.events.where(fn="execute") if e.g != 1}
    assert set(ran.values()) == {0, 1}, "the three Gs use both Ps"
    assert rt.events.where(fn="goexit0")[-2].t < 2_200_000


def test_checkRunqsNoP_skips_only_ps_on_the_idle_list():
    # P2 taken off the idle list (as startm does for a starting M) holds work: it is _Pidle
    # but not on the list, so a spinning M giving up its P sees the work and takes idle P3
    from gmplab.runtime import queues as q
    from gmplab.runtime import proc
    rt = gmplab.Runtime(gomaxprocs=4)
    S, Lg = rt._S, rt._L
    g = rt.go(work("1us"))            # into main's runnext; wakep takes P1 for a spinning M
    assert _pidle(rt) == [2, 3]
    assert q.pidleget(S) == 2
    slot = int(S[int(S[L.H_poff]) + L.P_runnext])
    S[int(S[L.H_poff]) + L.P_runnext] = L.NIL
    q.runqput(S, Lg, 2, slot, False, True)
    assert rt.p(2).status == "_Pidle" and rt.p(2).runq == [g]
    assert proc.checkRunqsNoP(S, Lg) == 3, "P2 has work: idle P3 is taken to go and steal it"


def test_runnext_steal_sleeps_and_loses_to_the_owner():
    # main readies G2 (into runnext) while the spinning M2 is parked; M2 wakes, finds G2 in the
    # running P0's runnext and sleeps usleep(3) (55µs) before the CAS; 10µs later main parks
    # and P0 runs G2 itself; M2's CAS fails and it gives G2 up (go1.25.3 runqgrab).
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    c = rt.chan()
    rt.main(go(recv(c), work("20us")), work("100us"), send(c), work("10us"), sleep("1ms"))
    rt.run()
    ready = [e for e in rt.events.where(fn="goready") if e.g == 2][0]
    steals = [e for e in rt.events.where(fn="runqsteal") if e.t >= ready.t]
    assert [e.why for e in steals] == [L.W_USLEEP, L.W_RUNNEXTLOST]
    sleep_, lost = steals
    assert (sleep_.m, sleep_.g, sleep_.a) == (2, 2, 0)
    assert lost.t - sleep_.t >= 55_000 and lost.m == 2 and lost.g == 2
    run = [e for e in rt.events.where(fn="execute", g=2) if e.t >= ready.t][0]
    assert run.p == 0 and run.m == 0 and run.why == L.W_INHERIT
    assert sleep_.t < run.t < lost.t, "the owner runs G2 during the thief's sleep"


def test_runnext_steal_after_the_sleep_when_the_owner_is_busy():
    # at start-up M2 finds G2 in runnext while main still works 100µs: the sleep does not help,
    # the CAS after it succeeds and G2 runs on P1
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    c = rt.chan()
    rt.main(go(recv(c), work("20us")), work("100us"), send(c), work("10us"), sleep("1ms"))
    rt.run()
    first = rt.events.where(fn="runqsteal")[:2]
    assert [e.why for e in first] == [L.W_USLEEP, L.W_RUNNEXTSTEAL]
    assert first[1].t >= first[0].t + 55_000
    assert rt.events.where(fn="execute", g=2)[0].p == 1


def test_handoffp_last_p_starts_an_m_without_network_or_timers():
    # no timer, no network read: lastpoll was set by schedinit, so handoffp's last-P branch
    # (npidle == gomaxprocs-1 && lastpoll != 0) starts an M, one more thread than parking P0
    # (at 200µs the start-up's spinning M2 has parked and P1 is idle)
    rt = gmplab.Runtime(gomaxprocs=2)
    rt.go(work("200us"), syscall("8ms"))
    rt.run()
    h = rt.events.where(fn="handoffp")[0]
    assert h.why == L.W_LASTP and h.p == 0
    nxt = [e for e in rt.events if e.t == h.t and e.fn == "startm"]
    assert nxt and nxt[0].p == 0 and nxt[0].a == 2, "M2 is woken for P0"


def test_network_read_is_not_a_timer_sysmon_sleeps_on():
    # G2 waits 5ms for data, G3 6ms. The poller blocks in netpoll(-1); sysmon, with no timer
    # pending, sleeps in sysmonwait (60s) and is not woken by the reads: G2 runs its 30ms
    # without being preempted and G3, ready at 6ms, waits until G2 is done.
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    g2 = rt.go(netread("5ms"), work("30ms"))
    g3 = rt.go(netread("6ms"), work("1ms"))
    rt.run()
    block = rt.events.where(fn="netpoll")[0]
    assert block.why == L.W_BLOCK and block.a == -1 and "netpoll(-1)" in block.text
    sm = rt.events.where(m=1)
    assert [e.why for e in sm if e.fn == "sysmon"] == [L.W_SYSMONWAIT]
    assert sm[0].a == L.FORCEGCPERIOD_HALF and len(sm) == 1, "sysmon never wakes"
    assert not rt.events.where(fn=("preemptone", "gopreempt_m"))
    end2 = rt.events.where(fn="goexit0", g=g2)[0].t
    start3 = [e for e in rt.events.where(fn="execute", g=g3)][-1].t
    assert end2 >= 35_000_000 and start3 >= end2


def test_timeSleepUntil_and_pollUntil_do_not_see_a_pending_network_read():
    from gmplab.runtime import proc, sysmon
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(netread("3ms"))
    rt.run_for("100us")
    assert rt.g(2).waitreason == "IO wait"
    assert sysmon.timeSleepUntil(rt._S, rt._L) == L.NIL
    assert proc.pollUntilNoP(rt._S, rt._L) == L.NIL
    rt.run()


def test_preemptone_from_a_stale_sysmontick_says_so():
    # G2 works 100µs (sysmon notes P0's schedtick), sleeps 20ms (P0 idle, schedtick unchanged),
    # and is readied into runnext: it inherits the slice, so sysmon's first look preempts it
    # at once. The explanation must not claim that G2 ran 20ms.
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    g = rt.go(work("100us"), sleep("20ms"), work("5ms"))
    rt.run()
    pre = rt.events.where(fn="preemptone")[0]
    start = [e for e in rt.events.where(fn="execute", g=g) if e.t <= pre.t][-1]
    assert start.why == L.W_INHERIT
    assert pre.why == L.W_STALE and pre.a >= 20_000_000 and 0 <= max(pre.b, 0) < 10_000
    assert "has run only" in pre.text and "inherited" in pre.text
    assert "has run ≥" not in pre.text


def test_preemptone_of_a_long_slice_states_its_length():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(work("50ms"))
    rt.go(work("1ms"))
    rt.run()
    pre = rt.events.where(fn="preemptone")[0]
    assert pre.why == L.W_NONE and pre.a >= 10_000_000 and "has run ≥" in pre.text


def test_handoffp_work_counts_runnext():
    # G2 starts G3 (into runnext) and enters a syscall: the only work is in runnext
    rt = gmplab.Runtime(gomaxprocs=1)
    g = rt.go(go(work("1ms")), syscall("5ms"))
    rt.run()
    rk = rt.events.where(fn="retake")[0]
    h = rt.events.where(fn="handoffp")[0]
    assert h.why == L.W_LOCALWORK and (h.g, h.a, h.b) == (g + 1, 0, 0)
    assert "runnext G3" in h.text and rk.b == 1 and "1 G(s) wait" in rk.text


def test_retake_explains_the_branch_that_fired():
    rt = gmplab.Runtime(gomaxprocs=2)
    rt.go(syscall("8ms"))
    rt.run()
    rk = rt.events.where(fn="retake")[0]
    assert rk.a == -1 and "never noted a syscall" in rk.text
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(syscall("100us"), work("50us"), syscall("2ms"))
    rt.go(work("1ms"))
    rt.run()
    rk = rt.events.where(fn="retake")[-1]
    assert (rk.b, rk.a) == (0, 20_000) and "no spinning M and no idle P could cover" in rk.text


def test_injectglist_with_a_p_uses_runqputbatch():
    # 300 network reads become ready while main computes: netpoll(0) returns them all; one runs,
    # 256 fill P0's ring (runqputbatch) and only the 43 that do not fit go to the global queue
    # (not runqput one by one, which spills 128+1)
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    rt.main(loop(300, go(netread("1ms"))), sleep("200us"), work("5ms"))
    _steps_until(rt, lambda: rt.events.where(fn="injectglist"))
    inj = rt.events.where(fn="injectglist")
    assert [(e.why, e.a, e.b) for e in inj] == [(L.W_LOCAL, 299, 0), (L.W_OVERFLOW, 43, 43)]
    assert len(rt.p(0).runq) == 256 and rt.sched.runqsize == 43
    assert not [e for e in rt.events.where(fn="runqputslow") if e.t >= inj[0].t]
    run_checked(rt)


def test_schedule_clears_p_preempt():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(work("30ms"))
    rt.go(work("1ms"))
    _steps_until(rt, lambda: rt.events.where(fn="preemptone"))
    assert rt.p(0).preempt
    _steps_until(rt, lambda: rt.events.where(fn="gopreempt_m"))
    assert not rt.p(0).preempt, "schedule(): pp.preempt = false"


def test_stop_the_world_bumps_syscalltick_of_ps_in_syscalls():
    rt = gmplab.Runtime(gomaxprocs=2)
    rt.go(syscall("5ms"))
    _steps_until(rt, lambda: rt.events.where(fn="entersyscall"))
    assert rt.p(0).status == "_Psyscall" and rt.p(0).syscalltick == 0
    rt.gomaxprocs(3)
    assert rt.p(0).syscalltick == 1
    run_checked(rt)


def test_exitsyscall_slow_path_bumps_syscalltick_when_the_g_runs_again():
    # G3's P is retaken (syscalltick 1); G3 comes back to no P (exitsyscall0, global queue)
    # and runs again on P0 after G2's preemption: exitsyscall's last syscalltick++ then
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(work("10ms"))
    g = rt.go(syscall("3ms"))
    _steps_until(rt, lambda: rt.events.where(fn="exitsyscall0"))
    assert rt.p(0).syscalltick == 1
    _steps_until(rt, lambda: [e for e in rt.events.where(fn="execute", g=g)][1:])
    rt.step()
    assert rt.p(0).syscalltick == 2
    run_checked(rt)


def test_exitsyscall0_takes_a_p_freed_since_exitsyscallfast():
    # the branch only a race reaches (another M frees a P between exitsyscallfast_pidle and
    # exitsyscall0): called directly with an idle P, exitsyscall0 runs the G on it, and
    # exitsyscall's last syscalltick++ comes when the G runs
    from gmplab.runtime import base, proc
    rt = gmplab.Runtime(gomaxprocs=2)
    g = rt.go(syscall("5ms"), work("10us"))
    _steps_until(rt, lambda: len(_pidle(rt)) == 2)
    m, slot = rt.g(g).m, rt._slot(g)
    assert rt.m(m).state == "syscall" and rt.g(g).status == "_Gsyscall"
    S, Lg = rt._S, rt._L
    free = _pidle(rt)[0]
    base.enter(S, Lg, m)
    proc.exitsyscall0(S, Lg, m, slot, rt.m(m).oldp if rt.m(m).oldp is not None else -1)
    e = rt.events[-2:]
    assert e[0].fn == "exitsyscall0" and e[0].why == L.W_SLOW_IDLEP and e[0].p == free
    assert e[1].fn == "execute" and e[1].g == g and e[1].why == L.W_NONE
    assert rt.m(m).p == free and rt.g(g).status == "_Grunning"
    tick = rt.p(free).syscalltick
    gt = table(S, "g")
    _steps_until(rt, lambda: gt[slot, L.G_syscallsp] != L.INSYSCALL)
    assert rt.p(free).syscalltick == tick + 1


# --- LockOSThread's template thread, m0 wedged (proc.go: LockOSThread, startTemplateThread,
# templateThread, newm's newmHandoff branch, mexit) -----------------------------------------

def test_first_lockosthread_starts_the_template_thread():
    """LockOSThread's first call starts the template thread (startTemplateThread → newm), an
    M without a P counted in sched.nmsys once it runs (templateThread: nmsys++, checkdead):
    one thread more than the same program without LockOSThread; a second LockOSThread
    starts none."""
    def prog(locked):
        rt = gmplab.Runtime(gomaxprocs=2, seed=1)
        pre = (lock_os_thread(),) if locked else ()
        post = (unlock_os_thread(),) if locked else ()
        rt.go(*pre, work("20us"), *post)
        rt.go(*pre, work("20us"), *post)
        return rt.run()
    plain, locked = prog(False), prog(True)
    st = locked.events.where(fn="startTemplateThread")
    assert len(st) == 1, "only the first LockOSThread starts it"
    tm = st[0].a
    assert locked.m(tm).state == "template" and locked.m(tm).p is None
    assert locked.sched.nmsys == 2 and plain.sched.nmsys == 1
    assert locked.mcount() == plain.mcount() + 1
    first = locked.events.where(fn="templateThread", m=tm)[0]
    assert first.why == L.W_NONE and first.a == 2, "templateThread: sched.nmsys++"
    assert "threads=" + str(locked.mcount()) in locked.schedtrace()


def test_newm_on_a_locked_m_goes_through_the_template_thread():
    """newm from a locked M does not clone its thread: the M goes on newmHandoff and the
    template thread starts it (newm1). Here the locked G's blocking syscall hands P0, which has
    work, to a new M (handoffp → startm → newm on the locked M0)."""
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    other = rt.go(work("1ms"))
    locked = rt.go(lock_os_thread(), syscall_block("2ms"), unlock_os_thread())
    rt.run()
    ev = rt.events
    tm = ev.where(fn="startTemplateThread")[0].a
    ho = [e for e in ev.where(fn="newm") if e.why == L.W_HANDOFF]
    assert len(ho) == 1 and ho[0].m == 0 and ho[0].p == 0, "newm on locked M0 for P0"
    nm = ho[0].a
    started = ev.where(fn="templateThread", m=tm)
    assert [e.a for e in started if e.why == L.W_NEWM] == [nm]
    # the new M's first decision comes after the template thread started its thread
    i_start = list(ev).index(next(e for e in started if e.why == L.W_NEWM))
    i_first = min(i for i, e in enumerate(ev) if e.m == nm)
    assert i_first > i_start
    assert {e.m for e in ev.where(fn="execute", g=other)} == {nm}
    assert {e.m for e in ev.where(fn="execute", g=locked)} == {0}


def test_newm_without_locked_threads_does_not_use_the_template_thread():
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    rt.go(work("1ms"))
    rt.go(syscall_block("2ms"))
    rt.run()
    assert not rt.events.where(fn="startTemplateThread")
    assert not [e for e in rt.events.where(fn="newm") if e.why == L.W_HANDOFF]


def test_m0_is_wedged_not_exited_when_its_locked_g_exits():
    """mexit on m0: "This is the main thread. Just wedge it." The P is handed off, nmfreed++
    and checkdead run as for any exiting M, but m0 parks for ever instead of exiting; a
    locked G exiting on another M takes that thread with it."""
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    g = rt.go(lock_os_thread(), work("10us"))  # main waits: M0 runs it
    rt.go(work("10us"))
    rt.run()
    ex = rt.events.where(fn="mexit")
    assert [(e.a, e.why) for e in ex] == [(0, L.W_WEDGE)]
    assert {e.m for e in rt.events.where(fn="execute", g=g)} == {0}
    assert rt.m(0).state == "wedged" and rt.sched.nmfreed == 1
    assert rt.finished.startswith("main returned")
    assert "M0:" in rt.schedtrace(True), "a wedged m0 stays in allm"

    rt = gmplab.Runtime(gomaxprocs=2, seed=3)
    rt.main(go(lock_os_thread(), work("10us")), work("1ms"))  # main keeps M0 busy
    rt.run()
    (e,) = rt.events.where(fn="mexit")
    assert e.a != 0 and e.why == L.W_EXITLOCKED and rt.m(e.a).state == "dead"


def test_checkdead_with_a_locked_m_and_the_template_thread():
    """The template thread is a system M (nmsys): a program whose only goroutine sleeps for
    ever on a locked thread is still reported as a deadlock."""
    rt = gmplab.Runtime(gomaxprocs=2)
    c = rt.chan()
    rt.go(lock_os_thread(), recv(c))
    with pytest.raises(gmplab.Deadlock, match="all goroutines are asleep - deadlock!"):
        rt.run()
    assert rt.sched.nmsys == 2 and rt.sched.nmidlelocked == 1
