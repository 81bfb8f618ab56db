"""The Playground outside JupyterLab: Jupyter Notebook 7 and a standalone Voila.

Notebook 7 runs in its own ``jupyter notebook`` server (``notebook7_server``; ``/notebooks/<path>``
of the JupyterLab server would do too, but breaks once JupyterLab has opened the notebook there);
its DOM is JupyterLab's, so the harness's kernel and Run-All helpers apply unchanged.  Voila runs in its own server (``voila_server``) and
executes the notebook itself; the test only waits for the rendered widgets.
Screenshots: test-output/browser/nb7-playground-*.png and voila-playground-*.png.
"""
import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/02_playground.ipynb"

# The Playground's picture is the first ipywidgets Image of the page; its narrative the HTML
# widget that starts with "What just happened".
PICTURE_SRC = ("(() => { const i = document.querySelector('.widget-image');"
               " return i ? i.getAttribute('src') : null; })()")
NARRATIVE_TEXT = ("(() => { for (const h of document.querySelectorAll('.widget-html')) "
                  "{ if (h.innerText.includes('What just happened')) return h.innerText; } "
                  "return null; })()")


def _wait_changed(page, expr, old, timeout=30_000):
    """Wait until a JS expression over the page (returning a string) differs from ``old``."""
    page.wait_for_function(
        "([expr, old]) => { const v = eval(expr); return v !== null && v !== old; }",
        arg=[expr, old], timeout=timeout, polling=100)


def _playground(page):
    """Wait for the Playground's button, picture and narrative; return (picture, narrative)."""
    page.get_by_role("button", name="go func()").wait_for(state="visible")
    picture = page.locator(".widget-image").first
    picture.wait_for(state="visible")
    narrative = page.locator(".widget-html", has_text="What just happened").first
    narrative.wait_for(state="visible")
    return picture, narrative


def _click_go(page, picture, narrative):
    """Click "go func()"; check that the narrative and the picture changed as in JupyterLab."""
    src0, text0 = picture.get_attribute("src"), narrative.inner_text()
    # the notebook's cell started G2 and G3 before showing the Playground
    assert src0 and "go func() [CPU-bound] → G3" in text0
    page.get_by_role("button", name="go func()").click()
    page.locator(".widget-html", has_text="go func() [CPU-bound] → G4").wait_for(state="visible")
    _wait_changed(page, PICTURE_SRC, src0)
    text1 = narrative.inner_text()
    assert text1 != text0 and "injectglist" in text1 and "newproc" in text1
    return picture.get_attribute("src")


# Notebook 7.6.5 (with JupyterLab 4.6.6) throws this at page load for every notebook, even an
# empty one, before any cell runs (its keyboard-shortcut settings handler); not the Playground's.
NB7_KNOWN_LOAD_ERRORS = ("Cannot read properties of undefined (reading 'schema')",)


def open_notebook7(page, base_url: str, relpath: str, harness) -> None:
    """Open ``relpath`` in Notebook 7's single-document page; wait for an idle kernel."""
    page.goto(base_url.rstrip("/") + "/notebooks/" + relpath.lstrip("/"),
              wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(
        state="visible", timeout=60_000)
    # Notebook 7, not JupyterLab: no dock panel, the notebook is the page.
    assert page.locator("#jp-main-dock-panel").count() == 0
    harness.wait_kernel_idle(page)
    unknown = [e for e in page.js_errors if e not in NB7_KNOWN_LOAD_ERRORS]
    assert unknown == [], f"JavaScript errors while Notebook 7 loaded: {unknown}"
    page.js_errors.clear()  # from here on, every error counts


def test_playground_notebook7(harness, notebook7_server, notebook7_page):
    page = notebook7_page
    open_notebook7(page, notebook7_server, NOTEBOOK, harness)
    harness.run_all_cells(page)  # Notebook 7 has JupyterLab's Run menu and cell prompts

    picture, narrative = _playground(page)
    page.locator(".widget-button", has_text="go func()").first.evaluate(
        "b => b.closest('.jp-OutputArea-output').scrollIntoView()")
    harness.screenshot(page, "nb7-playground-before")

    src1 = _click_go(page, picture, narrative)
    harness.screenshot(page, "nb7-playground-after-go")

    # block in syscall: the G on the selected (running) M enters a syscall
    page.get_by_role("button", name="block in syscall").click()
    page.locator(".widget-html", has_text="makes a blocking syscall").wait_for(state="visible")
    _wait_changed(page, PICTURE_SRC, src1)
    text2 = narrative.inner_text()
    assert "entersyscall" in text2 and "_Psyscall" in text2
    harness.screenshot(page, "nb7-playground-after-block")
    assert page.js_errors == []


def test_playground_voila(harness, voila_server, voila_page):
    page = voila_page
    # Voila answers only once the kernel has run every cell, then the widgets render.
    page.goto(voila_server, wait_until="domcontentloaded", timeout=120_000)
    picture, narrative = _playground(page)
    # Voila shows outputs only: no code cells, no notebook toolbar.
    assert page.locator(".jp-InputArea-editor").count() == 0
    # the Playground (controls, picture, narrative) at the top of the window
    page.locator(".widget-button", has_text="go func()").first.evaluate(
        "b => b.scrollIntoView({block: 'start'})")
    harness.screenshot(page, "voila-playground-before")

    _click_go(page, picture, narrative)
    harness.screenshot(page, "voila-playground-after-go")
    assert page.js_errors == []
