"""Go's runtime mutex (lock_futex.go: lock2/unlock2) over one int64 element of a state array,
for the parallel driver's ``sched.lock`` and channel locks.

The word holds ``mutex_unlocked`` (0), ``mutex_locked`` (1) or ``mutex_sleeping`` (2): a
locker first tries to swap in LOCKED; if that fails it spins a little (``active_spin`` rounds of
``procyield``), yields the CPU a few times (``passive_spin``), then swaps in SLEEPING and sleeps on
the futex until an unlock that saw SLEEPING wakes one sleeper. The futex word is the element's
low 32 bits (see :mod:`gmplab.runtime.atomics`).

Which Go version: this is lock_futex.go, the Linux mutex of Go ≤1.23. Go 1.24 made
lock_spinbit.go the default (GOEXPERIMENT=spinbitmutex; lock_futex.go remains for
nospinbitmutex builds), and 1.25 keeps it. gmplab follows lock_futex.go because (1) spinbit's
state word packs a partial pointer to the last M to sleep and rebuilds it from the alignment of
heap-allocated ``m`` structs, with a stack of waiters linked through ``m.mWaitList`` and a
semaphore per M -- an M here is a row of a numpy array, not a 2048-byte-aligned object; and (2)
for ``sched.lock``, the lock the scheduler's decisions depend on, spinbit behaves as this one:
``mutexPreferLowLatency(&sched.lock)`` is true, so every waiter spins (4 x procyield(30), one
osyield) before it sleeps and every contended unlock wakes a sleeper. Spinbit's difference --
only the M holding the spin bit spins, the others sleep, LIFO with an occasional tail wake --
concerns the other runtime locks (here the channel locks), on machines with many cores.
"""
from ._jit import jit
from .atomics import (atomic_add, atomic_cas, atomic_xchg, cpu_relax, futex_wait, futex_wake,
                      load_relaxed, os_yield, store_relaxed)
from .layout import (C_lock, H_lockowner, H_parallel, H_schedlock, H_status, H_tmplseq, NCF,
                     S_fatalarg, X_curm, X_lockdepth)

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


# --- the locks of the scheduler state, as the core takes them ------------------------------
# On the virtual clock one chain of decisions runs at a time and these are no-ops; with
# S[H_parallel] set (the parallel driver) they are Go's locks. sched.lock is taken at Go's
# sites; a thread may re-take it while holding it (the core's functions nest: startm inside
# handoffp inside retake...), which Go avoids by passing "lock held" down.

@jit
def schedlock(S, L):
    """lock(&sched.lock)."""
    if S[H_parallel] == 0:
        return
    me = L[X_curm] + 2  # 0 is "nobody"; the outside world (NIL) is 1
    if load_relaxed(S, H_lockowner) == me:
        L[X_lockdepth] += 1
        return
    lock2(S, H_schedlock)
    store_relaxed(S, H_lockowner, me)
    L[X_lockdepth] = 1


@jit
def schedunlock(S, L):
    """unlock(&sched.lock)."""
    if S[H_parallel] == 0:
        return
    L[X_lockdepth] -= 1
    if L[X_lockdepth] == 0:
        store_relaxed(S, H_lockowner, 0)
        unlock2(S, H_schedlock)


@jit
def lockword(S, i):
    """lock(l) for another lock word of S (the WaitGroup's sema lock)."""
    if S[H_parallel] != 0:
        lock2(S, i)


@jit
def unlockword(S, i):
    if S[H_parallel] != 0:
        unlock2(S, i)


@jit
def chanlock(S, C, c):
    """lock(&c.lock): one mutex per channel, in its row of C."""
    if S[H_parallel] != 0:
        lock2(C, c * NCF + C_lock)


@jit
def chanunlock(S, C, c):
    if S[H_parallel] != 0:
        unlock2(C, c * NCF + C_lock)


@jit
def xadd(S, i, v):
    """atomic.Xadd on a counter of S; returns the new value."""
    if S[H_parallel] == 0:
        S[i] += v
        return S[i]
    return atomic_add(S, i, v) + v


@jit
def wake_starter(S):
    """Tell the parallel driver's thread starter (the caller's thread, in Python: a driver
    detail, not Go's template thread) to look: a new M needs an OS thread, or the runtime's
    status changed."""
    if S[H_parallel] != 0:
        atomic_add(S, H_tmplseq, 1)
        futex_wake(S, H_tmplseq, 1 << 30)


@jit
def setstatus(S, status, arg):
    """The program ends (ST_DONE) or dies (a fatal error, with its argument): record it and
    tell the driver."""
    S[H_status] = status
    S[S_fatalarg] = arg
    wake_starter(S)
