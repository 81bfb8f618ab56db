"""A GitHub Classroom template repository for the course's exercises:

    python -m gmplab.classroom.template DEST [--release exercises/]

writes DEST/exercises/ (the release's notebooks, which the learners edit), the workflow
DEST/.github/workflows/classroom.yml, DEST/README.md and DEST/.gitignore (from the project's
``classroom/``), and DEST/.github/classroom/autograding.json, made from the release by
:func:`autograding` (one test per check cell, worth the cell's points), so that it never goes
stale."""
import argparse
import json
import shutil
import sys
from pathlib import Path

from . import release

HERE = Path(__file__).resolve().parents[2] / "classroom"
GRADES = ".grades"


def autograding(release_dir):
    """GitHub Classroom's autograding.json for the release: one test per check cell."""
    tests = []
    for ex in release.load(release_dir).values():
        for c in ex.checks:
            tests.append({"name": c.grade_id, "setup": "",
                          "run": f"python -m gmplab.classroom.report {GRADES} {c.grade_id}",
                          "input": "", "output": "", "comparison": "included", "timeout": 1,
                          "points": int(c.points) if c.points == int(c.points) else c.points})
    return {"tests": tests}


def write(dest, release_dir):
    dest = Path(dest)
    (dest / "exercises").mkdir(parents=True, exist_ok=True)
    for nb in sorted(Path(release_dir).glob("*.ipynb")):
        shutil.copy(nb, dest / "exercises" / nb.name)
    shutil.copytree(HERE / ".github", dest / ".github", dirs_exist_ok=True)
    (dest / ".github" / "classroom").mkdir(parents=True, exist_ok=True)
    (dest / ".github" / "classroom" / "autograding.json").write_text(
        json.dumps(autograding(release_dir), indent=2) + "\n")
    shutil.copy(HERE / "LEARNER.md", dest / "README.md")
    shutil.copy(HERE / "gitignore", dest / ".gitignore")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m gmplab.classroom.template",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("dest")
    ap.add_argument("--release", default="exercises")
    a = ap.parse_args(argv)
    try:
        write(a.dest, a.release)
    except release.ReleaseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"GitHub Classroom template written to {a.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
