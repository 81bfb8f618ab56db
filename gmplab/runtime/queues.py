"""Run queues, idle lists and free lists (proc.go: runqput ... gfget).

The local run queue is the 256-slot ring ``p.runq`` with ``runqhead``/``runqtail`` and the
``runnext`` slot; the global queue ``sched.runq``, the idle lists ``sched.pidle``/``sched.midle``
and the free lists are intrusive linked lists through ``g.schedlink``, ``p.link`` and
``m.schedlink``, as in Go. On the virtual clock one M acts at a time, so the lock-free protocol
of proc.go (load-acquire / CAS on ``runqhead``) reduces to plain loads and stores here.
"""
from ._jit import jit
from .base import emit, goid, gx, mx, px, rqx, throw
from .layout import *  # noqa: F401,F403


@jit
def runqempty(S, p):
    """runqempty: no G in p's ring and none in runnext."""
    b = px(S, p)
    return S[b + P_runqhead] == S[b + P_runqtail] and S[b + P_runnext] == NIL


@jit
def runqlen(S, p):
    b = px(S, p)
    return S[b + P_runqtail] - S[b + P_runqhead]


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
def runqputslow(S, L, p, g, h, t):
    """runqputslow: the ring is full; move half of it (128) plus g to the global queue."""
    n = (t - h) // 2
    if n != RUNQSIZE // 2:
        throw(S, L, F_runqputslow, n)
        return
    for i in range(n):
        globrunqput(S, S[rqx(S, p, h + i)])
    S[px(S, p) + P_runqhead] = h + n
    globrunqput(S, g)
    emit(S, L, F_runqputslow, W_NONE, g, p, n + 1, S[S_runqsize])


@jit
def runqput(S, L, p, g, nxt, quiet):
    """runqput: put g on p's local queue. With ``nxt``, g goes to runnext and the G that was
    there is kicked to the tail of the ring. A full ring spills half to the global queue.
    Executed only by the owner P."""
    b = px(S, p)
    kicked = False
    if nxt:
        old = S[b + P_runnext]
        S[b + P_runnext] = g
        if not quiet:
            emit(S, L, F_runqput, W_RUNNEXT, g, p, goid(S, old), 0)
        if old == NIL:
            return
        g = old
        kicked = True
    h = S[b + P_runqhead]
    t = S[b + P_runqtail]
    if t - h < RUNQSIZE:
        S[rqx(S, p, t)] = g
        S[b + P_runqtail] = t + 1
        if not quiet or kicked:
            emit(S, L, F_runqput, W_KICK if kicked else W_TAIL, g, p, t + 1 - h, 0)
        return
    runqputslow(S, L, p, g, h, t)


@jit
def runqget(S, p):
    """runqget: runnext first (inheritTime=true: the G shares the current time slice), then
    the ring's head (inheritTime=false). Returns (g, inheritTime); g is NIL if empty.
    Executed only by the owner P."""
    b = px(S, p)
    nx = S[b + P_runnext]
    if nx != NIL:
        S[b + P_runnext] = NIL
        return nx, True
    h = S[b + P_runqhead]
    if h == S[b + P_runqtail]:
        return NIL, False
    g = S[rqx(S, p, h)]
    S[b + P_runqhead] = h + 1
    return g, False


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
def runqgrab(S, L, p2, p, stealnext):
    """runqgrab: take half (rounded up) of p2's ring onto p's ring starting at p's tail; with
    ``stealnext`` and an empty ring, take p2's runnext (after usleep(3) if p2 is running).
    Returns (number of Gs grabbed, whether it was runnext)."""
    b2 = px(S, p2)
    h = S[b2 + P_runqhead]
    t = S[b2 + P_runqtail]
    n = t - h
    n = n - n // 2
    if n == 0:
        if stealnext:
            nx = S[b2 + P_runnext]
            if nx != NIL:
                if S[b2 + P_status] == Prunning:
                    # "Sleep to ensure that pp isn't about to run the g we are about to steal."
                    L[X_cost] += S[K_usleep3]
                S[b2 + P_runnext] = NIL
                S[rqx(S, p, S[px(S, p) + P_runqtail])] = nx
                return 1, True
        return 0, False
    tail = S[px(S, p) + P_runqtail]
    for i in range(n):
        S[rqx(S, p, tail + i)] = S[rqx(S, p2, h + i)]
    S[b2 + P_runqhead] = h + n
    return n, False


@jit
def runqsteal(S, L, p, p2, stealnext):
    """runqsteal: steal half of p2's run queue into p's; return one G to run (NIL if none).
    The thief runs the last G grabbed and keeps the rest on its ring."""
    b = px(S, p)
    t = S[b + P_runqtail]
    n, wasnext = runqgrab(S, L, p2, p, stealnext)
    if n == 0:
        return NIL
    n -= 1
    g = S[rqx(S, p, t + n)]
    S[b + P_runqtail] = t + n
    emit(S, L, F_runqsteal, W_RUNNEXTSTEAL if wasnext else W_STEAL, g, p, p2, n + 1)
    return g


# --- idle Ps and Ms -------------------------------------------------------------------------

@jit
def pidleput(S, L, p):
    """pidleput: put p on the idle P list. sched.lock must be held; p's queue must be empty."""
    if not runqempty(S, p):
        throw(S, L, F_pidleput, p)
        return
    b = px(S, p)
    S[b + P_link] = S[S_pidle]
    S[S_pidle] = p
    S[S_npidle] += 1


@jit
def pidleget(S):
    """pidleget: take a P off the idle list (LIFO), or NIL."""
    p = S[S_pidle]
    if p != NIL:
        b = px(S, p)
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
def gfput(S, p, g):
    """gfput: put a dead G on p's free list; at 64, move Gs to the global list until 32 stay."""
    b = px(S, p)
    S[gx(S, g) + G_schedlink] = S[b + P_gfree]
    S[b + P_gfree] = g
    S[b + P_gfreecnt] += 1
    if S[b + P_gfreecnt] >= GFREE_MAX:
        while S[b + P_gfreecnt] >= GFREE_KEEP:
            x = S[b + P_gfree]
            S[b + P_gfree] = S[gx(S, x) + G_schedlink]
            S[b + P_gfreecnt] -= 1
            S[gx(S, x) + G_schedlink] = S[S_gfree]
            S[S_gfree] = x
            S[S_ngfree] += 1


@jit
def gfget(S, p):
    """gfget: a dead G from p's free list (refilled up to 32 from the global list), or NIL."""
    b = px(S, p)
    if S[b + P_gfree] == NIL and S[S_gfree] != NIL:
        while S[b + P_gfreecnt] < GFREE_KEEP and S[S_gfree] != NIL:
            x = S[S_gfree]
            S[S_gfree] = S[gx(S, x) + G_schedlink]
            S[S_ngfree] -= 1
            S[gx(S, x) + G_schedlink] = S[b + P_gfree]
            S[b + P_gfree] = x
            S[b + P_gfreecnt] += 1
    g = S[b + P_gfree]
    if g == NIL:
        return NIL
    S[b + P_gfree] = S[gx(S, g) + G_schedlink]
    S[b + P_gfreecnt] -= 1
    S[gx(S, g) + G_schedlink] = NIL
    return g
