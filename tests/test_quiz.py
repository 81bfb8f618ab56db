"""The Quiz widget, headless: driven through its controls (text box, button.click(), the
dropdowns), with assertions on the feedback it shows."""
import pytest

from gmplab import problems

pytest.importorskip("ipywidgets")


def Quiz(**kw):
    # imported when a test runs, not at collection: importing gmplab.widgets imports the module
    # gmplab.viz.snapshot, which then shadows the function gmplab.viz.snapshot that test_viz
    # imports at its own collection
    from gmplab.widgets import Quiz
    return Quiz(**kw)


def click_check(q, text):
    q.answer_box.value = text
    q.check_button.click()
    return q.feedback_text()


def test_shows_the_problem_with_both_programs_and_the_question():
    q = Quiz(kind="steal", level=2, seed=7)
    p = problems.make("steal", 2, 7)
    assert q.problem.text() == p.text()
    assert "steal, level 2, seed 7" in q.title.value
    assert "go func()" in q.go_code.value and "rt.main(" in q.gmplab_code.value
    assert "Which P does" in q.question.value and "ring (head first)" in q.question.value
    assert q.answer_box.placeholder == p.form.example
    assert q.feedback.value == ""
    bundle = q._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_right_answer():
    q = Quiz(kind="runorder", level=1, seed=3)
    text = click_check(q, q.problem.answer_text)
    assert text.startswith("✓ Right") and q.verdict.correct
    assert "execute" in text                       # the decisions, with their Go functions


def test_wrong_answer_says_the_right_one_and_why():
    q = Quiz(kind="threads", level=2, seed=4)
    t, i = q.problem.answer
    text = click_check(q, f"threads={t + 1} idlethreads={i}")
    assert text.startswith("✗ Not quite") and not q.verdict.correct
    assert f"the runtime says {q.problem.answer_text}" in text
    assert "newm" in text


def test_answer_in_the_wrong_form_is_explained_not_raised():
    q = Quiz(kind="placement", level=2, seed=1)
    text = click_check(q, "somewhere in the ring")
    assert text.startswith("⚠") and "'somewhere in the ring'" in text and "runq[3]" in text
    assert q.verdict is None


def test_another_one_is_the_next_seed_of_the_same_kind_and_level():
    q = Quiz(kind="retake", level=3, seed=10)
    click_check(q, "retake")
    q.another_button.click()
    assert (q.problem.kind, q.problem.level, q.problem.seed) == ("retake", 3, 11)
    assert q.problem.text() == problems.make("retake", 3, 11).text()
    assert q.feedback.value == "" and q.answer_box.value == ""
    assert "seed 11" in q.title.value


def test_show_the_answer():
    q = Quiz(kind="preemption", level=1, seed=2)
    q.reveal_button.click()
    assert q.feedback_text().startswith("Answer: " + q.problem.answer_text)


def test_kind_and_level_pickers():
    q = Quiz(kind="runorder", level=3, seed=5)
    q.kind_pick.value = "schedtrace"
    assert (q.problem.kind, q.problem.level, q.problem.seed) == ("schedtrace", 3, 5)
    q.level_pick.value = 1
    assert q.problem.level == 1 and "schedtrace, level 1" in q.title.value


@pytest.mark.parametrize("kw, words", [
    ({"kind": "nope"}, ["'nope'", "runorder"]),
    ({"kind": "steal", "level": 5}, ["level 5", "1..3"]),
    ({"seed": "x"}, ["seed", "'x'"]),
])
def test_bad_arguments_raise_clearly(kw, words):
    with pytest.raises((TypeError, ValueError)) as e:
        Quiz(**kw)
    for w in words:
        assert w in str(e.value)
