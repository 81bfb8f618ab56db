"""The figures of lessons 06–09 and the data under them: a thief's four passes
(gmplab.viz.steal_order, lesson 06) and sysmon's looks and sleeps (gmplab.viz.sysmon_ticks over
gmplab.course.sysmon_looks, lesson 07). Each figure is checked by its artists' gids and labels."""
import pytest

pytest.importorskip("matplotlib")

import gmplab  # noqa: E402
from gmplab.course import gave_up, sysmon_looks  # noqa: E402
from gmplab.ops import go, sleep, syscall, work  # noqa: E402
from gmplab.viz import steal_order, sysmon_ticks  # noqa: E402
from gmplab.viz.stealfig import steal_plan  # noqa: E402


def thief_at_40us():
    """Lesson 06: main keeps P0 busy with G2 in its runnext; M2 comes to steal with P1."""
    rt = gmplab.Runtime(gomaxprocs=4, seed=0)
    rt.main(go(work("1ms")), work("500us"))
    rt.run(until="40us")
    return rt


def gids(fig):
    return [a.get_gid() for ax in fig.axes for a in [*ax.patches, *ax.lines] if a.get_gid()]


def test_steal_plan_visits_every_p_four_times_in_coprime_orders():
    rt = thief_at_40us()
    plan = steal_plan(rt, 2)
    assert len(plan) == 4 and [ps.last for ps in plan] == [False, False, False, True]
    for ps in plan:
        assert sorted(v.p for v in ps.visits) == [0, 1, 2, 3]
        assert ps.inc in (1, 3) and ps.visits[0].p == ps.pos
        assert [v.p for v in ps.visits] == [(ps.pos + k * ps.inc) % 4 for k in range(4)]
        what = {v.p: v.what for v in ps.visits}
        assert what == {0: "busy", 1: "self", 2: "idle", 3: "idle"}
        p0 = [v for v in ps.visits if v.p == 0][0]
        assert (p0.ring, p0.runnext) == (0, 2)
    assert str(plan[3]).startswith("pass 4 (start P") and "runnext G2" in str(plan[3])


def test_the_plan_is_the_order_the_thief_takes():
    """The thief really goes through its plan: nothing in passes 1-3 (empty ring), runnext on
    the fourth, after usleep(3)."""
    rt = thief_at_40us()
    rt.run(until="200us")
    st = rt.events.where(fn="runqsteal", m=2)
    assert [e.t for e in st] == [40_240, 95_400] and st[-1].g == 2 and st[-1].a == 0


def test_steal_order_figure():
    rt = thief_at_40us()
    fig = steal_order(rt, 2)
    g = gids(fig)
    assert len([x for x in g if x.startswith("p:")]) == 16
    assert {x for x in g if x.startswith("p:1:")} == {"p:1:0:busy", "p:1:1:self", "p:1:2:idle",
                                                      "p:1:3:idle"}
    assert len([x for x in g if x.startswith("visit:")]) == 12
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[3].startswith("pass 4") and "runnext" in titles[3]
    assert "coprimes of 4: [1, 3]" in fig._suptitle.get_text()
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("idle list" in t for t in labels) and any("own P" in t for t in labels)


def test_steal_plan_rejects_a_missing_m():
    rt = thief_at_40us()
    with pytest.raises(ValueError, match="no M9"):
        steal_plan(rt, 9)


def test_gave_up_tells_the_spinning_limit():
    """Lesson 06: M0 runs out of work while M2 (being created) counts as spinning and two Ps
    are idle: 2*1 < 4-2 is false, so M0 gives up its P without stealing."""
    rt = gmplab.Runtime(gomaxprocs=4, seed=0)
    rt.go(work("10us"))
    rt.go(work("10us"))
    rt.go(sleep("100us"))
    rt.run()
    assert [(g.m, g.p, g.spun) for g in gave_up(rt)] == [(0, 0, False), (2, 1, True)]


def sysmon_run():
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    rt.go(work("40ms"))
    rt.go(sleep("12ms"), syscall("15ms"))
    return rt, sysmon_looks(rt, "35ms")


def test_sysmon_looks_back_off_and_reset_after_a_retake():
    rt, looks = sysmon_run()
    sleeps = [lk.sleep for lk in looks]
    # the first usleep(20) comes before the first look; 50 more follow looks 1..50
    assert looks[0].t == 20_000 and sleeps[:50] == [20_000] * 50
    assert sleeps[50:58] == [40_000 * 2 ** k for k in range(8)]   # idle > 50: doubling …
    assert sleeps[58] == 10_000_000                     # … up to 10 ms
    i = [k for k, lk in enumerate(looks) if lk.retook][0]
    assert looks[i].sleep == 20_000 and looks[i].t == 21_220_000
    assert all(lk.preempted == 0 for lk in looks[:i - 1])
    assert not any(lk.deep for lk in looks)


def test_sysmon_looks_see_the_deep_sleep():
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    rt.go(sleep("5ms"))
    looks = sysmon_looks(rt, "20ms")
    assert any(lk.deep for lk in looks)


def test_sysmon_ticks_figure():
    rt, looks = sysmon_run()
    fig = sysmon_ticks(looks, inset=(0, 1.3))
    g = gids(fig)
    for need in ("sysmon:sleep", "sysmon:looks", "sysmon:retake", "sysmon:preempt"):
        assert need in g
    ret = [a for a in fig.axes[0].lines if a.get_gid() == "sysmon:retake"][0]
    assert list(ret.get_xdata()) == [21.22]
    assert fig.axes[0].get_yscale() == "log"
    assert any(ax.get_gid() == "sysmon:inset" for ax in fig.axes[0].child_axes)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("retook a P" in t for t in labels) and any("preemptone" in t for t in labels)
    with pytest.raises(ValueError, match="no looks"):
        sysmon_ticks([])


def test_text_is_readable_at_the_notebooks_width():
    """No text of these figures is shown smaller than gmplab.viz.style's minimum (12 px) once a
    notebook shrinks the PNG to its output area."""
    from matplotlib.text import Text
    from gmplab.viz import style
    _, looks = sysmon_run()
    for name, fig in (("steal_order", steal_order(thief_at_40us(), 2)),
                      ("sysmon_ticks", sysmon_ticks(looks, inset=(0, 1.3)))):
        scale = min(1.0, style.NOTEBOOK_OUTPUT_PX / (fig.get_figwidth() * fig.dpi))
        sizes = [t.get_fontsize() * fig.dpi / 72 * scale for t in fig.findobj(Text)
                 if t.get_visible() and t.get_text().strip()]
        assert min(sizes) >= style.MIN_FONT_PX, (name, min(sizes))
