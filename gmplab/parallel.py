"""gmplab.ParallelRuntime: the same scheduler core, run by real OS threads.

    rt = ParallelRuntime(gomaxprocs=2)
    rt.main(loop(1000, go(lcg(10_000))))
    rt.run(timeout=10)
    print(rt.mcount(), rt.events.text(last=20))

Every M is a ``threading.Thread`` running the jitted core without the GIL
(:mod:`gmplab.runtime.threads`); they share the runtime's numpy state. ``work(d)`` burns real CPU,
``syscall(d)`` really blocks the thread, sysmon is a real thread that retakes Ps from syscalls
and preempts long time slices by the same rules as the virtual clock, and idle Ms sleep on
futexes. The caller's thread is the driver's *thread starter*: it starts an OS thread whenever
the core creates an M (newm, or Go's template thread's newm1 for an M made on a locked
thread), and watches for the end of the program. (That is a driver detail: Go's template
thread, which LockOSThread starts, is an M of the core like sysmon, with a thread of its own.)

Threads live only inside :meth:`ParallelRuntime.run`: when it returns (or raises), none is left.
"""
import threading
import time

import numpy as np

from .errors import GoFatal, RunTimeout
from .rt import Runtime, _check_int
from .runtime import layout as _l
from .runtime import threads as _t
from .state import grow, table

#: the core's overheads are real on threads: the virtual clock's costs are all 0 here, and an
#: lcg op's workleft counts its steps (lcg1000 = 1000)
PARALLEL_COSTS = {name: 0 for name in _l.COST_FIELDS}
PARALLEL_COSTS["lcg1000"] = 1000
STARTER_POLL_NS = 20_000_000
#: OS threads kept ready for newm: Python starts a thread in 0.2-2ms (Go's clone: ~30µs), slow
#: enough to change which M runs what when Ms are made in a burst (a syscall storm)
SPARE_THREADS = 4  # the thread starter looks at least every 20ms (Ctrl-C, timeout)


class ParallelRuntime(Runtime):
    """A Go runtime on real threads: GOMAXPROCS Ps (default: the number of CPUs), one OS thread
    per M, sysmon on its own thread.

    Same programs and API as :class:`gmplab.Runtime` where it makes sense: ``go`` and ``main``
    (before ``run``), ``chan``, ``run(timeout=)``, ``events`` (each M's log merged by the
    monotonic clock), ``schedtrace()``, ``mcount()``, the views (``g``, ``m``, ``p``, ``sched``;
    racy while threads run: use ``snapshot()`` for a consistent copy), ``Deadlock`` and
    ``ThreadExhaustion``. There is no clock to step: ``step``, ``run(until=)`` and the
    Playground's hands (``entersyscall`` ...) are the virtual clock's.

    ``max_goroutines`` preallocates the G table (goroutines alive at once; dead ones are
    reused, as Go's gFree lists do); ``log_cap`` bounds each M's event log; ``schedtrace`` and
    ``scheddetail`` are GODEBUG's: sysmon asks for a line every interval of real time, and
    ``rt.trace`` collects them. As in Go, the first line is due at sysmon's first round
    (``lasttrace`` starts one interval in the past: Go's is 0, against an absolute
    ``nanotime()``; the same setup as the virtual clock's, gmplab.schedtrace.setup), the next
    ones at least one interval after the one before, on sysmon's schedule; ``rt.trace_asked``
    holds when sysmon asked for each line (ns since run() started). Go's sysmon prints the
    line itself; here sysmon's thread runs jitted code that cannot format text, so the
    driver's thread starter (a Python thread) prints it, from a stop-the-world snapshot, and
    stamps it with the snapshot's time: a millisecond or two after sysmon asked on a quiet
    machine, more on a busy one (and a request made while the starter is still busy with the
    one before is merged into it: that line is missing). The time printed counts from the
    first line, as Go's ``schedtrace`` counts from its ``starttime``: the first line reads
    ``SCHED 0ms`` (gmplab.schedtrace.record).
    """

    def __init__(self, gomaxprocs=None, seed=0, maxmcount=10000, log=True, log_cap=200_000,
                 max_goroutines=65_536, schedtrace=0, scheddetail=False):
        max_goroutines = _check_int(max_goroutines, "max_goroutines", 16, 1 << 26)
        super().__init__(gomaxprocs=gomaxprocs, seed=seed, maxmcount=maxmcount,
                         costs=PARALLEL_COSTS, log=log, log_cap=log_cap,
                         schedtrace=schedtrace, scheddetail=scheddetail)
        self._S = grow(self._S, max_goroutines + 8, int(self._S[_l.S_maxmcount]) + 16)
        self.trace_asked = []    # when sysmon asked for each line of rt.trace (ns)
        self._logs = {}          # M id -> that M's thread's context and log
        self._stw = threading.Lock()  # one stop-the-world at a time
        self._elapsed = 0
        self._ran = False
        self._live = []          # the threads of a run() in progress
        self._runlock = threading.Lock()  # run() starting and close() do not interleave
        self._closing = False    # close() was called
        self._done = threading.Event()  # set when run() has stopped its threads
        self._done.set()
        _warm()

    # --- what the virtual clock has and real threads do not -------------------------------
    def _no_clock(self, what):
        raise NotImplementedError(f"{what} needs the virtual clock: use gmplab.Runtime; a "
                                  "ParallelRuntime runs on real threads with run(timeout=)")

    def step(self, until=None):
        self._no_clock("step()")

    def run_for(self, d):
        self._no_clock("run_for()")

    def entersyscall(self, m, d="1h"):
        self._no_clock("entersyscall(m)")

    def exitsyscall(self, m):
        self._no_clock("exitsyscall(m)")

    def gosched(self, m):
        self._no_clock("gosched(m)")

    def gomaxprocs(self, n=None):
        """runtime.GOMAXPROCS: reads it; changing it is done before run()."""
        if n is not None and not (isinstance(n, int) and n == 0) and self._ran:
            raise ValueError("GOMAXPROCS of a ParallelRuntime can only change before run()")
        return super().gomaxprocs(n)

    def go(self, *body):
        if self._ran:
            raise ValueError("go() on a ParallelRuntime works before run(); to start goroutines "
                             "while it runs, put go(...) ops in main's or a goroutine's body")
        return super().go(*body)

    def _ensure_room(self):
        S = self._S
        if int(S[_l.H_ng]) + 4 > int(S[_l.H_gcap]):
            raise ValueError(f"more than max_goroutines={int(S[_l.H_gcap]) - 8} goroutines; "
                             "pass a larger max_goroutines")

    @property
    def now(self):
        """Real time since run() started, in ns (frozen once it returned)."""
        if self._threads_alive():
            return time.monotonic_ns() - int(self._S[_l.H_t0])
        return self._elapsed

    # --- running ---------------------------------------------------------------------------
    def run(self, until=None, timeout=None):
        """Run on real threads until main returns (all goroutines it waits for have exited).
        Raises Deadlock / ThreadExhaustion as Go would, and :class:`gmplab.RunTimeout` after
        ``timeout`` seconds of wall time (the threads are stopped; the state stays readable).
        Ctrl-C (KeyboardInterrupt) stops every thread too; ``close()`` from another thread
        ends it. ``finished`` then says why it ended. A ParallelRuntime runs once; after a
        close() that came first, run() returns at once."""
        if until is not None:
            self._no_clock("run(until=)")
        if timeout is not None:
            if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
                raise ValueError(f"timeout must be a number of seconds > 0, not {timeout!r}")
        with self._runlock:
            if self._closing:
                return self  # close() came first: nothing to run
            self._alive("run")
            if self._ran:
                raise ValueError("a ParallelRuntime runs once; create a new one")
            self._ran = True
            self._done.clear()
            self._live = threads = []
        try:
            return self._run_threads(threads, timeout)
        except BaseException as e:
            if not self._finished:
                self._finished = f"stopped by {type(e).__name__}"
            raise
        finally:
            self._done.set()

    def _run_threads(self, threads, timeout):
        self._sync_prog()
        S = self._S
        S[_l.H_parallel] = 1
        deadline = None if timeout is None else time.monotonic() + timeout
        why = None  # "closed" or "timeout": the run stopped before the program ended
        try:
            # The Ms that exist already get their threads with the world stopped, and the
            # clock starts once every one of them runs: in Go, runtime.main starts sysmon
            # from m0, which holds P0 and runs, so sysmon never looks at a P whose M has not
            # started (a thread that Python has not started yet is not a running M)
            self._traced = int(S[_l.H_tracereq])  # (sysmon's first round asks at once)
            with self._stw:
                S[_l.H_stw] = 1
                self._start_threads(threads, trace=False)
                why = self._wait_started(deadline)
                S[_l.H_t0] = time.monotonic_ns() - int(S[_l.H_now])
                _t.starttheworld(S)
            while why is None:
                seq = int(S[_l.H_tmplseq])
                if S[_l.H_stop]:  # close() from another thread
                    why = "closed"
                    break
                self._maybe_trace()
                self._start_threads(threads)
                self._maybe_trace()
                if int(S[_l.H_status]) != _l.ST_OK:
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    why = "timeout"
                    break
                wait = STARTER_POLL_NS
                if deadline is not None:
                    wait = max(1, min(wait, int((deadline - time.monotonic()) * 1e9)))
                _t.starter_wait(S, seq, wait)
        finally:
            if S[_l.H_t0] != 0:
                self._elapsed = time.monotonic_ns() - int(S[_l.H_t0])
            _stop_threads(S, threads)
            self._live = []
            S[_l.H_now] = self._elapsed
        if why == "timeout":
            self._finished = f"stopped by run(timeout={timeout})"
            raise RunTimeout(timeout, self._running_goids())
        if why == "closed" and int(S[_l.H_status]) == _l.ST_OK:
            self._finished = "closed while running"
            return self
        self._check_status()
        return self

    def _wait_started(self, deadline):
        """Start-up, the world stopped: wait until the thread of every M that exists runs
        (mstart marks m.thread 2). Returns "closed" or "timeout" if the run ends first."""
        S = self._S
        while True:
            seq = int(S[_l.H_tmplseq])
            if S[_l.H_stop]:
                return "closed"
            mt = table(S, "m")
            if ((mt[:, _l.M_thread] == 0) | (mt[:, _l.M_thread] == 2)).all():
                return None
            if deadline is not None and time.monotonic() >= deadline:
                return "timeout"
            _t.starter_wait(S, seq, 2_000_000)

    def _maybe_trace(self):
        """Print the schedtrace line sysmon asked for, if it asked since the last look."""
        req = int(self._S[_l.H_tracereq])
        if req != self._traced:
            self._traced = req
            self._trace_line()

    def _trace_line(self):
        """sysmon asked for a schedtrace line (S_lasttrace is when): print the state now, from
        a snapshot. Requests that came while the starter was busy are merged into one line."""
        from .schedtrace import record
        snap = self.snapshot()
        asked = int(snap._S[_l.S_lasttrace])
        if self.trace_asked and asked == self.trace_asked[-1]:
            return  # the request this line answers was printed already
        self.trace_asked.append(asked)
        record(self, snap)

    def _threads_alive(self):
        return any(th.is_alive() for th in self._live)

    def _start_threads(self, threads, trace=True):
        """The thread starter's job: an OS thread for every M the core created that no spare
        thread took, and SPARE_THREADS spare threads waiting for the next newm. None once the
        run is ending (a stop, or the program's end: spares exit then, and starting new ones,
        0.2-2 ms each on a busy machine, would only delay the end). Between two thread starts
        it prints a schedtrace line sysmon asked for (``trace``), so that a burst of newm does
        not hold the line back."""
        S = self._S
        while not _t.stopped(S):
            m = _t.claim(S)
            if m == _l.NIL:
                break
            L = self._log_of(m)
            th = threading.Thread(target=_t.mstart, args=(S, self._C, self._P, L, m),
                                  name=f"gmplab-M{m}", daemon=True)
            threads.append(th)
            th.start()
            if trace:
                self._maybe_trace()
        spares = sum(th.name == "gmplab-spare" and th.is_alive() for th in threads)
        for _ in range(SPARE_THREADS - spares):
            if _t.stopped(S):
                return
            th = threading.Thread(target=self._spare, args=(S, self._C, self._P, self._logs,
                                                            self._new_log()),
                                  name="gmplab-spare", daemon=True)
            threads.append(th)
            th.start()
            if trace:
                self._maybe_trace()

    @staticmethod
    def _spare(S, C, P, logs, L):
        m = _t.spare_wait(S)
        if m == _l.NIL:
            return
        threading.current_thread().name = f"gmplab-M{m}"
        logs[m] = L
        _t.mstart(S, C, P, L, m)

    def _log_of(self, m):
        L = self._logs.get(m)
        if L is None:
            L = self._logs[m] = self._new_log()
        return L

    def _new_log(self):
        cap = self.log_cap if self.log_cap is not None else 200_000
        on = int(self._L[_l.X_logon])
        L = np.zeros(_l.XHEADER + _l.LOGW * (cap if on else 0), dtype=np.int64)
        L[_l.X_logcap] = cap if on else 0
        L[_l.X_logon] = on
        L[_l.X_logmask] = self._L[_l.X_logmask]
        L[_l.X_curm] = _l.NIL
        return L

    def _running_goids(self):
        from .state import table
        gt = table(self._S, "g")
        live = gt[gt[:, _l.G_atomicstatus] != _l.Gdead]
        return [int(x) for x in live[:, _l.G_goid]]

    def _check_status(self):
        if int(self._S[_l.H_status]) == _l.ST_GLIMIT:
            self._finished = "too many goroutines"
            raise GoFatal(f"more than max_goroutines={int(self._S[_l.S_fatalarg]) - 8} "
                          "goroutines alive at once; pass a larger max_goroutines")
        return super()._check_status()

    def close(self):
        """Stop a run() going on in another thread, whatever its threads are doing (computing,
        blocked in syscalls, sleeping, waiting) or before it started them: run() returns
        within a few milliseconds, ``finished`` says "closed..." (or why the program ended,
        if it ended first), and close() waits for that. Before run(), it makes run() return
        at once. Idempotent."""
        with self._runlock:
            self._closing = True
            _t.stopall(self._S)
            running = self._ran and not self._done.is_set()
            if not running and not self._finished:
                self._finished = "closed"
        if running and threading.current_thread() not in self._live:
            self._done.wait()
        if not self._finished:
            self._finished = "closed"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # --- reading the state -----------------------------------------------------------------
    def snapshot(self):
        """A consistent copy of the runtime (stop-the-world: no thread is inside the core while
        the state is copied; Gs in a work op keep burning). Views and invariants work on it."""
        snap = object.__new__(_Snapshot)
        snap.__dict__.update(self.__dict__)
        S = self._S
        with self._stw:
            _t.stoptheworld(S)
            try:
                snap._S = _copy_state(S)
                snap._C = self._C.copy()
                snap._logs = {m: L[:_l.XHEADER + int(L[_l.X_logn]) * _l.LOGW].copy()
                              for m, L in list(self._logs.items())}
            finally:
                _t.starttheworld(S)
        snap._live = []
        snap._elapsed = self.now
        return snap

    @property
    def events(self):
        """Every decision so far: each M's log, merged by the monotonic clock (ties: by M)."""
        from .events import EventLog
        parts = [EventLog(self._L).array()]
        for m in sorted(self._logs):
            parts.append(EventLog(self._logs[m]).array())
        recs = np.concatenate(parts) if parts else np.zeros((0, _l.LOGW), np.int64)
        order = np.argsort(recs[:, _l.L_t], kind="stable")
        L = np.zeros(_l.XHEADER + recs.size, dtype=np.int64)
        L[_l.X_logn] = len(recs)
        L[_l.XHEADER:] = recs[order].ravel()
        return EventLog(L)

    @property
    def nevents(self):
        return int(self._L[_l.X_nevents]) + sum(int(L[_l.X_nevents]) for L in self._logs.values())

    @property
    def log_dropped(self):
        """Events not kept because an M's log was full (log_cap)."""
        return sum(int(L[_l.X_logdrop]) for L in self._logs.values())

    def __repr__(self):
        return (f"<ParallelRuntime gomaxprocs={int(self._S[_l.S_gomaxprocs])} "
                f"threads={self.mcount()} goroutines={len(self.goids())}"
                f"{' finished' if self._finished else ''}>")


class _Snapshot(ParallelRuntime):
    """A frozen copy made by ParallelRuntime.snapshot()."""

    def run(self, *a, **k):
        raise ValueError("a snapshot does not run")



def _copy_state(S):
    """A copy of S that touches only what is in use: everything up to the last G slot made, and
    the timer and netpoll heaps' entries (the rest of the preallocated G table stays untouched
    zeros)."""
    out = np.zeros(len(S), dtype=S.dtype)  # calloc: untouched pages cost nothing
    end = int(S[_l.H_goff]) + int(S[_l.H_ng]) * _l.NGF
    out[:end] = S[:end]
    toff, tn = int(S[_l.H_toff]), int(S[_l.H_tn])
    out[toff:toff + tn] = S[toff:toff + tn]
    nend, nn = toff + int(S[_l.H_gcap]), int(S[_l.H_nn])  # the netpoll heap, at the far end
    out[nend - nn:nend] = S[nend - nn:nend]
    return out


def _stop_threads(S, threads):
    """Raise the stop flag and join every thread. A thread that went to sleep on its futex
    just after it last looked at the flag (before the wake-up) is woken again each round."""
    interrupted = None
    _t.stopall(S)
    for th in threads:
        while th.is_alive():
            try:
                th.join(0.005)
            except KeyboardInterrupt as e:  # a second Ctrl-C: still stop every thread
                interrupted = e
            if th.is_alive():
                _t.stopall(S)
    if interrupted is not None:
        raise interrupted


_WARM = []


def _warm():
    """Compile (or load from numba's cache) the thread loops, once per process, on a dummy
    state whose stop flag is up: each call returns at once. Done when a ParallelRuntime is
    made, so that run() starts (and close() ends it) without a compile in between."""
    if _WARM:
        return
    S = np.zeros(_l.NHEADER + _l.NMF, dtype=np.int64)  # no Ms: nothing to claim
    S[_l.H_stop] = 1
    S[_l.H_moff] = _l.NHEADER
    L = np.zeros(_l.XHEADER, dtype=np.int64)
    P = np.zeros(_l.OPW, dtype=np.int64)
    _t.mstart(S, P.copy(), P, L, 0)
    _t.starter_wait(S, -1, 1)
    _t.claim(S)
    _t.stopped(S)
    _t.spare_wait(S)
    _t.stoptheworld(S)
    _t.starttheworld(S)
    _t.stopall(S)
    _WARM.append(True)
