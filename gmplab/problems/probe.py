"""Stopping a Runtime at the moment a question is about, and reading what the runtime saw there.

The problems ask about one decision (sysmon's look at a P, a thief's steal): they stop the
virtual clock just before the chain of decisions that made it, with the public
``rt.run(until=t - 1)``, and check that this chain is the first one at time ``t`` — so the
state printed with the problem is exactly the state the decision read. Moving one clock event at
a time, and the pending-action time of an M, are the driver's business: this module is the one
place in gmplab.problems that reads them (``Runtime._run``, the M table).
"""
import numpy as np

from ..runtime import layout as _l
from ..runtime.base import fastrand
from ..state import table


def sysmon(rt):
    """The id of sysmon's M."""
    return int(rt._S[_l.S_sysmon])


def when(rt, m):
    """When M ``m``'s pending action happens (ns), or None if it has none (parked)."""
    v = int(table(rt._S, "m")[m, _l.M_when])
    return None if v == _l.NIL else v


def one_event(rt, until):
    """Run exactly one event of the virtual clock (none if the next one is after ``until``)."""
    rt._run(until, 1)


def sysmon_rounds(rt, horizon, snap=None):
    """Run ``rt`` round by round of sysmon until virtual time ``horizon`` or the program's
    end. After each round yields ``(t, before, n0, first)``: the round's time, ``snap(rt)``
    taken just before it (None without ``snap``), the log's length before it, and whether the
    round was the first event at ``t`` (then ``rt.run(until=t - 1)`` stops exactly before it).

    While sysmon sleeps deeply (sched.sysmonwait) another M may wake it earlier than planned,
    so the clock then moves one event at a time."""
    sm = sysmon(rt)
    while rt.finished is None and rt.now < horizon:
        if rt._S[_l.S_sysmonwait]:
            one_event(rt, horizon)
            continue
        w = when(rt, sm)
        if w is None or w > horizon:
            rt.run(until=horizon)
            return
        if w - 1 > rt.now:
            rt.run(until=w - 1)
            if rt.finished is not None:
                return
        first = True
        while True:
            before = snap(rt) if snap else None
            n0 = len(rt.events)
            one_event(rt, w)
            if rt.finished is not None or when(rt, sm) != w:
                break
            first = False
        if rt.finished is not None:
            return
        yield w, before, n0, first


def steal_orders(rt, m):
    """The orders in which M ``m``'s next stealWork visits the Ps in its 4 passes: Go's
    randomOrder (``pos = r % n``, ``inc = coprimes[r / n % len(coprimes)]``) from the next four
    values of the M's fastrand, read on a copy of the state (the runtime is not touched)."""
    S = rt._S.copy()
    n = int(S[_l.S_gomaxprocs])
    cp = [int(x) for x in S[int(S[_l.H_cpoff]):int(S[_l.H_cpoff]) + int(S[_l.H_ncoprimes])]]
    orders = []
    for _ in range(_l.STEALTRIES):
        r = int(fastrand(S, np.int64(m)))
        pos, inc = r % n, cp[(r // n) % len(cp)]
        order = []
        for _ in range(n):
            order.append(pos)
            pos = (pos + inc) % n
        orders.append(order)
    return orders


def idle_ps(rt):
    """The Ps on the idle list (sched.pidle, linked through p.link), in list order."""
    return rt.sched.idle_ps()
