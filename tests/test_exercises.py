"""The exercise notebooks and their checks: exercise and solution stay in sync; the untouched
exercise fails every check cell with a hint; plausible-but-wrong answers fail with a hint at
their bug; collect's data survives JSON; all solutions together make the core's decisions in
the scenarios of the fidelity and Go-behaviour tests. (``bash tools/test`` runs the solution
notebooks under nbval.)"""
import inspect
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import nbformat
import pytest

import gmplab
from gmplab.grading import CHECKS, CheckFailed, check, collect, judge

from exercise_code import (ROOT, WRONG, all_solutions, namespace, notebooks, solution,
                           wrong_source)

EXERCISES = [p.stem for p in notebooks("exercises")]


def test_every_exercise_has_its_solution_and_its_checks():
    assert EXERCISES == [p.stem for p in notebooks("solutions")]
    assert set(EXERCISES) <= {c.exercise for c in CHECKS.values()}


@pytest.mark.parametrize("name", EXERCISES)
def test_exercise_and_solution_have_the_same_cells_but_the_answers(name):
    ex = nbformat.read(ROOT / "exercises" / f"{name}.ipynb", as_version=4)
    sol = nbformat.read(ROOT / "solutions" / f"{name}.ipynb", as_version=4)
    for nb in (ex, sol):
        assert nb.metadata["kernelspec"]["name"] == "python3"
    assert [c.id for c in ex.cells] == [c.id for c in sol.cells]
    checks = []
    for ce, cs in zip(ex.cells, sol.cells):
        tags = ce.metadata.get("tags", [])
        assert ce.metadata == cs.metadata, ce.id
        if "answer" in tags:
            nbg = ce.metadata["nbgrader"]
            assert nbg["solution"] and not nbg["grade"] and not nbg["locked"]
            assert nbg["grade_id"] == ce.id
            assert "raise NotImplementedError" in ce.source
            assert "### BEGIN SOLUTION" in cs.source and "### END SOLUTION" in cs.source
            assert ce.outputs == [] == cs.outputs
            continue
        assert ce.source == cs.source, ce.id
        if "check" in tags:
            nbg = ce.metadata["nbgrader"]
            assert nbg["grade"] and nbg["locked"] and not nbg["solution"]
            assert nbg["grade_id"] == ce.id and nbg["points"] == CHECKS[ce.id].points
            assert CHECKS[ce.id].exercise == name
            assert ce.source.startswith(f'check("{ce.id}", ')
            assert ce.outputs == cs.outputs
            (out,) = cs.outputs
            assert out["name"] == "stdout" and out["text"].startswith("✓ ")
            checks.append(ce.id)
        elif ce.cell_type == "code" and "nbval-ignore-output" not in tags:
            assert ce.outputs == cs.outputs, ce.id
    assert checks == sorted(c for c, ch in CHECKS.items() if ch.exercise == name)


def test_untouched_exercises_fail_every_check_cell_with_a_hint(tmp_path):
    """Each exercise as a learner gets it, under nbval: every check cell fails, saying what is
    missing and with a hint; every other cell passes."""
    xml = tmp_path / "nbval.xml"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                    f"--junitxml={xml}", *[str(ROOT / "exercises" / f"{n}.ipynb")
                                           for n in EXERCISES]],
                   cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    results = {}
    for case in ET.parse(xml).getroot().iter("testcase"):
        fail = case.find("failure")
        results[(case.get("classname"), case.get("name"))] = (
            None if fail is None else (fail.get("message", "") + (fail.text or "")))
    for name in EXERCISES:
        nb = nbformat.read(ROOT / "exercises" / f"{name}.ipynb", as_version=4)
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        for k, cell in enumerate(code_cells):
            got = [v for (cls, case), v in results.items()
                   if name in cls + case and case.endswith(f"Cell {k}")]
            assert len(got) == 1, (name, k, sorted(results))
            if "check" in cell.metadata.get("tags", []):
                assert got[0] is not None, f"{name} {cell.id} passed untouched"
                assert "NotWritten" in got[0] and "hint:" in got[0], got[0][-2000:]
            else:
                assert got[0] is None, f"{name} {cell.id}: {got[0][-2000:]}"


def _checks_of(exercise):
    return [(cid, ch) for cid, ch in CHECKS.items() if ch.exercise == exercise]


@pytest.mark.parametrize("exercise,what,edits,hint", WRONG,
                         ids=[f"{w[0]}: {w[1]}" for w in WRONG])
def test_a_plausible_wrong_answer_fails_with_a_hint_at_its_bug(exercise, what, edits, hint):
    ns = namespace(wrong_source(exercise, edits))
    messages = []
    for cid, ch in _checks_of(exercise):
        try:
            check(cid, *[ns[n] for n in ch.names])
        except CheckFailed as e:
            messages.append(str(e))
            if hint in str(e).split("hint:")[-1]:
                break
    assert messages, f"{what}: every check passed"
    assert any(hint in m.split("hint:")[-1] for m in messages), "\n\n".join(messages)


def test_collect_is_plain_data_and_judge_needs_nothing_else():
    """The classroom grader's split: collect's data, through JSON, judged elsewhere."""
    fn = solution("01_runqput")["runqput"]
    for cid in ("01_runqput-check-1", "01_runqput-check-2"):
        data = json.loads(json.dumps(collect(cid, fn)))
        v = judge(cid, data)
        assert v.passed and v.npassed == v.ntotal == len(CHECKS[cid].cases)
    bad = namespace(wrong_source(*WRONG[0][0:3:2]))["runqput"]
    data = json.loads(json.dumps(collect("01_runqput-check-2", bad)))
    v = judge("01_runqput-check-2", data)
    assert not v.passed and "hint:" in v.message and v.kind == "WrongResult"
    assert not judge("01_runqput-check-2", {"check": "01_runqput-check-1"}).passed
    assert "takes runqput" in judge("01_runqput-check-1",
                                    collect("01_runqput-check-1", 3)).message


# --- every solution plugged in at once: the core's decisions, byte for byte -----------------

import test_fidelity  # noqa: E402
import test_go_behaviour  # noqa: E402

#: engine events a plug-in run of one scenario may take (the long Go-behaviour scenarios, up
#: to 3M events, are compared over their first CAP)
CAP = 20_000


class _Capped(Exception):
    pass


def _scenario_tests():
    out = []
    for mod in (test_fidelity, test_go_behaviour):
        for name, f in inspect.getmembers(mod, inspect.isfunction):
            if name.startswith("test_") and f.__module__ == mod.__name__ and not \
                    inspect.signature(f).parameters:
                out.append(pytest.param(f, id=f"{mod.__name__}::{name}"))
    return out


def _logs(f, replace):
    orig = gmplab.Runtime
    made = []

    class Plugged(orig):
        def __init__(self, *a, **k):
            super().__init__(*a, replace=replace, **k)
            self._left = CAP
            made.append(self)

        def _run(self, until, maxevents):
            if self._left <= 0:
                raise _Capped
            n = min(maxevents, self._left)
            self._left -= n
            return super()._run(until, n)

    def reference(*a, **k):
        rt = orig(*a, **k)
        made.append(rt)
        return rt
    gmplab.Runtime = Plugged if replace else reference
    try:
        f()
    except _Capped:
        pass
    except Exception:
        if not replace:
            raise
    finally:
        gmplab.Runtime = orig
    return [rt.events.array().tobytes() for rt in made], [rt._left <= 0 if replace else False
                                                          for rt in made]


@pytest.mark.parametrize("f", _scenario_tests())
def test_all_solutions_together_make_the_cores_decisions(f):
    sols = all_solutions()
    assert {"runqput", "runqputslow", "runqget", "runqgrab", "runqsteal", "globrunqget",
            "randomOrder", "retake"} <= set(sols)
    ref, _ = _logs(f, None)
    got, capped = _logs(f, sols)
    assert got, "no Runtime could be made with the solutions plugged in"
    assert len(got) <= len(ref)
    for k, (a, b, c) in enumerate(zip(ref, got, capped)):
        if c:
            assert a[:len(b)] == b, f"runtime #{k}: the first decisions differ"
        else:
            assert a == b, f"runtime #{k}: the event logs differ"
    assert len(got) == len(ref) or capped[-1]
