"""The README's two set-up commands, as a new user (or root, in a container or CI) types them.

The install step is checked without touching the environment (pip --dry-run); the lab command is
run as the README writes it — it warms the core, then JupyterLab must start (as root too: no
"Running as root is not recommended") — on a free loopback port without a browser, and is
stopped again.
"""
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gmplab import lab

ROOT = Path(__file__).resolve().parents[1]


def setup_commands():
    """The command lines of the README's "Set up" section (indented code lines)."""
    text = (ROOT / "README.md").read_text()
    section = re.search(r"^## Set up.*?$(.*?)^## ", text, re.S | re.M).group(1)
    return [ln.strip() for ln in section.splitlines() if ln.startswith("    ") and ln.strip()]


def test_the_readme_has_exactly_two_set_up_commands():
    cmds = setup_commands()
    assert len(cmds) == 2, cmds
    install, run = cmds[0].split(" && ")
    assert install == 'python3 -m pip install -e ".[lab]"'
    assert run.startswith("python3 -m gmplab lab ")
    assert cmds[1] == "bash tools/test"
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    assert any(d.startswith("jupyterlab") for d in extras["lab"])


def test_the_install_step_resolves():
    install = shlex.split(setup_commands()[0].split(" && ")[0])
    assert install[:4] == ["python3", "-m", "pip", "install"]
    r = subprocess.run([sys.executable, *install[1:4], "--dry-run", "--no-deps",
                        "--no-build-isolation", *install[4:]], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Would install gmplab" in r.stdout


@pytest.mark.parametrize("euid,root", [(0, True), (1000, False)])
def test_lab_adds_allow_root_only_for_root(euid, root):
    cmd = lab.command(["notebooks/01_gmp_structs.ipynb"], euid=euid)
    assert cmd[:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert ("--allow-root" in cmd) == root
    assert lab.command(["--allow-root"], euid=0).count("--allow-root") == 1


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ok(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def test_the_readme_lab_command_starts_jupyterlab_and_stops(tmp_path):
    pytest.importorskip("jupyterlab")
    run = shlex.split(setup_commands()[0].split(" && ")[1])
    assert run[:3] == ["python3", "-m", "gmplab"]
    port = _free_port()
    # the README's command, plus what a test needs: loopback, a free port, no browser, no token,
    # no look-ups on the network, private config and runtime folders
    args = [sys.executable, *run[1:], "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            "--ServerApp.port_retries=0", "--ServerApp.token=", "--ServerApp.password=",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240        # warm (the cache is warm here), then the server
        base = f"http://127.0.0.1:{port}/"
        while not _ok(base + "lab"):
            assert proc.poll() is None, f"gmplab lab exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"no server:\n{log.read_text()[-3000:]}"
            time.sleep(0.3)
        assert _ok(base + "api/contents/notebooks/01_gmp_structs.ipynb")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)     # JupyterLab stops on SIGTERM
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    text = log.read_text()
    assert "Running as root is not recommended" not in text
    assert "gmplab core ready" in text                  # it warmed first
    if lab.is_root():
        assert "JupyterLab gets --allow-root" in text
    assert proc.returncode is not None
