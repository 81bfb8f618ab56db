"""gmplab.Runtime: Go's scheduler on a deterministic virtual clock.

    rt = Runtime(gomaxprocs=2, seed=1)
    rt.go(work("1ms"), syscall("5ms"))
    rt.run()
    print(rt.events.text())

The Runtime is the learner's hand: ``rt.go`` is a ``go`` statement in main, ``rt.gomaxprocs``
is runtime.GOMAXPROCS. Time moves only in ``step()`` and ``run()``, event by event.
"""
import os

import numpy as np

from . import costs as _costs
from . import schedtrace as _schedtrace
from .errors import G_STATUS_STRINGS, Deadlock, Goroutine, RuntimeBug, ThreadExhaustion
from .events import EventLog
from .ops import Compiler, check_body, duration, fmt_time
from .runtime import engine as _e
from .runtime import layout as _l
from .state import grow, new_state, table
from .views import GView, MView, PView, SchedView

_ids = iter(range(1, 1 << 62))
CHUNK = 1 << 22  # events per call into the jitted core (a fraction of a second)


class Chan:
    """A channel made by ``rt.chan(cap)``; pass it to ops.send / ops.recv."""
    __slots__ = ("rt_id", "index", "cap")

    def __init__(self, rt_id, index, cap):
        self.rt_id, self.index, self.cap = rt_id, index, cap

    def __repr__(self):
        return f"<chan{self.index} cap={self.cap}>"

    def __eq__(self, other):
        return isinstance(other, Chan) and (self.rt_id, self.index) == (other.rt_id, other.index)

    def __hash__(self):
        return hash((self.rt_id, self.index))


def _log_mask(log):
    """Runtime(log=...): True/False, or an iterable of Go function names → a bit mask of fns."""
    if isinstance(log, (bool, int, np.integer)) and not isinstance(log, str):
        return -1
    if isinstance(log, str):
        log = [log]
    try:
        names = list(log)
    except TypeError:
        raise TypeError(f"log must be True, False or a list of Go function names, not {log!r}")
    mask = 0
    for n in names:
        if n not in _l.FN:
            raise ValueError(f"log: unknown Go function {n!r}; the logged functions are: "
                             f"{', '.join(_l.FN_NAMES)}")
        mask |= 1 << _l.FN[n]
    return mask


def _bound(n):
    """A bound as a reader would write it: 1099511627776 → '2**40', 4294967295 → '2**32-1'."""
    for k in (0, -1):
        if n - k > 1024 and (n - k) & (n - k - 1) == 0:
            return f"2**{(n - k).bit_length() - 1}{'-1' if k else ''}"
    return str(n)


def _check_int(v, name, lo, hi, means=""):
    """``v`` as an int in lo..hi; the errors name the value, the range and (``means``) what
    the range is."""
    allowed = f"{_bound(lo)}..{_bound(hi)}" + (f" ({means})" if means else "")
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{name} must be an int in {allowed}, not {type(v).__name__} {v!r}")
    if not lo <= v <= hi:
        raise ValueError(f"{name}={v} is out of range: allowed {allowed}")
    return int(v)


class Runtime:
    """A Go runtime on a virtual clock: GOMAXPROCS Ps, Ms created as Go would, a main
    goroutine (G1 on M0 and P0) that starts your goroutines and then waits for them, and
    sysmon on M1.

    Parameters: ``gomaxprocs`` (1..256, default: os.cpu_count()), ``seed`` (fastrand: steal
    order), ``maxmcount`` (debug.SetMaxThreads, default 10000), ``costs`` (dict of scheduler
    overheads in ns, see gmplab.costs), ``log`` (keep the event log: True, False, or the names of
    the Go functions to keep, e.g. ``["goexit0"]``), ``log_cap`` (most events
    kept), ``schedtrace`` (like GODEBUG=schedtrace=X: sysmon records a line every X, a
    duration, the first at its first look, 20 µs, reading ``SCHED 0ms`` as Go's does; see
    ``rt.trace``, ``rt.starttime`` and gmplab.schedtrace.setup), ``scheddetail``
    (GODEBUG=scheddetail=1: each record also lists every P, M and G), ``daemon`` (main never
    exits and never counts as asleep: the Playground's mode), ``replace`` (plug-ins: a dict of
    Go function names to your own Python functions that the runtime runs in place of its own,
    e.g. ``{"runqput": runqput}``; see gmplab.grading), ``plugin_timeout`` (seconds one call of
    a plug-in may take).
    """

    def __init__(self, gomaxprocs=None, seed=0, maxmcount=10000, costs=None, log=True,
                 log_cap=None, schedtrace=0, scheddetail=False, daemon=False, replace=None,
                 plugin_timeout=5.0):
        if gomaxprocs is None:
            gomaxprocs = min(os.cpu_count() or 1, _l.MAXPROCS)
        gomaxprocs = _check_int(gomaxprocs, "gomaxprocs", 1, _l.MAXPROCS)
        seed = _check_int(seed, "seed", 0, (1 << 32) - 1, "fastrand's uint32 seed")
        maxmcount = _check_int(maxmcount, "maxmcount", 2, 1_000_000,
                               "debug.SetMaxThreads; m0 and sysmon are two")
        cost = _costs.resolve(costs)
        if log_cap is not None:
            log_cap = _check_int(log_cap, "log_cap", 0, 1 << 40)
        st = duration(schedtrace, "schedtrace interval") if schedtrace else 0
        self._e = _e             # the engine: the jitted core, or a plug-in run's plain core
        self.plugins = None
        if replace is not None:
            from .grading.plugins import PluginRun
            self.plugins = (replace if isinstance(replace, PluginRun)
                            else PluginRun(replace, timeout=plugin_timeout))
            self.plugins.runtime = self
            self._e = self.plugins.engine
        self._id = next(_ids)
        self.seed = seed
        self.costs = cost
        self.daemon = bool(daemon)
        self.log_cap = log_cap
        self.log_truncated = False
        self._detailed = bool(scheddetail)
        self._prog = Compiler(self._chan_index)
        self._P = np.zeros(0, dtype=np.int64)
        self._C = np.zeros(0, dtype=np.int64)
        self._chans = []
        self._finished = None    # why the runtime cannot run any more
        mcap = min(maxmcount, 64) + 64
        self._S = S = new_state(gcap=64, mcap=mcap)
        S[_l.S_maxmcount] = maxmcount
        S[_l.H_seed] = seed
        S[_l.H_opsbudget] = 10_000
        _schedtrace.setup(self, S, st)  # rt.trace: the lines sysmon records
        S[_l.S_daemon] = 1 if daemon else 0
        for i, name in enumerate(_l.COST_FIELDS):
            S[_l.COST_BASE + i] = cost[name]
        self._L = L = np.zeros(_l.XHEADER + _l.LOGW * 16384, dtype=np.int64)
        L[_l.X_logcap] = 16384
        L[_l.X_logon] = 1 if log else 0
        L[_l.X_logmask] = _log_mask(log)
        L[_l.X_curm] = _l.NIL
        mainpc = self._prog.body((), tail=(_l.OP_WAIT, _l.OP_EXIT))
        self._sync_prog()
        self._e.schedinit(S, self._L, gomaxprocs, mainpc)
        self._check_status()

    # --- programs ------------------------------------------------------------------------
    def _chan_index(self, ch):
        if ch.rt_id != self._id:
            raise ValueError(f"unknown channel {ch!r}: it was made by another Runtime")
        return ch.index

    def _sync_prog(self):
        code = self._prog.code
        if len(code) != len(self._P):
            self._P = np.array(code, dtype=np.int64)

    def _alive(self, what):
        if self._finished:
            raise ValueError(f"cannot {what}: the runtime has finished ({self._finished}); "
                             "create a new Runtime")

    def go(self, *body):
        """``go func(){ body }()`` from main; returns the new G's goid. While main runs (before
        the first step) this is newproc on main's P: the G lands in runnext. After main parked
        in its final wait(), the G is injected from outside (global queue)."""
        self._alive("go")
        body = check_body(body, "go()")
        entry = self._prog.body(body)
        self._sync_prog()
        self._ensure_room()
        slot = self._e.api_go(self._S, self._L, entry)
        self._check_status()
        return int(table(self._S, "g")[slot, _l.G_goid])

    def main(self, *body):
        """Give main goroutine a body to run before its final wait() (only before it runs)."""
        self._alive("set main's body")
        g = table(self._S, "g")[int(self._S[_l.S_maing])]
        if self.now != 0 or g[_l.G_pc] != g[_l.G_startpc]:
            raise ValueError("main's body can only be set before the runtime starts running")
        entry = self._prog.body(check_body(body, "main()"), tail=(_l.OP_WAIT, _l.OP_EXIT))
        self._sync_prog()
        g[_l.G_pc] = entry
        g[_l.G_startpc] = entry

    def chan(self, cap=0):
        """make(chan T, cap): 0 is unbuffered."""
        cap = _check_int(cap, "chan capacity", 0, 1 << 40,
                         "0 is unbuffered; Go panics 'makechan: size out of range' below 0 or "
                         "when the buffer would not fit in memory, gmplab stops at 2**40")
        ch = Chan(self._id, len(self._chans), cap)
        self._chans.append(ch)
        row = np.full(_l.NCF, _l.NIL, dtype=np.int64)
        row[_l.C_cap] = cap
        row[_l.C_qcount] = 0
        row[_l.C_closed] = 0
        row[_l.C_lock] = 0
        self._C = np.concatenate([self._C, row])
        return ch

    # --- time ----------------------------------------------------------------------------
    @property
    def now(self):
        """The virtual clock, in ns."""
        return int(self._S[_l.H_now])

    def step(self, until=None):
        """Advance to the next scheduler decision and return the events it logged. With
        ``until`` (ns or "5ms"), go no further than that time: if nothing is decided by then,
        the clock stops there and the list is empty."""
        self._alive("step")
        limit = -1
        if until is not None:
            limit = duration(until, "until")
            if limit < self.now:
                raise ValueError(f"until={until!r} is in the past (now is "
                                 f"{fmt_time(self.now)})")
        n0 = int(self._L[_l.X_logn])
        while True:
            r = self._run(limit, 1)
            if r != _l.R_MAXEVENTS or int(self._L[_l.X_logn]) > n0 or not self._L[_l.X_logon]:
                break
        return self.events[n0:]

    def run(self, until=None):
        """Run until main returns (all goroutines it started have exited), or until the
        virtual time ``until`` (ns or a duration string). Raises Deadlock / ThreadExhaustion
        as Go would."""
        self._alive("run")
        if until is None:
            if self.daemon:
                raise ValueError("run(until=None) never returns on a daemon runtime; "
                                 "give until= (a time in ns or a string like '5ms')")
            self._run(-1, 1 << 62)
        else:
            t = duration(until, "until")
            if t < self.now:
                raise ValueError(f"until={until!r} is in the past (now is "
                                 f"{fmt_time(self.now)}; run_for(d) runs for a duration)")
            self._run(t, 1 << 62)
        return self

    def run_for(self, d):
        """Run for a duration d (ns or "5ms") of virtual time."""
        return self.run(self.now + duration(d, "run_for duration"))

    def _ensure_room(self):
        S = self._S
        gcap, mcap = int(S[_l.H_gcap]), int(S[_l.H_mcap])
        need_g = int(S[_l.H_ng]) + 4 > gcap
        need_m = int(S[_l.S_mnext]) + int(S[_l.S_gomaxprocs]) + 8 > mcap
        if need_g or need_m:
            # grow 4x: the copies (and fresh pages) cost more than the spare room
            self._S = grow(S, gcap * 4 if need_g else gcap,
                           mcap * 2 + _l.MAXPROCS if need_m else mcap)

    def _run(self, until, maxevents):
        left = maxevents
        while True:
            # at most CHUNK events per call into the core: Python sees Ctrl-C between calls
            r = self._e.run(self._S, self._C, self._P, self._L, until, min(left, CHUNK))
            left -= int(self._S[_l.H_ran])
            if r == _l.R_MAXEVENTS and left > 0:
                continue
            if r == _l.R_NEED_G:
                self._ensure_room()
            elif r == _l.R_NEED_LOG:
                self._grow_log()
            elif r == _l.R_TRACE:
                _schedtrace.record(self)
                if left <= 0:
                    break
            else:
                break
        self._check_status()
        if r == _l.R_EMPTY and not self._finished:
            raise RuntimeBug("the virtual clock has nothing left to do but main has not exited")
        return r

    def _grow_log(self):
        cap = int(self._L[_l.X_logcap])
        new = cap * 2
        if self.log_cap is not None and cap >= self.log_cap + 8192:
            self._L[_l.X_logon] = 0
            self.log_truncated = True
            return
        L = np.zeros(_l.XHEADER + new * _l.LOGW, dtype=np.int64)
        end = _l.XHEADER + int(self._L[_l.X_logn]) * _l.LOGW
        L[:end] = self._L[:end]
        L[_l.X_logcap] = new
        self._L = L

    def _check_status(self):
        st = int(self._S[_l.H_status])
        if st == _l.ST_OK:
            return
        if st == _l.ST_DONE:
            self._finished = self._finished or f"main returned at t={fmt_time(self.now)}"
            return
        if self._finished:
            return
        if st == _l.ST_DEADLOCK:
            self._finished = "fatal error: all goroutines are asleep - deadlock!"
            raise Deadlock(t=self.now, goroutines=self.goroutines())
        if st == _l.ST_NOGOROUTINES:
            self._finished = "no goroutines (main called runtime.Goexit) - deadlock!"
            raise Deadlock("fatal error: no goroutines (main called runtime.Goexit) - deadlock!",
                           t=self.now, goroutines=self.goroutines())
        if st == _l.ST_THREADLIMIT:
            self._finished = "fatal error: thread exhaustion"
            raise ThreadExhaustion(int(self._S[_l.S_fatalarg]), t=self.now)
        self._finished = "throw"
        ev = self.events
        where = ev.where(fn="throw") or ev[-1:]
        raise RuntimeBug("gmplab core reached an impossible state: "
                         + (where[-1].text if where else "(no event log)"))

    @property
    def finished(self):
        """Why the runtime cannot run any more (None while it can)."""
        return self._finished

    # --- runtime.GOMAXPROCS and friends -------------------------------------------------
    def gomaxprocs(self, n=None):
        """runtime.GOMAXPROCS(n): procresize under stop-the-world; returns the old value.
        With n None (or 0, as in Go) only reads it."""
        old = int(self._S[_l.S_gomaxprocs])
        if n is None or (isinstance(n, int) and not isinstance(n, bool) and n == 0):
            return old
        self._alive("change GOMAXPROCS")
        n = _check_int(n, "gomaxprocs", 1, _l.MAXPROCS)
        if n == old:
            return old
        self._ensure_room()
        self._e.api_gomaxprocs(self._S, self._L, n)
        self._check_status()
        return old

    def mcount(self):
        """Ms created and not exited (schedtrace's threads=), sysmon included."""
        return int(self._S[_l.S_mnext] - self._S[_l.S_nmfreed])

    def entersyscall(self, m, d="1h"):
        """The Playground's hand: make the G running on M ``m`` enter a blocking syscall of
        ``d`` (its work resumes afterwards). Raises ValueError if M m runs no G."""
        self._alive("enter a syscall")
        m = _check_int(m, "m", 0, self.mcount() + int(self._S[_l.S_nmfreed]) - 1)
        d = duration(d, "syscall duration")
        if not self._e.api_interrupt(self._S, self._L, m, 1, d):
            raise ValueError(f"M{m} is not running a goroutine ({self.m(m).state}); "
                             "only an M that runs a G can enter a syscall")
        self._check_status()

    def exitsyscall(self, m):
        """The Playground's hand: the syscall of M ``m`` returns now."""
        self._alive("end a syscall")
        m = _check_int(m, "m", 0, self.mcount() + int(self._S[_l.S_nmfreed]) - 1)
        if not self._e.api_syscall_return(self._S, self._L, m):
            raise ValueError(f"M{m} is not in a syscall ({self.m(m).state})")

    def gosched(self, m):
        """The Playground's hand: the G running on M ``m`` calls runtime.Gosched()."""
        self._alive("call Gosched")
        m = _check_int(m, "m", 0, self.mcount() + int(self._S[_l.S_nmfreed]) - 1)
        if not self._e.api_interrupt(self._S, self._L, m, 2, 0):
            raise ValueError(f"M{m} is not running a goroutine ({self.m(m).state})")
        self._check_status()

    # --- views ---------------------------------------------------------------------------
    def _slot(self, goid):
        gt = table(self._S, "g")
        hit = np.nonzero(gt[:, _l.G_goid] == goid)[0]
        if isinstance(goid, bool) or not isinstance(goid, (int, np.integer)) or len(hit) == 0:
            raise ValueError(f"no goroutine with goid {goid!r}; live goids: "
                             f"{self.goids()[:20]}")
        return int(hit[0])

    def g(self, goid):
        """The g struct of goroutine ``goid``."""
        return GView(self, self._slot(goid))

    def goids(self, alive=True):
        """The goids in use (not _Gdead unless alive=False), in creation order of their slots."""
        gt = table(self._S, "g")
        mask = gt[:, _l.G_atomicstatus] != _l.Gdead if alive else np.ones(len(gt), bool)
        return [int(x) for x in gt[mask, _l.G_goid]]

    def goroutines(self):
        """Every goroutine that is not _Gdead, in allgs order, as Go's traceback after a fatal
        error lists them (tracebackothers: goroutineheader and, for the stack, the op the G is
        in): a list of :class:`gmplab.errors.Goroutine`."""
        gt = table(self._S, "g")
        now = self.now
        out = []
        for r in gt:
            status = _l.GSTATUS_NAMES[int(r[_l.G_atomicstatus])]
            if status == "_Gdead":
                continue
            state = G_STATUS_STRINGS[status]
            if status == "_Gwaiting" and int(r[_l.G_waitreason]) != _l.WR_NONE:
                state = _l.WAITREASON_NAMES[int(r[_l.G_waitreason])]
            since = int(r[_l.G_waitsince])
            minutes = (now - since) // 60_000_000_000 if (
                status in ("_Gwaiting", "_Gsyscall") and since != 0) else 0
            parent = int(r[_l.G_parentgoid])
            out.append(Goroutine(int(r[_l.G_goid]), state, minutes, int(r[_l.G_lockedm]) != _l.NIL,
                                 self._prog.describe(int(r[_l.G_pc]), self._chans.__getitem__),
                                 parent if parent >= 0 else None))
        return out

    def p(self, i):
        """The p struct of P ``i`` (0 <= i < GOMAXPROCS)."""
        n = int(self._S[_l.S_gomaxprocs])
        i = _check_int(i, "P id", 0, n - 1, f"GOMAXPROCS={n}")
        return PView(self, i)

    def m(self, i):
        """The m struct of M ``i``."""
        n = int(self._S[_l.S_mnext])
        i = _check_int(i, "M id", 0, n - 1, f"the Ms created so far, sched.mnext={n}")
        return MView(self, i)

    @property
    def sched(self):
        """The global schedt."""
        return SchedView(self)

    @property
    def allp(self):
        return [PView(self, i) for i in range(int(self._S[_l.S_gomaxprocs]))]

    @property
    def allm(self):
        return [MView(self, i) for i in range(int(self._S[_l.S_mnext]))]

    @property
    def allg(self):
        return [GView(self, s) for s in range(int(self._S[_l.H_ng]))]

    @property
    def events(self):
        """Every decision so far (an EventLog of Event(t, fn, g, m, p, ...))."""
        return EventLog(self._L)

    @property
    def nevents(self):
        """How many decisions were made (counted even when the log is off)."""
        return int(self._L[_l.X_nevents])

    def schedtrace(self, detailed=False):
        """The current state in Go 1.25's GODEBUG=schedtrace (scheddetail=1) format, on demand
        (not added to ``rt.trace``). Its time counts from where sysmon's lines count from, Go's
        ``starttime`` in ``schedtrace`` (proc.go): the run's first line of ``rt.trace``, which
        reads ``SCHED 0ms`` (its time is ``rt.starttime``); before that line, or without a
        ``schedtrace`` interval, from the run's start (t=0)."""
        return _schedtrace.format(self, detailed)

    def __repr__(self):
        return (f"<Runtime t={self.now}ns gomaxprocs={self.gomaxprocs()} threads={self.mcount()} "
                f"goroutines={len(self.goids())}{' finished' if self._finished else ''}>")
