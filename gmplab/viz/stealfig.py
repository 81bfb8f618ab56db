"""``steal_order(rt, m)``: the four passes M ``m``'s next ``stealWork`` makes over the Ps, drawn
(lesson 06). The data is :func:`steal_plan`.

proc.go (go1.25.3) stealWork: ``for i := 0; i < stealTries; i++ { stealTimersOrRunNextG := i ==
stealTries-1; for enum := stealOrder.start(cheaprand()); !enum.done(); enum.next() { ... } }``
with randomOrder's ``pos = i % count`` and ``inc = coprimes[i/count%len(coprimes)]``: every pass
visits every P once, from a random start with a random step coprime to GOMAXPROCS. The orders
come from the M's own fastrand (:func:`gmplab.problems.probe.steal_orders`); what each P looks
like is read from the runtime now, before the thief looks.
"""
from math import cos, pi, sin
from typing import NamedTuple

from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Patch

from . import style
from .frame import fmt_t


class Visit(NamedTuple):
    """P ``p``, the ``k``-th P (from 1) that a pass visits, and what the thief finds there
    now: ``what`` is "self" (its own P, skipped), "idle" (on the idle list, skipped: idlepMask),
    or "busy"; ``ring`` and ``runnext`` its local run queue (goids)."""
    k: int
    p: int
    what: str
    ring: int
    runnext: object

    def __str__(self):
        if self.what == "self":
            return f"P{self.p} (its own)"
        if self.what == "idle":
            return f"P{self.p} (idle list)"
        nxt = f", runnext G{self.runnext}" if self.runnext is not None else ""
        return f"P{self.p} (ring {self.ring}{nxt})"


class Pass(NamedTuple):
    """One pass of stealWork: its start ``pos``, its step ``inc`` and its visits in order;
    ``last``: the fourth pass, the only one that also takes timers and runnext."""
    i: int
    pos: int
    inc: int
    visits: tuple
    last: bool

    def __str__(self):
        what = "rings, then timers and runnext" if self.last else "rings only"
        return (f"pass {self.i} (start P{self.pos}, step {self.inc}; {what}): "
                + " ".join(str(v) for v in self.visits))


def steal_plan(rt, m):
    """The four passes M ``m``'s next stealWork will make (:class:`Pass`), with what each P
    holds now. The runtime is not changed."""
    from ..problems.probe import idle_ps, steal_orders
    from ..runtime import layout as _l
    if not 0 <= m < rt.sched.mnext:
        raise ValueError(f"steal_plan: there is no M{m}; the Ms are M0..M{rt.sched.mnext - 1}")
    own = rt.m(m).p if rt.m(m).p is not None else rt.m(m).nextp
    idle = set(idle_ps(rt))
    n = rt.gomaxprocs()
    passes = []
    for i, order in enumerate(steal_orders(rt, m)):
        inc = (order[1] - order[0]) % n if n > 1 else 1
        visits = []
        for k, p in enumerate(order, 1):
            pp = rt.p(p)
            what = "self" if p == own else "idle" if p in idle else "busy"
            visits.append(Visit(k, p, what, pp.runqsize, pp.runnext))
        passes.append(Pass(i + 1, order[0], inc, tuple(visits), i == _l.STEALTRIES - 1))
    return passes


def coprimes(rt):
    """randomOrder's coprimes of GOMAXPROCS, as the runtime holds them (set by procresize's
    ``stealOrder.reset``): the steps a pass may take."""
    from ..runtime import layout as _l
    S = rt._S
    off = int(S[_l.H_cpoff])
    return [int(x) for x in S[off:off + int(S[_l.H_ncoprimes])]]


def steal_order(rt, m, ax=None, *, figsize=None, fontsize=11, title=None):
    """Four panels, one per pass of M ``m``'s next stealWork: the Ps on a circle, numbered
    arrows in the order the pass visits them; the thief's own P in the spinning colour, Ps on
    the idle list grey (skipped), the others in their status colour with their ring size and
    runnext. ``ax``: a sequence of four Axes to draw into. Returns the Figure."""
    from matplotlib.figure import Figure
    plan = steal_plan(rt, m)
    n = rt.gomaxprocs()
    if ax is None:
        fig = Figure(figsize=figsize or (9.6, 4.8))
        axes = [fig.add_axes((0.005 + 0.25 * i, 0.2, 0.24, 0.6)) for i in range(len(plan))]
    else:
        axes = list(ax)
        if len(axes) != len(plan):
            raise ValueError(f"steal_order(ax=...): give {len(plan)} Axes, one per pass")
        fig = axes[0].figure
    radius = 1.0
    node = 0.2 if n <= 8 else 0.13
    for a, ps in zip(axes, plan):
        a.clear()
        a.set_aspect("equal")
        a.axis("off")
        a.set_xlim(-1.55, 1.55)
        a.set_ylim(-1.6, 1.45)
        where = {p: (radius * sin(2 * pi * p / n), radius * cos(2 * pi * p / n)) for p in range(n)}
        for v in ps.visits:
            x, y = where[v.p]
            status = rt.p(v.p).status
            hatch = None
            if v.what == "self":
                face = style.SPINNING
            elif v.what == "idle":
                face = style.IDLE
            else:
                face = style.p_color(status)
                # (_Pidle but not on the idle list: retaken by sysmon and promised to a
                # starting M, or made runnable by procresize -- robbed all the same)
                hatch = "///" if status == "_Pidle" else None
            c = Circle((x, y), node, facecolor=face, edgecolor="#222222", linewidth=0.8,
                       zorder=3, hatch=hatch)
            c.set_gid(f"p:{ps.i}:{v.p}:{v.what}")
            a.add_patch(c)
            a.text(x, y, f"P{v.p}", ha="center", va="center", fontsize=fontsize * 0.85,
                   color=style.text_color(face), zorder=4, weight="bold")
            # the visit number, outside the circle
            ox, oy = x * (1 + node * 1.9), y * (1 + node * 1.9)
            a.text(ox, oy, str(v.k), ha="center", va="center", fontsize=fontsize * 0.8,
                   color="#222222", zorder=4,
                   bbox=dict(boxstyle="circle,pad=0.15", facecolor="white", edgecolor="#888888",
                             linewidth=0.5))
        for v, w in zip(ps.visits, ps.visits[1:]):
            arr = FancyArrowPatch(where[v.p], where[w.p], arrowstyle="-|>", mutation_scale=10,
                                  shrinkA=node * 72 * 0.9, shrinkB=node * 72 * 0.9,
                                  color="#444444", linewidth=0.9, zorder=2,
                                  connectionstyle="arc3,rad=0.12")
            arr.set_gid(f"visit:{ps.i}:{w.k}")
            a.add_patch(arr)
        what = "rings, timers, runnext" if ps.last else "rings only"
        a.set_title(f"pass {ps.i}: start P{ps.pos}, step {ps.inc}\n({what})",
                    fontsize=fontsize * 0.85)
        busy = [v for v in ps.visits if v.what == "busy"]
        lines = [f"P{v.p}: ring {v.ring}" + (f", runnext G{v.runnext}" if v.runnext else "")
                 for v in busy]
        a.text(0, -1.5, "\n".join(lines) if lines else "no P to rob", ha="center", va="top",
               fontsize=fontsize * 0.8)
    if title is None:
        title = (f"M{m}'s next stealWork at t={fmt_t(rt.now)}: 4 passes over all {n} Ps\n"
                 f"pos = r % {n}, step from the coprimes of {n}: {coprimes(rt)}")
    fig.suptitle(title, fontsize=fontsize, x=0.01, ha="left", y=0.99)
    handles = [Patch(facecolor=style.SPINNING, edgecolor="#222222",
                     label=f"the thief's own P (M{m} spinning): skipped"),
               Patch(facecolor=style.IDLE, edgecolor="#222222",
                     label="on the idle list (idlepMask): skipped"),
               Patch(facecolor=style.RUNNING, edgecolor="#222222",
                     label="_Prunning: robbed if its ring (last pass: runnext) has Gs"),
               Line2D([], [], color="#444444", marker=">", label="visiting order (1, 2, …)")]
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=fontsize * 0.8,
               frameon=False)
    return fig
