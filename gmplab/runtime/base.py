"""Row addressing, the event log, the two event heaps and fastrand.

Every kernel takes the flat state ``S`` (see :mod:`gmplab.runtime.layout`) and, when it logs,
the log ``L``. The acting M is ``L[X_curm]`` and the chain's accumulated overhead ``L[X_cost]``.
"""
from ._jit import jit, jit_inline
from .atomics import futex_wake, nanotime, store_release
from .layout import *  # noqa: F401,F403


@jit_inline
def gx(S, g):
    """Index of G slot ``g``'s row in ``S``."""
    return S[H_goff] + g * NGF


@jit_inline
def px(S, p):
    """Index of P ``p``'s row in ``S``."""
    return S[H_poff] + p * NPF


@jit_inline
def mx(S, m):
    """Index of M ``m``'s row in ``S``."""
    return S[H_moff] + m * NMF


@jit_inline
def rqx(S, p, i):
    """Index of slot ``i % 256`` of P ``p``'s run queue ring (``p.runq[i%len(p.runq)]``)."""
    return S[H_rqoff] + p * RUNQSIZE + (i & (RUNQSIZE - 1))


@jit
def goid(S, g):
    if g < 0:
        return -1
    return S[gx(S, g) + G_goid]


@jit
def enter(S, L, m):
    """Start a chain of decisions by M ``m`` (NIL: from outside the scheduler) at the virtual
    clock's current time (the parallel driver: the monotonic clock's), with nothing spent yet."""
    L[X_curm] = m
    L[X_cost] = 0
    if S[H_parallel] != 0:
        L[X_now] = nanotime() - S[H_t0]
    else:
        L[X_now] = S[H_now]


@jit
def emit(S, L, fn, why, g, p, a, b):
    """Append one decision to the acting thread's log: (t, fn, why, goid, m, p, a, b)."""
    L[X_nevents] += 1
    if L[X_logon] == 0 or ((L[X_logmask] >> fn) & 1) == 0:
        return
    n = L[X_logn]
    if n >= L[X_logcap]:
        L[X_logdrop] += 1
        return
    i = XHEADER + n * LOGW
    L[i + L_t] = L[X_now]
    L[i + L_fn] = fn
    L[i + L_why] = why
    L[i + L_g] = goid(S, g)
    L[i + L_m] = L[X_curm]
    L[i + L_p] = p
    L[i + L_a] = a
    L[i + L_b] = b
    L[X_logn] = n + 1


@jit
def throw(S, L, where, a):
    """Go's throw(): an impossible state. Stops the runtime with ST_BADSTATE."""
    emit(S, L, F_throw, where, -1, -1, a, 0)
    S[H_status] = ST_BADSTATE
    S[S_fatalarg] = where


@jit
def cut_work(S, L, m, g, delay):
    """Stop G g's work op in progress on M m ``delay`` ns from now (async preemption's safe
    point): the rest is kept in g.workleft and the op resumes when g runs again. Returns
    False if g is not in the middle of a work op."""
    gb = gx(S, g)
    rest = S[mx(S, m) + M_when] - L[X_now] - delay
    if S[gb + G_inop] == 0 or S[gb + G_workleft] <= 0 or rest <= 0:
        return False
    if rest < S[gb + G_workleft]:
        S[gb + G_workleft] = rest
    S[gb + G_inop] = 0
    return True


@jit
def fastrand(S, m):
    """Per-M pseudo-random numbers (Go's cheaprand; here xorshift32, seeded per M)."""
    i = mx(S, m) + M_rand
    x = S[i]
    x ^= (x << 13) & 0xFFFFFFFF
    x ^= x >> 17
    x ^= (x << 5) & 0xFFFFFFFF
    S[i] = x
    return x


# --- Indexed binary heaps ------------------------------------------------------------------
# Three heaps share one implementation: the M heap (when each M's pending action happens; sysmon
# is an M too), the timer heap (when a sleeping G's timer fires) and the netpoll heap (when the
# data of a G's pending network read arrives: the kernel's knowledge, which only netpoll reports
# to the scheduler, never timeSleepUntil or pollUntil). An entry is a row id; its key (when,
# seq) and heap position live in the row itself. A G is on at most one of the timer and netpoll
# heaps, so they share one array of gcap slots: the timer heap grows from its start (slot i at
# hoff + i, d = 1), the netpoll heap from its end (slot i at hoff - i, d = -1).

@jit
def _hkey_less(S, rowoff, w, fw, fs, a, b):
    ia = rowoff + a * w
    ib = rowoff + b * w
    if S[ia + fw] != S[ib + fw]:
        return S[ia + fw] < S[ib + fw]
    return S[ia + fs] < S[ib + fs]


@jit
def _hswap(S, hoff, d, rowoff, w, fp, i, j):
    a = S[hoff + d * i]
    b = S[hoff + d * j]
    S[hoff + d * i] = b
    S[hoff + d * j] = a
    S[rowoff + b * w + fp] = i
    S[rowoff + a * w + fp] = j


@jit
def _hsift(S, hoff, d, n, rowoff, w, fw, fs, fp, i):
    while i > 0:
        parent = (i - 1) // 2
        if _hkey_less(S, rowoff, w, fw, fs, S[hoff + d * i], S[hoff + d * parent]):
            _hswap(S, hoff, d, rowoff, w, fp, i, parent)
            i = parent
        else:
            break
    while True:
        left = 2 * i + 1
        if left >= n:
            break
        c = left
        if left + 1 < n and _hkey_less(S, rowoff, w, fw, fs, S[hoff + d * (left + 1)],
                                       S[hoff + d * left]):
            c = left + 1
        if _hkey_less(S, rowoff, w, fw, fs, S[hoff + d * c], S[hoff + d * i]):
            _hswap(S, hoff, d, rowoff, w, fp, i, c)
            i = c
        else:
            break


@jit
def _hset(S, hoff, d, hnf, rof, w, fw, fs, fp, row, when):
    """Insert ``row`` with key ``when`` or move it if already queued."""
    rowoff = S[rof]
    r = rowoff + row * w
    S[r + fw] = when
    S[r + fs] = S[H_seq]
    S[H_seq] += 1
    i = S[r + fp]
    if i < 0:
        i = S[hnf]
        S[hoff + d * i] = row
        S[r + fp] = i
        S[hnf] = i + 1
    _hsift(S, hoff, d, S[hnf], rowoff, w, fw, fs, fp, i)


@jit
def _hdel(S, hoff, d, hnf, rof, w, fp, fw, fs, row):
    """Remove ``row`` from its heap if it is there."""
    rowoff = S[rof]
    i = S[rowoff + row * w + fp]
    if i < 0:
        return
    last = S[hnf] - 1
    if i != last:
        _hswap(S, hoff, d, rowoff, w, fp, i, last)
    S[hnf] = last
    S[rowoff + row * w + fp] = -1
    if i != last:
        _hsift(S, hoff, d, last, rowoff, w, fw, fs, fp, i)


@jit
def mwake(S, L, m, when):
    """Schedule M ``m``'s next action at ``when`` (replacing any pending one). On real threads
    there is no event heap: the acting M's own next action needs no signal (its thread goes on
    when the chain returns), and another M is woken from its note (notewakeup: m.park = 1 and a
    futex wake), ``when`` being its deadline (a syscall's end, sysmon's or netpoll's timeout)."""
    if S[H_parallel] != 0:
        b = mx(S, m)
        S[b + M_when] = when
        if m != L[X_curm]:
            store_release(S, b + M_park, 1)
            futex_wake(S, b + M_park, 1)
        return
    _hset(S, S[H_ehoff], 1, H_ehn, H_moff, NMF, M_when, M_seq, M_hpos, m, when)


@jit
def mcancel(S, m):
    if S[H_parallel] != 0:
        S[mx(S, m) + M_when] = NIL
        return
    _hdel(S, S[H_ehoff], 1, H_ehn, H_moff, NMF, M_hpos, M_when, M_seq, m)


@jit
def tadd(S, g, when):
    """Queue G ``g``'s timer at ``when``."""
    _hset(S, S[H_toff], 1, H_tn, H_goff, NGF, G_when, G_tseq, G_hpos, g, when)


@jit
def tdel(S, g):
    _hdel(S, S[H_toff], 1, H_tn, H_goff, NGF, G_hpos, G_when, G_tseq, g)


@jit_inline
def _noff(S):
    """Where the netpoll heap starts: the last slot of the shared timer/netpoll array."""
    return S[H_toff] + S[H_gcap] - 1


@jit
def nadd(S, g, when):
    """The kernel will have G ``g``'s network read ready at ``when`` (epoll learns it then)."""
    _hset(S, _noff(S), -1, H_nn, H_goff, NGF, G_when, G_tseq, G_hpos, g, when)


@jit
def ndel(S, g):
    _hdel(S, _noff(S), -1, H_nn, H_goff, NGF, G_hpos, G_when, G_tseq, g)


@jit
def mtop(S):
    """The M whose action comes first, or NIL."""
    if S[H_ehn] == 0:
        return NIL
    return S[S[H_ehoff]]


@jit
def ttop(S):
    """The G whose timer fires first, or NIL (timers only: never a network read)."""
    if S[H_tn] == 0:
        return NIL
    return S[S[H_toff]]


@jit
def ntop(S):
    """The G whose network read becomes ready first, or NIL."""
    if S[H_nn] == 0:
        return NIL
    return S[_noff(S)]


@jit
def wtop(S):
    """The G whose wait ends first, a timer or a network read (ttop or ntop; ties: the one
    queued first), or NIL."""
    g = ttop(S)
    r = ntop(S)
    if r != NIL and (g == NIL or _hkey_less(S, S[H_goff], NGF, G_when, G_tseq, r, g)):
        g = r
    return g
