"""Write exercises/NN_name.ipynb and solutions/NN_name.ipynb from one description each, run them,
and store them with outputs from a clean run.

    python3 tools/exercises/build.py [NN ...]       (PYTHONPATH: the repository root)

Each ``tools/exercises/NN_name.py`` lists the notebook's cells with :func:`md`, :func:`code`,
:func:`answer`, :func:`experiment` and :func:`check`. The two notebooks get the same cells, with
the same ids, in the same order; only the answer cells differ: the solution's body sits between
nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers, and the exercise has
``raise NotImplementedError`` there, as ``nbgrader generate_assignment`` would make it. The
solution notebook is run top to bottom; the exercise notebook too (its check cells fail), and
then stores the solution's output in its check cells: the passing line, so that ``pytest
--nbval`` on a learner's copy passes exactly when the answers are right.
"""
import importlib.util
import os
import pathlib
import sys

import nbformat
from nbclient import NotebookClient

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def md(text):
    return {"kind": "markdown", "source": text.strip("\n")}


def code(src):
    return {"kind": "code", "source": src.strip("\n")}


def answer(src):
    """An answer cell: ``src`` is the solution, its graded part between BEGIN/END markers."""
    return {"kind": "answer", "source": src.strip("\n")}


def experiment(src):
    return {"kind": "experiment", "source": src.strip("\n")}


def check(check_id):
    return {"kind": "check", "id": check_id}


def strip_solution(src):
    """The exercise's version of an answer cell: each BEGIN/END region becomes nbgrader's
    placeholder, at the region's indentation."""
    out, skipping = [], False
    for line in src.split("\n"):
        s = line.strip()
        if s == BEGIN:
            ind = line[:len(line) - len(line.lstrip())]
            out += [ind + "# YOUR CODE HERE", ind + "raise NotImplementedError"]
            skipping = True
        elif s == END:
            skipping = False
        elif not skipping:
            out.append(line)
    return "\n".join(out)


def build_pair(name, cells):
    from gmplab.grading import CHECKS
    nb = {"ex": nbformat.v4.new_notebook(), "sol": nbformat.v4.new_notebook()}
    counters = {"answer": 0, "md": 0, "code": 0, "experiment": 0}
    for c in cells:
        kind = c["kind"]
        for which in ("ex", "sol"):
            if kind == "markdown":
                cell = nbformat.v4.new_markdown_cell(c["source"])
            elif kind == "check":
                cell = nbformat.v4.new_code_cell(f'check("{c["id"]}", '
                                                 f'{", ".join(CHECKS[c["id"]].names)})')
            elif kind == "answer":
                cell = nbformat.v4.new_code_cell(c["source"] if which == "sol"
                                                 else strip_solution(c["source"]))
            else:
                cell = nbformat.v4.new_code_cell(c["source"])
            nb[which].cells.append(cell)
        if kind == "markdown":
            counters["md"] += 1
            cid, meta = f"md-{counters['md']}", {}
        elif kind == "check":
            ch = CHECKS[c["id"]]
            cid = c["id"]
            meta = {"tags": ["check"],
                    "nbgrader": {"grade": True, "grade_id": c["id"], "points": ch.points,
                                 "locked": True, "schema_version": 3, "solution": False}}
        elif kind == "answer":
            counters["answer"] += 1
            cid = f"{name}-answer-{counters['answer']}"
            meta = {"tags": ["answer"],
                    "nbgrader": {"grade": False, "grade_id": cid, "locked": False,
                                 "schema_version": 3, "solution": True}}
        elif kind == "experiment":
            counters["experiment"] += 1
            cid = f"experiment-{counters['experiment']}"
            meta = {"tags": ["experiment", "nbval-ignore-output"]}
        else:
            counters["code"] += 1
            cid, meta = f"code-{counters['code']}", {}
        for which in ("ex", "sol"):
            nb[which].cells[-1]["id"] = cid
            nb[which].cells[-1]["metadata"] = dict(meta)
    for n in nb.values():
        n.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python",
                                     "name": "python3"},
                      "language_info": {"name": "python"}}
    return nb["ex"], nb["sol"]


def execute(nb, allow_errors):
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = str(ROOT) + (os.pathsep + env_path if env_path else "")
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(ROOT / "solutions")}}).execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata.pop("execution", None)
    return nb


def build(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    name = path.stem
    ex, sol = build_pair(name, mod.CELLS)
    execute(sol, allow_errors=False)
    execute(ex, allow_errors=True)
    for ce, cs in zip(ex.cells, sol.cells):
        if "check" in ce.metadata.get("tags", []):
            ce.outputs = cs.outputs
            ce.execution_count = cs.execution_count
    for n in (ex, sol):
        for cell in n.cells:
            if "answer" in cell.metadata.get("tags", []):
                cell.outputs = []
                cell.execution_count = None
    nbformat.write(ex, ROOT / "exercises" / f"{name}.ipynb")
    nbformat.write(sol, ROOT / "solutions" / f"{name}.ipynb")
    print("wrote", name)


def main(argv):
    paths = sorted(p for p in HERE.glob("[0-9][0-9]_*.py"))
    if argv:
        paths = [p for p in paths if any(p.stem.startswith(a) for a in argv)]
    for p in paths:
        build(p)


if __name__ == "__main__":
    main(sys.argv[1:])
