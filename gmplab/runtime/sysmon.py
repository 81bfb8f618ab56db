"""sysmon, retake, preemptone (proc.go, ≤1.25).

sysmon runs on its own M without a P (counted in sched.nmsys). It sleeps 20µs, doubling the
sleep after 50 idle rounds up to 10ms, and each round: polls the network if nobody did for 10ms,
retakes Ps that stayed in the same syscall for a whole sysmon tick, and preempts Gs that ran
longer than forcePreemptNS. When every P is idle it sleeps deeply (sched.sysmonwait) until the
next timer -- a pending network read is no timer: sysmon sleeps on -- and entersyscall,
exitsyscall (with an idle P) and startTheWorld wake it.
"""
from ._jit import jit
from .atomics import atomic_cas
from .base import cut_work, emit, gx, mwake, mx, px, ttop
from .layout import *  # noqa: F401,F403
from .lock import schedlock, schedunlock
from .proc import anydue, handoffp, injectglist, netpoll_take, pumptimers
from .queues import runqempty, runqlen


@jit
def preemptone(S, L, p):
    """preemptone: ask the G running on P ``p`` to stop. Sets gp.preempt and, since Go 1.14,
    signals the M (preemptM, SIGURG) so a G in a tight loop stops at an async safe point: its
    running work op is cut short here. Returns whether a G was asked. retake calls it when
    ``pd.schedwhen+forcePreemptNS <= now`` with schedtick unchanged: a slice sysmon noted that
    long ago, not necessarily a G that ran that long (a G readied into runnext inherits the
    slice), and the log records which."""
    b = px(S, p)
    m = S[b + P_m]
    if m == NIL:
        return False
    mb = mx(S, m)
    g = S[mb + M_curg]
    if g == NIL:
        return False
    gb = gx(S, g)
    S[gb + G_preempt] = 1
    S[b + P_preempt] = 1
    # the log says which case it is: the G has run since before sysmon noted the P's schedtick
    # (W_NONE: a slice of at least that long), or it started later, inheriting the slice
    # through runnext (W_STALE, with how long it has run)
    since = S[b + P_st_schedwhen]
    ran = L[X_now] - S[mb + M_execwhen]
    if S[mb + M_execwhen] <= since or since == NEVER:
        emit(S, L, F_preemptone, W_NONE, g, p, L[X_now] - since, 0)
    else:
        emit(S, L, F_preemptone, W_STALE, g, p, L[X_now] - since, ran)
    if S[mb + M_state] == MS_RUNG and S[H_parallel] == 0:
        # (on real threads the M's own thread sees gp.preempt within a microsecond: its work
        # loop polls the flag, as the signal handler would interrupt it)
        # preemptM: the signal lands; a work op in progress stops at its next safe point
        if cut_work(S, L, m, g, S[K_preempt]):
            mwake(S, L, m, L[X_now] + S[K_preempt])
    return True


@jit
def retake(S, L, now):
    """retake: for every P in _Prunning or _Psyscall, preempt a time slice older than
    forcePreemptNS, and retake a P that stayed in the same syscall for a whole sysmon tick
    (unless it has no work and idle Ps or spinning Ms can cover, for up to 10ms):
    CAS _Psyscall → _Pidle, syscalltick++, handoffp. Returns how many Ps were retaken.
    go1.25.3 retake: ``if !sysretake && int64(pd.syscalltick) != t { ... continue }``; ``if
    runqempty(pp) && sched.nmspinning.Load()+sched.npidle.Load() > 0 &&
    pd.syscallwhen+10*1000*1000 > now { continue }``; ``if atomic.Cas(&pp.status, s,
    _Pidle) { n++; pp.syscalltick++; handoffp(pp) }``."""
    n = 0
    for p in range(S[S_gomaxprocs]):
        b = px(S, p)
        s = S[b + P_status]
        sysretake = False
        if s == Prunning or s == Psyscall:
            t = S[b + P_schedtick]
            if S[b + P_st_schedtick] != t:
                S[b + P_st_schedtick] = t
                S[b + P_st_schedwhen] = now
            elif S[b + P_st_schedwhen] + FORCEPREEMPTNS <= now:
                preemptone(S, L, p)
                # In case of syscall, preemptone() doesn't work, because there is no M wired to P.
                sysretake = True
        if s == Psyscall:
            t = S[b + P_syscalltick]
            if not sysretake and S[b + P_st_syscalltick] != t:
                S[b + P_st_syscalltick] = t
                S[b + P_st_syscallwhen] = now
                continue
            if (runqempty(S, p) and S[S_nmspinning] + S[S_npidle] > 0
                    and S[b + P_st_syscallwhen] + SYSCALL_SPARE_NS > now):
                continue
            if not atomic_cas(S, b + P_status, Psyscall, Pidle):
                continue  # exitsyscall took it back first
            n += 1
            S[b + P_syscalltick] += 1
            # (b: the Gs queued, runnext counted as runqempty counts it)
            emit(S, L, F_retake, W_SYSRETAKE if sysretake else W_NONE, -1, p,
                 now - S[b + P_st_syscallwhen] if S[b + P_st_syscallwhen] != NEVER else -1,
                 runqlen(S, p) + (1 if S[b + P_runnext] != NIL else 0))
            handoffp(S, L, p)
    return n


@jit
def timeSleepUntil(S, L):
    """timeSleepUntil: when the next timer fires (NIL if none). Timers only: a network read's
    readiness is the kernel's (go1.25.3 time.go: the earliest ``pp.timers.wakeTime()``)."""
    if anydue(S):
        return L[X_now]
    t = ttop(S)
    while t != NIL:
        return S[gx(S, t) + G_when]
    return NIL


@jit
def sysmon_tick(S, L, m):
    """One round of sysmon's loop, run when its usleep(delay) (phase 0) or its deep sleep in
    sched.sysmonwait (phase 1) ends. Returns True when schedtrace is due. On real threads the
    round holds sched.lock (Go: sched.lock around sysmonwait, allpLock around retake)."""
    schedlock(S, L)
    if S[H_parallel] != 0:
        pumptimers(S, L)
    r = _sysmon_tick(S, L, m)
    schedunlock(S, L)
    return r


@jit
def _sysmon_tick(S, L, m):
    mb = mx(S, m)
    now = L[X_now]
    if S[mb + M_phase] == 0:
        if S[S_schedtrace] <= 0 and S[S_npidle] == S[S_gomaxprocs]:
            nxt = timeSleepUntil(S, L)
            if nxt == NIL or nxt > now:
                sleep = FORCEGCPERIOD_HALF
                if nxt != NIL and nxt - now < sleep:
                    sleep = nxt - now
                S[S_sysmonwait] = 1
                S[mb + M_phase] = 1
                emit(S, L, F_sysmon, W_SYSMONWAIT, -1, -1, sleep, 0)
                mwake(S, L, m, now + sleep)
                return False
    # after the (possible) deep sleep
    if S[mb + M_phase] == 1:
        S[mb + M_phase] = 0
        S[S_sysmonwait] = 0
    idle = S[mb + M_sysmonidle]
    if idle < 0:  # woken by entersyscall (syscallWake)
        idle = 0
        S[mb + M_sysmondelay] = SYSMON_MINDELAY
    # poll the network if not polled for more than 10ms
    lp = S[S_lastpoll]
    if S[S_netpollinited] != 0 and lp != NIL and lp + NETPOLL_MAXDELAY < now:
        S[S_lastpoll] = now
        head, k = netpoll_take(S, L)
        if k > 0:
            emit(S, L, F_sysmon, W_NETPOLL, -1, -1, k, 0)
            injectglist(S, L, head, k, NIL)
    if retake(S, L, now) != 0:
        idle = 0
    else:
        idle += 1
    trace = False
    if S[S_schedtrace] > 0 and S[S_lasttrace] + S[S_schedtrace] <= now:
        S[S_lasttrace] = now
        trace = True
    # the top of the next round: pick the sleep
    delay = S[mb + M_sysmondelay]
    if idle == 0:
        delay = SYSMON_MINDELAY
    elif idle > SYSMON_IDLEROUNDS:
        delay *= 2
    if delay > SYSMON_MAXDELAY:
        delay = SYSMON_MAXDELAY
    S[mb + M_sysmondelay] = delay
    S[mb + M_sysmonidle] = idle
    mwake(S, L, m, now + delay)
    return trace
