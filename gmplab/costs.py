"""Scheduler overheads on the virtual clock, in nanoseconds.

Changing a cost changes *when* things happen, never *what* the scheduler decides. The defaults
are calibrated against a real Go runtime (go1.19, 2-core x86-64 VM; examples/go/calibrate.go and
its recorded output calibrate.out, summarised in examples/go/README.md): ``go`` + start + exit
135–207ns (newproc + schedule + goexit), Gosched 47–59ns, entersyscall+exitsyscall 47–74ns,
unbuffered channel hand-off 98–109ns (chan + gopark + schedule), a new OS thread 32–52µs, waking
a G in another P's runnext 87–121µs (runqgrab's usleep(3) lasts the 50µs Linux timer slack).

- ``schedule``: one pass of schedule()/findRunnable() plus gogo into the chosen G.
- ``newproc``: a ``go`` statement (newproc1, runqput, wakep's check).
- ``goexit``: goexit1/goexit0 of a finished G.
- ``steal``: one runqsteal attempt on one victim P.
- ``startm``: waking a parked M (futex wake; the M runs ~µs later).
- ``newm``: creating an OS thread (clone) until it runs schedule().
- ``syscall``: entersyscall or exitsyscall bookkeeping around a syscall.
- ``chan``: a channel operation (lock, find partner, copy).
- ``gopark``: parking the current G (park_m, dropg).
- ``usleep3``: runqgrab's usleep(3) before stealing a running P's runnext (Linux timer slack
  makes 3µs last ~50µs); the thief's CAS comes after it, so the owner may run the G meanwhile.
- ``preempt``: delivering the async-preemption signal (preemptM, SIGURG) until the G stops.
- ``netpoll``: a non-blocking netpoll(0) that finds ready Gs.
- ``timer``: running one timer (checkTimers → goready).
- ``lcg1000``: 1000 steps of ``ops.lcg`` (x = x*6364136223846793005 + 1442695040888963407), the
  CPU work of examples/go/lcg.go: 11.9µs per 10000 steps there.
"""
from .runtime.layout import COST_FIELDS

DEFAULTS = {
    "schedule": 40,
    "newproc": 100,
    "goexit": 30,
    "steal": 30,
    "startm": 5_000,
    "newm": 40_000,
    "syscall": 30,
    "chan": 40,
    "gopark": 20,
    "usleep3": 55_000,
    "preempt": 5_000,
    "netpoll": 200,
    "timer": 50,
    "lcg1000": 1_190,
}
assert tuple(DEFAULTS) == COST_FIELDS


def resolve(costs):
    """Defaults updated with ``costs`` (a dict of name → ns); bad names or values raise."""
    out = dict(DEFAULTS)
    if costs is None:
        return out
    if not isinstance(costs, dict):
        raise TypeError(f"costs must be a dict of name -> nanoseconds, not {type(costs).__name__}")
    from .ops import duration
    for k, v in costs.items():
        if k not in DEFAULTS:
            raise ValueError(f"unknown cost {k!r}; the costs are: {', '.join(DEFAULTS)}")
        out[k] = duration(v, what=f"cost {k!r}")
    return out
