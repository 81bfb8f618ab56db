"""Plug-in runs (gmplab.grading.plugins): the plain core makes the jitted core's decisions; a
learner's function stands in for the core's; bad input gets a clear error naming the function,
and the runtime is left as it was."""
import json
import time

import numpy as np
import pytest

import gmplab
from gmplab.grading import BUILTIN, PLUGS, PluginError
from gmplab.grading.go import _Pidle, runqputslow, uint32
from gmplab.ops import loop, go, work
from gmplab.runtime import engine

import scenarios
from exercise_code import solution

SCENARIOS = [("mixed0", lambda **kw: scenarios.mixed(0, **kw)),
             ("mixed7", lambda **kw: scenarios.mixed(7, 2, **kw)),
             ("spawn", lambda **kw: scenarios.spawn(300, seed=3, **kw))]


def _log(make, replace=None):
    orig = gmplab.Runtime
    if replace is not None:
        gmplab.Runtime = lambda *a, **k: orig(*a, replace=replace, **k)
    try:
        rt = make()
        rt.run()
    finally:
        gmplab.Runtime = orig
    return rt.events.array().tobytes(), rt


@pytest.mark.parametrize("name,make", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_the_plain_core_behind_every_adapter_makes_the_jitted_cores_decisions(name, make):
    ref, _ = _log(make)
    got, rt = _log(make, {n: BUILTIN for n in PLUGS})
    assert got == ref
    assert rt.plugins.calls["runqput"] > 0 and rt.plugins.calls["runqget"] > 0


def test_a_runtime_without_plugins_runs_the_jitted_engine():
    rt = gmplab.Runtime(gomaxprocs=2)
    assert rt._e is engine and rt.plugins is None


def test_the_learners_runqput_replaces_the_cores():
    ns = solution("01_runqput")
    seen = []

    def runqput(pp, gp, next):
        seen.append((pp.id, gp.goid, next))
        ns["runqput"](pp, gp, next)
    rt = gmplab.Runtime(gomaxprocs=1, replace={"runqput": runqput})
    rt.go(work("1us"))
    rt.run()
    assert seen[:2] == [(0, 1, True), (0, 2, True)], "main, then G2 from `go`, both to runnext"
    assert rt.plugins.calls == {"runqput": len(seen)}


def test_a_lesson_sized_plugin_run_takes_well_under_a_few_seconds():
    ns = solution("01_runqput")
    rt = gmplab.Runtime(gomaxprocs=2, replace={"runqput": ns["runqput"]})
    rt.main(loop(1000, go(work("1us"))))
    t = time.perf_counter()
    rt.run()
    assert rt.nevents > 3000
    assert time.perf_counter() - t < 30, "(generous: a shared CI machine; ~0.2s alone)"


def _two_gs(replace, **kw):
    """Two Gs on one P; the plugged-in functions act as the solution's until the runtime has
    started (so that a bad one fails in run(), not in the constructor)."""
    armed = [False]
    good = {"runqget": solution("03_runqget")["runqget"],
            "runqput": solution("01_runqput")["runqput"]}
    wrapped = {name: (lambda name, f: lambda *a: (f if armed[0] else good[name])(*a))(name, f)
               for name, f in replace.items()}
    rt = gmplab.Runtime(gomaxprocs=1, replace=wrapped, **kw)
    rt.go(work("10us"))
    rt.go(work("10us"))
    armed[0] = True
    return rt


def _state(rt):
    return rt._S.copy(), rt._L[:rt._L[5] * 8 + 160].copy(), len(rt.events)


def _fails_cleanly(rt, exc, *words):
    before = _state(rt)
    with pytest.raises(exc) as info:
        rt.run()
    after = _state(rt)
    assert np.array_equal(before[0], after[0]), "the state is as it was before run()"
    assert before[2] == after[2], "no half-logged decisions"
    msg = str(info.value)
    for w in words:
        assert w in msg, msg
    return info


def test_a_wrong_return_type_is_named():
    rt = _two_gs({"runqget": lambda pp: pp.runnext})
    _fails_cleanly(rt, PluginError, "runqget", "must return (gp, inheritTime)")


def test_a_g_returned_twice_is_refused():
    def runqget(pp):                      # forgets to take runnext off the queue
        if pp.runnext is not None:
            return pp.runnext, True
        return None, False
    rt = _two_gs({"runqget": runqget})
    _fails_cleanly(rt, PluginError, "runqget", "twice", "would run twice")


def test_an_index_out_of_the_ring_points_at_the_learners_line():
    def runqput(pp, gp, next):
        pp.runq[300] = gp                 # the offending line
        pp.runqtail = pp.runqtail + 1
    with pytest.raises(IndexError) as info:
        gmplab.Runtime(gomaxprocs=1, replace={"runqput": runqput})
    assert "the ring has 256 slots" in str(info.value)
    frames = [f for f in info.traceback]
    assert frames[-1].name == "runqput" and "pp.runq[300] = gp" in str(frames[-1].statement)
    assert not any("gmplab/runtime" in str(f.path) for f in frames), "no core frames"
    assert any("the runtime was put back" in n for n in info.value.__notes__)


def test_a_learners_own_exception_keeps_its_traceback():
    def runqget(pp):
        return 1 / 0
    rt = _two_gs({"runqget": runqget})
    info = _fails_cleanly(rt, ZeroDivisionError)
    assert info.traceback[-1].name == "runqget" and "1 / 0" in str(info.traceback[-1].statement)
    rt2 = gmplab.Runtime(gomaxprocs=1, replace={"runqget": BUILTIN})
    rt2.go(work("10us"))
    rt2.run()                             # a fresh runtime is unaffected


def test_a_function_that_never_returns_is_stopped_by_the_timeout():
    def runqget(pp):
        while True:
            pass
    rt = _two_gs({"runqget": runqget}, plugin_timeout=0.3)
    t = time.perf_counter()
    _fails_cleanly(rt, PluginError, "runqget did not return within 0.3s")
    assert time.perf_counter() - t < 10


def test_a_write_the_function_may_not_make_is_refused():
    def runqget(pp):
        pp.status = _Pidle
        return None, False
    rt = _two_gs({"runqget": runqget})
    _fails_cleanly(rt, PluginError, "runqget: it may not change P0.status")


def test_runqputslow_returning_false_would_retry_forever_and_is_refused():
    rt = gmplab.Runtime(gomaxprocs=1, replace={"runqputslow": lambda pp, gp, h, t: False})
    with pytest.raises(PluginError, match="runqputslow.*returned False"):
        for _ in range(258):
            rt.go(work(1))


def test_bad_replace_arguments():
    with pytest.raises(ValueError, match="'runqpop' is not a function gmplab can plug in"):
        gmplab.Runtime(replace={"runqpop": print})
    with pytest.raises(TypeError, match="must be a function"):
        gmplab.Runtime(replace={"runqput": 3})
    with pytest.raises(ValueError, match="gmplab's own runqputslow"):
        gmplab.Runtime(replace={"runqputslow": runqputslow})
    with pytest.raises(TypeError, match="must be a dict"):
        gmplab.Runtime(replace=["runqput"])
    with pytest.raises(ValueError, match="plugin_timeout"):
        gmplab.Runtime(replace={}, plugin_timeout=0)


def test_go_names_outside_a_run_say_where_they_work():
    from gmplab.grading.go import sched
    with pytest.raises(RuntimeError, match="only while gmplab runs your function"):
        sched.npidle


def test_uint32_wraps_like_go():
    h, t = uint32((1 << 32) - 2), uint32(3)
    assert t - h == 5 and (t - h) // 2 == 2 and isinstance(t + 1, uint32)
    assert uint32(0) - 1 == (1 << 32) - 1
    with pytest.raises(TypeError, match="//"):
        t / 2


def test_plugin_runs_trace_plain_data():
    from gmplab.grading.plugins import PluginRun
    run = PluginRun({"runqput": BUILTIN, "retake": BUILTIN}, trace=True)
    rt = gmplab.Runtime(gomaxprocs=2, replace=run)
    rt.go(work("10us"))
    rt.run()
    assert run.trace and json.loads(json.dumps(run.trace)) == run.trace
    assert run.trace[0][0] == "runqput" and "runqput(P0, G1, next=True)" in run.trace[0][1]
