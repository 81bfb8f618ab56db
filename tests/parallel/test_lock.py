"""Go's runtime mutex (lock2/unlock2) on real threads: mutual exclusion holds, sleepers wake,
and the same counting without the lock loses updates (so the test can see a broken lock)."""
import threading

import numpy as np
from numba import njit

from gmplab.runtime._jit import core_cache
from gmplab.runtime.atomics import cpu_relax, load_relaxed, store_relaxed
from gmplab.runtime.lock import MUTEX_UNLOCKED, lock2, unlock2

with core_cache():
    @njit(nogil=True, cache=True)
    def hammer(a, n, use_lock):
        """n read-modify-write rounds on a[8] (a non-atomic increment spread over two loads so
        that it races), each under the mutex a[0] when use_lock."""
        for _ in range(n):
            if use_lock:
                lock2(a, 0)
            v = load_relaxed(a, 8)
            for _ in range(3):       # widen the window between read and write
                cpu_relax()
            store_relaxed(a, 8, v + 1)
            if use_lock:
                unlock2(a, 0)
        return 0


def _run(nthreads, n, use_lock):
    a = np.zeros(32, np.int64)
    hammer(a, 1, use_lock)       # compile
    a[:] = 0
    ts = [threading.Thread(target=hammer, args=(a, n, use_lock)) for _ in range(nthreads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    assert not any(t.is_alive() for t in ts), "a thread hung on the mutex"
    return a


def test_lock2_mutual_exclusion_on_threads():
    a = _run(4, 100_000, True)
    assert a[8] == 4 * 100_000, "every locked increment survived"
    assert a[0] == MUTEX_UNLOCKED


def test_without_the_lock_updates_are_lost():
    lost = 0
    for _ in range(5):
        a = _run(2, 500_000, False)
        lost = 2 * 500_000 - a[8]
        if lost > 0:
            break
    assert lost > 0, "the unlocked race never lost an update: this test could not catch a bad lock"
