"""A goroutine's life from the event log: its status changes (runtime2.go's _G states), each with
the Go function that made it. No matplotlib needed; ``gmplab.viz.glife`` (in glifefig) draws it and lesson
03_g_life teaches it.

    from gmplab.viz.gstates import transitions, stays
    for t in transitions(rt.events, goid=2):
        print(t.t, t.old, "→", t.new, t.fn)

The log names the decision, not the status, so the status each one leaves the G in is read
from proc.go (``TRANSITIONS``). Two moves are not logged one by one: a G that ``netpoll``
returned with others (``injectglist`` makes each of them runnable) and a G that the runtime
itself readies; when such a G next runs, its _Gwaiting → _Grunnable is placed at that
``execute``, named ``injectglist``.
"""
from typing import NamedTuple

from ..runtime import layout as _l

# fn → (the status it leaves, the status it sets), as proc.go does it (casgstatus calls).
TRANSITIONS = {
    "newproc": ("_Gdead", "_Grunnable"),          # newproc1: gfget or malg, then _Gdead → _Grunnable
    "execute": ("_Grunnable", "_Grunning"),
    "entersyscall": ("_Grunning", "_Gsyscall"),
    "entersyscallblock": ("_Grunning", "_Gsyscall"),
    "exitsyscall": ("_Gsyscall", "_Grunning"),    # fast path: old P, or an idle P
    "exitsyscall0": ("_Gsyscall", "_Grunnable"),  # slow path: to the global queue
    "gopark": ("_Grunning", "_Gwaiting"),         # park_m
    "goready": ("_Gwaiting", "_Grunnable"),       # ready()
    "netpoll": ("_Gwaiting", "_Grunnable"),       # the first G netpoll returned
    "goschedImpl": ("_Grunning", "_Grunnable"),
    "gopreempt_m": ("_Grunning", "_Grunnable"),
    "goexit0": ("_Grunning", "_Gdead"),           # gdestroy, then gfput
}


class Transition(NamedTuple):
    """G ``g`` changed from status ``old`` to ``new`` at time ``t`` (ns), in Go function
    ``fn``, on P ``p`` / M ``m`` (-1: none)."""
    t: int
    g: int
    old: str
    new: str
    fn: str
    p: int
    m: int


class Stay(NamedTuple):
    """G ``g`` was in status ``state`` from t0 to t1 (ns); ``enter``/``leave``: the Go
    functions of the transitions at either end (``leave`` "" while it lasts)."""
    g: int
    state: str
    t0: int
    t1: int
    enter: str
    leave: str


def _g_of(e):
    if e.fn == "netpoll" and e.why not in (_l.W_POLL, _l.W_NETPOLL):
        return -1
    return e.g


def transitions(events, goid=None):
    """Every status change in the log (of one G if ``goid`` is given), in order. A change the
    log shows from a status the G is not in raises RuntimeError (the log and proc.go disagree)."""
    out = []
    cur = {}
    for e in events:
        if e.fn not in TRANSITIONS:
            continue
        g = _g_of(e)
        if g < 0 or (goid is not None and g != goid):
            continue
        old, new = TRANSITIONS[e.fn]
        have = cur.get(g, "_Gdead")
        if have != old:
            if e.fn == "execute" and have == "_Gwaiting":
                # readied without its own event (injectglist): make that step visible
                out.append(Transition(e.t, g, have, "_Grunnable", "injectglist", e.p, e.m))
            else:
                raise RuntimeError(f"G{g} at t={e.t}: {e.fn} takes a G from {old}, "
                                   f"but the log left it in {have}")
        out.append(Transition(e.t, g, old, new, e.fn, e.p, e.m))
        cur[g] = new
    return out


def stays(events, now, goid=None):
    """The intervals each G spent in each status, from its newproc to ``now``; a G's last
    stay is open (``leave`` "") unless it is _Gdead, which ends the G's life (its g struct
    goes to the free list and comes back, with a new goid, from gfget)."""
    out = []
    open_ = {}
    for tr in transitions(events, goid):
        prev = open_.pop(tr.g, None)
        if prev is not None:
            g, state, t0, enter = prev
            out.append(Stay(g, state, t0, tr.t, enter, tr.fn))
        if tr.new != "_Gdead":
            open_[tr.g] = (tr.g, tr.new, tr.t, tr.fn)
    for g, state, t0, enter in open_.values():
        out.append(Stay(g, state, t0, now, enter, ""))
    out.sort(key=lambda s: (s.g, s.t0))
    return out


def counts(events):
    """How often each (old, new, fn) transition happened: {(old, new, fn): n}."""
    c = {}
    for tr in transitions(events):
        k = (tr.old, tr.new, tr.fn)
        c[k] = c.get(k, 0) + 1
    return c
