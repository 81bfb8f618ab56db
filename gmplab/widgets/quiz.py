"""The Quiz: a seeded practice problem (gmplab.problems) to answer in the notebook.

    from gmplab.widgets import Quiz
    Quiz(kind="steal", level=2, seed=7)

It shows the problem — its program in Go beside the same program in gmplab, what the runtime
showed at the question's moment, the question — takes an answer, says right or wrong with the
decisions that fixed the answer (each with its Go function), and offers another one (the next
seed). Every control is also a method, for tests and notebooks without a browser:
``answer(text)``, ``reveal()``, ``another()``, ``show(kind, level, seed)``. An answer in the
wrong form is explained in the feedback, never raised.
"""
import html
import re

import ipywidgets as W

from .. import problems as _problems
from ..problems import AnswerError, check_args

PRE = ("<pre style='font-size:12px; line-height:1.3; margin:0; padding:6px; white-space:pre; "
       "background:#f6f8fa; overflow-x:auto'>{}</pre>")


def _pre(text):
    return PRE.format(html.escape(text.expandtabs(4)))


def _para(text):
    return "<p style='margin:4px 0'>" + html.escape(text).replace("\n", "<br>") + "</p>"


class Quiz:
    """An ipywidgets quiz over ``gmplab.problems.make(kind, level, seed)``: choose the kind and
    level, type an answer, Check, Show the answer, Another one (seed + 1). Bad arguments
    raise, as ``problems.make`` does; bad answers are explained in the feedback."""

    def __init__(self, kind="runorder", level=1, seed=0):
        kind, level, seed = check_args(kind, level, seed)
        self.problem = None
        self.verdict = None
        self._syncing = False
        kinds = _problems.KINDS
        self.kind_pick = W.Dropdown(options=[(f"{k}: {v.title}", k) for k, v in kinds.items()],
                                    value=kind, description="kind",
                                    layout=W.Layout(width="460px"))
        self.level_pick = W.Dropdown(options=sorted(kinds[kind].levels), value=level,
                                     description="level", layout=W.Layout(width="150px"))
        self.title = W.HTML()
        self.go_code = W.HTML(layout=W.Layout(width="100%"))
        self.gmplab_code = W.HTML(layout=W.Layout(width="100%"))
        self.question = W.HTML()
        self.answer_box = W.Text(description="answer", layout=W.Layout(width="460px"),
                                 continuous_update=False)
        self.check_button = W.Button(description="Check", button_style="primary",
                                     tooltip="judge your answer")
        self.reveal_button = W.Button(description="Show the answer")
        self.another_button = W.Button(description="Another one", tooltip="the next seed")
        self.feedback = W.HTML()
        self.check_button.on_click(lambda _: self.answer(self.answer_box.value))
        self.reveal_button.on_click(lambda _: self.reveal())
        self.another_button.on_click(lambda _: self.another())
        self.kind_pick.observe(self._on_pick, names="value")
        self.level_pick.observe(self._on_pick, names="value")
        self.box = W.VBox([
            W.HBox([self.kind_pick, self.level_pick]), self.title,
            W.HBox([W.VBox([W.HTML("<b>Go</b>"), self.go_code], layout=W.Layout(width="50%")),
                    W.VBox([W.HTML("<b>gmplab</b>"), self.gmplab_code],
                           layout=W.Layout(width="50%"))]),
            self.question,
            W.HBox([self.answer_box, self.check_button, self.reveal_button,
                    self.another_button]),
            self.feedback])
        self.show(kind, level, seed)

    # --- actions ------------------------------------------------------------------------------
    def show(self, kind=None, level=None, seed=None):
        """Show the problem for (kind, level, seed); missing ones keep their current value."""
        p = self.problem
        kind = kind if kind is not None else p.kind
        level = level if level is not None else p.level
        seed = seed if seed is not None else p.seed
        kind, level, seed = check_args(kind, level, seed)
        self.problem = p = _problems.make(kind, level, seed)
        self.verdict = None
        self._syncing = True
        try:
            self.kind_pick.value = kind
            self.level_pick.options = sorted(_problems.KINDS[kind].levels)
            self.level_pick.value = level
        finally:
            self._syncing = False
        self.title.value = (f"<h4 style='margin:6px 0'>{html.escape(p.kind)}, level {p.level}, "
                            f"seed {p.seed}: {html.escape(p.title)}</h4>")
        self.go_code.value = _pre(p.go_code)
        self.gmplab_code.value = _pre(p.gmplab_code)
        q = (_pre(p.facts) if p.facts else "") + _para(p.question) + _para(
            "Answer with " + p.form.describe + ".")
        self.question.value = q
        self.answer_box.value = ""
        self.answer_box.placeholder = p.form.example
        self.feedback.value = ""
        return self

    def answer(self, text):
        """Judge ``text``; the feedback says right or wrong, the answer and why. Returns the
        Verdict, or None (with the reason in the feedback) for an answer in the wrong form."""
        try:
            v = self.problem.check(text)
        except AnswerError as e:
            self.feedback.value = _para(f"⚠ {e}")
            return None
        self.verdict = v
        color = "#1a7f37" if v.correct else "#cf222e"
        head, _, rest = v.message.partition("\n\n")
        self.feedback.value = (f"<p style='color:{color}; font-weight:bold; margin:4px 0'>"
                               f"{html.escape(head)}</p>" + _pre(rest))
        return v

    def reveal(self):
        """Show the answer and its explanation without judging anything."""
        self.feedback.value = _pre(self.problem.solution())
        return self

    def another(self):
        """Another problem of the same kind and level: the next seed."""
        return self.show(seed=self.problem.seed + 1)

    def feedback_text(self):
        """The feedback pane as plain text (for tests)."""
        return html.unescape(_strip_tags(self.feedback.value.replace("</p>", "</p>\n")))

    def _on_pick(self, change):
        if self._syncing:
            return
        kind = self.kind_pick.value
        level = self.level_pick.value
        if level not in _problems.KINDS[kind].levels:
            level = 1
        self.show(kind, level, self.problem.seed)

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)



def _strip_tags(s):
    return re.sub(r"<[^>]+>", "", s)
