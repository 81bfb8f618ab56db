"""schedtrace: what is the next line GODEBUG=schedtrace=1 prints?

sysmon prints a line every millisecond (``schedtrace(false)`` in proc.go, Go 1.25 format), the
first at its first look, 20 µs in, which reads ``SCHED 0ms``: the times count from it. A line has
GOMAXPROCS, idle Ps (npidle), threads (every M, sysmon included), spinning Ms, needspinning,
idle Ms (nmidle), the global queue's length, each P's ring length (runnext not counted) and each
P's schedtick. The problem shows the lines so far; the answer is the line the runtime's sysmon
printed next.
"""
from .base import Kind, Parts
from .forms import SchedtraceLine
from .probe import sysmon_rounds
from .program import Program, go, goids, gosched, loop, sleep, syscall, work
from .text import fmt_us

FNS = ("newm", "stopm", "startm", "retake", "handoffp", "findRunnable", "entersyscall",
       "exitsyscall", "exitsyscall0", "goexit0", "goschedImpl", "gopreempt_m", "runqputslow",
       "globrunqget", "runqsteal", "timeSleep", "checkTimers")


def _program(rng, level):
    seed = rng.randrange(1 << 32)
    n = rng.choice((1, 2)) if level == 1 else 2 if level == 2 else rng.choice((2, 3, 4))
    gs = [go(work(rng.choice((2_500_000, 4_000_000))))]
    gs += [go(work(rng.choice((300_000, 1_500_000, 2_500_000, 4_000_000))))
           for _ in range(rng.randint(0, 4))]
    if level >= 2:
        gs += [go(work(rng.choice((50_000, 500_000))), syscall(rng.choice((1_000_000, 2_500_000))))
               for _ in range(rng.randint(1, 3))]
    if level == 3:
        gs += [go(loop(rng.randint(2, 4), work(rng.choice((100_000, 400_000))),
                       rng.choice((gosched(), sleep(700_000)))))
               for _ in range(rng.randint(1, 3))]
    rng.shuffle(gs)
    return Program(n, tuple(gs), seed=seed, schedtrace=1_000_000)


def build(rng, level):
    prog = _program(rng, level)
    rt = prog.runtime()
    times = []                       # when sysmon printed each line
    for t, _, _, _ in sysmon_rounds(rt, 1 << 40):
        while len(times) < len(rt.trace):
            times.append(t)
    if rt.finished is None:
        rt.run()
    lines = rt.trace
    j = rng.randint(1, len(lines) - 1) if len(lines) > 1 else 0
    t0 = times[j - 1] if j else -1
    shown = "\n".join("  " + x for x in lines[:j]) or "  (none yet)"
    facts = ("Run with GODEBUG=schedtrace=1, sysmon has printed so far:\n" + shown)
    form = SchedtraceLine()
    evs = [e for e in rt.events if t0 < e.t <= times[j] and e.fn in FNS]
    ms = (times[j] - rt.starttime) // 1_000_000   # Go's (now-starttime)/1e6
    why = (f"sysmon printed it at t={fmt_us(times[j])}; it reads SCHED {ms}ms, the whole "
           f"milliseconds since its first line (t={fmt_us(rt.starttime)}, sysmon's first look, "
           "SCHED 0ms): idleprocs is sched.npidle, threads "
           "every M that exists (sysmon included), idlethreads sched.nmidle, runqueue the global "
           "queue's length, [ ... ] each P's ring (runnext not counted), schedticks each P's "
           "schedtick. What changed them since the line before:")
    return Parts(program=prog, goids=goids(prog, rt),
                 run='rt.run()\nprint("\\n".join(rt.trace))', question=(
                     f"What is the next line sysmon prints (line {j + 1})?"),
                 form=form, answer=form.parse(lines[j]), why=why, events=evs, facts=facts,
                 params=(("gomaxprocs", prog.gomaxprocs), ("line", j + 1)))


KIND = Kind("schedtrace", "what is the next GODEBUG=schedtrace line?",
            {1: "CPU-bound goroutines, GOMAXPROCS 1 or 2",
             2: "CPU-bound goroutines and blocking syscalls, GOMAXPROCS 2",
             3: "syscalls, sleeps and Gosched, GOMAXPROCS 2 to 4"},
            build)
