"""Browser-test harness: a throw-away JupyterLab server driven by Debian's Chromium via Playwright.

Fixtures
--------
``jupyter_root``  (session) -> pathlib.Path: temporary server root holding a copy of the repo's
                  notebook folders; tests may copy extra notebooks into it (see ``add_notebook``).
``jupyter_server`` (session) -> str: base URL (``http://127.0.0.1:<port>/``) of a JupyterLab
                  started on ``jupyter_root`` in its own process group; stopped on teardown.
``chromium``      (session) -> playwright Browser (Debian's chromium, launched once).
``browser_page``  (function) -> playwright Page, 1400x1000, fresh browser context per test.
``harness``       (session) -> namespace of the helpers below, so that test modules need not
                  ``import conftest`` (a module name other conftest.py files may shadow).
``voila_server``  (session) -> str: base URL of a standalone Voila rendering
                  ``notebooks/02_playground.ipynb`` from ``jupyter_root`` (own process group).
``notebook7_server`` (session) -> str: base URL of ``jupyter notebook`` (Notebook 7) on
                  ``jupyter_root`` (own process group).
``voila_page``, ``notebook7_page`` (function) -> playwright Page like ``browser_page``, for those
                  servers (neither starts JupyterLab).

Helpers: ``add_notebook(jupyter_root, src, dest=None) -> relpath``,
``open_notebook(page, base_url, relpath)``, ``run_all_cells(page)``, ``wait_kernel_idle(page)``,
``screenshot(page, name) -> Path``.

Without chromium or playwright the browser tests are skipped -- except when the environment
variable ``CI`` is set (``CI=true``): there a missing browser is a hard failure, so CI proves that
the browser tests really ran.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = REPO_ROOT / "test-output" / "browser"

# Folders of the repository copied into the server root (missing ones are skipped).
COPIED_DIRS = ("notebooks", "examples", "exercises")

SERVER_START_TIMEOUT_S = 60.0
NOTEBOOK_OPEN_TIMEOUT_MS = 60_000
KERNEL_IDLE_TIMEOUT_MS = 120_000

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]

# The notebook files under tests/ are fixtures for this harness, not nbval tests.
collect_ignore_glob = ["*.ipynb"]


# --------------------------------------------------------------------------- skip / fail logic


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str):
    """Skip locally; fail hard in CI, where the browser test must run."""
    if _in_ci():
        pytest.fail(f"browser test cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _find_chromium() -> str | None:
    override = os.environ.get("GMPLAB_CHROMIUM")  # explicit binary, e.g. on another distro
    if override:
        return override if os.access(override, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return None


# --------------------------------------------------------------------------- JupyterLab server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


def _quiet_lab_config(base: Path) -> dict[str, str]:
    """Private Jupyter config/settings dirs that silence the news toast and update checks.

    Returns the environment variables pointing the server at them.
    """
    config_dir = base / "jupyter-config"
    settings_dir = base / "lab-user-settings"
    # 1. Disable the announcements plugin itself (it emits the "official Jupyter news?" toast).
    _write_json(
        config_dir / "labconfig" / "page_config.json",
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}},
    )
    # 2. Belt and braces: answer the question in the user settings the toast would ask it in.
    _write_json(
        settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
        {"fetchNews": "false", "checkForUpdates": False},
    )
    # 3. Render every cell (no virtual scrolling), so that locators and the "[*]" checks see
    #    the whole notebook, however long.
    _write_json(
        settings_dir / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
        {"windowingMode": "none"},
    )
    return {
        "JUPYTER_CONFIG_DIR": str(config_dir),
        "JUPYTERLAB_SETTINGS_DIR": str(settings_dir),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "lab-workspaces"),
        "JUPYTER_RUNTIME_DIR": str(base / "jupyter-runtime"),
    }


def _http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop_process_group(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        return
    # SIGTERM first: the server then shuts its kernels down (they run in sessions of their own,
    # so killing our process group alone would leave them to notice their parent is gone).
    for sig, wait_s in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            # Reap stragglers in the group (if any) as well.
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            return
        except subprocess.TimeoutExpired:
            continue


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Linux: have the server get SIGTERM if pytest itself is killed (no orphaned servers)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001
        pass


@pytest.fixture(scope="session")
def jupyter_root(tmp_path_factory) -> Path:
    """Server root: a temporary copy of the repo's notebook folders."""
    root = tmp_path_factory.mktemp("lab-root")
    for name in COPIED_DIRS:
        src = REPO_ROOT / name
        if src.is_dir():
            shutil.copytree(
                src,
                root / name,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
            )
    return root


@pytest.fixture(scope="session")
def jupyter_server(jupyter_root: Path, tmp_path_factory):
    """Start JupyterLab on ``jupyter_root``; yield its base URL; kill its process group after."""
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        _unavailable("jupyterlab is not installed (pip install -e '.[test]')")

    state = tmp_path_factory.mktemp("lab-state")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}/"
    cmd = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={jupyter_root}",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--allow-root",
    ]
    # the kernels import the repo's gmplab even when it is not installed (_kernel_env)
    with _served("JupyterLab", cmd, jupyter_root, state, base_url + "lab"):
        yield base_url


# --------------------------------------------------------------------------- Notebook 7, Voila


def _kernel_env(state: Path) -> dict[str, str]:
    """The environment for a server on ``state``: private config dirs, the repo on PYTHONPATH."""
    env = dict(os.environ)
    env.update(_quiet_lab_config(state))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
    )
    env.pop("JUPYTER_TOKEN", None)
    return env


@contextlib.contextmanager
def _served(name: str, cmd: list[str], cwd: Path, state: Path, ready_url: str):
    """Run ``cmd`` in its own process group until ``ready_url`` answers 200; stop it after."""
    log_path = state / f"{name.lower().replace(' ', '-')}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=_kernel_env(state),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, killed as a whole on teardown
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _http_ok(ready_url):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-4000:]
                what = "exited" if proc.poll() is not None else "did not answer in time"
                pytest.fail(f"{name} {what}; log tail:\n{tail}", pytrace=False)
            time.sleep(0.25)
        yield
    finally:
        _stop_process_group(proc)


@pytest.fixture(scope="session")
def notebook7_server(jupyter_root: Path, tmp_path_factory):
    """Start ``jupyter notebook`` (Notebook 7) on ``jupyter_root``; yield its base URL.

    A server of its own rather than ``/notebooks/`` of ``jupyter_server``: once JupyterLab has
    opened a notebook there, Notebook 7.6.5's page for it throws at load and its Run menu can fail.
    """
    try:
        import notebook  # noqa: F401
    except ImportError:
        _unavailable("notebook (7) is not installed (pip install -e '.[test]')")
    state = tmp_path_factory.mktemp("nb7-state")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}/"
    cmd = [
        sys.executable, "-m", "jupyter", "notebook",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={jupyter_root}",
        "--ServerApp.terminals_enabled=False",
        "--allow-root",
    ]
    with _served("Notebook 7", cmd, jupyter_root, state, base_url + "tree"):
        yield base_url


VOILA_NOTEBOOK = "notebooks/02_playground.ipynb"


@pytest.fixture(scope="session")
def voila_server(jupyter_root: Path, tmp_path_factory):
    """Start a standalone Voila on ``VOILA_NOTEBOOK``; yield its base URL (the rendered page).

    Voila executes the whole notebook for every page load (a fresh kernel each time), so a GET of
    the base URL is not a readiness probe; a static file (``voila/static/favicon.ico``) is.
    """
    try:
        import voila  # noqa: F401
    except ImportError:
        _unavailable("voila is not installed (pip install -e '.[test]')")
    state = tmp_path_factory.mktemp("voila-state")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}/"
    cmd = [
        sys.executable, "-m", "voila", VOILA_NOTEBOOK,
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
    ]
    with _served("Voila", cmd, jupyter_root, state, base_url + "voila/static/favicon.ico"):
        yield base_url


# --------------------------------------------------------------------------- Playwright


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole session (launching it is the slow part)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright (python) is not installed (pip install playwright)")
    executable = _find_chromium()
    if executable is None:
        _unavailable("chromium not found (apt-get install chromium); "
                     "do not use `playwright install`")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium, jupyter_server, request):
    """A fresh page (own browser context, 1400x1000) for each test.

    ``page.js_errors`` collects the page's uncaught JavaScript errors.
    If the test fails, a ``FAILED-<test name>.png`` screenshot is saved for post-mortem.
    """
    yield from _fresh_page(chromium, request)


def _fresh_page(chromium, request):
    """A new 1400x1000 page; ``page.js_errors`` lists uncaught JavaScript errors (for tests
    that assert on them); a failing test leaves ``FAILED-<test>.png``."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    page.js_errors = js_errors
    try:
        yield page
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            try:
                screenshot(page, f"FAILED-{request.node.name}")
            except Exception:  # noqa: BLE001 - best effort only
                pass
        context.close()


@pytest.fixture
def voila_page(chromium, voila_server, request):
    """A page like ``browser_page``'s, for Voila (does not start JupyterLab)."""
    yield from _fresh_page(chromium, request)


@pytest.fixture
def notebook7_page(chromium, notebook7_server, request):
    """A page like ``browser_page``'s, for Notebook 7 (does not start JupyterLab)."""
    yield from _fresh_page(chromium, request)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


# --------------------------------------------------------------------------- helpers


def add_notebook(jupyter_root: Path, src: Path | str, dest: str | None = None) -> str:
    """Copy a notebook into the server root; return its path relative to the root."""
    src = Path(src)
    rel = dest or src.name
    target = jupyter_root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, target)
    return rel


def wait_kernel_idle(page, timeout_ms: int = KERNEL_IDLE_TIMEOUT_MS) -> None:
    """Wait until the active notebook has a started, idle kernel and no queued/running cell.

    The toolbar's execution indicator already says "idle" while the kernel is still being
    created ("No Kernel | Initializing"), so a kernel name is required as well.
    """
    page.wait_for_function(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            if (!panel) return false;
            const name = panel.querySelector('.jp-Toolbar-kernelName');
            const kernel = name ? name.textContent.trim() : '';
            if (!kernel || kernel === 'No Kernel') return false;
            const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
            if (!ind || ind.getAttribute('data-status') !== 'idle') return false;
            // A queued/running cell shows "[*]:" in its input prompt.
            for (const p of panel.querySelectorAll('.jp-InputArea-prompt')) {
                if (p.textContent.includes('*')) return false;
            }
            return true;
        }""",
        timeout=timeout_ms,
        polling=100,
    )


def _unexecuted_code_cells(page) -> int:
    """Count non-empty code cells of the active notebook with an empty "[ ]:" prompt."""
    return page.evaluate(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            let n = 0;
            for (const cell of panel.querySelectorAll('.jp-CodeCell')) {
                const src = cell.querySelector('.cm-content');
                const prompt = cell.querySelector('.jp-InputArea-prompt');
                if (src && src.textContent.trim() && prompt
                        && /^\\[\\s*\\]/.test(prompt.textContent.trim())) n++;
            }
            return n;
        }"""
    )


def open_notebook(page, base_url: str, relpath: str) -> None:
    """Open ``relpath`` (relative to the server root) in JupyterLab; wait for an idle kernel."""
    url = base_url.rstrip("/") + "/lab/tree/" + relpath.lstrip("/")
    # ?reset gives a clean workspace: no restored tabs from an earlier test.
    page.goto(url + "?reset", wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(
        state="visible", timeout=NOTEBOOK_OPEN_TIMEOUT_MS
    )
    wait_kernel_idle(page)


def run_all_cells(page, timeout_ms: int = KERNEL_IDLE_TIMEOUT_MS) -> None:
    """Run every cell of the active notebook (Run menu > Run All Cells) and wait until done."""
    # Focus the notebook so the command applies to it.
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first.click(
        position={"x": 5, "y": 5}
    )
    try:
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        item = page.locator(".lm-Menu").get_by_role("menuitem", name="Run All Cells", exact=True)
        item.wait_for(state="visible", timeout=5_000)
        item.click()
    except Exception as exc:  # noqa: BLE001 - fall back to the command palette
        warnings.warn(f"Run menu failed ({type(exc).__name__}); using the command palette")
        page.keyboard.press("Escape")
        page.keyboard.press("Control+Shift+C")
        palette = page.locator(".lm-CommandPalette-input")
        palette.wait_for(state="visible", timeout=5_000)
        palette.fill("Run All Cells")
        page.locator(
            '.lm-CommandPalette-item[data-command="notebook:run-all-cells"]'
        ).first.click()
    # The prompts turn into "[*]" as soon as the cells are queued; then wait for the kernel.
    page.wait_for_timeout(200)
    wait_kernel_idle(page, timeout_ms)
    left = _unexecuted_code_cells(page)
    assert left == 0, f"Run All Cells left {left} code cell(s) unexecuted"


def screenshot(page, name: str) -> Path:
    """Save a screenshot as ``test-output/browser/<name>.png`` at the repo root."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    path = OUTPUT_DIR / f"{safe}.png"
    page.screenshot(path=str(path))
    return path


@pytest.fixture(scope="session")
def harness(jupyter_root):
    """The helpers above, with ``add_notebook`` bound to the session's server root."""
    return SimpleNamespace(
        root=jupyter_root,
        output_dir=OUTPUT_DIR,
        add_notebook=lambda src, dest=None: add_notebook(jupyter_root, src, dest),
        open_notebook=open_notebook,
        run_all_cells=run_all_cells,
        wait_kernel_idle=wait_kernel_idle,
        screenshot=screenshot,
    )
