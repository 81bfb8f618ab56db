"""The Playground: drive a Go runtime by hand and watch the scheduler decide.

    from gmplab.widgets import Playground
    pg = Playground(gomaxprocs=4, seed=0)
    pg                      # in Jupyter: the controls, the picture, the narrative, the inspector

Every control is also a method, so a test or a notebook can drive it without a browser:
``go(preset)``, ``block_in_syscall(m)``, ``syscall_returns(m)``, ``gosched(m)``,
``set_gomaxprocs(n)``, ``step()``, ``tick()`` (what Play does each frame), ``reset()``.
An action that makes no sense (block an M that runs nothing, ...) is explained in the
narrative, never raised.

The runtime is a ``Runtime(daemon=True)`` whose main goroutine waits forever for the
goroutines you start (``wg.Wait()`` that never returns, as a server's main might block), so it
never exits and never deadlocks; time
moves only on Step, Play and the actions' own effects, in small ``run_for`` slices.
The picture is drawn with matplotlib's Agg backend into one reused Figure and sent as PNG
bytes to an ``ipywidgets.Image``: it works in JupyterLab, Notebook 7, VS Code and Voilà
without extensions. Play is an ``ipywidgets.Play``: the browser ticks, the kernel runs each
frame in order on its main thread (no background thread touches the runtime).
"""
import html
import time
from io import BytesIO

import ipywidgets as W
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import Runtime
from ..rt import _check_int
from ..errors import Deadlock, RuntimeBug, ThreadExhaustion
from ..ops import duration
from ..viz import style
from ..viz.statefig import FONTSIZE, fmt_t, paint, snapshot
from .presets import PRESETS

SPEEDS = (("10µs per frame", 10_000), ("50µs per frame", 50_000),
          ("200µs per frame", 200_000), ("1ms per frame", 1_000_000),
          ("5ms per frame", 5_000_000))
DEFAULT_SPEED = 1_000_000
SYSCALL_FOREVER = "3600s"     # "block in syscall" lasts until "syscall returns" is clicked
STEP_LIMIT = 10_000_000       # Step looks at most 10ms ahead for the next decision
NARRATIVE_EVENTS = 14


_FONTS = {}


def _font(px, bold):
    """A Pillow font for ``px`` pixels: matplotlib's own DejaVu Sans, so it looks the same."""
    key = (round(px * 2) / 2, bool(bold))
    f = _FONTS.get(key)
    if f is None:
        from matplotlib import font_manager
        from PIL import ImageFont
        path = font_manager.findfont(font_manager.FontProperties(
            family=style.FONT, weight="bold" if bold else "normal"))
        f = _FONTS[key] = ImageFont.truetype(path, max(int(round(key[0])), 1))
    return f


def _draw_texts(im, ax, records, dpi):
    """Rasterise the labels recorded by paint(text_sink=...) onto the Pillow image ``im``.
    Pillow lays out a label in ~0.1 ms where a matplotlib Text takes ~2 ms: this is what
    keeps a click under 200 ms with a hundred goroutines on screen."""
    from PIL import ImageDraw
    if not records:
        return
    d = ImageDraw.Draw(im)
    height = im.height
    pts = ax.transData.transform([(r[0], r[1]) for r in records])
    for (x, y, s, fs, ha, va, color, weight), (px, py) in zip(records, pts):
        size = fs * dpi / 72.0
        font = _font(size, weight == "bold")
        lines = str(s).split("\n")
        lh = size * 1.17
        top = height - py - (lh * len(lines) / 2 if va == "center" else 0)
        anchor = {"center": "m", "left": "l", "right": "r"}.get(ha, "m") + "m"
        for i, line in enumerate(lines):
            d.text((px, top + lh * (i + 0.5)), line, font=font, fill=color, anchor=anchor)


def _png(fig, ax=None, texts=()):
    """PNG bytes of an Agg figure (labels in ``texts`` drawn by Pillow on top), quickly:
    low zlib effort, since the image is sent once and thrown away."""
    canvas = fig.canvas
    canvas.draw()
    from PIL import Image
    w, h = canvas.get_width_height()
    im = Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    im = im.convert("RGB")
    if texts:
        _draw_texts(im, ax, texts, fig.dpi)
    buf = BytesIO()
    im.save(buf, format="png", compress_level=1)
    return buf.getvalue()


_LEGEND_PNG = None


def legend_png(width_in=10.0, dpi=96):
    """The palette's legend as a small PNG (drawn once; the picture itself has none, to stay
    fast)."""
    global _LEGEND_PNG
    if _LEGEND_PNG is None:
        fig = Figure(figsize=(width_in, 0.95), dpi=dpi)
        FigureCanvasAgg(fig)
        fig.legend(handles=style.legend_handles(), loc="center", ncol=3, fontsize=9.5,
                   frameon=False, handlelength=1.4, columnspacing=1.0, labelspacing=0.35)
        _LEGEND_PNG = _png(fig)
    return _LEGEND_PNG


class Playground:
    """An ipywidgets UI over a daemon ``Runtime``: GOMAXPROCS slider, "go func()" with a
    preset body, "block in syscall" / "syscall returns" / "Gosched" for the G on a chosen M,
    Step / Play / Pause / Reset with a speed, a narrative of the latest decisions (their Go
    functions and explanations) and an inspector of g/m/p/schedt fields by their Go names.

    ``gomaxprocs``: 1..``max_procs``; ``seed``: the runtime's fastrand seed (steal order):
    the same clicks give the same run. ``figsize``/``dpi``: the picture's size."""

    def __init__(self, gomaxprocs=4, seed=0, *, max_procs=8, figsize=(10, 6.0), dpi=96,
                 fontsize=FONTSIZE):
        max_procs = _check_int(max_procs, "max_procs", 1, 64, "the slider's largest GOMAXPROCS")
        gomaxprocs = _check_int(gomaxprocs, "gomaxprocs", 1, max_procs,
                                f"the Playground's slider; max_procs={max_procs}")
        seed = _check_int(seed, "seed", 0, (1 << 32) - 1, "fastrand's uint32 seed")
        self.seed = seed
        self.fontsize = fontsize
        self.messages = []          # (kind, text): what the narrative pane says about actions
        self.latency_ms = []        # wall time of each refresh after an action (for benchmarks)
        self._seen = 0              # events already shown as "new"
        self._busy = False
        self._fig = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self._fig)
        self._ax = self._fig.add_axes((0.005, 0.005, 0.99, 0.99))
        self._build_ui(gomaxprocs, max_procs)
        self.reset(gomaxprocs)

    # --- the runtime ------------------------------------------------------------------------
    def _new_runtime(self, n):
        rt = Runtime(gomaxprocs=n, seed=self.seed, daemon=True)
        # let main park in its final wait() (a daemon runtime's main waits forever)
        for _ in range(64):
            if rt.g(1).status == "_Gwaiting":
                break
            rt.step()
        return rt

    @property
    def rt(self):
        """The Runtime the Playground drives."""
        return self._rt

    # --- actions (the buttons call these) -----------------------------------------------------
    def reset(self, gomaxprocs=None):
        """A fresh runtime (same seed), paused; GOMAXPROCS from the slider unless given."""
        self.pause()
        n = int(gomaxprocs or self.procs.value)
        self._rt = self._new_runtime(n)
        self._seen = 0
        self.messages = []
        self._m_chosen = False
        self._syncing = True
        try:
            self.procs.value = n
        finally:
            self._syncing = False
        self._say("info", f"A new runtime: GOMAXPROCS={n}, seed={self.seed}. main (G1) started "
                          "sysmon and now blocks on &lt;-done forever, so the program never exits. "
                          "Start goroutines with “go func()”.")
        self.refresh()
        return self

    def go(self, preset=None):
        """``go func(){...}()`` with a preset body (default: the dropdown's); returns the new
        goids (a channel pair starts two), or [] if the runtime cannot start one."""
        preset = preset or self.preset.value
        if preset not in PRESETS:
            self._say("warn", f"Unknown preset {preset!r}; choose one of: {', '.join(PRESETS)}.")
            return []
        if not self._usable():
            return []
        make, snippet, what = PRESETS[preset]
        goids = []
        for body in make(self._rt):
            goids.append(self._rt.go(*body))
        gs = ", ".join(f"G{g}" for g in goids)
        self._say("action", f"go func() [{preset}] → {gs}. <code>{html.escape(snippet)}</code> "
                            f"— it {what}. main is parked, so this G comes in from outside "
                            "the program, like a G the netpoller readies: injectglist puts it on "
                            "the global queue and starts an M for an idle P (startm). A go "
                            "statement in a running G is newproc instead: runnext of its own P "
                            "(try the spawner).")
        return goids

    def _m_problem(self, m, want):
        """Why M ``m`` can't do ``want`` ("run" or "syscall"), or None if it can."""
        rt = self._rt
        if m is None:
            return "Choose an M first."
        if not 0 <= m < rt.sched.mnext:
            return f"There is no M{m}."
        mv = rt.m(m)
        st = mv.state
        if want == "run":
            if st == "running" and mv.curg is not None:
                return None
            if st == "sysmon":
                return (f"M{m} is sysmon: it runs without a P and never runs goroutines, so "
                        "there is nothing to block or yield on it.")
            if st == "idle":
                return (f"M{m} is idle (parked in stopm on sched.midle): it runs no goroutine. "
                        "Pick an M that is running a G.")
            if st in ("syscall", "exitsyscall"):
                return (f"M{m} is already blocked in a syscall (G{mv.curg}); click “syscall "
                        "returns” to end it.")
            if mv.p is None and mv.nextp is not None:
                return (f"M{m} is starting: startm woke it with P{mv.nextp} as its nextp, and "
                        "it runs no G until acquirep and schedule(). Step once and try again.")
            if st in ("spinning", "scheduling"):
                return (f"M{m} is looking for work (in schedule()/findRunnable): it runs no "
                        "G right now. Step once and try again.")
            if st == "netpoll":
                return (f"M{m} is blocked in netpoll waiting for network or timer events; it "
                        "runs no G.")
            if st == "lockedwait":
                return (f"M{m} is asleep in stoplockedm until its locked G{mv.lockedg} can run; "
                        "it runs no G.")
            if st == "dead":
                return f"M{m} has exited (mexit)."
            return f"M{m} is {st} and runs no goroutine."
        if st in ("syscall",):
            return None
        if st == "exitsyscall":
            return f"M{m}'s syscall is already returning (exitsyscall)."
        return f"M{m} is not in a syscall (it is {style.M_WORDS.get(st, st)})."

    def _on_m(self, m, need, call):
        """Run ``call(m)`` (a Runtime action on M ``m``) unless it makes no sense; explain why
        in the narrative instead. Returns (m, curg, p, oldp) as they were before, or None."""
        m = self.mpick.value if m is None else m
        if not self._usable():
            return None
        why = self._m_problem(m, need)
        if why:
            self._say("warn", why)
            return None
        mv = self._rt.m(m)
        before = (m, mv.curg, mv.p, mv.oldp)
        try:
            call(m)
        except ValueError as e:
            self._say("warn", str(e))
            return None
        return before

    def block_in_syscall(self, m=None):
        """The G running on M ``m`` (default: the dropdown's) enters a blocking syscall that
        lasts until ``syscall_returns(m)``. Returns True if it did."""
        done = self._on_m(m, "run", lambda m: self._rt.entersyscall(m, SYSCALL_FOREVER))
        if done is None:
            return False
        m, g, p, _ = done
        self._select_m(m)
        self._say("action", f"G{g} on M{m} makes a blocking syscall (until “syscall returns”). "
                            f"entersyscall: G{g} → _Gsyscall, P{p} → _Psyscall, M{m} keeps it as "
                            "oldp but does not own it. The P is not handed off yet: sysmon's "
                            "retake does that after it saw the same syscall for a whole tick "
                            "(≥20µs) if the P has work or nobody else can cover → handoffp → "
                            "startm. Step or Play to watch.")
        return True

    def syscall_returns(self, m=None):
        """The syscall of M ``m`` returns now (exitsyscall). Returns True if it did."""
        done = self._on_m(m, "syscall", self._rt.exitsyscall)
        if done is None:
            return False
        m, g, _, oldp = done
        pstat = self._rt.p(oldp).status if oldp is not None and oldp < self._rt.gomaxprocs() \
            else None
        hint = (f"its old P{oldp} is still in _Psyscall, so the fast path can take it back"
                if pstat == "_Psyscall" else
                "its old P was retaken, so it needs an idle P — or G goes to the global queue "
                "and the M stops (exitsyscall0)")
        self._say("action", f"M{m}'s syscall returns: G{g} calls exitsyscall; {hint}. The "
                            "decision is made at the next step.")
        return True

    def gosched(self, m=None):
        """The G running on M ``m`` calls runtime.Gosched(): it goes to the global queue."""
        done = self._on_m(m, "run", self._rt.gosched)
        if done is None:
            return False
        m, g, _, _ = done
        self._say("action", f"G{g} on M{m} calls runtime.Gosched(): goschedImpl puts it on the "
                            f"global queue (not its local runq) and M{m} schedules again.")
        return True

    def set_gomaxprocs(self, n):
        """runtime.GOMAXPROCS(n): procresize under stop-the-world."""
        if not self._usable():
            return False
        old = self._rt.gomaxprocs()
        n = int(n)
        if n == old:
            return False
        self._rt.gomaxprocs(n)
        if n < old:
            ps = f"P{n}" if old - n == 1 else f"P{n}..P{old - 1}"
            what = (f"{ps} {'is' if old - n == 1 else 'are'} destroyed (_Pdead): runnext and "
                    "local runq go to the head of the global queue")
        else:
            ps = f"P{old}" if n - old == 1 else f"P{old}..P{n - 1}"
            what = (f"{ps} {'is' if n - old == 1 else 'are'} created idle; wakep may start an "
                    "M for work waiting in the global queue")
        self._say("action", f"runtime.GOMAXPROCS({n}) (was {old}): procresize under "
                            f"stop-the-world; {what}.")
        self._syncing = True
        try:
            self.procs.value = n
        finally:
            self._syncing = False
        return True

    def step(self):
        """Advance to the next scheduler decision (looking at most 10ms ahead)."""
        if not self._usable():
            return []
        rt = self._rt
        n0 = len(rt.events)
        t0 = rt.now
        _bounded_step(rt, rt.now + STEP_LIMIT)
        new = rt.events[n0:]
        if not new:
            self._say("info", f"Nothing was decided in the next {fmt_t(STEP_LIMIT)} "
                              f"(t={fmt_t(t0)} → {fmt_t(rt.now)}): every M is busy, blocked "
                              "or parked and no timer is due.")
        return new

    def run_for(self, d):
        """Run the runtime for ``d`` of virtual time (ns or a string like "2ms")."""
        if not self._usable():
            return self
        self._rt.run_for(duration(d, "run_for duration"))
        return self

    def tick(self):
        """One Play frame: run for the speed's slice of virtual time."""
        if self._usable(quiet=self.playing):
            self._rt.run_for(int(self.speed.value))
        elif self.playing:
            self.pause()

    @property
    def playing(self):
        return bool(self.play.playing)

    def play_(self):
        """Start playing (the Play button)."""
        self.play.playing = True

    def pause(self):
        """Stop playing (the Pause button)."""
        if hasattr(self, "play"):
            self.play.playing = False

    def _usable(self, quiet=False):
        if self._rt.finished:
            if not quiet:
                self._say("warn", f"The runtime has finished ({self._rt.finished}); click "
                                  "Reset for a new one.")
            return False
        return True

    # --- narrative ------------------------------------------------------------------------------
    def _say(self, kind, text):
        self.messages.append((kind, text))
        del self.messages[:-6]

    def narrative_text(self):
        """The narrative pane as plain text (for tests and notebooks)."""
        import re
        return re.sub(r"<[^>]+>", "", html.unescape(self.narrative.value))

    def _narrative_html(self):
        rt = self._rt
        ev = rt.events
        n = len(ev)
        lo = max(n - NARRATIVE_EVENTS, 0)
        rows = []
        for i in range(n - 1, lo - 1, -1):          # newest first
            e = ev[i]
            new = i >= self._seen
            style_ = "background:#FFF6D5;" if new else "color:#555;"
            rows.append(f"<tr style='{style_}'><td style='white-space:nowrap;padding-right:6px;"
                        f"vertical-align:top'>{fmt_t(e.t)}</td><td style='vertical-align:top;"
                        f"padding-right:6px'><code>{html.escape(e.fn)}</code></td>"
                        f"<td>{html.escape(e.text)}</td></tr>")
        self._seen = n
        colours = {"action": "#0072B2", "warn": "#D55E00", "info": "#333333"}
        msgs = []
        if self.messages:
            kind, text = self.messages[-1]
            msgs.append(f"<div style='color:{colours[kind]};margin-bottom:4px'>"
                        f"{'⚠ ' if kind == 'warn' else ''}{text}</div>")
        return ("<div style='font-size:12px;line-height:1.3'>"
                f"<b>What just happened</b> (t = {fmt_t(rt.now)})<br>{''.join(msgs)}"
                "<div style='color:#777;font-size:10px;margin:2px 0'>Latest decisions, newest "
                "first (highlighted: new since your last click); the middle column is the Go "
                "function in proc.go that decided.</div>"
                "<table style='border-collapse:collapse;font-size:11px'>"
                f"{''.join(rows)}</table></div>")

    # --- inspector ------------------------------------------------------------------------------
    def inspect(self, what=None):
        """The fields of a G ("G5"), M ("M2"), P ("P0") or "sched", by their Go names."""
        what = what or self.inspect_pick.value or "sched"
        rt = self._rt
        kind, num = what[0], what[1:]
        try:
            if what == "sched":
                return rt.sched.as_dict()
            if kind == "G":
                return rt.g(int(num)).as_dict()
            if kind == "M":
                return rt.m(int(num)).as_dict()
            if kind == "P":
                return rt.p(int(num)).as_dict()
        except (ValueError, TypeError) as e:
            return {"error": str(e)}
        return {"error": f"nothing called {what!r}"}

    def _inspector_html(self):
        d = self.inspect()
        rows = []
        for k, v in d.items():
            if isinstance(v, list) and len(v) > 12:
                v = f"{v[:12]} … ({len(v)} in all)"
            rows.append(f"<tr><td style='padding-right:8px'><code>{html.escape(str(k))}</code>"
                        f"</td><td>{html.escape(str(v))}</td></tr>")
        return ("<table style='font-size:11px;border-collapse:collapse'>" + "".join(rows) +
                "</table>")

    def _inspect_options(self):
        rt = self._rt
        opts = ["sched"] + [f"P{i}" for i in range(rt.gomaxprocs())]
        opts += [f"M{m.id}" for m in rt.allm if m.state != "dead"]
        opts += [f"G{g}" for g in rt.goids()]
        return opts

    # --- the picture ----------------------------------------------------------------------------
    def render(self):
        """Draw the current state; return the PNG bytes."""
        ax = self._ax
        for a in [*ax.patches, *ax.texts, *ax.lines, *ax.artists]:
            a.remove()
        texts = []
        paint(ax, snapshot(self._rt), legend=False, text_sink=texts, fontsize=self.fontsize)
        return _png(self._fig, ax, texts)

    def refresh(self):
        """Bring every widget up to date with the runtime (after any action)."""
        t0 = time.perf_counter()
        rt = self._rt
        self._syncing = True
        try:
            # M choices, keeping the selection if that M still exists
            ms = [m for m in rt.allm if m.state != "dead"]
            opts = [(self._m_label(m), m.id) for m in ms]
            keep = self.mpick.value
            if opts != list(zip(self.mpick.options_labels, self.mpick.options_values)):
                self.mpick.options = opts
                self.mpick.options_labels = [o[0] for o in opts]
                self.mpick.options_values = [o[1] for o in opts]
            ids = [m.id for m in ms]
            running = [m.id for m in ms if m.state == "running" and m.curg is not None]
            if keep in ids and keep is not None and (self._m_chosen or keep in running):
                self.mpick.value = keep
            elif running:
                self.mpick.value = running[0]
            elif ids:
                self.mpick.value = ids[0]
            # inspector choices
            iopts = self._inspect_options()
            cur = self.inspect_pick.value
            if list(self.inspect_pick.options) != iopts:
                self.inspect_pick.options = iopts
            self.inspect_pick.value = cur if cur in iopts else "sched"
        finally:
            self._syncing = False
        self.inspector.value = self._inspector_html()
        self.narrative.value = self._narrative_html()
        self.image.value = self.render()
        ms_ = (time.perf_counter() - t0) * 1000
        self.latency_ms.append(ms_)
        del self.latency_ms[:-200]
        return ms_

    @staticmethod
    def _m_label(m):
        st = m.state
        if st == "running" and m.curg is not None:
            return f"M{m.id} · running G{m.curg} on P{m.p}"
        if st in ("syscall", "exitsyscall"):
            return f"M{m.id} · in syscall (G{m.curg})"
        if m.p is None and m.nextp is not None:
            return f"M{m.id} · starting, acquirep(P{m.nextp}) next"
        return f"M{m.id} · {style.M_WORDS.get(st, st)}"

    # --- widgets ------------------------------------------------------------------------------
    def _build_ui(self, n, max_procs):
        self._syncing = False
        lay = W.Layout
        self.procs = W.IntSlider(value=n, min=1, max=max_procs, description="GOMAXPROCS",
                                 continuous_update=False, style={"description_width": "initial"},
                                 layout=lay(width="260px"))
        self.preset = W.Dropdown(options=list(PRESETS), value="CPU-bound", description="body",
                                 layout=lay(width="230px"), style={"description_width": "40px"})
        self.go_button = W.Button(description="go func()", button_style="primary",
                                  tooltip="go func(){ body }(): start a goroutine",
                                  layout=lay(width="110px"))
        self.mpick = W.Dropdown(options=[], description="M", layout=lay(width="260px"),
                                style={"description_width": "20px"})
        self.mpick.options_labels, self.mpick.options_values = [], []
        self.block_button = W.Button(description="block in syscall", button_style="warning",
                                     tooltip="the G on this M enters a blocking syscall",
                                     layout=lay(width="140px"))
        self.return_button = W.Button(description="syscall returns",
                                      tooltip="this M's syscall returns (exitsyscall)",
                                      layout=lay(width="130px"))
        self.gosched_button = W.Button(description="Gosched",
                                       tooltip="the G on this M calls runtime.Gosched()",
                                       layout=lay(width="90px"))
        self.step_button = W.Button(description="Step", tooltip="advance to the next decision",
                                    icon="step-forward", layout=lay(width="80px"))
        self.play = W.Play(value=0, min=0, max=10 ** 9, step=1, interval=350, show_repeat=False,
                           description="Play", tooltip="Play / Pause / Stop",
                           layout=lay(width="180px"))
        self.speed = W.Dropdown(options=SPEEDS, value=DEFAULT_SPEED, description="speed",
                                layout=lay(width="200px"), style={"description_width": "45px"})
        self.reset_button = W.Button(description="Reset", icon="refresh",
                                     tooltip="a fresh runtime with the same seed",
                                     layout=lay(width="90px"))
        # shown at the PNG's own size where the output area is that wide (text >= 12 px)
        px = f"{round(self._fig.get_figwidth() * self._fig.dpi)}px"
        self.image = W.Image(format="png", layout=lay(width=px, max_width="100%"))
        self.legend = W.Image(value=legend_png(), format="png",
                              layout=lay(width=px, max_width="100%"))
        self.narrative = W.HTML(layout=lay(width="480px", height="300px", overflow="auto",
                                           border="1px solid #ddd", padding="4px",
                                           margin="0 8px 0 0"))
        self.inspect_pick = W.Dropdown(options=["sched"], value="sched", description="inspect",
                                       layout=lay(width="200px"),
                                       style={"description_width": "50px"})
        self.inspector = W.HTML(layout=lay(width="310px", height="266px", overflow="auto",
                                           border="1px solid #ddd", padding="4px"))

        self.go_button.on_click(self._handler(lambda: self.go()))
        self.block_button.on_click(self._handler(lambda: self.block_in_syscall()))
        self.return_button.on_click(self._handler(lambda: self.syscall_returns()))
        self.gosched_button.on_click(self._handler(lambda: self.gosched()))
        self.step_button.on_click(self._handler(lambda: self.step()))
        self.reset_button.on_click(self._handler(lambda: self.reset()))
        self.procs.observe(self._on_procs, names="value")
        self.play.observe(self._on_play, names="value")
        self.inspect_pick.observe(self._on_inspect, names="value")
        self.mpick.observe(self._on_mpick, names="value")

        row1 = W.HBox([self.procs, self.preset, self.go_button])
        row2 = W.HBox([self.mpick, self.block_button, self.return_button, self.gosched_button])
        row3 = W.HBox([self.step_button, self.play, self.speed, self.reset_button])
        below = W.HBox([self.narrative, W.VBox([self.inspect_pick, self.inspector])],
                       layout=lay(flex_flow="row wrap"))
        self.widget = W.VBox([row1, row2, row3, self.image, self.legend, below])

    def _handler(self, action):
        def run(_=None):
            self._act(action)
        return run

    def _act(self, action):
        """Run one action, then refresh; any error becomes a narrative message."""
        try:
            action()
        except (Deadlock, ThreadExhaustion) as e:
            self.pause()
            self._say("warn", f"{e} — the runtime stopped as Go would. Click Reset.")
        except RuntimeBug as e:
            self.pause()
            self._say("warn", f"gmplab's core reached an impossible state (a bug, please report "
                              f"it): {e}")
        except Exception as e:    # noqa: BLE001 - the Playground never crashes on a click
            self._say("warn", f"{type(e).__name__}: {e}")
        try:
            return self.refresh()
        except Exception as e:    # noqa: BLE001
            self._say("warn", f"could not redraw: {type(e).__name__}: {e}")
            self.narrative.value = self._narrative_html()
            return None

    def _on_procs(self, change):
        if self._syncing:
            return
        self._act(lambda: self.set_gomaxprocs(change["new"]))

    def _on_play(self, change):
        if change["new"] <= change["old"]:       # the stop button rewinds: not a frame
            return
        if self._busy:
            return
        self._busy = True
        try:
            self._act(self.tick)
        finally:
            self._busy = False

    def _select_m(self, m):
        """Keep M ``m`` selected from now on (so "syscall returns" applies to it)."""
        self._m_chosen = True
        if m in (self.mpick.options_values or []):
            self._syncing = True
            try:
                self.mpick.value = m
            finally:
                self._syncing = False

    def _on_mpick(self, change):
        # a choice made by the learner sticks; until then the first running M is offered
        if not self._syncing:
            self._m_chosen = change["new"] is not None

    def _on_inspect(self, change):
        if self._syncing:
            return
        self.inspector.value = self._inspector_html()

    def _repr_mimebundle_(self, **kw):
        return self.widget._repr_mimebundle_(**kw)

    def __repr__(self):
        return f"<Playground {self._rt!r}>"


def _bounded_step(rt, limit):
    """Run ``rt`` until its next logged decision, but not past virtual time ``limit``
    (Runtime.step alone can jump a minute ahead when everything is idle: sysmon's deep
    sleep; the Playground's Step must not)."""
    if rt.now < limit:
        rt.step(until=limit)