"""The Playground, headless: driven through its controls (button.click(), slider.value, the
Play widget's value), with assertions on the runtime's state and the narrative."""
import statistics
import time

import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from gmplab.widgets import PRESETS, Playground  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def pg():
    return Playground(gomaxprocs=4, seed=0)


def choose_running_m(pg):
    rt = pg.rt
    running = [m.id for m in rt.allm if m.state == "running" and m.curg is not None]
    assert running, [(m.id, m.state) for m in rt.allm]
    pg.mpick.value = running[0]
    return running[0]


def busy_playground(n=8, procs=4):
    """A Playground whose Ps all run CPU-bound Gs with more queued behind them."""
    pg = Playground(gomaxprocs=procs, seed=0)
    pg.preset.value = "CPU-bound"
    for _ in range(n):
        pg.go_button.click()
    for _ in range(200):
        if all(p.status == "_Prunning" for p in pg.rt.allp):
            break
        pg.step_button.click()
    assert all(p.status == "_Prunning" for p in pg.rt.allp)
    return pg


def test_starts_as_a_daemon_runtime_with_main_parked(pg):
    rt = pg.rt
    assert rt.daemon and rt.finished is None
    assert rt.g(1).status == "_Gwaiting" and rt.g(1).waitreason == "sync.WaitGroup.Wait"
    assert bytes(pg.image.value).startswith(PNG)
    assert bytes(pg.legend.value).startswith(PNG)
    assert "A new runtime: GOMAXPROCS=4" in pg.narrative_text()
    assert pg.mpick.options and pg.inspect_pick.value == "sched"
    bundle = pg._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("preset", list(PRESETS))
def test_go_button_starts_each_preset(pg, preset):
    before = set(pg.rt.goids())
    n0 = len(pg.rt.events)
    pg.preset.value = preset
    pg.go_button.click()
    new = set(pg.rt.goids()) - before
    assert len(new) == (2 if preset == "channel pair" else 1)
    text = pg.narrative_text()
    assert f"go func() [{preset}]" in text
    fns = [e.fn for e in pg.rt.events[n0:]]
    assert "newproc" in fns and "injectglist" in fns
    assert "injectglist" in text
    # the new Gs run after a few steps (a locked G may be in transit to its M at step 20)
    for _ in range(20):
        pg.step_button.click()
    assert any(e.fn == "execute" and e.g in new for e in pg.rt.events[n0:])


def test_block_in_syscall_then_sysmon_hands_the_p_off():
    pg = busy_playground()
    rt = pg.rt
    m = choose_running_m(pg)
    p = rt.m(m).p
    g = rt.m(m).curg
    assert rt.p(p).runq or rt.sched.runqsize      # there is work for the P
    n0 = len(rt.events)
    pg.block_button.click()
    assert rt.m(m).state == "syscall" and rt.g(g).status == "_Gsyscall"
    assert rt.p(p).status == "_Psyscall"
    assert "entersyscall" in pg.narrative_text()
    assert "makes a blocking syscall" in pg.narrative_text()
    # step decision by decision until sysmon retakes the P
    seen_retake = None
    for _ in range(400):
        pg.step_button.click()
        if any(e.fn == "retake" and e.p == p for e in rt.events[n0:]):
            seen_retake = pg.narrative_text()
            break
    assert seen_retake is not None, "sysmon never retook the P"
    for _ in range(3):
        pg.step_button.click()
    ev = [e for e in rt.events[n0:] if e.p == p or e.m == m]
    fns = [e.fn for e in ev]
    seq = ["entersyscall", "retake", "handoffp", "startm"]
    pos = [fns.index(seq[0])]
    for fn in seq[1:]:
        pos.append(fns.index(fn, pos[-1] + 1))
    assert pos == sorted(pos)
    handoff = ev[pos[2]]
    assert "it has work" in handoff.text
    started = ev[pos[3]].a
    assert "retake" in seen_retake and "sysmon: retake" in seen_retake
    text = pg.narrative_text()
    assert "handoffp" in text and "startm" in text
    # the P now runs on another M, the blocked M keeps its G in the syscall
    for _ in range(5):
        pg.step_button.click()
    assert rt.p(p).m == started and rt.p(p).status == "_Prunning"
    assert rt.m(m).state == "syscall" and rt.m(m).curg == g and rt.m(m).p is None
    # and the syscall returns on request
    pg.mpick.value = m
    pg.return_button.click()
    assert "syscall returns" in pg.narrative_text()
    for _ in range(5):
        pg.step_button.click()
    back = [e for e in rt.events if e.fn in ("exitsyscall", "exitsyscall0") and e.m == m]
    assert back and back[-1].g == g


def test_invalid_actions_are_explained_not_raised(pg):
    rt = pg.rt
    sysmon = [m.id for m in rt.allm if m.state == "sysmon"][0]
    pg.mpick.value = sysmon
    n0 = len(rt.events)
    pg.block_button.click()
    assert "is sysmon" in pg.narrative_text() and "⚠" in pg.narrative_text()
    pg.gosched_button.click()
    assert "is sysmon" in pg.narrative_text()
    pg.return_button.click()
    assert "not in a syscall" in pg.narrative_text()
    # main's M parked idle after main blocked
    idle = [m.id for m in rt.allm if m.state == "idle"]
    assert idle
    pg.mpick.value = idle[0]
    pg.block_button.click()
    assert "is idle" in pg.narrative_text()
    assert len(rt.events) == n0                 # nothing happened to the runtime
    # methods with a bad M id or preset
    assert pg.block_in_syscall(99) is False
    assert "There is no M99" in pg.messages[-1][1]
    assert pg.go("no such body") == []
    assert "Unknown preset" in pg.messages[-1][1]
    # an M already in a syscall cannot block again
    busy = busy_playground(n=4)
    m = choose_running_m(busy)
    busy.block_button.click()
    busy.block_button.click()
    assert "already blocked in a syscall" in busy.narrative_text()


def test_finished_runtime_asks_for_reset(pg, monkeypatch):
    pg.rt._finished = "fatal error: all goroutines are asleep - deadlock!"
    pg.go_button.click()
    pg.step_button.click()
    assert "click Reset" in pg.narrative_text()
    pg.reset_button.click()
    assert pg.rt.finished is None and pg.rt.now < 1000


def test_errors_inside_an_action_become_messages(pg, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("simulated failure")
    monkeypatch.setattr(pg.rt, "run_for", boom)
    pg.play.value = pg.play.value + 1
    assert "RuntimeError: simulated failure" in pg.narrative_text()


def test_gomaxprocs_slider_resizes_live(pg):
    pg.preset.value = "CPU-bound"
    for _ in range(6):
        pg.go_button.click()
    pg.run_for("200us")
    pg.procs.value = 2
    assert pg.rt.gomaxprocs() == 2
    assert "runtime.GOMAXPROCS(2) (was 4)" in pg.narrative_text()
    assert "P2..P3 are destroyed" in pg.narrative_text()
    assert any(e.fn == "procresize" for e in pg.rt.events[-20:])
    assert [o for o in pg.inspect_pick.options if o.startswith("P")] == ["P0", "P1"]
    pg.procs.value = 3
    assert pg.rt.gomaxprocs() == 3 and "P2 is created idle" in pg.narrative_text()
    # reset keeps the slider's value
    pg.reset_button.click()
    assert pg.rt.gomaxprocs() == 3


def test_play_widget_ticks_by_the_speed(pg):
    pg.speed.value = 200_000
    t0 = pg.rt.now
    pg.play.value += 1
    assert pg.rt.now == t0 + 200_000
    pg.play.value += 1
    assert pg.rt.now == t0 + 400_000
    pg.play.value = 0                    # the Play widget's stop button rewinds: no frame
    assert pg.rt.now == t0 + 400_000
    pg.play_()
    assert pg.playing
    pg.pause()
    assert not pg.playing
    pg.tick()                            # what a frame does, callable directly
    assert pg.rt.now == t0 + 600_000


def test_step_is_bounded_when_nothing_happens(pg):
    t0 = pg.rt.now
    for _ in range(3):
        pg.step_button.click()
    assert pg.rt.now - t0 <= 3 * 10_000_000 + 1
    assert pg.rt.finished is None


def test_inspector_shows_go_field_names(pg):
    pg.go_button.click()
    pg.run_for("100us")
    pg.refresh()
    pg.inspect_pick.value = "P0"
    for f in ("runqhead", "runqtail", "runnext", "schedtick", "syscalltick", "sysmontick"):
        assert f in pg.inspector.value
    pg.inspect_pick.value = "M1"
    for f in ("curg", "nextp", "oldp", "spinning", "lockedg"):
        assert f in pg.inspector.value
    pg.inspect_pick.value = "G1"
    assert "waitreason" in pg.inspector.value and "sync.WaitGroup.Wait" in pg.inspector.value
    pg.inspect_pick.value = "sched"
    assert "nmspinning" in pg.inspector.value and "npidle" in pg.inspector.value
    assert pg.inspect("P9") == {"error": pg.inspect("P9")["error"]}


def test_same_seed_same_clicks_same_run():
    def session():
        pg = Playground(gomaxprocs=2, seed=7)
        for preset in ("CPU-bound", "channel pair", "syscall-heavy", "sleeper"):
            pg.preset.value = preset
            pg.go_button.click()
        for _ in range(5):
            pg.play.value += 1
        m = choose_running_m(pg)
        pg.block_button.click()
        for _ in range(5):
            pg.step_button.click()
        return pg.rt.events.text(), m
    assert session() == session()


def test_click_latency_4ps_100gs(capsys):
    """Measured and printed, never asserted (timings depend on the machine)."""
    pg = Playground(gomaxprocs=4, seed=0)
    for _ in range(100):
        pg.go("CPU-bound")
    pg.run_for("300us")
    pg.refresh()
    lat = {}
    for name, click in (("go func()", pg.go_button.click), ("Step", pg.step_button.click),
                        ("Play frame", lambda: setattr(pg.play, "value", pg.play.value + 1))):
        ts = []
        for _ in range(5):
            t0 = time.perf_counter()
            click()
            ts.append((time.perf_counter() - t0) * 1000)
        lat[name] = statistics.median(ts)
    assert len(pg.rt.goids()) > 100
    with capsys.disabled():
        print("\nPlayground click latency (4 Ps, 100+ Gs), median ms: "
              + ", ".join(f"{k} {v:.0f}" for k, v in lat.items()))


@pytest.mark.parametrize("kw,err,says", [
    ({"gomaxprocs": 9}, ValueError, r"gomaxprocs=9 is out of range: allowed 1\.\.8 \(the Playground"),
    ({"gomaxprocs": "4"}, TypeError, r"gomaxprocs must be an int in 1\.\.8"),
    ({"seed": -1}, ValueError, r"seed=-1 is out of range: allowed 0\.\.2\*\*32-1"),
])
def test_bad_arguments_say_what_is_allowed(kw, err, says):
    with pytest.raises(err, match=says):
        Playground(**kw)


def test_a_starting_m_is_named_so():
    """After sysmon's retake, handoffp starts an M for the P (startm(pp, false)): until it runs
    acquirep it is a starting thread, not one "in schedule()", and it runs no G."""
    pg = Playground(gomaxprocs=2, seed=0)
    pg.go("CPU-bound")
    pg.go("CPU-bound")
    pg.go("CPU-bound")
    pg.run_for("100us")
    m = next(m.id for m in pg.rt.allm if m.state == "running")
    assert pg.block_in_syscall(m)
    for _ in range(200):
        starting = [x for x in pg.rt.allm if x.p is None and x.nextp is not None]
        if starting:
            break
        pg.step()
    (s,) = starting
    assert not s.spinning
    pg.refresh()
    assert f"M{s.id} · starting, acquirep(P{s.nextp}) next" in pg.mpick.options_labels
    assert not pg.block_in_syscall(s.id)
    kind, text = pg.messages[-1]
    assert kind == "warn" and text.startswith(f"M{s.id} is starting: startm woke it with P{s.nextp}")


def test_spawner_preset_runs_real_go_statements(pg):
    """The button injects its G from outside (injectglist → global queue); the spawner's own
    go statements are newproc → runqput(pp, newg, next=true): the runnext of its P."""
    pg.preset.value = "spawner (go from a G)"
    before = set(pg.rt.goids())
    pg.go_button.click()
    (spawner,) = set(pg.rt.goids()) - before
    assert "injectglist" in pg.narrative_text() and "newproc instead" in pg.narrative_text()

    def made():
        return [e for e in pg.rt.events.where(fn="newproc") if e.a == spawner]
    for _ in range(400):
        if len(made()) == 4:
            break
        pg.step_button.click()
    assert len(made()) == 4
    for e in made():
        put = [x for x in pg.rt.events.where(fn="runqput", g=e.g) if x.t == e.t][0]
        assert put.text.startswith(f"G{e.g} goes to P{e.p}'s runnext"), put.text
