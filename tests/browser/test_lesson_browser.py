"""A lesson in a real JupyterLab: open notebooks/04_p_runq.ipynb, check that before the kernel runs
a self-check already reads as a question (its no-JavaScript text form, answer hidden in a
<details>), run every cell, then answer two self-checks as a learner would — a wrong pick, the
right pick, a typed answer — and save screenshots (test-output/browser/lesson-*.png)."""
import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/04_p_runq.ipynb"


def _selfcheck_output(page, label):
    """The output area of the cell whose text form starts with ``label``."""
    return page.locator(".jp-Cell", has=page.locator(".gmplab-selfcheck", has_text=label)).first


def test_lesson_runs_and_answers_a_self_check(harness, jupyter_server, browser_page):
    page = browser_page
    harness.open_notebook(page, jupyter_server, NOTEBOOK)

    # stored outputs: the question, its choices, and the answer closed in <details>
    cell = _selfcheck_output(page, "Self-check 4.1.")
    cell.scroll_into_view_if_needed()
    text_form = cell.locator(".gmplab-selfcheck")
    text_form.wait_for(state="visible")
    assert "(b) at the tail of the P's ring" in text_form.inner_text()
    # the cell's source, which holds the answer, is collapsed (jupyter.source_hidden)
    assert cell.locator(".jp-InputPlaceholder").count() == 1
    details = text_form.locator("details")
    assert details.get_attribute("open") is None
    harness.screenshot(page, "lesson-selfcheck-stored")

    harness.run_all_cells(page)
    # the first figure is there, drawn by this kernel
    assert page.locator(".jp-OutputArea-output img").count() >= 2

    cell = _selfcheck_output(page, "Self-check 4.1.")
    cell.scroll_into_view_if_needed()
    feedback = cell.locator(".widget-html")
    feedback.wait_for(state="visible")
    assert feedback.inner_text().strip() == "Pick a letter."

    # a wrong answer first: the explanation and what to read again
    cell.get_by_role("button", name="a", exact=True).click()
    cell.locator(".widget-html", has_text="✗ Not (a) in runnext.").wait_for(state="visible")
    assert "Where does a new G go?" in feedback.inner_text()
    harness.screenshot(page, "lesson-selfcheck-wrong")

    # then the right one: why, and the Go function that decides
    cell.get_by_role("button", name="b", exact=True).click()
    cell.locator(".widget-html", has_text="✓ Right: (b) at the tail of the P's ring.").wait_for(
        state="visible")
    assert "runqput" in feedback.inner_text()
    harness.screenshot(page, "lesson-selfcheck-right")

    # the static answer opens too
    details = cell.locator(".gmplab-selfcheck details")
    details.locator("summary").click()
    assert details.get_attribute("open") is not None

    # a typed answer: 128 is wrong (why), 129 right
    typed = _selfcheck_output(page, "Self-check 4.2.")
    typed.scroll_into_view_if_needed()
    box = typed.locator(".widget-text input")
    box.fill("128")
    box.press("Enter")
    typed.locator(".widget-html", has_text="✗ Not 128.").wait_for(state="visible")
    box.fill("129")
    typed.get_by_role("button", name="Check").click()
    typed.locator(".widget-html", has_text="✓ Right: 129.").wait_for(state="visible")
    harness.screenshot(page, "lesson-selfcheck-typed")
    assert page.js_errors == []
