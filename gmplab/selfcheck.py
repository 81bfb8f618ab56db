"""Self-check questions: the lesson's own questions, answered in place, with the reason why.

    from gmplab.selfcheck import Question
    q = Question("Where does `go f()` put the new G?", answer="runnext",
                 choices=["the tail of the local ring", "runnext", "the global queue"],
                 why="newproc calls runqput(pp, newg, next=true): ...", decided_by="runqput",
                 wrong={"the tail of the local ring": "That is where the *old* runnext goes."},
                 review="the section “runnext”")
    q.judge("b")          # Feedback(right=True, message="✓ Right: runnext. ...")
    print(q.text())       # the text form: question, choices, answer at the end

A question is for learning, not grading: no points, nothing stored. It is either multiple
choice (``choices``; the learner picks one, by its text or its letter a, b, c ...) or typed
(no ``choices``; the answer is compared after normalising case, spaces and a trailing full stop,
and numerically when both sides are integers). ``decided_by`` names the Go function whose rule
settles the question, so that every answer points back into runtime/proc.go.

The widget (``gmplab.widgets.SelfCheck``) is built on this module; this module itself needs
neither ipywidgets nor a kernel, and renders the static text form that a reader of a stored
notebook (GitHub, a static website, JupyterLab before the kernel runs) sees.
"""
import html as _html
import re
from typing import NamedTuple

LETTERS = "abcdefgh"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_CODE = re.compile(r"`([^`]+)`")


class Feedback(NamedTuple):
    """What the learner is told: right or wrong, and a message that says why."""
    right: bool
    message: str


def _norm(s):
    s = " ".join(str(s).split()).casefold()
    return s[:-1].rstrip() if s.endswith(".") else s


def _as_int(s):
    try:
        return int(s.replace(",", "").replace("_", ""))
    except ValueError:
        return None


def md_inline(text):
    """HTML for a sentence with `code` spans (the only markup questions use)."""
    return _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", _html.escape(str(text), quote=False))


def _nonempty(value, name):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"Question {name} must be a non-empty string, not {value!r}")
    return value.strip()


class Question:
    """One self-check question (see the module docstring). Bad arguments raise ValueError or
    TypeError naming the bad value and what is allowed."""

    def __init__(self, prompt, *, answer, why, decided_by, choices=None, wrong=None,
                 accept=(), review="", label="Self-check"):
        self.prompt = _nonempty(prompt, "prompt")
        self.why = _nonempty(why, "why")
        self.label = _nonempty(label, "label")
        if not isinstance(decided_by, str) or not _IDENT.match(decided_by):
            raise ValueError("decided_by must name the Go function that decides, e.g. "
                             f"'runqput' or 'findRunnable', not {decided_by!r}")
        self.decided_by = decided_by
        if not isinstance(review, str):
            raise TypeError(f"review must be a string (where to read again), not {review!r}")
        self.review = review.strip()
        wrong = {} if wrong is None else wrong
        if not isinstance(wrong, dict):
            raise TypeError(f"wrong must be a dict {{wrong answer: why it is wrong}}, not {wrong!r}")
        if choices is None:
            self.choices = ()
            if isinstance(accept, str):
                accept = (accept,)
            self.accept = tuple(_nonempty(a, "accept entry") for a in accept)
            self.answer = _nonempty(str(answer), "answer")
        else:
            if isinstance(choices, str) or not hasattr(choices, "__iter__"):
                raise TypeError(f"choices must be a list of strings, not {choices!r}")
            self.choices = tuple(_nonempty(c, "choice") for c in choices)
            if not 2 <= len(self.choices) <= len(LETTERS):
                raise ValueError(f"a multiple-choice question needs 2..{len(LETTERS)} choices, "
                                 f"got {len(self.choices)}")
            if len(set(self.choices)) != len(self.choices):
                raise ValueError(f"choices must differ from each other: {list(self.choices)}")
            if answer not in self.choices:
                raise ValueError(f"answer {answer!r} is not one of the choices "
                                 f"{list(self.choices)}")
            if accept:
                raise ValueError("accept= is for typed answers; a multiple-choice question "
                                 "has exactly one right choice")
            self.accept = ()
            self.answer = answer
            for k in wrong:
                if k not in self.choices:
                    raise ValueError(f"wrong[{k!r}] is not one of the choices {list(self.choices)}")
                if k == answer:
                    raise ValueError(f"wrong[{k!r}] explains the right answer; put that in why=")
        self.wrong = {k: _nonempty(v, f"wrong[{k!r}]") for k, v in wrong.items()}

    # --- judging -------------------------------------------------------------------------
    @property
    def kind(self):
        """"choice" or "typed"."""
        return "choice" if self.choices else "typed"

    def letter(self, choice):
        """The letter (a, b, c ...) of a choice."""
        return LETTERS[self.choices.index(choice)]

    def resolve(self, given):
        """The choice the learner means by ``given`` (its text or its letter), or None."""
        if not self.choices:
            return None
        g = str(given).strip()
        if g in self.choices:
            return g
        key = g.strip("()").strip().casefold()
        if len(key) == 1 and key in LETTERS[:len(self.choices)]:
            return self.choices[LETTERS.index(key)]
        for c in self.choices:
            if _norm(c) == _norm(g):
                return c
        return None

    def _matches(self, given):
        g = _norm(given)
        for a in (self.answer,) + self.accept:
            a = _norm(a)
            if g == a:
                return True
            gi, ai = _as_int(g), _as_int(a)
            if gi is not None and gi == ai:
                return True
        return False

    def _wrong_note(self, given):
        if self.choices:
            return self.wrong.get(given, "")
        for k, v in self.wrong.items():
            if _norm(k) == _norm(given) or (_as_int(_norm(k)) is not None
                                            and _as_int(_norm(k)) == _as_int(_norm(given))):
                return v
        return ""

    def judge(self, given):
        """Right or wrong, with the message the learner reads."""
        if given is None or not str(given).strip():
            return Feedback(False, "Choose an answer first." if self.choices
                            else "Type an answer first.")
        if self.choices:
            choice = self.resolve(given)
            if choice is None:
                allowed = ", ".join(LETTERS[:len(self.choices)])
                return Feedback(False, f"{given!r} is not one of the choices: answer with a "
                                       f"letter ({allowed}) or a choice's text.")
            if choice == self.answer:
                return Feedback(True, self._right())
            shown = f"({self.letter(choice)}) {choice}"
            note = self._wrong_note(choice)
        else:
            if self._matches(given):
                return Feedback(True, self._right())
            shown = str(given).strip()
            note = self._wrong_note(given)
        again = f" Try again, or read {self.review} once more." if self.review else " Try again."
        return Feedback(False, f"✗ Not {shown}. {note}{' ' if note else ''}{again.strip()}")

    def _right(self):
        return f"✓ Right: {self.answer_text()}. {self.why} {self.decider()}"

    def answer_text(self):
        """The right answer as the learner sees it: "(b) runnext" or "129"."""
        if self.choices:
            return f"({self.letter(self.answer)}) {self.answer}"
        return self.answer

    def decider(self):
        return f"The Go function that decides: `{self.decided_by}`."

    # --- the static text form ----------------------------------------------------------------
    def how_to_answer(self):
        return ("Pick a letter." if self.choices
                else "Type your answer, then press Enter or Check.")

    def text(self):
        """Plain text: the question, the choices, then the answer (for a reader without a
        browser; a terminal, a text diff)."""
        lines = [f"{self.label}: {self.prompt}"]
        lines += [f"  ({LETTERS[i]}) {c}" for i, c in enumerate(self.choices)]
        lines.append(f"Answer: {self.answer_text()}. {self.why} {self.decider()}")
        return "\n".join(lines)

    def html(self):
        """HTML that needs no JavaScript: the question, the choices, and the answer in a
        closed <details> block (what a static website and a not-yet-run notebook show)."""
        items = "".join(f"<li><b>({LETTERS[i]})</b> {md_inline(c)}</li>"
                        for i, c in enumerate(self.choices))
        choices = f'<ul style="list-style:none;padding-left:1em;margin:0.3em 0">{items}</ul>' \
            if items else ""
        return (f'<div class="gmplab-selfcheck"><p><b>{_html.escape(self.label)}.</b> '
                f"{md_inline(self.prompt)}</p>{choices}"
                f"<details><summary>The answer, and why (open it after you have answered)"
                f"</summary><p><b>{md_inline(self.answer_text())}.</b> {md_inline(self.why)} "
                f"{md_inline(self.decider())}</p></details></div>")

    def __repr__(self):
        return f"<Question {self.label!r} ({self.kind}): {self.prompt[:60]!r}>"
