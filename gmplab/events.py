"""The event log: every scheduler decision, with the Go function that made it and a one-line
explanation a learner can check against proc.go."""
from typing import NamedTuple

import numpy as np

from .ops import fmt_ns
from .runtime import layout as _l

_W = {v: k for k, v in vars(_l).items() if k.startswith("W_")}


def _G(g):
    return f"G{g}" if g >= 0 else "no G"


def _P(p):
    return f"P{p}" if p >= 0 else "no P"


def _M(m):
    return f"M{m}" if m >= 0 else "outside the scheduler"


def _t(ns):
    return fmt_ns(ns) if ns >= 0 else "ever"


def _explain(e):
    fn, w, g, m, p, a, b = e.fn, e.why, e.g, e.m, e.p, e.a, e.b
    W = _l
    if fn == "newproc":
        who = f"G{a}" if a >= 0 else "the runtime"
        return f"{who} runs `go`: new {_G(g)} (goid from {_P(p)}'s batch of 16), _Grunnable"
    if fn == "runqput":
        if w == W.W_RUNNEXT:
            kick = f"; G{a} is kicked to the tail" if a >= 0 else ""
            return f"{_G(g)} goes to {_P(p)}'s runnext{kick}"
        if w == W.W_KICK:
            return f"{_G(g)}, kicked out of runnext, goes to the tail of {_P(p)}'s ring ({a}/256)"
        return f"{_G(g)} goes to the tail of {_P(p)}'s ring ({a}/256)"
    if fn == "runqputslow":
        return (f"{_P(p)}'s ring is full: half of it (128) plus {_G(g)} = {a} Gs move to the "
                f"global queue (now {b})")
    if fn == "runqget":
        if w == W.W_RUNNEXT:
            return f"{_P(p)} takes {_G(g)} from runnext: it inherits the time slice"
        if w == W.W_TIMER:
            return f"{_P(p)} ran a stolen timer and takes {_G(g)}"
        return f"{_P(p)} takes {_G(g)} from the head of its ring: a new time slice"
    if fn == "globrunqget":
        if w == W.W_FAIR:
            return (f"schedtick%61==0: {_P(p)} takes one G, {_G(g)}, from the global queue "
                    f"for fairness ({b} left)")
        why = "recheck before giving up the P: " if w == W.W_RECHECK else ""
        return (f"{why}{_P(p)} takes {a} G(s) from the global queue "
                f"(min(n, n/gomaxprocs+1, 128)); runs {_G(g)}, {b} left")
    if fn == "runqsteal":
        what = "its runnext" if w == W.W_RUNNEXTSTEAL else f"{b} G(s), half of its ring rounded up"
        return f"M{m} on {_P(p)} steals {what} from P{a}; runs {_G(g)}"
    if fn == "findRunnable":
        if w == W.W_IDLE:
            return f"M{m} finds no work: releasep, {_P(p)} goes idle (npidle={a})"
        if w == W.W_NEEDSPIN:
            return f"M{m} becomes spinning because sched.needspinning was set"
        if w == W.W_RECHECK:
            return f"M{m} saw work on a P while giving up: takes idle {_P(p)} and steals again"
    if fn == "execute":
        slice_ = "inherits the time slice" if w == W.W_INHERIT else f"new time slice, schedtick={a}"
        return f"{_G(g)} runs on M{m} with {_P(p)} ({slice_})"
    if fn == "gopark":
        return f"{_G(g)} parks ({_l.WAITREASON_NAMES.get(w, w)}); M{m} keeps {_P(p)} and schedules"
    if fn == "goready":
        return f"{_G(g)} is ready: _Gwaiting → _Grunnable on {_P(p)}"
    if fn == "goschedImpl":
        return f"{_G(g)} calls Gosched: to the global queue, M{m} schedules"
    if fn == "gopreempt_m":
        return f"{_G(g)} stops at a safe point (preempted): to the global queue"
    if fn == "preemptone":
        ran = f"ran {_t(a)} in one time slice" if 0 <= a < 1 << 50 else \
            "holds a time slice sysmon never saw start (schedtick unchanged)"
        return (f"sysmon: {_G(g)} on {_P(p)} {ran} (≥ forcePreemptNS 10ms): preempt "
                "(gp.preempt + SIGURG)")
    if fn == "entersyscall":
        return f"{_G(g)} enters a {fmt_ns(a)} syscall on M{m}: {_P(p)} stays in _Psyscall"
    if fn == "entersyscallblock":
        return f"{_G(g)} enters a blocking syscall on M{m}: handoffp({_P(p)}) at once"
    if fn == "exitsyscall":
        if w == W.W_FAST_OLDP:
            return f"{_G(g)} returns from its syscall: M{m} takes back {_P(p)} (fast path)"
        return f"{_G(g)} returns from its syscall: its P was taken, M{m} gets idle {_P(p)}"
    if fn == "exitsyscall0":
        return (f"{_G(g)} returns from its syscall: no P free, so {_G(g)} goes to the global "
                f"queue and M{m} {'waits for it (locked)' if b else 'stops'}")
    if fn == "retake":
        since = f"in syscall for {_t(a)}" if a >= 0 else "in its first syscall"
        pre = "time slice over 10ms; " if w == W.W_SYSRETAKE else ""
        return f"sysmon: retake {_P(p)} ({pre}{since}, {b} G(s) queued) → handoffp"
    if fn == "handoffp":
        return {W.W_LOCALWORK: f"handoffp({_P(p)}): it has work ({a} local, {b} global) → startm",
                W.W_SPIN: f"handoffp({_P(p)}): no spinning M and no idle P → startm a spinning M",
                W.W_LASTP: f"handoffp({_P(p)}): last running P and nobody polls the network → startm",
                W.W_IDLE: f"handoffp({_P(p)}): nothing to do, {_P(p)} goes idle (pidleput)",
                }.get(w, f"handoffp({_P(p)})")
    if fn == "startm":
        if w == W.W_NOIDLEP:
            return "startm: no idle P, nothing to start"
        sp = " spinning" if b else ""
        if w == W.W_NEWM:
            return f"startm: no idle M, create M{a}{sp} for {_P(p)} (newm)"
        return f"startm: wake idle M{a}{sp} for {_P(p)} (mget)"
    if fn == "newm":
        if b > 0 and w in (W.W_NONE, W.W_SPINNING):
            if p < 0:
                who = "m0, the program's main thread" if a == 0 else "no P yet"
                return f"newm: new OS thread M{a} ({who}; threads={b})"
            return f"newm: new OS thread M{a} for {_P(p)} (threads={b})"
        if w == W.W_HANDOFF:
            return (f"newm: new M{a} for {_P(p)}, made on locked M{m}: the template thread "
                    f"starts its OS thread (newmHandoff; threads={b})")
        return f"newm: M{a} would exceed the thread limit of {b}"
    if fn == "startTemplateThread":
        return (f"{_G(g)} calls LockOSThread first: startTemplateThread creates the template "
                f"thread M{a}, without a P (threads={b})")
    if fn == "templateThread":
        if w == W.W_NEWM:
            return f"templateThread on M{m} starts the OS thread of M{a} for {_P(p)} (newm1)"
        return (f"templateThread starts on M{m}: a system M like sysmon (sched.nmsys={a}); "
                "checkdead")
    if fn == "newm_sysmon":
        return f"runtime.main starts sysmon on M{a}, without a P"
    if fn == "runtime.main":
        return f"runtime.main: {_G(g)} is the main goroutine, on M0 with P0"
    if fn == "stopm":
        return f"M{m} has nothing to do and parks (stopm); idle Ms: {a}"
    if fn == "wakep":
        if w == W.W_NOIDLEP:
            return "wakep: no idle P (sched.needspinning=1)"
        return f"wakep: work was added, no M spins, {_P(p)} is idle → start a spinning M"
    if fn == "resetspinning":
        return f"M{m} found work and stops spinning"
    if fn == "goexit0":
        tail = "; it was locked, so its thread exits too" if w == W.W_EXITLOCKED else ""
        return f"{_G(g)} exits: _Gdead, onto {_P(p)}'s free list{tail}"
    if fn == "checkTimers":
        return f"{_G(g)}'s timer on {_P(p)} runs ({fmt_ns(max(a, 0))} late)"
    if fn == "timeSleep":
        return f"{_G(g)} sleeps {fmt_ns(a)}: a timer on {_P(p)}"
    if fn == "netpoll":
        return {W.W_BLOCK: f"M{m} has no work and blocks in netpoll (the poller) until "
                           f"{'the next timer at ' + _t(a) if a >= 0 else 'a network read'}",
                W.W_POLL: f"netpoll returned {a} ready G(s): M{m} runs {_G(g)} on idle {_P(p)}",
                W.W_NETPOLL: f"netpoll(0) finds {a} ready G(s): {_G(g)} runs on {_P(p)}",
                W.W_NOIDLEP: f"netpoll returned {a} G(s) but no P is idle: global queue, M{m} stops",
                W.W_NOP: f"M{m} back from netpoll with {_P(p)}: look for work again",
                }.get(w, "netpoll")
    if fn == "injectglist":
        if w == W.W_GLOBAL:
            return f"injectglist: {a} G(s) to the global queue; start Ms for idle Ps"
        return f"injectglist: {a} G(s): {b} to the global queue, the rest to {_P(p)}"
    if fn == "wakeNetPoller":
        return f"wakeNetPoller: interrupt the poller M{a} (netpollBreak) for an earlier timer"
    if fn == "LockOSThread":
        return f"{_G(g)} locks M{m} (lockedExt={a})"
    if fn == "UnlockOSThread":
        return f"{_G(g)} unlocks M{m} (lockedExt={a})"
    if fn == "stoplockedm":
        if w == W.W_NOTED:
            return (f"M{m} is locked to {_G(g)}: hand off {_P(p)}; {_G(g)} is runnable again "
                    f"and startlockedm already woke M{m} (its note is set): it runs it at once")
        return f"M{m} is locked to {_G(g)}, which cannot run: hand off {_P(p)}, sleep"
    if fn == "startlockedm":
        return f"{_G(g)} is locked to M{a}: hand {_P(p)} to it, M{m} stops"
    if fn == "mexit":
        if w == W.W_WEDGE:
            return (f"M{a} is m0, the main thread: its locked G exited, so it is wedged "
                    "(parked for ever), not exited; its P is handed off")
        return f"M{a} exits (its locked G exited); its P is handed off"
    if fn == "procresize":
        if w == W.W_DESTROY:
            return f"procresize: {_P(p)} is destroyed; its Gs go to the head of the global queue"
        return f"procresize: GOMAXPROCS {a} → {b}"
    if fn == "checkdead":
        if w == W.W_BLOCK:
            return "checkdead: all goroutines are asleep - deadlock!"
        return "checkdead: no goroutines (main called runtime.Goexit) - deadlock!"
    if fn == "sysmon":
        if w == W.W_SYSMONWAIT:
            return f"sysmon: every P is idle, sleep deeply for {fmt_ns(a)} (sysmonwait)"
        return f"sysmon: nobody polled the network for 10ms: netpoll finds {a} G(s)"
    if fn in ("chansend", "chanrecv"):
        op = "sends on" if fn == "chansend" else "receives from"
        if w == W.W_DIRECT:
            return f"{_G(g)} {op} ch{a} straight to/from waiting G{b}"
        return f"{_G(g)} {op} ch{a} through its buffer"
    if fn == "throw":
        return f"fatal error: impossible state in {_l.FN_NAMES[w] if 0 <= w < len(_l.FN_NAMES) else w} ({a})"
    return f"{fn}"


class Event(NamedTuple):
    """One decision: time (ns), Go function, G (goid), M, P and the branch details."""
    t: int
    fn: str
    g: int
    m: int
    p: int
    why: int
    a: int
    b: int

    @property
    def text(self):
        """A one-line explanation, naming the Go function's decision."""
        return _explain(self)

    def __str__(self):
        return f"{self.t / 1000:>12.3f}us {self.fn:<18} {self.text}"


class EventLog:
    """The runtime's event log: a sequence of :class:`Event` (decoded lazily)."""

    def __init__(self, L):
        n = int(L[_l.X_logn])
        self._a = L[_l.XHEADER:_l.XHEADER + n * _l.LOGW].reshape(n, _l.LOGW)

    def __len__(self):
        return len(self._a)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._ev(r) for r in self._a[i]]
        return self._ev(self._a[i])

    @staticmethod
    def _ev(r):
        return Event(int(r[_l.L_t]), _l.FN_NAMES[int(r[_l.L_fn])], int(r[_l.L_g]),
                     int(r[_l.L_m]), int(r[_l.L_p]), int(r[_l.L_why]), int(r[_l.L_a]),
                     int(r[_l.L_b]))

    def __iter__(self):
        for r in self._a:
            yield self._ev(r)

    def array(self):
        """The raw records (t, fn, why, g, m, p, a, b) as an int64 array (no copy)."""
        return self._a

    def fns(self):
        """The Go function names, in order."""
        return [_l.FN_NAMES[int(f)] for f in self._a[:, _l.L_fn]]

    def where(self, fn=None, g=None, m=None, p=None):
        """The events matching every given field."""
        a = self._a
        mask = np.ones(len(a), dtype=bool)
        if fn is not None:
            names = [fn] if isinstance(fn, str) else list(fn)
            codes = [_l.FN[n] for n in names]
            mask &= np.isin(a[:, _l.L_fn], codes)
        for col, v in ((_l.L_g, g), (_l.L_m, m), (_l.L_p, p)):
            if v is not None:
                mask &= a[:, col] == v
        return [self._ev(r) for r in a[mask]]

    def __repr__(self):
        return f"<EventLog: {len(self)} events>"

    def text(self, last=None):
        rows = self[-last:] if last else self[:]
        return "\n".join(str(e) for e in rows)
