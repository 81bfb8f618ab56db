"""The Problem type, the registry of kinds, and ``make(kind, level, seed)``.

A kind is a module with a ``KIND = Kind(...)``: its name, a one-line title, what each level
asks, and ``build(rng, level) -> Parts``. ``build`` picks a program with ``rng`` (a
``random.Random`` seeded with ``"{kind}/{level}/{seed}"``: the same in every process, on every
machine), runs it on the virtual clock and reads the answer from the runtime's state and event
log. Nothing here knows an answer in advance.
"""
import random
import textwrap
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from .forms import AnswerError, SchedtraceLine
from .program import Program, go_source, python_source

WIDTH = 92


class Redraw(Exception):
    """Raised by a kind's ``build`` when the program it drew has nothing to ask about (say, no
    steal happened): ``make`` draws again from the same seeded stream, so it stays
    deterministic."""


REDRAWS = 20


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    levels: dict                 # level -> what it asks
    build: Callable = field(repr=False)


@dataclass
class Parts:
    """What a kind's ``build`` returns."""
    program: Program
    goids: dict                  # go step path -> goids (program.goids of a run)
    run: str                     # the gmplab listing's last line(s): how far to run
    question: str
    form: object
    answer: object
    why: str                     # the explanation's opening sentence(s)
    events: list                 # the decisions that fixed the answer (gmplab Events)
    params: tuple = ()           # extra (name, value) ARG lines
    facts: str = ""              # what the runtime showed at the question's moment


class Verdict(NamedTuple):
    correct: bool
    given: object
    expected: object
    message: str


@dataclass(frozen=True)
class Problem:
    """One seeded problem: its program as Go and as gmplab code, a question, and the answer
    the runtime gave, with the decisions that fixed it."""
    kind: str
    level: int
    seed: int
    title: str
    params: tuple
    program: Program
    go_code: str
    gmplab_code: str
    question: str
    facts: str
    form: object = field(repr=False)
    answer: object = None
    why: str = ""
    explanation: tuple = ()

    @property
    def answer_text(self):
        return self.form.show(self.answer)

    def args(self):
        """The ARG lines' (name, value) pairs, kind, level and seed first."""
        return (("kind", self.kind), ("level", self.level), ("seed", self.seed)) + self.params

    def check(self, text):
        """Judge an answer (text, as a learner types it). Raises AnswerError if it is not in
        the problem's form; otherwise returns a Verdict whose message says right or wrong,
        the answer, and why."""
        given = self.form.parse(text)
        same = getattr(self.form, "same", None)
        ok = same(given, self.answer) if same else given == self.answer
        head = (f"✓ Right: {self.answer_text}." if ok else
                f"✗ Not quite: you said {self.form.show(given)}; the runtime says "
                f"{self.answer_text}.")
        return Verdict(ok, given, self.answer, head + "\n\n" + self.solution())

    def solution(self):
        """The answer and its explanation: the decisions, each with its Go function."""
        return "\n".join([f"Answer: {self.answer_text}", "", _wrap(self.why), ""]
                         + list(self.explanation))

    def text(self, solve=False):
        """The problem as the command line prints it (ARG lines first, OSTEP style)."""
        out = [f"ARG {k} {v}" for k, v in self.args()]
        out += ["", f"{self.kind}, level {self.level}, seed {self.seed}: {self.title}", "",
                "The program, in Go:", "", _indent(self.go_code), "",
                "The same program on gmplab's runtime (a virtual clock, so every run is the "
                "same):", "", _indent(self.gmplab_code), ""]
        if self.facts:
            out += [self.facts, ""]
        out += [_wrap(self.question), "", _wrap("Answer with " + self.form.describe + ".")]
        if solve:
            out += ["", self.solution()]
        return "\n".join(out) + "\n"

    def __str__(self):
        return self.text()


def _indent(s):
    return textwrap.indent(s.expandtabs(4), "    ")


def _wrap(s):
    return "\n".join(textwrap.fill(p, WIDTH) if p.strip() else p for p in s.split("\n"))


# --- the registry and make() ------------------------------------------------------------------

def _kinds():
    from . import placement, preemption, retake, runorder, steal, threads, trace
    return {k.KIND.name: k.KIND for k in (runorder, placement, steal, retake, threads, trace,
                                          preemption)}


KINDS = _kinds()


def check_args(kind, level, seed):
    """Validate (kind, level, seed); return them normalized or raise with a clear message."""
    if not isinstance(kind, str):
        raise TypeError(f"kind must be a string, one of {', '.join(KINDS)}; "
                        f"not {type(kind).__name__} {kind!r}")
    if kind not in KINDS:
        raise ValueError(f"unknown problem kind {kind!r}; the kinds are: {', '.join(KINDS)}")
    levels = KINDS[kind].levels
    lo, hi = min(levels), max(levels)
    if isinstance(level, bool) or not _isint(level):
        raise TypeError(f"level must be an integer {lo}..{hi} for kind {kind!r}, "
                        f"not {type(level).__name__} {level!r}")
    if int(level) not in levels:
        raise ValueError(f"level {level} is out of range for kind {kind!r}: allowed {lo}..{hi}")
    if isinstance(seed, bool) or not _isint(seed):
        raise TypeError(f"seed must be a non-negative integer, not {type(seed).__name__} "
                        f"{seed!r}")
    if int(seed) < 0:
        raise ValueError(f"seed {seed} is negative; a seed is an integer >= 0")
    return kind, int(level), int(seed)


def _isint(v):
    import numbers
    return isinstance(v, numbers.Integral)


def make(kind, level=1, seed=0):
    """The problem of ``kind`` at ``level`` for ``seed``: the same in every process."""
    kind, level, seed = check_args(kind, level, seed)
    k = KINDS[kind]
    rng = random.Random(f"{kind}/{level}/{seed}")
    for _ in range(REDRAWS):
        try:
            parts = k.build(rng, level)
            break
        except Redraw:
            continue
    else:
        raise RuntimeError(f"{kind} level {level} seed {seed}: no program with a question in "
                           f"{REDRAWS} draws (a bug in gmplab.problems)")
    prog = parts.program
    return Problem(
        kind=kind, level=level, seed=seed, title=k.title, params=tuple(parts.params),
        program=prog, go_code=go_source(prog, parts.goids),
        gmplab_code=python_source(prog, parts.goids, parts.run),
        question=parts.question, facts=parts.facts, form=parts.form, answer=parts.answer,
        why=parts.why, explanation=tuple(explain(parts.events)))


def explain(events, limit=40):
    """The decisions as event-log lines (time, Go function, explanation); a long list keeps
    its first and last lines."""
    lines = [str(e) for e in events]
    if len(lines) > limit:
        k = limit // 2
        lines = lines[:k] + [f"{'':>14}... {len(lines) - 2 * k} more decisions ..."] + lines[-k:]
    return lines


__all__ = ["Kind", "Parts", "Redraw", "Problem", "Verdict", "KINDS", "make", "check_args", "explain",
           "AnswerError", "SchedtraceLine"]
