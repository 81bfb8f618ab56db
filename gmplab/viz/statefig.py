"""``draw(rt)``: one picture of the scheduler's state at ``rt.now``.

Layout (one Axes, data coordinates, axis off)::

    header: t, GOMAXPROCS, threads, idle Ps, spinning Ms, goroutines
    ┌ M row ┐   the M that holds each P (its curg inside), or the M in a syscall whose oldp it is
    ┌ P row ┐   P<i>, status, schedtick / syscalltick
    runnext     one slot per P
    local runq  the first ``slots`` of the 256-slot ring, head first, then "+N more"
    global runq sched.runq, head first, then "+N more"
    right:      Ms without a P (sysmon, syscalls, netpoll, stoplockedm, spinning, idle) and the
                parked Gs (_Gwaiting) with their waitreason

Every patch carries a ``gid`` ("P0", "M2", "G5", "runnext:P0", "slot:P0:3", "globrunq:2") so
that tests and notebooks can find it; G patches are coloured by the G's status.
"""
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle

from ..runtime import layout as _l
from ..state import table
from . import style

H = 10.0
X0 = 1.25          # left margin for row labels
CW = 1.1           # one P column
MIN_COLS = 5       # the layout keeps at least this many columns, so boxes keep a sane size
RIGHT = 3.6        # the right panel
RIGHT_IN = 3.4     # ... at least this many inches wide
BOX_IN = 0.9       # a P column's box is this wide (inches) at MIN_COLS columns: its labels fit

Y_M = (8.05, 9.35)
Y_P = (6.55, 7.85)
Y_NEXT = (5.85, 6.3)
Y_RUNQ_LABEL = 5.55
SLOT_TOP, SLOT_H, SLOT_STEP = 5.3, 0.4, 0.46
Y_GLOB = (0.2, 0.75)


def fmt_t(ns):
    """A virtual time for a label: 0, 850ns, 12.5µs, 3.25ms, 1.5s."""
    ns = int(ns)
    if ns == 0:
        return "0"
    for unit, k in (("s", 1_000_000_000), ("ms", 1_000_000), ("µs", 1_000)):
        if abs(ns) >= k:
            v = ns / k
            return f"{v:.{0 if v == int(v) else 3 if v < 10 else 2 if v < 100 else 1}f}{unit}"
    return f"{ns}ns"


def snapshot(rt):
    """The state ``draw`` shows, as plain Python data (read once from the views)."""
    S = rt._S
    gt = table(S, "g")
    status = dict(zip((int(x) for x in gt[:, _l.G_goid]),
                      (_l.GSTATUS_NAMES[int(x)] for x in gt[:, _l.G_atomicstatus])))
    waitreason = {int(r[_l.G_goid]): _l.WAITREASON_NAMES[int(r[_l.G_waitreason])]
                  for r in gt if int(r[_l.G_atomicstatus]) == _l.Gwaiting}
    sched = rt.sched
    n = rt.gomaxprocs()
    pidle = sched.idle_ps()
    mt = table(S, "m")
    ms = []
    for m in rt.allm:
        st = m.state
        if st in ("dead", "none"):
            continue
        d = {"id": m.id, "state": st, "curg": m.curg, "p": m.p, "oldp": m.oldp,
             "nextp": m.nextp, "lockedg": m.lockedg, "spinning": m.spinning,
             # woken by startm/newm (or startlockedm) with a P in m.nextp: mstart1 runs
             # acquirep(nextp) before schedule(), so until then it is a starting thread
             "starting": m.p is None and m.nextp is not None}
        if st == "sysmon":
            d["delay"] = int(mt[m.id, _l.M_sysmondelay])
        ms.append(d)
    bound = {m["nextp"]: m["id"] for m in ms if m["starting"]}
    ps = []
    for p in rt.allp:
        ps.append({"id": p.id, "status": p.status, "m": p.m, "runnext": p.runnext,
                   "runq": p.runq, "schedtick": p.schedtick, "syscalltick": p.syscalltick,
                   "timers": p.timers, "on_pidle": p.id in pidle,
                   # retaken and promised to a starting M: _Pidle, but on no idle list
                   "transit": bound.get(p.id)})
    return {"now": rt.now, "gomaxprocs": n, "threads": rt.mcount(), "npidle": sched.npidle,
            "pidle": pidle,
            "nmspinning": sched.nmspinning, "nmidle": sched.nmidle, "runq": sched.runq,
            "sysmonwait": sched.sysmonwait, "status": status, "waitreason": waitreason,
            "ps": ps, "ms": ms, "ngoroutines": sum(1 for s in status.values() if s != "_Gdead"),
            "finished": rt.finished}


class _Painter:
    """Adds boxes and labels to ``ax``. With a ``sink`` list, labels are not made into
    matplotlib Text artists but recorded as (x, y, text, fontsize, ha, va, color, weight) for
    a faster rasteriser (the Playground draws them with Pillow)."""

    def __init__(self, ax, fs, sink=None):
        self.ax = ax
        self.fs = fs
        self.sink = sink

    def box(self, x, y, w, h, color, text="", gid=None, dashed=False, fs=None, weight=None,
            edge="#333333", round_=True, tcolor=None, ha="center", hatch=None):
        kw = dict(facecolor=color, edgecolor=edge, linewidth=1.1 if hatch else 0.8,
                  linestyle="--" if dashed else "-", hatch=hatch)
        if round_:
            patch = FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.06", **kw)
        else:
            patch = Rectangle((x, y), w, h, **kw)
        if gid:
            patch.set_gid(gid)
        # add_artist, not add_patch: the limits are fixed, and add_patch's autoscale
        # bookkeeping costs a third of the drawing time
        patch.set_clip_on(False)
        self.ax.add_artist(patch)
        if text:
            tx = x + w / 2 if ha == "center" else x + 0.06
            self.text(tx, y + h / 2, text, fs=fs, weight=weight, ha=ha,
                      color=tcolor or style.text_color(color))
        return patch

    def starting(self, x, y, w, h, gid=None, text="", fs=None, ha="center"):
        """A starting M, or the P in transit to it (style.STARTING: white, hatched in a light
        tint of the running colour so that labels stay readable, outlined in that colour)."""
        patch = self.box(x, y, w, h, style.STARTING, gid=gid, edge=style.STARTING_HATCH_COLOR,
                         hatch=style.STARTING_HATCH)
        self.box(x, y, w, h, "none", text, fs=fs, edge=style.STARTING_EDGE, tcolor="black",
                 ha=ha)
        return patch

    def text(self, x, y, s, fs=None, ha="center", va="center", color="black", weight=None,
             gid=None, **kw):
        if self.sink is not None:
            self.sink.append((x, y, s, fs or self.fs, ha, va, color, weight))
            return None
        t = self.ax.text(x, y, s, fontsize=fs or self.fs, ha=ha, va=va, color=color,
                         fontweight=weight, **kw)
        if gid:
            t.set_gid(gid)
        return t

    def gchip(self, x, y, w, h, goid, status, where, fs=None, extra=""):
        """A goroutine: gid "G<goid>", url = where it is ("runnext:P0", "slot:P0:3",
        "globrunq:0", "curg:M2", "parked"), coloured by its status."""
        color = style.g_color(status)
        patch = self.box(x, y, w, h, color, f"G{goid}{extra}", gid=f"G{goid}", fs=fs)
        patch.set_url(where)
        return patch


def _sysmon_words(m, snap):
    if snap["sysmonwait"]:
        return "deep sleep (sysmonwait)"
    d = m.get("delay", 0)
    return f"sleeps {fmt_t(d)} between looks" if d else "watching"


def _m_words(m):
    """What an M is doing, for its label."""
    if m["starting"]:
        if m["state"] == "lockedwait":
            return f"woken by startlockedm, acquirep(P{m['nextp']}) next"
        return ("starting, spinning" if m["spinning"] else "starting") + \
            f": acquirep(P{m['nextp']}) next"
    return style.M_WORDS.get(m["state"], m["state"])


#: the default size: as wide as a notebook's output area shows a figure without shrinking it
#: (tests/test_viz.py checks that no text shows below style.MIN_FONT_PX there)
FIGSIZE = (10, 6.9)
FONTSIZE = 10.5


def draw(rt, ax=None, *, slots=8, max_ps=16, figsize=FIGSIZE, fontsize=FONTSIZE, title=None,
         legend=True):
    """Draw the scheduler's state at ``rt.now`` and return the Figure.

    Each P (status, runnext, the first ``slots`` of its 256-slot local run queue and
    "+N more", schedtick/syscalltick) with the M above it (a starting M above the P it is about
    to acquire); the global run queue; the Ms without a P (sysmon, blocked in a syscall, in
    netpoll, in stoplockedm, spinning, idle); the parked Gs. Gs are coloured by status
    (gmplab.viz.style) and one legend explains every colour. ``ax``: draw into this Axes (it is
    cleared) instead of a new Figure.
    """
    snap = snapshot(rt)
    if ax is None:
        fig = Figure(figsize=figsize)
        leg = 1.05 / figsize[1] if legend else 0.01       # inches for the legend
        ax = fig.add_axes((0.005, leg, 0.99, 0.995 - leg))
    else:
        fig = ax.figure
        ax.clear()
    paint(ax, snap, slots=slots, max_ps=max_ps, fontsize=fontsize, title=title, legend=legend)
    return fig


def paint(ax, snap, *, slots=8, max_ps=16, fontsize=FONTSIZE, title=None, legend=True,
          text_sink=None):
    """Draw a ``snapshot(rt)`` into ``ax`` (see draw). With ``text_sink`` (a list), labels are
    appended to it instead of becoming Text artists (see _Painter)."""
    pt = _Painter(ax, fontsize, text_sink)
    fs = fontsize
    small = fs * 0.9
    n = snap["gomaxprocs"]
    k = min(n, max_ps)
    cols = max(k + (1 if n > k else 0), MIN_COLS)
    xr = X0 + cols * CW + 0.25        # right panel
    # the right panel keeps RIGHT_IN inches for its labels, however many P columns there are;
    # with more columns than MIN_COLS the columns' own labels shrink to fit their boxes
    wide = _axes_width_in(ax)
    right = RIGHT
    if wide and wide > RIGHT_IN + 1:
        right = max(RIGHT, RIGHT_IN * xr / (wide - RIGHT_IN))
    W = xr + right
    scale = min(1.0, CW * 0.9 * wide / W / BOX_IN) if wide else 1.0
    cfs, csmall = fs * scale, small * scale
    ax.set_xlim(0, W)
    ax.set_ylim(0, H)
    ax.set_axis_off()
    status = snap["status"]

    # header
    head = (f"t = {fmt_t(snap['now'])}   GOMAXPROCS={n}   threads={snap['threads']}   "
            f"idle Ps={snap['npidle']}   spinning Ms={snap['nmspinning']}   "
            f"goroutines={snap['ngoroutines']}")
    if snap["finished"]:
        head += f"   [{snap['finished']}]"
    pt.text(0.1, 9.7, title + "   " + head if title else head, ha="left", fs=fs,
            weight="bold", gid="header")

    # row labels
    for y, s in (((Y_M[0] + Y_M[1]) / 2, "M\n(thread)"), ((Y_P[0] + Y_P[1]) / 2, "P"),
                 ((Y_NEXT[0] + Y_NEXT[1]) / 2, "runnext"),
                 (SLOT_TOP - SLOT_H / 2 - 0.25, f"local\nrunq\n(ring\nof {_l.RUNQSIZE})")):
        pt.text(0.1, y, s, ha="left", fs=small, color="#333333")

    ms = snap["ms"]
    by_p = {m["p"]: m for m in ms if m["p"] is not None}
    oldp_sys = {m["oldp"]: m for m in ms
                if m["p"] is None and m["oldp"] is not None and m["state"] == "syscall"}
    to_p = {m["nextp"]: m for m in ms if m["starting"]}
    shown_above = set()
    w = CW * 0.9
    for ps in snap["ps"][:k]:
        i = ps["id"]
        x = X0 + i * CW + (CW - w) / 2
        # the M above the P: its owner; or, dashed, the M in a syscall whose oldp it is, or
        # the starting M it is promised to (m.nextp)
        m = by_p.get(i)
        dashed = False
        if m is None and ps["status"] == "_Psyscall" and i in oldp_sys:
            m, dashed = oldp_sys[i], True
        if m is None and i in to_p:
            m, dashed = to_p[i], True
        if m is not None:
            shown_above.add(m["id"])
            hm = Y_M[1] - Y_M[0]
            if m["starting"]:
                pt.starting(x, Y_M[0], w, hm, gid=f"M{m['id']}")
                word, mc = "starting", style.STARTING
                if m["spinning"]:       # (it has no curg: its row says so instead)
                    pt.text(x + w / 2, Y_M[0] + 0.24, "and spinning", fs=csmall, color="black")
            else:
                mc = style.m_color(m["state"])
                pt.box(x, Y_M[0], w, hm, mc, gid=f"M{m['id']}", dashed=dashed)
                word = "oldp" if dashed else style.M_WORDS.get(m["state"], m["state"])
            pt.text(x + w / 2, Y_M[1] - 0.22, f"M{m['id']}", fs=cfs, weight="bold",
                    color=style.text_color(mc))
            pt.text(x + w / 2, Y_M[1] - 0.52, word, fs=csmall, color=style.text_color(mc))
            if m["curg"] is not None:
                g = m["curg"]
                pt.gchip(x + 0.08, Y_M[0] + 0.06, w - 0.16, 0.36, g, status.get(g, "_Grunning"),
                         f"curg:M{m['id']}", fs=csmall)
            ax.add_artist(Line2D([x + w / 2] * 2, [Y_P[1], Y_M[0]], color="#333333", lw=1,
                                 ls="--" if dashed else "-", gid=f"link:M{m['id']}:P{i}"))
        else:
            pt.box(x, Y_M[0], w, Y_M[1] - Y_M[0], "white", "no M", dashed=True, fs=csmall,
                   edge="#999999", tcolor="#999999")
        # the P
        if ps["transit"] is not None:
            # retaken and promised to a starting M (m.nextp): _Pidle, yet on no idle list
            pt.starting(x, Y_P[0], w, Y_P[1] - Y_P[0], gid=f"P{i}")
            word, pc = f"→ M{ps['transit']}", style.STARTING
            state = "in transit"
        else:
            pc = style.p_color(ps["status"])
            pt.box(x, Y_P[0], w, Y_P[1] - Y_P[0], pc, gid=f"P{i}")
            word, state = ps["status"], None
        tc = style.text_color(pc)
        pt.text(x + w / 2, Y_P[1] - 0.22, f"P{i}", fs=cfs * 1.1, weight="bold", color=tc)
        if state:
            pt.text(x + w / 2, Y_P[1] - 0.52, state, fs=csmall, color=tc, gid=f"transit:P{i}")
            pt.text(x + w / 2, Y_P[1] - 0.80, word, fs=csmall, color=tc)
        else:
            pt.text(x + w / 2, Y_P[1] - 0.52, word, fs=csmall, color=tc)
            pt.text(x + w / 2, Y_P[0] + 0.52, f"schedtick {ps['schedtick']}", fs=csmall,
                    color=tc)
            pt.text(x + w / 2, Y_P[0] + 0.22, f"syscalltick {ps['syscalltick']}", fs=csmall,
                    color=tc)
        # runnext
        rn = ps["runnext"]
        if rn is None:
            pt.box(x, Y_NEXT[0], w, Y_NEXT[1] - Y_NEXT[0], "white", gid=f"runnext:P{i}",
                   dashed=True, edge="#999999")
        else:
            pt.gchip(x, Y_NEXT[0], w, Y_NEXT[1] - Y_NEXT[0], rn, status.get(rn, "_Grunnable"),
                     f"runnext:P{i}", fs=csmall)
        # local run queue
        q = ps["runq"]
        pt.text(x + w / 2, Y_RUNQ_LABEL, f"{len(q)}/{_l.RUNQSIZE}", fs=csmall, color="#333333",
                gid=f"runqlen:P{i}")
        for j in range(slots):
            y = SLOT_TOP - j * SLOT_STEP - SLOT_H
            if j < len(q):
                pt.gchip(x, y, w, SLOT_H, q[j], status.get(q[j], "_Grunnable"),
                         f"slot:P{i}:{j}", fs=csmall)
            else:
                pt.box(x, y, w, SLOT_H, "white", gid=f"slot:P{i}:{j}", edge="#CCCCCC",
                       round_=False)
        if len(q) > slots:
            pt.text(x + w / 2, SLOT_TOP - slots * SLOT_STEP - 0.15, f"+{len(q) - slots} more",
                    fs=csmall, gid=f"more:P{i}")
    if n > k:
        x = X0 + k * CW + CW / 2
        pt.text(x, (Y_P[0] + Y_P[1]) / 2, f"+{n - k}\nmore Ps", fs=fs, gid="more:P")

    # global run queue
    gq = snap["runq"]
    pt.text(0.1, Y_GLOB[1] + 0.3, "global runq (sched.runq)", ha="left", fs=small,
            color="#333333")
    pt.text(0.1, (Y_GLOB[0] + Y_GLOB[1]) / 2, f"{len(gq)} G(s)", ha="left", fs=fs,
            gid="globrunq:len", weight="bold")
    gw, gstep = 0.66, 0.72
    nfit = max(int((xr - 0.4 - X0) / gstep), 1)
    show = gq[:nfit] if len(gq) <= nfit else gq[:nfit - 1]
    for j, g in enumerate(show):
        pt.gchip(X0 + j * gstep, Y_GLOB[0], gw, Y_GLOB[1] - Y_GLOB[0], g,
                 status.get(g, "_Grunnable"), f"globrunq:{j}", fs=small)
    if len(gq) > len(show):
        pt.text(X0 + len(show) * gstep + 0.05, (Y_GLOB[0] + Y_GLOB[1]) / 2,
                f"+{len(gq) - len(show)} more", ha="left", fs=small, gid="more:globrunq")
    if not gq:
        pt.box(X0, Y_GLOB[0], gw, Y_GLOB[1] - Y_GLOB[0], "white", dashed=True,
               edge="#999999", gid="globrunq:empty")

    # right panel: Ms without a P, then parked Gs
    _right_panel(pt, snap, xr, W, shown_above, fs, small)

    if legend:
        ax.legend(handles=style.legend_handles(), loc="upper center",
                  bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=small, frameon=False,
                  handlelength=1.4, columnspacing=1.0, handletextpad=0.5, borderaxespad=0.1,
                  labelspacing=0.35)
    return ax


def _axes_width_in(ax):
    """The Axes' width in inches (None if it has no figure yet)."""
    fig = getattr(ax, "figure", None)
    if fig is None:
        return None
    return ax.get_position().width * fig.get_figwidth()


def _right_panel(pt, snap, xr, W, shown_above, fs, small):
    status = snap["status"]
    # the few special threads first, then the (possibly many) Ms blocked in syscalls
    order = {"sysmon": 0, "netpoll": 1, "lockedwait": 2, "spinning": 3, "scheduling": 3,
             "running": 4, "exitsyscall": 5, "syscall": 6, "idle": 7}
    rest = [m for m in snap["ms"] if m["id"] not in shown_above and m["p"] is None]
    rest.sort(key=lambda m: (order.get(m["state"], 9), m["id"]))
    busy = [m for m in rest if m["state"] != "idle"]
    idle = [m for m in rest if m["state"] == "idle"]
    pt.text(xr, 9.15, "Ms without a P", ha="left", fs=fs, weight="bold")
    y = 8.85
    rw = W - xr - 0.1
    rh, rstep = 0.42, 0.48
    maxrows = 7
    for m in busy[:maxrows]:
        if m["state"] == "sysmon":
            words = "sysmon · " + _sysmon_words(m, snap)
        elif m["state"] in ("syscall", "exitsyscall"):
            words = style.M_WORDS[m["state"]]
            if m["oldp"] is not None:
                words += f" · oldp P{m['oldp']}"
        elif m["state"] == "lockedwait" and not m["starting"]:
            words = f"stoplockedm · waits for G{m['lockedg']}"
        else:
            words = _m_words(m)
        label = f"M{m['id']}  {words}"
        if m["starting"] and not m["spinning"]:
            pt.starting(xr, y - rh, rw, rh, gid=f"M{m['id']}", text=label, fs=small, ha="left")
        else:
            pt.box(xr, y - rh, rw, rh, style.m_color(m["state"]), label, gid=f"M{m['id']}",
                   fs=small, ha="left")
        if m["curg"] is not None:
            g = m["curg"]
            pt.gchip(xr + rw - 0.62, y - rh + 0.04, 0.56, rh - 0.08, g,
                     status.get(g, "_Gsyscall"), f"curg:M{m['id']}", fs=small)
        y -= rstep
    if len(busy) > maxrows:
        pt.text(xr, y - 0.15, f"+{len(busy) - maxrows} more Ms", ha="left", fs=small,
                gid="more:M")
        y -= rstep
    if idle:
        pt.text(xr, y - 0.18, f"idle Ms (sched.midle, {len(idle)}):", ha="left", fs=small,
                color="#333333")
        y -= 0.45
        cw, per_row = 0.6, int(rw / 0.66)
        for j, m in enumerate(idle[:per_row * 2]):
            r, c = divmod(j, per_row)
            pt.box(xr + c * 0.66, y - rh - r * rstep, cw, rh, style.IDLE, f"M{m['id']}",
                   gid=f"M{m['id']}", fs=small)
        rows = min((len(idle) - 1) // per_row + 1, 2)
        y -= rows * rstep
        if len(idle) > per_row * 2:
            pt.text(xr, y - 0.15, f"+{len(idle) - per_row * 2} more", ha="left", fs=small,
                    gid="more:Midle")
            y -= rstep
    # parked goroutines
    wr = snap["waitreason"]
    y -= 0.1
    pt.text(xr, y - 0.18, f"parked Gs (_Gwaiting, {len(wr)}):", ha="left", fs=fs,
            weight="bold")
    y -= 0.45
    items = sorted(wr.items())
    labels = [f"G{g} {why}" if why else f"G{g}" for g, why in items]
    # two to a row when the labels are short enough to read at this size
    ncol = 2 if all(len(s) <= 14 for s in labels) else 1
    gw = (rw - 0.08 * (ncol - 1)) / ncol
    room = max(int((y - 0.3) / rstep), 1) * ncol
    shown = items if len(items) <= room else items[:room - 1]
    for j, (g, why) in enumerate(shown):
        r, c = divmod(j, ncol)
        pt.gchip(xr + c * (gw + 0.08), y - rh - r * rstep, gw, rh, g, status.get(g, "_Gwaiting"),
                 "parked", fs=small, extra=f" {why}" if why else "")
    if len(items) > len(shown):
        r = (len(shown) + ncol - 1) // ncol
        pt.text(xr, y - rh / 2 - r * rstep, f"+{len(items) - len(shown)} more", ha="left",
                fs=small, gid="more:parked")
