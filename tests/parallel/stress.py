"""What the real-thread stress runs, shared by tests/parallel/test_stress.py (short, in CI) and
benchmarks/stress_parallel.py (long): issue #14's three LockOSThread reproducers, lesson 12's
preemption demonstration, and CPU burner processes to run them beside."""
import contextlib
import subprocess
import sys
import threading
import time

import gmplab
from gmplab.ops import go, lock_os_thread, loop, recv, send, sleep, syscall, unlock_os_thread, wait, work


def _a(rt):
    rt.go(lock_os_thread(), sleep(30000), unlock_os_thread(), sleep(293000))
    rt.main(lock_os_thread(), syscall(267000), unlock_os_thread())


def _b(rt):
    c3 = rt.chan(0)
    c4 = rt.chan(1)
    rt.main(go(loop(2, loop(2, recv(c3))), loop(3, recv(c3))),
            go(lock_os_thread(), loop(5, send(c3)), send(c3), send(c3)),
            go(recv(c4)), send(c4), work(276000), send(c4), syscall(1078000))


def _c(rt):
    c4 = rt.chan(1)
    rt.go(go(), go(go(lock_os_thread(), go(), wait()), go(recv(c4)), wait()), wait(), wait())


#: issue #14's shrunk reproducers (each hung a few runs in 20-60 before the fix): the program
#: and its GOMAXPROCS. A and B are balanced, C must deadlock.
REPRODUCERS = {"A": (_a, 8), "B": (_b, 3), "C": (_c, 3)}
_VERDICTS = {"A": "main returned", "B": "main returned",
             "C": "fatal error: all goroutines are asleep - deadlock!"}


def _waiting(rt):
    """A G waits on a channel (its M goes idle) while another sleeps: no deadlock."""
    rt.go(recv(rt.chan()))
    rt.go(sleep("1h"))


#: what the threads are doing when close() comes (issue #14.2): GOMAXPROCS, the goroutines
CLOSE_WHILE = {
    "compute": (1, lambda rt: rt.go(work("1h"))),
    "syscall": (1, lambda rt: rt.go(syscall("1h"))),
    "sleep": (2, lambda rt: rt.go(sleep("1h"))),
    "wait": (2, _waiting),
    "all three": (1, lambda rt: (rt.go(work("1h")), rt.go(syscall("1h")), rt.go(sleep("1h")))),
}


def close_latency(when, after=0.2):
    """close() from this thread while run() runs in another: seconds from the call to run()'s
    return, and ``finished``. ``when`` is a CLOSE_WHILE key (close() ``after`` seconds into
    the run) or "during start-up" (at once)."""
    procs, build = CLOSE_WHILE.get(when, CLOSE_WHILE["all three"])
    rt = gmplab.ParallelRuntime(gomaxprocs=procs)
    build(rt)
    th = threading.Thread(target=lambda: rt.run(timeout=60))
    th.start()
    if when != "during start-up":
        time.sleep(after)
    else:
        while not rt._ran:  # run() has begun: it is starting its threads
            time.sleep(0)
    t = time.monotonic()
    rt.close()
    th.join()
    return time.monotonic() - t, rt.finished


def repro_verdict(name):
    return _VERDICTS[name]


def gmplab_threads():
    return tuple(t.name for t in threading.enumerate() if t.name.startswith("gmplab"))


def run_repro(name, seed=0, timeout=20):
    """One run of reproducer ``name`` on real threads: (verdict, seconds, threads left)."""
    build, procs = REPRODUCERS[name]
    rt = gmplab.ParallelRuntime(gomaxprocs=procs, seed=seed)
    build(rt)
    t = time.monotonic()
    try:
        rt.run(timeout=timeout)
        v = "main returned"
    except gmplab.RunTimeout:
        v = "timeout"
    except gmplab.GoFatal as e:
        v = str(e).splitlines()[0]
    return v, time.monotonic() - t, gmplab_threads()


def preemption_demo():
    """Lesson 12's demonstration with shorter goroutines (the lesson gives each 100ms):
    GOMAXPROCS=1, two goroutines each work("60ms"). Returns (both were preempted, [(goid, ms,
    how the slice ended)])."""
    rt = gmplab.ParallelRuntime(gomaxprocs=1)
    a = rt.go(work("60ms"))
    b = rt.go(work("60ms"))
    rt.run(timeout=60)
    pre = {e.g for e in rt.events.where(fn="gopreempt_m")}
    start, slices = {}, []
    for e in rt.events.where(fn=["execute", "gopreempt_m", "goexit0"]):
        if e.fn == "execute":
            start[e.g] = e.t
        elif e.g in start:
            slices.append((e.g, (e.t - start.pop(e.g)) / 1e6, e.fn))
    return {a, b} <= pre, slices


#: a burner: busy for ~4 ms, asleep for ~1 ms, again and again (bursty, as a browser is: it
#: keeps the CPUs busy and makes the OS's wake-up latencies long)
_BURNER = ("import time\n"
           "while True:\n"
           "    t = time.perf_counter()\n"
           "    while time.perf_counter() - t < 0.004: pass\n"
           "    time.sleep(0.001)\n")


@contextlib.contextmanager
def burners(n):
    """``n`` CPU burner processes running while the block runs."""
    ps = [subprocess.Popen([sys.executable, "-c", _BURNER]) for _ in range(n)]
    try:
        yield ps
    finally:
        for p in ps:
            p.kill()
        for p in ps:
            p.wait()
