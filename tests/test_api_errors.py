"""Bad input: a clear error naming the value and what is allowed; the runtime untouched."""
import numpy as np
import pytest

import gmplab
from gmplab import ops


@pytest.mark.parametrize("n", [0, 257, -1])
def test_gomaxprocs_out_of_range(n):
    with pytest.raises(ValueError, match=rf"gomaxprocs={n} .*1\.\.256"):
        gmplab.Runtime(gomaxprocs=n)


@pytest.mark.parametrize("n", [2.0, "4", True])
def test_gomaxprocs_wrong_type(n):
    with pytest.raises(TypeError, match="gomaxprocs must be an int"):
        gmplab.Runtime(gomaxprocs=n)


@pytest.mark.parametrize("d,err", [(-5, ValueError), ("-5us", ValueError), ("5 parsecs", ValueError),
                                   ("", ValueError), (1.5, TypeError), (None, TypeError),
                                   ("1e3ms", ValueError)])
def test_bad_durations(d, err):
    with pytest.raises(err, match="duration"):
        ops.work(d)


def test_good_durations():
    assert ops.work("50us").arg == 50_000
    assert ops.sleep("2ms").arg == 2_000_000
    assert ops.syscall("1.5ms").arg == 1_500_000
    assert ops.work(7).arg == 7 and ops.work("1s").arg == 10**9


def _state(rt):
    return rt._S.copy(), len(rt.events)


def test_errors_leave_state_untouched():
    rt = gmplab.Runtime(gomaxprocs=2)
    rt.go(ops.work("1ms"))
    before, n = _state(rt)
    other = gmplab.Runtime(gomaxprocs=1).chan()
    with pytest.raises(ValueError, match="unknown channel"):
        rt.go(ops.send(other))
    with pytest.raises(TypeError, match="not an operation"):
        rt.go(ops.work(1), "work")
    with pytest.raises(TypeError, match="needs a channel"):
        ops.recv(3)
    with pytest.raises(TypeError):
        ops.recv()
    with pytest.raises(ValueError, match="gomaxprocs=300"):
        rt.gomaxprocs(300)
    with pytest.raises(ValueError, match="M id=7 is out of range"):
        rt.m(7)
    with pytest.raises(ValueError, match="not running a goroutine"):
        rt.entersyscall(1)      # M1 is sysmon
    with pytest.raises(ValueError, match="no goroutine with goid 99"):
        rt.g(99)
    with pytest.raises(ValueError, match="loop count"):
        ops.loop(-1, ops.work(1))
    with pytest.raises(ValueError, match="nested 4 deep"):
        rt.go(ops.loop(1, ops.loop(1, ops.loop(1, ops.loop(1, ops.work(1))))))
    with pytest.raises(ValueError, match="in the past"):
        rt.run_for(5)
        rt.run(until=1)
    after, m = _state(rt)
    # only the successful run_for(5) moved the clock
    rt2 = gmplab.Runtime(gomaxprocs=2)
    rt2.go(ops.work("1ms"))
    rt2.run_for(5)
    assert np.array_equal(after, rt2._S) and m == len(rt2.events)


def test_running_a_finished_runtime():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(ops.work(10))
    rt.run()
    for call in (rt.run, rt.step, lambda: rt.go(ops.work(1)), lambda: rt.gomaxprocs(2)):
        with pytest.raises(ValueError, match="finished"):
            call()


def test_daemon_run_needs_until():
    rt = gmplab.Runtime(gomaxprocs=1, daemon=True)
    with pytest.raises(ValueError, match="until"):
        rt.run()


def test_costs_validation():
    with pytest.raises(ValueError, match="unknown cost 'sched'"):
        gmplab.Runtime(costs={"sched": 1})
    with pytest.raises(ValueError, match="negative"):
        gmplab.Runtime(costs={"schedule": -1})
    rt = gmplab.Runtime(costs={"newproc": "1us"})
    assert rt.costs["newproc"] == 1000


def test_go_after_main_parked_is_injected():
    rt = gmplab.Runtime(gomaxprocs=2, daemon=True)
    rt.go(ops.work("10us"))
    rt.run(until="1ms")
    g = rt.go(ops.work("10us"))
    assert g in rt.sched.runq or rt.g(g).status != "_Gdead"
    rt.run(until="2ms")
    assert rt.events.where(fn="goexit0", g=g)


@pytest.mark.parametrize("d,says", [("-5ms", "'-5ms' is negative"), (-5, "-5 is negative"),
                                    ("5", "'5' has no unit"),
                                    ("5 parsecs", "unknown unit 'parsecs'"),
                                    ("fast", "'fast' is not a duration"),
                                    (1 << 53, "too long: at most 2\\*\\*52 ns")])
def test_duration_errors_say_what_is_wrong(d, says):
    with pytest.raises(ValueError, match=says):
        ops.work(d)


def test_fmt_time_is_exact_and_reads_back():
    for ns, s in [(0, "0ns"), (999, "999ns"), (1500, "1.5us"), (3_100_730, "3.10073ms"),
                  (10**9, "1s"), (10**9 + 1, "1.000000001s")]:
        assert ops.fmt_time(ns) == s
        assert ops.duration(s) == ns


def test_range_errors_say_what_the_bound_means():
    rt = gmplab.Runtime(gomaxprocs=2)
    with pytest.raises(ValueError, match=r"chan capacity=-1 is out of range: allowed 0\.\.2\*\*40 "
                                         r"\(0 is unbuffered; Go panics 'makechan"):
        rt.chan(-1)
    with pytest.raises(ValueError, match=r"P id=2 .* allowed 0\.\.1 \(GOMAXPROCS=2\)"):
        rt.p(2)
    with pytest.raises(ValueError, match=r"seed=-1 .* 0\.\.2\*\*32-1"):
        gmplab.Runtime(seed=-1)


def test_a_finished_runtime_says_when_in_the_logs_units():
    rt = gmplab.Runtime(gomaxprocs=1)
    rt.go(ops.work("1ms"))
    rt.run()
    t = ops.fmt_time(rt.now)
    assert rt.finished == f"main returned at t={t}" and ops.duration(t) == rt.now
    with pytest.raises(ValueError, match=rf"finished \(main returned at t={t}\)"):
        rt.run()
    rt = gmplab.Runtime(gomaxprocs=1, daemon=True)
    rt.run(until="2.5ms")
    with pytest.raises(ValueError, match=r"until='1ms' is in the past \(now is 2\.5ms"):
        rt.run(until="1ms")
