"""nbgrader takes the release as it is: the solutions are its source (their answer cells carry
BEGIN/END SOLUTION markers), `nbgrader generate_assignment` makes the learners' version and
`nbgrader autograde` grades submissions by the check cells' nbgrader metadata.

It also shows why `gmplab grade` exists: nbgrader runs the checks in the learner's kernel, so an
answer cell that patches the checks gets the points (`gmplab grade` gives it 0, see
test_grade.py's patches_grading)."""
import copy
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import synth
from synth import env

pytest.importorskip("nbgrader", reason="nbgrader is in the `nbgrader` extra")


def nbgrader(course, *args):
    r = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env(),
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


ROOT = Path(__file__).resolve().parents[2]
REAL = sorted(p.stem for p in (ROOT / "solutions").glob("[0-9]*.ipynb")
              if (ROOT / "exercises" / p.name).is_file())[:2]
#: an answer-cell line that makes every check of the kernel it runs in pass
PATCH = {"toy": "import toygrading\ntoygrading.judge = lambda check_id, data: "
                "toygrading.Verdict(True, '✓', 1, 1)\n",
         "real": "import gmplab.grading.checks as _c\n_c.judge = lambda check_id, data: "
                 "_c.Verdict(True, '✓', 1, 1)\n"}


def _source(course):
    """Put nbgrader's source/ps1 in place: the course's first two solutions, or the toy's."""
    src = course / "source" / "ps1"
    if REAL:
        src.mkdir(parents=True)
        for name in REAL:
            shutil.copy(ROOT / "solutions" / f"{name}.ipynb", src)
        return "real", REAL
    synth.write_release(src, synth.SOLUTION)
    return "toy", list(synth.SOLUTION)


def _answer(nb):
    return next(c for c in nb.cells if "answer" in c.metadata.get("tags", []))


def test_nbgrader_generates_and_autogrades_the_release(tmp_path):
    course = tmp_path / "course"
    kind, names = _source(course)
    (course / "nbgrader_config.py").write_text('c = get_config()\n'
                                               'c.CourseDirectory.course_id = "gmplab"\n')
    nbgrader(course, "generate_assignment", "ps1")
    first = names[0]
    student = nbformat.read(course / "release" / "ps1" / f"{first}.ipynb", as_version=4)
    solved = nbformat.read(course / "source" / "ps1" / f"{first}.ipynb", as_version=4)
    assert "raise NotImplementedError()" in _answer(student).source
    assert _answer(student).source.splitlines()[0] == _answer(solved).source.splitlines()[0]
    patched = copy.deepcopy(student)
    _answer(patched).source = PATCH[kind] + _answer(patched).source
    learners = {"good": solved, "blank": student, "patcher": patched}
    for who, nb in learners.items():
        d = course / "submitted" / who / "ps1"
        d.mkdir(parents=True)
        nbformat.write(nb, d / f"{first}.ipynb")
        for other in names[1:]:
            shutil.copy(course / "release" / "ps1" / f"{other}.ipynb", d)
    nbgrader(course, "autograde", "ps1")
    from nbgrader.api import Gradebook
    most = sum(c.metadata["nbgrader"]["points"] for c in solved.cells
               if c.metadata.get("nbgrader", {}).get("grade"))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {who: gb.find_submission_notebook(first, "ps1", who).score
                  for who in learners}
    assert scores == {"good": most, "blank": 0, "patcher": most}
