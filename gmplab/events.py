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
            return f"{_P(p)} ran another P's due timers while stealing and takes {_G(g)}"
        return f"{_P(p)} takes {_G(g)} from the head of its ring: a new time slice"
    if fn == "globrunqget":
        if w == W.W_FAIR:
            return (f"schedtick%61==0: {_P(p)} takes one G, {_G(g)}, from the global queue "
                    f"for fairness ({b} left)")
        why = "recheck before giving up the P: " if w == W.W_RECHECK else ""
        return (f"{why}{_P(p)} takes {a} G(s) from the global queue "
                f"(min(n, n/gomaxprocs+1, 128)); runs {_G(g)}, {b} left")
    if fn == "runqsteal":
        if w == W.W_USLEEP:
            return (f"M{m} on {_P(p)} finds {_G(g)} in running P{a}'s runnext: runqgrab sleeps "
                    f"usleep(3) ({fmt_ns(b)}) before taking it, so that P{a} can run it itself")
        if w == W.W_RUNNEXTLOST:
            return (f"M{m} on {_P(p)} wakes from usleep(3): P{a} took {_G(g)} from its runnext "
                    "meanwhile, so the CAS fails and the thief gives it up")
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
        tail = "preempt it (gp.preempt + SIGURG)"
        if not 0 <= a < 1 << 50:
            return (f"sysmon: {_G(g)} on {_P(p)} holds a time slice sysmon never saw start "
                    f"(schedtick unchanged since the P was made): {tail}")
        if w == W.W_STALE:
            return (f"sysmon: {_P(p)}'s schedtick has not changed since sysmon noted it "
                    f"{_t(a)} ago (≥ forcePreemptNS 10ms), so the time slice is over; {_G(g)} "
                    f"has run only {fmt_ns(max(b, 0))} of it (it inherited the slice through "
                    f"runnext): {tail}")
        return (f"sysmon: {_G(g)} on {_P(p)} has run ≥{_t(a)} in one time slice (schedtick "
                f"unchanged since sysmon noted it, ≥ forcePreemptNS 10ms): {tail}")
    if fn == "entersyscall":
        return f"{_G(g)} enters a {fmt_ns(a)} syscall on M{m}: {_P(p)} stays in _Psyscall"
    if fn == "entersyscallblock":
        return f"{_G(g)} enters a blocking syscall on M{m}: handoffp({_P(p)}) at once"
    if fn == "exitsyscall":
        if w == W.W_FAST_OLDP:
            return f"{_G(g)} returns from its syscall: M{m} takes back {_P(p)} (fast path)"
        lost = ("its P was handed off when the syscall began" if a < 0
                else f"P{a} was taken")
        return f"{_G(g)} returns from its syscall: {lost}, M{m} gets idle {_P(p)} (fast path)"
    if fn == "exitsyscall0":
        if w == W.W_SLOW_IDLEP:
            return (f"{_G(g)} returns from its syscall: exitsyscall0 finds {_P(p)} idle after "
                    f"all; M{m} runs {_G(g)} on it (new time slice)")
        return (f"{_G(g)} returns from its syscall: no P free, so {_G(g)} goes to the global "
                f"queue and M{m} {'waits for it (locked)' if b else 'stops'}")
    if fn == "retake":
        if w == W.W_SYSRETAKE:
            why = ("its time slice is over (schedtick unchanged ≥10ms), so the syscall "
                   "checks are skipped (sysretake)")
        elif b > 0:
            why = f"{b} G(s) wait in its run queue"
        elif a < 0:
            why = ("sysmon never noted a syscall on it: syscalltick 0 equals its initial "
                   "record, so this first look retakes it")
        elif a >= _l.SYSCALL_SPARE_NS:
            why = f"sysmon noted this syscall {_t(a)} ago (≥10ms)"
        else:
            why = (f"nothing queued, but no spinning M and no idle P could cover (sysmon "
                   f"noted this syscall {_t(a)} ago)")
        return f"sysmon: retake {_P(p)} from its syscall: {why} → handoffp"
    if fn == "handoffp":
        if w == W.W_LOCALWORK:
            nx = f"runnext {_G(g)}, " if g >= 0 else ""
            return (f"handoffp({_P(p)}): it has work ({nx}{a} in its ring, {b} global) → "
                    "startm")
        if w == W.W_IDLE:
            return (f"handoffp({_P(p)}): no work, and others can pick up new work (nmspinning="
                    f"{a}, idle Ps before this one={b - 1}; not the last P with nobody in "
                    f"netpoll): {_P(p)} goes idle (pidleput)")
        return {W.W_SPIN: f"handoffp({_P(p)}): no spinning M and no idle P → startm a spinning M",
                W.W_LASTP: (f"handoffp({_P(p)}): the last running P (npidle == gomaxprocs-1) "
                            "and no M blocks in netpoll (lastpoll != 0) → startm"),
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
            if p < 0 and a == 0:
                # (gmplab's schedinit sets up m0 through newm; Go's m0 is a static m that
                # schedinit initialises with mcommoninit, and that no newm ever creates)
                return ("schedinit: M0 is m0, the program's main thread, set up in place "
                        f"(Go's m0 is static: mcommoninit, not newm; threads={b})")
            if p < 0:
                return f"newm: new OS thread M{a}, started without a P (threads={b})"
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
        return f"wakep: no M spins and {_P(p)} is idle → start a spinning M"
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
        if w == W.W_BLOCK:
            if a >= 0:
                reads = f" or one of {b} network reads" if b > 0 else ""
                return (f"M{m} has no work and blocks in netpoll({fmt_ns(max(a - e.t, 0))}): "
                        f"the poller, until the next timer at {_t(a)}{reads}")
            return (f"M{m} has no work and blocks in netpoll(-1): the poller, with no timer "
                    f"pending, until a network read is ready ({b} waiting)")
        return {W.W_POLL: f"netpoll returned {a} ready G(s): M{m} runs {_G(g)} on idle {_P(p)}",
                W.W_NETPOLL: f"netpoll(0) finds {a} ready G(s): {_G(g)} runs on {_P(p)}",
                W.W_NOIDLEP: f"netpoll returned {a} G(s) but no P is idle: global queue, M{m} stops",
                W.W_NOP: f"M{m} back from netpoll with {_P(p)}: look for work again",
                }.get(w, "netpoll")
    if fn == "injectglist":
        if w == W.W_GLOBAL:
            return f"injectglist: {a} G(s) to the global queue; start Ms for idle Ps"
        if w == W.W_OVERFLOW:
            return (f"injectglist: {a} G(s) did not fit in {_P(p)}'s ring (runqputbatch): to "
                    f"the global queue (now {b})")
        return (f"injectglist: {a} G(s): {b} to the global queue (one per idle P, with an M "
                f"started), the rest to {_P(p)}'s ring (runqputbatch)")
    if fn == "wakeNetPoller":
        return f"wakeNetPoller: interrupt the poller M{a} (netpollBreak) for an earlier timer"
    if fn == "LockOSThread":
        return f"{_G(g)} locks M{m} (lockedExt={a})"
    if fn == "UnlockOSThread":
        if w == W.W_NOP:
            return (f"{_G(g)} calls UnlockOSThread, but M{m} is not locked (lockedExt=0): "
                    f"nothing to undo")
        if a == 0:
            return f"{_G(g)} unlocks M{m} (lockedExt=0): unwired, M{m} may run any G again"
        return f"{_G(g)} unlocks M{m} (lockedExt={a}): still locked"
    if fn == "stoplockedm":
        if w == W.W_NOTED:
            return (f"M{m} is locked to {_G(g)}: hand off {_P(p)}; {_G(g)} is runnable again "
                    f"and startlockedm already woke M{m} (its note is set): it runs it at once")
        if p < 0:
            return (f"M{m} is locked to {_G(g)}, which cannot run, and holds no P to hand off: "
                    f"sleep until startlockedm hands it one")
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
            until = ("no timer due sooner: forcegcperiod/2" if a >= _l.FORCEGCPERIOD_HALF
                     else "until the next timer")
            return f"sysmon: every P is idle, sleep deeply for {fmt_ns(a)} ({until}; sysmonwait)"
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
