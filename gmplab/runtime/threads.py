"""The parallel driver's OS threads: one per M, each running the same core as the virtual clock.

An M's thread is Go's ``mstart``: it loops over what its M does next, exactly the actions the
virtual clock pops from its event heap (``engine.step_m``), but *when* they happen is decided by
the machine:

- a G's ``work(d)`` burns real CPU (LCG steps) until its thread has run for ``d`` ns (the
  thread's CPU clock: while the OS runs something else the work does not progress, as a
  CPU-bound Go loop would not, and sysmon, on the monotonic clock, sees a long time slice),
  and ``lcg(n)`` runs exactly ``n`` steps; the loop polls ``gp.preempt`` (sysmon's
  preemptone) every 1024 steps, as the preemption signal would interrupt it;
- a ``syscall(d)`` really blocks the thread in the kernel (a futex sleep with a timeout) until
  its deadline, with the P left in ``_Psyscall`` for sysmon to retake;
- an idle, locked or netpolling M, and the template thread, sleep on their note (``m.park``,
  a futex word) until ``notewakeup`` (``mwake``) or, in netpoll, until the next timer; sysmon
  sleeps its 20µs..10ms between rounds the same way; a wedged m0 sleeps until the end;
- everything else (schedule, findRunnable, execute, goexit0, ...) is the core's code, run by
  this thread while others run it too: the locks and atomics are in the core (see proc.go's
  names there).

Each thread keeps its own context and event log ``L``. Stop-the-world (for consistent
snapshots) uses a per-M "in the core" flag: a thread raises it before a core call and checks
``S[H_stw]``; the stopper raises ``S[H_stw]`` and waits until every flag is down.
"""
from ._jit import jit
from .atomics import (atomic_add, atomic_cas, atomic_xchg, futex_wait, futex_wake, load_acquire,
                      nanotime, os_yield, store_release, threadtime)
from .base import gx, mx
from .engine import step_m
from .layout import *  # noqa: F401,F403
from .lock import wake_starter

LCG_A = 6364136223846793005
LCG_C = 1442695040888963407
POLL_STEPS = 1024  # LCG steps between two looks at gp.preempt (~1µs)


@jit
def stopped(S):
    return load_acquire(S, H_stop) != 0 or load_acquire(S, H_status) != ST_OK


@jit
def burn(S, PROG, m, g):
    """Run G ``g``'s work op on this thread for real. Returns ``(left, x)``: what is left of it
    (0: done; >0: gp.preempt was set or the driver stops) and the LCG's last value."""
    gb = gx(S, g)
    op = PROG[S[gb + G_pc] * OPW]
    left = S[gb + G_workleft]
    x = S[mx(S, m) + M_sink] + g
    if op == OP_LCG:
        while left > 0:
            n = POLL_STEPS if left > POLL_STEPS else left
            for _ in range(n):
                x = x * LCG_A + LCG_C
            left -= n
            if load_acquire(S, gb + G_preempt) != 0 or stopped(S):
                break
        return left, x
    end = threadtime() + left
    while True:
        for _ in range(POLL_STEPS):
            x = x * LCG_A + LCG_C
        now = threadtime()
        if now >= end:
            return 0, x
        if load_acquire(S, gb + G_preempt) != 0 or stopped(S):
            return end - now, x


@jit
def incore(S, m):
    """Enter the core, first waiting out a stop-the-world."""
    f = mx(S, m) + M_incore
    while True:
        atomic_xchg(S, f, 1)
        if load_acquire(S, H_stw) == 0:
            return
        store_release(S, f, 0)
        while load_acquire(S, H_stw) != 0:
            if load_acquire(S, H_stop) != 0:
                atomic_xchg(S, f, 1)  # the caller sees the stop and leaves at once
                return
            futex_wait(S, H_stw, 1, 1_000_000)


@jit
def outcore(S, m):
    store_release(S, mx(S, m) + M_incore, 0)


@jit
def mstart(S, C, PROG, L, m):
    """The thread of M ``m`` (mstart → schedule → ...): runs until the M exits (mexit), the
    program ends, or the driver stops it. A stop leaves the M's state as it is."""
    mb = mx(S, m)
    store_release(S, mb + M_thread, 2)  # the thread runs: run() starts the clock when all do
    wake_starter(S)
    while True:
        if stopped(S):
            return
        st = load_acquire(S, mb + M_state)
        if st == MS_DEAD:
            return  # mexit: the thread exits
        if st == MS_WEDGED:
            # mexit on m0: "Just wedge it" (mPark for ever; only the driver's stop wakes it)
            futex_wait(S, mb + M_park, load_acquire(S, mb + M_park), -1)
            continue
        entered = False
        if st == MS_RUNG:
            g = S[mb + M_curg]
            gb = gx(S, g)
            op = PROG[S[gb + G_pc] * OPW]
            if (op == OP_WORK or op == OP_LCG) and S[gb + G_inop] != 0 and S[gb + G_workleft] > 0:
                left, x = burn(S, PROG, m, g)
                incore(S, m)
                entered = True
                S[mb + M_sink] = x
                S[gb + G_workleft] = left
                if left > 0:
                    if stopped(S):
                        outcore(S, m)
                        return
                    S[gb + G_inop] = 0  # preempted at a safe point: the op resumes later
        elif st == MS_SYSCALL:
            # the system call: the thread sleeps in the kernel until its end
            w = S[mb + M_when]
            now = nanotime() - S[H_t0]
            if now < w:
                futex_wait(S, H_stop, 0, w - now)
                continue
        elif st == MS_SYSMON:
            w = S[mb + M_when]
            now = nanotime() - S[H_t0]
            if load_acquire(S, mb + M_park) == 0 and (w == NIL or w > now):
                futex_wait(S, mb + M_park, 0, -1 if w == NIL else w - now)
                continue
            store_release(S, mb + M_park, 0)
        elif (st == MS_IDLE or st == MS_LOCKED or st == MS_NETPOLL or st == MS_SCHED
              or st == MS_TEMPLATE):
            # notesleep(&m.park); netpoll(delay) also wakes at its deadline
            if load_acquire(S, mb + M_park) == 0:
                w = S[mb + M_when]
                if st != MS_NETPOLL or w == NIL:
                    futex_wait(S, mb + M_park, 0, -1)
                    continue
                now = nanotime() - S[H_t0]
                if w > now:
                    futex_wait(S, mb + M_park, 0, w - now)
                    continue
        if not entered:
            incore(S, m)
        if not stopped(S) and step_m(S, C, PROG, L, m):
            # sysmon: a schedtrace line is due; the driver's thread starter prints it
            atomic_add(S, H_tracereq, 1)
            wake_starter(S)
        outcore(S, m)


@jit
def stoptheworld(S):
    """stopTheWorld for the driver's snapshots: no thread is inside the core when it returns
    (running Gs keep burning their work ops: they touch nothing shared)."""
    atomic_xchg(S, H_stw, 1)
    for m in range(load_acquire(S, S_mnext)):
        while load_acquire(S, mx(S, m) + M_incore) != 0:
            os_yield()


@jit
def starttheworld(S):
    store_release(S, H_stw, 0)
    futex_wake(S, H_stw, 1 << 30)


@jit
def stopall(S):
    """Ask every thread to return: raise the stop flag and wake whatever sleeps."""
    store_release(S, H_stop, 1)
    futex_wake(S, H_stop, 1 << 30)
    futex_wake(S, H_stw, 1 << 30)
    atomic_add(S, H_tmplseq, 1)  # (a starter about to sleep on the old value wakes too)
    futex_wake(S, H_tmplseq, 1 << 30)
    for m in range(load_acquire(S, S_mnext)):
        futex_wake(S, mx(S, m) + M_park, 1 << 30)


@jit
def claim(S):
    """newm's OS thread: claim a created M that no thread runs yet (the driver's thread starter
    and the spare threads race for it by CAS). Returns the M, or NIL. An M still on newmHandoff
    (Go's template thread has not started its thread yet) is not claimed."""
    for m in range(load_acquire(S, S_mnext)):
        b = mx(S, m)
        st = load_acquire(S, b + M_state)
        if (st != MS_NONE and st != MS_DEAD and st != MS_HANDOFF
                and load_acquire(S, b + M_thread) == 0):
            if atomic_cas(S, b + M_thread, 0, 1):
                return m
    return NIL


@jit
def spare_wait(S):
    """A spare OS thread, made ahead of need (Python starts a thread in 0.2-2ms, Go's clone in
    ~30µs): sleeps until newm creates an M, claims it and returns it (NIL: the driver stops)."""
    while not stopped(S):
        seq = load_acquire(S, H_tmplseq)
        m = claim(S)
        if m != NIL:
            return m
        futex_wait(S, H_tmplseq, seq, 20_000_000)
    return NIL


@jit
def starter_wait(S, seq, timeout_ns):
    """The driver's thread starter's sleep: until S[H_tmplseq] moves on from ``seq``, or the
    timeout."""
    if load_acquire(S, H_tmplseq) == seq:
        futex_wait(S, H_tmplseq, seq, timeout_ns)
    return load_acquire(S, H_tmplseq)
