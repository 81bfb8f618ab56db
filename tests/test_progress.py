"""A cold cache says what it is doing: ``gmplab warm`` prints its steps and a progress bar, and a
notebook whose first Runtime has to compile says so on stdout (nothing on stderr).

Each test copies the (warm) cache and deletes a few kernels from the copy, so that the compile
is real but short: the same code path as an empty cache, at a few seconds' cost.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gmplab.runtime._jit import KERNELS, cache_dir

ROOT = Path(__file__).resolve().parents[1]


def _partly_cold(tmp_path, names):
    """A copy of this core's cache without the kernels ``names`` (module.function)."""
    src = Path(cache_dir())
    dst = tmp_path / "cache" / src.name
    shutil.copytree(src, dst)
    gone = 0
    for name in names:
        mod, fn = name.rsplit(".", 1)
        for f in dst.glob(f"*/{mod}.{fn}-*"):
            f.unlink()
            gone += 1
    assert gone >= 2 * len(names), "the cache is not warm: run `python3 -m gmplab warm` first"
    return tmp_path / "cache"


def _env(cache):
    return {**os.environ, "GMPLAB_CACHE_DIR": str(cache),
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def test_warm_shows_steps_and_a_progress_bar_on_a_cold_cache(tmp_path):
    cache = _partly_cold(tmp_path, ["engine.api_gomaxprocs", "engine.api_interrupt"])
    r = subprocess.run([sys.executable, "-m", "gmplab", "warm"], cwd=ROOT, env=_env(cache),
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    out = r.stdout
    assert f"gmplab warm: 2 of {len(KERNELS)} kernels are not in numba's cache" in out
    assert "] the virtual-clock driver (gmplab.Runtime)" in out
    assert "gmplab: numba is compiling the scheduler core into its cache (2 kernels" in out
    assert "compiling: 100%" in out and "2/2" in out
    assert "gmplab core ready: 2 kernels compiled" in out
    assert r.stderr == ""
    # warm again: nothing to compile, one line
    r = subprocess.run([sys.executable, "-m", "gmplab", "warm"], cwd=ROOT, env=_env(cache),
                       capture_output=True, text=True, timeout=600)
    assert r.stdout.startswith("gmplab core ready in ") and "loaded from numba's cache" in r.stdout
    assert "compiling" not in r.stdout


def test_a_notebook_that_meets_a_cold_cache_says_so_on_stdout(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cache = _partly_cold(tmp_path, ["engine.api_gomaxprocs"])
    for k, v in _env(cache).items():
        monkeypatch.setenv(k, v)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import gmplab\nrt = gmplab.Runtime(gomaxprocs=2)\n"
                                          "rt.gomaxprocs(3)\nprint('GOMAXPROCS', rt.gomaxprocs())")]
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outs = nb.cells[0].outputs
    assert [o.get("name") for o in outs if o.output_type == "stream"] == ["stdout"] * len(outs)
    text = "".join(o.text for o in outs)
    assert "gmplab: numba is compiling the scheduler core into its cache (1 kernel, a few seconds" \
        in text
    assert text.rstrip().endswith("GOMAXPROCS 3")
