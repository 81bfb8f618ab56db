"""Exercise 06: globrunqget(pp, max) — the batch min(n, n/gomaxprocs+1, 128), and the 1-in-61
fairness check taking exactly one G."""
from .. import scenarios as sc
from ...ops import gosched, syscall, work
from .common import L, Hint, add, harness, runs, scenario
from ..plugs import global_list

EX = "06_globrunqget"
#: (gomaxprocs, Gs on the global queue, max): test_go_runq_ports' table and a few more
TABLE = [(1, 10, 0), (2, 10, 0), (4, 10, 0), (2, 600, 0), (3, 7, 1), (1, 300, 0), (8, 1, 0),
         (2, 10, 1), (4, 3, 0), (1, 129, 0), (3, 384, 0), (1, 0, 0), (5, 50, 1)]


def batch_table(w):
    """globrunqget(pp, max) takes n = min(size, size/gomaxprocs + 1, max if > 0, 128)."""
    for nprocs, size, mx in TABLE:
        w.S[L.S_gomaxprocs] = nprocs
        w.empty(0)
        for g in global_list(w.S):
            w.run.core.builtin("queues.globrunqpop")(w.S)
        for j in range(size):
            w.run.core.builtin("queues.globrunqput")(w.S, w.gs[j])
        g = int(w.k("queues.globrunqget")(w.S, w.L, 0, mx, L.W_BATCH))
        w.step(f"gomaxprocs={nprocs}, {size} Gs on sched.runq, max={mx}: → "
               f"{'nil' if g == L.NIL else f'G{w.goid(g)}'}; P0 gets "
               f"{runs([w.goid(x) for x in w.ring(0)])}; {int(w.S[L.S_runqsize])} left")


def fairness(run):
    """GOMAXPROCS=1: 300 Gs; the ring spills, and every 61st schedtick one G comes from the
    global queue."""
    return sc.burst(run, n=300)


def gosched_global(run):
    """Gosched puts a G on the global queue; the other P takes it with globrunqget."""
    return sc.program(run, [(work("5us"), gosched(), work("5us"))] * 6, nprocs=2)


def slow_exitsyscall(run):
    """A syscall whose P was retaken comes back on the global queue (exitsyscall0)."""
    return sc.program(run, [(work("10ms"),), (syscall("3ms"),)], nprocs=1)


def _taken(text):
    import re
    m = re.search(r"P0 gets \[([^\]]*)\]", str(text))
    return m.group(1) if m else None


FAIR = Hint("max caps n: the fairness check calls globrunqget(pp, 1) and takes exactly one G "
            "(every 61st schedtick; Go 1.25 calls it globrunqget()), the rest stay global",
            lambda d: (d.expected("globrunqget", L.W_FAIR) and d.got("globrunqget")
                       and d.got_event.a > 1) or ("max=1" in str(d.step()[0])
                                                  and _taken(d.step()[1]) != ""))
PLUS1 = Hint("n = sched.runq.size/gomaxprocs + 1: the + 1 makes every P take at least one, "
             "and spreads a big queue over the Ps",
             lambda d: (d.expected("globrunqget") and d.got("globrunqget")
                        and 0 < d.got_event.a < d.expected_event.a)
             or (d.expected_result is not None and "max=0" in str(d.step()[0])))
CAP = Hint("at most half the local ring: n <= len(pp.runq)/2 = 128 (Go 1.25: "
           "globrunqgetbatch(len(pp.runq)/2))",
           lambda d: d.raised("PluginError", "ring holds at most")
           or (d.got("globrunqget") and d.got_event.a > 128))
EMPTY = Hint("with an empty global queue globrunqget returns None; never take more than "
             "sched.runq.size", lambda d: d.raised("PluginError") or d.raised("TypeError"))
DEFAULT = Hint("n = min(size, size/gomaxprocs + 1, max if max > 0, len(pp.runq)/2); run the "
               "first popped G, runqput the other n-1 on pp")
HINTS = [CAP, FAIR, PLUS1, EMPTY, DEFAULT]

add(EX, 1, ["globrunqget"], 2, "The batch arithmetic on a bare P",
    [harness("n = min(size, size/gomaxprocs + 1, max, 128)", batch_table, nprocs=8)],
    HINTS)

add(EX, 2, ["globrunqget"], 3, "Your globrunqget inside the runtime",
    [scenario("300 Gs on one P: the spill, and the 1-in-61 fairness check", fairness),
     scenario("Gosched sends Gs to the global queue; 2 Ps take them back", gosched_global),
     scenario("a retaken syscall comes back through the global queue", slow_exitsyscall),
     scenario("main starts 1000 Gs on 2 Ps", sc.spawn, n=1000, nprocs=2),
     scenario("work, syscalls, timers and channels on 3 Ps", sc.mixed, nprocs=3)],
    HINTS)
