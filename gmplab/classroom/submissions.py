"""Where a class's notebooks are: ``SUBMISSIONS/<learner>/<NN_name>.ipynb``, nbgrader's
``submitted/<learner>/<assignment>/<NN_name>.ipynb`` (SUBMISSIONS may be the nbgrader course
folder or its ``submitted/``), or one learner's folder of notebooks (a GitHub Classroom
repository's ``exercises/``)."""
from pathlib import Path


class LayoutError(ValueError):
    """SUBMISSIONS is not a folder of learners' notebooks."""


def _notebook(folder, name):
    direct = folder / f"{name}.ipynb"
    if direct.is_file():
        return direct
    nested = sorted(folder.glob(f"*/{name}.ipynb"))   # nbgrader: <learner>/<assignment>/
    return nested[0] if nested else None


def find(root, names, learner=None):
    """[(learner, notebook name, path or None)] for every learner and every release notebook."""
    root = Path(root)
    if not root.is_dir():
        raise LayoutError(f"SUBMISSIONS {root}: no such folder")
    if (root / "submitted").is_dir():
        root = root / "submitted"
    if learner or any((root / f"{n}.ipynb").is_file() for n in names):
        learners = {learner or root.resolve().name: root}
    else:
        learners = {d.name: d for d in sorted(root.iterdir())
                    if d.is_dir() and not d.name.startswith((".", "_"))}
    if not learners:
        raise LayoutError(f"SUBMISSIONS {root}: no learner folders (SUBMISSIONS/<learner>/"
                          "NN_name.ipynb) and no exercise notebooks in it")
    return [(who, n, _notebook(d, n)) for who, d in learners.items() for n in names]
