"""The run-every-notebook-twice plugin (the repository's conftest.py): it queues every code cell of
every notebook nbval collects a second time, in the same kernel, and fails a cell that only works
once. (The second runs of the course's notebooks themselves happen in ``pytest --nbval
notebooks``, as items named ``Cell N (second run)``.)"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("nbval")
nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parents[1]
# the folders of notebooks that run clean top to bottom (lessons, practice, solved exercises);
# exercises/ holds the learners' copies, whose checks fail until they are solved
NOTEBOOK_DIRS = [d for d in ("notebooks", "solutions") if (ROOT / d).is_dir()]


def _pytest(args, cwd, **kw):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=600, **kw)


def _code_cells(path):
    nb = nbformat.read(path, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code")


def test_every_notebook_is_collected_twice():
    r = _pytest(["--nbval", "--collect-only", "-q", *NOTEBOOK_DIRS], ROOT)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    ids = [ln for ln in r.stdout.splitlines() if ".ipynb::" in ln]
    nbs = sorted(p for d in NOTEBOOK_DIRS for p in (ROOT / d).rglob("*.ipynb")
                 if ".ipynb_checkpoints" not in p.parts)
    assert nbs
    for nb in nbs:
        rel = nb.relative_to(ROOT).as_posix()
        mine = [i.split("::", 1)[1] for i in ids if i.startswith(rel + "::")]
        n = _code_cells(nb)
        assert mine == [f"Cell {k}" for k in range(n)] + [f"Cell {k} (second run)" for k in range(n)], rel


def _notebook(path, cells):
    """A notebook of (source, stdout) code cells, stored as if run once."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    for i, (src, out) in enumerate(cells, 1):
        c = new_code_cell(src)
        c.execution_count = i
        if out is not None:
            c.outputs = [new_output("stream", name="stdout", text=out)]
        nb.cells.append(c)
    nbformat.write(nb, str(path))


def test_a_cell_that_works_only_once_fails_on_the_second_run(tmp_path):
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    # the trap of issue 9, in miniature: the first call replaces the name it was called by
    _notebook(tmp_path / "once.ipynb", [
        ("import sys, types\n"
         "if 'viz' not in sys.modules:\n"
         "    viz = sys.modules['viz'] = types.ModuleType('viz')\n"
         "    def timeline():\n"
         "        viz.timeline = types.ModuleType('viz.timeline')   # importing the submodule\n"
         "        return 'a picture'\n"
         "    viz.timeline = timeline\n"
         "from viz import timeline", None),
        ("print(timeline())", "a picture\n"),
        ("# NBVAL_IGNORE_OUTPUT\nimport random\nprint(random.random())", "0.5\n"),
    ])
    r = _pytest(["--nbval", "-rA", "once.ipynb"], tmp_path)
    out = r.stdout
    assert r.returncode == 1, out[-3000:] + r.stderr[-2000:]
    assert "1 failed, 5 passed" in out, out[-3000:]        # 3 cells, twice; one fails
    assert "FAILED once.ipynb::Cell 1 (second run)" in out
    assert "PASSED once.ipynb::Cell 2 (second run)" in out     # ignored output: not compared
    assert "On the second run of the notebook in the same kernel" in out
    assert "'module' object is not callable" in out
    # --nbval-once: each cell once (collected only: no kernel needed to see it)
    r = _pytest(["--nbval", "--nbval-once", "--collect-only", "-q", "once.ipynb"], tmp_path)
    assert [ln for ln in r.stdout.splitlines() if "::" in ln] == [
        f"once.ipynb::Cell {k}" for k in range(3)], r.stdout[-2000:]
