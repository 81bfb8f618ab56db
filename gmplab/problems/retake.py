"""retake: what does sysmon do with a P, given what it has seen of it?

Each round sysmon runs ``retake(now)`` over the Ps (proc.go). For a P in ``_Prunning`` or
``_Psyscall`` it compares the P's ``schedtick`` with its memory ``pp.sysmontick``: a new tick is
written down (schedwhen = now), an old one that is 10ms old (forcePreemptNS) means
``preemptone``. For a P in ``_Psyscall``: a new ``syscalltick`` is written down
(syscallwhen = now) and the P kept; else the P is spared if its queue is empty, an idle P or a
spinning M could cover, and syscallwhen is under 10ms old; else it is retaken (CAS to _Pidle,
syscalltick++, handoffp). The problem stops the clock just before one round and prints what the
round will read; the answer is what the runtime's sysmon did.
"""
from .base import Kind, Parts
from .forms import Choice
from .probe import sysmon_rounds
from .program import Program, go, goids, loop, syscall, work
from .text import fmt_us

WORDS = {
    "retake": "CAS _Psyscall → _Pidle and handoffp",
    "preempt": "preemptone: ask the running G to stop",
    "record": "only write the new tick into sysmontick",
    "leave": "change nothing",
}
RULE = ("retake, per P in _Prunning or _Psyscall: (1) schedtick differs from "
        "sysmontick.schedtick → record it (schedwhen = now); equal and schedwhen + 10ms <= now → "
        "preemptone (for a P in a syscall: sysretake). (2) For _Psyscall, unless sysretake: "
        "syscalltick differs from sysmontick.syscalltick → record it (syscallwhen = now) and "
        "move on. Then: ring empty and nmspinning + npidle > 0 and syscallwhen + 10ms > now → "
        "spare it; else CAS _Psyscall → _Pidle, syscalltick++, handoffp.")


def _program(rng, level):
    seed = rng.randrange(1 << 32)
    if level == 1:
        gs = []
        for _ in range(rng.randint(1, 2)):
            body = [work(rng.choice((10_000, 50_000, 200_000))),
                    syscall(rng.choice((100_000, 500_000, 2_000_000)))]
            if rng.random() < 0.6:
                body += [work(rng.choice((10_000, 100_000))),
                         syscall(rng.choice((200_000, 1_000_000)))]
            gs.append(go(*body))
        if rng.random() < 0.4:
            gs.append(go(work(rng.choice((300_000, 1_000_000)))))
        return Program(rng.choice((1, 2, 2)), tuple(gs), seed=seed)
    if level == 2:
        gs = [go(loop(rng.randint(2, 4), work(rng.choice((20_000, 100_000, 300_000))),
                      syscall(rng.choice((50_000, 200_000, 1_000_000)))))
              for _ in range(rng.randint(1, 3))]
        for _ in range(rng.randint(0, 2)):
            gs.append(go(work(rng.choice((500_000, 2_000_000)))))
        rng.shuffle(gs)
        return Program(2, tuple(gs), seed=seed)
    gs = [go(loop(rng.randint(1, 2), work(rng.choice((50_000, 1_000_000))),
                  syscall(rng.choice((3_000_000, 12_000_000)))))
          for _ in range(rng.randint(1, 2))]
    gs += [go(work(rng.choice((12_000_000, 25_000_000)))) for _ in range(rng.randint(1, 2))]
    rng.shuffle(gs)
    return Program(rng.choice((2, 3)), tuple(gs), seed=seed)


def look(rt):
    """What retake reads: each P's status, ticks, sysmontick, queue; npidle, nmspinning."""
    ps = []
    for p in rt.allp:
        ps.append({"status": p.status, "schedtick": p.schedtick, "syscalltick": p.syscalltick,
                   "sysmontick": dict(p.sysmontick), "runqsize": p.runqsize,
                   "runnext": p.runnext, "m": p.m,
                   "curg": rt.m(p.m).curg if p.m is not None else None})
    return {"now": rt.now, "npidle": rt.sched.npidle, "nmspinning": rt.sched.nmspinning,
            "gomaxprocs": rt.gomaxprocs(), "P": ps}


def outcome(before, after, events, p):
    """What the round did to P ``p``, read from the runtime: its log and sysmon's memory."""
    if any(e.fn == "retake" and e.p == p for e in events):
        return "retake"
    if any(e.fn == "preemptone" and e.p == p for e in events):
        return "preempt"
    if after["P"][p]["sysmontick"] != before["P"][p]["sysmontick"]:
        return "record"
    return "leave"


def facts(obs, p):
    P = obs["P"][p]
    st = P["sysmontick"]
    nxt = f"G{P['runnext']}" if P["runnext"] is not None else "empty"
    on = (f", M{P['m']} running " + (f"G{P['curg']}" if P["curg"] is not None else "no G")
          if P["m"] is not None else "")
    return "\n".join([
        f"sysmon's round at t={obs['now'] + 1}ns ({fmt_us(obs['now'] + 1)}) will read, for "
        f"P{p} (the listing stops the clock 1ns before it):",
        f"  status {P['status']}{on}, schedtick {P['schedtick']}, syscalltick "
        f"{P['syscalltick']}, ring {P['runqsize']} G(s), runnext {nxt}",
        f"  sysmontick (sysmon's memory of P{p}): schedtick {st['schedtick']}, syscalltick "
        f"{st['syscalltick']}, schedwhen {_when(st['schedwhen'])}, syscallwhen "
        f"{_when(st['syscallwhen'])}",
        f"  sched.npidle {obs['npidle']}, sched.nmspinning {obs['nmspinning']}, "
        f"GOMAXPROCS {obs['gomaxprocs']}"])


def _when(t):
    return "never recorded" if t is None else f"{t}ns ({fmt_us(t)})"


def build(rng, level):
    prog = _program(rng, level)
    rt = prog.runtime()
    watch = ("_Psyscall", "_Prunning")
    found = {}
    for t, before, n0, first in sysmon_rounds(rt, 40_000_000, look):
        if not first:
            continue
        after = look(rt)
        evs = rt.events[n0:]
        for p, P in enumerate(before["P"]):
            if P["status"] in watch:
                found.setdefault(outcome(before, after, evs, p), []).append((t, p, before, evs))
    # ask about each decision the run shows equally often
    what = rng.choice(sorted(found))
    t, p, obs, evs = rng.choice(found[what])
    g = next((e.g for e in reversed(rt.events.where(fn="entersyscall", p=p)) if e.t < t), None)
    setup = [e for e in rt.events if e.t < t and e.p == p and e.fn in (
        "entersyscall", "exitsyscall", "retake", "execute")][-4:]
    said = {"retake": f"sysmon retook P{p}: the round logged retake and handoffp",
            "preempt": f"sysmon asked the G on P{p} to stop: the round logged preemptone",
            "record": f"sysmon only wrote P{p}'s new tick(s) into sysmontick",
            "leave": f"sysmon left P{p} as it was: nothing logged, sysmontick unchanged"}[what]
    note = facts(obs, p)
    if g is not None and obs["P"][p]["status"] == "_Psyscall":
        note += f"\n  (G{g} is the goroutine in the syscall)"
    return Parts(program=prog, goids=goids(prog, rt), run=f"rt.run(until={t - 1})",
                 question=f"What does this round of retake do with P{p}?",
                 form=Choice(WORDS), answer=what,
                 why=f"{said}. {RULE} The decisions on P{p} before the round, then the round's:",
                 events=setup + [e for e in evs if e.p == p or e.fn in ("startm", "newm")],
                 facts=note, params=(("gomaxprocs", prog.gomaxprocs), ("p", p)))


KIND = Kind("retake", "what does sysmon's retake do with this P?",
            {1: "one or two goroutines making syscalls; Ps in syscalls and running Ps",
             2: "goroutines that loop through work and syscalls, GOMAXPROCS 2",
             3: "long syscalls and CPU hogs: the 10ms rules, preemption, GOMAXPROCS 2 or 3"},
            build)
