"""A problem's program: one description, shown twice (Go and gmplab) and run once per question.

A :class:`Program` is GOMAXPROCS, the Runtime's seed, the channels and main's body: a tuple of
steps. Only main starts goroutines (``go`` steps, possibly inside a ``loop``), so the k-th
``newproc`` by main is the k-th ``go`` statement main executes — that is how the goids in both
listings are read from a run of the runtime (:func:`goids`), never guessed.

Steps (tuples, so a Program is hashable and prints the same in every process)::

    ("work", ns)  ("syscall", ns)  ("sleep", ns)  ("gosched",)  ("send", ch)  ("recv", ch)
    ("go", body)  ("loop", n, body)
"""
from dataclasses import dataclass

from .. import ops as _ops
from ..ops import fmt_ns
from ..rt import Runtime


def work(ns):
    return ("work", ns)


def syscall(ns):
    return ("syscall", ns)


def sleep(ns):
    return ("sleep", ns)


def gosched():
    return ("gosched",)


def send(ch):
    return ("send", ch)


def recv(ch):
    return ("recv", ch)


def go(*body):
    return ("go", tuple(body))


def loop(n, *body):
    return ("loop", n, tuple(body))


@dataclass(frozen=True)
class Program:
    """What a problem runs: ``Runtime(gomaxprocs, seed, schedtrace)``, ``rt.chan(cap)`` for
    each of ``chans``, and ``rt.main(*main)`` (main then waits for its goroutines)."""
    gomaxprocs: int
    main: tuple
    chans: tuple = ()
    seed: int = 0
    schedtrace: int = 0          # ns; GODEBUG=schedtrace=<ms>

    def runtime(self):
        """A fresh Runtime holding this program, not started."""
        rt = Runtime(gomaxprocs=self.gomaxprocs, seed=self.seed,
                     schedtrace=self.schedtrace or 0)
        chans = [rt.chan(c) for c in self.chans]
        rt.main(*[_op(s, chans) for s in self.main])
        return rt

    def go_statements(self):
        """How many goroutines main starts (loops expanded)."""
        return sum(_count_go(s) for s in self.main)


def _op(s, chans):
    k = s[0]
    if k == "go":
        return _ops.go(*[_op(x, chans) for x in s[1]])
    if k == "loop":
        return _ops.loop(s[1], *[_op(x, chans) for x in s[2]])
    if k in ("send", "recv"):
        return getattr(_ops, k)(chans[s[1]])
    if k == "gosched":
        return _ops.gosched()
    return getattr(_ops, k)(s[1])


def _count_go(s):
    if s[0] == "go":
        return 1
    if s[0] == "loop":
        return s[1] * sum(_count_go(x) for x in s[2])
    return 0


def goids(prog, rt):
    """The goids main's ``go`` statements made, read from ``rt``'s event log (newproc by G1),
    as a dict: index path of the step in ``prog.main`` → list of goids (one per execution)."""
    made = [e.g for e in rt.events.where(fn="newproc") if e.a == 1]
    out, it = {}, iter(made)

    def walk(body, path, times):
        for _ in range(times):
            for i, s in enumerate(body):
                if s[0] == "go":
                    g = next(it, None)
                    if g is not None:
                        out.setdefault(path + (i,), []).append(g)
                elif s[0] == "loop":
                    walk(s[2], path + (i,), s[1])
    walk(prog.main, (), 1)
    return out


def _label(goids_of, path):
    """"G2" or "G2..G301" for the go step at ``path`` (loops: every go inside it)."""
    gs = sorted(g for p, v in goids_of.items() if p[:len(path)] == path for g in v)
    if not gs:
        return ""
    if len(gs) == 1:
        return f"G{gs[0]}"
    if gs == list(range(gs[0], gs[-1] + 1)):
        return f"G{gs[0]}..G{gs[-1]}"
    return " ".join(f"G{g}" for g in gs)


# --- gmplab (Python) listing ------------------------------------------------------------------

def _py(s):
    k = s[0]
    if k == "go":
        return f"go({', '.join(_py(x) for x in s[1])})"
    if k == "loop":
        return f"loop({s[1]}, {', '.join(_py(x) for x in s[2])})"
    if k in ("send", "recv"):
        return f"{k}(ch{s[1]})"
    if k == "gosched":
        return "gosched()"
    return f"{k}({fmt_ns(s[1])!r})"


def _names(prog):
    names = set()

    def walk(body):
        for s in body:
            names.add(s[0])
            if s[0] == "go":
                walk(s[1])
            elif s[0] == "loop":
                walk(s[2])
    walk(prog.main)
    return [n for n in ("go", "loop", "work", "syscall", "sleep", "gosched", "send", "recv")
            if n in names]


def python_source(prog, goids_of, run):
    """The gmplab program, runnable as it is printed; ``run`` is its last line(s)."""
    kw = [f"gomaxprocs={prog.gomaxprocs}", f"seed={prog.seed}"]
    if prog.schedtrace:
        kw.append(f"schedtrace={fmt_ns(prog.schedtrace)!r}")
    lines = ["import gmplab",
             f"from gmplab.ops import {', '.join(_names(prog))}",
             "",
             f"rt = gmplab.Runtime({', '.join(kw)})"]
    for i, c in enumerate(prog.chans):
        lines.append(f"ch{i} = rt.chan({c})")
    lines.append("rt.main(")
    rows = [(f"    {_py(s)},", _label(goids_of, (i,)) if s[0] in ("go", "loop") else "")
            for i, s in enumerate(prog.main)]
    width = max(len(r) for r, _ in rows)
    for r, lab in rows:
        lines.append(f"{r:<{width}}  # {lab}" if lab else r)
    lines.append(")")
    lines.extend(run.splitlines())
    return "\n".join(lines)


# --- Go listing -------------------------------------------------------------------------------

_GO_UNITS = ((1_000_000_000, "time.Second"), (1_000_000, "time.Millisecond"),
             (1_000, "time.Microsecond"), (1, "time.Nanosecond"))


def go_duration(ns):
    """250000 → "250 * time.Microsecond"."""
    for k, unit in _GO_UNITS:
        if ns % k == 0 and ns >= k:
            n = ns // k
            return unit if n == 1 else f"{n} * {unit}"
    return "0"


def _go_stmt(s, ind):
    t = "\t" * ind
    k = s[0]
    if k == "work":
        return [f"{t}work({go_duration(s[1])})"]
    if k == "syscall":
        return [f"{t}nanosleep({go_duration(s[1])}) // a blocking syscall"]
    if k == "sleep":
        return [f"{t}time.Sleep({go_duration(s[1])})"]
    if k == "gosched":
        return [f"{t}runtime.Gosched()"]
    if k == "send":
        return [f"{t}ch{s[1]} <- 1"]
    if k == "recv":
        return [f"{t}<-ch{s[1]}"]
    if k == "loop":
        v = "ijk"[ind % 3]
        out = [f"{t}for {v} := 0; {v} < {s[1]}; {v}++ {{"]
        for x in s[2]:
            out.extend(_go_stmt(x, ind + 1))
        return out + [f"{t}}}"]
    raise ValueError(f"no Go form for step {s!r}")


def _go_main_stmt(s, ind, label):
    t = "\t" * ind
    k = s[0]
    c = f" // {label}" if label else ""
    if k == "go":
        body = [f"{t}\tdefer wg.Done()"]
        for x in s[1]:
            body.extend(_go_stmt(x, ind + 1))
        return [f"{t}go func() {{{c}"] + body + [f"{t}}}()"]
    if k == "loop":
        out = [f"{t}for i := 0; i < {s[1]}; i++ {{{c}"]
        for x in s[2]:
            out.extend(_go_main_stmt(x, ind + 1, ""))
        return out + [f"{t}}}"]
    return _go_stmt(s, ind)


def go_source(prog, goids_of):
    """The same program as Go source (what a learner would run with ``go run``)."""
    names = set(_names(prog))
    imports = sorted(["runtime", "sync", "time"] + (["syscall"] if "syscall" in names else []))
    lines = []
    if prog.schedtrace:
        lines.append(f"// GODEBUG=schedtrace={prog.schedtrace // 1_000_000} go run main.go")
    lines += ["// gmplab's goids: main is G1, its first go statement makes G2",
              "package main", "", "import ("] + [f'\t"{i}"' for i in imports] + [")", "",
                                                  "func main() {",
                                                  f"\truntime.GOMAXPROCS({prog.gomaxprocs})",
                                                  "\tvar wg sync.WaitGroup"]
    for i, c in enumerate(prog.chans):
        lines.append(f"\tch{i} := make(chan int{', ' + str(c) if c else ''})")
    lines.append(f"\twg.Add({prog.go_statements()})")
    for i, s in enumerate(prog.main):
        lines.extend(_go_main_stmt(s, 1, _label(goids_of, (i,)) if s[0] in ("go", "loop")
                                   else ""))
    lines += ["\twg.Wait()", "}", ""]
    lines += ["// work computes for d: CPU-bound, only preemption stops it.",
              "func work(d time.Duration) {",
              "\tfor t := time.Now(); time.Since(t) < d; {",
              "\t}",
              "}"]
    if "syscall" in names:
        lines += ["",
                  "// nanosleep blocks its thread in the kernel for d (a raw syscall, not the",
                  "// netpoller): the M blocks and its P stays in _Psyscall.",
                  "func nanosleep(d time.Duration) {",
                  "\tts := syscall.NsecToTimespec(int64(d))",
                  "\tsyscall.Nanosleep(&ts, nil)",
                  "}"]
    return "\n".join(lines)
