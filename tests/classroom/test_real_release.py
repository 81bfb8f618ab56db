"""`gmplab grade` on the course's own release (exercises/ and solutions/, with the real
gmplab.grading), once they exist: every solution gets every point, every untouched exercise
none (each check's reason with its hint), and a correct answer that also patches the checks
none either."""
from pathlib import Path

import nbformat
import pytest

from gmplab.classroom import runner
from gmplab.classroom.grader import grade

ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted(p.stem for p in (ROOT / "exercises").glob("[0-9]*.ipynb")
               if (ROOT / "solutions" / p.name).is_file())
pytestmark = pytest.mark.skipif(not NAMES, reason="the course's exercises are not written yet")
PATCH = "import gmplab.grading.checks as _c\n_c.judge = lambda *a: None\n"


def test_solutions_pass_blanks_fail_and_patchers_are_caught(tmp_path):
    subs = tmp_path / "submissions"
    for who in ("solved", "blank", "patcher"):
        (subs / who).mkdir(parents=True)
    for name in NAMES:
        sol = nbformat.read(ROOT / "solutions" / f"{name}.ipynb", as_version=4)
        nbformat.write(sol, subs / "solved" / f"{name}.ipynb")
        nbformat.write(nbformat.read(ROOT / "exercises" / f"{name}.ipynb", as_version=4),
                       subs / "blank" / f"{name}.ipynb")
        answer = next(c for c in sol.cells if "answer" in c.metadata.get("tags", []))
        answer.source = PATCH + answer.source
        nbformat.write(sol, subs / "patcher" / f"{name}.ipynb")
    rows = grade(subs, ROOT / "exercises", tmp_path / "grades", jobs=2,
                 limits=runner.Limits(cell=300, notebook=1200))
    by = {}
    for r in rows:
        by.setdefault(r.learner, []).append(r)
    assert all(r.status == "passed" and r.points == r.max_points > 0 for r in by["solved"]), \
        [(r.check, r.status, r.reason[:300]) for r in by["solved"] if r.status != "passed"]
    assert all(r.status == "failed" and r.points == 0 and "hint" in r.reason
               for r in by["blank"]), [(r.check, r.status) for r in by["blank"]]
    assert all(r.status == "tampered" and r.points == 0 and "judge" in r.reason
               for r in by["patcher"]), [(r.check, r.status) for r in by["patcher"]]
