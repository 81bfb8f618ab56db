"""``schedtrace_plot(rows)``: GODEBUG=schedtrace over time, from gmplab.schedtrace.parse.

Three panels sharing the time axis: run queue lengths (``runqueue``, the global queue, and
each P's local queue, runnext excluded as Go prints it), threads (``threads``,
``idlethreads``, ``spinningthreads``), and Ps (``gomaxprocs``, ``idleprocs``). Works the same
for the simulator's ``rt.trace`` and a real Go program's stderr (examples/go/*.out).

``threads_plot(runs)``: the thread count over time of several runs side by side (lesson 12):
each run an event-log series ``[(t_ns, threads), ...]`` (gmplab.course.thread_counts) or
schedtrace rows / text (each line's ``threads=``, marked at its time).
"""
import math

from matplotlib.figure import Figure

from . import style


def _rows(rows):
    if isinstance(rows, (str, bytes, bytearray)) or (
            isinstance(rows, (list, tuple)) and rows and isinstance(rows[0], str)):
        from ..schedtrace import parse
        return parse(rows)
    rows = list(rows)
    for r in rows:
        if not isinstance(r, dict) or "t_ms" not in r:
            raise TypeError("schedtrace_plot() takes rows from gmplab.schedtrace.parse (dicts "
                            f"with 't_ms'), or the trace text itself; got {type(r).__name__}")
    return rows


def _nan(v):
    return math.nan if v is None else v


def schedtrace_plot(rows, *, title=None, figsize=(9.6, 6.6), fontsize=10, max_p_lines=8):
    """Plot schedtrace rows; returns the Figure. ``rows``: a list from
    gmplab.schedtrace.parse, or the trace text / list of lines (parsed for you)."""
    rows = _rows(rows)
    fig = Figure(figsize=figsize)
    axes = fig.subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": (1.5, 1, 0.8)})
    fig.subplots_adjust(left=0.08, right=0.72, top=0.93, bottom=0.09, hspace=0.14)
    if title:
        fig.suptitle(title, fontsize=fontsize * 1.2, x=0.09, ha="left")
    ax_q, ax_m, ax_p = axes
    if not rows:
        ax_q.text(0.5, 0.5, "no schedtrace rows", transform=ax_q.transAxes, ha="center",
                  fontsize=fontsize * 1.2)
        for a in axes:
            a.tick_params(labelsize=fontsize)
        return fig
    t = [r["t_ms"] for r in rows]
    kw = {"where": "post", "linewidth": 1.6}
    ax_q.step(t, [_nan(r.get("runqueue")) for r in rows], color=style.OKABE_ITO["black"],
              label="runqueue (global, sched.runq)", **kw)
    nps = max((len(r.get("runq") or []) for r in rows), default=0)
    for p in range(min(nps, max_p_lines)):
        ys = [_nan(r["runq"][p]) if r.get("runq") and p < len(r["runq"]) else math.nan
              for r in rows]
        ax_q.step(t, ys, where="post", linewidth=1.0, alpha=0.9,
                  color=style.P_CYCLE[p % len(style.P_CYCLE)], label=f"P{p} local runq")
    if nps > max_p_lines:
        tot = [sum(x for x in (r.get("runq") or [])[max_p_lines:] if x is not None)
               for r in rows]
        ax_q.step(t, tot, where="post", linewidth=1.0, linestyle=":", color="#777777",
                  label=f"P{max_p_lines}..P{nps - 1} local runqs (sum)")
    ax_q.set_ylabel("Gs queued", fontsize=fontsize)

    ax_m.step(t, [_nan(r.get("threads")) for r in rows], color=style.OKABE_ITO["black"],
              label="threads (all Ms)", **kw)
    ax_m.step(t, [_nan(r.get("idlethreads")) for r in rows], color=style.IDLE,
              label="idlethreads (parked Ms)", **kw)
    ax_m.step(t, [_nan(r.get("spinningthreads")) for r in rows], color=style.SPINNING,
              label="spinningthreads", **kw)
    ax_m.set_ylabel("Ms", fontsize=fontsize)

    ax_p.step(t, [_nan(r.get("gomaxprocs")) for r in rows], color=style.OKABE_ITO["black"],
              linestyle="--", label="gomaxprocs (Ps)", **kw)
    ax_p.step(t, [_nan(r.get("idleprocs")) for r in rows], color=style.IDLE,
              label="idleprocs (_Pidle)", **kw)
    ax_p.set_ylabel("Ps", fontsize=fontsize)
    ax_p.set_xlabel("time (ms, SCHED <t>ms)", fontsize=fontsize)
    for a in axes:
        a.tick_params(labelsize=fontsize)
        a.set_ylim(bottom=0)
        a.margins(y=0.15)
        a.grid(True, axis="y", color="#DDDDDD", linewidth=0.6)
        for s in ("top", "right"):
            a.spines[s].set_visible(False)
        a.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=fontsize * 0.9,
                 frameon=False)
        a.yaxis.get_major_locator().set_params(integer=True)
    if len(t) == 1:
        ax_p.set_xlim(t[0] - 1, t[0] + 1)
    return fig


_RUN_COLORS = ("blue", "vermillion", "black", "bluish_green", "reddish_purple", "orange")


def threads_plot(runs, *, until_ms=None, title=None, figsize=(9.6, 4.6), fontsize=11):
    """``runs``: a dict ``label -> series``; a series is ``[(t_ns, threads), ...]`` from
    gmplab.course.thread_counts (drawn as a step line, a step at each newm), or schedtrace
    rows or text (drawn as points at each line's time, joined by steps). ``until_ms`` cuts the
    time axis. Returns the Figure."""
    fig = Figure(figsize=figsize)
    ax = fig.subplots()
    fig.subplots_adjust(left=0.08, right=0.97, top=0.88 if title else 0.95, bottom=0.14)
    if title:
        fig.suptitle(title, fontsize=fontsize * 1.2, x=0.09, ha="left")
    top = 1
    for i, (label, series) in enumerate(runs.items()):
        color = style.OKABE_ITO[_RUN_COLORS[i % len(_RUN_COLORS)]]
        series = list(series)
        if series and isinstance(series[0], tuple):
            t = [x / 1e6 for x, _ in series]
            n = [y for _, y in series]
            end = until_ms if until_ms is not None else (t[-1] if t else 0)
            t.append(max(end, t[-1]) if t else end)
            n.append(n[-1] if n else 0)
            ax.step(t, n, where="post", color=color, linewidth=1.8, label=f"{label} (newm)")
        else:
            rows = _rows(series)
            t = [r["t_ms"] for r in rows]
            n = [_nan(r.get("threads")) for r in rows]
            ax.step(t, n, where="post", color=color, linewidth=1.2, linestyle="--")
            ax.plot(t, n, "o", color=color, markersize=5, label=f"{label} (SCHED lines)")
        top = max([top] + [y for y in n if y == y])
    ax.set_xlabel("time (ms)", fontsize=fontsize)
    ax.set_ylabel("threads (Ms, sysmon included)", fontsize=fontsize)
    ax.set_ylim(0, top + 1.5)
    if until_ms is not None:
        ax.set_xlim(-until_ms * 0.02, until_ms)
    ax.tick_params(labelsize=fontsize)
    ax.grid(True, axis="y", color="#DDDDDD", linewidth=0.6)
    for s_ in ("top", "right"):
        ax.spines[s_].set_visible(False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right", fontsize=fontsize, frameon=True, framealpha=0.9,
              edgecolor="#DDDDDD")
    return fig
