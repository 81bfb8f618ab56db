"""gmplab.schedtrace.parse on real GODEBUG=schedtrace output (examples/go/*.out,
recorded with go1.19) and on literal samples of the Go 1.19-1.23 and 1.25 formats."""

from pathlib import Path

import pytest

from gmplab.schedtrace import parse

GO_EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "go"

GO125 = (
    "SCHED 1004ms: gomaxprocs=4 idleprocs=0 threads=7 spinningthreads=0 needspinning=0 "
    "idlethreads=2 runqueue=12 [ 3 0 1 5 ] schedticks=[ 210 198 205 201 ]\n"
)
GO119 = (
    "SCHED 1004ms: gomaxprocs=4 idleprocs=0 threads=7 spinningthreads=0 idlethreads=2 "
    "runqueue=12 [3 0 1 5]\n"
)
DETAIL_NEW = """\
SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=1 idlethreads=0 runqueue=0 gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=0
  P0: status=1 schedtick=3 syscalltick=0 m=0 runqsize=0 gfreecnt=0 timerslen=0
  P1: status=2 schedtick=5 syscalltick=1 m=nil runqsize=2 gfreecnt=4 timerslen=1
  M1: p=nil curg=nil mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=nil
  M0: p=0 curg=1 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=true blocked=false lockedg=nil
  G1: status=4(chan receive) m=nil lockedm=nil
  G2: status=4(force gc (idle)) m=nil lockedm=nil
  G18: status=3() m=0 lockedm=nil
"""


def _read(name):
    return (GO_EXAMPLES / name).read_text()


# -- literal samples ---------------------------------------------------------


def test_go125_summary_line():
    (row,) = parse(GO125)
    assert row["t_ms"] == 1004
    assert row["gomaxprocs"] == 4
    assert row["idleprocs"] == 0
    assert row["threads"] == 7
    assert row["spinningthreads"] == 0
    assert row["needspinning"] == 0
    assert row["idlethreads"] == 2
    assert row["runqueue"] == 12
    assert row["runq"] == [3, 0, 1, 5]
    assert row["schedticks"] == [210, 198, 205, 201]
    assert row["detailed"] is False
    assert row["P"] == row["M"] == row["G"] == []


def test_go119_summary_line():
    (row,) = parse(GO119)
    assert row["t_ms"] == 1004
    assert row["runqueue"] == 12
    assert row["runq"] == [3, 0, 1, 5]
    assert row["needspinning"] is None
    assert row["schedticks"] is None
    assert row["detailed"] is False


def test_both_formats_agree_on_common_fields():
    new, old = parse(GO125)[0], parse(GO119)[0]
    for key in ("t_ms", "gomaxprocs", "idleprocs", "threads", "spinningthreads",
                "idlethreads", "runqueue", "runq"):
        assert new[key] == old[key], key


def test_single_p_and_empty_brackets():
    (row,) = parse("SCHED 0ms: gomaxprocs=1 idleprocs=0 threads=3 spinningthreads=0 "
                   "idlethreads=0 runqueue=0 [2]")
    assert row["runq"] == [2]
    (row,) = parse("SCHED 7ms: gomaxprocs=1 idleprocs=0 threads=3 spinningthreads=0 "
                   "needspinning=1 idlethreads=0 runqueue=0 [ 0 ] schedticks=[ 9 ]")
    assert row["runq"] == [0] and row["schedticks"] == [9] and row["needspinning"] == 1


def test_detailed_new_format():
    (row,) = parse(DETAIL_NEW)
    assert row["detailed"] is True
    assert row["gcwaiting"] == 0 and row["nmidlelocked"] == 0
    assert row["stopwait"] == 0 and row["sysmonwait"] == 0
    assert [p["id"] for p in row["P"]] == [0, 1]
    p0, p1 = row["P"]
    assert p0 == {"id": 0, "status": 1, "schedtick": 3, "syscalltick": 0, "m": 0,
                  "runqsize": 0, "gfreecnt": 0, "timerslen": 0}
    assert p1["status"] == 2 and p1["m"] is None
    assert row["runq"] == [0, 2]  # from the P lines' runqsize
    assert row["schedticks"] == [3, 5]  # from the P lines' schedtick
    m1, m0 = row["M"]
    assert m1["id"] == 1 and m1["p"] is None and m1["curg"] is None and m1["lockedg"] is None
    assert m1["preemptoff"] == "" and m1["spinning"] is False and m1["blocked"] is False
    assert m0["p"] == 0 and m0["curg"] == 1 and m0["spinning"] is True
    g1, g2, g18 = row["G"]
    assert g1 == {"id": 1, "status": 4, "waitreason": "chan receive", "m": None, "lockedm": None}
    assert g2["waitreason"] == "force gc (idle)" and g2["m"] is None
    assert g18["status"] == 3 and g18["waitreason"] == "" and g18["m"] == 0


def test_detailed_go119_minus_one_means_none():
    text = """\
SCHED 1ms: gomaxprocs=2 idleprocs=1 threads=4 spinningthreads=0 idlethreads=2 runqueue=0 gcwaiting=0 nmidlelocked=-1 stopwait=0 sysmonwait=0
  P0: status=0 schedtick=2 syscalltick=0 m=-1 runqsize=0 gfreecnt=0 timerslen=0
  M0: p=-1 curg=18 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=-1
  G18: status=3() m=0 lockedm=-1
"""
    (row,) = parse(text)
    assert row["nmidlelocked"] == -1  # a count, printed racily; kept as is
    assert row["P"][0]["m"] is None
    assert row["M"][0]["p"] is None and row["M"][0]["curg"] == 18
    assert row["M"][0]["lockedg"] is None
    assert row["G"][0] == {"id": 18, "status": 3, "waitreason": "", "m": 0, "lockedm": None}


def test_detailed_bool_header_values():
    (row,) = parse("SCHED 3ms: gomaxprocs=1 idleprocs=0 threads=2 spinningthreads=0 "
                   "needspinning=0 idlethreads=0 runqueue=0 gcwaiting=false "
                   "nmidlelocked=0 stopwait=0 sysmonwait=false\n"
                   "  P0: status=1 schedtick=1 syscalltick=0 m=0 runqsize=1 gfreecnt=0 timerslen=0\n")
    assert row["detailed"] is True
    assert row["gcwaiting"] is False and row["sysmonwait"] is False
    assert row["runq"] == [1]


def test_interleaved_program_output_is_skipped():
    text = ("hello from main\n" + GO119 + "progress t=20ms cpu0=5\n"
            "panic: nothing to see\n\n" + GO125 + "done\n")
    rows = parse(text)
    assert [r["t_ms"] for r in rows] == [1004, 1004]
    assert [r["needspinning"] for r in rows] == [None, 0]


def test_header_glued_to_unterminated_program_output():
    (row,) = parse("partial output without newlineSCHED 5ms: gomaxprocs=1 idleprocs=0 "
                   "threads=3 spinningthreads=0 idlethreads=0 runqueue=4 [1]\n")
    assert row["t_ms"] == 5 and row["runqueue"] == 4 and row["runq"] == [1]


def test_program_output_between_detail_lines():
    text = DETAIL_NEW.replace("  M1:", "program says hi\n  M1:")
    (row,) = parse(text)
    assert len(row["P"]) == 2 and len(row["M"]) == 2 and len(row["G"]) == 3


def test_not_a_trace():
    assert parse("") == []
    assert parse("SCHED is a word\nSCHED 5ms: nothing here\n") == []


def test_accepted_input_types():
    assert parse(GO125.encode()) == parse(GO125)
    assert parse(bytearray(GO125.encode())) == parse(GO125)
    assert parse(DETAIL_NEW.splitlines()) == parse(DETAIL_NEW)
    assert parse(tuple(DETAIL_NEW.splitlines(keepends=True))) == parse(DETAIL_NEW)


@pytest.mark.parametrize("bad", [None, 42, 3.5, {"a": 1}, [1, 2], object()])
def test_bad_input_type(bad):
    with pytest.raises(TypeError) as err:
        parse(bad)
    msg = str(err.value)
    assert "str" in msg and "bytes" in msg and "list" in msg
    assert type(bad).__name__ in msg


# -- recorded output of real Go programs (go1.19, 2 cores) ---------------------


def test_recorded_syscall_handoff():
    text = _read("syscall_handoff.out")
    rows = parse(text)
    assert len(rows) >= 5
    times = [r["t_ms"] for r in rows]
    assert times == sorted(times)
    for r in rows:
        assert r["gomaxprocs"] == 2
        assert len(r["runq"]) == 2
        assert r["needspinning"] is None and r["schedticks"] is None  # go1.19 format
        assert r["detailed"] is False
    # 8 Ms blocked in Nanosleep + 2 running the CPU goroutines + sysmon
    # (10 in some runs, when one blocker has not yet entered the kernel)
    assert max(r["threads"] for r in rows) >= 10
    # the program's own progress lines were skipped
    assert sum(1 for line in text.splitlines() if line.startswith("SCHED")) == len(rows)


def test_recorded_first_syscall_detailed():
    rows = parse(_read("first_syscall.out"))
    assert rows and all(r["detailed"] for r in rows)
    for r in rows:
        assert r["gomaxprocs"] == 2
        assert [p["id"] for p in r["P"]] == [0, 1]
        assert all(p["status"] in (0, 1, 2, 3, 4) for p in r["P"])
    # the first (default) run: at some point a G is in a syscall (status 3)
    # while no P is in _Psyscall (status 2): its P was retaken by sysmon
    first_run = rows[:4]
    assert any(
        any(g["status"] == 3 for g in r["G"]) and all(p["status"] != 2 for p in r["P"])
        for r in first_run
    )
    for r in first_run:
        goids = [g["id"] for g in r["G"]]
        assert 1 in goids  # main
        for g in r["G"]:
            assert isinstance(g["waitreason"], str)
        for m in r["M"]:
            assert m["p"] is None or m["p"] in (0, 1)
            assert isinstance(m["spinning"], bool)


def test_recorded_lcg_global_queue():
    rows = parse(_read("lcg.out"))
    assert rows and all(r["gomaxprocs"] == 1 and len(r["runq"]) == 1 for r in rows)
    # at GOMAXPROCS=1, main outruns the workers: local queue spills to global
    assert max(r["runqueue"] for r in rows) > 256
    assert all(0 <= r["runq"][0] <= 256 for r in rows)


@pytest.mark.parametrize("name", ["spawn.out", "pingpong.out", "calibrate.out",
                                  "deadlock.out", "threadlimit.out"])
def test_recorded_outputs_without_trace(name):
    assert parse(_read(name)) == []
