"""The virtual-clock driver's loop and the goroutine-program interpreter.

The driver decides only *when* things happen: it pops the earliest pending action — an M's
next step, sysmon's wake-up, or a timer / network read becoming ready — sets the clock to its
time and lets the scheduler functions decide *what* happens. Ties are broken by insertion
order, so the same seed and program give the same event log on every machine.
"""
from ._jit import jit
from .base import (cut_work, emit, enter, gx, mcancel, mtop, mwake, mx, nadd, px, tadd, throw,
                   wtop)
from .chan import chanrecv, chansend
from .layout import *  # noqa: F401,F403
from .lock import lockword, schedlock, schedunlock, unlockword
from .proc import (acquirep, entersyscall, entersyscallblock, execute, exitsyscall, fire,
                   goexit0, goschedImpl, injectglist, lockOSThread, newm, newproc, newproc1,
                   park_m, schedule, stopm, templateThread, unlockOSThread, wake_sysmon,
                   wakeNetPoller)
from .procresize import procresize
from .queues import runqput
from .sysmon import sysmon_tick


@jit
def run_g(S, C, PROG, L, m):
    """Run the current M's G from its pc until an op takes time, blocks or yields.
    ``g.inop`` set means the op at pc has completed (a work op ran out, a parked G was woken)."""
    mb = mx(S, m)
    g = S[mb + M_curg]
    gb = gx(S, g)
    budget = S[H_opsbudget]
    if S[gb + G_syscallsp] == INSYSCALL:
        # back in exitsyscall after exitsyscall0 (go1.25.3: ``mcall(exitsyscall0); ...
        # gp.syscallsp = 0; gp.m.p.ptr().syscalltick++``)
        S[gb + G_syscallsp] = 0
        S[px(S, S[mb + M_p]) + P_syscalltick] += 1
    if S[gb + G_inop] != 0:
        S[gb + G_inop] = 0
        S[gb + G_workleft] = 0
        # main woke from its final wait() but the learner started more Gs meanwhile
        # (rt.go): it waits again instead of returning
        if not (g == S[S_maing] and PROG[S[gb + G_pc] * OPW] == OP_WAIT and S[gb + G_nchild] > 0):
            S[gb + G_pc] += 1
    while True:
        if S[gb + G_preempt] != 0:
            # a preemption request is honoured at the next safe point: here, an op boundary
            goschedImpl(S, L, m, g, True)
            return
        pc = S[gb + G_pc]
        i = pc * OPW
        op = PROG[i]
        a = PROG[i + 1]
        if op == OP_WORK or op == OP_LCG:
            # g.workleft > 0 with inop set marks a work op in progress (preemptible)
            d = S[gb + G_workleft]
            if d <= 0:
                # (an lcg op lasts its steps at the lcg1000 cost; on real threads that cost
                # is 1000, so workleft counts the steps left)
                d = a if op == OP_WORK else max(1, a * S[K_lcg] // 1000)
            S[gb + G_workleft] = d
            S[gb + G_inop] = 1
            mwake(S, L, m, L[X_now] + L[X_cost] + d)
            return
        elif op == OP_EXIT:
            goexit0(S, L, m, g)
            return
        elif op == OP_GO:
            newproc(S, L, m, S[mb + M_p], g, a)
            S[gb + G_inop] = 1
            mwake(S, L, m, L[X_now] + L[X_cost])
            return
        elif op == OP_SYSCALL:
            entersyscall(S, L, m, g, a)
            return
        elif op == OP_SYSCALLBLOCK:
            entersyscallblock(S, L, m, g, a)
            return
        elif op == OP_GOSCHED:
            S[gb + G_pc] = pc + 1
            goschedImpl(S, L, m, g, False)
            return
        elif op == OP_SLEEP:
            if a <= 0:
                S[gb + G_pc] = pc + 1
            else:
                # time.Sleep: gopark, then (as gopark's unlockf) start the timer on this P
                p = S[mb + M_p]
                S[gb + G_inop] = 1
                park_m(S, L, m, g, WR_SLEEP)
                when = L[X_now] + L[X_cost] + a
                S[gb + G_waiton] = p
                schedlock(S, L)
                S[px(S, p) + P_timers] += 1
                S[S_netpollinited] = 1
                tadd(S, g, when)
                emit(S, L, F_timeSleep, W_TIMER, g, p, a, 0)
                wakeNetPoller(S, L, when)
                schedunlock(S, L)
                schedule(S, L, m, 0)
                return
        elif op == OP_NETREAD:
            # a read on a network connection: the G parks in the netpoller (gopark, IO wait);
            # the data arrives after ``a`` -- the kernel knows when, the scheduler does not:
            # not a timer, netpoll reports it
            S[gb + G_inop] = 1
            park_m(S, L, m, g, WR_IOWAIT)
            S[gb + G_waiton] = NIL
            schedlock(S, L)
            S[S_netpollinited] = 1
            S[S_netwaiters] += 1
            nadd(S, g, L[X_now] + L[X_cost] + a)
            schedunlock(S, L)
            schedule(S, L, m, 0)
            return
        elif op == OP_WAIT:
            # (a daemon runtime's main waits forever: the Playground keeps adding Gs)
            # (WaitGroup.Wait: parks under the sema lock that the last goexit0 takes)
            lockword(S, H_semalock)
            if S[gb + G_nchild] > 0 or (g == S[S_maing] and S[S_daemon] != 0):
                S[gb + G_inop] = 1
                park_m(S, L, m, g, WR_WAITGROUP)
                unlockword(S, H_semalock)
                schedule(S, L, m, 0)
                return
            unlockword(S, H_semalock)
            S[gb + G_pc] = pc + 1
        elif op == OP_SEND or op == OP_RECV:
            S[gb + G_inop] = 1
            if op == OP_SEND:
                goes_on = chansend(S, C, L, m, g, a)
            else:
                goes_on = chanrecv(S, C, L, m, g, a)
            if goes_on:
                mwake(S, L, m, L[X_now] + L[X_cost])
            return
        elif op == OP_LOCK:
            lockOSThread(S, L, m, g)
            S[gb + G_pc] = pc + 1
        elif op == OP_UNLOCK:
            unlockOSThread(S, L, m, g)
            S[gb + G_pc] = pc + 1
        elif op == OP_LOOP:
            # (LOOP, n, depth, pc after the matching ENDLOOP)
            depth = PROG[i + 2]
            if a <= 0:
                S[gb + G_pc] = PROG[i + 3]
            else:
                S[gb + G_loop0 + depth] = a
                S[gb + G_pc] = pc + 1
        elif op == OP_ENDLOOP:
            # (ENDLOOP, depth, pc of the first op of the body)
            k = gb + G_loop0 + a
            S[k] -= 1
            if S[k] > 0:
                S[gb + G_pc] = PROG[i + 2]
            else:
                S[gb + G_pc] = pc + 1
        else:
            throw(S, L, F_execute, op)
            return
        budget -= 1
        if budget <= 0:
            # a long run of instant ops: let the clock move (1ns) so others get a turn
            mwake(S, L, m, L[X_now] + L[X_cost] + 1)
            return


@jit
def step_m(S, C, PROG, L, m):
    """Run M ``m``'s pending action. Returns True when schedtrace is due (sysmon)."""
    mb = mx(S, m)
    st = S[mb + M_state]
    enter(S, L, m)
    if st == MS_RUNG:
        run_g(S, C, PROG, L, m)
    elif st == MS_SYSCALL:
        if exitsyscall(S, L, m):
            run_g(S, C, PROG, L, m)
    elif st == MS_SCHED:
        # woken by startm (or a new thread): acquirep(m.nextp), then schedule
        p = S[mb + M_nextp]
        S[mb + M_nextp] = NIL
        if p != NIL:
            acquirep(S, L, m, p)
            schedule(S, L, m, 0)
        else:
            # a thread from newmHandoff whose P a stop-the-world took back meanwhile (Go's
            # new M would acquirep it and gcstopm): it starts with nothing to do
            stopm(S, L, m)
    elif st == MS_NETPOLL:
        schedule(S, L, m, RESUME_NETPOLL)
    elif st == MS_USLEEP:
        # runqgrab's usleep(3) is over: stealWork goes on (CAS the runnext it read)
        schedule(S, L, m, RESUME_USLEEP)
    elif st == MS_LOCKED:
        # startlockedm handed us a P: run our locked G
        p = S[mb + M_nextp]
        S[mb + M_nextp] = NIL
        acquirep(S, L, m, p)
        execute(S, L, m, S[mb + M_lockedg], False)
    elif st == MS_SYSMON:
        return sysmon_tick(S, L, m)
    elif st == MS_TEMPLATE:
        templateThread(S, L, m)
    else:
        throw(S, L, F_execute, st)
    return False


@jit
def run(S, C, PROG, L, until, maxevents):
    """Advance the clock, event after event, until ``until`` (ns; -1: no limit), the program
    ends, or ``maxevents`` events ran. Returns an R_* code saying why it stopped; S[H_ran]
    says how many events ran. The events: an M's next action, a timer firing, a network
    read's data arriving (the earlier of those two by (when, seq): one order as if they
    shared a heap)."""
    k = 0
    while True:
        S[H_ran] = k  # how many events this call ran, for the driver
        if S[H_status] != ST_OK:
            return R_DONE if S[H_status] == ST_DONE else R_FATAL
        if S[H_ng] + 4 > S[H_gcap] or S[S_mnext] + S[S_gomaxprocs] + 8 > S[H_mcap]:
            return R_NEED_G
        if L[X_logon] != 0 and L[X_logn] + 8 * S[S_gomaxprocs] + 4096 > L[X_logcap]:
            return R_NEED_LOG
        if k >= maxevents:
            return R_MAXEVENTS
        m = mtop(S)
        g = wtop(S)
        if m == NIL and g == NIL:
            return R_EMPTY
        usetimer = False
        if g != NIL:
            if m == NIL or S[gx(S, g) + G_when] <= S[mx(S, m) + M_when]:
                usetimer = True
        t = S[gx(S, g) + G_when] if usetimer else S[mx(S, m) + M_when]
        if until >= 0 and t > until:
            S[H_now] = until
            L[X_now] = until
            return R_UNTIL
        if t > S[H_now]:
            S[H_now] = t
        k += 1
        if usetimer:
            enter(S, L, NIL)
            fire(S, L, g)
        else:
            mcancel(S, m)  # the action re-arms the M if it has a next one
            if step_m(S, C, PROG, L, m):
                S[H_ran] = k
                return R_TRACE


# --- Entry points used by gmplab.Runtime (the learner's hand) -------------------------------

@jit
def schedinit(S, L, nprocs, mainpc):
    """schedinit + newproc(runtime.main) + mstart(m0) + runtime.main's newm(sysmon).
    m0 is M0 and runs main (G1) on P0; sysmon is M1."""
    enter(S, L, 0)
    S[S_lastpoll] = L[X_now]
    S[S_pollUntil] = NIL
    S[S_poller] = NIL
    m0 = newm(S, L, NIL, False)
    S[mx(S, m0) + M_state] = MS_SCHED
    procresize(S, L, nprocs, m0, False)
    g = newproc1(S, L, S[mx(S, m0) + M_p], NIL, mainpc)
    S[S_maing] = g
    runqput(S, L, S[mx(S, m0) + M_p], g, True, False)
    schedule(S, L, m0, 0)
    # runtime.main's start-up (init tasks, gcenable's goroutines) is not modelled, but on a
    # real runtime it has moved main's P's schedtick by the time user code runs
    # (examples/go/first_syscall.out): start it at 1, so that sysmon's first look records
    # main's time slice instead of preempting it as one it never saw start.
    S[px(S, S[mx(S, m0) + M_p]) + P_schedtick] = 1
    emit(S, L, F_runtime_main, W_NONE, g, 0, 0, 0)
    S[S_mainstarted] = 1
    sm = newm(S, L, NIL, False)
    S[S_sysmon] = sm
    S[S_nmsys] += 1
    mb = mx(S, sm)
    S[mb + M_state] = MS_SYSMON
    S[mb + M_sysmondelay] = SYSMON_MINDELAY
    mwake(S, L, sm, L[X_now] + SYSMON_MINDELAY)
    emit(S, L, F_newm_sysmon, W_NONE, -1, -1, sm, 0)


@jit
def api_go(S, L, startpc):
    """`go f()` from the learner's main goroutine. While main runs, it is newproc on main's P
    (runnext) and main's next step waits for newproc's cost. Once main is parked in wait(),
    the G comes from outside the scheduler: injectglist puts it on the global queue and starts
    an M for an idle P. Returns the new G's slot."""
    mg = S[S_maing]
    gb = gx(S, mg)
    if S[gb + G_atomicstatus] == Grunning:
        m = S[gb + G_m]
        enter(S, L, m)
        g = newproc(S, L, m, S[mx(S, m) + M_p], mg, startpc)
        mwake(S, L, m, S[mx(S, m) + M_when] + L[X_cost])
        return g
    enter(S, L, NIL)
    g = newproc1(S, L, 0, mg, startpc)
    S[gx(S, g) + G_atomicstatus] = Gwaiting  # injectglist readies it
    S[gx(S, g) + G_schedlink] = NIL
    injectglist(S, L, g, 1, NIL)
    wake_sysmon(S, L)
    return g


@jit
def api_gomaxprocs(S, L, n):
    """runtime.GOMAXPROCS(n) from main: procresize under stop-the-world."""
    mg = S[S_maing]
    gb = gx(S, mg)
    callerm = NIL
    if S[gb + G_atomicstatus] == Grunning:
        callerm = S[gb + G_m]
    enter(S, L, callerm)
    old = procresize(S, L, n, callerm, True)
    wake_sysmon(S, L)
    return old


@jit
def api_interrupt(S, L, m, action, d):
    """The Playground's hand on the G running on M ``m``: action 1 makes it enter a blocking
    syscall for ``d`` ns, 2 makes it call Gosched; a work op in progress resumes afterwards.
    Returns False (and changes nothing) if M ``m`` runs no G."""
    if m < 0 or m >= S[S_mnext]:
        return False
    mb = mx(S, m)
    if S[mb + M_state] != MS_RUNG or S[mb + M_curg] == NIL:
        return False
    g = S[mb + M_curg]
    gb = gx(S, g)
    enter(S, L, m)
    wasinop = S[gb + G_inop] != 0
    resume = cut_work(S, L, m, g, 0)
    if action == 1:
        entersyscall(S, L, m, g, d)
        # afterwards: resume the cut work op, or redo an op that had not started yet
        S[gb + G_inop] = 1 if (wasinop and not resume) else 0
    else:
        if not resume and S[gb + G_inop] != 0:
            S[gb + G_inop] = 0
            S[gb + G_workleft] = 0
            S[gb + G_pc] += 1
        goschedImpl(S, L, m, g, False)
    return True


@jit
def api_syscall_return(S, L, m):
    """Make M ``m``'s syscall return now. False if it is not in a syscall."""
    if m < 0 or m >= S[S_mnext] or S[mx(S, m) + M_state] != MS_SYSCALL:
        return False
    mwake(S, L, m, S[H_now])
    return True
