"""gmplab.problems: endless seeded practice problems on Go's scheduler, answers on demand.

    from gmplab import problems
    p = problems.make("runorder", level=2, seed=7)
    print(p.text())                 # ARG lines, the program in Go and on gmplab, the question
    p.check("G5")                   # Verdict(correct, ..., message with the explanation)
    print(p.solution())             # the answer and the decisions that fixed it

The same (kind, level, seed) gives the same problem in every process, on every machine: the
program is drawn from ``random.Random(f"{kind}/{level}/{seed}")`` and the answer is computed by
running it on the virtual clock — never stored. ``gmplab problem`` is the command line.
"""
from .base import KINDS, Kind, Problem, Verdict, check_args, make
from .forms import AnswerError

__all__ = ["make", "KINDS", "Kind", "Problem", "Verdict", "AnswerError", "check_args", "kinds"]


def kinds():
    """[(name, title, {level: what it asks})] for every kind, in the course's order."""
    return [(k.name, k.title, dict(k.levels)) for k in KINDS.values()]
