"""Seeded random goroutine programs for the real-thread stress (tests/parallel/test_stress.py,
benchmarks/stress_parallel.py).

A program is plain data (:class:`Prog`), built onto a runtime with :meth:`Prog.build`, so that
the same program runs on the virtual clock (``gmplab.Runtime``) and on real threads
(``gmplab.ParallelRuntime``) and the two verdicts can be compared.

Every op kind appears: CPU work, buffered and unbuffered channels, syscalls, sleeps, network
reads, Gosched, nested ``go`` + ``wait``, LockOSThread sections (some never unlocked: the G
exits locked and takes its thread, or wedges m0), loops. Each channel has exactly one sending
and one receiving goroutine, each goroutine's body is a fixed sequence, and a parent's wait()
waits for all its children: every action that can happen stays possible until it happens, so
every interleaving of the same program ends the same way — it finishes, or it deadlocks with
the same goroutines asleep. That is what lets one virtual-clock run give the verdict that
every real-thread run must reproduce. ``balanced`` programs pair every send with a receive
(they finish); the others are built to deadlock (a receive or a send too many, or two
goroutines that wait for each other).
"""
import random
import threading
import time
from dataclasses import dataclass, field

import numpy as np

import gmplab
from gmplab import ops
from gmplab.runtime import layout as L

US = 1000


@dataclass
class Prog:
    """A random program: channel capacities, main's body and main's children (op trees of
    tuples: ("work", ns), ("syscall", ns), ("sleep", ns), ("netread", ns), ("gosched",),
    ("lock",), ("unlock",), ("send", c), ("recv", c), ("go", body), ("wait",),
    ("loop", n, body))."""
    seed: int
    balanced: bool
    chans: list = field(default_factory=list)
    main: list = field(default_factory=list)
    gos: list = field(default_factory=list)

    def build(self, rt):
        """Put the program on ``rt`` (before it runs); returns rt."""
        cs = [rt.chan(c) for c in self.chans]
        for body in self.gos:
            rt.go(*_ops(body, cs))
        if self.main:
            rt.main(*_ops(self.main, cs))
        return rt

    def source(self):
        """The program as Python (the way the issue writes reproducers)."""
        lines = [f"c{i} = rt.chan({c})" for i, c in enumerate(self.chans)]
        lines += [f"rt.go({_src(b)})" for b in self.gos]
        if self.main:
            lines.append(f"rt.main({_src(self.main)})")
        return "\n".join(lines)


def _ops(body, cs):
    out = []
    for op in body:
        k = op[0]
        if k in ("work", "syscall", "sleep", "netread"):
            out.append(getattr(ops, k)(op[1]))
        elif k == "gosched":
            out.append(ops.gosched())
        elif k == "lock":
            out.append(ops.lock_os_thread())
        elif k == "unlock":
            out.append(ops.unlock_os_thread())
        elif k == "send":
            out.append(ops.send(cs[op[1]]))
        elif k == "recv":
            out.append(ops.recv(cs[op[1]]))
        elif k == "go":
            out.append(ops.go(*_ops(op[1], cs)))
        elif k == "wait":
            out.append(ops.wait())
        elif k == "loop":
            out.append(ops.loop(op[1], *_ops(op[2], cs)))
        else:
            raise ValueError(f"unknown op {op!r}")
    return out


def _src(body):
    parts = []
    for op in body:
        k = op[0]
        if k in ("work", "syscall", "sleep", "netread"):
            parts.append(f"{k}({op[1]})")
        elif k in ("gosched", "wait"):
            parts.append(f"{k}()")
        elif k == "lock":
            parts.append("lock_os_thread()")
        elif k == "unlock":
            parts.append("unlock_os_thread()")
        elif k in ("send", "recv"):
            parts.append(f"{k}(c{op[1]})")
        elif k == "go":
            parts.append(f"go({_src(op[1])})")
        elif k == "loop":
            parts.append(f"loop({op[1]}, {_src(op[2])})")
    return ", ".join(parts)


class _Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.goroutines = 0

    def timed(self):
        r = self.r
        k = r.choice(("work", "work", "syscall", "sleep", "netread"))
        return (k, r.choice((1, 5, 20, 60, 150, 300)) * US)

    def plain(self, depth, budget):
        """A body without channel ops (it may run many times: inside loops)."""
        r = self.r
        body = []
        for _ in range(r.randint(1, 4)):
            x = r.random()
            if x < 0.45:
                body.append(self.timed())
            elif x < 0.55:
                body.append(("gosched",))
            elif x < 0.7 and depth < 3 and self.goroutines < budget:
                n = r.choice((1, 1, 2, 3))
                self.goroutines += n
                child = self.plain(depth + 1, budget)
                go = ("go", child)
                body.append(go if n == 1 else ("loop", n, [go]))
                if r.random() < 0.8:
                    body.append(("wait",))
            elif x < 0.85:
                inner = self.plain(depth + 1, budget) if depth < 3 else [self.timed()]
                end = [("unlock",)] if r.random() < 0.85 else []  # else: exits locked
                body.extend([("lock",)] + inner + end)
            elif depth < 3:
                body.append(("loop", r.randint(2, 4), self.plain(depth + 1, budget)))
        return body

    def with_chan_ops(self, c, kind, n):
        """A body doing ``n`` ``kind`` ops on channel c, with plain ops in between (some of
        them in loops: loop(k, kind) counts k)."""
        r = self.r
        body = []
        left = n
        while left > 0:
            if r.random() < 0.4:
                body.extend(self.plain(2, self.goroutines + 2))
            k = min(left, r.choice((1, 1, 2, 3)))
            body.append((kind, c) if k == 1 else ("loop", k, [(kind, c)]))
            left -= k
        if r.random() < 0.5:
            body.extend(self.plain(2, self.goroutines + 2))
        if r.random() < 0.3:
            body = [("lock",)] + body + [("unlock",)]
        return body


MAX_GOROUTINES = 150


def ngoroutines(body):
    """How many goroutines running ``body`` starts, counting loops."""
    n = 0
    for op in body:
        if op[0] == "go":
            n += 1 + ngoroutines(op[1])
        elif op[0] == "loop":
            n += op[1] * ngoroutines(op[2])
    return n


def generate(seed, balanced=None):
    """The random program of ``seed``: main starts some goroutines, pairs of which talk over a
    channel each; if ``balanced`` is None the seed decides (two in three are balanced). At most
    MAX_GOROUTINES goroutines in all."""
    r = random.Random(seed)
    while True:
        p = _generate(seed, r.getrandbits(64), balanced)
        total = len(p.gos) + ngoroutines(p.main) + sum(ngoroutines(b) for b in p.gos)
        if total <= MAX_GOROUTINES:
            return p


def _generate(seed, sub, balanced):
    g = _Gen(sub)
    r = g.r
    if balanced is None:
        balanced = r.random() < 0.67
    p = Prog(seed=seed, balanced=balanced)
    budget = 40
    for c in range(r.randint(0, 3)):
        p.chans.append(r.choice((0, 0, 1, 2)))
        n = r.randint(1, 6)
        p.gos.append(g.with_chan_ops(c, "send", n))
        p.gos.append(g.with_chan_ops(c, "recv", n))
    for _ in range(r.randint(1, 3)):
        g.goroutines += 1
        p.gos.append(g.plain(1, budget))
    if not balanced:
        how = r.choice(("extra_recv", "extra_send", "cycle", "orphan"))
        if how in ("extra_recv", "extra_send") and p.chans:
            c = r.randrange(len(p.chans))
            i = 2 * c + (1 if how == "extra_recv" else 0)
            extra = p.chans[c] + 1 if how == "extra_send" else 1  # past the buffer
            p.gos[i] = p.gos[i] + [("send" if how == "extra_send" else "recv", c)] * extra
        elif how == "cycle":
            a, b = len(p.chans), len(p.chans) + 1
            p.chans += [0, 0]
            p.gos.append(g.plain(2, budget) + [("recv", a), ("send", b)])
            p.gos.append(g.plain(2, budget) + [("recv", b), ("send", a)])
        else:
            c = len(p.chans)
            p.chans.append(r.choice((0, 1)))
            p.gos.append(g.plain(2, budget) + [("recv", c)])
    r.shuffle(p.gos)
    if r.random() < 0.5:
        p.main = g.plain(1, budget)
    p.gos = [_waits(b, True) for b in p.gos]
    p.main = _waits(p.main, False)  # (main's own final wait() is built in)
    return p


def _waits(body, final):
    """Every goroutine body that starts goroutines ends with wait() (``final``), so the
    program's goroutines all exit before main returns (main waits for its children): a
    finished run has made and ended the same goroutines as any other run of it."""
    out = []
    for op in body:
        if op[0] == "go":
            out.append(("go", _waits(op[1], True)))
        elif op[0] == "loop":
            out.append(("loop", op[1], _waits(op[2], False)))
        else:
            out.append(op)
    if final and ngoroutines(out) and out[-1] != ("wait",):
        out.append(("wait",))
    return out


# --- running a program on both runtimes and comparing -------------------------------------

@dataclass
class Outcome:
    """How a run ended: ``verdict`` ("main returned", Go's deadlock line, "timeout", ...),
    per-goid counts of newproc and goexit0, the wall time and the gmplab threads left."""
    verdict: str
    created: np.ndarray
    exited: np.ndarray
    seconds: float = 0.0
    threads_left: tuple = ()


def _counts(rt):
    a = rt.events.array()
    made = np.bincount(a[a[:, L.L_fn] == L.FN["newproc"], L.L_g], minlength=1)
    done = np.bincount(a[a[:, L.L_fn] == L.FN["goexit0"], L.L_g], minlength=len(made))
    return made, done


def _verdict(rt, run):
    try:
        run()
        return "main returned"
    except gmplab.RunTimeout:
        return "timeout"
    except gmplab.GoFatal as e:
        return f"{type(e).__name__}: {str(e).splitlines()[0]}"


def run_virtual(prog, procs, seed=0):
    """The program on the virtual clock: the verdict every real-thread run must give."""
    rt = prog.build(gmplab.Runtime(gomaxprocs=procs, seed=seed, log=["newproc", "goexit0"]))
    v = _verdict(rt, rt.run)
    return Outcome(v, *_counts(rt))


def run_threads(prog, procs, seed=0, timeout=20):
    """The program on real threads (``timeout`` seconds at most)."""
    rt = gmplab.ParallelRuntime(gomaxprocs=procs, seed=seed, log=["newproc", "goexit0"],
                                log_cap=4 * MAX_GOROUTINES + 64)
    prog.build(rt)
    t = time.monotonic()
    v = _verdict(rt, lambda: rt.run(timeout=timeout))
    dt = time.monotonic() - t
    left = tuple(th.name for th in threading.enumerate() if th.name.startswith("gmplab"))
    return Outcome(v, *_counts(rt), seconds=dt, threads_left=left)


def compare(prog, procs, seed=0, timeout=20):
    """Run ``prog`` on both runtimes. Returns (what the real-thread run got wrong, its
    Outcome); nothing is wrong if it ended with the virtual clock's verdict, every goroutine
    created once and exited at most once, as many of them made and ended as on the virtual
    clock, and no thread left behind."""
    want = run_virtual(prog, procs, seed)
    got = run_threads(prog, procs, seed, timeout)
    bad = []
    if got.verdict != want.verdict:
        bad.append(f"verdict {got.verdict!r} (virtual clock: {want.verdict!r}) "
                   f"after {got.seconds:.2f}s")
    if (got.created > 1).any():
        bad.append(f"goids created twice: {np.nonzero(got.created > 1)[0][:10].tolist()}")
    k = max(len(got.created), len(got.exited))
    made = np.pad(got.created, (0, k - len(got.created)))
    done = np.pad(got.exited, (0, k - len(got.exited)))
    if (done > made).any():
        bad.append(f"goids exited twice or never made: {np.nonzero(done > made)[0][:10].tolist()}")
    if (int(made.sum()), int(done.sum())) != (int(want.created.sum()), int(want.exited.sum())):
        bad.append(f"{int(made.sum())} goroutines made, {int(done.sum())} exited; virtual "
                   f"clock: {int(want.created.sum())}, {int(want.exited.sum())}")
    if got.threads_left:
        bad.append(f"threads left: {got.threads_left}")
    return bad, got
