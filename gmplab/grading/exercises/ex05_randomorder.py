"""Exercise 05: randomOrder / randomEnum — stealWork's coprime enumeration of the Ps."""
import zlib

from .. import scenarios as sc
from .common import L, Hint, add, harness, scenario

EX = "05_randomorder"
#: the P counts of RunStealOrderTest tried here (Go: 1..64), and at most this many starts each
ORDER_PROCS = list(range(1, 17)) + [24, 30, 31, 32, 48, 63, 64]
MAX_STARTS = 24


def steal_order_test(w):
    """RunStealOrderTest: for each count of Ps, every start of the enumeration visits each P
    exactly once and is then done; counts >= 3 have at least 2 coprimes."""
    S, k = w.S, w.k
    for procs in ORDER_PROCS:
        S[L.S_gomaxprocs] = procs
        w.run.core.builtin("procresize.setcoprimes")(S, procs)  # the core's: how many starts
        starts = procs * int(S[L.H_ncoprimes])
        k("procresize.setcoprimes")(S, procs)                   # what the run calls
        orders, bad = [], None
        step = max(1, starts // MAX_STARTS)
        for i in range(0, starts, step):
            enum = k("proc.randomOrder_start")(S, i)
            seen, early = [], False
            for _ in range(procs):
                early = early or bool(k("proc.randomEnum_done")(enum))
                seen.append(int(k("proc.randomEnum_position")(enum)))
                enum = k("proc.randomEnum_next")(enum)
            done = bool(k("proc.randomEnum_done")(enum)) and not early
            orders.append(seen)
            if bad is None and (sorted(seen) != list(range(procs)) or not done):
                bad = f"start({i}) visits {seen}, then done()={done}"
        digest = zlib.crc32(repr(orders).encode())
        w.step(f"{procs} Ps: " + (bad or f"every start visits each P once, then is done "
                                   f"(orders #{digest:08x})"))


def _dup(d):
    e, g = d.step()
    return "visits" in str(g) and "once" in str(e)


NONCOPRIME = Hint("coprimes holds only the X in 1..count with gcd(X, count) == 1: with a common "
                  "factor, pos + inc comes back to a P before visiting all of them",
                  lambda d: _dup(d) and "done()=True" in str(d.step()[1]))
def _short(d):
    e, g = d.expected_call, d.got_call
    return e is not None and g is not None and len(g[2]) < len(e[2])


DONE = Hint("done() is true once next() has been called count times (enum.i == enum.count), "
            "not before and not after",
            lambda d: (_dup(d) and "done()=False" in str(d.step()[1]))
            or d.raised("PluginError", "done()") or _short(d))
ORDER = Hint("start(i): pos = i % count, inc = coprimes[i/count % len(coprimes)]; next(): "
             "pos = (pos + inc) % count — the same i must give Go's order, since fastrand "
             "drives it",
             lambda d: "orders #" in str(d.step()[1]) or d.got("runqsteal")
             or d.expected("runqsteal") or d.got_call is not None)
DEFAULT = Hint("randomOrder.reset(count) keeps the coprimes of count; start(i) begins at "
               "i % count and steps by coprimes[i/count % len(coprimes)]")
HINTS = [NONCOPRIME, DONE, ORDER, DEFAULT]

add(EX, 1, ["randomOrder"], 2, "Go's RunStealOrderTest with your randomOrder",
    [harness("RunStealOrderTest: every start visits each P exactly once", steal_order_test)],
    HINTS)

add(EX, 2, ["randomOrder"], 3, "Your randomOrder inside stealWork",
    [scenario("40 short Gs on 3 Ps", sc.fanout, nprocs=3, seed=1),
     scenario("40 short Gs on 4 Ps", sc.fanout, nprocs=4, seed=2),
     scenario("40 short Gs on 6 Ps", sc.fanout, nprocs=6, seed=5),
     scenario("40 short Gs on 8 Ps", sc.fanout, nprocs=8, seed=7),
     scenario("a ping-pong on 3 Ps: a thief sleeps in usleep(3) and goes on where it was",
              sc.pingpong, nprocs=3, rounds=40)],
    HINTS)
