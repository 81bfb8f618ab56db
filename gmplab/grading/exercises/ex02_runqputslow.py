"""Exercise 02: runqputslow(pp, gp, h, t) — the 128 + 1 spill to the global queue, in order."""
from .. import scenarios as sc
from .common import GOID0, L, Hint, add, harness, runs, scenario
from ..plugs import global_list

EX = "02_runqputslow"


def _spill(w, start, gets=0):
    p, g = 1, w.gs
    w.empty(p, start)
    for k in range(256 + gets):
        w.put(p, g[k])
    for _ in range(gets):
        w.get(p)
    w.step(f"runqhead={int(w.S[int(w.S[L.H_poff]) + p * L.NPF + L.P_runqhead])}: "
           f"{len(w.ring(p))} Gs on P1's ring, sched.runq holds {int(w.S[L.S_runqsize])}")
    w.put(p, g[256 + gets])
    w.step(f"put G{GOID0 + 256 + gets}: sched.runq = "
           f"{runs([w.goid(x) for x in global_list(w.S)])}, "
           f"P1 keeps {runs([w.goid(x) for x in w.ring(p)])}")
    w.put(p, g[257 + gets])
    got = w.drain(p)
    w.step(f"then runqget gives {runs(got)}")


def spill(w):
    """The 257th G on a full ring: runq[h..h+127] and gp, in order, go to the global queue."""
    _spill(w, 0)


def spill_offset(w):
    """The same with runqhead at 100 (the ring's first half does not start at slot 0)."""
    _spill(w, 0, gets=100)


def spill_wrap(w):
    """The same across the uint32 wrap: runqhead near 2**32."""
    _spill(w, (1 << 32) - 60)


def two_spills(w):
    """Two spills in a row (384 Gs put on one P): the global queue keeps both batches in order."""
    p, g = 1, w.gs
    w.empty(p)
    for k in range(386):
        w.put(p, g[k])
    w.step(f"386 puts: sched.runq = {runs([w.goid(x) for x in global_list(w.S)])}, "
           f"P1 keeps {runs([w.goid(x) for x in w.ring(p)])}")


PLUS1 = Hint("the batch is half the ring (128 Gs, from runq[h]) plus gp: 129 Gs, and gp goes "
             "last (batch[n] = gp)",
             lambda d: (d.expected("runqputslow") and d.got("runqputslow")
                        and d.got_event.a == d.expected_event.a - 1)
             or d.expected_said("G1256]") or "G1256]" in str(d.step()[0])
             and "G1256]" not in str(d.step()[1]))
ORDER = Hint("keep the order: batch[i] = pp.runq[(h+i) % len(pp.runq)] for i in 0..n-1, then "
             "gp; globrunqputbatch appends the batch to the global queue as it is",
             lambda d: d.got_step("sched.runq = [G") or d.said("batch=["))
HALF = Hint("n = (t - h) / 2: half of the full ring, 128 Gs, moves (Go: n := t - h; n = n / 2)",
            lambda d: d.raised("PluginError", "at most") or d.got_step("P1 keeps []"))
HEAD = Hint("move pp.runqhead past the Gs you took (pp.runqhead = h + n): Go's CAS on runqhead "
            "is what removes them from the ring",
            lambda d: d.raised("PluginError", "twice") or d.raised("PluginError", "in the batch"))
RET = Hint("runqputslow returns True once the batch is on the global queue "
           "(globrunqputbatch(batch))", lambda d: d.raised("PluginError", "returned"))
DEFAULT = Hint("runqputslow: n = (t-h)/2; batch = runq[h..h+n-1] + [gp]; pp.runqhead = h + n; "
               "globrunqputbatch(batch); return True")
FIRST = Hint("runqputslow takes the first half, from the head: runq[h..h+n-1], and moves "
             "runqhead (only the owner's puts move runqtail)",
             lambda d: d.raised("PluginError", "runqtail"))
HINTS = [RET, FIRST, HEAD, HALF, PLUS1, ORDER, DEFAULT]

add(EX, 1, ["runqputslow"], 2, "A full ring spills to the global queue (bare Ps)",
    [harness("the 257th G on a full ring: 128 + 1 to the global queue", spill),
     harness("runqhead at 100: the half starts in the middle of the ring", spill_offset),
     harness("runqhead near 2**32: the half wraps past slot 255 and past 2**32", spill_wrap),
     harness("two spills in a row keep the global queue in order", two_spills)],
    HINTS)

add(EX, 2, ["runqputslow"], 3, "Your runqputslow inside the runtime",
    [scenario("258 Gs started on one P", sc.burst, n=258),
     scenario("600 Gs started on one P: several spills, then the 1-in-61 check", sc.burst, n=600),
     scenario("main starts 1000 Gs in a loop on 2 Ps", sc.spawn, n=1000, nprocs=2)],
    HINTS)
