"""The GitHub Classroom template, run locally as its workflow's steps run on GitHub: the same
commands, in a learner's repository made from the template, for a correct and a wrong learner;
the autograding action's part (run each test of autograding.json, award its points when it
exits 0) is done the way education/autograding does it."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

import synth
from synth import env
from gmplab.classroom import template

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "classroom" / ".github" / "workflows" / "classroom.yml"
#: the steps that install what this machine already has (tools/test installed gmplab and
#: warmed its core), and the checkouts, which the test lays out itself
DONE_HERE = {"Install gmplab", "Warm the jitted core"}


def learner_repo(tmp_path, release, who, answers):
    repo = tmp_path / who
    template.write(repo, release)
    for name, source in answers.items():
        nb = synth.exercise(name, synth.SOLUTION)
        nb.cells[3].source = source
        nbformat.write(nb, repo / "exercises" / f"{name}.ipynb")
    shutil.copytree(release, repo / ".course" / "exercises")     # the course's checkout
    return repo


def run_workflow(repo, who, base_env=None):
    """Run the workflow's steps; returns (points, max points, the autograding log).
    ``base_env``: the environment to start from (default: the toy checks')."""
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    bindir = repo.parent / "bin"
    bindir.mkdir(exist_ok=True)
    if not (bindir / "python").exists():
        (bindir / "python").symlink_to(sys.executable)
    e = dict(base_env if base_env is not None else env(), GITHUB_ACTOR=who, PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}")
    log, points, most = [], 0, 0
    for step in steps:
        uses = step.get("uses", "")
        if uses.startswith(("actions/checkout", "actions/setup-python")):
            assert uses.startswith("actions/setup-python") or step.get("with", {}).get(
                "path", ".course") == ".course" or "with" not in step
            continue
        if "run" in step:
            if step["name"] in DONE_HERE:
                continue
            r = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=e,
                               capture_output=True, text=True, timeout=900)
            assert r.returncode == 0, (step["name"], r.stdout, r.stderr)
            continue
        assert uses == "education/autograding@v1"
        tests = json.loads((repo / ".github" / "classroom" / "autograding.json").read_text())
        for t in tests["tests"]:
            most += t["points"]
            cmd = "\n".join(x for x in (t["setup"], t["run"]) if x)
            r = subprocess.run(["bash", "-c", cmd], cwd=repo, env=e, capture_output=True,
                               text=True, input=t["input"], timeout=60 * t["timeout"])
            ok = r.returncode == 0 and (not t["output"] or t["output"] in r.stdout)
            points += t["points"] if ok else 0
            log.append(f"{'✓' if ok else '✗'} {t['name']}: {r.stdout.strip()}")
    return points, most, "\n".join(log)


def test_the_workflow_grades_a_correct_and_a_wrong_learner(tmp_path, toy_release):
    good = learner_repo(tmp_path, toy_release, "ada", {n: synth.SOLUTION[n]
                                                       for n in synth.SOLUTION})
    wrong = learner_repo(tmp_path, toy_release, "bob", {
        "01_ring": "def ring_slot(tail):\n    return tail\n",
        "02_first_run": 'check = lambda *a: print("✓ first_run: 2 of 2 checks passed")\n'
                        + synth.BLANK["02_first_run"]})
    assert run_workflow(good, "ada")[:2] == (6, 6)
    points, most, log = run_workflow(wrong, "bob")
    assert (points, most) == (1, 6), log
    assert "✗ 01_ring-check-2: 01_ring-check-2: failed" in log and "hint: runq is a ring" in log
    assert (wrong / ".grades" / "feedback" / "bob.md").is_file()


def test_autograding_json_has_one_test_per_check_worth_its_points(toy_release, tmp_path):
    template.write(tmp_path / "t", toy_release)
    tests = json.loads((tmp_path / "t" / ".github" / "classroom" / "autograding.json")
                       .read_text())["tests"]
    assert [(t["name"], t["points"]) for t in tests] == list(synth.POINTS.items())
    assert (tmp_path / "t" / ".gitignore").read_text().startswith(".grades/")


def test_the_workflow_grades_the_courses_own_release(tmp_path):
    """The template made from the course's exercises/: a learner who hands in the solutions
    gets every point; one who solved only exercise 01 gets 01's points, and the feedback of
    every other check carries its hint."""
    rel, sol = ROOT / "exercises", ROOT / "solutions"
    names = sorted(p.stem for p in rel.glob("[0-9]*.ipynb"))
    if not names:
        pytest.skip("the course's exercises are not written yet")
    repos = {}
    for who, solved in (("ada", names), ("bob", names[:1])):
        repo = tmp_path / who
        template.write(repo, rel)
        for name in solved:
            shutil.copy(sol / f"{name}.ipynb", repo / "exercises" / f"{name}.ipynb")
        shutil.copytree(rel, repo / ".course" / "exercises")
        repos[who] = repo
    plain = {k: v for k, v in os.environ.items() if k != "GMPLAB_GRADING"}
    plain["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    points, most, log = run_workflow(repos["ada"], "ada", plain)
    assert points == most > 0, log
    tests = json.loads((repos["bob"] / ".github" / "classroom" / "autograding.json")
                       .read_text())["tests"]
    first = sum(t["points"] for t in tests if t["name"].startswith(names[0] + "-"))
    points, most, log = run_workflow(repos["bob"], "bob", plain)
    assert (points, most) == (first, sum(t["points"] for t in tests)), log
    feedback = (repos["bob"] / ".grades" / "feedback" / "bob.md").read_text()
    assert feedback.count("hint") >= len(tests) - sum(
        t["name"].startswith(names[0] + "-") for t in tests), feedback[:2000]
