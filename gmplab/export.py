"""Export a run for trace viewers: Chrome trace-event JSON, which Perfetto
(https://ui.perfetto.dev) and chrome://tracing open.

    rt.run()
    gmplab.export.perfetto(rt, "run.json")     # then drag run.json into ui.perfetto.dev

What the file holds (times in µs, the format's unit, from the virtual clock in ns):

- a process "Ps (processors)" with one thread track per P: a slice "G<goid>" (``ph: "X"``) for
  every stretch a G ran on that P, from ``execute`` (or ``exitsyscall``) to ``gopark``,
  ``goexit0``, ``entersyscall``, ``goschedImpl`` or ``gopreempt_m``;
- a process "Ms (threads)" with one track per M: "syscall G<goid>" slices while the M is
  blocked in a system call, "run G<goid> on P<i>" while it runs a G;
- a process "scheduler decisions": instant events (``ph: "i"``) for every decision the event
  log holds, on a track per P (or "sched" for decisions about no P), with the Go function as
  the name and the explanation in ``args``;
- flow arrows (``ph: "s"`` → ``ph: "f"``) along each P handoff: the cause (sysmon's
  ``retake``, ``entersyscallblock``, ``stoplockedm``) → ``handoffp`` → ``startm`` → the first
  move of the M that picks the P up.
"""
import json

from .viz.slices import handoffs, slices

PID_P, PID_M, PID_D = 1, 2, 3
SCHED_TID = 1_000_000   # the decisions track for events with no P


def _us(ns):
    return ns / 1000.0


def trace_events(rt):
    """The list of trace-event dicts ``perfetto`` writes (see the module docstring)."""
    ev = rt.events
    now = rt.now
    runs, sys_ = slices(ev, now)
    out = []

    def meta(pid, tid, what, name, sort=None):
        d = {"ph": "M", "pid": pid, "name": what, "args": {"name": name}}
        if tid is not None:
            d["tid"] = tid
        out.append(d)
        if sort is not None:
            out.append({"ph": "M", "pid": pid, "tid": tid, "name": "thread_sort_index",
                        "args": {"sort_index": sort}})

    meta(PID_P, None, "process_name", "Ps (processors)")
    meta(PID_M, None, "process_name", "Ms (threads)")
    meta(PID_D, None, "process_name", "scheduler decisions")
    for pid, sort in ((PID_P, 0), (PID_M, 1), (PID_D, 2)):
        out.append({"ph": "M", "pid": pid, "name": "process_sort_index",
                    "args": {"sort_index": sort}})
    nps = max([rt.gomaxprocs()] + [r.p + 1 for r in runs] + [e.p + 1 for e in ev if e.p >= 0])
    for p in range(nps):
        meta(PID_P, p, "thread_name", f"P{p}", p)
        meta(PID_D, p, "thread_name", f"P{p} decisions", p)
    meta(PID_D, SCHED_TID, "thread_name", "sched (no P)", SCHED_TID)
    sysmon = {m.id for m in rt.allm if m.state == "sysmon"}
    nms = int(rt.sched.mnext)
    for m in range(nms):
        meta(PID_M, m, "thread_name", f"M{m} (sysmon)" if m in sysmon else f"M{m}", m)

    for r in runs:
        out.append({"ph": "X", "pid": PID_P, "tid": r.p, "name": f"G{r.g}", "cat": "G",
                    "ts": _us(r.t0), "dur": _us(r.t1 - r.t0),
                    "args": {"goid": r.g, "m": r.m, "started_by": r.start,
                             "ended_by": r.end or "still running"}})
        if r.m >= 0:
            out.append({"ph": "X", "pid": PID_M, "tid": r.m, "name": f"run G{r.g} on P{r.p}",
                        "cat": "M", "ts": _us(r.t0), "dur": _us(r.t1 - r.t0),
                        "args": {"goid": r.g, "p": r.p}})
    for s in sys_:
        out.append({"ph": "X", "pid": PID_M, "tid": s.m, "name": f"syscall G{s.g}",
                    "cat": "syscall", "ts": _us(s.t0), "dur": _us(s.t1 - s.t0),
                    "args": {"goid": s.g, "oldp": s.p,
                             "entered_by": "entersyscallblock" if s.block else "entersyscall",
                             "ended_by": s.end or "still in the syscall"}})

    for e in ev:
        if e.fn in ("execute",):   # already a slice
            continue
        out.append({"ph": "i", "s": "t", "pid": PID_D,
                    "tid": e.p if e.p >= 0 else SCHED_TID, "name": e.fn, "cat": "decision",
                    "ts": _us(e.t),
                    "args": {"text": e.text, "g": e.g, "m": e.m, "p": e.p}})

    # P handoffs as flows: tiny anchor slices (a flow event binds to the slice enclosing it),
    # 2 ns apart so that no two touch, joined by s -> f arrows at their middles
    eps = 0.001     # 1 ns in µs
    fid = 0
    for h in handoffs(ev):
        chain = []
        if h.cause is not None:
            tid = (h.cause.m if h.cause.m >= 0 else SCHED_TID)
            pid = PID_M if h.cause.m >= 0 else PID_D
            chain.append((pid, tid, h.cause))
        chain.append((PID_D, h.handoffp.p, h.handoffp))
        if h.startm is not None:
            chain.append((PID_D, h.startm.p, h.startm))
        if h.pickup is not None:
            chain.append((PID_M, h.pickup.m, h.pickup))
        if len(chain) < 2:
            continue
        anchors = []
        for k, (pid, tid, e) in enumerate(chain):
            ts = round(_us(e.t) + 2 * k * eps, 3)
            out.append({"ph": "X", "pid": pid, "tid": tid, "name": e.fn, "cat": "handoff",
                        "ts": ts, "dur": eps, "args": {"text": e.text}})
            anchors.append((pid, tid, round(ts + eps / 2, 4)))
        for (pa, ta, sa), (pb, tb, sb) in zip(anchors, anchors[1:]):
            fid += 1
            out.append({"ph": "s", "id": fid, "pid": pa, "tid": ta, "ts": sa,
                        "name": "P handoff", "cat": "handoff"})
            out.append({"ph": "f", "bp": "e", "id": fid, "pid": pb, "tid": tb, "ts": sb,
                        "name": "P handoff", "cat": "handoff"})
    return out


def perfetto(rt, path):
    """Write ``rt``'s run as Chrome trace-event JSON to ``path`` (open it in
    https://ui.perfetto.dev or chrome://tracing); returns the number of trace events."""
    events = trace_events(rt)
    doc = {"traceEvents": events, "displayTimeUnit": "ns",
           "otherData": {"producer": "gmplab", "virtual_time_ns": rt.now,
                         "gomaxprocs": rt.gomaxprocs(), "seed": rt.seed}}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
    return len(events)
