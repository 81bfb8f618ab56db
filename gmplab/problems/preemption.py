"""Preemption and fairness: in what order do the goroutines finish?

With GOMAXPROCS 1 a CPU-bound G keeps the P until sysmon sees its time slice is 10ms old
(forcePreemptNS) and preempts it (preemptone): it goes to the global queue (gopreempt_m), as a
Gosched does. The global queue is looked at when the local ring is empty — and every 61st
schedtick (findRunnable's fairness check), for one G. sysmon looks every 20µs, and sleeps
twice as long after 50 rounds in which it retook nothing, up to 10ms. The answer is the order
of the runtime's goexit0 events.
"""
from ..runtime import layout as _l
from .base import Kind, Parts
from .forms import Count, GoidList
from .probe import sysmon_rounds
from .program import Program, go, goids, gosched, loop, work
from .text import fmt_us, ordinal, times_text

FNS = ("preemptone", "gopreempt_m", "goschedImpl", "globrunqget", "goexit0")
LONG = (15_000_000, 25_000_000, 40_000_000)
SHORT = (1_000_000, 3_000_000, 8_000_000)


def _program(rng, level):
    seed = rng.randrange(1 << 32)
    if level in (1, 2):
        n = rng.randint(2, 4)
        gs = [go(work(rng.choice(LONG)))]
        gs += [go(work(rng.choice(LONG + SHORT))) for _ in range(n - 1)]
        if level == 2:
            for i in rng.sample(range(n), rng.randint(1, 2)):
                d = rng.choice(SHORT)
                gs[i] = go(work(d), gosched(), work(rng.choice(SHORT)))
        rng.shuffle(gs)
        main = tuple(gs)
        if level == 2 and rng.random() < 0.5:
            a = rng.randint(1, n - 1)
            main = main[:a] + (gosched(),) + main[a:]
        return Program(1, main, seed=seed), None
    # level 3: one G yields at once, among many short ones: when does it come back?
    a, b = rng.randint(0, 130), rng.randint(5, 130)
    target = go(work(10_000), loop(rng.choice((1, 2)), gosched(), work(10_000)))
    main = ((loop(a, go(work(10_000))),) if a else ()) + (target, loop(b, go(work(10_000))))
    if rng.random() < 0.4:
        main = (go(work(rng.choice((12_000_000, 30_000_000)))),) + main
    return Program(1, main, seed=seed), main.index(target)


def finish_order(rt):
    """The goids in the order of their goexit0 events (main left out)."""
    return tuple(e.g for e in rt.events.where(fn="goexit0") if e.g != 1)


def build(rng, level):
    prog, at = _program(rng, level)
    rt = prog.runtime()
    looks = [t for t, _, _, _ in sysmon_rounds(rt, 1 << 40)]
    if rt.finished is None:
        rt.run()
    order = finish_order(rt)
    gs = goids(prog, rt)
    evs = [e for e in rt.events if e.g != 1 and (
        e.fn in FNS or (level < 3 and e.fn == "execute"))]
    facts = ("sysmon's looks at the P in this run (each can preempt a slice of 10ms or "
             f"more): {times_text(looks)}.")
    if level < 3:
        return Parts(program=prog, goids=gs, run="rt.run()",
                     question="In what order do the goroutines finish (main left out)?",
                     form=GoidList(ordered=True), answer=order, facts=facts,
                     why=("The goexit0 events give the order; preemptone (sysmon saw a slice of "
                          "10ms or more), gopreempt_m and Gosched sent Gs to the global queue, "
                          "which is read when the local ring is empty (globrunqget):"),
                     events=evs, params=(("gomaxprocs", 1), ("goroutines", len(order))))
    target = gs[(at,)][0]
    before = order.index(target)
    fair = [e for e in evs if e.fn == "globrunqget" and e.g == target]
    evs = [e for e in evs if e.fn not in ("goexit0", "execute") or e.g == target]
    return Parts(program=prog, goids=gs, run="rt.run()",
                 question=f"How many goroutines (main left out) finish before G{target} does?",
                 form=Count(), answer=before, facts=facts,
                 why=(f"G{target} is the {ordinal(before + 1)} to finish. It called Gosched and "
                      "waited in the global queue until "
                      + ("schedtick%61==0 made findRunnable take it (fairness)"
                         if fair and fair[0].why == _l.W_FAIR else "P0's ring was empty")
                      + f"; {before} goroutines finished before it ({fmt_us(rt.now)} in all). "
                      "The decisions:"),
                 events=evs, params=(("gomaxprocs", 1), ("goroutines", len(order)),
                                     ("g", target)))


KIND = Kind("preemption", "when does a goroutine finish, under preemption and fairness?",
            {1: "CPU-bound goroutines on one P: sysmon's 10ms preemption",
             2: "with Gosched in goroutines and in main",
             3: "a goroutine that yields among many short ones: the 1-in-61 fairness check"},
            build)
