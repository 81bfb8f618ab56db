"""ns/op of gmplab.runtime.atomics, as ratios against a plain array store in the same process.

    python3 benchmarks/bench_atomics.py [--n 20000000] [--repeat 5]

Uncontended: one thread, one word (or a 64-word window). Contended: 2 threads on the same word
(``same``) and on two words 64 bytes apart (``padded``: no sharing, the control) -- the
per-thread ns/op. Futex: ``futex_wake`` with nobody waiting, and a park/unpark round trip
between two threads (each parks in ``futex_wait`` until the other bumps the word and wakes it).
Each line is the best of ``--repeat`` runs. Contended numbers need 2 free cores: check the load.
"""
import argparse
import os
import threading
import time

import numpy as np
from numba import njit as _njit

from gmplab.runtime._jit import core_cache
from gmplab.runtime.atomics import (atomic_add, atomic_cas, atomic_xchg, cpu_relax, futex_wait,
                                    futex_wake, load_acquire, store_release)

W = 63  # a 64-word window for the loops that walk the array


def njit(f):
    """Cached where the core caches (keyed by its sources: edits to atomics.py recompile)."""
    with core_cache():
        return _njit(nogil=True, cache=True)(f)


@njit
def plain_store(a, n, off):
    for k in range(n):
        a[off + (k & W)] = k
    return 0


@njit
def plain_load(a, n, off):
    s = 0
    for k in range(n):
        s += a[off + (k & W)] ^ k
    return s


@njit
def acq_load(a, n, off):
    s = 0
    for k in range(n):
        s += load_acquire(a, off + (k & W)) ^ k
    return s


@njit
def rel_store(a, n, off):
    for k in range(n):
        store_release(a, off + (k & W), k)
    return 0


@njit
def cas_ok(a, n, off):
    """A CAS that always succeeds (a[off] walks 0, 1, 2, ...)."""
    a[off] = 0
    s = 0
    for k in range(n):
        s += atomic_cas(a, off, k, k + 1)
    return s


@njit
def cas_loop_inc(a, n, off):
    """Increment by load + CAS retry loop (what a contended runqhead commit does)."""
    fails = 0
    for _ in range(n):
        while True:
            v = load_acquire(a, off)
            if atomic_cas(a, off, v, v + 1):
                break
            fails += 1
    return fails


@njit
def xadd(a, n, off):
    s = 0
    for k in range(n):
        s += atomic_add(a, off, 1)
    return s


@njit
def xchg(a, n, off):
    s = 0
    for k in range(n):
        s += atomic_xchg(a, off, k)
    return s


@njit
def relax(a, n, off):
    for _ in range(n):
        cpu_relax()
    return 0


@njit
def wake_nobody(a, n, off):
    s = 0
    for _ in range(n):
        s += futex_wake(a, off, 1)
    return s


@njit
def pingpong(a, n, mine, theirs, first):
    """Round trips: wait (parked) for a[mine] to reach my turn, then bump a[theirs] and wake."""
    for i in range(n):
        if not first or i > 0:
            want = i if first else i + 1
            while True:
                v = load_acquire(a, mine)
                if v >= want:
                    break
                futex_wait(a, mine, v, -1)
        store_release(a, theirs, i + 1)
        futex_wake(a, theirs, 1)
    return 0


def best_ns(fn, a, n, off, repeat):
    fn(a, 10, off)  # compile / warm
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(a, n, off)
        best = min(best, time.perf_counter() - t)
    return best / n * 1e9


def two_threads_ns(fn, a, n, offs, repeat):
    fn(a, 10, offs[0])
    best = float("inf")
    for _ in range(repeat):
        ts = [threading.Thread(target=fn, args=(a, n, o)) for o in offs]
        t = time.perf_counter()
        for th in ts:
            th.start()
        for th in ts:
            th.join()
        best = min(best, time.perf_counter() - t)
    return best / n * 1e9


def pingpong_us(n, repeat):
    a = np.zeros(32, np.int64)
    pingpong(a, 0, 0, 16, True)
    best = float("inf")
    for _ in range(repeat):
        a[:] = 0
        ts = [threading.Thread(target=pingpong, args=(a, n, 0, 16, True)),
              threading.Thread(target=pingpong, args=(a, n, 16, 0, False))]
        t = time.perf_counter()
        for th in ts:
            th.start()
        for th in ts:
            th.join()
        best = min(best, time.perf_counter() - t)
    return best / n * 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    n, rep = args.n, args.repeat
    a = np.zeros(1024, np.int64)

    print(f"cpus={os.cpu_count()} loadavg={os.getloadavg()[0]:.2f} n={n} best of {rep}")
    base = best_ns(plain_store, a, n, 0, rep)
    rows = [("plain store a[i] = k (baseline)", base),
            ("plain load", best_ns(plain_load, a, n, 0, rep)),
            ("load_acquire", best_ns(acq_load, a, n, 0, rep)),
            ("store_release", best_ns(rel_store, a, n, 0, rep)),
            ("atomic_cas (succeeds)", best_ns(cas_ok, a, n, 0, rep)),
            ("load+CAS increment", best_ns(cas_loop_inc, a, n, 0, rep)),
            ("atomic_add", best_ns(xadd, a, n, 0, rep)),
            ("atomic_xchg", best_ns(xchg, a, n, 0, rep)),
            ("cpu_relax (pause)", best_ns(relax, a, n // 4, 0, rep))]
    nc = n // 4
    for name, fn in (("atomic_add", xadd), ("load+CAS increment", cas_loop_inc)):
        rows.append((f"{name}, 2 threads, same word", two_threads_ns(fn, a, nc, (0, 0), rep)))
        rows.append((f"{name}, 2 threads, padded words", two_threads_ns(fn, a, nc, (0, 8), rep)))
        rows.append((f"{name}, 2 threads, adjacent words",
                     two_threads_ns(fn, a, nc, (0, 1), rep)))
    rows.append(("futex_wake, nobody waiting", best_ns(wake_nobody, a, 200_000, 0, rep)))
    rt = pingpong_us(20_000, rep)
    rows.append(("futex park/unpark round trip", rt * 1000))

    # padded words share nothing: on 2 free cores each thread runs at its uncontended speed
    solo = dict(rows)["atomic_add"]
    padded = dict(rows)["atomic_add, 2 threads, padded words"]
    parallel = 2 * solo / padded
    w = max(len(r[0]) for r in rows)
    print(f"{'op':<{w}}  {'ns/op':>10}  {'x plain store':>13}")
    for name, ns in rows:
        print(f"{name:<{w}}  {ns:10.2f}  {ns / base:13.1f}")
    print(f"parallelism of the 2-thread runs: {parallel:.2f} of 2.00")
    if parallel < 1.6:
        print("WARNING: the two threads mostly did not run at the same time (busy machine?): "
              "the contended and round-trip numbers measure time-sharing, not contention")


if __name__ == "__main__":
    main()
