"""Placement: where is a goroutine just after main's last go statement?

``newproc`` puts the new G in runnext and kicks the old runnext to the ring's tail
(``runqput``); a full ring sends half of it plus the kicked G (128 + 1) to the global queue
(``runqputslow``). GOMAXPROCS is 1, so no thief moves anything while main runs. The answer is
read from P0's runnext, ring (``pp.runq[(runqhead + i) % 256]``) and the global queue.
"""
from .base import Kind, Parts
from .forms import Where
from .program import Program, go, goids, gosched, loop, work

def _program(rng, level):
    seed = rng.randrange(1 << 32)
    d = rng.choice((10_000, 20_000, 50_000))
    if level == 1:
        return Program(1, (loop(rng.randint(2, 9), go(work(d))), work(1_000_000)), seed=seed)
    if level == 2:
        return Program(1, (loop(rng.randint(250, 420), go(work(d))), work(1_000_000)), seed=seed)
    # level 3: a first batch runs (main yields with Gosched), some of it yields too, then a
    # second batch spills over a ring whose head has moved
    a, b = rng.randint(3, 40), rng.randint(240, 400)
    yielders = rng.randint(0, 3)
    first = [loop(a - yielders, go(work(d)))]
    if yielders:
        first.append(loop(yielders, go(work(d), gosched(), work(d))))
    rng.shuffle(first)
    return Program(1, tuple(first) + (gosched(), loop(b, go(work(d))), work(1_000_000)),
                   seed=seed)


def places(rt):
    """goid → where it waits: ("runnext", None), ("runq", slot) or ("global", position)."""
    pp = rt.p(0)
    out = {}
    if pp.runnext is not None:
        out[pp.runnext] = ("runnext", None)
    for i, g in enumerate(pp.runq):
        out[g] = ("runq", (pp.runqhead + i) % 256)
    for i, g in enumerate(rt.sched.runq):
        out[g] = ("global", i)
    return out


def stop_time(rt):
    """When main's last go statement ran (the time of the last newproc by G1)."""
    return [e for e in rt.events.where(fn="newproc") if e.a == 1][-1].t


def build(rng, level):
    prog = _program(rng, level)
    full = prog.runtime()
    full.run()
    t = stop_time(full)
    rt = prog.runtime()
    rt.run(until=t)
    where = places(rt)
    # ask about the ring and the global queue twice as often as about runnext
    by = {}
    for g, w in sorted(where.items()):
        by.setdefault(w[0], []).append(g)
    cls = rng.choice([c for c in sorted(by) for _ in range(1 if c == "runnext" else 2)])
    g = rng.choice(by[cls])
    pp = rt.p(0)
    q = (f"Stop the program just after main's last go statement (t={t}ns, as the gmplab "
         f"listing's last line does). Where is G{g}?")
    gets = sum(1 for e in rt.events.where(fn="runqget", p=0) if e.a == 0)
    why = (f"At t={t}ns P0's runqhead is {pp.runqhead} and its runqtail {pp.runqtail}; "
           f"runnext holds {'G%d' % pp.runnext if pp.runnext is not None else 'nothing'}, the "
           f"ring {pp.runqsize} G(s) and the global queue {rt.sched.runqsize}. "
           + (f"P0 took {gets} G(s) from the head of its ring (runqget, runqhead + 1 each) "
              "and every spill took 128 more. " if gets else "")
           + f"The decisions that put G{g} there (its own runqput, and every spill):")
    evs = [e for e in rt.events
           if (e.fn == "runqput" and e.g == g) or e.fn in ("runqputslow", "goschedImpl",
                                                            "globrunqget")]
    return Parts(program=prog, goids=goids(prog, rt), run=f"rt.run(until={t})", question=q,
                 form=Where(), answer=where[g], why=why, events=evs,
                 params=(("gomaxprocs", 1), ("goroutines", prog.go_statements()),
                         ("g", g)))


KIND = Kind("placement", "where is each goroutine after the go statements?",
            {1: "a few go statements: runnext and the ring",
             2: "hundreds of go statements: the ring fills and spills (runqputslow)",
             3: "a first batch runs and yields, then a spill over a ring whose head has moved"},
            build)
