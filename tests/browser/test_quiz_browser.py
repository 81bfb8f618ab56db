"""The Quiz in a real JupyterLab: open notebooks/practice.ipynb, run every cell, answer the
first quiz wrong then right, and ask for another one; screenshots in
test-output/browser/quiz-*.png for a person to look at."""
import pytest

from gmplab import problems

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/practice.ipynb"
KIND, LEVEL, SEED = "runorder", 1, 0        # the notebook's first Quiz


def _answer(page, text):
    box = page.locator(".widget-text input").first
    box.fill(text)
    box.press("Enter")                     # continuous_update=False: the value syncs now
    page.get_by_role("button", name="Check").first.click()


def test_quiz_answer_wrong_right_and_another(harness, jupyter_server, browser_page):
    page = browser_page
    harness.open_notebook(page, jupyter_server, NOTEBOOK)
    harness.run_all_cells(page)

    p = problems.make(KIND, LEVEL, SEED)
    title = page.locator(".widget-html", has_text=f"{KIND}, level {LEVEL}, seed {SEED}").first
    title.wait_for(state="visible")
    title.scroll_into_view_if_needed()
    assert page.locator(".widget-html", has_text="go func() { // G2").first.is_visible()
    harness.screenshot(page, "quiz-before")

    wrong = next(f"G{g}" for g in range(2, 20) if g != p.answer)
    _answer(page, wrong)
    page.locator(".widget-html", has_text=f"Not quite: you said {wrong}").wait_for()
    _answer(page, p.answer_text)
    right = page.locator(".widget-html", has_text=f"Right: {p.answer_text}")
    right.wait_for()
    assert "execute" in right.inner_text()          # the decisions, with their Go functions
    right.scroll_into_view_if_needed()
    harness.screenshot(page, "quiz-right")

    page.get_by_role("button", name="Another one").first.click()
    page.locator(".widget-html", has_text=f"{KIND}, level {LEVEL}, seed {SEED + 1}").wait_for()
    assert right.count() == 0                        # the feedback was cleared
    harness.screenshot(page, "quiz-another")
    assert page.js_errors == []
