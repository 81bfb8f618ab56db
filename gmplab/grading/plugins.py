"""Plug-in runs: a learner's Python function in place of the core's function of the same Go name.

    rt = gmplab.Runtime(gomaxprocs=2, seed=0, replace={"runqput": runqput})

How it works. A Runtime with ``replace`` runs the core as plain Python (:mod:`.plaincore`), every
kernel that the named Go function stands for mapped to an *adapter* (:mod:`.plugs`): the adapter
turns the core's row numbers into the objects of :mod:`.objects` (a P with ``runq``, ``runqhead``,
``runnext``; G; M; ``sched``), calls the learner's function, checks what it did (return type, a
G on two queues, a field it may not change), and emits the event-log records the built-in
function would have emitted for the same effect. Everything else is the core's own code, so a
wrong rule shows up as the first decision where the schedule leaves Go's.

Errors. An exception in the learner's function propagates with its own traceback (the frames of
the core and of gmplab are cut out, so it points at the learner's cell) and a note saying where
the runtime called it. A :class:`PluginError` says what a function did wrong. Either way the
runtime's state is put back as it was before the ``run()``/``step()``/``go()`` that failed. A
call that does not return within ``timeout`` seconds is stopped with a PluginError.
"""
import ctypes
import inspect
import os
import threading
import time
import types

from ..runtime import layout as _l
from . import objects as _o
from .objects import PluginError
from .plaincore import PlainCore

_GMPLAB_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: the default limit, in seconds, on one call of a learner's function
TIMEOUT = 5.0
#: how many calls of learner functions one M's chain of decisions may make (one step of the
#: virtual clock), plus CHAIN_PER_P per P (stealWork visits every P 4 times): more means the M
#: loops without the clock moving
CHAIN_LIMIT, CHAIN_PER_P = 2_000, 64

#: Go name -> Plug (filled by gmplab.grading.plugs)
PLUGS = {}

#: ``replace={name: BUILTIN}``: the core's own function, run through the plug-in's adapter (the
#: reference runs of the checks use it, to record the same call traces)
BUILTIN = object()


def register(plug):
    PLUGS[plug.name] = plug
    return plug


class _Timeout(BaseException):
    """Raised asynchronously in a learner's function that ran past its time limit."""


class _Watchdog:
    """One thread that stops learner calls running past their deadline: it raises _Timeout in
    the calling thread (PyThreadState_SetAsyncExc), checking 20 times a second. Arming and
    disarming are one dict operation each (atomic under the GIL), so a call costs nothing."""

    def __init__(self):
        self._armed = {}      # thread id -> (token, deadline)
        self._thread = None
        self._token = 0

    def arm(self, seconds):
        tid = threading.get_ident()
        self._token += 1
        token = self._token
        self._armed[tid] = (token, time.monotonic() + seconds)
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="gmplab-plugin-watchdog",
                                            daemon=True)
            self._thread.start()
        return token

    def disarm(self, token):
        tid = threading.get_ident()
        if self._armed.get(tid, (None,))[0] == token:
            self._armed.pop(tid, None)

    def _loop(self):
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            for tid, (token, deadline) in list(self._armed.items()):
                if now >= deadline and self._armed.get(tid, (None,))[0] == token:
                    self._armed.pop(tid, None)
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid),
                                                               ctypes.py_object(_Timeout))


_watchdog = _Watchdog()


def _learner_tb(tb):
    """The traceback without gmplab's own frames (the core, the adapters): the learner's."""
    frames = []
    while tb is not None:
        if not os.path.abspath(tb.tb_frame.f_code.co_filename).startswith(_GMPLAB_DIR):
            frames.append(tb)
        tb = tb.tb_next
    out = None
    for t in reversed(frames):
        out = types.TracebackType(out, t.tb_frame, t.tb_lasti, t.tb_lineno)
    return out


def _go():
    from . import go
    return go


def _calls_through_runtime(replace):
    """Learner functions that call each other by name (runqsteal calling the learner's own
    runqgrab) must call through the runtime instead, as Go's calls go: to the built-in name of
    gmplab.grading.go, which runs the plugged-in function behind its adapter. Returns
    [(globals dict, name, built-in)] to swap in while the learner's code runs (a function
    wrapped with functools.wraps is looked through)."""
    go = _go()
    swaps = []
    for name, fn in replace.items():
        inner = inspect.unwrap(fn) if callable(fn) else fn
        g = getattr(inner, "__globals__", None)
        code = getattr(inner, "__code__", None)
        if g is None or code is None:
            continue
        for other, ofn in replace.items():
            if (other != name and other in code.co_names and hasattr(go, other)
                    and callable(ofn) and g.get(other) is inspect.unwrap(ofn)):
                swaps.append((g, other, getattr(go, other)))
    return swaps


class PluginRun:
    """The state of one Runtime's plug-in run: the plain core with the adapters, the learner's
    functions, the objects handed to them, how often each was called and (for the checks) the
    trace of every call: (Go name, what it was given, what it did)."""

    def __init__(self, replace, timeout=TIMEOUT, trace=False):
        if not isinstance(replace, dict):
            raise TypeError(f"replace must be a dict of Go function names to Python functions, "
                            f"e.g. replace={{'runqput': runqput}}; not {type(replace).__name__}")
        if timeout is not None and (isinstance(timeout, bool)
                                    or not isinstance(timeout, (int, float)) or timeout <= 0):
            raise ValueError(f"plugin_timeout must be a positive number of seconds, not {timeout!r}")
        kernels, owner = {}, {}
        for name, fn in replace.items():
            if name not in PLUGS:
                raise ValueError(f"replace: {name!r} is not a function gmplab can plug in; "
                                 f"the plug-ins are: {', '.join(sorted(PLUGS))}")
            if fn is not BUILTIN and not callable(fn):
                raise TypeError(f"replace[{name!r}] must be a function (or class), not "
                                f"{type(fn).__name__} {fn!r}")
            if fn is getattr(_go(), name, None):
                raise ValueError(f"replace[{name!r}] is gmplab's own {name} (from "
                                 f"gmplab.grading.go): define your {name} and pass that")
            for key, adapter in PLUGS[name].adapters(self, fn).items():
                if key in kernels:
                    raise ValueError(f"replace: {name!r} and {owner[key]!r} both stand in for "
                                     f"the core's {key}")
                kernels[key], owner[key] = adapter, name
        kernels["engine.step_m"] = self._step_m
        self._swaps = _calls_through_runtime({n: f for n, f in replace.items()
                                              if f is not BUILTIN})
        self.chain_calls = None
        self.replace = dict(replace)
        self.timeout = timeout
        self.tracing = trace
        self.trace = []
        self.calls = {name: 0 for name in replace}
        self.core = PlainCore(kernels)
        self.engine = _Engine(self)
        self.S = self.L = None
        self.recorder = None
        self._active = []
        self._depth = 0
        self._objs = {}
        self.state = {}    # per-plug state kept across calls (e.g. the learner's stealOrder)
        self.failed = None  # the learner function whose call failed
        self.partial = None  # the event log as it was when a call failed (before the restore)
        self.runtime = None  # the gmplab.Runtime this run belongs to

    def fail(self, name, message):
        """Stop the run: learner function ``name`` did something the runtime cannot accept."""
        self.failed = self.failed or name
        raise PluginError(f"{name}: {message}")

    # --- the objects handed to learner code ------------------------------------------------
    def _obj(self, cls, i):
        k = (cls, i)
        o = self._objs.get(k)
        if o is None:
            o = self._objs[k] = cls(self, i)
        return o

    def G(self, slot):
        return self._obj(_o.G, int(slot))

    def P(self, p):
        return self._obj(_o.P, int(p))

    def M(self, m):
        return self._obj(_o.M, int(m))

    def G_or_none(self, slot):
        return None if slot == _l.NIL else self.G(slot)

    def P_or_none(self, p):
        return None if p == _l.NIL else self.P(p)

    def M_or_none(self, m):
        return None if m == _l.NIL else self.M(m)

    def kernel(self, key):
        """What callers of kernel ``key`` call in this run (an adapter if it is plugged)."""
        mod, _, name = key.partition(".")
        return getattr(getattr(self.core, mod), name)

    def who(self):
        """The learner function running now, for messages."""
        return self._active[-1] if self._active else "gmplab"

    def write(self, obj, field, old, new):
        """A learner's write to the runtime's state: the running function's recorder allows it
        (and logs what the built-in would log for it) or raises PluginError."""
        if self.recorder is None:
            raise PluginError(f"{obj!r}.{field} can only be changed by the function gmplab runs "
                              "in the runtime, while it runs")
        self.recorder.on_write(obj, field, old, new)

    def _step_m(self, *args):
        """engine.step_m, counting the learner calls of one M's chain of decisions."""
        self.chain_calls = 0
        try:
            return self.core.builtin("engine.step_m")(*args)
        finally:
            self.chain_calls = None

    def call(self, name, fn, recorder, *args):
        """Call learner function ``fn`` (Go name ``name``) with ``recorder`` watching its writes,
        within the time limit."""
        self.calls[name] = self.calls.get(name, 0) + 1
        if self.chain_calls is not None:
            self.chain_calls += 1
            limit = CHAIN_LIMIT + CHAIN_PER_P * int(self.S[_l.S_gomaxprocs])
            if self.chain_calls > limit:
                self.fail(name, f"the runtime called it {limit} times in one M's chain of "
                                f"decisions at t={int(self.L[_l.X_now])}ns without the clock "
                                "moving: an M keeps looking for work it never gets (a Go M "
                                "would spin on a CPU forever)")
        prev = self.recorder
        self.recorder = recorder
        self._active.append(name)
        _o.push(self)
        token = None
        saved = None
        if self._depth == 0:
            if self.timeout is not None:
                token = _watchdog.arm(self.timeout)
            if self._swaps:
                saved = [(g, n, g.get(n)) for g, n, _ in self._swaps]
                for g, n, helper in self._swaps:
                    g[n] = helper
        self._depth += 1
        try:
            return fn(*args)
        except _Timeout:
            self.failed = self.failed or name
            raise PluginError(f"{name} did not return within {self.timeout:g}s "
                              "(an endless loop?)") from None
        except Exception:
            self.failed = self.failed or name
            raise
        finally:
            self._depth -= 1
            if saved is not None:
                for g, n, old in saved:
                    g[n] = old
            if token is not None:
                _watchdog.disarm(token)
            _o.pop()
            self._active.pop()
            self.recorder = prev

    def emit(self, fn, why, g, p, a, b):
        """Log one decision, as the core's emit() does."""
        self.core.builtin("base.emit")(self.S, self.L, _l.FN[fn], why, g, p, a, b)


class _Engine:
    """The engine's entry points (schedinit, run, api_go, ...) for gmplab.Runtime: the plain
    engine, with the state put back if a call fails."""

    def __init__(self, run):
        self._run = run

    def __getattr__(self, name):
        f = getattr(self._run.core.engine, name)
        code = f.__code__
        params = code.co_varnames[:code.co_argcount]
        iS, iL = params.index("S"), params.index("L")
        iC = params.index("C") if "C" in params else None
        run = self._run

        def entry(*args):
            S, L = args[iS], args[iL]
            C = args[iC] if iC is not None else None
            saved = (S.copy(), L[:_l.XHEADER].copy(), None if C is None else C.copy())
            run.S, run.L = S, L
            run.failed = None
            try:
                return f(*args)
            except BaseException as e:
                n = int(L[_l.X_logn])
                rows = L[_l.XHEADER:_l.XHEADER + n * _l.LOGW].reshape(n, _l.LOGW)
                run.partial = [[int(x) for x in r] for r in rows]
                S[:] = saved[0]
                L[:_l.XHEADER] = saved[1]
                if C is not None:
                    C[:] = saved[2]
                who = run.failed or "a plug-in"
                if isinstance(e, _Timeout):
                    e = PluginError(f"{who} did not return within {run.timeout:g}s "
                                    "(an endless loop?)")
                elif isinstance(e, KeyboardInterrupt):
                    raise
                where = (f"gmplab: raised in {who} as the runtime ran it at "
                         f"t={int(L[_l.X_now])}ns; the runtime was put back as it was before "
                         "this call")
                if hasattr(e, "add_note"):
                    e.add_note(where)
                raise e.with_traceback(_learner_tb(e.__traceback__)) from None
        entry.__name__ = name
        return entry
