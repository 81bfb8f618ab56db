"""gmplab.export.perfetto: Chrome trace-event JSON that Perfetto and chrome://tracing load."""
import json

import pytest

import gmplab
from gmplab.export import perfetto, trace_events
from gmplab.ops import recv, send, loop, sleep, syscall, syscall_block, work


@pytest.fixture(scope="module")
def handoff_run():
    """2 Ps kept busy while a G blocks in a syscall: sysmon retakes its P and hands it off."""
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    ch = rt.chan()
    rt.go(loop(3, send(ch)))
    rt.go(loop(3, recv(ch)))
    rt.go(sleep("1ms"), syscall_block("500us"))
    for _ in range(6):
        rt.go(work("2ms"))
    rt.go(work("100us"), syscall("3ms"))     # last, so it runs first (runnext)
    rt.run()
    assert rt.events.where(fn="retake")
    return rt


@pytest.fixture(scope="module")
def doc(handoff_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "run.json"
    n = perfetto(handoff_run, path)
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    assert n == len(d["traceEvents"])
    return d


REQUIRED = {"X": {"name", "ph", "ts", "dur", "pid", "tid"},
            "i": {"name", "ph", "ts", "pid", "tid", "s"},
            "M": {"name", "ph", "pid", "args"},
            "s": {"name", "ph", "ts", "pid", "tid", "id"},
            "f": {"name", "ph", "ts", "pid", "tid", "id", "bp"}}


def test_every_event_has_the_required_keys(doc):
    assert isinstance(doc["traceEvents"], list) and doc["displayTimeUnit"] == "ns"
    for e in doc["traceEvents"]:
        assert e["ph"] in REQUIRED, e
        missing = REQUIRED[e["ph"]] - set(e)
        assert not missing, (e, missing)
        if "ts" in e:
            assert isinstance(e["ts"], (int, float)) and e["ts"] >= 0
        if e["ph"] == "X":
            assert e["dur"] >= 0


def test_process_and_thread_names(doc, handoff_run):
    meta = [e for e in doc["traceEvents"] if e["ph"] == "M"]
    procs = {e["pid"]: e["args"]["name"] for e in meta if e["name"] == "process_name"}
    assert procs == {1: "Ps (processors)", 2: "Ms (threads)", 3: "scheduler decisions"}
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in meta
               if e["name"] == "thread_name"}
    assert threads[(1, 0)] == "P0" and threads[(1, 1)] == "P1"
    sysmon = [m.id for m in handoff_run.allm if m.state == "sysmon"][0]
    assert threads[(2, sysmon)] == f"M{sysmon} (sysmon)"


def test_g_slices_match_the_event_log(doc, handoff_run):
    gs = [e for e in doc["traceEvents"] if e["ph"] == "X" and e["pid"] == 1]
    assert len(gs) >= len(handoff_run.events.where(fn="execute"))
    assert all(e["name"] == f"G{e['args']['goid']}" for e in gs)
    assert {e["args"]["goid"] for e in gs} >= set(range(2, 12))
    # no two slices overlap on one P track
    for p in (0, 1):
        track = sorted((e["ts"], e["ts"] + e["dur"]) for e in gs if e["tid"] == p)
        for (a0, a1), (b0, b1) in zip(track, track[1:]):
            assert a1 <= b0 + 1e-9


def test_syscalls_on_m_tracks(doc, handoff_run):
    sc = [e for e in doc["traceEvents"] if e["ph"] == "X" and e.get("cat") == "syscall"]
    n = len(handoff_run.events.where(fn=["entersyscall", "entersyscallblock"]))
    assert len(sc) == n
    assert all(e["pid"] == 2 and e["name"].startswith("syscall G") for e in sc)
    assert {e["args"]["entered_by"] for e in sc} == {"entersyscall", "entersyscallblock"}


def test_decisions_are_instants_with_explanations(doc, handoff_run):
    inst = [e for e in doc["traceEvents"] if e["ph"] == "i"]
    names = {e["name"] for e in inst}
    assert {"retake", "handoffp", "startm", "newproc", "gopark"} <= names
    assert all(e["args"]["text"] for e in inst)


def test_handoff_flows(doc, handoff_run):
    ev = doc["traceEvents"]
    starts = {e["id"]: e for e in ev if e["ph"] == "s"}
    ends = {e["id"]: e for e in ev if e["ph"] == "f"}
    assert starts and set(starts) == set(ends)
    anchors = [e for e in ev if e["ph"] == "X" and e.get("cat") == "handoff"]
    names = [e["name"] for e in anchors]
    assert "retake" in names and "handoffp" in names and "startm" in names
    # every flow end lies inside an anchor slice on its track (what binds it in the viewer)
    for fid, s in starts.items():
        f = ends[fid]
        assert f["ts"] >= s["ts"]
        for e in (s, f):
            assert any(a["pid"] == e["pid"] and a["tid"] == e["tid"]
                       and a["ts"] < e["ts"] < a["ts"] + a["dur"] for a in anchors), e
    # the retake chain: sysmon's M → P decisions → P decisions → the M that picks the P up
    sysmon = [m.id for m in handoff_run.allm if m.state == "sysmon"][0]
    first = [s for s in starts.values() if s["pid"] == 2 and s["tid"] == sysmon]
    assert first


def test_trace_events_is_json_serialisable_and_deterministic(handoff_run):
    a = json.dumps(trace_events(handoff_run))
    assert a == json.dumps(trace_events(handoff_run))
