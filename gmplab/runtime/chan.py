"""Channels (chan.go): a send or receive either completes at once, hands off to a waiting
partner (goready: the partner runs next on this P, in runnext), or parks the G (gopark).

Channel rows in ``C`` hold the capacity, the buffered count and the two wait queues (sudog
queues in Go; here Gs linked through ``g.schedlink``, free while a G waits). Values are not
modelled: only who waits, who wakes and when.
"""
from ._jit import jit
from .base import emit, gx, mx
from .layout import *  # noqa: F401,F403
from .lock import chanlock, chanunlock
from .proc import goready, park_m, schedule


@jit
def _enqueue(S, C, c, g, fhead, ftail):
    S[gx(S, g) + G_schedlink] = NIL
    t = C[c * NCF + ftail]
    if t == NIL:
        C[c * NCF + fhead] = g
    else:
        S[gx(S, t) + G_schedlink] = g
    C[c * NCF + ftail] = g


@jit
def _dequeue(S, C, c, fhead, ftail):
    g = C[c * NCF + fhead]
    if g == NIL:
        return NIL
    nx = S[gx(S, g) + G_schedlink]
    C[c * NCF + fhead] = nx
    if nx == NIL:
        C[c * NCF + ftail] = NIL
    S[gx(S, g) + G_schedlink] = NIL
    return g


@jit
def chanpark(S, C, L, m, g, c, fhead, ftail, reason):
    """gopark(chanparkcommit): wait in one of the channel's queues; the channel is unlocked
    once g is _Gwaiting (gopark's unlockf), then this M schedules."""
    S[gx(S, g) + G_waiton] = c
    _enqueue(S, C, c, g, fhead, ftail)
    park_m(S, L, m, g, reason)
    chanunlock(S, C, c)
    schedule(S, L, m, 0)


@jit
def chansend(S, C, L, m, g, c):
    """chansend: hand the value to a waiting receiver (goready), or buffer it, or park in
    sendq. Returns True when g keeps running."""
    chanlock(S, C, c)
    r = _dequeue(S, C, c, C_recvqhead, C_recvqtail)
    L[X_cost] += S[K_chan]
    if r != NIL:
        emit(S, L, F_chansend, W_DIRECT, g, S[mx(S, m) + M_p], c, goid_of(S, r))
        goready(S, L, m, r)
        chanunlock(S, C, c)
        return True
    if C[c * NCF + C_qcount] < C[c * NCF + C_cap]:
        C[c * NCF + C_qcount] += 1
        emit(S, L, F_chansend, W_BUFFER, g, S[mx(S, m) + M_p], c, C[c * NCF + C_qcount])
        chanunlock(S, C, c)
        return True
    chanpark(S, C, L, m, g, c, C_sendqhead, C_sendqtail, WR_CHANSEND)
    return False


@jit
def chanrecv(S, C, L, m, g, c):
    """chanrecv: take a buffered value (and let a waiting sender refill the buffer), or take
    the value straight from a waiting sender, or park in recvq. Returns True when g keeps
    running."""
    L[X_cost] += S[K_chan]
    chanlock(S, C, c)
    if C[c * NCF + C_qcount] > 0:
        C[c * NCF + C_qcount] -= 1
        s = _dequeue(S, C, c, C_sendqhead, C_sendqtail)
        emit(S, L, F_chanrecv, W_BUFFER, g, S[mx(S, m) + M_p], c, goid_of(S, s))
        if s != NIL:
            C[c * NCF + C_qcount] += 1
            goready(S, L, m, s)
        chanunlock(S, C, c)
        return True
    s = _dequeue(S, C, c, C_sendqhead, C_sendqtail)
    if s != NIL:
        emit(S, L, F_chanrecv, W_DIRECT, g, S[mx(S, m) + M_p], c, goid_of(S, s))
        goready(S, L, m, s)
        chanunlock(S, C, c)
        return True
    chanpark(S, C, L, m, g, c, C_recvqhead, C_recvqtail, WR_CHANRECV)
    return False


@jit
def goid_of(S, g):
    if g == NIL:
        return NIL
    return S[gx(S, g) + G_goid]
