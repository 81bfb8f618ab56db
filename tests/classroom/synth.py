"""A synthetic release (two toy exercises checked by ``toygrading``) and a synthetic class:
correct, partly correct and blank learners, every kind of tampering and every kind of bad
submission, each with the gradebook it must get."""
import copy
import json
import os
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

HERE = Path(__file__).parent
#: the per-cell limit of the synthetic class: its cells take milliseconds, its loops forever
TIMEOUT = 4.0
PASS = {"01_ring-check-1": "✓ ring_slot: 4 of 4 checks passed\n",
        "01_ring-check-2": "✓ ring_slot: 4 of 4 checks passed\n",
        "02_first_run-check-1": "✓ first_run: 2 of 2 checks passed\n"}
POINTS = {"01_ring-check-1": 1, "01_ring-check-2": 2, "02_first_run-check-1": 3}
SOLUTION = {
    "01_ring": "def ring_slot(tail):\n    ### BEGIN SOLUTION\n    return tail % 256\n"
               "    ### END SOLUTION\n",
    "02_first_run": "def first_run(events):\n    ### BEGIN SOLUTION\n    order = []\n"
                    "    for t, fn, g, m, p in events:\n"
                    "        if fn == \"execute\" and g not in order:\n"
                    "            order.append(g)\n    return order\n    ### END SOLUTION\n",
}
BLANK = {"01_ring": "def ring_slot(tail):\n    raise NotImplementedError\n",
         "02_first_run": "def first_run(events):\n    raise NotImplementedError\n"}


def _check(nb_name, k):
    gid = f"{nb_name}-check-{k}"
    fn = "ring_slot" if nb_name == "01_ring" else "first_run"
    c = new_code_cell(f'check("{gid}", {fn})', id=f"check-{k}", execution_count=None)
    c.metadata = {"tags": ["check"], "nbgrader": {
        "grade": True, "grade_id": gid, "points": POINTS[gid], "locked": True,
        "schema_version": 3, "solution": False}}
    c.outputs = [new_output("stream", name="stdout", text=PASS[gid])]
    return c


def exercise(name, answer):
    """The release (answer = BLANK) or solution (answer = SOLUTION) notebook ``name``."""
    a = new_code_cell(answer[name], id="answer-1")
    a.metadata = {"tags": ["answer"], "nbgrader": {
        "grade": False, "grade_id": f"{name}-answer-1", "locked": False, "schema_version": 3,
        "solution": True}}
    cells = [new_markdown_cell(f"# Exercise {name}", id="intro"),
             new_code_cell("from toygrading import check", id="setup"),
             new_markdown_cell("Write the function below.", id="task"), a]
    if name == "01_ring":
        cells += [new_code_cell("ring_slot(300)", id="try"), _check(name, 1), _check(name, 2)]
    else:
        cells += [_check(name, 1)]
    nb = new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"},
                   "language_info": {"name": "python"}}
    return nb


def write_release(folder, answer=BLANK):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in SOLUTION:
        nbformat.write(exercise(name, answer), folder / f"{name}.ipynb")
    return folder


# --- the class ---------------------------------------------------------------------------

def _with(name, source, base=SOLUTION):
    nb = exercise(name, base)
    nb.cells[3].source = source
    return nb


def _solved(name):
    return exercise(name, SOLUTION)


def _edit(name, f, base=SOLUTION):
    nb = exercise(name, base)
    f(nb)
    return nb


def _kernelspec(nb):
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}


def _edit_checks(nb):
    nb.cells[5].source = 'print("✓ ring_slot: 4 of 4 checks passed")'
    del nb.cells[6]


def _move_checks(nb):
    nb.cells = nb.cells[5:] + nb.cells[:5]


def _metadata(nb):
    nb.cells[5].metadata["nbgrader"]["points"] = 100
    nb.cells[3].metadata["tags"] = ["check"]
    fake = new_code_cell('print("✓ ring_slot: 4 of 4 checks passed")', id="mine")
    fake.metadata = {"tags": ["check"], "nbgrader": {"grade": True, "points": 50,
                                                     "grade_id": "01_ring-check-9"}}
    nb.cells.append(fake)


PATCH_DURING_CALL = '''\
import toygrading
_saved = toygrading.CHECKS
def ring_slot(tail):
    if tail == 0:
        toygrading.CHECKS = {}          # patched on the first call ...
    if tail == 255:
        toygrading.CHECKS = _saved      # ... and put back on the last, before collect returns
    return tail % 256
'''

PATCH_RUNTIME = '''\
import gmplab
_run = gmplab.Runtime.run
def _fast(self, *a, **k):
    return _run(self, *a, **k)
gmplab.Runtime.run = _fast
def first_run(events):
    raise NotImplementedError
'''

PATCH_GRADING = '''\
import toygrading
toygrading.judge = lambda check_id, data: toygrading.Verdict(True, "✓", 1, 1)
def ring_slot(tail):
    return tail
'''

EQ_ANYTHING = '''\
class Yes:
    def __eq__(self, other):
        return True
def ring_slot(tail):
    return Yes()
'''

SETTRACE = '''\
import sys
sys.settrace(lambda *a: None)
def ring_slot(tail):
    return tail
'''


def learners(release, submissions, results):
    """{learner: {notebook: notebook | str (raw file text) | None (not submitted)}}, and the
    expected {learner: {check: (status, points, reason part)}} (None: any reason)."""
    S = SOLUTION
    c1, c2, c3 = "01_ring-check-1", "01_ring-check-2", "02_first_run-check-1"
    ok = {c1: ("passed", 1, "4 of 4"), c2: ("passed", 2, "4 of 4"), c3: ("passed", 3, "2 of 2")}

    def exp(**kw):
        out = dict(ok)
        for k, v in kw.items():
            out[{"a": c1, "b": c2, "c": c3}[k]] = v
        return out
    blank1 = ("failed", 0, "NotImplementedError")
    nbs, want = {}, {}

    def add(who, nb1, nb2, expected):
        nbs[who] = {"01_ring": nb1, "02_first_run": nb2}
        want[who] = expected

    add("correct", _solved("01_ring"), _solved("02_first_run"), exp())
    add("partly", _with("01_ring", "def ring_slot(tail):\n    return tail\n"),
        _solved("02_first_run"), exp(b=("failed", 0, "hint: runq is a ring")))
    add("blank", exercise("01_ring", BLANK), exercise("02_first_run", BLANK),
        exp(a=blank1, b=blank1, c=blank1))
    add("prints_pass", _with("01_ring", BLANK["01_ring"] + 'print("' + PASS[c1].strip()
                             + '")\n'), _solved("02_first_run"), exp(a=blank1, b=blank1))
    add("redefines_check", _with("01_ring", "def check(*a):\n    print('✓ ring_slot: 4 of 4 "
                                 "checks passed')\n" + BLANK["01_ring"]),
        _solved("02_first_run"), exp(a=blank1, b=blank1))
    tampered = ("tampered", 0, None)
    add("patches_grading", _with("01_ring", PATCH_GRADING), _solved("02_first_run"),
        exp(a=("tampered", 0, "toygrading.judge was replaced"), b=tampered))
    add("patches_runtime", _solved("01_ring"), _with("02_first_run", PATCH_RUNTIME),
        exp(c=("tampered", 0, "Runtime.run")))
    add("patches_during_call", _with("01_ring", PATCH_DURING_CALL), _solved("02_first_run"),
        exp(a=("tampered", 0, "toygrading.CHECKS was replaced"), b=tampered))
    add("eq_anything", _with("01_ring", EQ_ANYTHING), _solved("02_first_run"),
        exp(a=("error", 0, "not JSON serializable"), b=("error", 0, "not JSON serializable")))
    add("settrace", _with("01_ring", SETTRACE), _solved("02_first_run"),
        exp(a=("tampered", 0, "sys.settrace"), b=tampered))
    add("edits_metadata", _edit("01_ring", _metadata, BLANK), _solved("02_first_run"),
        exp(a=blank1, b=blank1))
    add("edits_checks", _edit("01_ring", _edit_checks, {"01_ring": "def ring_slot(t):\n"
                                                                  "    return t\n"}),
        _solved("02_first_run"), exp(b=("failed", 0, "expected: 0")))
    add("moves_checks", _edit("01_ring", _move_checks), _solved("02_first_run"), exp())
    add("shadows_modules", _solved("01_ring"), exercise("02_first_run", BLANK),
        exp(c=blank1))
    add("writes_files", _with("01_ring", f"open({str(results / 'gradebook.json')!r}, 'w')"
                                         ".write('[]')\n" + S["01_ring"]),
        _with("02_first_run", f"open({str(release / '02_first_run.ipynb')!r}, 'a')\n"
                              + S["02_first_run"]),
        exp(a=("error", 0, "is not allowed while grading"), b=("error", 0, "not allowed"),
            c=("error", 0, "is not allowed while grading")))
    add("reads_others", _with("01_ring", f"open({str(submissions / 'correct' / '01_ring.ipynb')!r})"
                                         ".read()\n" + S["01_ring"]), _solved("02_first_run"),
        exp(a=("error", 0, "is not allowed while grading"), b=("error", 0, None)))
    add("kills_grader", _with("01_ring", "import os, signal\nos.kill(os.getppid(), "
                                         "signal.SIGKILL)\n" + S["01_ring"]),
        _with("02_first_run", "import subprocess\nsubprocess.Popen(['sleep', '600'])\n"
                              + S["02_first_run"]),
        exp(a=("error", 0, "os.kill"), b=("error", 0, None),
            c=("error", 0, "subprocess.Popen is not allowed")))
    add("starts_thread", _with("01_ring", "import threading\nthreading.Thread(target=print)"
                                          ".start()\n" + S["01_ring"]), _solved("02_first_run"),
        exp(a=("error", 0, "thread is not allowed"), b=("error", 0, None)))
    # bad submissions
    add("invalid_json", '{"cells": [', _solved("02_first_run"),
        exp(a=("invalid", 0, "not valid JSON"), b=("invalid", 0, "not valid JSON")))
    v3 = json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": []})
    add("nbformat3", v3, _solved("02_first_run"),
        exp(a=("invalid", 0, "nbformat 3"), b=("invalid", 0, "nbformat 3")))
    add("missing", _solved("01_ring"), None, exp(c=("missing", 0, "no 02_first_run.ipynb")))
    loop_cell = ("timeout", 0, None)
    add("loops_in_cell", _with("01_ring", "while True:\n    pass\n" + S["01_ring"]),
        _solved("02_first_run"), exp(a=("error", 0, "ran past the"), b=("error", 0, "past")))
    add("loops_in_function", _with("01_ring", "def ring_slot(tail):\n    while True:\n"
                                              "        pass\n"), _solved("02_first_run"),
        exp(a=("timeout", 0, "ran past the"), b=loop_cell))
    add("calls_sys_exit", _with("01_ring", "import sys\nsys.exit('bye')\n" + S["01_ring"]),
        _solved("02_first_run"), exp(a=("error", 0, "sys.exit('bye')"), b=("error", 0, None)))
    add("calls_os_exit", _with("01_ring", "import os\nos._exit(0)\n" + S["01_ring"]),
        _solved("02_first_run"), exp(a=("error", 0, "exited with status 0"),
                                     b=("error", 0, None)))
    add("crashes_kernel", _solved("01_ring"),
        _with("02_first_run", "def first_run(events):\n    import faulthandler\n"
                              "    faulthandler._sigsegv()\n"),
        exp(c=("crashed", 0, "SIGSEGV")))
    add("import_error", _with("01_ring", "import not_a_module_anywhere\n" + S["01_ring"]),
        _solved("02_first_run"), exp(a=("error", 0, "No module named 'not_a_module_anywhere'"),
                                     b=("error", 0, None)))
    add("floods_output", _with("01_ring", "def ring_slot(tail):\n    print('x' * 2_000_000)\n"
                                          "    return tail % 256\n"), _solved("02_first_run"),
        exp(a=("output", 0, "printed more than 1 MiB"), b=("output", 0, None)))
    add("floods_in_cell", _solved("01_ring"), _with("02_first_run", "print('y' * 3_000_000)\n"
                                                                     + S["02_first_run"]),
        exp(c=("error", 0, "printed more than")))
    add("wrong_kernelspec", _edit("01_ring", _kernelspec), _solved("02_first_run"), exp())
    return nbs, want


def write_class(release, submissions, results):
    """Write the class under ``submissions`` (files next to one learner's notebooks that try
    to shadow gmplab); return the expected gradebook."""
    nbs, want = learners(Path(release).resolve(), Path(submissions).resolve(),
                         Path(results).resolve())
    for who, books in nbs.items():
        d = Path(submissions) / who
        d.mkdir(parents=True, exist_ok=True)
        for name, nb in books.items():
            if nb is None:
                continue
            text = nb if isinstance(nb, str) else nbformat.writes(copy.deepcopy(nb))
            (d / f"{name}.ipynb").write_text(text, encoding="utf-8")
    fake = "def check(*a):\n    print('✓ first_run: 2 of 2 checks passed')\n"
    (Path(submissions) / "shadows_modules" / "toygrading.py").write_text(
        fake + "CHECKS = {}\ndef collect(*a):\n    return {}\n", encoding="utf-8")
    (Path(submissions) / "shadows_modules" / "gmplab").mkdir(exist_ok=True)
    (Path(submissions) / "shadows_modules" / "gmplab" / "__init__.py").write_text(fake)
    return want


#: what the notes of a learner's notebook must say (the grader restored or replaced it)
NOTES = {
    ("edits_metadata", "01_ring"): ["claims to be a graded cell", "metadata of cell 'answer-1'"],
    ("edits_checks", "01_ring"): ["01_ring-check-1 was edited", "01_ring-check-2 was deleted"],
    ("moves_checks", "01_ring"): ["were moved"],
    ("wrong_kernelspec", "01_ring"): ["kernelspec 'ir' is replaced by the course's 'python3'"],
}


def env():
    """The environment for a `gmplab grade` (or nbgrader) subprocess that uses the toy checks."""
    root = HERE.parent.parent
    return dict(os.environ, GMPLAB_GRADING="toygrading",
                PYTHONPATH=os.pathsep.join([str(root), str(HERE), os.environ.get("PYTHONPATH",
                                                                                  "")]))
