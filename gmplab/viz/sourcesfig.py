"""``sources(rt)``: where each executed G came from, decision by decision (lessons 04 and 05);
the data is gmplab.viz.gsources.origins."""
from matplotlib.lines import Line2D

from . import style
from .frame import figure_axes, fmt_t
from .gsources import SOURCES, origins

# source → (marker, colour): shapes carry the meaning, colours from the one palette
MARKERS = {
    "runnext": ("*", style.OKABE_ITO["orange"]),
    "ring": ("o", style.RUNNABLE),
    "global-61": ("D", style.SYSMON),
    "global-batch": ("s", style.OKABE_ITO["black"]),
    "steal": ("^", style.OKABE_ITO["bluish_green"]),
    "steal-runnext": ("v", style.OKABE_ITO["bluish_green"]),
    "netpoll": ("P", style.NETPOLL),
    "timer": ("X", style.OKABE_ITO["yellow"]),
    "locked": ("h", style.WAITING),
    "other": (".", style.DEAD),
}


def sources(rt, ax=None, *, by="p", start=0, end=None, label_max=40, figsize=None, fontsize=10,
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
        figsize = (10, 2.9 + 0.6 * nps) if by == "p" else (10, 5.6)
    fig, ax = figure_axes(ax, figsize, 1.6, 0.45, left=0.08, width=0.9)
    handles = []
    for src, text in SOURCES.items():
        marker, color = MARKERS[src]
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
                        fontsize=fontsize * 0.9)
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
    ax.legend(handles=handles, loc="lower center", ncol=2, fontsize=fontsize * 0.9,
              frameon=False, bbox_to_anchor=(0.5, 0), bbox_transform=fig.transFigure)
    return fig
