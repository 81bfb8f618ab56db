"""``gmplab grade``: grade a class's notebooks against the release.

For each learner and each release notebook: read and validate the submission, restore the
release's check cells and metadata (:mod:`.restore`), run its code and the checks' ``collect``
in a fresh process (:mod:`.runner`, :mod:`.harness`), and ``judge`` the data here, in the
grader's own process, which never runs learner code. Notebooks are graded in parallel.
"""
import importlib
import os
import site
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import tempfile

from . import feedback, gradebook, release, restore, runner, submissions
from .zygote import Zygote
from .gradebook import Row


def _root(module):
    """The folder to put on a child's sys.path so that it imports the same ``module``."""
    mod = importlib.import_module(module)
    return str(Path(mod.__file__).resolve().parents[module.count(".") + (
        mod.__file__.endswith("__init__.py"))])


def child_env(grading):
    """The environment of the collect processes: this process's, with the folders of gmplab
    and of the grading module first on PYTHONPATH (unless they are installed packages)."""
    installed = {str(Path(p).resolve()) for p in site.getsitepackages()}
    roots = [r for r in dict.fromkeys([_root("gmplab"), _root(grading)]) if r not in installed]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(roots + [p for p in env.get("PYTHONPATH", "").split(
        os.pathsep) if p and p not in roots])
    env.pop("PYTHONSTARTUP", None)
    return env


def _cell_notes(outcome, cells):
    """Sentences about cells that did not run to their end (for the checks that need them)."""
    out = []
    for i, (kind, text) in sorted(outcome.cells.items()):
        if kind == "error":
            out.append(f"{cells[i]['label']} raised {text.strip().splitlines()[-1]}")
        elif kind != "ok":
            out.append(f"{cells[i]['label']}: {text}; it was skipped")
    return out


class Grader:
    def __init__(self, release_dir, limits=runner.Limits(), grading="gmplab.grading",
                 private=()):
        self.exercises = release.load(release_dir)
        self.grading = grading
        self.mod = importlib.import_module(grading)
        for ex in self.exercises.values():
            for c in ex.checks:
                if c.grade_id not in self.mod.CHECKS:
                    raise release.ReleaseError(
                        f"{ex.name}: check cell {c.grade_id!r} is not one of {grading}.CHECKS")
        self.limits, self.private = limits, [str(Path(p).resolve()) for p in private]
        self.zygote = None

    def start(self, cwd):
        """Start the zygote that forks the collect processes (waits until it has loaded)."""
        self.zygote = Zygote(self.grading, child_env(self.grading), cwd)
        self.zygote.wait_ready(max(600.0, self.limits.start))

    def stop(self):
        if self.zygote:
            self.zygote.close()
            self.zygote = None

    def _rows(self, learner, ex, status, reason):
        return [Row(learner, ex.name, c.grade_id, 0.0, c.points, status, reason, "")
                for c in ex.checks]

    def notebook(self, learner, name, path):
        """(rows, details) for one learner's notebook."""
        ex = self.exercises[name]
        if path is None:
            return self._rows(learner, ex, "missing", f"no {name}.ipynb was submitted"), {}
        try:
            nb = restore.read(path)
        except restore.Invalid as e:
            return self._rows(learner, ex, "invalid", str(e)), {}
        nb, notes = restore.restore(nb, ex)
        cells = restore.program(nb, ex)
        checks = [{"id": c.grade_id, "names": list(self.mod.CHECKS[c.grade_id].names)}
                  for c in ex.checks]
        outcome = runner.run(cells, checks, self.grading, self.private, self.limits,
                             self.zygote)
        context = _cell_notes(outcome, cells)
        rows = []
        for c in ex.checks:
            status, reason = outcome.checks.get(c.grade_id, ("error", "the check did not run"))
            points = 0.0
            if status == "data":
                status, reason, points = self._judge(c, reason)
            elif status == "error" and context:
                reason = reason + "\n" + "\n".join(context)
            rows.append(Row(learner, name, c.grade_id, points, c.points, status, reason[:4000],
                            "\n".join(notes)))
        errors = [(cells[i]["label"], t) for i, (k, t) in sorted(outcome.cells.items())
                  if k == "error"]
        return rows, {"errors": errors}

    def _judge(self, c, data):
        try:
            v = self.mod.judge(c.grade_id, data)
        except Exception as e:      # data that no honest collect produces
            return "error", f"the check's data could not be judged ({type(e).__name__}: {e})", 0.0
        if v.passed:
            return "passed", v.message, c.points
        return "failed", v.message, 0.0


def grade(submissions_dir, release_dir, out, jobs=None, limits=runner.Limits(),
          grading="gmplab.grading", learner=None, progress=False):
    """Grade every learner's notebooks; write the gradebook and the feedback into ``out``.
    Returns the gradebook's rows."""
    out = Path(out)
    solutions = Path(release_dir).resolve().parent / "solutions"     # the course's answers
    g = Grader(release_dir, limits, grading, private=[submissions_dir, out] + (
        [solutions] if solutions.is_dir() else []))
    work = submissions.find(submissions_dir, list(g.exercises), learner)
    jobs = jobs or os.cpu_count() or 1
    results = [None] * len(work)
    bar = _bar(len(work), progress)
    runner.stopping.clear()
    pool = ThreadPoolExecutor(jobs)
    with tempfile.TemporaryDirectory(prefix="gmplab-zygote-") as cwd:
        try:
            g.start(cwd)
            futures = {pool.submit(g.notebook, *w): i for i, w in enumerate(work)}
            for f in as_completed(futures):
                results[futures[f]] = f.result()
                bar.update(1)
        except BaseException:
            runner.kill_all()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            bar.close()
            pool.shutdown()
            g.stop()
    rows = [r for rs, d in results for r in rs]
    details = {(w[0], w[1]): d for w, (rs, d) in zip(work, results)}
    out.mkdir(parents=True, exist_ok=True)
    gradebook.write(rows, out)
    feedback.write(rows, details, out / "feedback")
    return rows


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _bar(total, progress):
    """A tqdm progress bar on a terminal (progress=None: when stderr is one)."""
    if progress is False:
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, unit="notebook", disable=None if progress is None else False,
                desc="grading")
