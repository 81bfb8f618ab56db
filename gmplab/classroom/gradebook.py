"""The gradebook: one row per learner, notebook and check cell, written as ``gradebook.csv``
and ``gradebook.json`` (the same rows, in the same order)."""
import csv
import json
from typing import NamedTuple

#: what a row's status says
STATUSES = {
    "passed": "the check passed",
    "failed": "the learner's function ran and gave a wrong result",
    "error": "the learner's code raised, or does not define the function the check needs",
    "timeout": "a cell, the check or the notebook ran past its time limit",
    "crashed": "the notebook's process died (os._exit, a crash)",
    "output": "the notebook printed more than the output cap",
    "tampered": "learner code patched the checks or the runtime, or interfered with grading",
    "invalid": "the notebook file could not be read as an nbformat 4 notebook",
    "missing": "no notebook of that name was submitted",
}

FIELDS = ("learner", "notebook", "check", "points", "max_points", "status", "reason", "notes")


class Row(NamedTuple):
    learner: str
    notebook: str
    check: str
    points: float
    max_points: float
    status: str
    reason: str
    notes: str


def _cell(v):
    """A CSV field that a spreadsheet will not run as a formula (a learner's exception message
    can start with '=')."""
    return "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def write(rows, out):
    """Write DIR/gradebook.csv and DIR/gradebook.json."""
    with open(out / "gradebook.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(FIELDS)
        w.writerows([_cell(v) for v in r] for r in rows)
    with open(out / "gradebook.json", "w", encoding="utf-8") as f:
        json.dump([r._asdict() for r in rows], f, indent=1, ensure_ascii=False)
        f.write("\n")


def read(out):
    """The rows of DIR/gradebook.json."""
    with open(out / "gradebook.json", encoding="utf-8") as f:
        return [Row(**r) for r in json.load(f)]


def totals(rows):
    """{learner: (points, max points)}."""
    t = {}
    for r in rows:
        p, m = t.get(r.learner, (0.0, 0.0))
        t[r.learner] = (p + r.points, m + r.max_points)
    return t
