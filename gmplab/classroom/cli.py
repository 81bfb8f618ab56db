"""``gmplab grade SUBMISSIONS --release exercises/ --out DIR``: the command's arguments.

The checks come from ``gmplab.grading``; the environment variable ``GMPLAB_GRADING`` names
another module with the same API (the grader's own tests use a toy one)."""
import os
import sys
from pathlib import Path

USAGE_HELP = """\
SUBMISSIONS/<learner>/<NN_name>.ipynb, nbgrader's submitted/<learner>/<assignment>/ layout, or
one learner's folder of notebooks. Writes DIR/gradebook.csv, DIR/gradebook.json and
DIR/feedback/<learner>.md and .html; exits 0 when grading completed, whatever the scores."""


def add_arguments(p):
    p.epilog = USAGE_HELP
    p.add_argument("submissions", metavar="SUBMISSIONS", help="the class's notebooks")
    p.add_argument("--release", required=True, metavar="DIR",
                   help="the official exercise notebooks (exercises/)")
    p.add_argument("--out", required=True, metavar="DIR", help="where the results go")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="notebooks graded at once (default: the number of cores)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S",
                   help="seconds for one cell or one check (default 60)")
    p.add_argument("--notebook-timeout", type=float, default=None, metavar="S",
                   help="seconds for a whole notebook (default 10 × --timeout)")
    p.add_argument("--max-output", type=int, default=1 << 20, metavar="BYTES",
                   help="what a notebook may print before it is stopped (default 1 MiB)")
    p.add_argument("--learner", metavar="NAME",
                   help="SUBMISSIONS is this one learner's folder of notebooks")


def _bad(msg):
    print(f"gmplab grade: error: {msg}", file=sys.stderr)
    return 2


def run(a):
    from . import grader, runner
    from .release import ReleaseError
    from .submissions import LayoutError
    if a.jobs is not None and a.jobs < 1:
        return _bad(f"--jobs {a.jobs}: give a number of notebooks ≥ 1")
    for opt, v in (("--timeout", a.timeout), ("--notebook-timeout", a.notebook_timeout),
                   ("--max-output", a.max_output)):
        if v is not None and v <= 0:
            return _bad(f"{opt} {v:g}: give a positive number")
    out = Path(a.out)
    if out.exists() and not out.is_dir():
        return _bad(f"--out {out}: exists and is not a folder")
    sub = Path(a.submissions).resolve()
    if out.resolve() == sub or sub in out.resolve().parents:
        return _bad(f"--out {out}: must not be inside SUBMISSIONS")
    limits = runner.Limits(cell=a.timeout, notebook=a.notebook_timeout or 10 * a.timeout,
                           output=a.max_output)
    try:
        rows = grader.grade(a.submissions, a.release, out, jobs=a.jobs, limits=limits,
                            grading=os.environ.get("GMPLAB_GRADING", "gmplab.grading"),
                            learner=a.learner, progress=None)
    except (ReleaseError, LayoutError) as e:
        return _bad(str(e))
    except KeyboardInterrupt:
        print("gmplab grade: interrupted; no gradebook written", file=sys.stderr)
        return 130
    from .gradebook import totals
    t = totals(rows)
    print(f"graded {len({(r.learner, r.notebook) for r in rows})} notebooks of {len(t)} "
          f"learners into {out}/gradebook.csv")
    for who, (p, m) in t.items():
        print(f"  {who}: {p:g} / {m:g}")
    return 0
