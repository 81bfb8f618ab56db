"""procresize: change GOMAXPROCS under stop-the-world (proc.go: stopTheWorldWithSema,
procresize, startTheWorldWithSema), and the randomOrder coprimes used by stealWork."""
from ._jit import jit
from .base import cut_work, emit, gx, mx, px, rqx
from .layout import *  # noqa: F401,F403
from .proc import acquirep, dropg, mpark, mget, mnotewakeup, newm, releasep, wakep
from .queues import gqueue_push, globrunqput, globrunqputhead, mput, pidleget, pidleput, runqempty


@jit
def _gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


@jit
def setcoprimes(S, n):
    """randomOrder.reset(n): every X in 1..n with gcd(X, n) == 1."""
    k = 0
    for x in range(1, n + 1):
        if _gcd(x, n) == 1:
            S[S[H_cpoff] + k] = x
            k += 1
    S[H_ncoprimes] = k


@jit
def pinit(S, p):
    """p.init: a fresh P (goid cache empty, queues empty)."""
    b = px(S, p)
    for f in range(NPF):
        S[b + f] = 0
    S[b + P_id] = p
    S[b + P_status] = Pgcstop
    S[b + P_link] = NIL
    S[b + P_m] = NIL
    S[b + P_runnext] = NIL
    S[b + P_gfree] = NIL
    S[b + P_tduehead] = NIL
    S[b + P_tduetail] = NIL
    S[b + P_st_schedwhen] = NEVER
    S[b + P_st_syscallwhen] = NEVER


@jit
def pdestroy(S, L, p, to):
    """p.destroy: move p's run queue and runnext to the head of the global queue (keeping
    their order), its timers to P ``to`` and its free Gs to the global free list."""
    b = px(S, p)
    while S[b + P_runqhead] != S[b + P_runqtail]:
        S[b + P_runqtail] = (S[b + P_runqtail] - 1) & 0xFFFFFFFF
        globrunqputhead(S, S[rqx(S, p, S[b + P_runqtail])])
    if S[b + P_runnext] != NIL:
        globrunqputhead(S, S[b + P_runnext])
        S[b + P_runnext] = NIL
    # timers: every pending or due timer owned by p now belongs to ``to``
    for g in range(S[H_ng]):
        gb = gx(S, g)
        if (S[gb + G_atomicstatus] == Gwaiting and S[gb + G_waitreason] == WR_SLEEP
                and S[gb + G_waiton] == p):
            S[gb + G_waiton] = to
    tb = px(S, to)
    g = S[b + P_tduehead]
    while g != NIL:
        nx = S[gx(S, g) + G_schedlink]
        gqueue_push(S, tb + P_tduehead, tb + P_tduetail, g)
        g = nx
    S[tb + P_timers] += S[b + P_timers]
    S[b + P_timers] = 0
    S[b + P_tduehead] = NIL
    S[b + P_tduetail] = NIL
    while S[b + P_gfree] != NIL:
        x = S[b + P_gfree]
        S[b + P_gfree] = S[gx(S, x) + G_schedlink]
        S[gx(S, x) + G_schedlink] = S[S_gfree]
        S[S_gfree] = x
        S[S_ngfree] += 1
    S[b + P_gfreecnt] = 0
    S[b + P_status] = Pdead
    emit(S, L, F_procresize, W_DESTROY, -1, p, S[S_runqsize], 0)


@jit
def stoptheworld(S, L, callerm):
    """stopTheWorldWithSema: every running G but the caller's is preempted to the global
    queue and its M stops (gcstopm; a thief asleep in runqgrab's usleep(3) too); Ps in
    syscalls (``if s == _Psyscall && atomic.Cas(&pp.status, s, _Pgcstop) { ...
    pp.syscalltick++ ...}``) and idle Ps go to _Pgcstop."""
    for m in range(S[S_mnext]):
        mb = mx(S, m)
        st = S[mb + M_state]
        if m == callerm:
            continue
        if st == MS_RUNG:
            g = S[mb + M_curg]
            gb = gx(S, g)
            cut_work(S, L, m, g, 0)  # other ops complete before the G is suspended
            S[gb + G_atomicstatus] = Grunnable
            dropg(S, m)
            globrunqput(S, g)
            emit(S, L, F_gopreempt_m, W_GLOBAL, g, S[mb + M_p], 0, 0)
        if st == MS_LOCKED and S[mb + M_nextp] != NIL:
            # woken by startlockedm but not running yet: the P goes back to the world and
            # the locked G back to the global queue; the M waits for it again
            p = S[mb + M_nextp]
            S[mb + M_nextp] = NIL
            S[px(S, p) + P_status] = Pgcstop
            globrunqput(S, S[mb + M_lockedg])
            S[S_nmidlelocked] += 1
            mpark(S, m, MS_LOCKED)
        if st == MS_HANDOFF:
            # made on a locked M, its thread not started yet by the template thread: its P
            # goes back to the world (the thread starts without one and stops)
            if S[mb + M_spinning] != 0:
                S[mb + M_spinning] = 0
                S[S_nmspinning] -= 1
            p = S[mb + M_nextp]
            S[mb + M_nextp] = NIL
            if p != NIL:
                S[px(S, p) + P_status] = Pgcstop
        if st == MS_RUNG or st == MS_SCHED or st == MS_USLEEP:
            if S[mb + M_spinning] != 0:
                S[mb + M_spinning] = 0
                S[S_nmspinning] -= 1
            p = S[mb + M_p]
            if p == NIL:
                p = S[mb + M_nextp]
                S[mb + M_nextp] = NIL
            else:
                releasep(S, L, m)
            if p != NIL:
                S[px(S, p) + P_status] = Pgcstop
            if S[mb + M_lockedg] != NIL:
                # a locked M waits for its G (stoplockedm), it does not join sched.midle
                S[S_nmidlelocked] += 1
                mpark(S, m, MS_LOCKED)
            else:
                mput(S, m)
                mpark(S, m, MS_IDLE)
    for p in range(S[S_gomaxprocs]):
        b = px(S, p)
        if S[b + P_status] == Psyscall:
            S[b + P_status] = Pgcstop
            S[b + P_syscalltick] += 1
    while True:
        p = pidleget(S)
        if p == NIL:
            break
        S[px(S, p) + P_status] = Pgcstop


@jit
def procresize(S, L, nprocs, callerm, start):
    """procresize (under stop-the-world) then startTheWorldWithSema. Removed Ps push their
    runq and runnext onto the head of the global queue and become _Pdead; Ps with empty queues
    go idle; the others get an M (an idle one, or a new thread). Returns the old GOMAXPROCS."""
    old = S[S_gomaxprocs]
    if old > 0:
        stoptheworld(S, L, callerm)
    for p in range(old, nprocs):
        pinit(S, p)
    curp = NIL
    if callerm != NIL:
        curp = S[mx(S, callerm) + M_p]
    # the caller keeps its P if it survives, else takes P0
    to = curp if (curp != NIL and curp < nprocs) else 0
    for p in range(nprocs, old):
        pdestroy(S, L, p, to)
    S[S_gomaxprocs] = nprocs
    setcoprimes(S, nprocs)
    if callerm != NIL and (curp == NIL or curp >= nprocs):
        if curp != NIL:
            S[px(S, curp) + P_m] = NIL
            S[mx(S, callerm) + M_p] = NIL
        b0 = px(S, 0)
        S[b0 + P_m] = NIL
        S[b0 + P_status] = Pidle
        acquirep(S, L, callerm, 0)
        curp = 0
    emit(S, L, F_procresize, W_NONE, -1, curp, old, nprocs)
    if not start:  # schedinit: the world has not started yet
        for i in range(nprocs - 1, -1, -1):
            if i != curp:
                S[px(S, i) + P_status] = Pidle
                pidleput(S, L, i)
        return old
    # runnable Ps (with work) get an M; the rest go idle
    runnable = NIL
    for i in range(nprocs - 1, -1, -1):
        if i == curp:
            continue
        b = px(S, i)
        S[b + P_status] = Pidle
        if runqempty(S, i):
            pidleput(S, L, i)
        else:
            S[b + P_m] = mget(S)
            S[b + P_link] = runnable
            runnable = i
    # startTheWorldWithSema
    while runnable != NIL:
        p = runnable
        b = px(S, p)
        runnable = S[b + P_link]
        S[b + P_link] = NIL
        m = S[b + P_m]
        S[b + P_m] = NIL
        if m != NIL:
            S[mx(S, m) + M_nextp] = p
            mnotewakeup(S, L, m, MS_SCHED, S[K_startm])
        else:
            newm(S, L, p, False)
    wakep(S, L)
    return old
