"""Where each G came from: for every ``execute`` in the event log, the source findRunnable (or
schedule) took the G from — runnext, the local ring, the global queue (the 1-in-61 fairness
look or a batch), another P (stealing), the netpoller, a timer, the M's locked G. Plain data, no
matplotlib; lesson 05_schedule teaches it and
``gmplab.viz.sources(rt)`` draws it, decision by decision.

    from gmplab.viz.gsources import origins
    for o in origins(rt.events):
        print(o.k, o.t, f"G{o.g}", f"P{o.p}", o.source)
"""
from typing import NamedTuple


from ..runtime import layout as _l

# source → what it is, naming the Go function that decided (the figure's legend)
SOURCES = {
    "runnext": "runqget: runnext (inherits the time slice)",
    "ring": "runqget: head of the local ring",
    "global-61": "globrunqget: schedtick%61==0, one G",
    "global-batch": "globrunqgetbatch: local queue empty",
    "steal": "runqsteal: half of another P's ring",
    "steal-runnext": "runqsteal: another P's runnext",
    "netpoll": "netpoll: its network read is ready",
    "timer": "checkTimers: a timer readied it",
    "locked": "stoplockedm: the M's locked G",
    "other": "other",
}


class Origin(NamedTuple):
    """The k-th ``execute`` of the log (k from 0): G ``g`` on P ``p`` / M ``m`` at ``t``, taken
    from ``source`` (a key of SOURCES) by Go function ``fn``; ``inherit``: it kept the time
    slice (schedtick not incremented)."""
    k: int
    t: int
    g: int
    p: int
    m: int
    source: str
    fn: str
    inherit: bool


def _source(e):
    fn, w = e.fn, e.why
    if fn == "runqget":
        return {_l.W_RUNNEXT: "runnext", _l.W_TIMER: "timer"}.get(w, "ring")
    if fn == "globrunqget":
        return "global-61" if w == _l.W_FAIR else "global-batch"
    if fn == "runqsteal":
        return "steal-runnext" if w == _l.W_RUNNEXTSTEAL else "steal"
    if fn == "netpoll":
        return "netpoll"
    if fn == "stoplockedm":
        return "locked"
    return None


def origins(events):
    """One Origin per ``execute``, in log order."""
    ev = list(events)
    out = []
    for i, e in enumerate(ev):
        if e.fn != "execute":
            continue
        src, fn = "other", ""
        for j in range(i - 1, max(i - 16, -1), -1):
            c = ev[j]
            if c.t != e.t:
                break
            s = _source(c)
            if s is not None and (c.g == e.g or (s == "locked" and c.m == e.m)):
                src, fn = s, c.fn
                break
        out.append(Origin(len(out), e.t, e.g, e.p, e.m, src, fn, e.why == _l.W_INHERIT))
    return out
