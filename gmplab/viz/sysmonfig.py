"""``sysmon_ticks(looks)``: when sysmon looked at the Ps and how long it slept after each look
(lesson 07); the data is :func:`gmplab.course.sysmon_looks`.

proc.go (go1.25.3) sysmon: ``if idle == 0 { delay = 20 } else if idle > 50 { delay *= 2 }; if
delay > 10*1000 { delay = 10 * 1000 }; usleep(delay)``, and ``if retake(now) != 0 { idle = 0 }
else { idle++ }``: 20 µs while it keeps retaking Ps, doubling after 50 rounds without a
retake, at most 10 ms. Preempting a G (``preemptone``) does not count as a retake.
"""
from matplotlib.lines import Line2D

from . import style
from .frame import figure_axes


def sysmon_ticks(looks, ax=None, *, inset=None, figsize=(9.6, 4.6), fontsize=11, title=None):
    """One point per look (x: when, in ms; y: the sleep after it, in µs, log scale), joined
    as a step line; looks that retook a P (▼) or preempted a G (✕) marked; 20 µs and 10 ms
    drawn as guides; a deep sleep (``sysmonwait``: every P idle) as a grey span. ``inset``:
    (t0, t1) in ms, a magnified view of the looks in that window (the 20 µs looks are too
    close together to see at full scale). Returns the Figure."""
    looks = list(looks)
    if not looks:
        raise ValueError("sysmon_ticks: no looks to draw (run sysmon_looks(rt, until) first)")
    fig, ax = figure_axes(ax, figsize, 1.15, 0.45, left=0.1, width=0.87)
    pts = [lk for lk in looks if lk.sleep is not None and not lk.deep]
    xs = [lk.t / 1e6 for lk in pts]
    ys = [lk.sleep / 1e3 for lk in pts]
    ax.step(xs, ys, where="post", color=style.SYSMON, linewidth=1.2, zorder=2)[0].set_gid(
        "sysmon:sleep")
    ax.plot(xs, ys, linestyle="none", marker="o", markersize=3, color=style.SYSMON,
            zorder=3)[0].set_gid("sysmon:looks")
    ret = [lk for lk in pts if lk.retook]
    pre = [lk for lk in pts if lk.preempted]
    mk, col, _ = style.DECISION_MARKERS["retake"]
    ax.plot([lk.t / 1e6 for lk in ret], [lk.sleep / 1e3 for lk in ret], linestyle="none",
            marker=mk, markersize=9, color=col, markeredgecolor="#222222",
            zorder=4)[0].set_gid("sysmon:retake")
    mk2, col2, _ = style.DECISION_MARKERS["preemptone"]
    ax.plot([lk.t / 1e6 for lk in pre], [lk.sleep / 1e3 for lk in pre], linestyle="none",
            marker=mk2, markersize=9, color=col2, markeredgewidth=1.6,
            zorder=4)[0].set_gid("sysmon:preempt")
    for lk in looks:
        if lk.deep and lk.sleep is not None:
            ax.axvspan(lk.t / 1e6, (lk.t + lk.sleep) / 1e6, color=style.IDLE, alpha=0.35,
                       zorder=1).set_gid("sysmon:deep")
    x0, x1 = (xs[0], xs[-1]) if xs else (0, 0)
    for y, text, right in ((20, "20 µs: the first sleep, and after every retake", True),
                           (10_000, "10 ms: the longest sleep", False)):
        ax.axhline(y, color="#888888", linewidth=0.7, linestyle="--", zorder=1)
        ax.text(x1 if right else x0, y * 1.15 if right else y / 1.15, text,
                ha="right" if right else "left", va="bottom" if right else "top",
                fontsize=fontsize * 0.8, color="#444444")
    ax.set_yscale("log")
    ax.set_ylim(10, 30_000)
    ax.set_xlabel("virtual time of the look (ms)", fontsize=fontsize)
    ax.set_ylabel("sleep after the look (µs)", fontsize=fontsize)
    ax.tick_params(labelsize=fontsize)
    for sp in ("top", "right"):
        ax.spines[sp].set_visible(False)
    if title is None:
        title = (f"sysmon's {len(pts)} looks at the Ps (retake) and its sleep after each "
                 "(usleep(delay))")
    ax.set_title(title, fontsize=fontsize, loc="left")
    handles = [Line2D([], [], color=style.SYSMON, marker="o", markersize=4,
                      label="a look (retake over every P), then usleep"),
               Line2D([], [], linestyle="none", marker=mk, color=col, markeredgecolor="#222222",
                      markersize=8, label="it retook a P from a syscall: idle = 0"),
               Line2D([], [], linestyle="none", marker=mk2, color=col2, markeredgewidth=1.6,
                      markersize=8, label="it preempted a G (preemptone): not a retake")]
    if any(lk.deep for lk in looks):
        from matplotlib.patches import Patch
        handles.append(Patch(facecolor=style.IDLE, alpha=0.35,
                             label="every P idle: deep sleep (sysmonwait)"))
    ax.legend(handles=handles, loc="lower center", ncol=2, fontsize=fontsize * 0.8,
              frameon=False, bbox_to_anchor=(0.5, 0), bbox_transform=fig.transFigure)
    if inset is not None:
        _inset(ax, pts, inset, fontsize)
    return fig


def _inset(ax, pts, window, fontsize):
    """A magnified view of the looks between window[0] and window[1] ms, in the figure's
    empty middle (x in µs)."""
    t0, t1 = (float(x) * 1e6 for x in window)
    sel = [lk for lk in pts if t0 <= lk.t <= t1]
    ins = ax.inset_axes((0.36, 0.16, 0.25, 0.46))
    ins.set_gid("sysmon:inset")
    ins.step([lk.t / 1e3 for lk in sel], [lk.sleep / 1e3 for lk in sel], where="post",
             color=style.SYSMON, linewidth=1.0)
    ins.plot([lk.t / 1e3 for lk in sel], [lk.sleep / 1e3 for lk in sel], linestyle="none",
             marker="o", markersize=2.5, color=style.SYSMON)
    ins.set_yscale("log")
    ins.set_ylim(10, 30_000)
    ins.set_xlim(t0 / 1e3, t1 / 1e3)
    ins.set_title(f"zoom: {len(sel)} looks, {t0 / 1e6:g}–{t1 / 1e6:g} ms (x in µs)",
                  fontsize=fontsize * 0.8)
    ins.tick_params(labelsize=fontsize * 0.8)
    ins.set_facecolor("#FAFAFA")
