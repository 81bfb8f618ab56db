"""The Playground in a real JupyterLab: open notebooks/02_playground.ipynb, run every cell,
click "go func()" and "block in syscall", check that the picture and the narrative change, and
save screenshots (test-output/browser/playground-*.png) for a person to look at."""
import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/02_playground.ipynb"

# The Playground's picture is the first ipywidgets Image of the notebook; its narrative the
# HTML widget that starts with "What just happened".
PICTURE = ".widget-image >> nth=0"


def _narrative(page):
    return page.locator(".widget-html", has_text="What just happened").first


def _wait_changed(page, selector_js, old, what, timeout=30_000):
    """Wait until a JS expression over the page (returning a string) differs from ``old``."""
    page.wait_for_function(
        "([expr, old]) => { const v = eval(expr); return v !== null && v !== old; }",
        arg=[selector_js, old], timeout=timeout, polling=100)


PICTURE_SRC = ("(() => { const i = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)"
               " .widget-image'); return i ? i.getAttribute('src') : null; })()")
NARRATIVE_TEXT = ("(() => { for (const h of document.querySelectorAll('.widget-html')) "
                  "{ if (h.innerText.includes('What just happened')) return h.innerText; } "
                  "return null; })()")


def test_playground_go_and_block_in_syscall(harness, jupyter_server, browser_page):
    page = browser_page
    harness.open_notebook(page, jupyter_server, NOTEBOOK)
    harness.run_all_cells(page)

    go = page.get_by_role("button", name="go func()")
    go.wait_for(state="visible")
    picture = page.locator(PICTURE)
    picture.wait_for(state="visible")
    narrative = _narrative(page)
    narrative.wait_for(state="visible")
    go.scroll_into_view_if_needed()
    page.locator(".widget-button", has_text="go func()").first.evaluate(
        "b => b.closest('.jp-OutputArea-output').scrollIntoView()")
    src0 = picture.get_attribute("src")
    text0 = narrative.inner_text()
    # the notebook's cell started G2 and G3 before showing the Playground
    assert src0 and "go func() [CPU-bound] → G3" in text0
    harness.screenshot(page, "playground-before")

    # go func(): a new goroutine, injected through the global queue
    go.click()
    page.locator(".widget-html", has_text="go func() [CPU-bound] → G4").wait_for(state="visible")
    _wait_changed(page, PICTURE_SRC, src0, "picture")
    text1 = narrative.inner_text()
    assert text1 != text0 and "injectglist" in text1 and "newproc" in text1
    src1 = picture.get_attribute("src")
    harness.screenshot(page, "playground-after-go")

    # block in syscall: the G on the selected (running) M enters a syscall
    page.get_by_role("button", name="block in syscall").click()
    page.locator(".widget-html", has_text="makes a blocking syscall").wait_for(state="visible")
    _wait_changed(page, PICTURE_SRC, src1, "picture")
    text2 = narrative.inner_text()
    assert "entersyscall" in text2 and "_Psyscall" in text2
    harness.screenshot(page, "playground-after-block")

    # Step until sysmon's retake shows up in the narrative
    step = page.get_by_role("button", name="Step")
    for _ in range(40):
        before = narrative.inner_text()
        if "sysmon: retake" in before:
            break
        step.click()
        _wait_changed(page, NARRATIVE_TEXT, before, "narrative")
    assert "sysmon: retake" in narrative.inner_text()
    harness.screenshot(page, "playground-after-retake")
    narrative.scroll_into_view_if_needed()
    harness.screenshot(page, "playground-narrative")
    assert page.js_errors == []
