"""Smoke test of the browser harness: JupyterLab + Chromium + an ipywidgets round trip."""

from pathlib import Path

import pytest

SMOKE_NOTEBOOK = Path(__file__).with_name("_smoke.ipynb")

pytestmark = pytest.mark.browser


def test_widget_button_updates_label(harness, jupyter_server, browser_page):
    page = browser_page
    rel = harness.add_notebook(SMOKE_NOTEBOOK, "browser-tests/_smoke.ipynb")

    harness.open_notebook(page, jupyter_server, rel)
    harness.run_all_cells(page)

    button = page.get_by_role("button", name="go func()")
    button.wait_for(state="visible")
    label = page.locator(".widget-label", has_text="waiting for a goroutine")
    label.wait_for(state="visible")
    harness.screenshot(page, "smoke-before-click")

    button.click()
    page.locator(".widget-label", has_text="goroutine started (1)").wait_for(state="visible")
    button.click()
    page.locator(".widget-label", has_text="goroutine started (2)").wait_for(state="visible")
    shot = harness.screenshot(page, "smoke-after-click")

    assert shot.is_file() and shot.stat().st_size > 0
    # No uncaught JavaScript errors on the way (e.g. a widget manager that failed to load).
    assert page.js_errors == []
