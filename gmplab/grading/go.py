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


__all__ = ["G", "M", "P", "PluginError", "allp", "gomaxprocs", "gQueue", "sched", "uint32",
           "_Gidle", "_Grunnable", "_Grunning", "_Gsyscall", "_Gwaiting", "_Gdead",
           "_Pidle", "_Prunning", "_Psyscall", "_Pgcstop", "_Pdead", "forcePreemptNS",
           "stealTries", "NEVER", "runqput", "runqputslow", "globrunqputbatch", "runqget",
           "runqgrab", "runqsteal", "globrunqget", "runqempty", "usleep", "preemptone", "handoffp"]
