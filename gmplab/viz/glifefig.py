"""Figures of a goroutine's life (lesson 03_g_life), drawn from the event log:

``glife(rt)``        one lane per G, coloured by its status over time (runtime2.go's _G states),
                     from ``newproc`` to ``goexit0``;
``gtransitions(rt)`` the status diagram of runtime2.go, each arrow labelled with the Go
                     function that makes the change and how many times it happened in this run.
"""
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from ..runtime import layout as _l
from . import style
from .frame import figure_axes, fmt_t, time_unit
from .gstates import counts, stays

# what each status means, for the legend (runtime2.go's comments, shortened)
MEANING = {
    "_Gidle": "just allocated (malg), not initialised",
    "_Grunnable": "on a run queue, not running",
    "_Grunning": "running: has an M and a P",
    "_Gsyscall": "in a system call: has an M, no P",
    "_Gwaiting": "parked (channel, timer, netpoll)",
    "_Gdead": "unused: on a free list (gFree)",
}


def glife(rt, ax=None, *, goids=None, start=None, end=None, max_gs=40, figsize=None,
          fontsize=10, title=None):
    """One lane per goroutine (``goids``: which ones; default every G of the log, at most
    ``max_gs``), each stay in a status a bar in that status's colour, labelled with its name
    when wide enough; a × where the G exits (``goexit0``: _Gdead). Returns the Figure.
    Needs the event log (``Runtime(log=True)``, the default)."""
    all_stays = stays(rt.events, rt.now)
    seen = []
    for s in all_stays:
        if s.g not in seen:
            seen.append(s.g)
    if goids is None:
        goids = seen
    else:
        goids = [int(g) for g in goids]
        missing = [g for g in goids if g not in seen]
        if missing:
            raise ValueError(f"glife: no goroutine {missing} in the event log; "
                             f"the log has G{', G'.join(map(str, seen[:20]))}")
    hidden = max(len(goids) - max_gs, 0)
    goids = goids[:max_gs]
    t0 = 0 if start is None else int(start)
    t1 = rt.now if end is None else int(end)
    if t1 <= t0:
        t1 = t0 + 1
    span = t1 - t0
    k, unit = time_unit(span)
    lane = {g: i for i, g in enumerate(goids)}
    if figsize is None:
        figsize = (10, min(2.3 + 0.38 * len(goids), 14))
    fig, ax = figure_axes(ax, figsize, 1.35, 0.4)
    bh = 0.7
    exits = []
    for s in all_stays:
        if s.g not in lane or s.t1 < t0 or s.t0 > t1:
            continue
        a, b = max(s.t0, t0), min(s.t1, t1)
        y = lane[s.g]
        color = style.g_color(s.state)
        bar = ax.broken_barh([((a - t0) / k, max((b - a) / k, span / k * 0.002))],
                             (y - bh / 2, bh), facecolors=color, edgecolors="white",
                             linewidths=0.5)
        bar.set_gid(f"G{s.g}:{s.state}")
        if (b - a) >= 0.07 * span:
            ax.text(((a + b) / 2 - t0) / k, y, s.state.lstrip("_G"), ha="center", va="center",
                    fontsize=fontsize * 0.9, color=style.text_color(color), clip_on=True)
        if s.leave == "goexit0" and t0 <= s.t1 <= t1:
            exits.append(((s.t1 - t0) / k, y))
    if exits:
        xs, ys = zip(*exits)
        ax.plot(xs, ys, linestyle="none", marker="x", color=style.DEAD, markersize=6,
                markeredgewidth=1.6, clip_on=False, zorder=5)[0].set_gid("goexit0")
    ax.set_yticks(range(len(goids)))
    ax.set_yticklabels([f"G{g}" for g in goids], fontsize=fontsize)
    ax.set_ylim(len(goids) - 0.5, -0.6)
    ax.set_xlim(0, span / k)
    ax.set_xlabel(f"virtual time ({unit})" + (f" from {fmt_t(t0)}" if t0 else ""),
                  fontsize=fontsize)
    ax.tick_params(axis="x", labelsize=fontsize)
    for sp in ("top", "right"):
        ax.spines[sp].set_visible(False)
    if title is None:
        title = f"G status over time, from the event log (0–{fmt_t(rt.now)})"
        if hidden:
            title += f"; {hidden} more G(s) not shown"
    ax.set_title(title, fontsize=fontsize * 1.1, loc="left")
    handles = [Patch(facecolor=style.g_color(st), edgecolor="#333333",
                     label=f"{st}: {MEANING[st]}")
               for st in ("_Grunnable", "_Grunning", "_Gsyscall", "_Gwaiting")]
    handles.append(Line2D([], [], linestyle="none", marker="x", color=style.DEAD,
                          markeredgewidth=1.6, label="goexit0: _Gdead, g to gFree"))
    ax.legend(handles=handles, loc="lower center", ncol=2, fontsize=fontsize * 0.9,
              frameon=False, bbox_to_anchor=(0.5, 0), bbox_transform=fig.transFigure)
    return fig


# the diagram's layout: node centres (data coordinates); arrows are drawn in gtransitions
_POS = {"_Gidle": (3.9, 4.5), "_Gdead": (7.5, 4.5), "_Grunnable": (5.9, 2.4),
        "_Grunning": (9.1, 2.4), "_Gwaiting": (5.9, 0.4), "_Gsyscall": (9.1, 0.4)}
_BW, _BH = 1.9, 0.72
_VALUE = {name: v for v, name in _l.GSTATUS_NAMES.items()}   # the status's number in Go


def _edge_label(by_fn, old, new, fns):
    n = sum(by_fn.get((old, new, fn), 0) for fn in fns)
    shown = [fn for fn in fns if by_fn.get((old, new, fn), 0)] or [fns[0]]
    return n, "\n".join(f"{fn} ×{by_fn.get((old, new, fn), 0)}" for fn in shown)


def gtransitions(rt, ax=None, *, figsize=(10, 6.2), fontsize=10, title=None):
    """runtime2.go's G status diagram for this run: a box per status, an arrow per change
    labelled "fn ×n" (how many times the log shows it; grey and dashed when it never
    happened). _Gidle → _Gdead counts the g structs allocated (``malg``: ``len(rt.allg)``);
    the other newprocs reused a dead g from a free list (``gfget``). Returns the Figure."""
    by_fn = counts(rt.events)
    fresh = len(rt.allg)
    fig, ax = figure_axes(ax, figsize, 0.05, 0.43, left=0.01, width=0.98)
    ax.set_xlim(2.4, 12.6)
    ax.set_ylim(-0.95, 5.05)
    ax.set_axis_off()
    for st, (x, y) in _POS.items():
        color = style.g_color(st)
        box = FancyBboxPatch((x - _BW / 2, y - _BH / 2), _BW, _BH,
                             boxstyle="round,pad=0,rounding_size=0.12", facecolor=color,
                             edgecolor="#333333", linewidth=1.0)
        box.set_gid(f"state:{st}")
        ax.add_patch(box)
        tc = style.text_color(color)
        ax.text(x, y + 0.1, st, ha="center", va="center", fontsize=fontsize * 1.05,
                fontweight="bold", color=tc)
        ax.text(x, y - 0.2, f"= {_VALUE[st]}", ha="center", va="center",
                fontsize=fontsize * 0.9, color=tc)

    def arrow(gid, n, a=None, b=None, path=None, rad=0.0):
        kw = dict(arrowstyle="-|>", mutation_scale=12, color="#222222" if n else "#AAAAAA",
                  linestyle="-" if n else "--", linewidth=1.3 if n else 0.9)
        if path is not None:
            from matplotlib.path import Path
            art = FancyArrowPatch(path=Path(path), **kw)
        else:
            art = FancyArrowPatch(a, b, connectionstyle=f"arc3,rad={rad}", shrinkA=0,
                                  shrinkB=0, **kw)
        art.set_gid(f"edge:{gid}")
        ax.add_patch(art)

    def label(x, y, text, n, ha="center"):
        ax.text(x, y, text, ha=ha, va="center", fontsize=fontsize * 0.9,
                color="#222222" if n else "#888888",
                bbox=dict(facecolor="white", edgecolor="none", pad=0.4, alpha=0.9))

    X = {k: v[0] for k, v in _POS.items()}
    hw, hh = _BW / 2, _BH / 2
    # _Gidle → _Gdead: a new g struct (malg), published as _Gdead (allgadd)
    arrow("_Gidle->_Gdead", fresh, (X["_Gidle"] + hw, 4.5), (X["_Gdead"] - hw, 4.5))
    label(5.7, 4.8, f"malg ×{fresh}", fresh)
    # _Gdead → _Grunnable: newproc1 (a g from gfget, or the new one)
    n, _t = _edge_label(by_fn, "_Gdead", "_Grunnable", ("newproc",))
    arrow("_Gdead->_Grunnable", n, (7.0, 4.5 - hh), (6.3, 2.4 + hh))
    label(6.5, 3.55, f"newproc ×{n}\n({fresh} new g, {n - fresh} from gFree)", n, ha="right")
    # _Grunning → _Gdead: goexit0
    n, t = _edge_label(by_fn, "_Grunning", "_Gdead", ("goexit0",))
    arrow("_Grunning->_Gdead", n, (8.7, 2.4 + hh), (8.0, 4.5 - hh))
    label(8.55, 3.55, t, n, ha="left")
    # _Grunnable ⇄ _Grunning
    n, t = _edge_label(by_fn, "_Grunnable", "_Grunning", ("execute",))
    arrow("_Grunnable->_Grunning", n, (X["_Grunnable"] + hw, 2.33), (X["_Grunning"] - hw, 2.33))
    label(7.5, 2.1, t, n)
    n, t = _edge_label(by_fn, "_Grunning", "_Grunnable", ("goschedImpl", "gopreempt_m"))
    arrow("_Grunning->_Grunnable", n, (X["_Grunning"] - hw, 2.58), (X["_Grunnable"] + hw, 2.58),
          rad=0.45)
    label(7.5, 3.12, t, n)
    # parking and waking
    n, t = _edge_label(by_fn, "_Grunning", "_Gwaiting", ("gopark",))
    arrow("_Grunning->_Gwaiting", n, (8.5, 2.4 - hh), (6.5, 0.4 + hh))
    label(7.95, 1.2, t, n, ha="left")
    n, t = _edge_label(by_fn, "_Gwaiting", "_Grunnable", ("goready", "netpoll", "injectglist"))
    arrow("_Gwaiting->_Grunnable", n, (5.9, 0.4 + hh), (5.9, 2.4 - hh))
    label(5.75, 1.4, t, n, ha="right")
    # system calls
    n, t = _edge_label(by_fn, "_Grunning", "_Gsyscall", ("entersyscall", "entersyscallblock"))
    arrow("_Grunning->_Gsyscall", n, (9.0, 2.4 - hh), (9.0, 0.4 + hh))
    label(10.2, 1.62, "↓ " + t.replace("\n", "\n↓ "), n, ha="left")
    n, t = _edge_label(by_fn, "_Gsyscall", "_Grunning", ("exitsyscall",))
    arrow("_Gsyscall->_Grunning", n, (9.45, 0.4 + hh), (9.45, 2.4 - hh))
    label(10.2, 1.12, f"↑ {t} (fast path)", n, ha="left")
    n, t = _edge_label(by_fn, "_Gsyscall", "_Grunnable", ("exitsyscall0",))
    bx = X["_Gsyscall"]
    arrow("_Gsyscall->_Grunnable", n, path=[(bx, 0.4 - hh), (bx, -0.45), (3.95, -0.45),
                                             (3.95, 2.4), (X["_Grunnable"] - hw, 2.4)])
    label(6.6, -0.66, f"{t}: slow path, no P: to the global queue", n)
    if title is None:
        title = (f"G status changes in this run, 0–{fmt_t(rt.now)}: runtime2.go's states, "
                 "each arrow a Go function and how often")
    ax.set_title(title, fontsize=fontsize * 1.1, loc="left")
    return fig
