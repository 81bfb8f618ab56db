"""The jitted core and the same core with the JIT disabled (plain Python) produce the same
event log, byte for byte; so do two runs with the same seed."""
import hashlib
import os
import subprocess
import sys
import textwrap

import scenarios

SCRIPT = textwrap.dedent("""
    import hashlib, sys
    sys.path.insert(0, {here!r})
    import scenarios
    for name, rt in [("mixed0", scenarios.mixed(0)), ("mixed7", scenarios.mixed(7, 2)),
                     ("spawn", scenarios.spawn(300, seed=3))]:
        print(name, hashlib.sha256(scenarios.events_of(rt)).hexdigest())
""")


def _run(disable_jit):
    env = dict(os.environ)
    env["NUMBA_DISABLE_JIT"] = "1" if disable_jit else "0"
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(here=here)], env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_jit_and_pure_python_agree():
    assert _run(True) == _run(False)


def test_same_seed_same_log_different_seed_differs():
    a = scenarios.events_of(scenarios.mixed(5))
    b = scenarios.events_of(scenarios.mixed(5))
    c = scenarios.events_of(scenarios.mixed(6))
    assert a == b
    assert hashlib.sha256(a).digest() != hashlib.sha256(c).digest()
