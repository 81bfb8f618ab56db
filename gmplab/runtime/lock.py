"""Go's runtime mutex (lock_futex.go: lock2/unlock2) over one int64 element of a state array,
for the parallel driver's ``sched.lock`` and channel locks.

The word holds ``mutex_unlocked`` (0), ``mutex_locked`` (1) or ``mutex_sleeping`` (2): a
locker first tries to swap in LOCKED; if that fails it spins a little (``active_spin`` rounds of
``procyield``), yields the CPU a few times (``passive_spin``), then swaps in SLEEPING and sleeps on
the futex until an unlock that saw SLEEPING wakes one sleeper. The futex word is the element's
low 32 bits (see :mod:`gmplab.runtime.atomics`).
"""
from ._jit import jit
from .atomics import atomic_cas, atomic_xchg, cpu_relax, futex_wait, futex_wake, load_relaxed, os_yield

MUTEX_UNLOCKED, MUTEX_LOCKED, MUTEX_SLEEPING = 0, 1, 2
ACTIVE_SPIN, ACTIVE_SPIN_CNT, PASSIVE_SPIN = 4, 30, 1


@jit
def lock2(a, i):
    """lock2: acquire the mutex at a[i]."""
    v = atomic_xchg(a, i, MUTEX_LOCKED)
    if v == MUTEX_UNLOCKED:
        return
    # wait is LOCKED or SLEEPING: keep whatever we found, so that a sleeper is not forgotten
    wait = v
    while True:
        for _ in range(ACTIVE_SPIN):
            while load_relaxed(a, i) == MUTEX_UNLOCKED:
                if atomic_cas(a, i, MUTEX_UNLOCKED, wait):
                    return
            for _ in range(ACTIVE_SPIN_CNT):
                cpu_relax()
        for _ in range(PASSIVE_SPIN):
            while load_relaxed(a, i) == MUTEX_UNLOCKED:
                if atomic_cas(a, i, MUTEX_UNLOCKED, wait):
                    return
            os_yield()
        v = atomic_xchg(a, i, MUTEX_SLEEPING)
        if v == MUTEX_UNLOCKED:
            return
        wait = MUTEX_SLEEPING
        futex_wait(a, i, MUTEX_SLEEPING, -1)


@jit
def unlock2(a, i):
    """unlock2: release the mutex at a[i], waking one sleeper if some thread slept on it."""
    v = atomic_xchg(a, i, MUTEX_UNLOCKED)
    if v == MUTEX_SLEEPING:
        futex_wake(a, i, 1)
