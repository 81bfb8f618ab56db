"""A clever learner's attacks on the grader, each in an answer cell before a correct
`ring_slot` (so any points it kept would be stolen): each is refused or reported as tampering."""
import pytest

from synth import TIMEOUT
from gmplab.classroom import runner
from gmplab.classroom.grader import child_env
from gmplab.classroom.zygote import Zygote

ANSWER = "def ring_slot(tail):\n    return tail % 256\n"
ATTACKS = {
    "swaps a function's code": ("import toygrading\ntoygrading._reference.__code__ = "
                                "(lambda check_id: []).__code__", "tampered", "__code__"),
    "replaces a module in sys.modules": ("import sys, types\nsys.modules['toygrading'] = "
                                         "types.ModuleType('toygrading')", "tampered",
                                         "module toygrading was replaced in sys.modules"),
    "reloads the checks": ("import importlib, toygrading\nimportlib.reload(toygrading)",
                           "tampered", "toygrading"),
    "patches builtins": ("import builtins\nbuiltins.len = lambda x: 4", "tampered",
                         "builtins.len was replaced"),
    "patches json": ("import json\njson.dumps = lambda *a, **k: '{}'", "tampered",
                     "json.dumps was replaced"),
    "disables the fingerprint first": (
        "import gmplab.classroom.fingerprint as f, toygrading\n"
        "f.changes = lambda a, b: []\nf.quick = lambda names: ()\n"
        "toygrading.CHECKS = {}", "tampered", "toygrading.CHECKS was replaced"),
    "hunts objects with gc": ("import gc\ngc.get_objects()", "tampered", "gc.get_objects"),
    "reads memory with ctypes": ("import ctypes\nctypes.string_at(id(1), 8)", "tampered",
                                 "ctypes.string_at"),
    "looks at every thread's frame": ("import sys\nsys._current_frames()", "tampered",
                                      "sys._current_frames"),
    "installs a signal handler": ("import signal\nsignal.signal(signal.SIGUSR1, print)",
                                  "error", "signal handlers are not allowed"),
    "forges the harness's reports": (
        "import os\nfor fd in range(3, 40):\n    try:\n"
        "        os.write(fd, b'{\"ev\": \"data\", \"id\": \"01_ring-check-1\", "
        "\"data\": {}}\\n')\n"
        "    except OSError:\n        pass", "tampered", "report channel"),
    "walks the frames up to the harness's baseline": (
        "import sys, toygrading\nf = sys._getframe()\nwhile f is not None:\n"
        "    for k in ('base', 'quick0', 'changes', 'send'):\n"
        "        if k in f.f_locals:\n            raise SystemExit('found ' + k)\n"
        "    f = f.f_back\ntoygrading.judge = None", "tampered",
        "toygrading.judge was replaced"),
}


@pytest.fixture(scope="module")
def zygote(toy_release):
    z = Zygote("toygrading", child_env("toygrading"), str(toy_release))
    z.wait_ready(600)
    yield z
    z.close()


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_attack_scores_nothing(zygote, attack):
    source, status, part = ATTACKS[attack]
    cells = [{"label": "cell 2, set-up", "source": "from toygrading import check"},
             {"label": "cell 4, answer", "source": source + "\n" + ANSWER}]
    out = runner.run(cells, [{"id": "01_ring-check-1", "names": ["ring_slot"]}], "toygrading",
                     [], runner.Limits(cell=TIMEOUT, notebook=60), zygote)
    got = out.checks["01_ring-check-1"]
    if status == "error":                  # refused: the cell stopped before ring_slot
        assert got[0] == "error" and "defines no" in got[1]
        assert part in out.cells[1][1]
    else:
        assert got[0] == status and part in got[1], got
