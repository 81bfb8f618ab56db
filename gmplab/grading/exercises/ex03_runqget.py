"""Exercise 03: runqget(pp) (gp, inheritTime) — runnext first, inheritTime, the ring's head."""
import re

from .. import scenarios as sc
from ...ops import work
from .common import L, Hint, add, harness, scenario
from .ex01_runqput import local_queue_test, wrap

EX = "03_runqget"


def runnext_first(w):
    """runnext before the ring; a G from runnext inherits the time slice (inheritTime)."""
    p, g = 1, w.gs
    w.empty(p)
    for k, nxt in ((0, False), (1, True), (2, False), (3, True)):
        w.put(p, g[k], nxt)
    w.step(f"queue: {w.q(p)}")
    for _ in range(5):
        x, inh = w.get(p)
        w.step(f"runqget → ({'nil' if x == L.NIL else f'G{w.goid(x)}'}, {inh}); now {w.q(p)}")


def two_gs(run):
    return sc.program(run, [(work("10us"),), (work("10us"),)])


_GOT = re.compile(r"\((G\d+|nil), (True|False)\)")


def _pair(text):
    """(gp, inheritTime) as a runqget call or step shows it, e.g. ("G5", "True")."""
    m = _GOT.search(str(text or ""))
    return m.groups() if m else (None, None)


def _pairs(d):
    if d.expected_call is not None and d.got_call is not None:
        return _pair(d.expected_call[2]), _pair(d.got_call[2])
    if d.expected_result is not None:
        e, g = d.step()
        return _pair(e), _pair(g)
    return (None, None), (None, None)


def _runnext_skipped(d):
    (eg, ef), (gg, gf) = _pairs(d)
    if ef == "True" and gg != eg:
        return True
    return d.expected("runqget", L.W_RUNNEXT) and d.got("runqget", L.W_LOCAL)


def _inherit_wrong(d):
    (eg, ef), (gg, gf) = _pairs(d)
    if eg is not None and eg == gg and ef != gf:
        return True
    return (d.expected("execute") and d.got("execute") and d.expected_event.g == d.got_event.g
            and d.expected_event.why != d.got_event.why)


def _ring_order(d):
    (eg, ef), (gg, gf) = _pairs(d)
    return ef == "False" and gg not in (eg, None)


RUNNEXT = Hint("runnext first: if pp.runnext holds a G, take it (pp.runnext = None) and return "
               "it before looking at the ring", _runnext_skipped)
INHERIT = Hint("inheritTime: a G taken from runnext returns (gp, True) — it shares the current "
               "time slice, schedtick is not incremented; one from the ring returns (gp, False)",
               _inherit_wrong)
TWICE = Hint("take the G off the queue: pp.runnext = None for runnext, pp.runqhead = h + 1 for "
             "the ring (else it would run twice)",
             lambda d: d.raised("PluginError", "twice"))
FIFO = Hint("the ring is first-in first-out: take pp.runq[h % len(pp.runq)] and advance "
            "runqhead (not the tail)",
            lambda d: d.raised("PluginError", "not on") or _ring_order(d)
            or d.raised("PluginError", "runqtail"))
DEFAULT = Hint("runqget: runnext (→ inheritTime True), else the ring's head (→ False), else "
               "(None, False)")
HINTS = [TWICE, RUNNEXT, INHERIT, FIFO, DEFAULT]

add(EX, 1, ["runqget"], 2, "Go's own run-queue tests on a bare P",
    [harness("RunSchedLocalQueueTest: i puts, then i gets (i up to 255)", local_queue_test),
     harness("runnext first, with inheritTime", runnext_first),
     harness("runqhead/runqtail wrap at 2**32 (uint32)", wrap)],
    HINTS)

add(EX, 2, ["runqget"], 3, "Your runqget inside the runtime",
    [scenario("two Gs on one P: G3 (runnext) inherits main's time slice", two_gs),
     scenario("a channel ping-pong on one P: runnext chains share a slice", sc.pingpong),
     scenario("main starts 300 Gs one after another on one P", sc.spawn, n=300),
     scenario("work, syscalls, timers and channels on 2 Ps", sc.mixed)],
    HINTS)
