import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from synth import TIMEOUT  # noqa: E402


@pytest.fixture(scope="session")
def toy_release(tmp_path_factory):
    return synth.write_release(tmp_path_factory.mktemp("release") / "exercises")


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory, toy_release):
    """The synthetic class of 30, graded once with two jobs: (expected, rows, out folder)."""
    from gmplab.classroom import runner
    from gmplab.classroom.grader import grade
    root = tmp_path_factory.mktemp("class")
    subs, out = root / "submissions", root / "grades"
    want = synth.write_class(toy_release, subs, out)
    limits = runner.Limits(cell=TIMEOUT, notebook=60)
    rows = grade(subs, toy_release, out, jobs=2, limits=limits, grading="toygrading")
    return want, rows, out, subs, limits
