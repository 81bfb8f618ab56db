"""Real threads never hang (issue #14): a program either progresses or checkdead reports it.

The short versions of benchmarks/stress_parallel.py: seeded random programs on real threads
against the virtual clock's verdict, issue #14's three LockOSThread reproducers, the lost
wake-up made likely by a fault that widens its window, and lesson 12's preemption
demonstration beside CPU burners. No assertion is about speed: a run only has to end, and
well before its timeout.
"""
import pytest

import gmplab
from gmplab.runtime import layout as L

import progs
import stress

TIMEOUT = 30  # seconds; every run here ends in well under one


def _check_programs(seeds, procs):
    bad = {}
    for i, seed in enumerate(seeds):
        prog = progs.generate(seed)
        found, _ = progs.compare(prog, procs, seed=i, timeout=TIMEOUT)
        if found:
            bad[seed] = found + [prog.source()]
    assert not bad, "\n\n".join(f"seed {s}: " + "\n".join(v) for s, v in bad.items())


@pytest.mark.parametrize("procs", [2, 3, 4])
def test_random_programs_end_with_the_virtual_clocks_verdict(procs):
    """100 seeded random programs per GOMAXPROCS (two in three balanced, the rest built to
    deadlock): each run ends well before its timeout, with the verdict of the same program on
    the virtual clock, every goroutine created once and exited at most once, as many of them
    made and ended as on the virtual clock, and no gmplab thread left."""
    _check_programs(range(1000 * procs, 1000 * procs + 100), procs)


def test_random_programs_beside_cpu_burners():
    """The same, fewer, with two CPU burner processes taking the machine's time."""
    with stress.burners(2):
        _check_programs(range(50_000, 50_020), 3)


def test_the_generator_makes_both_kinds_and_every_op():
    kinds = set()
    ops = set()
    for seed in range(60):
        p = progs.generate(seed)
        want = progs.run_virtual(p, 2).verdict
        kinds.add((p.balanced, want))
        ops |= set(p.source().replace("(", " ").replace(",", " ").split())
    assert kinds == {(True, "main returned"),
                     (False, "Deadlock: fatal error: all goroutines are asleep - deadlock!")}
    for op in ("work", "syscall", "sleep", "netread", "gosched", "go", "wait", "send", "recv",
               "lock_os_thread", "unlock_os_thread", "loop"):
        assert op in ops, op
    assert progs.generate(7).source() == progs.generate(7).source(), "seeded"


@pytest.mark.parametrize("name", sorted(stress.REPRODUCERS))
def test_issue14_reproducers_never_hang(name):
    """Issue #14's shrunk reproducers hung a few runs in 20-60 before stoplockedm kept a
    wake-up that came first; here each runs 20 times (benchmarks/stress_parallel.py repro
    runs them 200 times)."""
    want = stress.repro_verdict(name)
    for i in range(20):
        v, dt, left = stress.run_repro(name, seed=i, timeout=TIMEOUT)
        assert (v, left) == (want, ()), f"run {i}: {v} after {dt:.2f}s, threads left {left}"


def _run_b(faults, seed, timeout):
    build, procs = stress.REPRODUCERS["B"]
    rt = gmplab.ParallelRuntime(gomaxprocs=procs, seed=seed)
    rt._S[L.H_faults] = faults
    build(rt)
    rt.run(timeout=timeout)
    return rt


def test_a_locked_m_keeps_a_wakeup_that_came_before_it_slept():
    """A locked M that dawdles between its G's gopark and stoplockedm (a fault injected to
    widen the window) finds its G already readied and handed back by startlockedm on another
    M, with its note set: it must run it (stoplockedm logs W_NOTED), not sleep for ever."""
    noted = 0
    for seed in range(6):
        rt = _run_b(L.FAULT_SLOWSTOPLOCKED, seed, TIMEOUT)
        assert rt.finished.startswith("main returned")
        noted += len([e for e in rt.events.where(fn="stoplockedm") if e.why == L.W_NOTED])
    assert noted > 0, "the fault never made startlockedm come first"
    assert not stress.gmplab_threads()


def test_the_old_note_protocol_loses_the_wakeup():
    """The same with stoplockedm clearing its note even when the wake-up came first (the
    protocol before the fix): the locked M sleeps for ever and the run times out — so the
    test above does discriminate."""
    hung = 0
    for seed in range(6):
        try:
            _run_b(L.FAULT_SLOWSTOPLOCKED | L.FAULT_CLEARNOTE, seed, 3)
        except gmplab.RunTimeout:
            hung += 1
            break
    assert hung, "the lost wake-up went unnoticed"
    assert not stress.gmplab_threads()


def test_preemption_demonstration_beside_cpu_burners():
    """Lesson 12's demonstration (there 100ms each): GOMAXPROCS=1, two goroutines of
    work("60ms"): sysmon preempts both, every time, also when burners keep the machine busy
    (work burns CPU time: a thread the OS does not run makes no progress and its slice grows
    long in real time, as in Go)."""
    with stress.burners(2):
        for i in range(8):
            both, slices = stress.preemption_demo()
            assert both, f"run {i}: {slices}"
