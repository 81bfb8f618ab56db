"""Small helpers the lesson notebooks share (so that no lesson redefines them).

    from gmplab.course import run_order, ranges, go_output
    ranges([9, 0, 1, 2, 3])          # '9 0–3'
    run_order(rt)                     # goids in the order they first ran (main left out)
    go_output("runnext_order.out")    # a recorded real Go program's output (examples/go/)
    sysmon_looks(rt, "30ms")          # each of sysmon's rounds: when, the sleep after it, what it did
    gave_up(rt)                       # the Ms that gave up their P, and whether they had spun
    thread_counts(rt)                 # (t, threads) at each newm and mexit: schedtrace's threads=
    cpu_samples(rt.run)               # run it, sampling the process's CPU time against the clock

Used by notebooks/04_p_runq.ipynb … 13_real_go.ipynb.
"""
from pathlib import Path
from typing import NamedTuple

from .ops import duration

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "go"


def ranges(seq):
    """A sequence of ints, consecutive runs written as ``a–b``: [299, 127, 128, 129, 0] →
    '299 127–129 0'."""
    seq = [int(x) for x in seq]
    out = []
    i = 0
    while i < len(seq):
        j = i
        while j + 1 < len(seq) and seq[j + 1] == seq[j] + 1:
            j += 1
        out.append(str(seq[i]) if j == i else f"{seq[i]}–{seq[j]}")
        i = j + 1
    return " ".join(out)


def run_order(rt, skip_main=True):
    """The goids in the order their first ``execute`` happened (main, G1, left out unless
    ``skip_main`` is False)."""
    seen, order = set(), []
    for e in rt.events.where(fn="execute"):
        if e.g in seen or (skip_main and e.g == 1):
            continue
        seen.add(e.g)
        order.append(e.g)
    return order


def go_output(name):
    """The text of ``examples/go/<name>`` (a real Go program's recorded output)."""
    path = EXAMPLES / name
    if not path.is_file():
        have = sorted(p.name for p in EXAMPLES.glob("*.out"))
        raise FileNotFoundError(f"no recorded Go output {name!r} in examples/go; there are: "
                                f"{', '.join(have)}")
    return path.read_text(encoding="utf-8")


class Look(NamedTuple):
    """One round of sysmon's loop (proc.go ``sysmon``): at ``t`` (ns) it looked at every P
    (``retake``), retaking ``retook`` Ps from syscalls and preempting ``preempted`` Gs; then
    it slept ``sleep`` ns (``usleep(delay)``: 20 µs, doubling after 50 rounds without a retake,
    at most 10 ms) — or, with ``deep``, every P was idle and it slept in ``sched.sysmonwait``
    instead of looking. ``sleep`` is None when the run ended before sysmon's next round."""
    t: int
    sleep: object
    retook: int
    preempted: int
    deep: bool


def sysmon_looks(rt, until):
    """Run ``rt`` until virtual time ``until`` (ns or "30ms"), round by round of sysmon, and
    return its rounds as :class:`Look` s (lesson 07's figure of sysmon's tick)."""
    from .problems.probe import sysmon, sysmon_rounds, when
    from .runtime import layout as _l
    horizon = duration(until, "until")
    rounds = []
    for t, _before, n0, _first in sysmon_rounds(rt, horizon):
        ev = rt.events[n0:]
        deep = any(e.fn == "sysmon" and e.why == _l.W_SYSMONWAIT for e in ev)
        rounds.append((t, sum(e.fn == "retake" for e in ev),
                       sum(e.fn == "preemptone" for e in ev), deep))
    nxt = when(rt, sysmon(rt)) if rt.finished is None else None
    looks = []
    for i, (t, r, pre, deep) in enumerate(rounds):
        after = rounds[i + 1][0] if i + 1 < len(rounds) else nxt
        looks.append(Look(t, None if after is None else after - t, r, pre, deep))
    return looks


class GaveUp(NamedTuple):
    """M ``m`` found no work at ``t`` and gave up P ``p`` (``findRunnable``: ``releasep``,
    ``pidleput``); ``spun``: it had become a spinning M and tried to steal first — False when
    findRunnable's limit on spinning Ms (``2*nmspinning < gomaxprocs-npidle``) kept it from
    stealing."""
    t: int
    m: int
    p: int
    spun: bool


def gave_up(rt):
    """Every time an M gave up its P for lack of work (lesson 06), from the event log."""
    from .runtime import layout as _l
    # (findRunnable's W_IDLE event records m.spinning at releasep in its field b)
    return [GaveUp(e.t, e.m, e.p, bool(e.b)) for e in rt.events.where(fn="findRunnable")
            if e.why == _l.W_IDLE]


def thread_counts(rt):
    """``(t, threads)`` after every change of the thread count (schedtrace's ``threads=``,
    Go's ``mcount()``), from the event log: each ``newm`` (m0's set-up in schedinit first) and
    each ``mexit`` of a thread that really exits (a wedged m0 still counts, as in Go)."""
    from .runtime import layout as _l
    out, n = [], 0
    for e in rt.events.where(fn=["newm", "mexit"]):
        if e.fn == "newm":
            n = int(e.b)
        elif e.why != _l.W_WEDGE:
            n -= 1
        else:
            continue
        out.append((int(e.t), n))
    return out


def cpu_samples(run, every=0.005):
    """Call ``run()`` (a ParallelRuntime's ``run``, say) while a Python thread reads the
    process's CPU time (all its threads together) and the wall clock every ``every`` seconds.
    Returns ``(result, samples)``, samples a list of ``(wall_s, cpu_s)`` from the start: where
    CPU time grows faster than wall time, more than one thread computed at once. (The sampler
    gets to run only because the threads of the run do not hold Python's GIL.)"""
    import threading
    import time
    samples, done = [], threading.Event()
    w0, c0 = time.perf_counter(), time.process_time()

    def sample():
        while not done.is_set():
            samples.append((time.perf_counter() - w0, time.process_time() - c0))
            done.wait(every)

    th = threading.Thread(target=sample, name="cpu-sampler", daemon=True)
    th.start()
    try:
        result = run()
    finally:
        done.set()
        th.join()
    samples.append((time.perf_counter() - w0, time.process_time() - c0))
    return result, samples
