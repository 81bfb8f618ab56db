"""Goroutine programs: what a G does, as a list of operations.

    from gmplab.ops import work, syscall, go, wait, loop
    rt.go(loop(3, work("50us"), syscall("1ms")))

Each op models one thing a Go function can do that the scheduler cares about:

=====================  ====================================================================
``work(d)``             compute for d (a tight loop: only async preemption can stop it)
``syscall(d)``          a blocking system call of d: entersyscall … exitsyscall
``syscall_block(d)``    a syscall known to block: entersyscallblock (hands off the P at once)
``sleep(d)``            time.Sleep(d): gopark on a timer of the current P
``gosched()``           runtime.Gosched(): to the global run queue
``go(*body)``           ``go func(){ body }()``: newproc
``wait()``              wg.Wait() for every G this G started with go()
``send(ch)``            ``ch <- v``
``recv(ch)``            ``<-ch``
``netread(d)``          a read on a network connection that becomes ready after d: the G parks
                        in the netpoller, its M does not block
``lock_os_thread()``    runtime.LockOSThread()
``unlock_os_thread()``  runtime.UnlockOSThread()
``loop(n, *body)``      repeat body n times (nested at most 3 deep)
=====================  ====================================================================

Durations are int nanoseconds or strings such as ``"250ns"``, ``"50us"``, ``"2ms"``, ``"1s"``.
"""
import re
from dataclasses import dataclass

from .runtime import layout as _l

_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
          "m": 60_000_000_000, "h": 3_600_000_000_000}
_DUR = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)\s*$")
_NUM = re.compile(r"^\s*[+-]?\d+(?:\.\d+)?\s*$")
_NUM_UNIT = re.compile(r"^\s*[+-]?\d+(?:\.\d+)?\s*([A-Za-zµ]+)\s*$")
MAXDURATION = 1 << 52


def duration(d, what="duration"):
    """Nanoseconds from an int or a string like "50us"; raises ValueError/TypeError naming
    the bad value and what is allowed."""
    if isinstance(d, bool):
        raise TypeError(f"{what} must be an int of nanoseconds or a string like '50us', not {d!r}")
    if isinstance(d, int):
        ns = d
    elif isinstance(d, str):
        mt = _DUR.match(d)
        if not mt:
            if _NUM.match(d):
                why = "has no unit"
            elif _NUM_UNIT.match(d):
                why = f"has an unknown unit {_NUM_UNIT.match(d).group(1)!r}"
            else:
                why = "is not a duration"
            raise ValueError(f"{what} {d!r} {why}: use an int of nanoseconds or a number with "
                             "a unit ns, us, ms, s, m or h, e.g. '50us', '2ms'")
        ns = round(float(mt.group(1)) * _UNITS[mt.group(2)])
    else:
        raise TypeError(f"{what} must be an int of nanoseconds or a string like '50us', "
                        f"not {type(d).__name__} {d!r}")
    if ns < 0:
        raise ValueError(f"{what} {d!r} is negative; durations must be >= 0")
    if ns > MAXDURATION:
        raise ValueError(f"{what} {d!r} is too long: at most 2**52 ns (about 52 days)")
    return ns


@dataclass(frozen=True)
class Op:
    """One operation of a goroutine program (immutable, hashable)."""
    code: int
    arg: object = 0
    body: tuple = ()

    def __repr__(self):
        name = _NAMES[self.code]
        if self.code in (_l.OP_GO,):
            return f"go({', '.join(map(repr, self.body))})"
        if self.code == _l.OP_LOOP:
            return f"loop({self.arg}, {', '.join(map(repr, self.body))})"
        if self.code in (_l.OP_SEND, _l.OP_RECV, _l.OP_LCG):
            return f"{name}({self.arg!r})"
        if self.code in (_l.OP_WORK, _l.OP_SYSCALL, _l.OP_SYSCALLBLOCK, _l.OP_SLEEP, _l.OP_NETREAD):
            return f"{name}({fmt_ns(self.arg)!r})"
        return f"{name}()"


_NAMES = {_l.OP_WORK: "work", _l.OP_SYSCALL: "syscall", _l.OP_SYSCALLBLOCK: "syscall_block",
          _l.OP_SLEEP: "sleep", _l.OP_GOSCHED: "gosched", _l.OP_GO: "go", _l.OP_WAIT: "wait",
          _l.OP_SEND: "send", _l.OP_RECV: "recv", _l.OP_NETREAD: "netread",
          _l.OP_LOCK: "lock_os_thread", _l.OP_UNLOCK: "unlock_os_thread", _l.OP_LOOP: "loop",
          _l.OP_EXIT: "exit", _l.OP_LCG: "lcg"}


def fmt_ns(ns):
    """250 → '250ns', 50000 → '50us', 2000000 → '2ms' (exact units only)."""
    for unit, k in (("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)):
        if ns >= k and ns % k == 0:
            return f"{ns // k}{unit}"
    return f"{ns}ns"


def fmt_time(ns):
    """A time or duration exactly, in its largest unit, in a form ``duration`` reads back:
    3100730 → '3.10073ms', 10**9 → '1s', 1500 → '1.5us', 0 → '0ns' (for messages; the
    figures round, see gmplab.viz)."""
    ns = int(ns)
    for unit, k in (("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)):
        if abs(ns) >= k:
            whole, frac = divmod(abs(ns), k)
            digits = len(str(k)) - 1
            tail = f".{frac:0{digits}d}".rstrip("0").rstrip(".")
            return f"{'-' if ns < 0 else ''}{whole}{tail}{unit}"
    return f"{ns}ns"


def work(d):
    """Compute for d (CPU-bound). On real threads (gmplab.ParallelRuntime): d of the thread's
    CPU time, as a Go loop that needs that long; it makes no progress while the OS runs
    something else."""
    return Op(_l.OP_WORK, duration(d, "work duration"))


def lcg(steps):
    """Compute ``steps`` steps of a linear congruential generator (x = x*6364136223846793005 +
    1442695040888963407), the work of examples/go/lcg.go. On real threads
    (gmplab.ParallelRuntime) exactly that many steps run; on the virtual clock it lasts the
    ``lcg1000`` cost per 1000 steps."""
    if isinstance(steps, bool) or not isinstance(steps, int):
        raise TypeError(f"lcg steps must be an int >= 1, not {steps!r}")
    if not 1 <= steps < 1 << 40:
        raise ValueError(f"lcg steps={steps} is out of range: use 1 <= steps < 2**40")
    return Op(_l.OP_LCG, steps)


def syscall(d):
    """A blocking system call lasting d (entersyscall: the P stays in _Psyscall)."""
    return Op(_l.OP_SYSCALL, duration(d, "syscall duration"))


def syscall_block(d):
    """A system call known to block (entersyscallblock: the P is handed off at once)."""
    return Op(_l.OP_SYSCALLBLOCK, duration(d, "syscall_block duration"))


def sleep(d):
    """time.Sleep(d)."""
    return Op(_l.OP_SLEEP, duration(d, "sleep duration"))


def gosched():
    """runtime.Gosched()."""
    return Op(_l.OP_GOSCHED)


def go(*body):
    """Start a child goroutine running body (``go func(){...}()``)."""
    return Op(_l.OP_GO, 0, check_body(body, "go()"))


def wait():
    """Wait until every goroutine this one started has exited (a sync.WaitGroup)."""
    return Op(_l.OP_WAIT)


def send(ch):
    """Send on channel ch (``ch <- v``)."""
    return Op(_l.OP_SEND, _check_chan(ch, "send"))


def recv(ch):
    """Receive from channel ch (``<-ch``)."""
    return Op(_l.OP_RECV, _check_chan(ch, "recv"))


def netread(d):
    """Read from a network connection whose data arrives after d (netpoller park)."""
    return Op(_l.OP_NETREAD, duration(d, "netread delay"))


def lock_os_thread():
    """runtime.LockOSThread()."""
    return Op(_l.OP_LOCK)


def unlock_os_thread():
    """runtime.UnlockOSThread()."""
    return Op(_l.OP_UNLOCK)


def loop(n, *body):
    """Repeat body n times."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"loop count must be an int >= 0, not {n!r}")
    if n < 0 or n >= 1 << 62:
        raise ValueError(f"loop count {n} is out of range: use 0 <= n < 2**62")
    return Op(_l.OP_LOOP, n, check_body(body, "loop()"))


def _check_chan(ch, what):
    from .rt import Chan
    if not isinstance(ch, Chan):
        raise TypeError(f"{what}() needs a channel made by rt.chan(), not {type(ch).__name__} {ch!r}")
    return ch


def check_body(body, where):
    """A goroutine body: a tuple of Ops (nested lists are flattened)."""
    out = []
    for op in body:
        if isinstance(op, (list, tuple)):
            out.extend(check_body(op, where))
        elif isinstance(op, Op):
            out.append(op)
        else:
            raise TypeError(f"{where}: {op!r} is not an operation; use the functions of "
                            "gmplab.ops (work, syscall, sleep, go, send, recv, ...)")
    return tuple(out)


class Compiler:
    """Compiles bodies to the op-code array the core interprets; identical bodies compile once.

    A body becomes ``ops... EXIT``; ``go(body)`` compiles its body separately and refers to
    its entry; ``loop`` becomes ``LOOP n depth end`` … ``ENDLOOP depth start``."""

    def __init__(self, chan_owner):
        self.code = []          # flat list of ints, OPW per op
        self.cache = {}         # body tuple -> entry pc
        self.chan_owner = chan_owner

    @property
    def npc(self):
        return len(self.code) // _l.OPW

    def body(self, body, tail=(_l.OP_EXIT,)):
        key = (body, tail)
        if key in self.cache:
            return self.cache[key]
        seg = []
        self._emit(body, seg, 0)
        for t in tail:
            seg.append([t, 0, 0, 0])
        # children first, so that this segment is contiguous
        entry = self.npc
        for op in seg:
            self.code.extend(op)
        for i, op in enumerate(seg):  # make loop targets absolute
            if op[0] == _l.OP_LOOP:
                self.code[(entry + i) * _l.OPW + 3] += entry
            elif op[0] == _l.OP_ENDLOOP:
                self.code[(entry + i) * _l.OPW + 2] += entry
        self.cache[key] = entry
        return entry

    def describe(self, pc, chan=None):
        """The op at ``pc`` as gmplab.ops writes it (``recv(<chan0 cap=0>)``, ``wait()``); a
        goroutine's traceback line. ``chan(index)`` gives the Chan of a channel index."""
        i = pc * _l.OPW
        if not 0 <= i < len(self.code):
            return f"(no op at pc={pc})"
        code, a = self.code[i], self.code[i + 1]
        if code in (_l.OP_SEND, _l.OP_RECV):
            return repr(Op(code, chan(a) if chan else a))
        if code == _l.OP_GO:
            return "go(...)"
        if code == _l.OP_LOOP:
            return f"loop({a}, ...)"
        if code == _l.OP_ENDLOOP:
            return "(the end of a loop)"
        return repr(Op(code, a))

    def _emit(self, body, seg, depth):
        for op in body:
            c = op.code
            if c == _l.OP_GO:
                child = self.body(op.body)
                seg.append([c, child, 0, 0])
            elif c == _l.OP_LOOP:
                if depth >= _l.MAXLOOPDEPTH:
                    raise ValueError(f"loop() nested {depth + 1} deep; at most "
                                     f"{_l.MAXLOOPDEPTH} levels are allowed")
                start = len(seg)
                seg.append(None)
                self._emit(op.body, seg, depth + 1)
                seg.append([_l.OP_ENDLOOP, depth, start + 1, 0])
                seg[start] = [c, op.arg, depth, len(seg)]
            elif c in (_l.OP_SEND, _l.OP_RECV):
                seg.append([c, self.chan_owner(op.arg), 0, 0])
            else:
                seg.append([c, int(op.arg), 0, 0])
