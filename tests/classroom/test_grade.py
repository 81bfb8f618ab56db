"""`gmplab grade` on the synthetic class of 30: correct, partly correct, blank, each kind of
tampering, each kind of bad submission, each graded to its expected score and reason."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

import synth
from synth import env
from gmplab.classroom import gradebook, runner
from gmplab.cli import main
from gmplab.classroom.grader import child_env, grade
from gmplab.classroom.zygote import Zygote


def test_the_class_gets_the_expected_scores_and_reasons(graded_class):
    want, rows, out, subs, limits = graded_class
    assert len(want) == 30
    got = {(r.learner, r.check): r for r in rows}
    assert set(got) == {(who, c) for who, checks in want.items() for c in checks}
    wrong = []
    for who, checks in want.items():
        for c, (status, points, part) in checks.items():
            r = got[who, c]
            if (r.status, r.points) != (status, points) or (part and part not in r.reason) \
                    or not r.reason or r.max_points != synth.POINTS[c]:
                wrong.append((who, c, (status, points, part), (r.status, r.points, r.reason)))
    assert not wrong, "\n".join(map(repr, wrong))
    for (who, nb), parts in synth.NOTES.items():
        notes = next(r.notes for r in rows if (r.learner, r.notebook) == (who, nb))
        assert all(p in notes for p in parts), (who, notes)
    assert {r.status for r in rows} == set(gradebook.STATUSES)


def test_the_gradebook_files_hold_the_rows(graded_class):
    want, rows, out, subs, limits = graded_class
    assert gradebook.read(out) == rows
    text = (out / "gradebook.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(gradebook.FIELDS)
    assert (out / "gradebook.csv").stat().st_size > 1000 and json.loads(
        (out / "gradebook.json").read_text())       # the learner who wrote '[]' into it lost


def test_feedback_says_what_was_expected_what_came_back_and_the_hint(graded_class):
    want, rows, out, subs, limits = graded_class
    for who in want:
        assert (out / "feedback" / f"{who}.md").is_file()
        assert (out / "feedback" / f"{who}.html").read_text(encoding="utf-8").startswith(
            "<!DOCTYPE html>")
    md = (out / "feedback" / "partly.md").read_text(encoding="utf-8")
    assert "# Feedback for partly: 4 of 6 points" in md
    assert "- **expected:** 0" in md and "- **got:** 256" in md and "- **hint:** runq is" in md
    html = (out / "feedback" / "calls_sys_exit.html").read_text(encoding="utf-8")
    assert "Cells that raised an exception" in html and "sys.exit(&#x27;bye&#x27;)" in html


def test_graded_again_with_one_job_the_gradebook_is_identical(graded_class, toy_release,
                                                              tmp_path):
    want, rows, out, subs, limits = graded_class
    again = tmp_path / "again"
    grade(subs, toy_release, again, jobs=1, limits=limits, grading="toygrading")
    for f in ("gradebook.json", "gradebook.csv"):
        assert (again / f).read_bytes() == (out / f).read_bytes()


def _descendants_alive(pids):
    return [p for p in pids if os.path.exists(f"/proc/{p}") and
            open(f"/proc/{p}/stat").read().split(") ")[1][0] != "Z"]


def _descendants(pid):
    """The pids of every process below pid (children, theirs, ...)."""
    parent = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                parent[int(d)] = int(open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out.update(kids)
        todo += kids
    return out


def test_no_process_is_left_after_ctrl_c(toy_release, tmp_path):
    subs = tmp_path / "subs"
    for who in ("a", "b"):
        (subs / who).mkdir(parents=True)
        nb = synth._with("01_ring", "while True:\n    pass\n")
        (subs / who / "01_ring.ipynb").write_text(synth.nbformat.writes(nb))
    p = subprocess.Popen([sys.executable, "-m", "gmplab", "grade", str(subs), "--release",
                          str(toy_release), "--out", str(tmp_path / "out"), "--jobs", "2",
                          "--timeout", "300"], env=env(), stderr=subprocess.PIPE, text=True)
    seen = set()
    deadline = time.monotonic() + 120
    while len(seen) < 3 and time.monotonic() < deadline:     # the zygote and two children
        seen |= _descendants(p.pid)
        time.sleep(0.2)
    assert len(seen) >= 3, "the collect processes did not start"
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130 and "interrupted" in err
    time.sleep(0.5)
    assert not _descendants_alive(seen)
    assert not (tmp_path / "out" / "gradebook.csv").exists()


def test_a_notebook_past_its_time_limit_scores_zero(toy_release):
    cells = [{"label": f"cell {i}", "source": "import time\ntime.sleep(1)"} for i in range(5)]
    z = Zygote("toygrading", child_env("toygrading"), str(toy_release))
    try:
        z.wait_ready(600)
        out = runner.run(cells, [{"id": "01_ring-check-1", "names": ["ring_slot"]}],
                         "toygrading", [], runner.Limits(cell=30, notebook=3), z).checks
    finally:
        z.close()
    assert out == {"01_ring-check-1": ("timeout", "the notebook ran past its 3 s limit")}


def _argv(tmp_path, release, **change):
    subs = tmp_path / "subs"
    (subs / "x").mkdir(parents=True, exist_ok=True)
    a = {"SUBMISSIONS": str(subs), "--release": str(release), "--out": str(tmp_path / "o")}
    a.update(change)
    extra = a.pop("extra", [])
    return ["grade", a.pop("SUBMISSIONS"), *[x for kv in a.items() for x in kv], *extra]


@pytest.mark.parametrize("change, message", [
    ({"extra": ["--jobs", "0"]}, "--jobs 0: give a number of notebooks ≥ 1"),
    ({"extra": ["--timeout", "-1"]}, "--timeout -1: give a positive number"),
    ({"--release": "nowhere"}, "--release nowhere: no such folder"),
    ({"--out": "{tmp}/subs/grades"}, "must not be inside SUBMISSIONS"),
    ({"--release": "{tmp}"}, "no exercise notebooks"),
    ({"SUBMISSIONS": "{tmp}/none"}, "none: no such folder"),
])
def test_bad_arguments_exit_2_with_a_message(toy_release, tmp_path, change, message, capsys,
                                             monkeypatch):
    monkeypatch.setenv("GMPLAB_GRADING", "toygrading")
    change = {k: v.format(tmp=tmp_path) if isinstance(v, str) else v for k, v in change.items()}
    assert main(_argv(tmp_path, toy_release, **change)) == 2
    assert message in capsys.readouterr().err


def test_missing_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["grade", "x"])
    assert e.value.code == 2 and "--release, --out" in capsys.readouterr().err


def test_the_csv_gradebook_runs_no_formula(tmp_path):
    rows = [gradebook.Row("x", "01_ring", "01_ring-check-1", 0.0, 1.0, "error",
                          "=HYPERLINK(\"http://example.invalid\")", "")]
    gradebook.write(rows, tmp_path)
    assert "'=HYPERLINK" in (tmp_path / "gradebook.csv").read_text()
    assert gradebook.read(tmp_path) == rows
