"""GODEBUG=schedtrace output of the simulated runtime (proc.go: schedtrace), Go 1.25 format."""
from .runtime import layout as _l
from .state import table


def format(rt, detailed=False):
    """One schedtrace report of ``rt`` as Go 1.25 prints it (with scheddetail=1 when
    ``detailed``): the SCHED line, then per-P, per-M (newest first, as allm) and per-G lines."""
    S = rt._S
    n = int(S[_l.S_gomaxprocs])
    pt = table(S, "p")[:n]
    out = [f"SCHED {rt.now // 1_000_000}ms: gomaxprocs={n} idleprocs={int(S[_l.S_npidle])} "
           f"threads={rt.mcount()} spinningthreads={int(S[_l.S_nmspinning])} "
           f"needspinning={int(S[_l.S_needspinning])} idlethreads={int(S[_l.S_nmidle])} "
           f"runqueue={int(S[_l.S_runqsize])}"]
    qlen = [int(r[_l.P_runqtail] - r[_l.P_runqhead]) for r in pt]
    if not detailed:
        out[0] += (" [ " + " ".join(map(str, qlen)) + " ] schedticks=[ "
                   + "".join(f"{int(r[_l.P_schedtick])} " for r in pt) + "]")
        return out[0]
    out[0] += (f" gcwaiting=0 nmidlelocked={int(S[_l.S_nmidlelocked])} stopwait=0 "
               f"sysmonwait={int(S[_l.S_sysmonwait])}")
    gt = table(S, "g")

    def goid(slot):
        return "nil" if slot == _l.NIL else str(int(gt[slot, _l.G_goid]))

    def nil(v):
        return "nil" if v == _l.NIL else str(int(v))

    for i, r in enumerate(pt):
        out.append(f"  P{i}: status={int(r[_l.P_status])} schedtick={int(r[_l.P_schedtick])} "
                   f"syscalltick={int(r[_l.P_syscalltick])} m={nil(r[_l.P_m])} "
                   f"runqsize={qlen[i]} gfreecnt={int(r[_l.P_gfreecnt])} "
                   f"timerslen={int(r[_l.P_timers])}")
    mt = table(S, "m")
    for i in range(len(mt) - 1, -1, -1):
        r = mt[i]
        if r[_l.M_state] == _l.MS_DEAD:
            continue
        out.append(f"  M{i}: p={nil(r[_l.M_p])} curg={goid(r[_l.M_curg])} mallocing=0 "
                   f"throwing=0 preemptoff= locks=0 dying=0 "
                   f"spinning={'true' if r[_l.M_spinning] else 'false'} "
                   f"blocked={'true' if r[_l.M_blocked] else 'false'} lockedg={goid(r[_l.M_lockedg])}")
    for r in gt:
        st = int(r[_l.G_atomicstatus])
        wr = _l.WAITREASON_NAMES[int(r[_l.G_waitreason])] if st == _l.Gwaiting else ""
        out.append(f"  G{int(r[_l.G_goid])}: status={st}({wr}) m={nil(r[_l.G_m])} "
                   f"lockedm={nil(r[_l.G_lockedm])}")
    return "\n".join(out)
