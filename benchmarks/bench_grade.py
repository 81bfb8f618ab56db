"""Grading speed of `gmplab grade`: a synthetic class graded on this machine, in notebooks per
minute per core, against running the same notebooks in a Jupyter kernel with nbclient (what
nbval and nbgrader's autograde do per notebook), measured in the same run.

    python3 benchmarks/bench_grade.py [--learners 30] [--jobs N] [--baseline 6]

The class: LEARNERS learners, each with every notebook of the release, answered in turn with the
solution, the untouched exercise, and the solution with its first answer cell blanked. The
release is the course's exercises/ and solutions/ when they hold notebooks, else the toy release
of the grader's tests (tests/classroom/synth.py). No assertion: timings depend on the machine.
"""
import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def release():
    """(release folder, solutions folder, grading module, a scratch folder to clean)."""
    if any((ROOT / "exercises").glob("[0-9]*.ipynb")):
        return ROOT / "exercises", ROOT / "solutions", "gmplab.grading", None
    sys.path.insert(0, str(ROOT / "tests" / "classroom"))
    import synth
    tmp = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    synth.write_release(tmp / "exercises")
    synth.write_release(tmp / "solutions", synth.SOLUTION)
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests" / "classroom"),
                                                os.environ.get("PYTHONPATH", "")])
    return tmp / "exercises", tmp / "solutions", "toygrading", tmp


def make_class(rel, sol, learners, folder):
    names = sorted(p.stem for p in rel.glob("[0-9]*.ipynb"))
    for i in range(learners):
        d = folder / f"learner{i:03d}"
        d.mkdir(parents=True)
        for k, name in enumerate(names):
            kind = (i + k) % 3
            src = (sol if kind != 1 else rel) / f"{name}.ipynb"
            nb = nbformat.read(src, as_version=4)
            if kind == 2:
                ref = nbformat.read(rel / f"{name}.ipynb", as_version=4)
                blank = {c.id: c.source for c in ref.cells if "answer" in c.metadata.get(
                    "tags", [])}
                for c in nb.cells:
                    if c.id in blank:
                        c.source = blank[c.id]
                        break
            nbformat.write(nb, d / f"{name}.ipynb")
    return len(names) * learners


def nbclient_seconds(sol, n):
    """Seconds per notebook to execute solutions in a fresh kernel each (nbclient)."""
    from nbclient import NotebookClient
    paths = sorted(sol.glob("[0-9]*.ipynb"))
    t = time.perf_counter()
    for k in range(n):
        nb = nbformat.read(paths[k % len(paths)], as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(sol)}}).execute()
    return (time.perf_counter() - t) / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--learners", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--baseline", type=int, default=6, help="notebooks run with nbclient")
    a = ap.parse_args()
    from gmplab.classroom import runner
    from gmplab.classroom.grader import grade
    rel, sol, grading, tmp = release()
    work = Path(tempfile.mkdtemp(prefix="bench-grade-class-"))
    try:
        n = make_class(rel, sol, a.learners, work / "submissions")
        print(f"ARG learners {a.learners}  ARG jobs {a.jobs}  release {rel.name} "
              f"({grading}), {n} notebooks")
        base = nbclient_seconds(sol, a.baseline)
        t = time.perf_counter()
        rows = grade(work / "submissions", rel, work / "grades", jobs=a.jobs,
                     limits=runner.Limits(cell=120, notebook=600), grading=grading)
        wall = time.perf_counter() - t
        per_core = n / (wall / 60) / a.jobs
        print(f"gmplab grade: {n} notebooks in {wall:.1f} s with {a.jobs} jobs = "
              f"{per_core:.1f} notebooks/min/core ({len(rows)} checks)")
        print(f"nbclient, a fresh kernel per notebook, one at a time: {60 / base:.1f} "
              f"notebooks/min/core")
        print(f"ratio gmplab grade / nbclient execution, per core: {per_core * base / 60:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
