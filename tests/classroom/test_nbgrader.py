"""nbgrader takes the release as it is: the solutions are its source (their answer cells carry
BEGIN/END SOLUTION markers), `nbgrader generate_assignment` makes the learners' version and
`nbgrader autograde` grades submissions by the check cells' nbgrader metadata.

It also shows why `gmplab grade` exists: nbgrader runs the checks in the learner's kernel, so an
answer cell that patches the checks gets the points (`gmplab grade` gives it 0, see
test_grade.py's patches_grading)."""
import shutil
import subprocess
import sys

import nbformat
import pytest

import synth
from conftest import env

pytest.importorskip("nbgrader", reason="nbgrader is in the `nbgrader` extra")


def nbgrader(course, *args):
    r = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env(),
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_nbgrader_generates_and_autogrades_the_release(tmp_path):
    course = tmp_path / "course"
    synth.write_release(course / "source" / "ps1", synth.SOLUTION)
    (course / "nbgrader_config.py").write_text('c = get_config()\n'
                                               'c.CourseDirectory.course_id = "gmplab"\n')
    nbgrader(course, "generate_assignment", "ps1")
    student = nbformat.read(course / "release" / "ps1" / "01_ring.ipynb", as_version=4)
    answer = next(c for c in student.cells if "answer" in c.metadata.get("tags", []))
    assert answer.source.startswith("def ring_slot(tail):") and \
        "raise NotImplementedError()" in answer.source and "% 256" not in answer.source
    learners = {"good": synth.exercise("01_ring", synth.SOLUTION),
                "blank": nbformat.read(course / "release" / "ps1" / "01_ring.ipynb", 4),
                "patcher": synth._with("01_ring", synth.PATCH_GRADING)}
    for who, nb in learners.items():
        d = course / "submitted" / who / "ps1"
        d.mkdir(parents=True)
        nbformat.write(nb, d / "01_ring.ipynb")
        shutil.copy(course / "release" / "ps1" / "02_first_run.ipynb", d)
    nbgrader(course, "autograde", "ps1")
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {who: gb.find_submission_notebook("01_ring", "ps1", who).score
                  for who in learners}
    assert scores == {"good": 3, "blank": 0, "patcher": 3}
