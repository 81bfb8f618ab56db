"""Go's names for a learner's scheduler code: ``from gmplab.grading.go import *``.

The objects (:class:`P`, :class:`G`, :class:`M`, :data:`sched`, :data:`allp`,
:data:`gomaxprocs`, :class:`gQueue`, :class:`uint32`), Go's constants, and the built-in
scheduler functions a learner's function calls, with proc.go's signatures. A built-in is the
core's own function; where the learner has plugged in their own version of it (``replace=``),
the built-in name calls theirs, as Go's call would.

These work while gmplab runs the learner's function (in ``Runtime(replace=...)`` or a check).
"""
from ..runtime import layout as _l
from ..runtime import prunq as _pq
from ..runtime.prunq import THROW as _THROW
from . import plugs as _plugs
from .objects import (G, M, P, PluginError, allp, current, gomaxprocs, gQueue, sched,  # noqa
                      uint32)

# --- constants (runtime2.go, proc.go) ---------------------------------------------------------
_Gidle, _Grunnable, _Grunning, _Gsyscall, _Gwaiting, _Gdead = (
    _l.Gidle, _l.Grunnable, _l.Grunning, _l.Gsyscall, _l.Gwaiting, _l.Gdead)
_Pidle, _Prunning, _Psyscall, _Pgcstop, _Pdead = (
    _l.Pidle, _l.Prunning, _l.Psyscall, _l.Pgcstop, _l.Pdead)
forcePreemptNS = _l.FORCEPREEMPTNS   # 10ms
stealTries = _l.STEALTRIES           # 4
#: a sysmontick time never recorded: as ancient next to ``now`` as Go's 0 next to nanotime()
NEVER = _l.NEVER


def _p(run, pp, what):
    if not isinstance(pp, P) or pp._run is not run:
        run.fail(run.who(), f"{what} must be a P, not {type(pp).__name__} {pp!r}")
    return pp._i


def _gs(run, gp, what):
    if not isinstance(gp, G) or gp._run is not run:
        run.fail(run.who(), f"{what} must be a G, not {type(gp).__name__} {gp!r}")
    return gp._i


def runqput(pp, gp, next):
    """runqput(pp, gp, next): put gp on pp's local run queue (runnext if next)."""
    run = current()
    quiet = getattr(run.recorder, "quiet", False)
    run.kernel("queues.runqput")(run.S, run.L, _p(run, pp, "pp"), _gs(run, gp, "gp"),
                                 bool(next), quiet)


def runqputslow(pp, gp, h, t):
    """runqputslow(pp, gp, h, t) bool: move half of pp's full ring and gp to the global queue."""
    run = current()
    p, g = _p(run, pp, "pp"), _gs(run, gp, "gp")
    batch = run.L[_l.XBATCH:_l.XBATCH + _l.RUNQSIZE // 2 + 1]
    k = run.kernel("prunq.runqputslow")(run.S, p, g, int(h) & 0xFFFFFFFF, int(t) & 0xFFFFFFFF,
                                        batch)
    if k == _THROW:
        run.fail(run.who(), f"runqputslow(P{p}, G{gp.goid}, h={h}, t={t}): t - h = "
                            f"{(int(t) - int(h)) & 0xFFFFFFFF}, not a full ring of 256: Go "
                            "throws \"runqputslow: queue is not full\"")
    if k == 0:
        return False
    run.core.builtin("queues.globrunqputbatch")(run.S, run.L, p, g, k)
    return True


def globrunqputbatch(batch):
    """globrunqputbatch(batch): put runqputslow's batch (a list or gQueue of Gs, in order) on
    the tail of the global queue. sched.lock must be held (it is: one M acts at a time)."""
    _plugs.stage_batch(current(), batch)


def runqget(pp):
    """runqget(pp) (gp, inheritTime): runnext first, then the head of the ring."""
    run = current()
    g, inh = run.kernel("queues.runqget")(run.S, _p(run, pp, "pp"))
    return run.G_or_none(int(g)), bool(inh)


def runqgrab(pp, batch, batchHead, stealRunNextG):
    """runqgrab(pp, batch, batchHead, stealRunNextG) uint32: grab half of pp's queue into
    batch (the thief's ``runq``) from batchHead (the thief's ``runqtail``)."""
    run = current()
    p2 = _p(run, pp, "pp")
    if not isinstance(batch, _plugs.runq) or batch._run is not run:
        run.fail(run.who(), f"runqgrab's batch is the thief's ring, pp.runq; not {batch!r}")
    tail = run.P(batch._p).runqtail
    if int(batchHead) != tail:
        run.fail(run.who(), f"runqgrab(P{p2}, P{batch._p}.runq, batchHead={batchHead}, ...): "
                            f"the batch starts at the thief's runqtail, {tail}")
    n = run.kernel("prunq.runqgrab")(run.S, p2, batch._p, bool(stealRunNextG), True,
                                     run.state.get("usleep", _pq.USLEEP_SPIN))
    if n == _pq.USLEEP:
        raise _plugs.Sleep
    return uint32(n)


def runqsteal(pp, p2, stealRunNextG):
    """runqsteal(pp, p2, stealRunNextG) *g: steal half of p2's queue into pp's; return one."""
    run = current()
    g = run.kernel("prunq.runqsteal")(run.S, _p(run, pp, "pp"), _p(run, p2, "p2"),
                                      bool(stealRunNextG), True)
    return run.G_or_none(int(g))


def globrunqget(pp, max):
    """globrunqget(pp, max) *g (Go 1.24's form): take a batch from the global queue."""
    run = current()
    return run.G_or_none(int(run.kernel("queues.globrunqget")(run.S, run.L, _p(run, pp, "pp"),
                                                               int(max), _l.W_BATCH)))


def runqempty(pp):
    """runqempty(pp): no G on pp's ring and none in its runnext."""
    run = current()
    return bool(run.core.builtin("queues.runqempty")(run.S, _p(run, pp, "pp")))


def usleep(usec):
    """usleep(usec), as runqgrab calls it before taking a running P's runnext. On the virtual
    clock the sleep is an event of its own: your runqgrab stops here, other Ms go on for the
    ``usleep3`` cost, and then the runtime calls your runqgrab again from the start (where this
    returns at once)."""
    run = current()
    if hasattr(run.recorder, "sleep"):
        run.recorder.sleep()


def preemptone(pp):
    """preemptone(pp) bool: ask the G running on pp to stop (gp.preempt and SIGURG)."""
    run = current()
    p = _p(run, pp, "pp")
    if hasattr(run.recorder, "preempted"):
        run.recorder.preempted.add(p)
    return bool(run.kernel("sysmon.preemptone")(run.S, run.L, p))


def handoffp(pp):
    """handoffp(pp): hand off P pp, which no M holds: start an M for it if there is work (or
    nobody spins), else put it on the idle list."""
    run = current()
    p = _p(run, pp, "pp")
    if pp.status != _Pidle or pp.m is not None:
        run.fail(run.who(), f"handoffp({pp!r}): {pp!r} is {_l.PSTATUS_NAMES[pp.status]}"
                            f"{' on ' + repr(pp.m) if pp.m is not None else ''}; handoffp takes "
                            "a P that its M gave up (for retake: after pp.status = _Pidle)")
    run.kernel("proc.handoffp")(run.S, run.L, p)


def getg():
    """getg(): the goroutine running this code (exitsyscall runs on the user G)."""
    run = current()
    m = int(run.L[_l.X_curm])
    return run.G_or_none(int(run.S[int(run.S[_l.H_moff]) + m * _l.NMF + _l.M_curg]))


def _exit_rec(run, what):
    rec = run.recorder
    if not hasattr(rec, "slow"):
        run.fail(run.who(), f"{what} is exitsyscall's")
    return rec


def wirep(pp):
    """wirep(pp): associate pp, which nobody holds (_Pidle), with the current M."""
    run = current()
    rec = _exit_rec(run, "wirep")
    p = _p(run, pp, "pp")
    if pp.status != _Pidle or pp.m is not None:
        run.fail(run.who(), f"wirep({pp!r}): {pp!r} is {_l.PSTATUS_NAMES[pp.status]}"
                            f"{' on ' + repr(pp.m) if pp.m is not None else ''}: Go throws "
                            "\"wirep: invalid p state\"; take the old P back only while it is "
                            "still _Psyscall (sysmon may have retaken it)")
    if run.M(rec.m).p is not None:
        run.fail(run.who(), f"wirep({pp!r}): M{rec.m} already holds {run.M(rec.m).p!r}")
    run.core.builtin("proc.acquirep")(run.S, run.L, rec.m, p)
    rec.path = "oldp"


def exitsyscallfast_pidle():
    """exitsyscallfast_pidle() bool: take any idle P (pidleget under sched.lock), acquired."""
    run = current()
    rec = _exit_rec(run, "exitsyscallfast_pidle")
    if run.M(rec.m).p is not None:
        run.fail(run.who(), f"exitsyscallfast_pidle(): M{rec.m} already holds "
                            f"{run.M(rec.m).p!r}")
    if run.core.builtin("proc.exitsyscallfast_pidle")(run.S, run.L, rec.m) == _l.NIL:
        return False
    rec.path = "idle"
    return True


def casgstatus(gp, oldval, newval):
    """casgstatus(gp, oldval, newval): change gp's status from oldval (which it must be)."""
    run = current()
    g = _gs(run, gp, "gp")
    if (oldval, newval) != (_Gsyscall, _Grunning) or not hasattr(run.recorder, "slow"):
        run.fail(run.who(), f"casgstatus(gp, {oldval}, {newval}): here only exitsyscall's "
                            "casgstatus(gp, _Gsyscall, _Grunning)")
    if gp.status != oldval:
        run.fail(run.who(), f"casgstatus: G{gp.goid} is {_l.GSTATUS_NAMES[gp.status]}, not "
                            f"{_l.GSTATUS_NAMES[oldval]}")
    if gp.m is None or gp.m.p is None:
        run.fail(run.who(), f"casgstatus(G{gp.goid}, _Gsyscall, _Grunning) without a P: a G "
                            "runs only on an M that holds a P")
    run.core.builtin("proc.casgstatus")(run.S, run.L, g, oldval, newval)


def exitsyscall0(gp):
    """exitsyscall0(gp), on g0: the slow path — gp goes to an idle P if one is free now, else
    to the global queue, and the M stops."""
    run = current()
    rec = _exit_rec(run, "exitsyscall0")
    if run.M(rec.m).p is not None:
        run.fail(run.who(), f"exitsyscall0 with M{rec.m} holding {run.M(rec.m).p!r}: the slow "
                            "path is for an M that found no P")
    rec.slow = True
    run.core.builtin("proc.exitsyscall0")(run.S, run.L, rec.m, _gs(run, gp, "gp"), rec.oldp)


def mcall(fn):
    """mcall(fn): switch to g0 and call fn(gp) (here: mcall(exitsyscall0))."""
    if fn is not exitsyscall0:
        current().fail(current().who(), f"mcall({getattr(fn, '__name__', fn)}): here only "
                                        "mcall(exitsyscall0)")
    exitsyscall0(getg())


def netpollinited():
    """netpollinited(): the network poller has been set up (a timer or a read was used)."""
    return int(current().S[_l.S_netpollinited]) != 0


def netpollAnyWaiters():
    """netpollAnyWaiters(): some G is parked on a network read."""
    return int(current().S[_l.S_netwaiters]) > 0


__all__ = ["G", "M", "P", "PluginError", "allp", "gomaxprocs", "gQueue", "sched", "uint32",
           "_Gidle", "_Grunnable", "_Grunning", "_Gsyscall", "_Gwaiting", "_Gdead",
           "_Pidle", "_Prunning", "_Psyscall", "_Pgcstop", "_Pdead", "forcePreemptNS",
           "stealTries", "NEVER", "runqput", "runqputslow", "globrunqputbatch", "runqget",
           "runqgrab", "runqsteal", "globrunqget", "runqempty", "usleep", "preemptone", "handoffp",
           "getg", "wirep", "exitsyscallfast_pidle", "casgstatus", "exitsyscall0", "mcall",
           "netpollinited", "netpollAnyWaiters"]
