"""The Go functions a learner can plug in, each with the adapter that runs it in the core.

Each :class:`Plug` names the core kernels its Go function stands for and, for each, how to call
the learner's function with :mod:`.objects` and turn what it did back into the core's terms: a
recorder allows the writes the function may make and emits the event-log records the built-in
function emits for the same effect; afterwards the result is checked (types, a G on two queues,
a ring over 256). A one-line summary of what each call was given and what it did goes into the
run's trace, for the checks' messages.

=================  ===========================  =================================================
Go name            core kernel(s)               the learner writes
=================  ===========================  =================================================
``runqput``        queues.runqput               ``runqput(pp, gp, next)``
``runqputslow``    prunq.runqputslow            ``runqputslow(pp, gp, h, t) -> bool``
``runqget``        queues.runqget               ``runqget(pp) -> (gp, inheritTime)``
``runqgrab``       prunq.runqgrab               ``runqgrab(pp, batch, batchHead, stealRunNextG) -> n``
``runqsteal``      prunq.runqsteal              ``runqsteal(pp, p2, stealRunNextG) -> gp``
``globrunqget``    queues.globrunqget           ``globrunqget(pp, max) -> gp``
``randomOrder``    procresize.setcoprimes,      ``class randomOrder`` (``reset``, ``start``) whose
                   proc.randomOrder_start, ...  ``start`` returns a ``randomEnum``
``retake``         sysmon.retake                ``retake(now) -> n``
``exitsyscall``    proc.exitsyscall             ``exitsyscall()`` (with ``getg()``, ``wirep``, ...)
``findRunnable_``  proc.findRunnable_next       ``findRunnable_next(pp, mp, after) -> source``
``next``
=================  ===========================  =================================================
"""
import numpy as np

from ..runtime import layout as _l
from ..runtime import prunq as _pq
from . import objects as _o
from .objects import G, P, runq, uint32
from .plugins import BUILTIN, register

U32 = 0xFFFFFFFF


# --- reading queues ---------------------------------------------------------------------------

_IDX = np.arange(2 * _l.RUNQSIZE)


def ring_array(S, p):
    """The slots of the Gs on P p's ring, head first (a numpy array)."""
    b = int(S[_l.H_poff]) + p * _l.NPF
    h, t = int(S[b + _l.P_runqhead]), int(S[b + _l.P_runqtail])
    off = int(S[_l.H_rqoff]) + p * _l.RUNQSIZE
    n = min((t - h) & U32, 2 * _l.RUNQSIZE)
    return S[off + ((h + _IDX[:n]) & (_l.RUNQSIZE - 1))]


def ring(S, p):
    """The slots of the Gs on P p's ring, head first."""
    return ring_array(S, p).tolist()


def runnext(S, p):
    return int(S[int(S[_l.H_poff]) + p * _l.NPF + _l.P_runnext])


def global_list(S, limit=100_000):
    out, g = [], int(S[_l.S_runqhead])
    while g != _l.NIL and len(out) < limit:
        out.append(g)
        g = int(S[int(S[_l.H_goff]) + g * _l.NGF + _l.G_schedlink])
    return out


def goid(S, g):
    return -1 if g == _l.NIL else int(S[int(S[_l.H_goff]) + g * _l.NGF + _l.G_goid])


def gname(S, g):
    return "nil" if g == _l.NIL else f"G{goid(S, g)}"


def glist(S, gs):
    """[G2 G3 … G250] — a long list shortened in the middle."""
    if len(gs) > 10:
        names = ([gname(S, int(g)) for g in gs[:4]] + [f"… ({len(gs)} Gs) …"]
                 + [gname(S, int(g)) for g in gs[-4:]])
    else:
        names = [gname(S, g) for g in gs]
    return "[" + " ".join(names) + "]"


def pqueue(S, p):
    return f"runnext={gname(S, runnext(S, p))} runq={glist(S, ring_array(S, p))}"


def check_unique(run, name, places, only=None):
    """PluginError if a G is in two of ``places`` (name -> list of slots) or twice in one.
    With ``only`` (slots), look at those Gs only (the ones a function wrote)."""
    arrays = [np.asarray(gs, dtype=np.int64) for gs in places.values()]
    if only is not None:
        dup = [g for g in only if g != _l.NIL and sum(int(np.count_nonzero(a == g))
                                                      for a in arrays) > 1]
        if not dup:
            return
    else:
        allg = np.concatenate(arrays)
        allg = np.sort(allg[allg != _l.NIL])
        if not np.any(allg[1:] == allg[:-1]):
            return
    seen = {}
    for where, gs in places.items():
        for g in (int(x) for x in gs):
            if g == _l.NIL:
                continue
            if g in seen:
                other = seen[g]
                twice = f"twice in {where}" if other == where else f"in {other} and in {where}"
                run.fail(name, f"G{goid(run.S, g)} is now {twice}: a G is on one run queue "
                               "at a time (it would run twice)")
            seen[g] = where


def check_ring(run, name, p, what="runqput"):
    S = run.S
    b = int(S[_l.H_poff]) + p * _l.NPF
    n = (int(S[b + _l.P_runqtail]) - int(S[b + _l.P_runqhead])) & U32
    if n > _l.RUNQSIZE:
        run.fail(name, f"P{p} now has runqtail - runqhead = {n}: the ring holds at most "
                       f"{_l.RUNQSIZE} Gs")


def _bool(run, name, v, what):
    if not isinstance(v, bool):
        run.fail(name, f"{what} must be True or False, not {type(v).__name__} {v!r}")
    return v


def _g(run, name, v, what):
    """The slot of G ``v`` (or NIL for None), or PluginError."""
    if v is None:
        return _l.NIL
    if not isinstance(v, G) or v._run is not run:
        run.fail(name, f"{what} must be a G or None, not {type(v).__name__} {v!r}")
    return v._i


# --- recorders: what a running learner function may write, and what it logs -------------------

class Recorder:
    """Watches the writes of one call of a learner function."""
    may = ""   # what the function may change, for the error message

    def __init__(self, run, name):
        self.run, self.name = run, name

    def allow(self, obj, field):
        return False

    def on_write(self, obj, field, old, new):
        if not self.allow(obj, field):
            self.run.fail(self.name, f"it may not change {_where(obj, field)}"
                          + (f"; it may change {self.may}" if self.may else ""))
        self.wrote(obj, field, old, new)

    def wrote(self, obj, field, old, new):
        pass


def _where(obj, field):
    if isinstance(obj, runq):
        return f"P{obj._p}.runq[{field}]"
    if isinstance(obj, _o.globalrunq):
        return f"sched.runq (by {field})"
    return f"{obj!r}.{field}"


class Plug:
    """A Go function a learner can write. ``kernels`` maps each core kernel it stands for to
    the method that calls the learner's function in its place."""
    name = ""
    kernels = {}

    def adapters(self, run, fn):
        return {key: self._adapter(run, key, getattr(self, meth), fn)
                for key, meth in self.kernels.items()}

    def _adapter(self, run, key, method, fn):
        name = self.name

        def adapter(*args):
            before = self.summary_in(run, key, args) if run.tracing else None
            if fn is BUILTIN:
                run.calls[name] += 1
                result = run.core.builtin(key)(*args)
            else:
                try:
                    result = method(run, fn, *args)
                except Exception as e:
                    if run.tracing and before is not None:
                        run.trace.append([name, before, f"raised {type(e).__name__}"])
                    raise
            if run.tracing and before is not None:
                run.trace.append([name, before, self.summary_out(run, key, args, result)])
            return result
        adapter.__name__ = f"{name}_adapter"
        return adapter

    def summary_in(self, run, key, args):
        return None

    def summary_out(self, run, key, args, result):
        return None


# --- runqput ----------------------------------------------------------------------------------

class _RunqputRec(Recorder):
    may = "its P's runnext, runq[i] and runqtail"

    def __init__(self, run, name, p, g, quiet):
        super().__init__(run, name)
        self.p, self.g, self.quiet = p, g, quiet
        self.kicked = _l.NIL
        self.written = set()

    def allow(self, obj, field):
        return ((isinstance(obj, P) and obj._i == self.p and field in ("runnext", "runqtail"))
                or (isinstance(obj, runq) and obj._p == self.p))

    def wrote(self, obj, field, old, new):
        run, S, p = self.run, self.run.S, self.p
        if field == "runnext" or isinstance(obj, runq):
            self.written.add(new)
        if field == "runnext":
            if new == self.g and old != self.g:
                if old != _l.NIL:
                    self.kicked = old
                if not self.quiet:
                    run.emit("runqput", _l.W_RUNNEXT, self.g, p, goid(S, old), 0)
        elif field == "runqtail":
            head = int(S[int(S[_l.H_poff]) + p * _l.NPF + _l.P_runqhead])
            off = int(S[_l.H_rqoff]) + p * _l.RUNQSIZE
            for t in range(old, old + ((new - old) & U32)):
                gs = int(S[off + (t & (_l.RUNQSIZE - 1))])
                if gs == self.kicked and gs != _l.NIL:
                    run.emit("runqput", _l.W_KICK, gs, p, (t + 1 - head) & U32, 0)
                elif not self.quiet:
                    run.emit("runqput", _l.W_TAIL, gs, p, (t + 1 - head) & U32, 0)


class Runqput(Plug):
    """runqput(pp, gp, next): put gp on pp's local queue (runnext with next, else the tail;
    runqputslow when the ring is full). Mirrors proc.go's runqput (Go 1.25)."""
    name = "runqput"
    kernels = {"queues.runqput": "put"}

    def put(self, run, fn, S, L, p, g, nxt, quiet):
        rec = _RunqputRec(run, self.name, p, g, quiet)
        before_global = int(S[_l.S_runqsize])
        r = run.call(self.name, fn, rec, run.P(p), run.G(g), bool(nxt))
        if r is not None:
            run.fail(self.name, f"it returns nothing in Go; it returned {r!r}")
        check_ring(run, self.name, p)
        places = {f"P{p}.runnext": [runnext(S, p)], f"P{p}.runq": ring_array(S, p)}
        if int(S[_l.S_runqsize]) != before_global:
            places["sched.runq"] = global_list(S)
        check_unique(run, self.name, places, only=rec.written)

    def summary_in(self, run, key, a):
        S, p, g, nxt = a[0], a[2], a[3], a[4]
        return f"runqput(P{p}, {gname(S, g)}, next={bool(nxt)}) on {pqueue(S, p)}"

    def summary_out(self, run, key, a, r):
        S, p = a[0], a[2]
        return f"{pqueue(S, p)}, sched.runq has {int(S[_l.S_runqsize])}"


# --- runqputslow -------------------------------------------------------------------------------

class _RunqputslowRec(Recorder):
    may = "its P's runqhead; it hands its batch to globrunqputbatch(batch)"

    def __init__(self, run, name, p):
        super().__init__(run, name)
        self.p = p
        self.staged = None

    def allow(self, obj, field):
        return isinstance(obj, P) and obj._i == self.p and field == "runqhead"


class Runqputslow(Plug):
    """runqputslow(pp, gp, h, t) bool: the ring is full; move its first half and gp to the
    global queue (globrunqputbatch). Mirrors proc.go's runqputslow (Go 1.25)."""
    name = "runqputslow"
    kernels = {"prunq.runqputslow": "slow"}

    def slow(self, run, fn, S, p, g, h, t, batch):
        rec = _RunqputslowRec(run, self.name, p)
        r = run.call(self.name, fn, rec, run.P(p), run.G(g), uint32(h), uint32(t))
        _bool(run, self.name, r, "what it returns")
        if not r:
            run.fail(self.name, "it returned False: in Go that means the CAS of runqhead lost "
                                "to a thief and runqput retries, which cannot happen here (one "
                                "M acts at a time); return True once the batch is on the "
                                "global queue")
        staged = rec.staged
        if not staged:
            run.fail(self.name, "it returned True but put no G on the global queue: pass the "
                                "batch to globrunqputbatch(batch)")
        if len(staged) > len(batch):
            run.fail(self.name, f"its batch holds {len(staged)} Gs; runqputslow moves at most "
                                f"{len(batch)} (half the ring, {len(batch) - 1}, plus gp)")
        check_unique(run, self.name, {"the batch": staged, f"P{p}.runq": ring_array(S, p),
                                      f"P{p}.runnext": [runnext(S, p)],
                                      "sched.runq": global_list(S)})
        for i, gs in enumerate(staged):
            batch[i] = gs
        return len(staged)

    def summary_in(self, run, key, a):
        S, p, g, h, t = a[0], a[1], a[2], a[3], a[4]
        return f"runqputslow(P{p}, {gname(S, g)}, h={h}, t={t}) on runq={glist(S, ring_array(S, p))}"

    def summary_out(self, run, key, a, k):
        S, p, batch = a[0], a[1], a[5]
        return (f"returned {k > 0}; batch={glist(S, [int(x) for x in batch[:k]])}, "
                f"runq={glist(S, ring_array(S, p))}")


def stage_batch(run, batch):
    """globrunqputbatch(batch) from a learner's runqputslow: the batch, in order, goes to the
    global queue (the core's runqput does it, and logs it, when runqputslow returns)."""
    rec = run.recorder
    if not isinstance(rec, _RunqputslowRec):
        run.fail(run.who(), "globrunqputbatch(batch) is runqputslow's: it puts runqputslow's "
                            "batch on the global queue")
    gs = batch._gs if isinstance(batch, _o.gQueue) else batch
    if not isinstance(gs, (list, tuple)):
        run.fail(rec.name, f"globrunqputbatch takes a list (or gQueue) of Gs, not "
                           f"{type(batch).__name__}")
    rec.staged = (rec.staged or []) + [_g(run, rec.name, x, "each G of the batch") for x in gs]
    if _l.NIL in rec.staged:
        run.fail(rec.name, "the batch holds None: every element must be a G")


# --- runqget -----------------------------------------------------------------------------------

class _RunqgetRec(Recorder):
    may = "its P's runnext and runqhead"

    def __init__(self, run, name, p):
        super().__init__(run, name)
        self.p = p

    def allow(self, obj, field):
        return isinstance(obj, P) and obj._i == self.p and field in ("runnext", "runqhead")


class Runqget(Plug):
    """runqget(pp) (gp, inheritTime): runnext first, then the ring's head. Mirrors proc.go's
    runqget (Go 1.25)."""
    name = "runqget"
    kernels = {"queues.runqget": "get"}

    def get(self, run, fn, S, p):
        before = [runnext(S, p)] + ring(S, p)
        r = run.call(self.name, fn, _RunqgetRec(run, self.name, p), run.P(p))
        if not (isinstance(r, tuple) and len(r) == 2):
            run.fail(self.name, f"it must return (gp, inheritTime), e.g. (None, False) when the "
                                f"queue is empty; it returned {r!r}")
        g = _g(run, self.name, r[0], "gp")
        inh = _bool(run, self.name, r[1], "inheritTime")
        check_ring(run, self.name, p)
        if g != _l.NIL:
            if g not in before:
                run.fail(self.name, f"it returned G{goid(S, g)}, which was not on P{p}'s queue "
                                    f"(runnext={gname(S, before[0])}, "
                                    f"runq={glist(S, before[1:])})")
            check_unique(run, self.name, {"what runqget returned": [g],
                                          f"P{p}.runnext": [runnext(S, p)],
                                          f"P{p}.runq": ring_array(S, p)})
        return g, inh

    def summary_in(self, run, key, a):
        S, p = a[0], a[1]
        return f"runqget(P{a[1]}) on {pqueue(S, p)}"

    def summary_out(self, run, key, a, r):
        S, p = a[0], a[1]
        return f"returned ({gname(S, r[0])}, {bool(r[1])}); {pqueue(S, p)}"


# --- runqgrab / runqsteal ----------------------------------------------------------------------

class Sleep(BaseException):
    """runqgrab's usleep(3) on the virtual clock: the call ends here and the runtime calls it
    again, from the start, when the sleep is over (prunq.USLEEP_EVENT / USLEEP_DONE)."""


class _RunqgrabRec(Recorder):
    may = "the victim's runqhead and runnext and the slots of batch"

    def __init__(self, run, name, victim, thief, usleep):
        super().__init__(run, name)
        self.victim, self.thief = victim, thief
        self.usleep = usleep
        self.writes = 0

    def wrote(self, obj, field, old, new):
        self.writes += 1

    def sleep(self):
        """usleep(3) called by the learner's runqgrab."""
        if self.usleep != _pq.USLEEP_EVENT:
            return          # resumed after the sleep (or real threads: a spin)
        if self.writes:
            self.run.fail(self.name, "it called usleep(3) after changing the queues: Go's "
                                     "runqgrab sleeps before it takes anything")
        raise Sleep

    def allow(self, obj, field):
        return ((isinstance(obj, P) and obj._i == self.victim and field in ("runqhead", "runnext"))
                or (isinstance(obj, runq) and obj._p == self.thief))


class Runqgrab(Plug):
    """runqgrab(pp, batch, batchHead, stealRunNextG) uint32: copy half (rounded up) of pp's
    ring into batch from batchHead, or (stealRunNextG, empty ring) its runnext. Mirrors
    proc.go's runqgrab (Go 1.25)."""
    name = "runqgrab"
    kernels = {"prunq.runqgrab": "grab"}

    def grab(self, run, fn, S, p2, p, stealnext, cas_head, usleep=_pq.USLEEP_SPIN):
        before = [runnext(S, p2)] + ring(S, p2)
        bt = int(S[int(S[_l.H_poff]) + p * _l.NPF + _l.P_runqtail])
        off = int(S[_l.H_rqoff]) + p * _l.RUNQSIZE
        if usleep == _pq.USLEEP_DONE:
            before.append(int(S[off + (bt & (_l.RUNQSIZE - 1))]))  # the G seen before the sleep
        rec = _RunqgrabRec(run, self.name, p2, p, usleep)
        try:
            n = run.call(self.name, fn, rec, run.P(p2), run.P(p).runq, uint32(bt),
                         bool(stealnext))
        except Sleep:
            # as prunq.runqgrab at the sleep: the runnext G it read waits in the thief's slot
            S[off + (bt & (_l.RUNQSIZE - 1))] = runnext(S, p2)
            return _pq.USLEEP
        if isinstance(n, bool) or not isinstance(n, int):
            run.fail(self.name, f"it returns how many Gs it grabbed (an int), not "
                                f"{type(n).__name__} {n!r}")
        if not 0 <= n <= _l.RUNQSIZE // 2:
            run.fail(self.name, f"it returned {n}: it grabs 0..{_l.RUNQSIZE // 2} Gs (at most "
                                "half of a full ring)")
        got = [int(S[off + ((bt + i) & (_l.RUNQSIZE - 1))]) for i in range(n)]
        for g in got:
            if g not in before:
                run.fail(self.name, f"batch[{(bt + got.index(g)) % 256}] holds G{goid(S, g)}, "
                                    f"which was not on P{p2}'s queue (runnext="
                                    f"{gname(S, before[0])}, runq={glist(S, before[1:])})")
        check_ring(run, self.name, p2)
        check_unique(run, self.name, {"the grabbed batch": got, f"P{p2}.runq": ring_array(S, p2),
                                      f"P{p2}.runnext": [runnext(S, p2)],
                                      f"P{p}.runq": ring_array(S, p)})
        return n

    def summary_in(self, run, key, a):
        S, p2, p, sn = a[0], a[1], a[2], a[3]
        after = " (after its usleep(3))" if len(a) > 5 and a[5] == _pq.USLEEP_DONE else ""
        return (f"runqgrab(P{p2}, P{p}.runq, stealRunNextG={bool(sn)}){after} on "
                f"{pqueue(S, p2)}, P{p2} {_l.PSTATUS_NAMES[int(S[int(S[_l.H_poff]) + p2 * _l.NPF + _l.P_status])]}")

    def summary_out(self, run, key, a, n):
        S, p2, p = a[0], a[1], a[2]
        if n == _pq.USLEEP:
            return "sleeps in usleep(3) first (P{p2} is running)".format(p2=p2)
        bt = int(S[int(S[_l.H_poff]) + p * _l.NPF + _l.P_runqtail])
        off = int(S[_l.H_rqoff]) + p * _l.RUNQSIZE
        got = [int(S[off + ((bt + i) & (_l.RUNQSIZE - 1))]) for i in range(n)]
        return f"returned {n}, batch={glist(S, got)}; P{p2} left with {pqueue(S, p2)}"


class _RunqstealRec(Recorder):
    may = "its own runqtail (runqgrab takes from the victim)"

    def __init__(self, run, name, p):
        super().__init__(run, name)
        self.p = p

    def allow(self, obj, field):
        return isinstance(obj, P) and obj._i == self.p and field == "runqtail"


class Runqsteal(Plug):
    """runqsteal(pp, p2, stealRunNextG) *g: steal half of p2's queue into pp's (runqgrab),
    return the last G grabbed and publish the rest. Mirrors proc.go's runqsteal (Go 1.25)."""
    name = "runqsteal"
    kernels = {"prunq.runqsteal": "steal"}

    def steal(self, run, fn, S, p, p2, stealnext, cas_head, usleep=_pq.USLEEP_SPIN):
        before = [runnext(S, p2)] + ring(S, p2)
        mine = ring(S, p)
        if usleep == _pq.USLEEP_DONE:
            bt = int(S[int(S[_l.H_poff]) + p * _l.NPF + _l.P_runqtail])
            before.append(int(S[int(S[_l.H_rqoff]) + p * _l.RUNQSIZE + (bt & 255)]))
        run.state["usleep"] = usleep
        try:
            r = run.call(self.name, fn, _RunqstealRec(run, self.name, p), run.P(p), run.P(p2),
                         bool(stealnext))
        except Sleep:
            return _pq.USLEEP
        finally:
            run.state["usleep"] = _pq.USLEEP_SPIN
        g = _g(run, self.name, r, "what it returns")
        b = int(S[_l.H_poff]) + p * _l.NPF
        n = (int(S[b + _l.P_runqtail]) - int(S[b + _l.P_runqhead])) & U32
        if n >= _l.RUNQSIZE:
            run.fail(self.name, f"P{p} now holds {n} Gs: Go throws \"runqsteal: runq overflow\"")
        if g != _l.NIL and g not in before:
            run.fail(self.name, f"it returned G{goid(S, g)}, which was not on P{p2}'s queue "
                                f"(runnext={gname(S, before[0])}, runq={glist(S, before[1:])})")
        new = [x for x in ring(S, p) if x not in mine]
        for x in new:
            if x not in before:
                run.fail(self.name, f"P{p}'s ring now holds G{goid(S, x)}, which was neither "
                                    f"on it nor on P{p2}'s queue")
        check_unique(run, self.name, {"what runqsteal returned": [g], f"P{p}.runq": ring_array(S, p),
                                      f"P{p2}.runq": ring_array(S, p2),
                                      f"P{p2}.runnext": [runnext(S, p2)]})
        return g

    def summary_in(self, run, key, a):
        S, p, p2, sn = a[0], a[1], a[2], a[3]
        return (f"runqsteal(P{p}, P{p2}, stealRunNextG={bool(sn)}) with P{p2}: "
                f"{pqueue(S, p2)}; P{p}: {pqueue(S, p)}")

    def summary_out(self, run, key, a, g):
        S, p, p2 = a[0], a[1], a[2]
        if g == _pq.USLEEP:
            return "sleeps in runqgrab's usleep(3) first"
        return f"returned {gname(S, g)}; P{p}: {pqueue(S, p)}; P{p2}: {pqueue(S, p2)}"


# --- globrunqget -------------------------------------------------------------------------------

class _GlobrunqgetRec(Recorder):
    may = "sched.runq (pop) and its P's queue (with runqput)"
    quiet = True

    def __init__(self, run, name, p):
        super().__init__(run, name)
        self.p = p
        self.popped = []

    def allow(self, obj, field):
        return isinstance(obj, _o.globalrunq) and field == "pop"


class Globrunqget(Plug):
    """globrunqget(pp, max) *g: take a batch of n = min(sched.runq.size,
    sched.runq.size/gomaxprocs + 1, max if max > 0, len(pp.runq)/2) Gs from the global queue:
    return the first, put the rest on pp's ring. Go 1.24's globrunqget (Go 1.25 splits it into
    globrunqget() — max 1 — and globrunqgetbatch(n), with the same arithmetic)."""
    name = "globrunqget"
    kernels = {"queues.globrunqget": "get"}

    def get(self, run, fn, S, L, p, mx_, why):
        before = global_list(S)
        size = len(before)
        r = run.call(self.name, fn, _GlobrunqgetRec(run, self.name, p), run.P(p), int(mx_))
        g = _g(run, self.name, r, "what it returns")
        after = int(S[_l.S_runqsize])
        if g != _l.NIL:
            if g not in before:
                run.fail(self.name, f"it returned G{goid(S, g)}, which was not on the global "
                                    "queue")
            check_unique(run, self.name, {"what globrunqget returned": [g],
                                          "sched.runq": global_list(S),
                                          f"P{p}.runq": ring_array(S, p),
                                          f"P{p}.runnext": [runnext(S, p)]})
            run.emit("globrunqget", why, g, p, size - after, after)
        return g

    def summary_in(self, run, key, a):
        S, p, mx_ = a[0], a[2], a[3]
        return (f"globrunqget(P{p}, max={int(mx_)}) with sched.runq.size={int(S[_l.S_runqsize])}, "
                f"gomaxprocs={int(S[_l.S_gomaxprocs])}, P{p} holding {len(ring_array(S, p))}")

    def summary_out(self, run, key, a, g):
        S, p = a[0], a[2]
        return (f"returned {gname(S, g)}; P{p}.runq={glist(S, ring_array(S, p))}, "
                f"sched.runq.size={int(S[_l.S_runqsize])}")


# --- randomOrder -------------------------------------------------------------------------------

class RandomOrder(Plug):
    """class randomOrder with reset(count) and start(i) -> randomEnum (done(), next(),
    position()): the order in which stealWork visits the Ps. Mirrors proc.go's
    randomOrder/randomEnum (Go 1.25)."""
    name = "randomOrder"
    kernels = {"procresize.setcoprimes": "reset", "proc.randomOrder_start": "start",
               "proc.randomEnum_done": "done", "proc.randomEnum_next": "next",
               "proc.randomEnum_position": "position", "proc.stealOrder_save": "save",
               "proc.stealOrder_load": "load"}

    def adapters(self, run, fn):
        if fn is BUILTIN:
            # the reference: the core's own functions, with the order each start visits traced
            return {"proc.randomOrder_start": self._adapter(run, "proc.randomOrder_start",
                                                            None, fn),
                    "proc.randomEnum_position": self._builtin_position(run)}
        return super().adapters(run, fn)

    def _builtin_position(self, run):
        def position(enum):
            x = run.core.builtin("proc.randomEnum_position")(enum)
            self._visited(run, x)
            return x
        return position

    def _visited(self, run, x):
        if run.tracing and run.state.get("positions") is not None:
            run.state["positions"].append(int(x))

    def _order(self, run, fn):
        o = run.state.get("stealOrder")
        if o is None:
            o = run.call(self.name, fn, Recorder(run, self.name))
            run.state["stealOrder"] = o
            for m in ("reset", "start"):
                if not callable(getattr(o, m, None)):
                    run.fail(self.name, f"a randomOrder needs a {m}() method; "
                                        f"{type(o).__name__} has none")
        return o

    def reset(self, run, fn, S, n):
        o = self._order(run, fn)
        run.call(self.name, o.reset, Recorder(run, self.name), uint32(n))

    def start(self, run, fn, S, i):
        o = self._order(run, fn)
        enum = run.call(self.name, o.start, Recorder(run, self.name), uint32(i))
        for m in ("done", "next", "position"):
            if not callable(getattr(enum, m, None)):
                run.fail(self.name, f"randomOrder.start must return a randomEnum (with done(), "
                                    f"next() and position()); it returned {enum!r}")
        run.state["enum"] = enum
        run.state["nexts"] = 0
        return enum

    def save(self, run, fn, S, m, p2, enum, ranTimer):
        """m.stealenum for a learner's randomEnum: kept as the object itself."""
        run.state.setdefault("stealenum", {})[int(m)] = (p2, enum, ranTimer)
        S[int(S[_l.H_moff]) + int(m) * _l.NMF + _l.M_stealenum] = 0

    def load(self, run, fn, S, m):
        return run.state["stealenum"].pop(int(m))

    def done(self, run, fn, enum):
        d = run.call(self.name, enum.done, Recorder(run, self.name))
        return _bool(run, self.name, d, "randomEnum.done()")

    def next(self, run, fn, enum):
        run.call(self.name, enum.next, Recorder(run, self.name))
        run.state["nexts"] += 1
        n = int(run.S[_l.S_gomaxprocs])
        if run.state["nexts"] > n:
            run.fail(self.name, f"randomEnum.done() was still False after next() had been called "
                                f"{n + 1} times with GOMAXPROCS={n}: an enumeration visits every "
                                "P once, then is done")
        return enum

    def position(self, run, fn, enum):
        x = run.call(self.name, enum.position, Recorder(run, self.name))
        n = int(run.S[_l.S_gomaxprocs])
        if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x < n:
            run.fail(self.name, f"randomEnum.position() returned {x!r}: with GOMAXPROCS={n} it "
                                f"must be a P id, 0..{n - 1}")
        self._visited(run, x)
        return int(x)

    def summary_in(self, run, key, a):
        if key != "proc.randomOrder_start":
            return None
        return f"start({int(a[1])}) with {int(a[0][_l.S_gomaxprocs])} Ps"

    def summary_out(self, run, key, a, r):
        run.state["positions"] = []     # filled as stealWork reads the positions
        return run.state["positions"]


# --- retake ------------------------------------------------------------------------------------

class _RetakeRec(Recorder):
    may = "any P's sysmontick, syscalltick, and status from _Psyscall to _Pidle"

    def __init__(self, run, name, now):
        super().__init__(run, name)
        self.now = now
        self.preempted = set()

    def allow(self, obj, field):
        return isinstance(obj, P) and (field.startswith("sysmontick.")
                                       or field in ("syscalltick", "status"))

    def on_write(self, obj, field, old, new):
        if field == "status" and not (old == _l.Psyscall and new == _l.Pidle):
            self.run.fail(self.name, f"{obj!r}.status = {_l.PSTATUS_NAMES.get(new, new)}, but "
                          f"{obj!r} is {_l.PSTATUS_NAMES[old]}: retake only takes a P in "
                          "_Psyscall, to _Pidle (then handoffp)")
        super().on_write(obj, field, old, new)

    def wrote(self, obj, field, old, new):
        if field == "status":
            S, p = self.run.S, obj._i
            when = int(S[int(S[_l.H_poff]) + p * _l.NPF + _l.P_st_syscallwhen])
            self.run.emit("retake", _l.W_SYSRETAKE if p in self.preempted else _l.W_NONE, _l.NIL,
                          p, self.now - when if when != _l.NEVER else -1,
                          len(ring_array(S, p)) + (runnext(S, p) != _l.NIL))


class Retake(Plug):
    """retake(now) uint32: preempt long time slices and retake Ps stuck in syscalls (handoffp).
    Mirrors proc.go's retake (Go 1.25)."""
    name = "retake"
    kernels = {"sysmon.retake": "retake"}

    def retake(self, run, fn, S, L, now):
        n = run.call(self.name, fn, _RetakeRec(run, self.name, int(now)), int(now))
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            run.fail(self.name, f"it returns how many Ps it retook (an int >= 0), not {n!r}")
        return n

    def _ps(self, S):
        for p in range(int(S[_l.S_gomaxprocs])):
            b = int(S[_l.H_poff]) + p * _l.NPF
            yield p, b, int(S[b + _l.P_status])

    def summary_in(self, run, key, a):
        S, now = a[0], int(a[2])
        parts = []
        for p, b, st in self._ps(S):
            if st == _l.Psyscall:
                w = int(S[b + _l.P_st_syscallwhen])
                parts.append(f"P{p} in _Psyscall: syscalltick={int(S[b + _l.P_syscalltick])}, "
                             f"sysmontick.syscalltick={int(S[b + _l.P_st_syscalltick])}, "
                             f"syscallwhen={'never' if w == _l.NEVER else w}, "
                             f"runq {len(ring_array(S, p)) + (runnext(S, p) != _l.NIL)} G(s)")
        run.state["retake_before"] = [p for p, b, st in self._ps(S) if st == _l.Psyscall]
        if not parts:
            return None
        return (f"retake(now={now}) with nmspinning+npidle="
                f"{int(S[_l.S_nmspinning]) + int(S[_l.S_npidle])}: " + "; ".join(parts))

    def summary_out(self, run, key, a, n):
        S, now = a[0], int(a[2])
        out = []
        for p, b, st in self._ps(S):
            if p not in run.state.get("retake_before", ()):
                continue
            if st != _l.Psyscall:
                out.append(f"P{p}: retaken")
            elif int(S[b + _l.P_st_syscallwhen]) == now:
                out.append(f"P{p}: syscallwhen recorded")
            elif st == _l.Psyscall:
                out.append(f"P{p}: left in _Psyscall")
        return f"returned {n}" + (": " + ", ".join(out) if out else "")


# --- exitsyscall ---------------------------------------------------------------------------

class _ExitsyscallRec(Recorder):
    may = "mp.oldp, the old P's status (_Psyscall to _Pidle) and syscalltick"

    def __init__(self, run, name, m, g, oldp):
        super().__init__(run, name)
        self.m, self.g, self.oldp = m, g, oldp
        self.slow = False
        self.path = None    # "oldp" (wirep) or "idle" (exitsyscallfast_pidle)

    def allow(self, obj, field):
        if isinstance(obj, _o.M):
            return obj._i == self.m and field == "oldp"
        return isinstance(obj, P) and field in ("status", "syscalltick")

    def on_write(self, obj, field, old, new):
        if field == "status" and not (obj._i == self.oldp and old == _l.Psyscall
                                      and new == _l.Pidle):
            self.run.fail(self.name, f"{obj!r}.status = {_l.PSTATUS_NAMES.get(new, new)} "
                          f"({obj!r} is {_l.PSTATUS_NAMES[old]}): exitsyscall only takes its old "
                          "P back from _Psyscall, to _Pidle, before wirep")
        super().on_write(obj, field, old, new)


class Exitsyscall(Plug):
    """exitsyscall(): the syscall returned; take the old P back if it is still _Psyscall, else
    any idle P (exitsyscallfast), and go on running; else mcall(exitsyscall0). Mirrors
    proc.go's exitsyscall/exitsyscallfast (Go 1.25)."""
    name = "exitsyscall"
    kernels = {"proc.exitsyscall": "exit"}

    def exit(self, run, fn, S, L, m):
        mb = int(S[_l.H_moff]) + m * _l.NMF
        g, oldp = int(S[mb + _l.M_curg]), int(S[mb + _l.M_oldp])
        L[_l.X_cost] += S[_l.K_syscall]          # as the core's exitsyscall begins
        rec = _ExitsyscallRec(run, self.name, m, g, oldp)
        r = run.call(self.name, fn, rec)
        if r is not None:
            run.fail(self.name, f"it returns nothing in Go; it returned {r!r}")
        if rec.slow:
            return False
        p = int(S[mb + _l.M_p])
        if p == _l.NIL:
            run.fail(self.name, "it returned without a P and without mcall(exitsyscall0): the "
                                "G would go on running with no P")
        if int(S[mb + _l.M_oldp]) != _l.NIL:
            run.fail(self.name, "it left mp.oldp set: Go clears it (gp.m.oldp = 0) as it "
                                "starts")
        if int(S[int(S[_l.H_goff]) + g * _l.NGF + _l.G_atomicstatus]) != _l.Grunning:
            run.fail(self.name, f"G{goid(S, g)} is still _Gsyscall on the fast path: "
                                "casgstatus(gp, _Gsyscall, _Grunning)")
        S[mb + _l.M_state] = _l.MS_RUNG
        if rec.path == "oldp":
            run.emit("exitsyscall", _l.W_FAST_OLDP, g, oldp, 0, 0)
        else:
            run.emit("exitsyscall", _l.W_FAST_IDLEP, g, p, oldp, 0)
        return True

    def summary_in(self, run, key, a):
        S, m = a[0], a[2]
        mb = int(S[_l.H_moff]) + m * _l.NMF
        oldp = int(S[mb + _l.M_oldp])
        st = ("none" if oldp == _l.NIL else
              _l.PSTATUS_NAMES[int(S[int(S[_l.H_poff]) + oldp * _l.NPF + _l.P_status])])
        tick = ("" if oldp == _l.NIL else
                f", P{oldp}.syscalltick={int(S[int(S[_l.H_poff]) + oldp * _l.NPF + _l.P_syscalltick])}")
        return (f"exitsyscall() on M{m}, G{goid(S, int(S[mb + _l.M_curg]))}: oldp="
                f"{'nil' if oldp == _l.NIL else f'P{oldp}'} ({st}{tick}, "
                f"mp.syscalltick={int(S[mb + _l.M_syscalltick])}), idle Ps: {int(S[_l.S_npidle])}")

    def summary_out(self, run, key, a, r):
        S, m = a[0], a[2]
        p = int(S[int(S[_l.H_moff]) + m * _l.NMF + _l.M_p])
        if not r:
            return "slow path: exitsyscall0"
        tick = int(S[int(S[_l.H_poff]) + p * _l.NPF + _l.P_syscalltick])
        return f"runs on with P{p} (fast path), P{p}.syscalltick={tick}"


# --- findRunnable's order ---------------------------------------------------------------------

class FindRunnableNext(Plug):
    """findRunnable_next(pp, mp, after) str: which source of work findRunnable looks at after
    ``after`` ("top" at the start; then "timers", "fairness", "local", "global", "netpoll",
    "steal"); "idle" gives up the P. The order and conditions of proc.go's findRunnable
    (Go 1.25)."""
    name = "findRunnable_next"
    kernels = {"proc.findRunnable_next": "next"}

    def next(self, run, fn, S, m, after):
        p = int(S[int(S[_l.H_moff]) + m * _l.NMF + _l.M_p])
        r = run.call(self.name, fn, Recorder(run, self.name), run.P(p), run.M(m),
                     _l.SRC_NAMES[after])
        if r not in _l.SRC_NAMES[1:]:
            run.fail(self.name, f"it returned {r!r}; a source is one of "
                                f"{', '.join(repr(x) for x in _l.SRC_NAMES[1:])}")
        return _l.SRC_NAMES.index(r)

    def summary_in(self, run, key, a):
        S, m, after = a[0], a[1], a[2]
        mb = int(S[_l.H_moff]) + m * _l.NMF
        p = int(S[mb + _l.M_p])
        b = int(S[_l.H_poff]) + p * _l.NPF
        return (f"after {_l.SRC_NAMES[after]!r} on M{m}/P{p}: schedtick="
                f"{int(S[b + _l.P_schedtick])}, {pqueue(S, p)}, sched.runq.size="
                f"{int(S[_l.S_runqsize])}, spinning={bool(S[mb + _l.M_spinning])}, "
                f"nmspinning={int(S[_l.S_nmspinning])}, npidle={int(S[_l.S_npidle])}, "
                f"gomaxprocs={int(S[_l.S_gomaxprocs])}, netwaiters={int(S[_l.S_netwaiters])}")

    def summary_out(self, run, key, a, r):
        return repr(_l.SRC_NAMES[r])


for _plug in (Runqput(), Runqputslow(), Runqget(), Runqgrab(), Runqsteal(), Globrunqget(),
              RandomOrder(), Retake(), Exitsyscall(), FindRunnableNext()):
    register(_plug)
del _plug
