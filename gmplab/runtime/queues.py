"""Run queues, idle lists and free lists (proc.go: runqput ... gfget).

The local run queue is the 256-slot ring ``p.runq`` with ``runqhead``/``runqtail`` (uint32,
wrapping) and the ``runnext`` slot, kept by the lock-free protocol of proc.go in
:mod:`gmplab.runtime.prunq` (the one implementation, for both drivers); the global queue
``sched.runq``, the idle lists ``sched.pidle``/``sched.midle`` and the free lists are intrusive
linked lists through ``g.schedlink``, ``p.link`` and ``m.schedlink``, as in Go.
"""
from . import prunq as _pq
from ._jit import jit
from .base import emit, goid, gx, mx, px, rqx, throw
from .layout import *  # noqa: F401,F403
from .lock import schedlock, schedunlock


@jit
def runqempty(S, p):
    """runqempty: no G in p's ring and none in runnext (prunq.runqempty)."""
    return _pq.runqempty(S, p)


@jit
def runqlen(S, p):
    """How many Gs p's ring holds (runnext not counted); uint32 arithmetic as in Go."""
    return _pq.runqlen(S, p)


@jit
def gqueue_push(S, head, tail, g):
    """Append g to a queue of Gs linked through g.schedlink (Go's gQueue.pushBack) whose
    head and tail live at S[head] and S[tail]."""
    S[gx(S, g) + G_schedlink] = NIL
    if S[tail] == NIL:
        S[head] = g
    else:
        S[gx(S, S[tail]) + G_schedlink] = g
    S[tail] = g


@jit
def globrunqput(S, g):
    """globrunqput: put g at the tail of the global queue. sched.lock must be held."""
    gqueue_push(S, S_runqhead, S_runqtail, g)
    S[S_runqsize] += 1


@jit
def globrunqputhead(S, g):
    """globrunqputhead: put g at the head of the global queue (procresize's destroy)."""
    S[gx(S, g) + G_schedlink] = S[S_runqhead]
    S[S_runqhead] = g
    if S[S_runqtail] == NIL:
        S[S_runqtail] = g
    S[S_runqsize] += 1


@jit
def globrunqpop(S):
    g = S[S_runqhead]
    if g == NIL:
        return NIL
    nx = S[gx(S, g) + G_schedlink]
    S[S_runqhead] = nx
    if nx == NIL:
        S[S_runqtail] = NIL
    S[gx(S, g) + G_schedlink] = NIL
    S[S_runqsize] -= 1
    return g


@jit
def runqput(S, L, p, g, nxt, quiet):
    """runqput: put g on p's local queue. With ``nxt``, g goes to runnext and the G that was
    there is kicked to the tail of the ring. A full ring spills half of it plus g, 128+1 Gs, to
    the global queue (runqputslow). Executed only by the owner P. The ring protocol itself
    (load-acquire/store-release of head and tail, CAS of runnext) is prunq's, shared with the
    parallel driver; this adds the global queue and the event log."""
    b = px(S, p)
    old = S[b + P_runnext] if nxt else NIL
    k = _pq.runqput(S, p, g, nxt, L[XBATCH:XBATCH + RUNQSIZE // 2 + 1])
    if nxt and not quiet:
        emit(S, L, F_runqput, W_RUNNEXT, g, p, goid(S, old), 0)
    kicked = nxt and old != NIL
    if k == 0:
        if kicked or not nxt:
            if not quiet or kicked:
                emit(S, L, F_runqput, W_KICK if kicked else W_TAIL, old if kicked else g, p,
                     runqlen(S, p), 0)
        return
    if k < 0:
        throw(S, L, F_runqputslow, k)
        return
    globrunqputbatch(S, L, p, old if kicked else g, k)


@jit
def globrunqputbatch(S, L, p, g, k):
    """runqputslow's second half: the batch in ``L[XBATCH:XBATCH+k]`` (half of p's ring, then
    g) goes to the tail of the global queue, in order, under sched.lock (globrunqputbatch)."""
    schedlock(S, L)
    for i in range(k):
        globrunqput(S, L[XBATCH + i])
    emit(S, L, F_runqputslow, W_NONE, g, p, k, S[S_runqsize])
    schedunlock(S, L)


@jit
def runqget(S, p):
    """runqget: runnext first (inheritTime=true: the G shares the current time slice), then
    the ring's head (inheritTime=false). Returns (g, inheritTime); g is NIL if empty.
    Executed only by the owner P."""
    return _pq.runqget(S, p)


@jit
def globrunqget(S, L, p, mx_, why):
    """globrunqget(pp, max): take a batch of n = min(runqsize, runqsize/gomaxprocs+1, max,
    len(runq)/2) Gs from the global queue; return the first, put the rest on p's ring.
    sched.lock must be held."""
    size = S[S_runqsize]
    if size == 0:
        return NIL
    n = size // S[S_gomaxprocs] + 1
    if n > size:
        n = size
    if mx_ > 0 and n > mx_:
        n = mx_
    if n > RUNQSIZE // 2:
        n = RUNQSIZE // 2
    g = globrunqpop(S)
    for _ in range(n - 1):
        runqput(S, L, p, globrunqpop(S), False, True)
    emit(S, L, F_globrunqget, why, g, p, n, S[S_runqsize])
    return g


@jit
def runqsteal(S, L, p, p2, stealnext, slept=False):
    """runqsteal: steal half (rounded up) of p2's ring into p's; with ``stealnext`` and an
    empty ring take p2's runnext instead -- after runqgrab's usleep(3) if p2 is running. On the
    virtual clock that sleep is an event of its own: this returns USLEEP (the chain's cost grows
    by ``usleep3``) and the thief calls again with ``slept`` once the sleep is over; by then the
    owner may have run the G, and the thief gives up on it (proc.go, go1.25.3, runqgrab: ``if
    !pp.runnext.cas(next, 0) { continue }``). On real threads prunq.runqgrab sleeps in place.
    Returns the G to run now, NIL, or USLEEP."""
    b2 = px(S, p2)
    t0 = runqlen(S, p)
    h0 = S[b2 + P_runqhead]
    nx = S[rqx(S, p, S[px(S, p) + P_runqtail])] if slept else S[b2 + P_runnext]
    wasnext = slept or (stealnext and runqlen(S, p2) == 0 and nx != NIL)
    if slept:
        mode = _pq.USLEEP_DONE
    elif S[H_parallel] != 0:
        mode = _pq.USLEEP_SPIN
    else:
        mode = _pq.USLEEP_EVENT
    g = _pq.runqsteal(S, p, p2, stealnext, (S[H_faults] & FAULT_NOCAS) == 0, mode)
    if g == _pq.USLEEP:
        # "Sleep to ensure that pp isn't about to run the g we are about to steal."
        L[X_cost] += S[K_usleep3]
        emit(S, L, F_runqsteal, W_USLEEP, nx, p, p2, S[K_usleep3])
        return g
    if g == _pq.THROW:
        throw(S, L, F_runqsteal, p2)
        return NIL
    fromnext = wasnext and g == nx and S[b2 + P_runqhead] == h0
    if slept and not fromnext:
        # the CAS of runnext failed: its owner took the G during the sleep
        emit(S, L, F_runqsteal, W_RUNNEXTLOST, nx, p, p2, 0)
    if g == NIL:
        return NIL
    emit(S, L, F_runqsteal, W_RUNNEXTSTEAL if fromnext else W_STEAL, g, p, p2,
         runqlen(S, p) - t0 + 1)
    return g


@jit
def runqputbatch(S, L, p, head):
    """runqputbatch, then what did not fit to the global queue (Go 1.25's injectglist: ``if
    runqputbatch(pp, &q); !q.empty() { lock(&sched.lock); globrunqputbatch(&q); ...}``).
    Executed only by the owner P."""
    g = _pq.runqputbatch(S, p, head)
    if g == NIL:
        return
    schedlock(S, L)
    k = 0
    while g != NIL:
        nx = S[gx(S, g) + G_schedlink]
        globrunqput(S, g)
        g = nx
        k += 1
    emit(S, L, F_injectglist, W_OVERFLOW, -1, p, k, S[S_runqsize])
    schedunlock(S, L)


# --- idle Ps and Ms -------------------------------------------------------------------------

@jit
def pidleput(S, L, p):
    """pidleput: put p on the idle P list and set its idlepMask bit (``idlepMask.set(pp.id)``):
    thieves skip only Ps on this list, not every _Pidle P. sched.lock must be held; p's queue
    must be empty."""
    if not runqempty(S, p):
        throw(S, L, F_pidleput, p)
        return
    b = px(S, p)
    S[b + P_idlep] = 1
    S[b + P_link] = S[S_pidle]
    S[S_pidle] = p
    S[S_npidle] += 1


@jit
def pidleget(S):
    """pidleget: take a P off the idle list (LIFO) and clear its idlepMask bit
    (``idlepMask.clear(pp.id)``), or NIL."""
    p = S[S_pidle]
    if p != NIL:
        b = px(S, p)
        S[b + P_idlep] = 0
        S[S_pidle] = S[b + P_link]
        S[b + P_link] = NIL
        S[S_npidle] -= 1
    return p


@jit
def pidlegetSpinning(S):
    """pidlegetSpinning: pidleget for a would-be spinning M; if none, set sched.needspinning."""
    p = pidleget(S)
    if p == NIL:
        S[S_needspinning] = 1
    return p


@jit
def mput(S, m):
    """mput: put m on the idle M list (sched.midle). The caller runs checkdead."""
    b = mx(S, m)
    S[b + M_schedlink] = S[S_midle]
    S[S_midle] = m
    S[S_nmidle] += 1


@jit
def mget(S):
    """mget: take an idle M (LIFO), or NIL."""
    m = S[S_midle]
    if m != NIL:
        b = mx(S, m)
        S[S_midle] = S[b + M_schedlink]
        S[b + M_schedlink] = NIL
        S[S_nmidle] -= 1
    return m


# --- free Gs --------------------------------------------------------------------------------

@jit
def gfput(S, L, p, g):
    """gfput: put a dead G on p's free list; at 64, move Gs to the global list until fewer
    than 32 stay -- 31 (``for pp.gFree.size >= 32 { ... }``; sched.gFree.lock: here
    sched.lock)."""
    b = px(S, p)
    S[gx(S, g) + G_schedlink] = S[b + P_gfree]
    S[b + P_gfree] = g
    S[b + P_gfreecnt] += 1
    if S[b + P_gfreecnt] >= GFREE_MAX:
        schedlock(S, L)
        while S[b + P_gfreecnt] >= GFREE_KEEP:
            x = S[b + P_gfree]
            S[b + P_gfree] = S[gx(S, x) + G_schedlink]
            S[b + P_gfreecnt] -= 1
            S[gx(S, x) + G_schedlink] = S[S_gfree]
            S[S_gfree] = x
            S[S_ngfree] += 1
        schedunlock(S, L)


@jit
def gfget(S, L, p):
    """gfget: a dead G from p's free list (refilled up to 32 from the global list), or NIL."""
    b = px(S, p)
    if S[b + P_gfree] == NIL and S[S_gfree] != NIL:
        schedlock(S, L)
        while S[b + P_gfreecnt] < GFREE_KEEP and S[S_gfree] != NIL:
            x = S[S_gfree]
            S[S_gfree] = S[gx(S, x) + G_schedlink]
            S[S_ngfree] -= 1
            S[gx(S, x) + G_schedlink] = S[b + P_gfree]
            S[b + P_gfree] = x
            S[b + P_gfreecnt] += 1
        schedunlock(S, L)
    g = S[b + P_gfree]
    if g == NIL:
        return NIL
    S[b + P_gfree] = S[gx(S, g) + G_schedlink]
    S[b + P_gfreecnt] -= 1
    S[gx(S, g) + G_schedlink] = NIL
    return g
