"""``timeline(rt)``: which G ran on which P when, which M sat in a syscall, and where the
scheduler decided something (handoffp, retake, runqsteal, preemptone)."""
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import style
from .slices import slices
from .statefig import fmt_t

_UNITS = ((1_000_000_000, "s"), (1_000_000, "ms"), (1_000, "µs"), (1, "ns"))


def _unit(span):
    for k, name in _UNITS:
        if span >= 2 * k:
            return k, name
    return 1, "ns"


def timeline(rt, ax=None, *, start=None, end=None, max_m_lanes=24, label_min=0.025,
             max_labels=120, figsize=None, fontsize=10):
    """Draw per-P lanes of running Gs (from execute/exitsyscall to gopark, goexit0,
    entersyscall, goschedImpl, gopreempt_m), per-M lanes (running, and blocked in a syscall),
    and markers for handoffp, retake, runqsteal and preemptone. ``start``/``end`` (ns) pick
    a window; a G slice is labelled "G<goid>" when it is wide enough to read. Returns the
    Figure. Works from the event log, so ``Runtime(log=True)`` (the default) is needed."""
    ev = rt.events
    now = rt.now
    runs, sys_ = slices(ev, now)
    t0 = 0 if start is None else int(start)
    t1 = now if end is None else int(end)
    if t1 <= t0:
        t1 = t0 + 1
    span = t1 - t0
    k, unit = _unit(span)

    nps = rt.gomaxprocs()
    seen_p = {r.p for r in runs} | {e.p for e in ev.where(fn=list(style.DECISION_MARKERS))}
    nps = max([nps] + [p + 1 for p in seen_p if p >= 0])
    sysmon = [m.id for m in rt.allm if m.state == "sysmon"]
    ms_used = sorted({r.m for r in runs if r.m >= 0} | {s.m for s in sys_ if s.m >= 0}
                     | set(sysmon))
    hidden_m = max(len(ms_used) - max_m_lanes, 0)
    if hidden_m:
        # keep the Ms with the most syscall time, then sysmon
        busy = {}
        for s in sys_:
            busy[s.m] = busy.get(s.m, 0) + (min(s.t1, t1) - max(s.t0, t0))
        keep = set(sysmon) | set(sorted(busy, key=lambda m: -busy[m])[:max_m_lanes - 1])
        for m in ms_used:
            if len(keep) >= max_m_lanes:
                break
            keep.add(m)
        ms_used = sorted(keep)
    lanes = [f"P{p}" for p in range(nps)] + [
        f"M{m} sysmon" if m in sysmon else f"M{m}" for m in ms_used]
    ylane = {name: i for i, name in enumerate(lanes)}

    if ax is None:
        if figsize is None:
            figsize = (10, min(2.6 + 0.32 * len(lanes), 14))
        fig = Figure(figsize=figsize)
        hgt = figsize[1]
        bottom, top = 1.55 / hgt, 0.4 / hgt      # inches for the x label + legend, title
        ax = fig.add_axes((0.1, bottom, 0.88, 1 - bottom - top))
    else:
        fig = ax.figure
        ax.clear()

    def clip(a, b):
        return max(a, t0), min(b, t1)

    bh = 0.72
    labels = []

    def lane_bars(items, y):
        """(start, width) bars, in the axis' unit, of the intervals in the window; the wide ones
        get a "G<goid>" label on lane ``y``."""
        bars = []
        for r in items:
            if r.t1 < t0 or r.t0 > t1:
                continue
            a, b = clip(r.t0, r.t1)
            bars.append(((a - t0) / k, max((b - a) / k, span / k * 0.0008)))
            if (b - a) >= label_min * span:
                labels.append(((b - a), (a + b) / 2, y, f"G{r.g}"))
        return bars

    # P lanes: running Gs
    for p in range(nps):
        bars = lane_bars([r for r in runs if r.p == p], ylane[f"P{p}"])
        if bars:
            coll = ax.broken_barh(bars, (ylane[f"P{p}"] - bh / 2, bh), facecolors=style.RUNNING,
                                  edgecolors="white", linewidths=0.4)
            coll.set_gid(f"lane:P{p}")
    # M lanes: running (thin) and syscalls (full height)
    for m in ms_used:
        y = ylane[f"M{m} sysmon" if m in sysmon else f"M{m}"]
        run_bars = [((max(r.t0, t0) - t0) / k, max((min(r.t1, t1) - max(r.t0, t0)) / k, 0))
                    for r in runs if r.m == m and r.t1 >= t0 and r.t0 <= t1]
        if run_bars:
            c = ax.broken_barh(run_bars, (y - 0.15, 0.3), facecolors=style.RUNNING,
                               edgecolors="none", alpha=style.M_LANE_ALPHA)
            c.set_gid(f"lane:M{m}:running")
        sys_bars = lane_bars([s for s in sys_ if s.m == m], y)
        if sys_bars:
            c = ax.broken_barh(sys_bars, (y - bh / 2, bh), facecolors=style.SYSCALL,
                               edgecolors="white", linewidths=0.4)
            c.set_gid(f"lane:M{m}:syscall")
    labels.sort(key=lambda x: -x[0])
    for w, x, y, s in labels[:max_labels]:
        ax.text((x - t0) / k, y, s, ha="center", va="center", fontsize=fontsize * 0.9,
                color="white", clip_on=True)

    # decision markers, on the P lane they concern (sysmon's lane for retake/preemptone too)
    handles = [Patch(facecolor=style.RUNNING, label="G running on the P"),
               Patch(facecolor=style.RUNNING, alpha=style.M_LANE_ALPHA,
                     label="M running a G (thin bar)"),
               Patch(facecolor=style.SYSCALL, label="M blocked in a syscall (G inside)")]
    # sysmon's own decisions sit above the bar, the others on it, so that a retake and the
    # handoffp it causes at the same instant are both visible
    offset = {"retake": -bh / 2 - 0.1, "preemptone": -bh / 2 - 0.1, "handoffp": -0.12,
              "runqsteal": 0.18}
    sm_lane = ylane.get(f"M{sysmon[0]} sysmon") if sysmon else None
    for fn, (marker, color, label) in style.DECISION_MARKERS.items():
        xs, ys, sx = [], [], []
        for e in ev.where(fn=fn):
            if e.t < t0 or e.t > t1 or e.p < 0 or f"P{e.p}" not in ylane:
                continue
            xs.append((e.t - t0) / k)
            ys.append(ylane[f"P{e.p}"] + offset.get(fn, 0))
            if fn in ("retake", "preemptone"):
                sx.append(xs[-1])
        mkw = dict(linestyle="none", marker=marker, color=color,
                   markeredgecolor="black" if marker != "x" else color, markersize=6,
                   markeredgewidth=0.6 if marker != "x" else 1.4, clip_on=False, zorder=5)
        line = ax.plot(xs, ys, **mkw)[0]
        line.set_gid(f"marker:{fn}")
        if sx and sm_lane is not None:
            ax.plot(sx, [sm_lane] * len(sx), **mkw)[0].set_gid(f"sysmon:{fn}")
        line.set_label(f"{label} ({len(xs)})")
        handles.append(Line2D([], [], linestyle="none", marker=marker, color=color,
                              markeredgecolor="black" if marker != "x" else color,
                              markersize=6, label=f"{label} ({len(xs)})"))

    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels(lanes, fontsize=fontsize)
    ax.set_ylim(len(lanes) - 0.5, -0.8)
    ax.set_xlim(0, span / k)
    ax.set_xlabel(f"virtual time ({unit})" + (f" from {fmt_t(t0)}" if t0 else ""),
                  fontsize=fontsize)
    ax.tick_params(axis="x", labelsize=fontsize)
    if nps and ms_used:
        ax.axhline(nps - 0.5, color="#333333", lw=0.8)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    title = (f"Timeline 0–{fmt_t(now)}: {nps} P lane(s), {len(ms_used)} M lane(s)"
             if start is None and end is None else
             f"Timeline {fmt_t(t0)}–{fmt_t(t1)}")
    if hidden_m:
        title += f" ({hidden_m} M(s) with less syscall time not shown)"
    ax.set_title(title, fontsize=fontsize * 1.1, loc="left")
    ax.legend(handles=handles, loc="lower center", ncol=2, fontsize=fontsize * 0.9,
              frameon=False, bbox_to_anchor=(0.5, 0), bbox_transform=fig.transFigure,
              columnspacing=1.5, labelspacing=0.3)
    return fig
