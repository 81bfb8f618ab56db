"""Who ran where, when: intervals rebuilt from the event log (no matplotlib needed).

A G starts running on a P at ``execute`` (or when ``exitsyscall`` gives it a P back) and stops
at ``gopark``, ``goexit0``, ``entersyscall``/``entersyscallblock``, ``goschedImpl`` or
``gopreempt_m``. An M is in a system call from ``entersyscall``/``entersyscallblock`` until
``exitsyscall``/``exitsyscall0``. Used by gmplab.viz.timeline() and gmplab.export.perfetto.
"""
from typing import NamedTuple

from ..runtime import layout as _l

# Event names that end the running G's stay on its P, and how the slice ends.
STOP = {"gopark", "goexit0", "entersyscall", "entersyscallblock", "goschedImpl", "gopreempt_m"}
# Decisions worth a marker or an instant event.
DECISIONS = ("retake", "handoffp", "startm", "runqsteal", "preemptone", "wakep", "stopm",
             "newm", "globrunqget", "runqputslow", "procresize", "startlockedm",
             "stoplockedm", "injectglist", "netpoll", "exitsyscall0", "mexit")


class Run(NamedTuple):
    """G ``g`` ran on P ``p`` (with M ``m``) from t0 to t1 (ns). ``start``/``end``: the Go
    functions that began and ended the slice (``end`` is "" while it still runs)."""
    g: int
    m: int
    p: int
    t0: int
    t1: int
    start: str
    end: str


class Syscall(NamedTuple):
    """M ``m`` was blocked in a system call for G ``g`` from t0 to t1; ``p`` is the P it left
    in _Psyscall (or handed off at once, ``block``); ``end`` "" while still in it."""
    g: int
    m: int
    p: int
    t0: int
    t1: int
    block: bool
    end: str


def slices(events, now):
    """(runs, syscalls) from an event sequence (``rt.events``), open ones closed at ``now``."""
    runs, sys_ = [], []
    on_p = {}       # p -> [g, m, t0, start]
    where = {}      # g -> p
    in_sys = {}     # m -> [g, p, t0, block]

    def close_p(p, t, end):
        cur = on_p.pop(p, None)
        if cur is None:
            return
        g, m, t0, start = cur
        if where.get(g) == p:
            del where[g]
        runs.append(Run(g, m, p, t0, t, start, end))

    def open_p(p, g, m, t, start):
        if p < 0:
            return
        close_p(p, t, "")
        old = where.get(g)
        if old is not None and old != p:
            close_p(old, t, "")
        on_p[p] = [g, m, t, start]
        where[g] = p

    def close_sys(m, t, end):
        cur = in_sys.pop(m, None)
        if cur is not None:
            g, p, t0, block = cur
            sys_.append(Syscall(g, m, p, t0, t, block, end))

    for e in events:
        fn = e.fn
        if fn == "execute":
            open_p(e.p, e.g, e.m, e.t, "execute")
        elif fn in STOP:
            p = where.get(e.g, e.p)
            if p is not None and p >= 0 and p in on_p and on_p[p][0] == e.g:
                close_p(p, e.t, fn)
            if fn in ("entersyscall", "entersyscallblock"):
                close_sys(e.m, e.t, "")
                in_sys[e.m] = [e.g, e.p, e.t, fn == "entersyscallblock"]
        elif fn == "exitsyscall":
            close_sys(e.m, e.t, "exitsyscall")
            open_p(e.p, e.g, e.m, e.t, "exitsyscall")
        elif fn == "exitsyscall0":
            close_sys(e.m, e.t, "exitsyscall0")
        elif fn == "procresize" and e.why == _l.W_DESTROY:
            close_p(e.p, e.t, "procresize")
        elif fn == "mexit":
            close_sys(e.a, e.t, "mexit")
    for p in list(on_p):
        close_p(p, now, "")
    for m in list(in_sys):
        close_sys(m, now, "")
    runs.sort(key=lambda r: (r.t0, r.p))
    sys_.sort(key=lambda s: (s.t0, s.m))
    return runs, sys_


class Handoff(NamedTuple):
    """A P handed to another M: ``cause`` (a retake, entersyscallblock or stoplockedm event,
    or None), ``handoffp``, ``startm`` (None if handoffp put the P on the idle list) and
    ``pickup``: the first event of the started M (None if it has not run yet)."""
    cause: object
    handoffp: object
    startm: object
    pickup: object


def handoffs(events):
    """Every handoffp in the log, linked to what caused it, the startm it made, and the
    first move of the M that picks up the P."""
    ev = list(events)
    out = []
    for i, e in enumerate(ev):
        if e.fn != "handoffp":
            continue
        cause = None
        for j in range(i - 1, max(i - 4, -1), -1):
            c = ev[j]
            if c.t != e.t:
                break
            if c.fn in ("retake", "entersyscallblock", "stoplockedm", "mexit") and c.p == e.p:
                cause = c
                break
        start = pickup = None
        for j in range(i + 1, min(i + 4, len(ev))):
            c = ev[j]
            if c.fn == "startm" and c.p == e.p and c.why != _l.W_NOIDLEP:
                start = c
                break
            if c.t != e.t:
                break
        if start is not None:
            m = start.a
            for c in ev[j + 1:j + 5000]:
                if c.m == m and c.fn != "newm":
                    pickup = c
                    break
        out.append(Handoff(cause, e, start, pickup))
    return out
