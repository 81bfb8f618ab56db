"""Where each G came from: for every ``execute`` in the event log, the source findRunnable (or
schedule) took the G from — runnext, the local ring, the global queue (the 1-in-61 fairness
look or a batch), another P (stealing), the netpoller, a timer, the M's locked G. Lesson
05_schedule teaches it; ``sources(rt)`` draws it, decision by decision.

    from gmplab.viz.origins import origins
    for o in origins(rt.events):
        print(o.k, o.t, f"G{o.g}", f"P{o.p}", o.source)
"""
from typing import NamedTuple

from matplotlib.lines import Line2D

from ..runtime import layout as _l
from . import style
from .frame import figure_axes
from .snapshot import fmt_t

# source → (marker, colour, legend text naming the Go function that decided)
SOURCES = {
    "runnext": ("*", style.OKABE_ITO["orange"], "runqget: runnext (inherits the time slice)"),
    "ring": ("o", style.RUNNABLE, "runqget: head of the local ring"),
    "global-61": ("D", style.SYSMON, "globrunqget: schedtick%61==0, one G"),
    "global-batch": ("s", style.OKABE_ITO["black"], "globrunqgetbatch: local queue empty"),
    "steal": ("^", style.OKABE_ITO["bluish_green"], "runqsteal: half of another P's ring"),
    "steal-runnext": ("v", style.OKABE_ITO["bluish_green"], "runqsteal: another P's runnext"),
    "netpoll": ("P", style.NETPOLL, "netpoll: its network read is ready"),
    "timer": ("X", style.OKABE_ITO["yellow"], "checkTimers: a timer readied it"),
    "locked": ("h", style.WAITING, "stoplockedm: the M's locked G"),
    "other": (".", style.DEAD, "other"),
}


class Origin(NamedTuple):
    """The k-th ``execute`` of the log (k from 0): G ``g`` on P ``p`` / M ``m`` at ``t``, taken
    from ``source`` (a key of SOURCES) by Go function ``fn``; ``inherit``: it kept the time
    slice (schedtick not incremented)."""
    k: int
    t: int
    g: int
    p: int
    m: int
    source: str
    fn: str
    inherit: bool


def _source(e):
    fn, w = e.fn, e.why
    if fn == "runqget":
        return {_l.W_RUNNEXT: "runnext", _l.W_TIMER: "timer"}.get(w, "ring")
    if fn == "globrunqget":
        return "global-61" if w == _l.W_FAIR else "global-batch"
    if fn == "runqsteal":
        return "steal-runnext" if w == _l.W_RUNNEXTSTEAL else "steal"
    if fn == "netpoll":
        return "netpoll"
    if fn == "stoplockedm":
        return "locked"
    return None


def origins(events):
    """One Origin per ``execute``, in log order."""
    ev = list(events)
    out = []
    for i, e in enumerate(ev):
        if e.fn != "execute":
            continue
        src, fn = "other", ""
        for j in range(i - 1, max(i - 16, -1), -1):
            c = ev[j]
            if c.t != e.t:
                break
            s = _source(c)
            if s is not None and (c.g == e.g or (s == "locked" and c.m == e.m)):
                src, fn = s, c.fn
                break
        out.append(Origin(len(out), e.t, e.g, e.p, e.m, src, fn, e.why == _l.W_INHERIT))
    return out


def sources(rt, ax=None, *, by="p", start=0, end=None, label_max=70, figsize=None, fontsize=8,
            title=None):
    """Decision by decision (x: the k-th ``execute``), where each G came from: one marker per
    decision, its shape and colour the source (legend with counts). ``by="p"``: one lane per
    P, the goid written beside each marker when at most ``label_max`` decisions are shown;
    ``by="g"``: y is the goid (long runs: the queues' order shows as lines). ``start``/``end``:
    which decisions (k) to show. Returns the Figure."""
    if by not in ("p", "g"):
        raise ValueError(f"sources(by={by!r}): by must be 'p' (a lane per P) or 'g' (y = goid)")
    allo = origins(rt.events)
    end = len(allo) if end is None else int(end)
    shown = [o for o in allo if start <= o.k < end]
    nps = max([rt.gomaxprocs()] + [o.p + 1 for o in shown])
    if figsize is None:
        figsize = (10, 2.3 + 0.55 * nps) if by == "p" else (10, 5)
    fig, ax = figure_axes(ax, figsize, 1.25, 0.4, left=0.07, width=0.91)
    handles = []
    for src, (marker, color, text) in SOURCES.items():
        pts = [o for o in shown if o.source == src]
        if not pts:
            continue
        xs = [o.k for o in pts]
        ys = [o.p if by == "p" else o.g for o in pts]
        ms = 9 if marker == "*" else 6 if by == "p" else 4
        ax.plot(xs, ys, linestyle="none", marker=marker, color=color, markersize=ms,
                markeredgecolor="#222222", markeredgewidth=0.4)[0].set_gid(f"source:{src}")
        handles.append(Line2D([], [], linestyle="none", marker=marker, color=color,
                              markeredgecolor="#222222", markersize=7,
                              label=f"{text} ({len(pts)})"))
    if by == "p":
        if len(shown) <= label_max:
            for o in shown:
                ax.text(o.k, o.p - 0.2, f"G{o.g}", ha="center", va="bottom",
                        fontsize=fontsize * (0.8 if len(shown) <= 30 else 0.6))
        ax.set_yticks(range(nps))
        ax.set_yticklabels([f"P{p}" for p in range(nps)], fontsize=fontsize)
        ax.set_ylim(nps - 0.5, -0.75)
        ax.set_ylabel("the P that ran it", fontsize=fontsize)
    else:
        ax.set_ylabel("goid", fontsize=fontsize)
        ax.invert_yaxis()
        ax.grid(True, axis="y", color="#EEEEEE", linewidth=0.6)
    ax.set_xlim(start - 0.8, max(end - 0.2, start + 1))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("decision number: the k-th execute of the run", fontsize=fontsize)
    ax.tick_params(labelsize=fontsize)
    for sp in ("top", "right"):
        ax.spines[sp].set_visible(False)
    if title is None:
        t1 = shown[-1].t if shown else rt.now
        title = (f"Where each G came from, decision by decision ({len(shown)} executes, "
                 f"0–{fmt_t(t1)})")
    ax.set_title(title, fontsize=fontsize * 1.1, loc="left")
    ax.legend(handles=handles, loc="lower center", ncol=2, fontsize=fontsize * 0.85,
              frameon=False, bbox_to_anchor=(0.5, 0), bbox_transform=fig.transFigure)
    return fig
