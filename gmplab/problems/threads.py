"""Threads: how many Ms exist after a syscall storm, and how many are idle?

A G in a blocking syscall keeps its M; sysmon retakes the P (retake → handoffp) and startm
wakes an idle M or creates one (newm). When the syscalls return and find no P, their Ms park
(exitsyscall0 → stopm): Ms are never given back, so ``threads=`` stays high and
``idlethreads=`` counts the parked ones. The answer is read from the runtime at the asked
time: ``rt.mcount()`` (sysmon included, as schedtrace's threads=) and ``sched.nmidle``.
"""
from ..runtime import layout as _l
from .base import Kind, Parts
from .forms import Fields
from .program import Program, go, goids, loop, sleep, syscall, work
from .text import fmt_us

CHANGES = ("newm", "stopm", "startm", "mexit")
STEP = 100_000          # the asked time is a multiple of 100µs ...
QUIET = 30_000          # ... with no M started, woken or parked within 30µs of it


def _program(rng, level):
    seed = rng.randrange(1 << 32)
    n = rng.choice((1, 2, 4))
    k = rng.randint(2, 10)
    gs = []
    for _ in range(k):
        w, d = rng.choice((10_000, 50_000, 200_000)), rng.choice((300_000, 1_000_000, 2_000_000))
        if level == 3 and rng.random() < 0.5:
            gs.append(go(loop(rng.randint(2, 3), work(w), syscall(d),
                              sleep(rng.choice((100_000, 500_000))))))
        else:
            gs.append(go(work(w), syscall(d)))
    gs += [go(work(rng.choice((3_000_000, 5_000_000)))) for _ in range(rng.randint(0, 2))]
    rng.shuffle(gs)
    return Program(n, tuple(gs), seed=seed)


def counts(rt):
    """(threads, idle threads): schedtrace's threads= and idlethreads=."""
    return rt.mcount(), rt.sched.nmidle


def quiet_times(rt, lo, hi):
    """Multiples of STEP in (lo, hi) with no M-count change within QUIET of them."""
    ts = [e.t for e in rt.events if e.fn in CHANGES and e.why != _l.W_NOIDLEP]
    out = []
    for t in range(STEP * (lo // STEP + 1), hi, STEP):
        if all(abs(x - t) > QUIET for x in ts):
            out.append(t)
    return out


def build(rng, level):
    prog = _program(rng, level)
    full = prog.runtime()
    full.run()
    ev = full.events
    enter = [e.t for e in ev.where(fn="entersyscall")]
    leave = [e.t for e in ev.where(fn=["exitsyscall", "exitsyscall0"])]
    if level == 1:
        lo, hi = max(leave), full.now
    elif level == 2:
        lo, hi = min(enter), max(leave)
    else:
        lo, hi = 0, full.now
    ts = quiet_times(full, lo, hi) or quiet_times(full, 0, full.now) or [full.now]
    t = rng.choice(ts)
    rt = prog.runtime()
    rt.run(until=t)
    ans = counts(rt)
    when = ("after every syscall has returned" if t > max(leave) else
            "while syscalls block" if min(enter) < t < max(leave) else "")
    q = (f"Stop the program at t={fmt_us(t)} ({when + ', ' if when else ''}as the listing's "
         "last line does). How many threads (Ms) exist — sysmon and idle ones included, as "
         "schedtrace's threads= counts them — and how many of them are idle, parked in stopm "
         "(idlethreads=)?")
    evs = [e for e in rt.events if e.t <= t and (
        (e.fn in CHANGES and e.why != _l.W_NOIDLEP) or e.fn in ("retake", "exitsyscall0"))]
    why = (f"At t={fmt_us(t)} threads={ans[0]} and idlethreads={ans[1]}: every newm made an M "
           "that still exists (an M is never freed unless its locked G exits); stopm parked "
           "the idle ones, startm woke some (mget). The decisions that started, woke and "
           "parked Ms:")
    return Parts(program=prog, goids=goids(prog, rt), run=f"rt.run(until={t})", question=q,
                 form=Fields(("threads", "idlethreads")), answer=ans, why=why, events=evs,
                 params=(("gomaxprocs", prog.gomaxprocs), ("t", t)))


KIND = Kind("threads", "how many threads, and how many idle, after a syscall storm?",
            {1: "after every syscall has returned",
             2: "while the syscalls block their Ms",
             3: "goroutines that loop through syscalls and sleeps, at any time"},
            build)
