"""gmplab.viz: pictures of the scheduler, in one visual language (gmplab.viz.style).

    from gmplab.viz import draw, timeline, schedtrace_plot
    draw(rt)                    # the G/M/P state now: Ps, runnext, local and global runqs, Ms
    timeline(rt)                # which G ran on which P when; syscalls per M; decisions
    schedtrace_plot(rt.trace)   # GODEBUG=schedtrace lines (simulated or a real Go program's)
    threads_plot({"a": ..., "b": ...})  # thread counts of several runs over time (12)
    glife(rt)                   # each G's status over time (lesson 03); gtransitions(rt): the
                                # status diagram with how often each Go function changed it
    sources(rt)                 # where each executed G came from, decision by decision (05)
    steal_order(rt, m)          # the 4 passes M m's next stealWork makes over the Ps (06)
    sysmon_ticks(looks)         # sysmon's looks and its sleep after each (07); the looks are
                                # gmplab.course.sysmon_looks(rt, until)

Each function returns a matplotlib Figure (not registered with pyplot, so nothing is shown
twice and nothing piles up); in Jupyter the Figure displays as a PNG. Pass ``ax=`` to draw into
your own Axes. matplotlib is imported only when a function is called (``pip install
gmplab[viz]``).

The modules behind them are named apart from the functions (``statefig``, ``timelinefig``,
``tracefig``, ``glifefig``, ``sourcesfig``; the plain data under the lessons' figures is in
``gstates`` and ``gsources``): importing a submodule binds its name in this package, so a module called
``timeline`` would replace the function ``timeline`` the first time it is imported (and a
notebook run a second time would call a module).
"""

__all__ = ["draw", "timeline", "schedtrace_plot", "threads_plot", "snapshot", "glife",
           "gtransitions", "sources", "steal_order", "sysmon_ticks"]


def draw(rt, ax=None, **kw):
    """The scheduler's state at ``rt.now``; see gmplab.viz.statefig.draw."""
    from .statefig import draw as _draw
    _register_png()
    return _draw(rt, ax, **kw)


def snapshot(rt):
    """The data ``draw`` shows, as plain Python (dicts and lists)."""
    from .statefig import snapshot as _snap
    return _snap(rt)


def timeline(rt, ax=None, **kw):
    """Per-P lanes of running Gs, per-M lanes of syscalls, decision markers; see
    gmplab.viz.timelinefig.timeline."""
    from .timelinefig import timeline as _tl
    _register_png()
    return _tl(rt, ax, **kw)


def schedtrace_plot(rows, **kw):
    """Run queues, threads and idle Ps over time from schedtrace rows; see
    gmplab.viz.tracefig.schedtrace_plot."""
    from .tracefig import schedtrace_plot as _sp
    _register_png()
    return _sp(rows, **kw)


def threads_plot(runs, **kw):
    """The thread count of several runs over time (event-log series or schedtrace rows); see
    gmplab.viz.tracefig.threads_plot."""
    from .tracefig import threads_plot as _tp
    _register_png()
    return _tp(runs, **kw)


def glife(rt, ax=None, **kw):
    """One lane per G coloured by its _G status over time; see gmplab.viz.glifefig.glife."""
    from .glifefig import glife as _g
    _register_png()
    return _g(rt, ax, **kw)


def gtransitions(rt, ax=None, **kw):
    """The G status diagram, arrows counted from the log; see gmplab.viz.glifefig.gtransitions."""
    from .glifefig import gtransitions as _g
    _register_png()
    return _g(rt, ax, **kw)


def sources(rt, ax=None, **kw):
    """Where each executed G came from (runnext, ring, global, stolen ...), decision by
    decision; see gmplab.viz.sourcesfig.sources."""
    from .sourcesfig import sources as _s
    _register_png()
    return _s(rt, ax, **kw)


def steal_order(rt, m, ax=None, **kw):
    """The four passes M ``m``'s next stealWork makes over the Ps, in their random coprime
    orders; see gmplab.viz.stealfig.steal_order."""
    from .stealfig import steal_order as _so
    _register_png()
    return _so(rt, m, ax, **kw)


def sysmon_ticks(looks, ax=None, **kw):
    """sysmon's looks (gmplab.course.sysmon_looks) and its sleep after each; see
    gmplab.viz.sysmonfig.sysmon_ticks."""
    from .sysmonfig import sysmon_ticks as _st
    _register_png()
    return _st(looks, ax, **kw)


_registered = False


def _register_png():
    """Let IPython show a bare matplotlib Figure as a PNG (what the inline backend does once
    pyplot is imported), so ``draw(rt)`` at the end of a cell shows the picture."""
    global _registered
    if _registered:
        return
    _registered = True
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None or not hasattr(ip, "display_formatter"):
        return
    from matplotlib.figure import Figure
    fmt = ip.display_formatter.formatters.get("image/png")
    if fmt is None:
        return
    try:
        fmt.lookup_by_type(Figure)
        return                  # the inline backend (or someone) already handles Figures
    except KeyError:
        pass

    def png(fig):
        from io import BytesIO
        buf = BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight", dpi=fig.dpi)
        return buf.getvalue()
    fmt.for_type(Figure, png)
