"""The objects a learner's scheduler function works on, with Go's names (runtime2.go).

A plug-in (see :mod:`gmplab.grading.plugins`) is called with these instead of the core's row
numbers: a :class:`P` has ``runq``, ``runqhead``, ``runqtail``, ``runnext``, ``status``,
``schedtick``, ``syscalltick``, ``sysmontick``, ``m``; a :class:`G` has ``goid``, ``status``,
``m``; an :class:`M` has ``p``, ``oldp``, ``curg``, ``spinning``, ``syscalltick``;
:data:`sched` is the scheduler (``sched.runq`` the global queue, ``sched.npidle``, ...).
Each reads and writes the running runtime's state when it is used: nothing is copied.

``runqhead`` and ``runqtail`` are :class:`uint32` values: their arithmetic wraps at 2**32 as
Go's does, so ``t - h`` is the ring's length even across the wrap.

Only the fields the function being run may change can be written (the plug-in says which);
anything else raises :class:`PluginError`, naming the function and the field.
"""
import operator
import threading

from ..runtime import layout as _l

U32 = 0xFFFFFFFF


class PluginError(Exception):
    """A plug-in did something the runtime cannot accept (a wrong return type, a G put on a
    queue twice, a write it may not make, a call that never returns). The message names the
    function and what it did; the runtime is left as it was before the call that failed."""


def _int(v, what):
    try:
        return operator.index(v)
    except TypeError:
        hint = " (Go's / on integers is Python's //)" if isinstance(v, float) else ""
        raise TypeError(f"{what} must be an integer, not {type(v).__name__} {v!r}{hint}") from None


class uint32(int):
    """Go's ``uint32``: ``+ - * // % << & | ^`` wrap at 2**32, so ``t - h`` is a ring's length
    even when ``t`` has wrapped past 0. Compares and indexes like the int it holds."""

    def __new__(cls, v=0):
        return int.__new__(cls, _int(v, "a uint32") & U32)

    def __repr__(self):
        return int.__repr__(self)

    def __truediv__(self, other):
        raise TypeError("Go's / on integers truncates: write // in Python")

    __rtruediv__ = __truediv__

    def __neg__(self):
        return uint32(-int(self))


def _wrap(name):
    op = getattr(int, name)

    def f(self, other):
        if not isinstance(other, int):
            return NotImplemented
        return uint32(op(int(self), int(other)))
    f.__name__ = name
    return f


for _n in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__floordiv__",
           "__rfloordiv__", "__mod__", "__rmod__", "__lshift__", "__rshift__", "__and__",
           "__rand__", "__or__", "__ror__", "__xor__", "__rxor__"):
    setattr(uint32, _n, _wrap(_n))
del _n

# --- the run a learner's function is called in --------------------------------------------

_tls = threading.local()


def current():
    """The plug-in run whose learner function is running now (sched, allp, helpers use it)."""
    stack = getattr(_tls, "stack", None)
    if not stack:
        raise RuntimeError("the scheduler's state (sched, allp, gomaxprocs, the helpers) can be "
                           "used only while gmplab runs your function: in "
                           "gmplab.Runtime(replace={...}) or in a check")
    return stack[-1]


def push(run):
    if not hasattr(_tls, "stack"):
        _tls.stack = []
    _tls.stack.append(run)


def pop():
    _tls.stack.pop()


class _Obj:
    __slots__ = ("_run", "_i")
    _table = ""

    def __init__(self, run, i):
        self._run, self._i = run, i

    def _row(self):
        S = self._run.S
        if self._table == "p":
            return int(S[_l.H_poff]) + self._i * _l.NPF
        if self._table == "m":
            return int(S[_l.H_moff]) + self._i * _l.NMF
        return int(S[_l.H_goff]) + self._i * _l.NGF

    def _get(self, f):
        return int(self._run.S[self._row() + f])

    def _set(self, field, f, value):
        old = self._get(f)
        self._run.write(self, field, old, value)
        self._run.S[self._row() + f] = value

    def __setattr__(self, name, value):
        if name in _Obj.__slots__:
            object.__setattr__(self, name, value)
            return
        prop = getattr(type(self), name, None)
        if isinstance(prop, property) and prop.fset is not None:
            prop.fset(self, value)
            return
        raise AttributeError(f"{self!r}.{name} cannot be set"
                             + (" (it is read-only here)" if prop is not None else
                                f": a {type(self).__name__} has no field {name!r}"))


class G(_Obj):
    """A goroutine (runtime.g). ``gp.goid``, ``gp.status`` (``_Grunnable``, ...), ``gp.m``."""
    __slots__ = ()
    _table = "g"

    goid = property(lambda s: s._get(_l.G_goid), doc="the goroutine's id")
    status = property(lambda s: s._get(_l.G_atomicstatus), doc="readgstatus(gp)")
    m = property(lambda s: s._run.M_or_none(s._get(_l.G_m)))
    lockedm = property(lambda s: s._run.M_or_none(s._get(_l.G_lockedm)))
    preempt = property(lambda s: bool(s._get(_l.G_preempt)))
    schedlink = property(lambda s: s._run.G_or_none(s._get(_l.G_schedlink)))

    def __repr__(self):
        return f"G{self.goid}"


def _check_g(run, v, what, allow_nil=True):
    if v is None and allow_nil:
        return _l.NIL
    if not isinstance(v, G) or v._run is not run:
        kind = "a G or None" if allow_nil else "a G"
        raise PluginError(f"{run.who()}: {what} must be {kind}, not {type(v).__name__} {v!r}")
    return v._i


class runq:
    """A P's ring of 256 Gs (``pp.runq``): ``len(pp.runq)``, ``pp.runq[i]`` and
    ``pp.runq[i] = gp`` for 0 <= i < 256. Which slots hold the queue is
    ``runqhead``..``runqtail``; the others hold whatever was there before."""
    __slots__ = ("_run", "_p")

    def __init__(self, run, p):
        self._run, self._p = run, p

    def __len__(self):
        return _l.RUNQSIZE

    def _x(self, i):
        i = _int(i, f"the index of P{self._p}.runq")
        if not 0 <= i < _l.RUNQSIZE:
            raise IndexError(f"P{self._p}.runq[{i}]: the ring has {_l.RUNQSIZE} slots, 0..255; "
                             "Go indexes it with pp.runq[t%uint32(len(pp.runq))]")
        return int(self._run.S[_l.H_rqoff]) + self._p * _l.RUNQSIZE + i

    def __getitem__(self, i):
        return self._run.G(int(self._run.S[self._x(i)]))

    def __setitem__(self, i, gp):
        x = self._x(i)
        g = _check_g(self._run, gp, f"P{self._p}.runq[{i}]", allow_nil=False)
        self._run.write(self, int(i), int(self._run.S[x]), g)
        self._run.S[x] = g

    def __iter__(self):
        raise TypeError(f"P{self._p}.runq is a ring: index it from runqhead to runqtail, "
                        "pp.runq[i % len(pp.runq)]")

    def __repr__(self):
        P_ = self._run.P(self._p)
        h, t = P_.runqhead, P_.runqtail
        return f"<runq of P{self._p}: {[self[(h + i) % 256] for i in range((t - h) & U32)]}>"


class sysmontick:
    """sysmon's memory of a P (``pp.sysmontick``): ``schedtick``, ``syscalltick``,
    ``schedwhen``, ``syscallwhen``. A time never recorded reads :data:`NEVER`, as ancient next
    to ``now`` as Go's zero is next to nanotime()."""
    __slots__ = ("_pp",)
    _f = {"schedtick": _l.P_st_schedtick, "syscalltick": _l.P_st_syscalltick,
          "schedwhen": _l.P_st_schedwhen, "syscallwhen": _l.P_st_syscallwhen}

    def __init__(self, pp):
        object.__setattr__(self, "_pp", pp)

    def __getattr__(self, name):
        if name in sysmontick._f:
            return self._pp._get(sysmontick._f[name])
        raise AttributeError(f"sysmontick has no field {name!r} (it has {', '.join(self._f)})")

    def __setattr__(self, name, value):
        if name not in sysmontick._f:
            raise AttributeError(f"sysmontick has no field {name!r} (it has {', '.join(self._f)})")
        self._pp._set(f"sysmontick.{name}", sysmontick._f[name], _int(value, f"sysmontick.{name}"))

    def __repr__(self):
        return "sysmontick(" + ", ".join(f"{k}={getattr(self, k)}" for k in self._f) + ")"


class P(_Obj):
    """A processor (runtime.p)."""
    __slots__ = ()
    _table = "p"

    id = property(lambda s: s._i)
    link = property(lambda s: s._run.P_or_none(s._get(_l.P_link)))
    schedtick = property(lambda s: uint32(s._get(_l.P_schedtick)))
    m = property(lambda s: s._run.M_or_none(s._get(_l.P_m)))
    runq = property(lambda s: runq(s._run, s._i))
    sysmontick = property(lambda s: sysmontick(s))
    preempt = property(lambda s: bool(s._get(_l.P_preempt)))
    timers = property(lambda s: s._get(_l.P_timers), doc="how many timers the P holds")

    @property
    def status(self):
        """_Pidle, _Prunning, _Psyscall, _Pgcstop or _Pdead."""
        return self._get(_l.P_status)

    @status.setter
    def status(self, v):
        v = _int(v, "pp.status")
        if v not in _l.PSTATUS_NAMES:
            raise PluginError(f"{self._run.who()}: P{self._i}.status = {v} is not a P status "
                              f"(allowed: {', '.join(_l.PSTATUS_NAMES.values())})")
        self._set("status", _l.P_status, v)

    @property
    def syscalltick(self):
        return uint32(self._get(_l.P_syscalltick))

    @syscalltick.setter
    def syscalltick(self, v):
        self._set("syscalltick", _l.P_syscalltick, _int(v, "pp.syscalltick") & U32)

    @property
    def runqhead(self):
        return uint32(self._get(_l.P_runqhead))

    @runqhead.setter
    def runqhead(self, v):
        self._set("runqhead", _l.P_runqhead, _int(v, "pp.runqhead") & U32)

    @property
    def runqtail(self):
        return uint32(self._get(_l.P_runqtail))

    @runqtail.setter
    def runqtail(self, v):
        self._set("runqtail", _l.P_runqtail, _int(v, "pp.runqtail") & U32)

    @property
    def runnext(self):
        """The G to run next, or None."""
        return self._run.G_or_none(self._get(_l.P_runnext))

    @runnext.setter
    def runnext(self, gp):
        self._set("runnext", _l.P_runnext, _check_g(self._run, gp, f"P{self._i}.runnext"))

    def __repr__(self):
        return f"P{self._i}"


class M(_Obj):
    """An OS thread (runtime.m)."""
    __slots__ = ()
    _table = "m"

    id = property(lambda s: s._i)
    curg = property(lambda s: s._run.G_or_none(s._get(_l.M_curg)))
    p = property(lambda s: s._run.P_or_none(s._get(_l.M_p)))
    nextp = property(lambda s: s._run.P_or_none(s._get(_l.M_nextp)))
    spinning = property(lambda s: bool(s._get(_l.M_spinning)))
    lockedg = property(lambda s: s._run.G_or_none(s._get(_l.M_lockedg)))
    syscalltick = property(lambda s: uint32(s._get(_l.M_syscalltick)))

    @property
    def oldp(self):
        """The P this M held before its syscall (entersyscall), or None."""
        return self._run.P_or_none(self._get(_l.M_oldp))

    @oldp.setter
    def oldp(self, v):
        if v is not None and not (isinstance(v, P) and v._run is self._run):
            raise PluginError(f"{self._run.who()}: mp.oldp must be a P or None, not {v!r}")
        self._set("oldp", _l.M_oldp, _l.NIL if v is None else v._i)

    def __repr__(self):
        return f"M{self._i}"


class gQueue:
    """Go's gQueue, a queue of Gs: ``q.pushBack(gp)``, ``q.push(gp)`` (at the head),
    ``q.pop()`` (the head, or None), ``q.empty()``, ``q.size``, ``q.head``, ``q.tail``."""

    def __init__(self):
        self._gs = []

    def pushBack(self, gp):
        self._gs.append(gp)

    def push(self, gp):
        self._gs.insert(0, gp)

    def pop(self):
        return self._gs.pop(0) if self._gs else None

    def empty(self):
        return not self._gs

    size = property(lambda s: len(s._gs))
    head = property(lambda s: s._gs[0] if s._gs else None)
    tail = property(lambda s: s._gs[-1] if s._gs else None)

    def __repr__(self):
        return f"gQueue({self._gs})"


class globalrunq:
    """``sched.runq``: the global run queue (Go 1.25's gQueue in schedt). ``pop()``,
    ``pushBack(gp)``, ``push(gp)``, ``empty()``, ``size``, ``head``, ``tail``."""

    def __init__(self, run):
        self._run = run

    size = property(lambda s: int(s._run.S[_l.S_runqsize]))
    head = property(lambda s: s._run.G_or_none(int(s._run.S[_l.S_runqhead])))
    tail = property(lambda s: s._run.G_or_none(int(s._run.S[_l.S_runqtail])))

    def empty(self):
        return int(self._run.S[_l.S_runqhead]) == _l.NIL

    def pop(self):
        self._run.write(self, "pop", None, None)
        return self._run.G_or_none(self._run.core.builtin("queues.globrunqpop")(self._run.S))

    def pushBack(self, gp):
        g = _check_g(self._run, gp, "sched.runq.pushBack(gp)", allow_nil=False)
        self._run.write(self, "pushBack", None, g)
        self._run.core.builtin("queues.globrunqput")(self._run.S, g)

    def push(self, gp):
        g = _check_g(self._run, gp, "sched.runq.push(gp)", allow_nil=False)
        self._run.write(self, "push", None, g)
        self._run.core.builtin("queues.globrunqputhead")(self._run.S, g)

    def __repr__(self):
        out, g, S = [], int(self._run.S[_l.S_runqhead]), self._run.S
        while g != _l.NIL and len(out) <= 300:
            out.append(self._run.G(g))
            g = int(S[int(S[_l.H_goff]) + g * _l.NGF + _l.G_schedlink])
        return f"<sched.runq {out}>"


class schedt:
    """The scheduler (runtime.schedt): ``runq`` (the global queue) and its ``runqsize``,
    ``npidle``, ``nmspinning``, ``needspinning``, ``pidle``, ``nmidle``, ``midle``, ``mnext``,
    ``lastpoll`` (0 while an M blocks in netpoll, as in Go), ``sysmonwait``. Read-only: the
    helpers change them as Go's code does."""
    _fields = {"npidle": _l.S_npidle, "nmspinning": _l.S_nmspinning,
               "needspinning": _l.S_needspinning, "nmidle": _l.S_nmidle, "mnext": _l.S_mnext,
               "nmsys": _l.S_nmsys, "nmidlelocked": _l.S_nmidlelocked,
               "sysmonwait": _l.S_sysmonwait, "runqsize": _l.S_runqsize}

    def __getattr__(self, name):
        run = current()
        if name in schedt._fields:
            return int(run.S[schedt._fields[name]])
        if name == "runq":
            return globalrunq(run)
        if name == "pidle":
            return run.P_or_none(int(run.S[_l.S_pidle]))
        if name == "midle":
            return run.M_or_none(int(run.S[_l.S_midle]))
        if name == "lastpoll":
            # Go: 0 while an M blocks in netpoll, else a nanotime() (never 0); gmplab's clock
            # starts at 0, so a poll at t=0 reads as 1
            v = int(run.S[_l.S_lastpoll])
            return 0 if v == _l.NIL else max(v, 1)
        raise AttributeError(f"sched has no field {name!r} here")

    def __setattr__(self, name, value):
        raise AttributeError(f"sched.{name} cannot be set here: Go's helpers (pidleget, "
                             "globrunqput, ...) change the scheduler's fields")

    def __repr__(self):
        return "<sched>"


class _LiveInt:
    """An int read from the running runtime each time it is used (Go's global ``gomaxprocs``)."""

    def __init__(self, name, field):
        self._name, self._field = name, field

    def __int__(self):
        return int(current().S[self._field])

    __index__ = __int__

    def __repr__(self):
        try:
            return str(int(self))
        except RuntimeError:
            return f"<{self._name}: read while gmplab runs your function>"

    def __eq__(self, o):
        return int(self) == o

    def __hash__(self):
        return hash(int(self))

    def __lt__(self, o):
        return int(self) < o

    def __le__(self, o):
        return int(self) <= o

    def __gt__(self, o):
        return int(self) > o

    def __ge__(self, o):
        return int(self) >= o

    def __bool__(self):
        return int(self) != 0


def _live(name):
    op = getattr(int, name)
    setattr(_LiveInt, name, lambda self, o: op(int(self), o if isinstance(o, int) else int(o)))


for _n in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__floordiv__",
           "__rfloordiv__", "__mod__", "__rmod__"):
    _live(_n)
del _n


class _AllP:
    """Go's ``allp``: the Ps, ``allp[i]``, ``len(allp)``, ``for pp in allp``."""

    def _ps(self):
        run = current()
        return [run.P(i) for i in range(int(run.S[_l.S_gomaxprocs]))]

    def __len__(self):
        return len(self._ps())

    def __getitem__(self, i):
        return self._ps()[i]

    def __iter__(self):
        return iter(self._ps())

    def __repr__(self):
        try:
            return repr(self._ps())
        except RuntimeError:
            return "<allp: read while gmplab runs your function>"


sched = schedt()
allp = _AllP()
gomaxprocs = _LiveInt("gomaxprocs", _l.S_gomaxprocs)
