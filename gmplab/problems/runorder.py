"""Run order: which goroutine does ``execute`` put on the CPU k-th?

The program's ``go`` statements fill main's P (runnext, then the ring); Gosched sends a G to the
global queue; a channel receive parks a G and the send that wakes it puts it in the sender's
runnext. The answer is the k-th ``execute`` event of the run (main's own slices not counted).
"""
from .base import Kind, Parts
from .forms import Goid
from .program import Program, go, goids, gosched, recv, send, work
from .text import clock_note, ordinal

FNS = ("runqput", "runqputslow", "runqget", "globrunqget", "runqsteal", "execute", "gopark",
       "goready", "goschedImpl", "gopreempt_m", "chansend", "chanrecv", "goexit0")
DURS = (10_000, 20_000, 50_000, 100_000)


def _body(rng, level):
    body = [work(rng.choice(DURS))]
    if level >= 2:
        for _ in range(rng.choice((0, 1, 1, 2))):
            body += [gosched(), work(rng.choice(DURS))]
    return tuple(body)


def _program(rng, level):
    if level == 1:
        main = tuple(go(*_body(rng, 1)) for _ in range(rng.randint(3, 6)))
        return Program(1, main, seed=rng.randrange(1 << 32))
    if level == 2:
        n = rng.randint(3, 5)
        gs = [go(*_body(rng, 2)) for _ in range(n)]
        a = rng.randint(1, n - 1)
        middle = rng.choice(((gosched(),), (work(rng.choice(DURS)),), ()))
        return Program(1, tuple(gs[:a]) + middle + tuple(gs[a:]), seed=rng.randrange(1 << 32))
    # level 3: channel pairs (unbuffered or one slot), GOMAXPROCS 1 or 2
    nch = rng.choice((1, 1, 2))
    chans = tuple(rng.choice((0, 0, 1)) for _ in range(nch))
    gs = []
    for c in range(nch):
        k = rng.choice((1, 2))
        d = rng.choice(DURS)
        gs.append(go(*[s for _ in range(k) for s in (work(d), send(c))]))
        gs.append(go(*[s for _ in range(k) for s in (recv(c), work(rng.choice(DURS)))]))
    for _ in range(rng.randint(0, 2)):
        gs.append(go(*_body(rng, 2)))
    rng.shuffle(gs)
    return Program(rng.choice((1, 2)), tuple(gs), chans=chans, seed=rng.randrange(1 << 32))


def runs(rt, p=None):
    """The goids put on the CPU by execute, in order (main left out; only on P ``p`` if
    given), with the index of each execute event in the log."""
    return [(i, e.g) for i, e in enumerate(rt.events)
            if e.fn == "execute" and e.g != 1 and (p is None or e.p == p)]


def build(rng, level):
    prog = _program(rng, level)
    rt = prog.runtime()
    rt.run()
    p = None
    if prog.gomaxprocs > 1:
        p = rng.choice(sorted({e.p for e in rt.events.where(fn="execute") if e.g != 1}))
    seq = runs(rt, p)
    k = rng.randint(1, len(seq))
    idx, g = seq[k - 1]
    where = "the CPU" if p is None else f"P{p}"
    q = (f"Number the times execute puts a goroutine other than main (G1) on {where}: 1, 2, "
         "3, ... A goroutine that runs again (after Gosched or a channel wait) counts again. "
         f"Which goroutine is the {ordinal(k)}?")
    # (main's own start-up runqput/runqget/execute left out: main is not counted)
    evs = [e for e in rt.events[:idx + 1] if e.fn in FNS and not (
        e.g == 1 and e.fn in ("runqput", "runqget", "execute"))]
    why = (f"The {ordinal(k)} execute{'' if p is None else ' on P%d' % p} puts G{g} on the "
           "CPU. The decisions up to it, as the runtime logged them (runqget takes runnext "
           "first, then the ring's head; Gosched goes to the global queue; a woken receiver "
           "goes to the waker's runnext):")
    facts = clock_note("newproc", "newm", "schedule") if prog.gomaxprocs > 1 else ""
    return Parts(program=prog, goids=goids(prog, rt), run="rt.run()", question=q, form=Goid(),
                 answer=g, why=why, events=evs, facts=facts,
                 params=(("gomaxprocs", prog.gomaxprocs), ("k", k)) +
                        ((("p", p),) if p is not None else ()))


KIND = Kind("runorder", "which goroutine runs k-th?",
            {1: "GOMAXPROCS 1, go statements only: runnext first, then the ring",
             2: "GOMAXPROCS 1, with Gosched (the global queue) in goroutines and in main",
             3: "GOMAXPROCS 1 or 2, goroutines that talk over channels"},
            build)
