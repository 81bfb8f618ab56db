"""Behavioural analogues of Go's proc_test.go / crash_test.go on the virtual clock."""
import collections

import pytest

import gmplab
from gmplab.ops import (go, gosched, loop, lock_os_thread, recv, send, sleep, syscall,
                        unlock_os_thread, wait, work)

from helpers import run_checked


def test_GoroutineParallelism():
    """GOMAXPROCS=4: 4 busy Gs run at the same time (all 4 Ps busy at once)."""
    rt = gmplab.Runtime(gomaxprocs=4, seed=0)
    for _ in range(4):
        rt.go(work("2ms"))
    most = 0
    while not rt.finished:
        rt.step()
        running = sum(1 for g in rt.goids() if rt.g(g).status == "_Grunning" and g != 1)
        most = max(most, running)
    assert most == 4
    assert rt.now < 2 * 2_000_000, "parallel, not one after the other"


def test_TimerFairness():
    """Two Gs hammering an unbuffered channel cannot starve a 20ms timer."""
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    c = rt.chan()
    rt.go(loop(1 << 40, send(c)))
    rt.go(loop(1 << 40, recv(c)))
    t = rt.go(sleep("20ms"))
    rt.run(until="60ms")
    ran = rt.events.where(fn="checkTimers", g=t)
    assert ran, "the timer ran while the channel pair kept the only P busy"
    assert ran[0].t <= 40_000_000


def test_PingPongHog():
    """GOMAXPROCS=1: a hog pair and a light pair share one time slice per ping-pong chain;
    after 100ms their iteration counts are within a factor of 20."""
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    hog, light = rt.chan(), rt.chan()
    rt.go(loop(1 << 40, work("10us"), send(hog)))
    rt.go(loop(1 << 40, recv(hog)))
    rt.go(loop(1 << 40, work("1us"), send(light)))
    rt.go(loop(1 << 40, recv(light)))
    rt.run(until="100ms")
    sends = collections.Counter(e.a for e in rt.events.where(fn="chansend"))
    nh, nl = sends[hog.index], sends[light.index]
    assert nh > 0 and nl > 0
    assert nl / nh < 20 and nh / nl < 20, (nh, nl)


def test_YieldProgress():
    """A G looping on Gosched does not keep another G from finishing."""
    rt = gmplab.Runtime(gomaxprocs=1, seed=0, daemon=True)
    rt.go(loop(1 << 40, gosched()))
    g = rt.go(work("100us"), sleep("50us"), work("100us"))
    rt.run(until="5ms")
    assert rt.events.where(fn="goexit0", g=g)


def test_PreemptionAfterSyscall():
    """A G that returns from a syscall and then spins is still preempted after 10ms."""
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    g = rt.go(syscall("1ms"), work("30ms"))
    rt.go(work("30ms"))
    rt.run()
    assert rt.events.where(fn="preemptone", g=g)


def test_LockOSThreadNesting():
    rt = gmplab.Runtime(gomaxprocs=2)
    g = rt.go(lock_os_thread(), lock_os_thread(), unlock_os_thread(), work("100us"),
              unlock_os_thread(), work("100us"))
    run_checked(rt)
    lk = rt.events.where(fn=("LockOSThread", "UnlockOSThread"), g=g)
    assert [e.a for e in lk] == [1, 2, 1, 0]
    assert not rt.events.where(fn="mexit"), "unlocked before exiting: the thread survives"


def test_crash_select_forever_deadlock():
    """main blocked forever → fatal error: all goroutines are asleep - deadlock!"""
    rt = gmplab.Runtime(gomaxprocs=2)
    c = rt.chan()
    rt.main(recv(c))
    with pytest.raises(gmplab.Deadlock) as e:
        rt.run()
    # as Go prints it: the fatal error, then every goroutine with what it waits for
    assert str(e.value) == ("fatal error: all goroutines are asleep - deadlock!\n\n"
                            "goroutine 1 [chan receive]:\n\trecv(<chan0 cap=0>)")


def test_crash_thread_exhaustion():
    rt = gmplab.Runtime(gomaxprocs=1, maxmcount=10)
    rt.main(loop(20, go(syscall("10ms"))))
    with pytest.raises(gmplab.ThreadExhaustion) as e:
        rt.run()
    assert str(e.value).splitlines() == ["runtime: program exceeds 10-thread limit",
                                        "fatal error: thread exhaustion"]


def test_syscall_handoff_threads_like_go():
    """8 Gs in 200ms blocking syscalls beside 2 CPU-bound Gs at GOMAXPROCS=2: the CPU work
    keeps going and schedtrace shows threads=11 as on a real Go runtime (examples/go)."""
    rt = gmplab.Runtime(gomaxprocs=2, seed=0, schedtrace="20ms")
    for _ in range(2):
        rt.go(work("400ms"))
    for _ in range(8):
        rt.go(syscall("200ms"))
    rt.run()
    from gmplab.schedtrace import parse
    rows = parse("\n".join(rt.trace))
    assert max(r["threads"] for r in rows) == 11
    assert rt.now < 450_000_000, "the CPU-bound Gs ran during the syscalls (else 600ms)"
