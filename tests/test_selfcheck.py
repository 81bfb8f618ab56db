"""Self-check questions: the judging logic (gmplab.selfcheck, no widgets needed), the text forms a
reader without a kernel sees, and the SelfCheck widget driven headlessly as a learner would."""
import subprocess
import sys

import pytest

from gmplab.selfcheck import Question

CHOICE = dict(choices=["the tail of the ring", "runnext", "the global queue"], answer="runnext",
              why="newproc calls runqput(pp, newg, next=true).", decided_by="runqput",
              wrong={"the tail of the ring": "That is where the kicked G goes."},
              review="“Where does a new G go?”", label="Self-check 4.1")
TYPED = dict(answer="129", why="128 from the head plus the kicked G.", decided_by="runqputslow",
             wrong={"128": "Plus the kicked G."}, review="the spill section")


def test_choice_right_by_text_letter_or_parenthesised_letter():
    q = Question("Where does the new G go?", **CHOICE)
    for given in ("runnext", "b", "(b)", " B ", "Runnext."):
        fb = q.judge(given)
        assert fb.right, given
        assert fb.message.startswith("✓ Right: (b) runnext.")
        assert "newproc calls runqput" in fb.message and "`runqput`" in fb.message


def test_choice_wrong_explains_and_says_what_to_do():
    q = Question("Where does the new G go?", **CHOICE)
    fb = q.judge("a")
    assert not fb.right
    assert fb.message.startswith("✗ Not (a) the tail of the ring.")
    assert "That is where the kicked G goes." in fb.message
    assert "read “Where does a new G go?” once more" in fb.message
    fb = q.judge("c")          # no specific note: still says what to do next
    assert not fb.right and "Try again" in fb.message and "runnext" not in fb.message


def test_choice_out_of_range_and_empty():
    q = Question("Where?", **CHOICE)
    fb = q.judge("d")
    assert not fb.right and "'d' is not one of the choices" in fb.message and "a, b, c" in fb.message
    assert q.judge("").message == "Choose an answer first."
    assert q.judge(None).message == "Choose an answer first."


def test_typed_answers_are_normalised_and_compared_as_integers():
    q = Question("How many Gs move?", **TYPED)
    for given in ("129", " 129 ", "129.", "0129", "1_29"):
        assert q.judge(given).right, given
    fb = q.judge("128")
    assert not fb.right and "Plus the kicked G." in fb.message
    assert not q.judge("130").right
    assert q.judge("  ").message == "Type an answer first."
    q2 = Question("Which state?", answer="_Grunning", accept=["running"], why="exitsyscall.",
                  decided_by="exitsyscall")
    assert q2.judge("_grunning").right and q2.judge("Running").right
    assert not q2.judge("_Grunnable").right


def test_text_and_html_forms_show_the_question_and_hide_the_answer_in_details():
    q = Question("Where does `go f()` put the new G?", **CHOICE)
    t = q.text()
    assert t.splitlines()[0] == "Self-check 4.1: Where does `go f()` put the new G?"
    assert "  (a) the tail of the ring" in t and "  (c) the global queue" in t
    assert t.splitlines()[-1].startswith("Answer: (b) runnext.")
    h = q.html()
    assert "<code>go f()</code>" in h
    assert "<details><summary>" in h and h.index("<details>") < h.index("(b) runnext")
    assert "<script" not in h
    q = Question("1 < 2 & so?", answer="yes", why="<b> is not markup here", decided_by="execute")
    assert "1 &lt; 2 &amp; so?" in q.html() and "&lt;b&gt;" in q.html()


@pytest.mark.parametrize("kw, msg", [
    (dict(CHOICE, answer="nowhere"), "answer 'nowhere' is not one of the choices"),
    (dict(CHOICE, choices=["only one"], answer="only one", wrong={}), "needs 2..8 choices"),
    (dict(CHOICE, choices=["a", "a"], answer="a", wrong={}), "must differ"),
    (dict(CHOICE, decided_by="the scheduler"), "decided_by must name the Go function"),
    (dict(CHOICE, decided_by=""), "decided_by must name the Go function"),
    (dict(CHOICE, why=" "), "why must be a non-empty string"),
    (dict(CHOICE, wrong={"elsewhere": "x"}), "wrong['elsewhere'] is not one of the choices"),
    (dict(CHOICE, wrong={"runnext": "x"}), "explains the right answer"),
    (dict(CHOICE, accept=["x"]), "accept= is for typed answers"),
    (dict(TYPED, answer=""), "answer must be a non-empty string"),
])
def test_bad_questions_are_refused_with_a_message_naming_the_value(kw, msg):
    with pytest.raises(ValueError, match=msg.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        Question("Where?", **kw)


def test_bad_argument_types():
    with pytest.raises(TypeError, match="choices must be a list of strings"):
        Question("Where?", **dict(CHOICE, choices="abc"))
    with pytest.raises(TypeError, match="wrong must be a dict"):
        Question("Where?", **dict(CHOICE, wrong=["x"]))


def test_importing_gmplab_does_not_import_ipywidgets():
    code = ("import sys, gmplab, gmplab.selfcheck, gmplab.viz, gmplab.course; "
            "assert 'ipywidgets' not in sys.modules, sorted(m for m in sys.modules if 'widget' in m)")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the widget ---------------------------------------------------------------------------------

pytest.importorskip("ipywidgets")
from gmplab.widgets import SelfCheck  # noqa: E402


def test_widget_choice_feedback_and_attempts():
    s = SelfCheck("Where does the new G go?", **CHOICE)
    assert s.feedback == "Pick a letter." and s.right is None
    assert [label for label, _ in s.input.options] == ["a", "b", "c"]
    assert s.input.value is None and s.input.tooltips == tuple(CHOICE["choices"])
    s.input.value = "the tail of the ring"          # what a click on "a" does
    assert s.right is False and s.feedback.startswith("✗ Not (a)")
    assert "color:#D55E00" in s._html.value
    s.answer("b")
    assert s.right is True and s.input.value == "runnext" and s.attempts == 2
    assert s.feedback.startswith("✓ Right: (b) runnext.") and "color:#009E73" in s._html.value
    s.answer("b")                                      # the same pick again still answers
    assert s.attempts == 3


def test_widget_typed_answer_enter_and_check_button():
    s = SelfCheck("How many Gs move?", **TYPED)
    s.input.value = "128"                              # typed, then Enter (continuous_update off)
    assert s.right is False and "Plus the kicked G." in s.feedback
    s.input.value = "129"
    assert s.right is True
    s2 = SelfCheck("How many Gs move?", **TYPED)
    s2.input.value = ""
    s2.check_button.click()
    assert s2.feedback == "Type an answer first." and s2.attempts == 0


def test_widget_reveal_shows_answer_without_counting():
    s = SelfCheck("Where?", **CHOICE)
    s.reveal_button.click()
    assert s.feedback.startswith("The answer: (b) runnext.") and s.attempts == 0
    assert "`runqput`" in s.feedback and "<code>runqput</code>" in s._html.value


def test_widget_display_puts_the_text_form_first_then_the_widget():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    InteractiveShell.instance()
    s = SelfCheck("Where?", **CHOICE)
    with capture_output() as cap:
        s._ipython_display_()
    first, second = cap.outputs
    assert first.data["text/html"] == s.question.html()
    assert first.data["text/plain"] == s.question.text()
    assert "application/vnd.jupyter.widget-view+json" in second.data
    assert second.data["text/plain"] == "[Self-check 4.1: answer it in the widget. Pick a letter.]"
    # nothing the learner does changes what is displayed (nbval compares the same text)
    s.answer("a")
    with capture_output() as cap2:
        s._ipython_display_()
    assert cap2.outputs[0].data == first.data
