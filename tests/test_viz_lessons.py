"""The lessons' figures and the data under them: G states from the event log (gmplab.viz.gstates,
glife, gtransitions; lesson 03) and where each executed G came from (gmplab.viz.gsources,
sources; lessons 04 and 05). Each figure is checked by its artists' gids and its labels."""
import pytest

pytest.importorskip("matplotlib")

import gmplab  # noqa: E402
from gmplab.ops import go, gosched, loop, recv, send, sleep, syscall, wait, work  # noqa: E402
from gmplab.viz import glife, gtransitions, sources  # noqa: E402
from gmplab.viz.gstates import counts, stays, transitions  # noqa: E402
from gmplab.viz.gsources import origins  # noqa: E402


def life_run():
    """Lesson 03's program: the reader goes through every state but _Gdead's reuse."""
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    ch = rt.chan()
    writer = rt.go(sleep("300us"), send(ch))
    reader = rt.go(work("50us"), syscall("100us"), recv(ch), work("20us"))
    rt.run()
    return rt, writer, reader


def test_transitions_of_one_goroutine_follow_proc_go():
    rt, writer, reader = life_run()
    path = [(t.old, t.new, t.fn) for t in transitions(rt.events, reader)]
    assert path == [("_Gdead", "_Grunnable", "newproc"), ("_Grunnable", "_Grunning", "execute"),
                    ("_Grunning", "_Gsyscall", "entersyscall"),
                    ("_Gsyscall", "_Grunning", "exitsyscall"),
                    ("_Grunning", "_Gwaiting", "gopark"), ("_Gwaiting", "_Grunnable", "goready"),
                    ("_Grunnable", "_Grunning", "execute"), ("_Grunning", "_Gdead", "goexit0")]
    ts = [t.t for t in transitions(rt.events, reader)]
    assert ts == sorted(ts)
    w = [t.fn for t in transitions(rt.events, writer)]
    assert w == ["newproc", "execute", "gopark", "goready", "execute", "goexit0"]


def test_stays_cover_each_life_without_gaps():
    rt, writer, reader = life_run()
    st = [s for s in stays(rt.events, rt.now) if s.g == reader]
    assert [s.state for s in st] == ["_Grunnable", "_Grunning", "_Gsyscall", "_Grunning",
                                     "_Gwaiting", "_Grunnable", "_Grunning"]
    for a, b in zip(st, st[1:]):
        assert a.t1 == b.t0 and a.leave == b.enter
    assert st[-1].leave == "goexit0"
    sys_ = [s for s in st if s.state == "_Gsyscall"][0]
    assert sys_.t1 - sys_.t0 >= 100_000        # the 100 µs syscall


def test_a_g_readied_by_injectglist_gets_its_runnable_step():
    """netpoll returns two ready Gs at once: the first is named by the netpoll event, the other
    is made runnable by injectglist without an event of its own."""
    from gmplab.ops import netread
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    gs = [rt.go(netread("100us"), work("5us")) for _ in range(3)]
    rt.run()
    for g in gs:
        path = [(t.old, t.new) for t in transitions(rt.events, g)]
        i = path.index(("_Grunning", "_Gwaiting"))
        assert path[i + 1] == ("_Gwaiting", "_Grunnable")
        assert path[i + 2] == ("_Grunnable", "_Grunning")
    fns = {t.fn for g in gs for t in transitions(rt.events, g) if t.old == "_Gwaiting"}
    assert fns <= {"netpoll", "injectglist", "goready"} and fns & {"netpoll", "injectglist"}


def test_transitions_refuse_a_log_that_disagrees_with_proc_go():
    from gmplab.events import Event
    bad = [Event(0, "newproc", 5, 0, 0, 0, 1, 0), Event(1, "gopark", 5, 0, 0, 0, 0, 0)]
    with pytest.raises(RuntimeError, match=r"G5 at t=1: gopark takes a G from _Grunning, "
                                           r"but the log left it in _Grunnable"):
        transitions(bad)


def test_counts_and_the_diagram_label_every_edge():
    rt, _, _ = life_run()
    c = counts(rt.events)
    assert c[("_Gdead", "_Grunnable", "newproc")] == 3          # main, writer, reader
    assert c[("_Grunning", "_Gwaiting", "gopark")] == 3
    fig = gtransitions(rt)
    gids = {a.get_gid() for a in fig.axes[0].patches}
    assert {f"state:{s}" for s in ("_Gidle", "_Grunnable", "_Grunning", "_Gsyscall",
                                   "_Gwaiting", "_Gdead")} <= gids
    for e in ("_Gidle->_Gdead", "_Gdead->_Grunnable", "_Grunnable->_Grunning",
              "_Grunning->_Grunnable", "_Grunning->_Gwaiting", "_Gwaiting->_Grunnable",
              "_Grunning->_Gsyscall", "_Gsyscall->_Grunning", "_Gsyscall->_Grunnable",
              "_Grunning->_Gdead"):
        assert f"edge:{e}" in gids
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert "malg ×3" in texts
    assert "newproc ×3\n(3 new g, 0 from gFree)" in texts
    assert "gopark ×3" in texts and "goexit0 ×3" in texts
    assert any(t.startswith("exitsyscall0 ×0") for t in texts)       # never happened: grey
    edge = [a for a in fig.axes[0].patches if a.get_gid() == "edge:_Gsyscall->_Grunnable"][0]
    assert edge.get_linestyle() == "--"
    assert fig.axes[0].get_title(loc="left").startswith("G status changes in this run")


def test_gtransitions_counts_reused_gs():
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    rt.main(loop(5, go(work("10us"))), wait(), loop(5, go(work("10us"))), wait())
    rt.run()
    texts = {t.get_text() for t in gtransitions(rt).axes[0].texts}
    assert "malg ×6" in texts and "newproc ×11\n(6 new g, 5 from gFree)" in texts


def test_glife_draws_a_lane_per_g_coloured_by_state():
    from gmplab.viz import style
    rt, writer, reader = life_run()
    fig = glife(rt)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["G1", "G2", "G3"]
    bars = {c.get_gid(): c for c in ax.collections if c.get_gid()}
    assert f"G{reader}:_Gsyscall" in bars and f"G{writer}:_Gwaiting" in bars
    from matplotlib.colors import to_hex
    assert to_hex(bars[f"G{reader}:_Gsyscall"].get_facecolor()[0]) == style.SYSCALL.lower()
    exits = [ln for ln in ax.lines if ln.get_gid() == "goexit0"][0]
    assert len(exits.get_xdata()) == 3
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("_Grunnable: ") and labels[-1].startswith("goexit0")
    assert ax.get_title(loc="left").startswith("G status over time, from the event log")
    assert "virtual time (µs)" in ax.get_xlabel()


def test_glife_picks_goroutines_and_caps_lanes():
    rt, writer, reader = life_run()
    assert [t.get_text() for t in glife(rt, goids=[reader]).axes[0].get_yticklabels()] == ["G3"]
    with pytest.raises(ValueError, match=r"glife: no goroutine \[99\] in the event log"):
        glife(rt, goids=[99])
    rt2 = gmplab.Runtime(gomaxprocs=1, seed=0)
    rt2.main(loop(30, go(work("1us"))))
    rt2.run()
    ax = glife(rt2, max_gs=10).axes[0]
    assert len(ax.get_yticklabels()) == 10 and "21 more G(s) not shown" in ax.get_title(loc="left")


def test_origins_of_the_runnext_puzzle():
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    rt.main(loop(10, go(work("1us"))))
    rt.run()
    o = origins(rt.events)
    assert [(x.g, x.source) for x in o[:3]] == [(1, "runnext"), (11, "runnext"), (2, "ring")]
    assert [x.g for x in o[2:11]] == list(range(2, 11))
    assert o[1].inherit and not o[2].inherit and o[-1].g == 1


def test_origins_of_the_spill_fairness_and_batch():
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    rt.main(loop(300, go(work("1us"))))
    rt.run()
    o = origins(rt.events)
    fair = [x for x in o if x.source == "global-61"]
    assert [x.g for x in fair] == [2, 3] and all(x.fn == "globrunqget" for x in fair)
    batch = [x for x in o if x.source == "global-batch"]
    assert [x.g for x in batch] == [4]
    assert len(o) == 302 and all(x.k == i for i, x in enumerate(o))


def test_origins_see_stealing_and_gosched():
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    for _ in range(6):
        rt.go(loop(2, work("30us"), gosched()), work("10us"))
    rt.run()
    src = {x.source for x in origins(rt.events)}
    assert {"runnext", "ring", "global-61", "global-batch", "steal"} <= src


def test_sources_figure_lanes_markers_and_legend():
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    for _ in range(6):
        rt.go(loop(2, work("30us"), gosched()), work("10us"))
    rt.run()
    fig = sources(rt)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["P0", "P1"]
    gids = {ln.get_gid() for ln in ax.lines}
    assert {"source:runnext", "source:ring", "source:global-batch", "source:steal"} <= gids
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("globrunqget: schedtick%61==0, one G (1)") for t in legend)
    assert sum(int(t.rsplit("(", 1)[1].rstrip(")")) for t in legend) == len(origins(rt.events))
    assert {t.get_text() for t in ax.texts} >= {"G1", "G7"}
    assert ax.get_title(loc="left").startswith("Where each G came from, decision by decision (20 executes")
    figg = sources(rt, by="g")
    assert figg.axes[0].get_ylabel() == "goid"
    with pytest.raises(ValueError, match="by must be 'p'"):
        sources(rt, by="m")


def test_figure_functions_survive_their_modules_being_imported():
    """A submodule import binds its name in the package: the modules are named apart from the
    functions (glifefig, sourcesfig; gstates and gsources hold the data)."""
    import importlib
    import types
    import gmplab.viz as viz
    for m in ("glifefig", "sourcesfig", "gstates", "gsources", "frame"):
        importlib.import_module(f"gmplab.viz.{m}")
    for name in ("glife", "gtransitions", "sources"):
        assert not isinstance(getattr(viz, name), types.ModuleType), name


def test_text_is_readable_at_the_notebooks_width():
    """No text of these figures is shown smaller than gmplab.viz.style's minimum (12 px) once a
    notebook shrinks the PNG to its output area (968 px): the rule the other figures follow."""
    from matplotlib.text import Text
    from gmplab.viz import style
    min_px, width_px = style.MIN_FONT_PX, style.NOTEBOOK_OUTPUT_PX
    rt, _, _ = life_run()
    rt2 = gmplab.Runtime(gomaxprocs=2, seed=0)
    for _ in range(6):
        rt2.go(loop(2, work("30us"), gosched()), work("10us"))
    rt2.run()
    for name, fig in (("glife", glife(rt)), ("gtransitions", gtransitions(rt)),
                      ("sources", sources(rt2)), ("sources by g", sources(rt2, by="g"))):
        scale = min(1.0, width_px / (fig.get_figwidth() * fig.dpi))
        sizes = [t.get_fontsize() * fig.dpi / 72 * scale for t in fig.findobj(Text)
                 if t.get_visible() and t.get_text().strip()]
        assert min(sizes) >= min_px, (name, min(sizes))
