"""A toy ``gmplab.grading`` for the grader's own tests: the same API (check, collect, judge,
CheckFailed, CHECKS) and the same collect/judge split, on two small exercises, so that the
grader can be tested without the course's real exercises.

- ``01_ring``: ``ring_slot(tail)``, the slot of runq's 256-slot ring that ``tail`` names.
- ``02_first_run``: ``first_run(events)``, the goids in the order they first ``execute``,
  read from a real run's event log (so collect uses the runtime, as the real checks do).
"""
from typing import NamedTuple

import gmplab
from gmplab import ops


class Check(NamedTuple):
    exercise: str
    names: tuple
    points: int
    doc: str


class Verdict(NamedTuple):
    passed: bool
    message: str
    npassed: int
    ntotal: int


class CheckFailed(Exception):
    """A check cell's failure: what was expected, what came back, a hint."""


CHECKS = {
    "01_ring-check-1": Check("01_ring", ("ring_slot",), 1, "slots inside the ring"),
    "01_ring-check-2": Check("01_ring", ("ring_slot",), 2, "the ring wraps at 256"),
    "02_first_run-check-1": Check("02_first_run", ("first_run",), 3, "first executions"),
}

_TAILS = {"01_ring-check-1": [0, 1, 7, 255], "01_ring-check-2": [256, 257, 511, 1000]}
_SEEDS = [0, 1]


def _program(seed):
    rt = gmplab.Runtime(gomaxprocs=2, seed=seed)
    for k in range(3 + seed):
        rt.go(ops.work(f"{k + 1}00us"))
    rt.run()
    return [tuple(e)[:5] for e in rt.events]


def collect(check_id, *functions):
    """Run the learner's function; plain data only (return values and the number of calls)."""
    (fn,) = functions
    if check_id in _TAILS:
        inputs = _TAILS[check_id]
    else:
        inputs = [_program(s) for s in _SEEDS]
    got = []
    for x in inputs:
        try:
            got.append({"ok": fn(x)})
        except Exception as e:        # the learner's error is data too
            got.append({"error": f"{type(e).__name__}: {e}"})
    return {"returns": got, "calls": len(inputs)}


def _reference(check_id):
    if check_id in _TAILS:
        return [t % 256 for t in _TAILS[check_id]]
    out = []
    for s in _SEEDS:
        order = []
        for t, fn, g, m, p in _program(s):
            if fn == "execute" and g not in order:
                order.append(g)
        out.append(order)
    return out


def judge(check_id, data):
    """Compare collect's data with the built-in reference (runs no learner code)."""
    c = CHECKS[check_id]
    name = c.names[0]
    want = _reference(check_id)
    got = data["returns"]
    n = sum(1 for w, g in zip(want, got) if g == {"ok": w})
    if n == len(want) and data["calls"] == len(want):
        return Verdict(True, f"✓ {name}: {n} of {len(want)} checks passed", n, len(want))
    k = next(i for i, (w, g) in enumerate(zip(want, got)) if g != {"ok": w})
    g = got[k].get("ok", got[k].get("error"))
    hint = ("runq is a ring of 256 slots: the slot is tail % 256" if name == "ring_slot"
            else "take each goid at its first `execute` event, in log order")
    return Verdict(False, f"{name}: {n} of {len(want)} checks passed\n"
                          f"expected: {want[k]!r}\ngot: {g!r}\nhint: {hint}", n, len(want))


def check(check_id, *functions):
    v = judge(check_id, collect(check_id, *functions))
    if not v.passed:
        raise CheckFailed(v.message)
    print(v.message)
