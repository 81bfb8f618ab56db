"""Invariants of the scheduler state, checked from Python (tests, and snapshots of a running
ParallelRuntime). ``check(rt)`` returns the list of violations; empty means consistent."""
from collections import Counter

from .runtime import layout as _l
from .state import runq_ring, table


def check(rt):
    S = rt._S
    bad = []
    n = int(S[_l.S_gomaxprocs])
    gt, mt, pt = table(S, "g"), table(S, "m"), table(S, "p")[:n]
    where = Counter()

    # local rings and runnext
    for p in range(n):
        r = pt[p]
        h, t = int(r[_l.P_runqhead]), int(r[_l.P_runqtail])
        qn = (t - h) & 0xFFFFFFFF          # uint32, as in Go
        if not (0 <= h < 1 << 32 and 0 <= t < 1 << 32 and qn <= _l.RUNQSIZE):
            bad.append(f"P{p}: runqhead={h} runqtail={t}: length {qn} outside 0..256")
            continue
        ring = runq_ring(S, p)
        for i in range(qn):
            where[int(ring[(h + i) % _l.RUNQSIZE])] += 1
        if r[_l.P_runnext] != _l.NIL:
            where[int(r[_l.P_runnext])] += 1
        st = int(r[_l.P_status])
        if st == _l.Prunning:
            m = int(r[_l.P_m])
            if m == _l.NIL or int(mt[m, _l.M_p]) != p:
                bad.append(f"P{p} is _Prunning but its m={m} does not point back")
        elif r[_l.P_m] != _l.NIL:
            bad.append(f"P{p} is {_l.PSTATUS_NAMES[st]} but has m={int(r[_l.P_m])}")
    # global queue
    k, g = 0, int(S[_l.S_runqhead])
    while g != _l.NIL and k <= len(gt):
        where[g] += 1
        k += 1
        g = int(gt[g, _l.G_schedlink])
    if k != int(S[_l.S_runqsize]):
        bad.append(f"sched.runqsize={int(S[_l.S_runqsize])} but the global queue holds {k}")
    for g, c in where.items():
        if c > 1:
            bad.append(f"G{int(gt[g, _l.G_goid])} is queued {c} times")
        if gt[g, _l.G_atomicstatus] != _l.Grunnable:
            bad.append(f"G{int(gt[g, _l.G_goid])} is queued but "
                       f"{_l.GSTATUS_NAMES[int(gt[g, _l.G_atomicstatus])]}")
    # Ms and their Gs
    running = 0
    for m in range(len(mt)):
        r = mt[m]
        cg = int(r[_l.M_curg])
        if cg != _l.NIL:
            if int(gt[cg, _l.G_m]) != m:
                bad.append(f"M{m}.curg=G{int(gt[cg, _l.G_goid])} but that G's m={int(gt[cg, _l.G_m])}")
            if gt[cg, _l.G_atomicstatus] == _l.Grunning:
                running += 1
                if r[_l.M_p] == _l.NIL:
                    bad.append(f"M{m} runs G{int(gt[cg, _l.G_goid])} without a P")
        p = int(r[_l.M_p])
        if p != _l.NIL and int(pt[p, _l.P_m]) != m:
            bad.append(f"M{m}.p=P{p} but P{p}.m={int(pt[p, _l.P_m])}")
    for g in range(len(gt)):
        st = int(gt[g, _l.G_atomicstatus])
        if st == _l.Grunnable and where[g] == 0:
            lm = int(gt[g, _l.G_lockedm])
            if lm == _l.NIL or mt[lm, _l.M_nextp] == _l.NIL:
                bad.append(f"G{int(gt[g, _l.G_goid])} is _Grunnable but on no run queue")
        if st in (_l.Grunning, _l.Gsyscall):
            m = int(gt[g, _l.G_m])
            if m == _l.NIL or int(mt[m, _l.M_curg]) != g:
                bad.append(f"G{int(gt[g, _l.G_goid])} is {_l.GSTATUS_NAMES[st]} but no M runs it")
    if running > n:
        bad.append(f"{running} Gs running with GOMAXPROCS={n}")
    # idle lists and counters
    ps, p = set(), int(S[_l.S_pidle])
    while p != _l.NIL and len(ps) <= n:
        ps.add(p)
        if pt[p, _l.P_status] != _l.Pidle:
            bad.append(f"P{p} on sched.pidle is {_l.PSTATUS_NAMES[int(pt[p, _l.P_status])]}")
        p = int(pt[p, _l.P_link])
    if len(ps) != int(S[_l.S_npidle]):
        bad.append(f"sched.npidle={int(S[_l.S_npidle])} but {len(ps)} Ps are on sched.pidle")
    ms, m = set(), int(S[_l.S_midle])
    while m != _l.NIL and len(ms) <= len(mt):
        ms.add(m)
        if mt[m, _l.M_state] != _l.MS_IDLE:
            bad.append(f"M{m} on sched.midle is {_l.MSTATE_NAMES[int(mt[m, _l.M_state])]}")
        m = int(mt[m, _l.M_schedlink])
    if len(ms) != int(S[_l.S_nmidle]):
        bad.append(f"sched.nmidle={int(S[_l.S_nmidle])} but {len(ms)} Ms are on sched.midle")
    spinning = int(sum(1 for r in mt if r[_l.M_spinning] and r[_l.M_state] != _l.MS_DEAD))
    if spinning != int(S[_l.S_nmspinning]):
        bad.append(f"sched.nmspinning={int(S[_l.S_nmspinning])} but {spinning} Ms spin")
    return bad
