"""Lock-free local run queues for real threads (proc.go: runqput ... runqsteal, as in Go).

The same state as the virtual-clock core (:mod:`gmplab.runtime.queues`): P ``p``'s row at
``S[H_poff] + p*NPF`` with ``P_runqhead``, ``P_runqtail``, ``P_runnext``, and its 256-slot ring at
``S[H_rqoff] + p*RUNQSIZE``. Here several Ms act at once, so the protocol is Go's:

* only the owner P writes ``runqtail`` (``store_release`` after filling the slot);
* everyone who consumes -- the owner's ``runqget``, ``runqputslow`` and thieves' ``runqgrab`` --
  commits by CASing ``runqhead`` from the value it read (``load_acquire``);
* ``runnext`` is CASed: the owner swaps a G in, the owner or a thief CASes it to nil (``NIL``).

``runqhead``/``runqtail`` are Go's ``uint32``: they live in int64 slots but always hold a value in
``[0, 2**32)``, wrap at 2**32 (every increment is ``& 0xFFFFFFFF``), and the length is
``(tail - head) & 0xFFFFFFFF``. Because 2**32 is a multiple of 256, ``i & 255`` picks the same
slot across the wrap. :func:`runq_reset` can start a queue near 2**32 to test the wrap.

This is the one implementation of the ring: :mod:`gmplab.runtime.queues` (the virtual clock's
runqput/runqget/runqsteal) calls these functions and adds the global queue and the event log.

The global queue needs ``sched.lock``, which is the driver's business: when the ring is full,
:func:`runqput` moves half of it (128 Gs) plus ``g`` into a caller-provided ``batch`` (``int64``,
at least 129 slots) and returns how many, for the caller to ``globrunqputbatch`` under its lock.
"""
from ._jit import core_cache, jit as _jit, jit_inline as _jit_inline
from .atomics import (atomic_cas, cpu_relax, load_acquire, load_relaxed, store_relaxed,
                      store_release)
from .base import gx, px
from .layout import (G_schedlink, H_rqoff, NIL, P_runnext, P_runqhead, P_runqtail, P_status,
                     Prunning, RUNQSIZE)

U32 = 0xFFFFFFFF
RQMASK = RUNQSIZE - 1
#: runqgrab's stand-in for Go's ``usleep(3)`` before stealing a running P's runnext: this many
#: ``cpu_relax`` (a few microseconds; a real usleep(3) costs ~60µs with the default timer slack)
RUNNEXT_SPINS = 100
#: returned for Go's throw()s ("runqputslow: queue is not full", "runqsteal: runq overflow"):
#: an impossible queue length, i.e. a broken protocol. Distinct from NIL (-1) and from G ids.
THROW = -2
#: returned by runqgrab/runqsteal called with ``usleep=USLEEP_EVENT`` when the thief must sleep
#: before taking a running P's runnext: the virtual clock makes the sleep an event of its own
USLEEP = -3
#: runqgrab's ``usleep``: how the usleep(3) before a running P's runnext is slept. On real
#: threads it is slept in place (a spin); on the virtual clock it returns USLEEP (the runnext G it
#: read waits in the thief's ring slot at its tail, where the steal would put it) and the thief
#: comes back later with USLEEP_DONE to CAS that G -- losing if the owner took it meanwhile.
USLEEP_SPIN, USLEEP_EVENT, USLEEP_DONE = 0, 1, 2


def jit(f):
    with core_cache():  # cache beside the core's kernels, keyed by the core's source hash
        return _jit(f)


def jit_inline(f):
    with core_cache():
        return _jit_inline(f)


@jit_inline
def rqslot(S, p, i):
    """Index in ``S`` of ``p.runq[i % 256]`` (``i`` a uint32 position)."""
    return S[H_rqoff] + p * RUNQSIZE + (i & RQMASK)


@jit
def runq_reset(S, p, start):
    """Empty p's queue with ``runqhead = runqtail = start & 0xFFFFFFFF`` and ``runnext = nil``.
    Not concurrent: call before threads use p (tests start near 2**32 to cross the wrap)."""
    b = px(S, p)
    start &= U32
    store_relaxed(S, b + P_runqhead, start)
    store_relaxed(S, b + P_runnext, NIL)
    store_release(S, b + P_runqtail, start)


@jit
def runqempty(S, p):
    """runqempty: no G in p's ring and none in runnext. Safe from any thread: as in Go, re-read
    the tail so that a G moving from runnext to the ring (put kicks it, get empties runnext) is
    not missed."""
    b = px(S, p)
    while True:
        h = load_acquire(S, b + P_runqhead)
        t = load_acquire(S, b + P_runqtail)
        nx = load_acquire(S, b + P_runnext)
        if t == load_acquire(S, b + P_runqtail):
            return h == t and nx == NIL


@jit
def runqlen(S, p):
    """Gs in p's ring (not counting runnext); a snapshot when other threads act on p."""
    b = px(S, p)
    h = load_acquire(S, b + P_runqhead)
    t = load_acquire(S, b + P_runqtail)
    return (t - h) & U32


@jit
def runqputslow(S, p, g, h, t, batch):
    """runqputslow: the ring is full. Claim its first half (128 Gs) by CASing runqhead h -> h+128,
    then append g: ``batch[0:129]`` holds them in order for the global queue. Returns 129, 0 if the
    CAS lost to a thief (the ring is no longer full: retry the put), or THROW if the ring was not
    full ("runqputslow: queue is not full"). Owner only."""
    n = ((t - h) & U32) // 2
    if n != RUNQSIZE // 2:
        return THROW
    for i in range(n):
        batch[i] = load_relaxed(S, rqslot(S, p, h + i))
    if not atomic_cas(S, px(S, p) + P_runqhead, h, (h + n) & U32):
        return 0
    batch[n] = g
    return n + 1


@jit
def runqput(S, p, g, nxt, batch):
    """runqput(pp, gp, next): with ``nxt``, CAS g into runnext and continue with the G it kicked
    out (if any); put that G at the ring's tail (store-release of runqtail). Returns 0 when done,
    or, when the ring was full, the number k of Gs left in ``batch[0:k]`` for the caller to put
    on the global queue under sched.lock (or THROW). Owner only."""
    b = px(S, p)
    if nxt:
        while True:
            old = load_relaxed(S, b + P_runnext)
            if atomic_cas(S, b + P_runnext, old, g):
                break
        if old == NIL:
            return 0
        g = old
    while True:
        h = load_acquire(S, b + P_runqhead)  # synchronise with consumers
        t = load_relaxed(S, b + P_runqtail)  # only we write it
        if ((t - h) & U32) < RUNQSIZE:
            store_relaxed(S, rqslot(S, p, t), g)
            store_release(S, b + P_runqtail, (t + 1) & U32)  # publish the slot
            return 0
        n = runqputslow(S, p, g, h, t, batch)
        if n != 0:
            return n


@jit
def runqget(S, p):
    """runqget: runnext first (CAS to nil; inheritTime = True), else the ring's head (CAS
    runqhead h -> h+1 against thieves; inheritTime = False). Returns (g, inheritTime), g = NIL if
    empty. Owner only."""
    b = px(S, p)
    nx = load_acquire(S, b + P_runnext)
    if nx != NIL and atomic_cas(S, b + P_runnext, nx, NIL):
        return nx, True
    while True:
        h = load_acquire(S, b + P_runqhead)  # synchronise with other consumers
        t = load_relaxed(S, b + P_runqtail)
        if t == h:
            return NIL, False
        g = load_relaxed(S, rqslot(S, p, h))
        if atomic_cas(S, b + P_runqhead, h, (h + 1) & U32):  # commit the consume
            return g, False


@jit
def runqgrab(S, p2, p, stealnext, cas_head, usleep=USLEEP_SPIN):
    """runqgrab: copy half (rounded up) of p2's ring into p's ring from p's tail, then commit by
    CASing p2's runqhead; retry if the CAS fails or h/t were read inconsistently (n > 128). With
    ``stealnext`` and an empty ring take p2's runnext (CAS to nil), after usleep(3) if p2 is
    running: "Sleep to ensure that pp isn't about to run the g we are about to steal"; if the
    CAS then fails (the owner ran it), re-read the ring and go on. Returns how many Gs were
    grabbed (p's tail is not advanced), or USLEEP (see ``usleep``: USLEEP_SPIN sleeps in place,
    USLEEP_EVENT returns at the sleep, USLEEP_DONE resumes after it).

    proc.go (go1.25.3) runqgrab: ``if next := pp.runnext; next != 0 { if pp.status ==
    _Prunning { ... usleep(3) ... } if !pp.runnext.cas(next, 0) { continue } ...}``.

    ``cas_head=False`` is a deliberately BROKEN thief that commits with a plain store of runqhead:
    it races with the owner and other thieves and hands out Gs twice (for tests and lessons)."""
    b2 = px(S, p2)
    bt = load_relaxed(S, px(S, p) + P_runqtail)
    slept = NIL
    if usleep == USLEEP_DONE:
        slept = load_relaxed(S, rqslot(S, p, bt))  # the runnext G read before the sleep
    while True:
        if slept != NIL:
            nx = slept
            slept = NIL
        else:
            h = load_acquire(S, b2 + P_runqhead)  # synchronise with other consumers
            t = load_acquire(S, b2 + P_runqtail)  # synchronise with the producer
            n = (t - h) & U32
            n = n - n // 2
            if n > 0:
                if n > RUNQSIZE // 2:  # read inconsistent h and t
                    continue
                for i in range(n):
                    store_relaxed(S, rqslot(S, p, bt + i), load_relaxed(S, rqslot(S, p2, h + i)))
                if not cas_head:
                    store_release(S, b2 + P_runqhead, (h + n) & U32)  # the bug: no CAS
                    return n
                if atomic_cas(S, b2 + P_runqhead, h, (h + n) & U32):  # commit the consume
                    return n
                continue
            if not stealnext:
                return 0
            nx = load_acquire(S, b2 + P_runnext)
            if nx == NIL:
                return 0
            if load_relaxed(S, b2 + P_status) == Prunning:
                # "Sleep to ensure that pp isn't about to run the g we are about to steal."
                if usleep == USLEEP_EVENT:
                    store_relaxed(S, rqslot(S, p, bt), nx)
                    return USLEEP
                for _ in range(RUNNEXT_SPINS):
                    cpu_relax()
        if not atomic_cas(S, b2 + P_runnext, nx, NIL):
            continue
        store_relaxed(S, rqslot(S, p, bt), nx)
        return 1


@jit
def runqsteal(S, p, p2, stealnext, cas_head, usleep=USLEEP_SPIN):
    """runqsteal(pp, p2, stealRunNextG): steal half of p2's queue into p's; return the last G
    grabbed (to run now) and publish the others on p's ring. NIL if nothing was stolen, THROW on
    "runqsteal: runq overflow", USLEEP when the thief must first sleep (``usleep``, see
    :func:`runqgrab`). Called by p's owner. ``cas_head``: see :func:`runqgrab` (pass True)."""
    b = px(S, p)
    t = load_relaxed(S, b + P_runqtail)
    n = runqgrab(S, p2, p, stealnext, cas_head, usleep)
    if n == 0 or n == USLEEP:
        return NIL if n == 0 else USLEEP
    n -= 1
    g = load_relaxed(S, rqslot(S, p, t + n))
    if n == 0:
        return g
    h = load_acquire(S, b + P_runqhead)  # synchronise with consumers
    if ((t - h + n) & U32) >= RUNQSIZE:
        return THROW
    store_release(S, b + P_runqtail, (t + n) & U32)  # publish the stolen Gs
    return g


@jit
def runqputbatch(S, p, head):
    """runqputbatch(pp, q): put the Gs of the list at ``head`` (linked through g.schedlink) at
    the tail of p's ring while there is room, and publish them with one store-release of
    runqtail. Returns the first G that did not fit (NIL: all did), for the caller to put on
    the global queue. Owner only. proc.go (go1.25.3) runqputbatch: ``for !q.empty() && t-h <
    uint32(len(pp.runq)) { ... } atomic.StoreRel(&pp.runqtail, t)``."""
    b = px(S, p)
    h = load_acquire(S, b + P_runqhead)  # synchronise with consumers
    t = load_relaxed(S, b + P_runqtail)
    g = head
    while g != NIL and ((t - h) & U32) < RUNQSIZE:
        nx = S[gx(S, g) + G_schedlink]
        store_relaxed(S, rqslot(S, p, t), g)
        t = (t + 1) & U32
        g = nx
    store_release(S, b + P_runqtail, t)  # publish the batch
    return g
