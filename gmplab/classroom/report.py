"""One check's result, for GitHub Classroom's autograding tests (``classroom/``):

    python -m gmplab.classroom.report DIR CHECK_ID

prints the check's status and reason from DIR/gradebook.json and exits 0 when it passed, 1
when it did not (or when there is no gradebook: the grade step did not run)."""
import sys
from pathlib import Path

from .gradebook import read


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out, check = Path(argv[0]), argv[1]
    try:
        rows = [r for r in read(out) if r.check == check]
    except OSError as e:
        print(f"no gradebook in {out} ({e.strerror}): did `gmplab grade` run?", file=sys.stderr)
        return 1
    if not rows:
        print(f"{check}: not in {out}/gradebook.json", file=sys.stderr)
        return 1
    for r in rows:
        print(f"{r.check}: {r.status}, {r.points:g} of {r.max_points:g} points\n{r.reason}")
        if r.notes:
            print(r.notes)
    return 0 if all(r.status == "passed" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
