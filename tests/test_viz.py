"""gmplab.viz: assertions on the drawn artists (labels, counts, colours per state), not pixels."""
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import gmplab  # noqa: E402
from gmplab.ops import loop, recv, sleep, syscall, work  # noqa: E402
from gmplab.runtime import layout as L  # noqa: E402
from gmplab.schedtrace import parse  # noqa: E402
from gmplab.viz import draw, schedtrace_plot, snapshot, style, timeline  # noqa: E402
from gmplab.viz.slices import handoffs, slices  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "go"


def patches(fig, prefix=None):
    out = []
    for ax in fig.axes:
        for a in ax.get_children():
            gid = a.get_gid() if hasattr(a, "get_gid") else None
            if gid and hasattr(a, "get_facecolor") and (prefix is None or gid.startswith(prefix)):
                out.append(a)
    return out


def by_gid(fig, gid):
    return [a for a in patches(fig) if a.get_gid() == gid]


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def same_color(a, b):
    return to_rgba(a) == pytest.approx(to_rgba(b))


@pytest.fixture(scope="module")
def busy():
    """4 Ps, 100 CPU-bound Gs: every P runs one G and holds a long local runq."""
    rt = gmplab.Runtime(gomaxprocs=4, seed=0)
    for _ in range(100):
        rt.go(work("300us"))
    rt.run(until="160us")
    return rt


def test_draw_returns_a_figure_with_go_names(busy):
    fig = draw(busy)
    assert isinstance(fig, Figure)
    t = texts(fig)
    header = [s for s in t if s.startswith("t = ")][0]
    assert "GOMAXPROCS=4" in header and f"threads={busy.mcount()}" in header
    for word in ("runnext", "P0", "P3", "_Prunning", "Ms without a P"):
        assert any(word in s for s in t), word
    assert any(s.startswith("schedtick ") for s in t)
    assert any(s.startswith("syscalltick ") for s in t)


def test_each_p_is_drawn_in_its_status_colour(busy):
    fig = draw(busy)
    for p in busy.allp:
        (patch,) = by_gid(fig, f"P{p.id}")
        assert same_color(patch.get_facecolor(), style.P_COLORS[p.status])


def test_local_runq_shows_eight_slots_and_the_rest_as_more(busy):
    fig = draw(busy)
    t = texts(fig)
    for p in busy.allp:
        q = p.runq
        assert len(q) > 8
        shown = [a for a in patches(fig, "G") if a.get_url().startswith(f"slot:P{p.id}:")]
        assert [int(a.get_gid()[1:]) for a in shown] == q[:8]
        assert all(same_color(a.get_facecolor(), style.RUNNABLE) for a in shown)
        assert f"+{len(q) - 8} more" in t
        assert f"{len(q)}/256" in t


def test_running_gs_sit_in_their_m_above_their_p(busy):
    fig = draw(busy)
    for m in busy.allm:
        if m.state != "running":
            continue
        (mp,) = by_gid(fig, f"M{m.id}")
        assert same_color(mp.get_facecolor(), style.M_COLORS["running"])
        (gp,) = [a for a in by_gid(fig, f"G{m.curg}") if a.get_url() == f"curg:M{m.id}"]
        assert same_color(gp.get_facecolor(), style.G_COLORS["_Grunning"])
        # the M is drawn above its P's column
        (pp,) = by_gid(fig, f"P{m.p}")
        assert pp.get_x() == pytest.approx(mp.get_x())
        assert mp.get_y() > pp.get_y()


def test_sysmon_is_shown_with_its_state(busy):
    fig = draw(busy)
    (sm,) = [m for m in busy.allm if m.state == "sysmon"]
    (patch,) = by_gid(fig, f"M{sm.id}")
    assert same_color(patch.get_facecolor(), style.SYSMON)
    assert any(s.startswith(f"M{sm.id}  sysmon") for s in texts(fig))


def test_one_legend_naming_every_colour(busy):
    fig = draw(busy)
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    assert len(legends) == 1
    labels = [t.get_text() for t in legends[0].get_texts()]
    assert labels == [label for _, label in style.LEGEND]
    colours = [h.get_facecolor() for h in legends[0].legend_handles]
    assert all(same_color(c, col) for c, (col, _) in zip(colours, style.LEGEND))
    for name in ("_Grunnable", "_Grunning", "_Gsyscall", "_Gwaiting", "_Pidle", "_Psyscall"):
        assert any(name in s for s in labels), name


def test_global_queue_overflow_and_runnext():
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    for _ in range(300):
        rt.go(work("1ms"))
    rt.run(until="1us")
    fig = draw(rt)
    n = rt.sched.runqsize
    assert n >= 129                    # runqputslow moved 128 + 1
    assert f"{n} G(s)" in texts(fig)
    glob = sorted((a for a in patches(fig, "G") if a.get_url().startswith("globrunq:")),
                  key=lambda a: int(a.get_url().split(":")[1]))
    assert [int(a.get_gid()[1:]) for a in glob] == rt.sched.runq[:len(glob)]
    assert any(s.startswith("+") and s.endswith("more") for s in texts(fig))
    rn = rt.p(0).runnext
    if rn is not None:
        (a,) = [a for a in by_gid(fig, f"G{rn}") if a.get_url() == "runnext:P0"]
        assert same_color(a.get_facecolor(), style.RUNNABLE)


def test_syscall_m_keeps_its_p_then_loses_it():
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    for _ in range(4):
        rt.go(work("5ms"))
    g = rt.go(work("100us"), syscall("40ms"), work("100us"))
    ch = rt.chan()
    w = rt.go(recv(ch))
    s = rt.go(sleep("80ms"))
    # find the moment the syscall starts: the P is in _Psyscall, its M drawn dashed above it
    while not any(p.status == "_Psyscall" for p in rt.allp):
        rt.step()
    fig = draw(rt)
    (p,) = [p for p in rt.allp if p.status == "_Psyscall"]
    (m,) = [m for m in rt.allm if m.oldp == p.id and m.state == "syscall"]
    (mp,) = by_gid(fig, f"M{m.id}")
    assert mp.get_linestyle() == "--"
    assert same_color(mp.get_facecolor(), style.SYSCALL)
    assert same_color(by_gid(fig, f"P{p.id}")[0].get_facecolor(), style.P_COLORS["_Psyscall"])
    (gp,) = by_gid(fig, f"G{g}")
    assert same_color(gp.get_facecolor(), style.G_COLORS["_Gsyscall"])
    # after sysmon's retake (sysmon has backed off to 10ms looks by now) the M sits among
    # "Ms without a P"
    rt.run_for("20ms")
    assert rt.events.where(fn="retake")
    fig = draw(rt)
    (mp,) = by_gid(fig, f"M{m.id}")
    assert mp.get_linestyle() == "-"
    assert any(s.startswith(f"M{m.id}  in syscall") for s in texts(fig))
    # parked Gs with their waitreason
    parked = {a.get_gid(): a for a in patches(fig, "G") if a.get_url() == "parked"}
    assert f"G{w}" in parked and f"G{s}" in parked
    assert same_color(parked[f"G{w}"].get_facecolor(), style.G_COLORS["_Gwaiting"])
    assert any(t == f"G{w} chan receive" for t in texts(fig))
    assert any(t == f"G{s} sleep" for t in texts(fig))


def test_draw_into_given_axes_and_many_ps():
    rt = gmplab.Runtime(gomaxprocs=20, seed=0)
    rt.run(until="10us")
    fig = Figure()
    ax = fig.add_subplot()
    ax.text(0, 0, "old")
    assert draw(rt, ax) is fig
    t = texts(fig)
    assert "old" not in t
    assert "+4\nmore Ps" in t
    assert len(patches(fig, "P")) == 16


def test_snapshot_is_plain_data(busy):
    s = snapshot(busy)
    assert s["gomaxprocs"] == 4 and len(s["ps"]) == 4
    assert s["ps"][0]["runq"] == busy.p(0).runq
    assert {m["state"] for m in s["ms"]} >= {"running", "sysmon"}


# --- style ---------------------------------------------------------------------------------

def test_every_state_has_a_colour_from_one_palette():
    allowed = {c.upper() for c in style.OKABE_ITO.values()} | {style.GREY, style.DARK,
                                                               style.WHITE}
    for name in L.GSTATUS_NAMES.values():
        assert style.G_COLORS[name].upper() in allowed
    for name in L.PSTATUS_NAMES.values():
        assert style.P_COLORS[name].upper() in allowed
    for name in list(L.MSTATE_NAMES.values()) + ["spinning"]:
        assert style.M_COLORS[name].upper() in allowed
    # one meaning per colour across G, P and M
    assert style.G_COLORS["_Grunning"] == style.P_COLORS["_Prunning"] == style.M_COLORS["running"]
    assert style.G_COLORS["_Gsyscall"] == style.P_COLORS["_Psyscall"] == style.M_COLORS["syscall"]


def test_text_colour_contrast():
    assert style.text_color(style.WAITING) == "black"
    assert style.text_color(style.NETPOLL) == "white"
    assert style.text_color("#FFFFFF") == "black"


# --- slices and timeline ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def crowd():
    """4 Ps × 200 Gs: CPU-bound, sleepers and a few syscalls."""
    rt = gmplab.Runtime(gomaxprocs=4, seed=1)
    for i in range(200):
        if i % 10 == 0:
            rt.go(work("100us"), syscall("2ms"), work("100us"))
        elif i % 7 == 0:
            rt.go(work("12ms"))
        else:
            rt.go(loop(2, work("150us"), sleep("300us")))
    rt.run()
    return rt


def test_slices_never_overlap_on_a_p_and_cover_every_syscall(crowd):
    runs, sys_ = slices(crowd.events, crowd.now)
    byp = {}
    for r in runs:
        assert r.t0 <= r.t1
        assert r.start in ("execute", "exitsyscall")
        byp.setdefault(r.p, []).append(r)
    for rs in byp.values():
        rs.sort(key=lambda r: r.t0)
        for a, b in zip(rs, rs[1:]):
            assert a.t1 <= b.t0
    assert len(sys_) == len(crowd.events.where(fn=["entersyscall", "entersyscallblock"]))
    assert {r.g for r in runs} >= set(range(2, 202))


def test_timeline_lanes_markers_and_labels(crowd):
    fig = timeline(crowd)
    (ax,) = fig.axes
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    assert lanes[:4] == ["P0", "P1", "P2", "P3"]
    assert any(s.endswith("sysmon") for s in lanes)
    gids = {c.get_gid() for c in ax.collections}
    assert {f"lane:P{p}" for p in range(4)} <= gids
    assert any(g and g.endswith(":syscall") for g in gids)
    for fn in style.DECISION_MARKERS:
        (line,) = [ln for ln in ax.lines if ln.get_gid() == f"marker:{fn}"]
        assert len(line.get_xdata()) == len([e for e in crowd.events.where(fn=fn) if e.p >= 0])
    labels = [t.get_text() for t in ax.texts]
    assert 0 < len(labels) <= 120 and all(s.startswith("G") for s in labels)
    # colours: running slices green, syscalls vermillion
    for c in ax.collections:
        if c.get_gid().startswith("lane:P"):
            assert same_color(c.get_facecolor()[0], style.RUNNING)
        if c.get_gid().endswith(":syscall"):
            assert same_color(c.get_facecolor()[0], style.SYSCALL)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(s.startswith("retake") for s in legend)


def test_timeline_window_and_handoffs():
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    for _ in range(6):
        rt.go(work("2ms"))
    rt.go(work("100us"), syscall("3ms"))
    rt.run()
    (h,) = handoffs(rt.events)
    assert [h.cause.fn, h.handoffp.fn, h.startm.fn] == ["retake", "handoffp", "startm"]
    assert h.pickup.m == h.startm.a
    fig = timeline(rt, start=0, end=1_000_000)
    (ax,) = fig.axes
    assert ax.get_xlim()[1] == pytest.approx(1000)          # µs
    assert "µs" in ax.get_xlabel()


# --- schedtrace_plot -------------------------------------------------------------------------

def _lines(fig):
    return {ln.get_label(): ln for ax in fig.axes for ln in ax.get_lines()}


def test_schedtrace_plot_simulated():
    rt = gmplab.Runtime(gomaxprocs=2, schedtrace="1ms")
    for _ in range(10):
        rt.go(loop(3, work("300us"), syscall("1ms")))
    for _ in range(60):
        rt.go(work("500us"))
    rt.run()
    rows = parse(rt.trace)
    fig = schedtrace_plot(rows)
    assert len(fig.axes) == 3
    lines = _lines(fig)
    assert {"P0 local runq", "P1 local runq", "threads (all Ms)", "idleprocs (_Pidle)",
            "spinningthreads", "gomaxprocs (Ps)"} <= set(lines)
    g = [ln for lab, ln in lines.items() if lab.startswith("runqueue")][0]
    assert list(g.get_ydata()) == [r["runqueue"] for r in rows]
    assert list(lines["threads (all Ms)"].get_ydata()) == [r["threads"] for r in rows]
    assert same_color(lines["spinningthreads"].get_color(), style.SPINNING)
    # the raw lines are accepted too
    assert len(_lines(schedtrace_plot(rt.trace))) == len(lines)


@pytest.mark.parametrize("name", ["syscall_handoff.out", "first_syscall.out"])
def test_schedtrace_plot_real_go(name):
    rows = parse((EXAMPLES / name).read_text())
    assert rows
    fig = schedtrace_plot(rows, title=name)
    lines = _lines(fig)
    assert list(lines["threads (all Ms)"].get_xdata()) == [r["t_ms"] for r in rows]
    nps = max(len(r["runq"] or []) for r in rows)
    assert sum(1 for lab in lines if lab.endswith("local runq")) == nps


def test_schedtrace_plot_empty_and_bad_input():
    fig = schedtrace_plot([])
    assert "no schedtrace rows" in texts(fig)
    with pytest.raises(TypeError):
        schedtrace_plot([1, 2])


def test_special_ms_are_listed_before_the_many_syscall_ms():
    from gmplab.ops import lock_os_thread, netread, unlock_os_thread
    rt = gmplab.Runtime(gomaxprocs=3, seed=0)
    rt.go(loop(5, netread("2ms"), work("50us")))
    rt.go(lock_os_thread(), loop(3, work("100us"), sleep("3ms")), unlock_os_thread())
    for _ in range(12):
        rt.go(work("100us"), syscall("5ms"))
    rt.run(until="1ms")
    states = {m.state for m in rt.allm}
    assert {"netpoll", "lockedwait", "syscall"} <= states
    fig = draw(rt)
    for m in rt.allm:
        if m.state in ("netpoll", "lockedwait"):
            (patch,) = by_gid(fig, f"M{m.id}")
            assert same_color(patch.get_facecolor(), style.M_COLORS[m.state])
    t = texts(fig)
    assert any("blocked in netpoll" in s for s in t)
    assert any("stoplockedm · waits for G" in s for s in t)
    assert any(s.startswith("+") and s.endswith("more Ms") for s in t)


# --- what the pictures must not contradict (issue: "pictures that contradict their header") ---

from matplotlib.text import Text  # noqa: E402


def _notebook_00_at_150us():
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    for _ in range(4):
        rt.go(work("2ms"))
    rt.go(work("100us"), syscall("3ms"), work("100us"))
    rt.run(until="150us")
    return rt


def test_a_p_in_transit_and_its_starting_m():
    """At 150µs sysmon has retaken P0 from M0's syscall and handoffp started M3 for it
    (startm(pp, false)): P0 is _Pidle but on no idle list, M3 holds it as nextp and is not
    spinning. The picture says so instead of "idle" and "spinning"."""
    rt = _notebook_00_at_150us()
    p0, m3 = rt.p(0), rt.m(3)
    assert p0.status == "_Pidle" and rt.sched.pidle is None and rt.sched.npidle == 0
    assert m3.nextp == 0 and m3.p is None and not m3.spinning and rt.sched.nmspinning == 0
    snap = snapshot(rt)
    assert snap["ps"][0]["transit"] == 3 and not snap["ps"][0]["on_pidle"]
    fig = draw(rt)
    t = texts(fig)
    assert "in transit" in t and "→ M3" in t
    (pp,) = by_gid(fig, "P0")
    assert not same_color(pp.get_facecolor(), style.IDLE) and pp.get_hatch()
    (mp,) = by_gid(fig, "M3")
    assert not same_color(mp.get_facecolor(), style.SPINNING) and mp.get_hatch()
    # M3 is drawn above the P it is about to acquire, not among "Ms without a P", and no label
    # puts it in schedule() before acquirep
    assert by_gid(fig, "M3")[0].get_x() == pytest.approx(pp.get_x())
    assert "starting" in t and not any("in schedule()" in s or "nextp P0" in s for s in t)
    assert not any(s.startswith("M3 ") for s in t)


def test_the_pictures_never_contradict_the_header():
    """Step by step through runs with syscalls, spinning and handoffs: a P is drawn idle only
    when it is on sched.pidle, an M in the spinning colour only when it is spinning."""
    from gmplab.viz.statefig import paint
    scenarios = [_notebook_00_at_150us()]
    rt = gmplab.Runtime(gomaxprocs=3, seed=2)
    for i in range(12):
        rt.go(work("50us"), syscall("300us"), work("50us")) if i % 3 == 0 else rt.go(work("200us"))
    scenarios.append(rt)
    fig = Figure(figsize=(10, 6.9))
    ax = fig.add_axes((0, 0, 1, 1))
    seen_transit = 0
    for rt in scenarios:
        for _ in range(60):
            if rt.finished:
                break
            snap = snapshot(rt)
            ax.clear()
            paint(ax, snap)
            for p in snap["ps"]:
                (patch,) = by_gid(fig, f"P{p['id']}")
                if same_color(patch.get_facecolor(), style.IDLE):
                    assert p["on_pidle"], (rt.now, p)
                seen_transit += p["transit"] is not None
            for m in snap["ms"]:
                for patch in by_gid(fig, f"M{m['id']}"):
                    if same_color(patch.get_facecolor(), style.SPINNING):
                        assert m["spinning"], (rt.now, m)
            rt.step()
    assert seen_transit


def _legend_keys(handles):
    return {(tuple(round(c, 3) for c in to_rgba(h.get_facecolor())), h.get_hatch() or None)
            for h in handles}


def test_every_colour_draw_paints_is_in_its_legend(busy):
    rt = _notebook_00_at_150us()
    for fig in (draw(busy), draw(rt)):
        (ax,) = fig.axes
        keys = _legend_keys(ax.get_legend().legend_handles)
        drawn = {(tuple(round(c, 3) for c in a.get_facecolor()), a.get_hatch() or None)
                 for a in ax.get_children()
                 if hasattr(a, "get_hatch") and a.get_facecolor()[3] > 0 and a is not ax.patch}
        assert drawn and drawn <= keys, drawn - keys


def test_every_colour_the_timeline_paints_is_in_its_legend(crowd):
    fig = timeline(crowd)
    (ax,) = fig.axes
    handles = ax.get_legend().legend_handles
    faces = {tuple(round(c, 3) for c in to_rgba(h.get_facecolor())) for h in handles
             if hasattr(h, "get_facecolor")}
    for c in ax.collections:
        for fc in c.get_facecolor():
            assert tuple(round(x, 3) for x in fc) in faces, (c.get_gid(), fc)
    assert any(c.get_gid().endswith(":running") for c in ax.collections)   # the light lanes
    marks = {to_rgba(h.get_color()) for h in handles if hasattr(h, "get_marker")}
    for ln in ax.lines:
        if ln.get_gid() and ln.get_xdata().size:
            assert to_rgba(ln.get_color()) in marks, ln.get_gid()


def _smallest_text_px(fig):
    """The smallest text as a notebook shows the figure (shrunk to its output area)."""
    scale = min(1.0, style.NOTEBOOK_OUTPUT_PX / (fig.get_figwidth() * fig.dpi))
    sizes = [t.get_fontsize() * fig.dpi / 72 * scale for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    assert sizes
    return min(sizes)


def test_text_is_readable_at_the_notebooks_width(busy, crowd):
    rows = parse((EXAMPLES / "syscall_handoff.out").read_text())
    for name, fig in (("draw", draw(busy)), ("draw, transit", draw(_notebook_00_at_150us())),
                      ("timeline", timeline(crowd)), ("schedtrace_plot", schedtrace_plot(rows))):
        assert _smallest_text_px(fig) >= style.MIN_FONT_PX, name


@pytest.mark.parametrize("procs", [2, 8, 16])
def test_labels_fit_their_boxes_with_many_ps(procs):
    """With more Ps the columns narrow: their labels shrink to fit (at most 5 columns keep the
    full size, see test_text_is_readable_at_the_notebooks_width), the right panel keeps its
    width, and no label runs past its box or the picture."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    rt = gmplab.Runtime(gomaxprocs=procs, seed=0)
    for _ in range(40):
        rt.go(work("1ms"))
    for _ in range(3):
        rt.go(work("10us"), syscall("1ms"))
    rt.run(until="200us")
    fig = draw(rt)
    FigureCanvasAgg(fig)
    r = fig.canvas.get_renderer()
    (ax,) = fig.axes
    right = ax.get_window_extent(r).x1
    boxes = [a.get_window_extent(r) for a in patches(fig, "P") + patches(fig, "M")
             if a.get_gid()[1:].isdigit()]
    checked = 0
    for t in ax.texts:
        e = t.get_window_extent(r)
        assert e.x1 <= right + 1, t.get_text()
        cx, cy = (e.x0 + e.x1) / 2, (e.y0 + e.y1) / 2
        for b in boxes:
            if b.x0 <= cx <= b.x1 and b.y0 <= cy <= b.y1 and b.width < 200:   # a P column's box
                assert e.width <= b.width + 1, (t.get_text(), e.width, b.width)
                checked += 1
    assert checked >= 2 * min(procs, 16)


def test_threads_plot_event_series_and_schedtrace():
    """Lesson 12's Figure 12.1: each run's thread count over time, from the event log (a step
    at each newm) or from schedtrace lines (a point per line)."""
    from gmplab.course import thread_counts
    from gmplab.viz import threads_plot
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    for _ in range(2):
        rt.go(work("30ms"))
    for _ in range(8):
        rt.go(syscall("20ms"))
    rt.run()
    counts = thread_counts(rt)
    assert [n for _, n in counts] == list(range(1, rt.mcount() + 1))
    assert [t for t, _ in counts] == sorted(t for t, _ in counts)
    go_rows = parse((EXAMPLES / "syscall_handoff.out").read_text())
    fig = threads_plot({"gmplab": counts, "Go": go_rows}, until_ms=60, title="storm")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["gmplab (newm)", "Go (SCHED lines)"]
    steps = [ln for ln in ax.get_lines() if ln.get_label() == "gmplab (newm)"][0]
    assert list(steps.get_ydata())[:-1] == [n for _, n in counts]
    assert steps.get_xdata()[-1] == 60
    dots = [ln for ln in ax.get_lines() if ln.get_label() == "Go (SCHED lines)"][0]
    assert list(dots.get_xdata()) == [r["t_ms"] for r in go_rows]
    assert ax.get_xlim()[1] == 60
    # readable at the notebooks' width, as the other figures (gmplab.viz.style's minimum)
    from matplotlib.text import Text
    scale = min(1.0, style.NOTEBOOK_OUTPUT_PX / (fig.get_figwidth() * fig.dpi))
    sizes = [t.get_fontsize() * fig.dpi / 72 * scale for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    assert min(sizes) >= style.MIN_FONT_PX, min(sizes)
