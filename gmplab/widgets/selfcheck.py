"""SelfCheck: a lesson's self-check question as a small widget that says right or wrong, and why.

    from gmplab.widgets import SelfCheck
    SelfCheck("Where does `go f()` put the new G?",
              choices=["the tail of the local ring", "runnext", "the global queue"],
              answer="runnext", decided_by="runqput",
              why="newproc calls runqput(pp, newg, next=true) ...",
              wrong={"the tail of the local ring": "That is where the old runnext goes."},
              review="the section “runnext”")

Displaying it puts two outputs in the cell:

1. the question in HTML that needs no JavaScript — the prompt, the lettered choices and the
   answer in a closed ``<details>`` block — so a stored notebook read on GitHub, on a static
   website or in JupyterLab before the kernel runs still shows a usable question;
2. the widget: one toggle button per letter (or a text box and Check for a typed answer), a
   "Show the answer" button and the feedback line, updated on every answer.

No points and nothing the learner does changes the stored outputs, so nbval compares the cell
like any other. The widget is built from ipywidgets' own controls only (works in JupyterLab,
Notebook 7, VS Code and Voilà without extensions). For tests and scripts: ``answer(x)``,
``reveal()``, ``feedback`` (the text shown now). The logic lives in gmplab.selfcheck.Question.
"""
import ipywidgets as W
from IPython.display import display

from ..selfcheck import LETTERS, Question, md_inline

_STYLE = {"right": "#009E73", "wrong": "#D55E00", "info": "#555555"}   # gmplab.viz.style colours


class SelfCheck:
    """A self-check question (arguments as gmplab.selfcheck.Question)."""

    def __init__(self, prompt, *, answer, why, decided_by, choices=None, wrong=None, accept=(),
                 review="", label="Self-check"):
        self.question = q = Question(prompt, answer=answer, why=why, decided_by=decided_by,
                                     choices=choices, wrong=wrong, accept=accept,
                                     review=review, label=label)
        self.feedback = ""
        self.right = None          # None until answered, then True/False for the last answer
        self.attempts = 0
        self._html = W.HTML(value="", layout=W.Layout(margin="0.2em 0 0 0"))
        self.reveal_button = W.Button(description="Show the answer", tooltip=q.answer_text(),
                                      layout=W.Layout(width="auto"))
        self.reveal_button.on_click(lambda _b: self.reveal())
        if q.choices:
            self.input = W.ToggleButtons(
                options=[(LETTERS[i], c) for i, c in enumerate(q.choices)], value=None,
                tooltips=list(q.choices), description="Your answer:",
                style={"button_width": "3em", "description_width": "initial"})
            self.input.observe(self._on_choice, names="value")
            row = [self.input, self.reveal_button]
        else:
            self.input = W.Text(value="", placeholder="your answer", description="Your answer:",
                                continuous_update=False, style={"description_width": "initial"},
                                layout=W.Layout(width="22em"))
            self.input.observe(self._on_text, names="value")
            self.check_button = W.Button(description="Check", button_style="primary",
                                         layout=W.Layout(width="auto"))
            self.check_button.on_click(lambda _b: self.answer(self.input.value))
            row = [self.input, self.check_button, self.reveal_button]
        self.widget = W.VBox([W.HBox(row), self._html])
        self._say(q.how_to_answer(), "info")

    # --- what the learner does -------------------------------------------------------------
    def answer(self, given):
        """Answer with ``given`` (a choice's letter or text, or the typed answer); returns the
        Feedback and shows it."""
        q = self.question
        if q.choices:
            choice = q.resolve(given)
            if choice is not None and self.input.value != choice:
                self.input.value = choice        # shows the pick; _on_choice judges it
                return q.judge(choice)
        fb = q.judge(given)
        self._show(fb)
        return fb

    def reveal(self):
        """Show the answer and why, without answering."""
        q = self.question
        self._say(f"The answer: {q.answer_text()}. {q.why} {q.decider()}", "info")

    def _on_choice(self, change):
        if change["new"] is not None:
            self._show(self.question.judge(change["new"]))

    def _on_text(self, change):
        if str(change["new"]).strip():
            self._show(self.question.judge(change["new"]))

    def _show(self, fb):
        if fb.message.startswith(("✓", "✗")):
            self.attempts += 1
            self.right = fb.right
        self._say(fb.message, "right" if fb.right else "wrong"
                  if fb.message.startswith("✗") else "info")

    def _say(self, text, kind):
        self.feedback = text
        self._html.value = (f'<div style="color:{_STYLE[kind]};line-height:1.4">'
                            f"{md_inline(text)}</div>")

    # --- display -----------------------------------------------------------------------------
    def _ipython_display_(self):
        q = self.question
        display({"text/plain": q.text(), "text/html": q.html()}, raw=True)
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = f"[{q.label}: answer it in the widget. {q.how_to_answer()}]"
        display(bundle, raw=True)

    def __repr__(self):
        return f"<SelfCheck {self.question.label!r}: {self.question.prompt[:60]!r}>"
