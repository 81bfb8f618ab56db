"""The release: the official exercise notebooks (``exercises/NN_name.ipynb``), read once.

For each notebook: its check cells (tag ``check``, nbgrader ``grade: true``: cell id, grade_id,
points, the cell itself), its answer cells (tag ``answer``) and its kernelspec. The grader
restores check cells from here and takes the points from here, never from a submission.
"""
import re
from pathlib import Path
from typing import NamedTuple

import nbformat

NAME = re.compile(r"^\d\d_[A-Za-z0-9_]+$")


class ReleaseError(ValueError):
    """The release folder is not a set of exercise notebooks that follow the contract."""


class CheckCell(NamedTuple):
    id: str
    grade_id: str
    points: float
    cell: dict


class Exercise(NamedTuple):
    name: str               # "01_runqput"
    nb: dict                # the release notebook
    checks: list            # [CheckCell], in notebook order
    answers: list           # the answer cells' ids, in notebook order
    kernelspec: dict

    @property
    def max_points(self):
        return sum(c.points for c in self.checks)


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _exercise(path):
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as e:
        raise ReleaseError(f"release notebook {path.name} cannot be read: {e}") from None
    checks, answers = [], []
    for cell in nb.cells:
        if "check" in tags(cell):
            meta = cell.metadata.get("nbgrader", {})
            if not (meta.get("grade") and meta.get("grade_id") and "points" in meta
                    and cell.get("id")):
                raise ReleaseError(f"{path.name}: check cell {cell.get('id')!r} lacks a cell id "
                                   "or nbgrader grade/grade_id/points metadata")
            checks.append(CheckCell(cell.id, meta["grade_id"], float(meta["points"]), cell))
        elif "answer" in tags(cell):
            answers.append(cell.id)
    if not checks:
        raise ReleaseError(f"{path.name} has no check cells (tag 'check')")
    ks = nb.metadata.get("kernelspec", {"name": "python3"})
    return Exercise(path.stem, nb, checks, answers, dict(ks))


def load(folder):
    """{name: Exercise} for every NN_name.ipynb in the release folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReleaseError(f"--release {folder}: no such folder")
    paths = sorted(p for p in folder.glob("*.ipynb") if NAME.match(p.stem))
    if not paths:
        raise ReleaseError(f"--release {folder}: no exercise notebooks (NN_name.ipynb) in it")
    return {p.stem: _exercise(p) for p in paths}
