"""The atomics of :mod:`gmplab.runtime.atomics` with their single-threaded meaning, in plain
Python: what the core's kernels call when they run without the JIT (``NUMBA_DISABLE_JIT=1``,
and the plug-in runs of :mod:`gmplab.grading`, which run the core as plain Python on the
virtual clock, where one chain of decisions runs at a time)."""
import time


def load_acquire(a, i):
    return a[i]


load_relaxed = load_acquire


def store_release(a, i, v):
    a[i] = v


store_relaxed = store_release


def atomic_cas(a, i, old, new):
    if a[i] != old:
        return False
    a[i] = new
    return True


def _rmw(op):
    def f(a, i, v):
        old = a[i]
        a[i] = op(old, v)
        return old
    return f


atomic_add = _rmw(lambda x, v: x + v)
atomic_xchg = _rmw(lambda x, v: v)
atomic_or = _rmw(lambda x, v: x | v)
atomic_and = _rmw(lambda x, v: x & v)


def atomic_fence():
    pass


def cpu_relax():
    pass


def os_yield():
    return 0


def nanotime():
    return time.monotonic_ns()


def threadtime():
    return time.thread_time_ns()


__all__ = ["load_acquire", "load_relaxed", "store_release", "store_relaxed", "atomic_cas",
           "atomic_add", "atomic_xchg", "atomic_or", "atomic_and", "atomic_fence", "cpu_relax",
           "os_yield", "nanotime", "threadtime"]
