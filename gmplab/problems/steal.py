"""Stealing: what does a spinning M take when it runs stealWork?

stealWork makes 4 passes over the Ps in a random coprime order, skipping itself and idle Ps;
``runqsteal`` takes half of a victim's ring rounded up (``n - n/2``) from its head, and only the
last pass looks at a victim's runnext. The thief runs the last G it grabbed and queues the rest.
The problem stops the clock just before the thief's chain of decisions and prints what it will
see; the answer is what the runtime's thief took.
"""
from ..runtime import layout as _l
from .base import Kind, Parts, Redraw
from .forms import Steal
from .probe import idle_ps, one_event, steal_orders
from .program import Program, go, goids, work
from .text import clock_note, fmt_us

DURS = (20_000, 50_000, 100_000, 200_000)


def _program(rng, level):
    seed = rng.randrange(1 << 32)
    if level == 1:
        k = rng.randint(1, 12)
        d = rng.choice(DURS)
        return Program(2, tuple(go(work(d)) for _ in range(k)) + (work(1_000_000),), seed=seed)
    n = 2 if level == 2 else rng.choice((3, 4))
    k = rng.randint(2, 8) if level == 2 else rng.randint(5, 14)
    gs = tuple(go(work(rng.choice(DURS))) for _ in range(k))
    return Program(n, gs + (work(rng.choice((10_000, 60_000, 300_000, 1_000_000))),), seed=seed)


def _p_line(rt, p, idle, thief):
    pp = rt.p(p)
    ring = " ".join(f"G{g}" for g in pp.runq) or "empty"
    nxt = f"G{pp.runnext}" if pp.runnext is not None else "empty"
    who = f"M{pp.m}" if pp.m is not None else "no M"
    tags = []
    if p in idle:
        tags.append("on the idle list")
    if p == thief:
        tags.append("the thief's P")
    tag = f"  ({', '.join(tags)})" if tags else ""
    return f"  P{p}: {pp.status:<10} {who:<6} runnext {nxt:<5} ring (head first): {ring}{tag}"


def snapshot(rt, m, p, orders):
    """What the thief will see: every P, the global queue, and its visiting orders."""
    idle = idle_ps(rt)
    lines = [f"At t={rt.now}ns ({fmt_us(rt.now)}), where the listing stops the clock, M{m} is "
             f"about to look for work with P{p}:"]
    lines += [_p_line(rt, i, idle, p) for i in range(rt.gomaxprocs())]
    gq = " ".join(f"G{g}" for g in rt.sched.runq) or "empty"
    lines.append(f"  global run queue: {gq}")
    if rt.gomaxprocs() > 2:
        lines.append(f"M{m}'s four passes of stealWork visit the Ps in these orders (its "
                     "fastrand: randomOrder's pos and coprime step):")
        lines += [f"  pass {i + 1}: " + " ".join(f"P{x}" for x in o) for i, o in enumerate(orders)]
    return "\n".join(lines)


def candidates(rt):
    # the steals that took Gs (not runqgrab's usleep(3) before a running P's runnext, nor the
    # thief giving that G up when its owner ran it during the sleep)
    return [(i, e) for i, e in enumerate(rt.events)
            if e.fn == "runqsteal" and e.why in (_l.W_STEAL, _l.W_RUNNEXTSTEAL)]


def build(rng, level):
    prog = _program(rng, level)
    full = prog.runtime()
    full.run()
    cands = candidates(full)
    if not cands:
        raise Redraw
    if level == 1:
        cands = cands[:1]
    else:
        # as many questions about a ring steal as about a runnext steal, where both happen
        ring = [c for c in cands if c[1].why != _l.W_RUNNEXTSTEAL]
        nxt = [c for c in cands if c[1].why == _l.W_RUNNEXTSTEAL]
        first = rng.choice([x for x in (ring, nxt) if x])
        rest = [c for c in cands if c not in first]
        cands = rng.sample(first, len(first)) + rng.sample(rest, len(rest))
    for idx, e in cands:
        rt = prog.runtime()
        if e.t > 1:
            rt.run(until=e.t - 1)
        m = e.m
        thiefp = rt.m(m).p if rt.m(m).p is not None else rt.m(m).nextp
        facts = snapshot(rt, m, thiefp, steal_orders(rt, m))
        ring0 = list(rt.p(e.p).runq)
        status0 = rt.p(e.a).status
        n0 = len(rt.events)
        one_event(rt, e.t)
        if len(rt.events) > idx:
            break
    else:
        raise Redraw          # no steal of this run starts a chain of its own
    stolen = tuple(sorted(set(rt.p(e.p).runq) - set(ring0) | {e.g}))
    victim = e.a
    if e.why == _l.W_RUNNEXTSTEAL:
        how = (f"P{victim}'s ring was empty, so passes 1-3 found nothing there; the 4th pass "
               f"took its runnext, G{e.g}")
        if status0 == "_Prunning":
            how += (f" — after runqgrab's usleep(3), since P{victim} was running and its owner "
                    "might be about to run it")
    else:
        how = (f"P{victim} was the first P in M{m}'s order with Gs in its ring; runqsteal took "
               f"{len(stolen)} of them from the head (half rounded up, n - n/2), ran the last "
               f"one (G{e.g}) and queued the rest on P{e.p}")
    why = how + ". The decisions (how the stolen Gs got there, then the thief's chain):"
    last = {x.g: i for i, x in enumerate(rt.events[:n0]) if x.fn == "runqput" and x.g in stolen}
    evs = [rt.events[i] for i in sorted(last.values())]
    evs += [x for x in rt.events[n0:] if x.m == m]
    return Parts(program=prog, goids=goids(prog, rt), run=f"rt.run(until={e.t - 1})",
                 question=(f"Which P does M{m} steal from, and which goroutines does it take "
                           "(the one it runs included)?"),
                 form=Steal(), answer=(victim, stolen), why=why, events=evs,
                 facts=facts + "\n" + clock_note("newproc", "newm", "usleep3"),
                 params=(("gomaxprocs", prog.gomaxprocs), ("thief", f"M{m}")))


KIND = Kind("steal", "what does the thief steal?",
            {1: "GOMAXPROCS 2: the first steal, from main's P (its ring or its runnext)",
             2: "GOMAXPROCS 2: any steal of the run, ring or runnext",
             3: "GOMAXPROCS 3 or 4: several victims, visited in the thief's random order"},
            build)
