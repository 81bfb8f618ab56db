"""Pieces the exercises' checks share."""
from ...runtime import layout as L
from ..checks import Case, Check, Hint, register
from ..harness import GOID0, World

__all__ = ["L", "Case", "Check", "Hint", "register", "World", "GOID0", "runs", "harness",
           "scenario", "add"]


def runs(goids):
    """G1000–G1004 G1010 …: a list of goids with consecutive runs shortened."""
    out, i = [], 0
    while i < len(goids):
        j = i
        while j + 1 < len(goids) and goids[j + 1] == goids[j] + 1:
            j += 1
        out.append(f"G{goids[i]}" if i == j else f"G{goids[i]}–G{goids[j]}")
        i = j + 1
    return "[" + " ".join(out) + "]"


def harness(name, fn, *hints, nprocs=3):
    """A Go test case on bare Ps: ``fn(world)`` records its steps with ``world.step(text)``;
    the case's result is the list of steps (as far as it got, if a step raised)."""
    def run(plugrun):
        w = World(plugrun, nprocs=nprocs)
        fn(w)
        return w.steps
    return Case(name, run, list(hints), kind="harness")


def scenario(name, fn, *hints, **kw):
    """A program on the virtual clock: ``fn(run, **kw)`` returns the Runtime it ran."""
    return Case(name, lambda run: fn(run, **kw), list(hints))


def add(exercise, k, names, points, doc, cases, hints=(), title=""):
    return register(f"{exercise}-check-{k}", Check(exercise, tuple(names), points, doc,
                                                  list(cases), list(hints), title))
