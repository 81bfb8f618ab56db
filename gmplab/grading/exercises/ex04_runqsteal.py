"""Exercise 04: runqgrab / runqsteal — half rounded up, runnext only when asked (last pass)."""
from .. import scenarios as sc
from ...ops import work
from .common import L, Hint, add, harness, runs, scenario

EX = "04_runqsteal"
#: the i of RunSchedLocalQueueStealTest tried here (Go: every i in 0..255)
STEAL_IS = sorted(set(range(0, 20)) | {63, 64, 65, 127, 128, 129, 254, 255})


def steal_test(w):
    """RunSchedLocalQueueStealTest: i Gs on P1, P2 steals (stealRunNextG=true): P2 gets i/2 or
    i/2+1 of them, and every G is seen exactly once."""
    p1, p2 = 1, 2
    for i in STEAL_IS:
        w.empty(p1)
        w.empty(p2)
        for j in range(i):
            w.put(p1, w.gs[j])
        g = w.steal(p2, p1, True)
        run = "nil" if g == L.NIL else f"G{w.goid(g)}"
        w.step(f"i={i}: runqsteal → {run}; P2 then holds {runs(w.drain(p2))}; "
               f"P1 keeps {runs(w.drain(p1))}")


def runnext_steal(w):
    """runnext is taken only with stealRunNextG and only when the ring is empty."""
    p1, p2, g = 1, 2, w.gs
    for ring_n in (0, 1, 3):
        for sn in (False, True):
            w.empty(p1)
            w.empty(p2)
            for j in range(ring_n):
                w.put(p1, g[j])
            w.put(p1, g[10], True)
            before = w.q(p1)
            x = w.steal(p2, p1, sn)
            w.step(f"P1 {before}; runqsteal(P2, P1, stealRunNextG={sn}) → "
                   f"{'nil' if x == L.NIL else f'G{w.goid(x)}'}; P1 left with {w.q(p1)}; "
                   f"P2 {w.q(p2)}")


def nine_gs(run):
    """GOMAXPROCS=2: main starts 9 Gs; P1's spinning M steals half of P0's ring."""
    return sc.program(run, [(work("100us"),)] * 9, nprocs=2, seed=1)


def _counts(d):
    import re
    pat = re.compile(r"i=(\d+): runqsteal → (\S+); P2 then holds \[([^\]]*)\]")
    e, g = d.step()
    me, mg = pat.search(str(e)), pat.search(str(g))
    if not (me and mg):
        return None
    def n(x):
        tot = 0
        for part in x.split():
            a, _, b = part.partition("–")
            tot += 1 if not b else int(b[1:]) - int(a[1:]) + 1
        return tot
    return (int(me.group(1)), n(me.group(3)) + (me.group(2) != "nil"),
            n(mg.group(3)) + (mg.group(2) != "nil"))


def _rounded_down(d):
    c = _counts(d)
    if c is not None:
        i, exp, got = c
        return got + 1 == exp and i % 2 == 1
    e, g = d.expected_event, d.got_event
    return (e is not None and g is not None and e.fn == g.fn == "runqsteal"
            and g.b + 1 == e.b)


def _runnext_when_not_asked(d):
    e, g = d.step()
    if "stealRunNextG=False" in str(e) and "→ nil" in str(e) and "→ G" in str(g):
        return True
    return d.got("runqsteal", L.W_RUNNEXTSTEAL) and not d.expected("runqsteal",
                                                                  L.W_RUNNEXTSTEAL)


def _runnext_with_ring(d):
    e, g = d.step()
    return "stealRunNextG=True" in str(e) and "runq=[G" in str(e).split(";")[0] \
        and "G1010" in str(g).split(";")[1] and "G1010" not in str(e).split(";")[1]


ROUNDUP = Hint("half rounded up: n := t - h; n = n - n/2 (with 3 Gs the thief takes 2)",
               _rounded_down)
EVERYPASS = Hint("runnext is stolen only when stealRunNextG is true — stealWork passes it on "
                 "the last of its 4 passes only", _runnext_when_not_asked)
RINGFIRST = Hint("runnext is taken only when the ring is empty (n == 0); a non-empty ring is "
                 "stolen first", _runnext_with_ring)
LAST = Hint("runqsteal runs the last G grabbed, pp.runq[(t+n-1) % len(pp.runq)], and publishes "
            "the others: pp.runqtail = t + n - 1",
            lambda d: d.raised("PluginError", "twice") or d.said("returned G")
            and d.expected_said("returned G"))
BATCH = Hint("runqgrab copies into batch[(batchHead+i) % len(batch)] and then moves the "
             "victim's runqhead to h + n (the grabbed Gs leave its ring)",
             lambda d: d.raised("PluginError", "not on") or d.raised("PluginError", "in the"))
SLEEP = Hint("before taking the runnext of a victim that is _Prunning, runqgrab sleeps "
             "(usleep(3)) so that its owner can run it; an idle victim's is taken at once",
             lambda d: d.expected("runqsteal", L.W_USLEEP) or d.got("runqsteal", L.W_USLEEP)
             or d.expected_said("sleeps") or d.said("sleeps"))
DEFAULT = Hint("runqgrab: n = (t-h) - (t-h)/2; n == 0 and stealRunNextG → runnext; copy "
               "n Gs to batch, runqhead = h + n. runqsteal: run the last, publish the rest")
HINTS = [BATCH, ROUNDUP, SLEEP, EVERYPASS, RINGFIRST, LAST, DEFAULT]

add(EX, 1, ["runqgrab"], 2, "Go's steal test on bare Ps, with your runqgrab",
    [harness("RunSchedLocalQueueStealTest: i Gs on P1, P2 steals (i up to 255)", steal_test),
     harness("runnext: only with stealRunNextG, only from an empty ring", runnext_steal)],
    HINTS)

add(EX, 2, ["runqsteal", "runqgrab"], 3, "Your runqsteal and runqgrab inside the runtime",
    [harness("RunSchedLocalQueueStealTest: i Gs on P1, P2 steals (i up to 255)", steal_test),
     harness("runnext: only with stealRunNextG, only from an empty ring", runnext_steal),
     scenario("9 Gs on 2 Ps: the spinning M steals half of P0's ring", nine_gs),
     scenario("40 short Gs on 4 Ps: idle Ps steal", sc.fanout, nprocs=4),
     scenario("40 short Gs on 8 Ps", sc.fanout, nprocs=8, seed=3),
     scenario("work, syscalls, timers and channels on 3 Ps", sc.mixed, nprocs=3),
     scenario("a ping-pong on 2 Ps: a thief sleeps before taking a running P's runnext",
              sc.pingpong, nprocs=2)],
    HINTS)
