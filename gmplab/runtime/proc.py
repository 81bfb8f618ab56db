"""The scheduler: Go's proc.go, ≤1.25 design, one function per Go function.

Glossary (as proc.go's opening essay): G is a goroutine, M an OS thread, P a processor — the
resource an M must hold to run Go code; there are exactly GOMAXPROCS Ps. An M without work
*spins* looking for some (steals from other Ps) before it parks; "We unpark an additional thread
when we submit work if there is an idle P and there are no spinning threads" (this is wakep()).

Every function here is called by the acting M, ``L[X_curm]``, in one indivisible chain of
decisions that starts when the driver hands that M its next event; what the chain costs
accumulates in ``L[X_cost]`` and delays the M's next action. A function that parks the acting M
(stopm, netpoll, stoplockedm) removes its pending event; a function that wakes another M gives
it one (``mwake``). A wait inside a decision that another M's decisions may overtake is an event
of its own: runqgrab's usleep(3) before it CASes a running P's runnext ends the chain, the M
waits in MS_USLEEP with its randomEnum saved, and stealWork goes on from there (RESUME_USLEEP)
-- by then the owner may have run the G, and the thief's CAS fails as in Go.

The world outside the scheduler has its own events: timers fire (the timer heap, which
timeSleepUntil and pollUntil read) and network reads become ready (the netpoll heap: the
kernel's knowledge, reported only by netpoll -- an M blocks in netpoll(-1) when no timer is
pending, and sysmon sleeps on in sysmonwait). Thieves skip the Ps on the idle list (the
idlepMask bit that pidleput sets and pidleget clears), not every _Pidle P: a P that sysmon
retook and promised to a starting M, or that procresize made runnable, is robbed.

Which Go version each rule follows, where 1.23, 1.24 and 1.25 differ:

- the global queue: 1.25's ``globrunqget()`` (one G, the 1-in-61 fairness check) and
  ``globrunqgetbatch(n)`` + ``runqputbatch`` (``n = min(n, size, size/gomaxprocs+1)``); ≤1.24's
  ``globrunqget(pp, max)`` takes the same Gs (globrunqget here, with max 1 or 0);
- injectglist with a P: 1.25 puts npidle Gs on the global queue (startIdle), the rest with
  runqputbatch and only what does not fit on the global queue (≤1.24 did the spill inside
  runqputbatch: the same Gs end up in the same places);
- ``sched.needspinning`` and pidlegetSpinning (the "delicate dance"): 1.23-1.25 alike;
- handoffp's last-P test is ``npidle == gomaxprocs-1 && lastpoll != 0`` (1.23-1.25 alike);
- timers: Go 1.23 rewrote them (``p.timers``, a heap per P with its own lock, checked by
  ``pp.timers.check``); gmplab keeps one timer heap under sched.lock, with each timer's
  owning P and the per-P due lists that checkTimers and stealing thieves run, and pollUntil
  always covers every P's timers;
- schedtrace prints 1.25's format (needspinning, ``[ 3 0 ]``, schedticks);
- sched.lock on real threads is lock_futex.go's mutex (Go ≤1.23 on Linux; 1.24+ build
  lock_spinbit.go by default, see :mod:`gmplab.runtime.lock` for why);
- 1.25's container-aware default GOMAXPROCS and sysmon's GOMAXPROCS updates are not modelled;
  nor is Go 1.26's syscall rework (``_Psyscall`` unused): this is the ≤1.25 design.

Where gmplab differs from Go 1.25: no GC, no system goroutines (main is G1, the first user G is
G2), ``runtime.main``'s sysmon is M1, and the lock-free protocols reduce to plain loads and
stores because the virtual clock runs one chain at a time.

On real threads (the parallel driver, ``S[H_parallel]``) the same functions run concurrently:
sched.lock is taken where Go takes it (schedlock/schedunlock are no-ops on the virtual clock),
nmspinning and goidgen are atomics, the P's status is CASed between exitsyscall and sysmon's
retake, and the local run queues are prunq's lock-free rings (runqgrab's usleep(3) is a spin
there). gmplab keeps the timer and netpoll heaps under sched.lock too (Go: a timer heap per P,
each with its own lock); the kernel's readiness of a network read comes from the monotonic
clock when netpoll looks, and ends the poller's sleep.
"""
from ._jit import jit, jit_inline
from .atomics import atomic_cas, futex_wait, store_release
from .base import emit, fastrand, goid, gx, mcancel, mwake, mx, ndel, ntop, px, tdel, throw, ttop
from .layout import *  # noqa: F401,F403
from .lock import lockword, schedlock, schedunlock, setstatus, unlockword, wake_starter, xadd
from .queues import (gfget, gfput, globrunqget, globrunqput, gqueue_push,
                     mget, mput, pidleget, pidlegetSpinning, pidleput, runqempty, runqget,
                     runqlen, runqput, runqputbatch, runqsteal)
from .prunq import USLEEP


@jit
def casgstatus(S, L, g, old, new):
    """casgstatus: change g's status, checking the one it leaves."""
    i = gx(S, g) + G_atomicstatus
    if S[i] != old:
        throw(S, L, F_execute, S[i] * 100 + old)
        return
    S[i] = new


@jit
def acquirep(S, L, m, p):
    """acquirep/wirep: associate p with the current M; p must be idle."""
    b = px(S, p)
    if S[b + P_m] != NIL or S[b + P_status] != Pidle:
        throw(S, L, F_acquirep, p)
        return
    S[mx(S, m) + M_p] = p
    S[b + P_m] = m
    S[b + P_status] = Prunning


@jit
def releasep(S, L, m):
    """releasep: disassociate the current M from its P; the P becomes _Pidle."""
    mb = mx(S, m)
    p = S[mb + M_p]
    if p == NIL:
        throw(S, L, F_acquirep, -1)
        return NIL
    b = px(S, p)
    S[mb + M_p] = NIL
    S[b + P_m] = NIL
    S[b + P_status] = Pidle
    return p


@jit
def dropg(S, m):
    """dropg: the M's curg and the G's m no longer point at each other."""
    mb = mx(S, m)
    g = S[mb + M_curg]
    if g != NIL:
        S[gx(S, g) + G_m] = NIL
    S[mb + M_curg] = NIL


@jit
def mcount(S):
    """mcount: Ms created minus Ms freed (what schedtrace prints as threads=)."""
    return S[S_mnext] - S[S_nmfreed]


@jit
def mpark(S, m, state):
    """The M blocks on its note (notesleep(&m.park)): no pending event until woken."""
    mb = mx(S, m)
    S[mb + M_state] = state
    S[mb + M_blocked] = 1
    S[mb + M_park] = 0
    mcancel(S, m)


@jit
def mnotewakeup(S, L, m, state, delay):
    """notewakeup(&m.park): the M resumes ``delay`` ns after the current chain's cost."""
    mb = mx(S, m)
    S[mb + M_state] = state
    S[mb + M_blocked] = 0
    if S[H_parallel] == 0:
        S[mb + M_park] = 1  # (on threads mwake publishes m.park = 1 after the state)
    mwake(S, L, m, L[X_now] + L[X_cost] + delay)


@jit
def wake_sysmon(S, L):
    """notewakeup(&sched.sysmonnote): end sysmon's deep sleep (sched.sysmonwait)."""
    if S[S_sysmonwait] != 0:
        schedlock(S, L)
        if S[S_sysmonwait] != 0:
            S[S_sysmonwait] = 0
            sm = S[S_sysmon]
            S[mx(S, sm) + M_sysmonidle] = -1  # syscallWake: idle = 0, delay = 20µs
            mwake(S, L, sm, L[X_now] + L[X_cost])
        schedunlock(S, L)


@jit
def checkdead(S, L):
    """checkdead: if no M is running and no G can run, the program is deadlocked.
    sched.lock must be held."""
    if S[H_status] != ST_OK:
        return
    run = mcount(S) - S[S_nmidle] - S[S_nmidlelocked] - S[S_nmsys]
    if run > 0:
        return
    if run < 0:
        throw(S, L, F_checkdead, run)
        return
    grunning = 0
    g0 = S[H_goff]
    for g in range(S[H_ng]):
        st = S[g0 + g * NGF + G_atomicstatus]
        if st == Gwaiting or st == Gpreempted:
            grunning += 1
        elif st == Grunnable or st == Grunning or st == Gsyscall:
            throw(S, L, F_checkdead, S[g0 + g * NGF + G_goid])
            return
    if grunning == 0:
        emit(S, L, F_checkdead, W_NONE, -1, -1, 0, 0)
        setstatus(S, ST_NOGOROUTINES, 0)
        return
    if S[S_daemon] != 0:  # the Playground's hand keeps main alive, like a pending timer
        return
    for p in range(S[S_gomaxprocs]):
        if S[px(S, p) + P_timers] > 0:
            return
    emit(S, L, F_checkdead, W_BLOCK, -1, -1, grunning, 0)
    setstatus(S, ST_DEADLOCK, grunning)


@jit
def allocm(S, L, p, spinning):
    """allocm (mcommoninit → mReserveID → checkmcount): a new M's row, with ``p`` as its
    nextp; more than sched.maxmcount Ms is fatal. The M has no OS thread until newm1."""
    m = S[S_mnext]
    if mcount(S) + 1 > S[S_maxmcount] or m >= S[H_mcap]:
        S[S_mnext] = m + 1
        emit(S, L, F_newm, W_NONE, -1, p, m, S[S_maxmcount])
        setstatus(S, ST_THREADLIMIT, S[S_maxmcount])
        return NIL
    b = mx(S, m)
    for f in range(NMF):
        S[b + f] = NIL
    S[b + M_id] = m
    S[b + M_state] = MS_NONE
    S[b + M_spinning] = 1 if spinning else 0
    S[b + M_blocked] = 0
    S[b + M_lockedExt] = 0
    S[b + M_lockedInt] = 0
    S[b + M_ncgocall] = 0
    S[b + M_syscalltick] = 0
    S[b + M_park] = 0
    S[b + M_wasspinning] = 0
    S[b + M_created] = L[X_now]
    S[b + M_rand] = ((S[H_seed] * 40503 + m * 2654435761 + 12345) & 0xFFFFFFFF) | 1
    S[b + M_sysmonidle] = 0
    S[b + M_sysmondelay] = 0
    S[b + M_phase] = 0
    S[b + M_nextp] = p
    S[b + M_incore] = 0
    S[b + M_sink] = 0
    S[b + M_thread] = 0
    S[b + M_stealenum] = 0
    S[b + M_execwhen] = 0
    S[b + M_when] = NIL
    store_release(S, S_mnext, m + 1)  # the row is ready: the driver may look
    return m


@jit
def newm1(S, L, m, state):
    """newm1 → newosproc: M ``m``'s OS thread starts; its first action (mstart) is ``state``'s,
    after newm's cost."""
    mnotewakeup(S, L, m, state, S[K_newm])
    wake_starter(S)  # newm's OS thread: the parallel driver starts one for it


@jit
def newm(S, L, p, spinning):
    """newm: create a new M (an OS thread) that will start with P ``p`` (mstart → acquirep
    → schedule). On a locked M (gp.m.lockedExt != 0) the thread is not cloned from this one:
    the template thread starts it (newmHandoff)."""
    m = allocm(S, L, p, spinning)
    if m == NIL:
        return NIL
    cur = L[X_curm]
    if cur != NIL and S[mx(S, cur) + M_lockedExt] != 0:
        newmHandoff(S, L, m, p)
        return m
    emit(S, L, F_newm, W_SPINNING if spinning else W_NONE, -1, p, m, mcount(S))
    newm1(S, L, m, MS_SCHED)
    return m


@jit
def newmHandoff(S, L, m, p):
    """newm's branch for a locked M: "The kernel state of this thread may be strange (the user
    may have locked it for that purpose). We don't want to clone that into another thread.
    Instead, ask a known-good thread to create the thread for us": M ``m`` goes on
    newmHandoff.newm and the template thread is woken if it waits (newmHandoff.lock: here
    sched.lock)."""
    tm = S[S_templatem]
    if tm == NIL:
        throw(S, L, F_newm, m)  # "on a locked thread with no template thread"
        return
    schedlock(S, L)
    b = mx(S, m)
    S[b + M_state] = MS_HANDOFF
    S[b + M_schedlink] = S[S_newmhandoff]
    S[S_newmhandoff] = m
    emit(S, L, F_newm, W_HANDOFF, -1, p, m, mcount(S))
    if S[S_newmwaiting] != 0:
        S[S_newmwaiting] = 0
        mnotewakeup(S, L, tm, MS_TEMPLATE, S[K_startm])  # notewakeup(&newmHandoff.wake)
    schedunlock(S, L)


@jit
def startTemplateThread(S, L, g):
    """startTemplateThread (the first LockOSThread): newm(templateThread, nil) — an M without
    a P whose only job is to start the OS threads of Ms made on locked threads."""
    schedlock(S, L)
    if S[S_templatem] == NIL:  # (haveTemplateThread: 0 → 1)
        tm = allocm(S, L, NIL, False)
        if tm != NIL:
            S[S_templatem] = tm
            emit(S, L, F_startTemplateThread, W_NONE, g, -1, tm, mcount(S))
            newm1(S, L, tm, MS_TEMPLATE)
    schedunlock(S, L)


@jit
def templateThread(S, L, m):
    """templateThread: "a thread in a known-good state that exists solely to start new threads
    in known-good states". Its first run counts it as a system M (sched.nmsys++, like sysmon)
    and runs checkdead; then, each time it is woken, it starts the threads of the Ms on
    newmHandoff.newm (newm1) and sleeps on newmHandoff.wake."""
    mb = mx(S, m)
    schedlock(S, L)
    if S[mb + M_phase] == 0:
        S[mb + M_phase] = 1
        S[S_nmsys] += 1
        emit(S, L, F_templateThread, W_NONE, -1, -1, S[S_nmsys], 0)
        checkdead(S, L)
    while S[S_newmhandoff] != NIL:
        nm = S[S_newmhandoff]
        nb = mx(S, nm)
        S[S_newmhandoff] = S[nb + M_schedlink]
        S[nb + M_schedlink] = NIL
        emit(S, L, F_templateThread, W_NEWM, -1, S[nb + M_nextp], nm, 0)
        newm1(S, L, nm, MS_SCHED)
    S[S_newmwaiting] = 1
    mpark(S, m, MS_TEMPLATE)
    schedunlock(S, L)


@jit
def startm(S, L, p, spinning):
    """startm: schedule some M to run P ``p`` (an idle P if NIL; if none, do nothing):
    wake an idle M (mget) or create one (newm)."""
    schedlock(S, L)
    _startm(S, L, p, spinning)
    schedunlock(S, L)


@jit
def _startm(S, L, p, spinning):
    if p == NIL:
        if spinning:
            throw(S, L, F_startm, -1)
            return
        p = pidleget(S)
        if p == NIL:
            emit(S, L, F_startm, W_NOIDLEP, -1, -1, 0, 0)
            return
    nmp = mget(S)
    if nmp == NIL:
        emit(S, L, F_startm, W_NEWM, -1, p, S[S_mnext], 1 if spinning else 0)
        newm(S, L, p, spinning)
        return
    b = mx(S, nmp)
    S[b + M_spinning] = 1 if spinning else 0
    S[b + M_nextp] = p
    emit(S, L, F_startm, W_MGET, -1, p, nmp, 1 if spinning else 0)
    mnotewakeup(S, L, nmp, MS_SCHED, S[K_startm])


@jit
def stopm(S, L, m):
    """stopm: stop the current M (no P, not spinning) until new work is available; it waits
    on sched.midle and is woken by startm with ``nextp`` set."""
    mb = mx(S, m)
    if S[mb + M_p] != NIL or S[mb + M_spinning] != 0:
        throw(S, L, F_stopm, m)
        return
    schedlock(S, L)
    mput(S, m)
    mpark(S, m, MS_IDLE)
    emit(S, L, F_stopm, W_NONE, -1, -1, S[S_nmidle], 0)
    checkdead(S, L)
    schedunlock(S, L)


@jit
def wakep(S, L):
    """wakep: start a spinning M for an idle P, but only if no M is spinning already."""
    if S[S_nmspinning] != 0 or not atomic_cas(S, S_nmspinning, 0, 1):
        return
    schedlock(S, L)
    p = pidlegetSpinning(S)
    if p == NIL:
        xadd(S, S_nmspinning, -1)
        emit(S, L, F_wakep, W_NOIDLEP, -1, -1, 0, 0)
        schedunlock(S, L)
        return
    emit(S, L, F_wakep, W_NONE, -1, p, 0, 0)
    startm(S, L, p, True)
    schedunlock(S, L)


@jit
def becomeSpinning(S, m):
    S[mx(S, m) + M_spinning] = 1
    xadd(S, S_nmspinning, 1)
    S[S_needspinning] = 0


@jit
def resetspinning(S, L, m):
    """resetspinning: this M found work and stops spinning; start another spinning M if there
    is an idle P (wakep), so that work keeps being looked for."""
    b = mx(S, m)
    if S[b + M_spinning] == 0:
        throw(S, L, F_resetspinning, m)
        return
    S[b + M_spinning] = 0
    if xadd(S, S_nmspinning, -1) < 0:
        throw(S, L, F_resetspinning, -1)
        return
    wakep(S, L)


@jit
def handoffp(S, L, p):
    """handoffp: hand off P ``p`` from a syscall or locked M. The conditions here and in
    findRunnable must agree: start an M whenever findRunnable would find work for p."""
    schedlock(S, L)
    _handoffp(S, L, p)
    schedunlock(S, L)


@jit
def _handoffp(S, L, p):
    """proc.go (go1.25.3) handoffp: ``if !runqempty(pp) || !sched.runq.empty() { startm(pp,
    false, false) }``; the spinning M ``if sched.nmspinning.Load()+sched.npidle.Load() == 0 &&
    sched.nmspinning.CompareAndSwap(0, 1)``; the last P ``if sched.npidle.Load() ==
    gomaxprocs-1 && sched.lastpoll.Load() != 0`` (no netpollinited test: schedinit sets
    lastpoll, which is 0 only while an M blocks in netpoll); else ``pidleput`` and
    ``wakeNetPoller(when)``. sched.lock is held throughout (Go takes it after the spinning
    test and re-checks the global queue under it: the same decisions)."""
    if not runqempty(S, p) or S[S_runqsize] != 0:
        # (the log names runnext's G: runqempty counts it, runqlen does not)
        emit(S, L, F_handoffp, W_LOCALWORK, S[px(S, p) + P_runnext], p, runqlen(S, p),
             S[S_runqsize])
        startm(S, L, p, False)
        return
    if S[S_nmspinning] + S[S_npidle] == 0 and atomic_cas(S, S_nmspinning, 0, 1):
        S[S_needspinning] = 0
        emit(S, L, F_handoffp, W_SPIN, -1, p, 0, 0)
        startm(S, L, p, True)
        return
    if S[S_npidle] == S[S_gomaxprocs] - 1 and S[S_lastpoll] != NIL:
        emit(S, L, F_handoffp, W_LASTP, -1, p, 0, 0)
        startm(S, L, p, False)
        return
    pidleput(S, L, p)
    emit(S, L, F_handoffp, W_IDLE, -1, p, S[S_nmspinning], S[S_npidle])
    if S[px(S, p) + P_timers] > 0 and ttop(S) != NIL:
        wakeNetPoller(S, L, S[gx(S, ttop(S)) + G_when])


@jit
def netpollBreak(S, L):
    """netpollBreak: interrupt the M blocked in netpoll so that it re-evaluates its delay."""
    pm = S[S_poller]
    if pm != NIL:
        emit(S, L, F_wakeNetPoller, W_BREAK, -1, -1, pm, 0)
        mwake(S, L, pm, L[X_now] + L[X_cost])


@jit
def wakeNetPoller(S, L, when):
    """wakeNetPoller: a timer at ``when`` was added; make sure some M will run it in time."""
    if S[S_lastpoll] == NIL:
        pu = S[S_pollUntil]
        if pu == NIL or pu > when:
            netpollBreak(S, L)
    else:
        wakep(S, L)


@jit
def goready(S, L, m, g):
    """goready/ready: mark g runnable and put it in runnext of the current P, then wakep."""
    casgstatus(S, L, g, Gwaiting, Grunnable)
    S[gx(S, g) + G_waitreason] = WR_NONE
    p = S[mx(S, m) + M_p]
    emit(S, L, F_goready, W_NONE, g, p, 0, 0)
    runqput(S, L, p, g, True, False)
    wakep(S, L)


@jit
def injectglist(S, L, head, n, m):
    """injectglist: make a list of Gs (linked through schedlink) runnable. Without a P all go
    to the global queue and Ms start for idle Ps (startIdle); with one, npidle of them go to
    the global queue (with Ms started for them), the rest onto the current P's ring with
    runqputbatch, and only what does not fit to the global queue (go1.25.3: ``if
    runqputbatch(pp, &q); !q.empty() { ... globrunqputbatch(&q) ... }``), then wakep."""
    if n == 0:
        return
    schedlock(S, L)
    _injectglist(S, L, head, n, m)
    schedunlock(S, L)


@jit
def _injectglist(S, L, head, n, m):
    g = head
    while g != NIL:
        casgstatus(S, L, g, Gwaiting, Grunnable)
        S[gx(S, g) + G_waitreason] = WR_NONE
        g = S[gx(S, g) + G_schedlink]
    p = NIL
    if m != NIL:
        p = S[mx(S, m) + M_p]
    if p == NIL:
        g = head
        while g != NIL:
            nx = S[gx(S, g) + G_schedlink]
            globrunqput(S, g)
            g = nx
        emit(S, L, F_injectglist, W_GLOBAL, -1, -1, n, 0)
        startIdle(S, L, n)
        return
    npidle = S[S_npidle]
    g = head
    k = 0
    while k < npidle and g != NIL:
        nx = S[gx(S, g) + G_schedlink]
        globrunqput(S, g)
        g = nx
        k += 1
    emit(S, L, F_injectglist, W_LOCAL, -1, p, n, k)
    if k > 0:
        startIdle(S, L, k)
    runqputbatch(S, L, p, g)
    wakep(S, L)


@jit
def startIdle(S, L, n):
    for _ in range(n):
        p = pidlegetSpinning(S)
        if p == NIL:
            break
        startm(S, L, p, False)


@jit
def netpoll_take(S, L):
    """netpoll(0): ask the kernel (netpoll_kernel), then take the list of Gs whose network
    reads are ready; returns (head, n). sched.lock must be held."""
    netpoll_kernel(S, L)
    head = S[S_npready_head]
    n = S[S_npready_n]
    S[S_npready_head] = NIL
    S[S_npready_tail] = NIL
    S[S_npready_n] = 0
    S[S_netwaiters] -= n
    return head, n


@jit
def netpoll_first(S, L, m, p, head, n, why):
    """What findRunnable does with netpoll's list: run its first G (returned, _Grunnable)
    and injectglist the rest."""
    g = head
    rest = S[gx(S, g) + G_schedlink]
    S[gx(S, g) + G_schedlink] = NIL
    emit(S, L, F_netpoll, why, g, p, n, 0)
    injectglist(S, L, rest, n - 1, m)
    casgstatus(S, L, g, Gwaiting, Grunnable)
    S[gx(S, g) + G_waitreason] = WR_NONE
    return g


@jit
def checkTimers(S, L, m, owner):
    """checkTimers: run the due timers of P ``owner``: each wakes its sleeping G (goready onto
    the current M's P). Returns how many ran. On real threads the timers that came due by the
    monotonic clock are fired first (the virtual clock's driver fires them itself)."""
    if S[H_parallel] == 0:
        return _checkTimers(S, L, m, owner)
    if S[H_tn] == 0 and S[px(S, owner) + P_tduehead] == NIL:
        return 0
    schedlock(S, L)
    pumptimers(S, L)
    k = _checkTimers(S, L, m, owner)
    schedunlock(S, L)
    return k


@jit
def fire(S, L, g):
    """A timer fired, or a network read's data arrived (the world outside the scheduler acts)."""
    gb = gx(S, g)
    if S[gb + G_waitreason] == WR_SLEEP:
        # the timer is due: it runs when its P (or a thief, or the poller) runs checkTimers
        tdel(S, g)
        b = px(S, S[gb + G_waiton])
        gqueue_push(S, b + P_tduehead, b + P_tduetail, g)
    else:
        # the fd is ready: the kernel has it for netpoll to report; an M blocked in netpoll
        # (epoll_wait) returns now
        ndel(S, g)
        gqueue_push(S, S_npready_head, S_npready_tail, g)
        S[S_npready_n] += 1
        pm = S[S_poller]
        if pm != NIL:
            mwake(S, L, pm, L[X_now])


@jit
def pumptimers(S, L):
    """On real threads: fire every timer whose time has come by the monotonic clock.
    sched.lock must be held."""
    while S[H_tn] > 0:
        g = ttop(S)
        if S[gx(S, g) + G_when] > L[X_now]:
            break
        fire(S, L, g)


@jit
def netpoll_kernel(S, L):
    """netpoll asks the kernel: on real threads, the network reads whose data has arrived by
    the monotonic clock become ready now (the virtual clock's driver makes each ready at its
    time). sched.lock must be held."""
    if S[H_parallel] == 0:
        return
    while S[H_nn] > 0:
        g = ntop(S)
        if S[gx(S, g) + G_when] > L[X_now]:
            break
        fire(S, L, g)


@jit
def _checkTimers(S, L, m, owner):
    b = px(S, owner)
    g = S[b + P_tduehead]
    k = 0
    while g != NIL:
        nx = S[gx(S, g) + G_schedlink]
        S[gx(S, g) + G_schedlink] = NIL
        S[b + P_timers] -= 1
        L[X_cost] += S[K_timer]
        emit(S, L, F_checkTimers, W_TIMER, g, owner, L[X_now] - S[gx(S, g) + G_when], 0)
        goready(S, L, m, g)
        k += 1
        g = nx
    S[b + P_tduehead] = NIL
    S[b + P_tduetail] = NIL
    return k


@jit
def anydue(S):
    for p in range(S[S_gomaxprocs]):
        if S[px(S, p) + P_tduehead] != NIL:
            return True
    return False


@jit
def pollUntilNoP(S, L):
    """checkTimersNoP: when the next timer needs an M; NIL if none. Timers only: a pending
    network read is the kernel's business (netpoll), not a time to wake up at."""
    if anydue(S):
        return L[X_now]
    t = ttop(S)
    if t == NIL:
        return NIL
    return S[gx(S, t) + G_when]


# --- stealOrder: randomOrder/randomEnum (proc.go), the order in which stealWork visits the Ps.
# The coprimes are set by randomOrder.reset (procresize.setcoprimes); an enumeration is the
# tuple (i, count, pos, inc). Inlined: they cost what the arithmetic costs.

@jit_inline
def randomOrder_start(S, i):
    """randomOrder.start(i): pos = i % count, inc = coprimes[i/count % len(coprimes)]."""
    n = S[S_gomaxprocs]
    return (n - n, n, i % n, S[S[H_cpoff] + (i // n) % S[H_ncoprimes]])


@jit_inline
def randomEnum_done(enum):
    """randomEnum.done: every P has been visited."""
    return enum[0] == enum[1]


@jit_inline
def randomEnum_next(enum):
    """randomEnum.next: pos = (pos + inc) % count."""
    return (enum[0] + 1, enum[1], (enum[2] + enum[3]) % enum[1], enum[3])


@jit_inline
def randomEnum_position(enum):
    """randomEnum.position: the P to look at."""
    return enum[2]


@jit_inline
def stealOrder_save(S, m, p2, enum, ranTimer):
    """m.stealenum: where stealWork stopped when runqgrab slept in usleep(3) (the victim p2,
    the enumeration after it, whether a timer ran), for stealWork(resume=True)."""
    S[mx(S, m) + M_stealenum] = (p2 | (enum[0] << 16) | (enum[2] << 32) | (enum[3] << 48)
                                 | ((1 if ranTimer else 0) << 60))


@jit_inline
def stealOrder_load(S, m):
    """What stealOrder_save kept: (p2, enum, ranTimer)."""
    e = S[mx(S, m) + M_stealenum]
    n = S[S_gomaxprocs]
    return (e & 0xFFFF, ((e >> 16) & 0xFFFF, n, (e >> 32) & 0xFFFF, (e >> 48) & 0xFFF),
            ((e >> 60) & 1) != 0)


@jit
def stealWork(S, L, m, resume):
    """stealWork: 4 passes over all Ps in a random coprime order (randomOrder); skip itself
    and the Ps on the idle list, steal half of a victim's ring; on the last pass also run
    victims' timers (before the idle test, as in Go) and take runnext. Returns (g,
    inheritTime, newWork); g is USLEEP when the M sleeps in runqgrab's usleep(3) (virtual clock:
    where it stopped is kept in m.stealenum and ``resume`` goes on from there).

    proc.go (go1.25.3) stealWork: ``if stealTimersOrRunNextG && timerpMask.read(...) {
    p2.timers.check ... }`` then ``// Don't bother to attempt to steal if p2 is idle. if
    !idlepMask.read(enum.position()) { if gp := runqsteal(pp, p2, stealTimersOrRunNextG) ...}``:
    a _Pidle P that is not on the idle list (retaken by sysmon and promised to a starting M,
    or made runnable by procresize) is robbed."""
    mb = mx(S, m)
    p = S[mb + M_p]
    ranTimer = False
    first = 0
    if resume:
        first = STEALTRIES - 1
    for i in range(first, STEALTRIES):
        last = i == STEALTRIES - 1
        p2 = NIL
        if resume:
            # back from usleep(3): CAS the runnext read before it, or go on with the ring
            resume = False
            p2, enum, ranTimer = stealOrder_load(S, m)
            g = runqsteal(S, L, p, p2, True, True)
        else:
            enum = randomOrder_start(S, fastrand(S, m))
            g = NIL
        while g == NIL and not randomEnum_done(enum):
            p2 = randomEnum_position(enum)
            enum = randomEnum_next(enum)
            if p2 == p:
                continue
            b2 = px(S, p2)
            if last and S[b2 + P_tduehead] != NIL:
                if checkTimers(S, L, m, p2) > 0:
                    g, inh = runqget(S, p)
                    if g != NIL:
                        emit(S, L, F_runqget, W_TIMER, g, p, 1 if inh else 0, 0)
                        return g, inh, False
                    ranTimer = True
            if S[b2 + P_idlep] != 0:
                continue
            L[X_cost] += S[K_steal]
            g = runqsteal(S, L, p, p2, last, False)
        if g == USLEEP:
            stealOrder_save(S, m, p2, enum, ranTimer)
            S[mb + M_state] = MS_USLEEP
            mwake(S, L, m, L[X_now] + L[X_cost])
            return USLEEP, False, False
        if g != NIL:
            return g, False, False
    return NIL, False, ranTimer


@jit
def checkRunqsNoP(S, L):
    """checkRunqsNoP: after dropping its P, a formerly spinning M looks once more at the run
    queue of every P not on the idle list (go1.25.3: ``if !idlepMaskSnapshot.read(uint32(id))
    && !runqempty(p2)``, the snapshot sharing idlepMask's words); if one has work, take an
    idle P to go and steal it."""
    for p2 in range(S[S_gomaxprocs]):
        if S[px(S, p2) + P_idlep] == 0 and not runqempty(S, p2):
            pp = pidlegetSpinning(S)
            return pp
    return NIL


@jit
def findRunnable(S, L, m, entry):
    """findRunnable: find a runnable G for the current M, in Go's order — own timers; the
    1-in-61 fairness look at the global queue; runqget; globrunqget; netpoll(0); stealWork
    (only if spinning Ms are fewer than half the busy Ps); then give up the P and either block
    in netpoll or stopm. Returns (g, inheritTime), or (NIL, False) once the M has blocked.
    ``entry``: RESUME_NETPOLL, the M comes back from a blocking netpoll; RESUME_USLEEP, from
    runqgrab's usleep(3) in stealWork (the virtual clock), which goes on where it slept."""
    mb = mx(S, m)
    if entry == RESUME_NETPOLL:
        schedlock(S, L)
        g = _netpollreturn(S, L, m)
        schedunlock(S, L)
        if g != NIL or S[mb + M_p] == NIL:
            return g, False
    resume = entry == RESUME_USLEEP
    while True:  # top:
        p = S[mb + M_p]
        src = SRC_STEAL if resume else findRunnable_next(S, m, SRC_TOP)
        while True:
            if src == SRC_TIMERS:
                # 1. own timers
                L[X_cost] += S[K_schedule]
                checkTimers(S, L, m, p)
            elif src == SRC_FAIR:
                # 2. fairness: every 61st schedtick, one G from the global queue
                schedlock(S, L)
                g = globrunqget(S, L, p, 1, W_FAIR)
                schedunlock(S, L)
                if g != NIL:
                    return g, False
            elif src == SRC_LOCAL:
                # 3. local run queue
                g, inh = runqget(S, p)
                if g != NIL:
                    emit(S, L, F_runqget, W_RUNNEXT if inh else W_LOCAL, g, p,
                         1 if inh else 0, 0)
                    return g, inh
            elif src == SRC_GLOBAL:
                # 4. global run queue
                schedlock(S, L)
                g = globrunqget(S, L, p, 0, W_BATCH)
                schedunlock(S, L)
                if g != NIL:
                    return g, False
            elif src == SRC_NETPOLL:
                # 5. non-blocking netpoll(0): what the kernel has ready
                schedlock(S, L)
                g = NIL
                head, n = netpoll_take(S, L)
                if n > 0:
                    L[X_cost] += S[K_netpoll]
                    g = netpoll_first(S, L, m, p, head, n, W_NETPOLL)
                schedunlock(S, L)
                if g != NIL:
                    return g, False
            elif src == SRC_STEAL:
                # 6. steal
                if S[mb + M_spinning] == 0:
                    becomeSpinning(S, m)
                g, inh, newwork = stealWork(S, L, m, resume)
                resume = False
                if g == USLEEP:
                    return NIL, False
                if g != NIL:
                    return g, inh
                if newwork:
                    break  # goto top
            else:
                # 7.-9. under sched.lock
                schedlock(S, L)
                g, again = _findRunnableIdle(S, L, m, p)
                schedunlock(S, L)
                if not again:
                    return g, False
                break  # goto top
            src = findRunnable_next(S, m, src)


@jit_inline
def findRunnable_next(S, m, after):
    """The source of work findRunnable looks at after ``after`` (SRC_TOP: at the top), in
    Go's order: own timers; the 1-in-61 fairness look (``pp.schedtick%61 == 0 &&
    !sched.runq.empty()``); the local queue; the global queue if not empty; netpoll(0) if
    there are waiters and nobody blocks in netpoll; stealing if ``mp.spinning ||
    2*nmspinning < gomaxprocs-npidle`` (spinning Ms at most half the busy Ps); else give up
    (SRC_IDLE). The conditions here and in handoffp must agree."""
    mb = mx(S, m)
    b = px(S, S[mb + M_p])
    if after < SRC_TIMERS:
        return SRC_TIMERS
    if after < SRC_FAIR and S[b + P_schedtick] % FAIRNESS_TICK == 0 and S[S_runqsize] > 0:
        return SRC_FAIR
    if after < SRC_LOCAL:
        return SRC_LOCAL
    if after < SRC_GLOBAL and S[S_runqsize] != 0:
        return SRC_GLOBAL
    if (after < SRC_NETPOLL and S[S_netpollinited] != 0 and S[S_netwaiters] > 0
            and S[S_lastpoll] != NIL):
        return SRC_NETPOLL
    if after < SRC_STEAL and (S[mb + M_spinning] != 0
                              or 2 * S[S_nmspinning] < S[S_gomaxprocs] - S[S_npidle]):
        return SRC_STEAL
    return SRC_IDLE


@jit
def _netpollreturn(S, L, m):
    """findRunnable, back from netpoll(delay): take an idle P; run the first ready G, inject
    the rest. Returns the G, or NIL (with or without a P: with one, findRunnable goes on)."""
    mb = mx(S, m)
    S[S_pollUntil] = NIL
    S[S_lastpoll] = L[X_now]
    S[S_poller] = NIL
    S[mb + M_blocked] = 0
    head, n = netpoll_take(S, L)
    p = pidleget(S)
    if p == NIL:
        emit(S, L, F_netpoll, W_NOIDLEP, -1, -1, n, 0)
        injectglist(S, L, head, n, NIL)
        stopm(S, L, m)
        return NIL
    acquirep(S, L, m, p)
    if n > 0:
        return netpoll_first(S, L, m, p, head, n, W_POLL)
    emit(S, L, F_netpoll, W_NOP, -1, p, 0, 0)
    if S[mb + M_wasspinning] != 0:
        becomeSpinning(S, m)
    return NIL


@jit
def _findRunnableIdle(S, L, m, p):
    """findRunnable's steps 7-9, sched.lock held. Returns (g, again): again means go back to
    the top (the M holds a P again). Step 9 is go1.25.3's ``if netpollinited() &&
    (netpollAnyWaiters() || pollUntil != 0) && sched.lastpoll.Swap(0) != 0 { ... delay :=
    int64(-1); if pollUntil != 0 { delay = pollUntil - now } ... netpoll(delay) }``: without a
    timer the poller blocks in netpoll(-1) until a read is ready or netpollBreak."""
    mb = mx(S, m)
    # 7. nothing: recheck the global queue under sched.lock, then give up the P
    if S[S_runqsize] != 0:
        g = globrunqget(S, L, p, 0, W_RECHECK)
        return g, False
    if S[mb + M_spinning] == 0 and S[S_needspinning] == 1:
        becomeSpinning(S, m)
        emit(S, L, F_findRunnable, W_NEEDSPIN, -1, p, 0, 0)
        return NIL, True
    releasep(S, L, m)
    pidleput(S, L, p)
    emit(S, L, F_findRunnable, W_IDLE, -1, p, S[S_npidle], S[mb + M_spinning])
    # 8. a spinning M that gives up rechecks everything once more ("delicate dance")
    wasSpinning = S[mb + M_spinning]
    if wasSpinning != 0:
        S[mb + M_spinning] = 0
        if xadd(S, S_nmspinning, -1) < 0:
            throw(S, L, F_findRunnable, -1)
            return NIL, False
        if S[S_runqsize] != 0:
            p2 = pidlegetSpinning(S)
            if p2 != NIL:
                g = globrunqget(S, L, p2, 0, W_RECHECK)
                acquirep(S, L, m, p2)
                becomeSpinning(S, m)
                return g, False
        p2 = checkRunqsNoP(S, L)
        if p2 != NIL:
            acquirep(S, L, m, p2)
            becomeSpinning(S, m)
            emit(S, L, F_findRunnable, W_RECHECK, -1, p2, 0, 0)
            return NIL, True
    # 9. block in netpoll until the next timer, if nobody else is polling
    pollUntil = pollUntilNoP(S, L)
    if S[S_netpollinited] != 0 and (S[S_netwaiters] > 0 or pollUntil != NIL) and S[S_lastpoll] != NIL:
        S[S_lastpoll] = NIL
        S[S_pollUntil] = pollUntil
        S[S_poller] = m
        S[mb + M_wasspinning] = wasSpinning
        mpark(S, m, MS_NETPOLL)
        # netpoll(delay): delay = pollUntil - now, or -1 without a timer ("block until new
        # work is available"). It returns at that deadline, on netpollBreak, or when the
        # kernel has a read ready: fire() wakes the poller then; on real threads the poller's
        # sleep ends at the earliest pending read (epoll_wait returns), and reads already
        # ready return it at once.
        w = pollUntil
        if S[H_parallel] != 0 and S[H_nn] > 0:
            k = S[gx(S, ntop(S)) + G_when]
            if w == NIL or k < w:
                w = k
        if S[S_npready_n] > 0:
            w = L[X_now]
        if w != NIL:
            # netpoll(delay) returns no earlier than this pass of findRunnable took
            if w < L[X_now] + L[X_cost]:
                w = L[X_now] + L[X_cost]
            mwake(S, L, m, w)
        emit(S, L, F_netpoll, W_BLOCK, -1, -1, pollUntil, S[S_netwaiters])
        return NIL, False
    elif pollUntil != NIL and S[S_netpollinited] != 0:
        pu = S[S_pollUntil]
        if pu == NIL or pu > pollUntil:
            netpollBreak(S, L)
    stopm(S, L, m)
    return NIL, False


@jit
def execute(S, L, m, g, inheritTime):
    """execute: schedule g to run on the current M. Unless inheritTime, this starts a new time
    slice: p.schedtick++ (sysmon preempts a slice older than forcePreemptNS)."""
    mb = mx(S, m)
    p = S[mb + M_p]
    S[mb + M_curg] = g
    gb = gx(S, g)
    S[gb + G_m] = m
    casgstatus(S, L, g, Grunnable, Grunning)
    S[gb + G_waitsince] = 0
    S[gb + G_preempt] = 0
    if not inheritTime:
        S[px(S, p) + P_schedtick] += 1
    S[mb + M_state] = MS_RUNG
    S[mb + M_execwhen] = L[X_now] + L[X_cost]
    emit(S, L, F_execute, W_INHERIT if inheritTime else W_NONE, g, p, S[px(S, p) + P_schedtick], 0)
    mwake(S, L, m, L[X_now] + L[X_cost])


@jit
def startlockedm(S, L, m, g):
    """startlockedm: g is locked to another M: hand our P to that M and stop ourselves."""
    lm = S[gx(S, g) + G_lockedm]
    lb = mx(S, lm)
    if lm == m or S[lb + M_nextp] != NIL:
        throw(S, L, F_startlockedm, lm)
        return
    schedlock(S, L)
    S[S_nmidlelocked] -= 1
    p = releasep(S, L, m)
    S[lb + M_nextp] = p
    emit(S, L, F_startlockedm, W_NONE, g, p, lm, 0)
    mnotewakeup(S, L, lm, MS_LOCKED, S[K_startm])
    stopm(S, L, m)
    schedunlock(S, L)


@jit
def stoplockedm(S, L, m):
    """stoplockedm: the current M is locked to a G that cannot run now: hand off its P and
    sleep until that G is runnable again (startlockedm wakes it, with m.nextp set).

    mPark is notesleep *then* noteclear: a notewakeup that came first is not lost. On real
    threads the G can be readied and handed over by startlockedm on another M between its
    gopark (or its Gosched, its preemption) and this point; then m.nextp is already set and
    m.park signalled, and the M must not clear its note: it runs its G at once."""
    if S[H_faults] & FAULT_SLOWSTOPLOCKED:
        futex_wait(S, H_faults, S[H_faults], 300_000)  # (a test's fault: dawdle 0.3ms)
    mb = mx(S, m)
    lg = S[mb + M_lockedg]
    if lg == NIL or S[gx(S, lg) + G_lockedm] != m:
        throw(S, L, F_stoplockedm, m)
        return
    p = S[mb + M_p]
    schedlock(S, L)
    noted = S[mb + M_nextp] != NIL and (S[H_faults] & FAULT_CLEARNOTE) == 0
    emit(S, L, F_stoplockedm, W_NOTED if noted else W_NONE, lg, p, 0, 0)
    if p != NIL:
        releasep(S, L, m)
        handoffp(S, L, p)
    S[S_nmidlelocked] += 1  # incidlelocked(1)
    if not noted:
        mpark(S, m, MS_LOCKED)
    checkdead(S, L)
    schedunlock(S, L)


@jit
def schedule(S, L, m, entry):
    """schedule: one round of the scheduler: find a runnable G and execute it.
    A locked M waits for its G (stoplockedm); a G locked to another M is handed over
    (startlockedm). A fresh round (``entry`` 0) clears p.preempt (go1.25.3 schedule: ``top:
    pp := mp.p.ptr(); pp.preempt = false``); RESUME_* entries go on inside findRunnable."""
    mb = mx(S, m)
    if S[mb + M_lockedg] != NIL and entry == 0:
        stoplockedm(S, L, m)
        return
    if entry == 0 and S[mb + M_p] != NIL:
        S[px(S, S[mb + M_p]) + P_preempt] = 0
    while True:
        g, inh = findRunnable(S, L, m, entry)
        entry = 0
        if g == NIL or S[H_status] != ST_OK:
            return
        if S[mb + M_spinning] != 0:
            resetspinning(S, L, m)
        if S[gx(S, g) + G_lockedm] != NIL:
            startlockedm(S, L, m, g)
            return
        execute(S, L, m, g, inh)
        return


@jit
def park_m(S, L, m, g, reason):
    """gopark's park_m without the schedule(): g waits, the M keeps its P."""
    gb = gx(S, g)
    casgstatus(S, L, g, Grunning, Gwaiting)
    S[gb + G_waitreason] = reason
    S[gb + G_waitsince] = L[X_now]
    L[X_cost] += S[K_gopark]
    emit(S, L, F_gopark, reason, g, S[mx(S, m) + M_p], 0, 0)
    dropg(S, m)


@jit
def gopark(S, L, m, g, reason):
    """gopark: put g into a waiting state and schedule something else on this M and P."""
    park_m(S, L, m, g, reason)
    schedule(S, L, m, 0)


@jit
def goschedImpl(S, L, m, g, preempted):
    """goschedImpl (Gosched, and gopreempt_m when preempted): g goes to the *global* queue,
    then wakep and schedule."""
    casgstatus(S, L, g, Grunning, Grunnable)
    p = S[mx(S, m) + M_p]
    emit(S, L, F_gopreempt_m if preempted else F_goschedImpl, W_GLOBAL, g, p, 0, 0)
    dropg(S, m)
    S[gx(S, g) + G_preempt] = 0
    schedlock(S, L)
    globrunqput(S, g)
    schedunlock(S, L)
    if S[S_mainstarted] != 0:
        wakep(S, L)
    schedule(S, L, m, 0)


@jit
def newproc(S, L, m, p, parent, startpc):
    """newproc: newproc1, then put the new G in p's runnext (runqput next=true: the G that
    was there is kicked to the tail) and wakep once main has started. Returns the G's slot."""
    g = newproc1(S, L, p, parent, startpc)
    if g == NIL:
        return NIL
    runqput(S, L, p, g, True, False)
    if S[S_mainstarted] != 0:
        wakep(S, L)
    return g


@jit
def newproc1(S, L, p, parent, startpc):
    """newproc1: create a G running ``startpc`` — a dead G from gfget, or a new one — with
    the next goid of p's batch of 16 (_GoidCacheBatch); _Gdead → _Grunnable."""
    g = gfget(S, L, p)
    if g == NIL:
        g = xadd(S, H_ng, 1) - 1
        if g >= S[H_gcap]:  # (the parallel driver's preallocated table is full)
            setstatus(S, ST_GLIMIT, S[H_gcap])
            return NIL
        gb = gx(S, g)
        for f in range(NGF):
            S[gb + f] = NIL
        S[gb + G_atomicstatus] = Gdead
        S[gb + G_hpos] = -1
    gb = gx(S, g)
    b = px(S, p)
    if S[b + P_goidcache] == S[b + P_goidcacheend]:
        S[b + P_goidcache] = xadd(S, S_goidgen, GOIDCACHEBATCH) - (GOIDCACHEBATCH - 1)
        S[b + P_goidcacheend] = S[b + P_goidcache] + GOIDCACHEBATCH
    S[gb + G_goid] = S[b + P_goidcache]
    S[b + P_goidcache] += 1
    S[gb + G_m] = NIL
    S[gb + G_lockedm] = NIL
    S[gb + G_preempt] = 0
    S[gb + G_schedlink] = NIL
    S[gb + G_waitsince] = 0
    S[gb + G_waitreason] = WR_NONE
    S[gb + G_param] = 0
    S[gb + G_pc] = startpc
    S[gb + G_startpc] = startpc
    S[gb + G_inop] = 0
    S[gb + G_workleft] = 0
    S[gb + G_loop0] = 0
    S[gb + G_loop1] = 0
    S[gb + G_loop2] = 0
    S[gb + G_nchild] = 0
    S[gb + G_waiton] = NIL
    S[gb + G_when] = 0
    S[gb + G_parent] = parent
    S[gb + G_parentgoid] = goid(S, parent)
    S[gb + G_gopc] = S[gx(S, parent) + G_pc] if parent != NIL else NIL
    if parent != NIL:
        xadd(S, gx(S, parent) + G_nchild, 1)
    casgstatus(S, L, g, Gdead, Grunnable)
    xadd(S, S_nglive, 1)
    L[X_cost] += S[K_newproc]
    emit(S, L, F_newproc, W_NONE, g, p, goid(S, parent), 0)
    return g


@jit
def mexit(S, L, m):
    """mexit: the thread exits (a G exited while locked to it): hand off its P, then
    sched.nmfreed++ and checkdead. m0, the process's main thread, is wedged instead ("This is
    the main thread. Just wedge it.": on Linux an exited main thread leaves a zombie process):
    the same hand-off and count, then it parks for ever."""
    mb = mx(S, m)
    p = S[mb + M_p]
    wedge = m == 0
    emit(S, L, F_mexit, W_WEDGE if wedge else W_EXITLOCKED, -1, p, m, 0)
    schedlock(S, L)
    if p != NIL:
        releasep(S, L, m)
        handoffp(S, L, p)
    S[S_nmfreed] += 1
    if wedge:
        mpark(S, m, MS_WEDGED)
    else:
        S[mb + M_lockedExt] = 0
        S[mb + M_lockedg] = NIL
        mpark(S, m, MS_DEAD)
    checkdead(S, L)
    schedunlock(S, L)


@jit
def goexit0(S, L, m, g):
    """goexit0/gdestroy: g is dead; put it on p's free list and schedule. If g was locked to
    its thread, the thread exits with it (mexit). If g was main, the program exits."""
    gb = gx(S, g)
    mb = mx(S, m)
    p = S[mb + M_p]
    # what the goroutine's deferred wg.Done() did just before: wake a waiting parent
    par = S[gb + G_parent]
    if par != NIL:
        pb = gx(S, par)
        if S[pb + G_goid] == S[gb + G_parentgoid] and S[pb + G_atomicstatus] != Gdead:
            if xadd(S, pb + G_nchild, -1) == 0:
                # (the parent parks in wait() under the same sema lock: no lost wake-up)
                lockword(S, H_semalock)
                if (S[pb + G_nchild] == 0 and S[pb + G_atomicstatus] == Gwaiting
                        and S[pb + G_waitreason] == WR_WAITGROUP
                        and not (par == S[S_maing] and S[S_daemon] != 0)):
                    goready(S, L, m, par)
                unlockword(S, H_semalock)
    casgstatus(S, L, g, Grunning, Gdead)
    L[X_cost] += S[K_goexit]
    locked = S[gb + G_lockedm] != NIL
    emit(S, L, F_goexit0, W_EXITLOCKED if locked else W_NONE, g, p, 0, 0)
    S[gb + G_m] = NIL
    S[gb + G_lockedm] = NIL
    S[mb + M_lockedg] = NIL
    S[mb + M_curg] = NIL
    xadd(S, S_nglive, -1)
    if g == S[S_maing]:
        setstatus(S, ST_DONE, 0)
        return
    gfput(S, L, p, g)
    if locked:
        mexit(S, L, m)
        return
    schedule(S, L, m, 0)


@jit
def entersyscall(S, L, m, g, d):
    """entersyscall/reentersyscall: g enters a syscall; the P is *not* handed off: it stays
    in _Psyscall with m.oldp pointing at it, and sysmon may retake it."""
    mb = mx(S, m)
    p = S[mb + M_p]
    b = px(S, p)
    S[mb + M_syscalltick] = S[b + P_syscalltick]
    S[b + P_m] = NIL
    S[mb + M_oldp] = p
    S[mb + M_p] = NIL
    store_release(S, b + P_status, Psyscall)
    casgstatus(S, L, g, Grunning, Gsyscall)
    S[gx(S, g) + G_inop] = 1
    L[X_cost] += S[K_syscall]
    emit(S, L, F_entersyscall, W_NONE, g, p, d, 0)
    wake_sysmon(S, L)
    S[mb + M_state] = MS_SYSCALL
    mwake(S, L, m, L[X_now] + L[X_cost] + d)


@jit
def entersyscallblock(S, L, m, g, d):
    """entersyscallblock: a syscall known to block: hand off the P at once (handoffp)."""
    mb = mx(S, m)
    p = S[mb + M_p]
    b = px(S, p)
    S[mb + M_syscalltick] = S[b + P_syscalltick]
    S[b + P_syscalltick] += 1
    casgstatus(S, L, g, Grunning, Gsyscall)
    S[gx(S, g) + G_inop] = 1
    L[X_cost] += S[K_syscall]
    emit(S, L, F_entersyscallblock, W_HANDOFF, g, p, d, 0)
    releasep(S, L, m)
    handoffp(S, L, p)
    S[mb + M_state] = MS_SYSCALL
    mwake(S, L, m, L[X_now] + L[X_cost] + d)


@jit
def exitsyscall(S, L, m):
    """exitsyscall: the syscall returned. Fast path (exitsyscallfast): take back the old P if
    it is still in _Psyscall (exitsyscallfast_reacquired: syscalltick++ if it was retaken and
    is in a new syscall), else any idle P (exitsyscallfast_pidle); then ``gp.m.p.ptr().
    syscalltick++`` and keep running. Slow path: exitsyscall0. Returns True when g keeps
    running on this M now."""
    mb = mx(S, m)
    g = S[mb + M_curg]
    oldp = S[mb + M_oldp]
    S[mb + M_oldp] = NIL
    L[X_cost] += S[K_syscall]
    if oldp != NIL and atomic_cas(S, px(S, oldp) + P_status, Psyscall, Pidle):
        # (sysmon's retake CASes the same word: exactly one of them gets the P)
        b = px(S, oldp)
        acquirep(S, L, m, oldp)
        if S[mb + M_syscalltick] != S[b + P_syscalltick]:
            S[b + P_syscalltick] += 1
        S[b + P_syscalltick] += 1
        casgstatus(S, L, g, Gsyscall, Grunning)
        S[mb + M_state] = MS_RUNG
        emit(S, L, F_exitsyscall, W_FAST_OLDP, g, oldp, 0, 0)
        return True
    if S[S_pidle] != NIL:
        p = exitsyscallfast_pidle(S, L, m)
        if p != NIL:
            S[px(S, p) + P_syscalltick] += 1
            casgstatus(S, L, g, Gsyscall, Grunning)
            S[mb + M_state] = MS_RUNG
            emit(S, L, F_exitsyscall, W_FAST_IDLEP, g, p, oldp, 0)
            return True
    exitsyscall0(S, L, m, g, oldp)
    return False


@jit
def exitsyscallfast_pidle(S, L, m):
    """exitsyscallfast_pidle: take an idle P under sched.lock for the M back from a syscall
    (waking sysmon from its deep sleep); returns the P, acquired, or NIL."""
    schedlock(S, L)
    p = pidleget(S)
    if p != NIL:
        acquirep(S, L, m, p)
        wake_sysmon(S, L)
    schedunlock(S, L)
    return p


@jit
def exitsyscall0(S, L, m, g, oldp):
    """exitsyscall0 (the slow path, on g0): g becomes _Grunnable; under sched.lock try an idle
    P once more (another M may have freed one since exitsyscallfast): found, the M runs g on it
    (``execute(gp, false)``, a new time slice); else g goes to the global queue and the M
    stops (stoplockedm if g is locked to it). Either way exitsyscall's last
    ``gp.m.p.ptr().syscalltick++`` happens when g runs again (g.syscallsp stays set until
    then: run_g ends the syscall)."""
    gb = gx(S, g)
    casgstatus(S, L, g, Gsyscall, Grunnable)
    dropg(S, m)
    S[gb + G_syscallsp] = INSYSCALL
    schedlock(S, L)
    p = pidleget(S)
    locked = False
    if p == NIL:
        globrunqput(S, g)
        locked = S[gb + G_lockedm] != NIL
        emit(S, L, F_exitsyscall0, W_SLOW_GLOBAL, g, -1, oldp, 1 if locked else 0)
    else:
        wake_sysmon(S, L)
    schedunlock(S, L)
    if p != NIL:
        acquirep(S, L, m, p)
        emit(S, L, F_exitsyscall0, W_SLOW_IDLEP, g, p, oldp, 0)
        execute(S, L, m, g, False)
        return
    if locked:
        stoplockedm(S, L, m)
    else:
        stopm(S, L, m)


@jit
def lockOSThread(S, L, m, g):
    """LockOSThread: the first call starts the template thread (startTemplateThread: "If we
    need to start a new thread from the locked thread, we need the template thread. Start it
    now while we're in a known-good state."); then wire g to its M (lockedExt counts nested
    calls)."""
    if S[S_templatem] == NIL:
        startTemplateThread(S, L, g)
    mb = mx(S, m)
    S[mb + M_lockedExt] += 1
    S[mb + M_lockedg] = g
    S[gx(S, g) + G_lockedm] = m
    emit(S, L, F_LockOSThread, W_NONE, g, S[mb + M_p], S[mb + M_lockedExt], 0)


@jit
def unlockOSThread(S, L, m, g):
    """UnlockOSThread: undo one LockOSThread; g is unwired when the count reaches 0."""
    mb = mx(S, m)
    if S[mb + M_lockedExt] == 0:
        emit(S, L, F_UnlockOSThread, W_NOP, g, S[mb + M_p], 0, 0)
        return
    S[mb + M_lockedExt] -= 1
    if S[mb + M_lockedExt] == 0 and S[mb + M_lockedInt] == 0:
        S[mb + M_lockedg] = NIL
        S[gx(S, g) + G_lockedm] = NIL
    emit(S, L, F_UnlockOSThread, W_NONE, g, S[mb + M_p], S[mb + M_lockedExt], 0)
