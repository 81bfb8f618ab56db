"""Answer forms: how a learner writes an answer, how it is read, and how it is printed.

A form's ``parse(text)`` returns a normalized value (compared with ``==``) or raises
:class:`AnswerError` naming the text and the allowed form; ``show(value)`` prints a value the
way ``parse`` reads it back.
"""
import re


class AnswerError(ValueError):
    """An answer in the wrong form (the message says what was given and what is allowed)."""


def _text(text, form):
    if not isinstance(text, str):
        raise AnswerError(f"an answer is text, not {type(text).__name__} {text!r}; "
                          f"write {form.example}")
    t = text.strip()
    if not t:
        raise AnswerError(f"the answer is empty; write {form.example}")
    return t


_GOID = re.compile(r"^[Gg]?(\d+)$")


def _goid(tok, form, text):
    m = _GOID.match(tok)
    if not m:
        raise AnswerError(f"{tok!r} in {text!r} is not a goroutine; write {form.example}")
    return int(m.group(1))


def _goids(t, form, text):
    toks = [x for x in re.split(r"[\s,;]+", t) if x]
    return [_goid(x, form, text) for x in toks]


class Form:
    """Base: ``describe`` says what to write, ``example`` is a valid answer."""
    describe = ""
    example = ""

    def parse(self, text):
        raise NotImplementedError

    def show(self, value):
        raise NotImplementedError


class Goid(Form):
    describe = "one goroutine, e.g. G5 (or 5)"
    example = "G5 (or 5)"

    def parse(self, text):
        t = _text(text, self)
        return _goid(t, self, t)

    def show(self, v):
        return f"G{v}"


class GoidList(Form):
    """Several goroutines; ``ordered`` says whether the order is part of the answer."""

    def __init__(self, ordered):
        self.ordered = ordered
        self.describe = ("goroutines in order, e.g. G3 G2 G4" if ordered else
                         "a set of goroutines in any order, e.g. G3 G4")
        self.example = "G3 G2 G4 (or 3, 2, 4)" if ordered else "G3 G4 (or 3 4)"

    def parse(self, text):
        t = _text(text, self)
        gs = _goids(t, self, t)
        if len(set(gs)) != len(gs):
            raise AnswerError(f"{text!r} names a goroutine twice; write each once, "
                              f"e.g. {self.example}")
        return tuple(gs) if self.ordered else tuple(sorted(gs))

    def show(self, v):
        return " ".join(f"G{g}" for g in v)


class Where(Form):
    """Where a runnable G waits: runnext, a slot of P0's ring, or a place in the global queue."""
    describe = ("runnext, runq[N] (slot N of P0's ring, 0..255, as Go's pp.runq[N]) or "
                "global[N] (N-th from the head of the global run queue, counting from 0)")
    example = "runnext, runq[3] or global[0]"
    _RE = re.compile(r"^(runnext|runq\s*\[\s*(\d+)\s*\]|global\s*\[\s*(\d+)\s*\])$", re.I)

    def parse(self, text):
        t = _text(text, self)
        m = self._RE.match(t)
        if not m:
            raise AnswerError(f"{t!r} is not a place in a run queue; write {self.example}")
        if m.group(2) is not None:
            n = int(m.group(2))
            if n > 255:
                raise AnswerError(f"{t!r}: a P's ring has slots 0..255 only")
            return ("runq", n)
        if m.group(3) is not None:
            return ("global", int(m.group(3)))
        return ("runnext", None)

    def show(self, v):
        return "runnext" if v[0] == "runnext" else f"{v[0]}[{v[1]}]"


class Steal(Form):
    """What a thief takes: the victim P and the goroutines (in any order)."""
    describe = "the victim P and the goroutines taken, in any order, e.g. P0: G3 G4"
    example = "P0: G3 G4"
    _RE = re.compile(r"^[Pp](\d+)\s*[:,]?\s*(.*)$")

    def parse(self, text):
        t = _text(text, self)
        m = self._RE.match(t)
        if not m or not m.group(2).strip():
            raise AnswerError(f"{t!r} does not name a victim P and its goroutines; "
                              f"write {self.example}")
        gs = _goids(m.group(2), self, t)
        if len(set(gs)) != len(gs):
            raise AnswerError(f"{t!r} names a goroutine twice")
        return (int(m.group(1)), tuple(sorted(gs)))

    def show(self, v):
        return f"P{v[0]}: " + " ".join(f"G{g}" for g in v[1])


class Choice(Form):
    """One word out of a fixed set (with its meaning)."""

    def __init__(self, words):
        self.words = dict(words)
        self.describe = "one of: " + "; ".join(f"{w} ({d})" for w, d in self.words.items())
        self.example = " or ".join(self.words)

    def parse(self, text):
        t = _text(text, self).lower()
        if t not in self.words:
            raise AnswerError(f"{t!r} is not one of the answers; write one of: "
                              f"{', '.join(self.words)}")
        return t

    def show(self, v):
        return v


class Count(Form):
    describe = "a whole number, e.g. 12"
    example = "12"

    def parse(self, text):
        t = _text(text, self)
        if not re.fullmatch(r"\d+", t):
            raise AnswerError(f"{t!r} is not a whole number; write e.g. 12")
        return int(t)

    def show(self, v):
        return str(v)


class Fields(Form):
    """Named whole numbers, e.g. ``threads=9 idlethreads=6`` (or just ``9 6``, in this order)."""

    def __init__(self, names):
        self.names = tuple(names)
        self.example = " ".join(f"{n}={i + 3}" for i, n in enumerate(self.names))
        self.describe = (f"{', '.join(self.names)} as {self.example} "
                         f"(or the bare numbers in that order)")

    def parse(self, text):
        t = _text(text, self)
        pairs = re.findall(r"(\w+)\s*=\s*(-?\d+)", t)
        if pairs:
            got = dict(pairs)
            unknown = [k for k in got if k not in self.names]
            if unknown or set(got) != set(self.names) or re.sub(r"(\w+)\s*=\s*(-?\d+)", "",
                                                                  t).strip(" ,;"):
                raise AnswerError(f"{t!r}: give exactly {', '.join(self.names)}, "
                                  f"e.g. {self.example}")
            return tuple(int(got[n]) for n in self.names)
        nums = [x for x in re.split(r"[\s,;]+", t) if x]
        if len(nums) != len(self.names) or not all(re.fullmatch(r"\d+", x) for x in nums):
            raise AnswerError(f"{t!r} is not {len(self.names)} whole numbers; write "
                              f"{self.example}")
        return tuple(int(x) for x in nums)

    def show(self, v):
        return " ".join(f"{n}={x}" for n, x in zip(self.names, v))


class SchedtraceLine(Form):
    """A GODEBUG=schedtrace line; schedticks may be left out (then they are not compared)."""
    describe = ("the whole SCHED line as Go 1.25 prints it, e.g. SCHED 3ms: gomaxprocs=2 "
                "idleprocs=0 threads=5 spinningthreads=0 needspinning=0 idlethreads=1 "
                "runqueue=0 [ 1 0 ] schedticks=[ 4 2 ] (schedticks=[...] may be left out)")
    example = ("SCHED 3ms: gomaxprocs=2 idleprocs=0 threads=5 spinningthreads=0 "
               "needspinning=0 idlethreads=1 runqueue=0 [ 1 0 ]")
    KEYS = ("t_ms", "gomaxprocs", "idleprocs", "threads", "spinningthreads", "needspinning",
            "idlethreads", "runqueue")

    def parse(self, text):
        from ..schedtrace import parse
        t = _text(text, self)
        rows = parse(t)
        if len(rows) != 1 or any(rows[0][k] is None for k in self.KEYS) or not rows[0]["runq"]:
            raise AnswerError(f"{t!r} is not one complete schedtrace line; write e.g. "
                              f"{self.example}")
        r = rows[0]
        return tuple(r[k] for k in self.KEYS) + (tuple(r["runq"]),
                                                 tuple(r["schedticks"] or ()))

    def show(self, v):
        (t, n, idle, th, spin, need, ith, rq), runq, ticks = v[:8], v[8], v[9]
        s = (f"SCHED {t}ms: gomaxprocs={n} idleprocs={idle} threads={th} spinningthreads={spin} "
             f"needspinning={need} idlethreads={ith} runqueue={rq} [ "
             + " ".join(map(str, runq)) + " ]")
        if ticks:
            s += " schedticks=[ " + "".join(f"{x} " for x in ticks) + "]"
        return s

    @staticmethod
    def same(given, expected):
        """Equal, except that schedticks left out of ``given`` are not compared."""
        if not given[9]:
            return given[:9] == expected[:9]
        return given == expected
