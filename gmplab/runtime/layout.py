"""The state layout shared by the jitted core and its Python views.

All scheduler state lives in one flat ``int64`` array ``S`` (plus the channel table ``C``, the
compiled goroutine programs ``PROG`` and the event log ``L``), so that a jitted helper takes one
or two arrays instead of a dozen (see ``numba-notes.md``: array arguments dominate call cost).

``S`` is cut into regions whose offsets live in its header::

    header (sched fields, clock, costs) | coprimes | allp | runq rings | allm | M event heap
    | allg | timer heap

The G table and the timer heap come last so that Python can grow them (reallocate ``S``) when the
core returns ``NEED_G``; every other region has a fixed size for the runtime's life.

Names follow ``runtime2.go``: a field index is ``<TABLE>_<goname>``. ``nil`` is ``-1``
everywhere (G slot 0 is a real G: the main goroutine).
"""

NIL = -1
NEVER = -(1 << 62)  # sysmontick times never recorded: ancient next to any nanotime()

# --- G states (runtime2.go) -----------------------------------------------------------------
Gidle, Grunnable, Grunning, Gsyscall, Gwaiting = 0, 1, 2, 3, 4
Gdead, Gcopystack, Gpreempted = 6, 8, 9
GSTATUS_NAMES = {0: "_Gidle", 1: "_Grunnable", 2: "_Grunning", 3: "_Gsyscall", 4: "_Gwaiting",
                 6: "_Gdead", 8: "_Gcopystack", 9: "_Gpreempted"}

# --- P states --------------------------------------------------------------------------------
Pidle, Prunning, Psyscall, Pgcstop, Pdead = 0, 1, 2, 3, 4
PSTATUS_NAMES = {0: "_Pidle", 1: "_Prunning", 2: "_Psyscall", 3: "_Pgcstop", 4: "_Pdead"}

# --- What an M is doing, as the driver sees it (not a Go field: Go knows it from where the
# thread is blocked). ------------------------------------------------------------------------
MS_NONE = 0       # slot not created
MS_SCHED = 1      # on g0, about to run schedule() (woken by startm, or a new thread)
MS_RUNG = 2       # running its curg; the pending event ends the G's current op
MS_SYSCALL = 3    # blocked in a system call, without a P (≤1.25)
MS_IDLE = 4       # parked in stopm, on sched.midle
MS_NETPOLL = 5    # blocked in netpoll(delay) in findRunnable, the one poller
MS_LOCKED = 6     # parked in stoplockedm, waiting for its lockedg
MS_SYSMON = 7     # the sysmon thread, no P
MS_DEAD = 8       # exited (mexit), e.g. with a locked G
MS_EXITSYS = 9    # back from a syscall, continuing in exitsyscall after its cost
MS_USLEEP = 10    # a spinning thief in runqgrab's usleep(3), about to CAS a running P's runnext
MS_HANDOFF = 11   # made by newm on a locked M, on newmHandoff.newm: no OS thread yet
MS_TEMPLATE = 12  # the template thread (templateThread), no P
MS_WEDGED = 13    # m0 after its locked G exited: parked for ever (mexit never exits m0)
MSTATE_NAMES = {0: "none", 1: "scheduling", 2: "running", 3: "syscall", 4: "idle",
                5: "netpoll", 6: "lockedwait", 7: "sysmon", 8: "dead", 9: "exitsyscall",
                10: "usleep", 11: "newmhandoff", 12: "template", 13: "wedged"}
# schedule()'s entry: a fresh round (0), or findRunnable resumed where the M blocked: back
# from netpoll(delay) (1), or back from runqgrab's usleep(3) in stealWork (2)
RESUME_NETPOLL, RESUME_USLEEP = 1, 2
# findRunnable's sources of work, in the order Go looks at them (findRunnable_next)
(SRC_TOP, SRC_TIMERS, SRC_FAIR, SRC_LOCAL, SRC_GLOBAL, SRC_NETPOLL, SRC_STEAL,
 SRC_IDLE) = range(8)
SRC_NAMES = ("top", "timers", "fairness", "local", "global", "netpoll", "steal", "idle")

# --- Wait reasons (runtime2.go waitReason strings) --------------------------------------------
WR_NONE, WR_CHANRECV, WR_CHANSEND, WR_SLEEP, WR_IOWAIT, WR_WAITGROUP, WR_PREEMPTED = range(7)
WAITREASON_NAMES = {0: "", 1: "chan receive", 2: "chan send", 3: "sleep", 4: "IO wait",
                    5: "sync.WaitGroup.Wait", 6: "preempted"}

# --- Op codes of goroutine programs (gmplab.ops compiles to these) ----------------------------
OP_EXIT, OP_WORK, OP_SYSCALL, OP_SYSCALLBLOCK, OP_SLEEP, OP_GOSCHED, OP_GO, OP_WAIT = range(8)
OP_SEND, OP_RECV, OP_NETREAD, OP_LOCK, OP_UNLOCK, OP_LOOP, OP_ENDLOOP, OP_LCG = range(8, 16)
OPW = 4           # an op is (code, a, b, c)
MAXLOOPDEPTH = 3  # nested loop() levels a G can hold (G_loop0..2)

# --- Constants from proc.go / runtime2.go ----------------------------------------------------
RUNQSIZE = 256                # len(p.runq)
GOIDCACHEBATCH = 16           # _GoidCacheBatch
STEALTRIES = 4                # stealTries in stealWork
FAIRNESS_TICK = 61            # schedtick%61: a prime, so it does not beat with other periods
FORCEPREEMPTNS = 10_000_000   # forcePreemptNS: 10ms time slice
SYSCALL_SPARE_NS = 10_000_000 # retake spares an empty P's syscall for 10ms if others can cover
SYSMON_MINDELAY = 20_000      # sysmon's 20µs first sleep
SYSMON_MAXDELAY = 10_000_000  # ...doubling after 50 idle rounds, up to 10ms
SYSMON_IDLEROUNDS = 50
NETPOLL_MAXDELAY = 10_000_000 # sysmon polls the network if nobody did for 10ms
FORCEGCPERIOD_HALF = 60_000_000_000  # sysmonwait sleeps at most forcegcperiod/2
GFREE_MAX, GFREE_KEEP = 64, 32
MAXPROCS = 256                # gmplab's GOMAXPROCS limit (Go allows more)
STACKSIZE = 8192              # startingStackSize: shown as stack.hi - stack.lo
STACKBASE = 0xc000_000000     # where gmplab pretends goroutine stacks live

# --- G table fields ---------------------------------------------------------------------------
(G_goid, G_atomicstatus, G_m, G_lockedm, G_preempt, G_schedlink, G_waitsince, G_waitreason,
 G_param, G_pc, G_inop, G_workleft, G_loop0, G_loop1, G_loop2, G_parent, G_parentgoid,
 G_nchild, G_waiton, G_startpc, G_when, G_tseq, G_hpos, G_gopc) = range(24)
NGF = 24
# g.syscallsp shares G_when's slot: a G on its way out of a syscall is on no timer or netpoll
# heap. exitsyscall0 sets it to INSYSCALL; the G's next run ends exitsyscall (syscalltick++).
G_syscallsp = G_when
INSYSCALL = -2    # never a time (times are >= 0)

# --- P table fields ---------------------------------------------------------------------------
(P_id, P_status, P_link, P_schedtick, P_syscalltick, P_st_schedtick, P_st_syscalltick,
 P_st_schedwhen, P_st_syscallwhen, P_m, P_goidcache, P_goidcacheend, P_runqhead, P_runqtail,
 P_runnext, P_gfree, P_gfreecnt, P_timers, P_tduehead, P_tduetail, P_preempt,
 # P_idlep: this P's bit of idlepMask (set by pidleput, cleared by pidleget)
 P_idlep) = range(22)
NPF = 24

# --- M table fields ---------------------------------------------------------------------------
(M_id, M_curg, M_p, M_nextp, M_oldp, M_spinning, M_blocked, M_lockedg, M_lockedExt,
 M_lockedInt, M_ncgocall, M_syscalltick, M_park, M_schedlink, M_state, M_when, M_seq, M_hpos,
 M_rand, M_wasspinning, M_created, M_sysmonidle, M_sysmondelay, M_phase,
 # the parallel driver's words (not Go fields): inside a core call (stop-the-world waits for
 # 0), the last value of the thread's LCG work, and "an OS thread has claimed this M"
 M_incore, M_sink, M_thread,
 # not Go fields: a thief asleep in runqgrab's usleep(3) keeps its randomEnum here (victim |
 # i << 16 | pos << 32 | inc << 48 | ranTimer << 60); when execute() gave the M its curg
 M_stealenum, M_execwhen) = range(29)
NMF = 32  # 256 bytes: each M's row on its own cache lines

# --- Channel table fields ---------------------------------------------------------------------
C_cap, C_qcount, C_sendqhead, C_sendqtail, C_recvqhead, C_recvqtail, C_closed, C_lock = range(8)
NCF = 8

# --- Header of S: sched fields, the clock, region offsets, costs ------------------------------
(H_now, H_seq, H_status, H_goff, H_gcap, H_ng, H_toff, H_tn, H_moff, H_mcap, H_ehoff, H_ehn,
 H_poff, H_rqoff, H_cpoff, H_ncoprimes,
 # schedt
 S_goidgen, S_lastpoll, S_pollUntil, S_midle, S_nmidle, S_nmidlelocked, S_mnext, S_maxmcount,
 S_nmsys, S_nmfreed, S_pidle, S_npidle, S_nmspinning, S_needspinning, S_runqhead, S_runqtail,
 S_runqsize, S_gfree, S_ngfree, S_gomaxprocs, S_sysmonwait, S_netpollinited, S_netwaiters,
 S_npready_head, S_npready_tail, S_npready_n, S_sysmon, S_schedtrace, S_lasttrace,
 S_mainstarted, S_nglive, S_maing, S_daemon, S_fatalarg,
 # the log
 H_opsbudget, S_poller, H_ran, H_seed,
 # costs (ns): see gmplab.costs for their meaning and calibration
 K_schedule, K_newproc, K_goexit, K_steal, K_startm, K_newm, K_syscall, K_chan, K_gopark,
 K_usleep3, K_preempt, K_netpoll, K_timer, K_lcg,
 # the parallel driver (0 on the virtual clock): the flag, stop / stop-the-world requests,
 # sched.lock and its owner (a recursive hold by one M), the WaitGroup's sema lock, the
 # driver's thread starter's futex word (bumped when an M needs a thread or the status
 # changes), and
 # the monotonic clock's value at t=0
 H_parallel, H_stop, H_stw, H_schedlock, H_lockowner, H_semalock, H_tmplseq, H_t0,
 # fault injection for tests that must see a broken protocol fail (1: thieves store runqhead
 # instead of CASing it; FAULT_* bits below); schedtrace lines sysmon asked the driver for
 H_faults, H_tracereq,
 # the netpoll heap (the kernel's: when each pending network read's data arrives) shares the
 # timer heap's array, filled from its far end; H_nn entries
 H_nn,
 # LockOSThread's template thread: its M (NIL: not started, haveTemplateThread == 0), and
 # newmHandoff's list of Ms waiting for it (linked by m.schedlink) and its waiting flag
 S_templatem, S_newmhandoff, S_newmwaiting) = range(82)
NHEADER = 88
#: H_faults bits (real threads only): thieves store runqhead instead of CASing it; a locked M
#: dawdles ~0.3ms before stoplockedm, so that its G is readied and handed back by startlockedm
#: first; stoplockedm clears its note even then (the lost wake-up of issue #14, kept to show
#: that the stress catches it)
FAULT_NOCAS, FAULT_SLOWSTOPLOCKED, FAULT_CLEARNOTE = 1, 2, 4
COST_FIELDS = ("schedule", "newproc", "goexit", "steal", "startm", "newm", "syscall", "chan",
               "gopark", "usleep3", "preempt", "netpoll", "timer", "lcg1000")
COST_BASE = K_schedule

# --- Runtime status returned by the core --------------------------------------------------------
ST_OK, ST_DONE, ST_DEADLOCK, ST_THREADLIMIT, ST_NOGOROUTINES = 0, 1, 2, 3, 4
ST_BADSTATE = 5   # an impossible state: a bug in the core (the core's throw())
ST_GLIMIT = 6     # the parallel driver's preallocated G table is full
# run() return codes
R_UNTIL, R_DONE, R_FATAL, R_NEED_G, R_NEED_LOG, R_TRACE, R_MAXEVENTS, R_EMPTY = range(8)

# --- A thread's context: the head of its log array L ---------------------------------------------
# Who acts, what the current chain of decisions has cost so far, and the time it acts at, live
# with the acting thread, not in the shared state: the virtual clock has one context, the
# parallel driver one per M. The thread's event records follow the head.
# (X_logmask: bit fn set = log that Go function; X_lockdepth: how many times this thread holds
# sched.lock, recursively, on real threads)
(X_curm, X_cost, X_now, X_logn, X_logcap, X_logon, X_logdrop, X_nevents, X_lockdepth,
 X_logmask) = range(10)
XBATCH = 12                   # room for runqputslow's batch of 128+1 Gs
XHEADER = XBATCH + RUNQSIZE // 2 + 1 + 7

# --- Event log ----------------------------------------------------------------------------------
LOGW = 8  # a record: t, fn, why, g (goid), m, p, a, b
(L_t, L_fn, L_why, L_g, L_m, L_p, L_a, L_b) = range(8)

# Go function names that appear in the event log. The number is the record's fn code.
FN_NAMES = (
    "newproc", "runqput", "runqputslow", "runqget", "globrunqget", "runqsteal", "findRunnable",
    "execute", "gopark", "goready", "goschedImpl", "gopreempt_m", "preemptone", "entersyscall",
    "entersyscallblock", "exitsyscall", "retake", "handoffp", "startm", "newm", "stopm", "wakep",
    "goexit0", "checkTimers", "netpoll", "injectglist", "LockOSThread", "UnlockOSThread",
    "stoplockedm", "startlockedm", "mexit", "procresize", "checkdead", "sysmon", "chansend",
    "chanrecv", "resetspinning", "acquirep", "wakeNetPoller", "gfget", "throw", "newm_sysmon",
    "runtime.main", "pidleput", "exitsyscall0", "timeSleep", "schedtrace",
    "startTemplateThread", "templateThread",
)
FN = {name: i for i, name in enumerate(FN_NAMES)}
for _name, _i in FN.items():
    globals()["F_" + _name.replace(".", "_")] = _i
del _name, _i

# ``why`` codes: which branch of the Go function was taken (explained by gmplab.events)
(W_NONE, W_RUNNEXT, W_TAIL, W_KICK, W_FAIR, W_BATCH, W_LOCAL, W_GLOBAL, W_STEAL, W_NETPOLL,
 W_FAST_OLDP, W_FAST_IDLEP, W_SLOW_IDLEP, W_SLOW_GLOBAL, W_LOCALWORK, W_SPIN, W_LASTP, W_IDLE,
 W_SYSRETAKE, W_TICK, W_NOP, W_HANDOFF, W_SPINNING, W_NONSPIN, W_NOIDLEP, W_BUSY, W_NEWM,
 W_MGET, W_TIMER, W_POLL, W_RUNNEXTSTEAL, W_PARK, W_HEAD, W_DESTROY, W_BLOCK, W_WAITGROUP,
 W_DIRECT, W_BUFFER, W_NOPOLLER, W_BREAK, W_SYSMONWAIT, W_EXITLOCKED, W_INHERIT,
 W_NEEDSPIN, W_RECHECK, W_NOPROC, W_STARTIDLE,
 W_USLEEP, W_RUNNEXTLOST, W_STALE, W_OVERFLOW,
 W_WEDGE, W_NOTED) = range(53)
