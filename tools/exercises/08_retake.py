from build import answer, check, code, experiment, md

CELLS = [
    md("""
# Exercise 8 · `retake`: when sysmon takes a P back from a syscall

After this exercise you can

* write the part of Go's `retake` that decides, for a P in `_Psyscall`, between leaving it,
  recording the syscall, and retaking it (`handoffp`);
* explain the 10ms rule and why a P's very first syscall is retaken at sysmon's first look;
* read `sysmontick`, sysmon's memory of each P.

About 40 minutes. Lesson: [07 · system calls](../notebooks/07_syscalls.ipynb).
Key term: 系统调用 (system call).
"""),
    md("""
## The Go function

`retake(now)` is in `src/runtime/proc.go` (Go 1.25.3); sysmon calls it every tick (20µs when
busy). For each P it keeps `pd = pp.sysmontick`. The first half is given: a P in `_Prunning`
or `_Psyscall` whose `schedtick` has not moved for `forcePreemptNS` (10ms) is preempted
(`preemptone`) — and, in a syscall, marked `sysretake`. Your part, for a P in `_Psyscall`:

1. **Record a new syscall.** Unless `sysretake`: if `pd.syscalltick != pp.syscalltick`, the P
   entered a syscall since sysmon last looked: set `pd.syscalltick = pp.syscalltick` and
   `pd.syscallwhen = now`, and go on to the next P. So a P is normally retaken only after it
   stayed in the *same* syscall for at least one sysmon tick.
2. **The 10ms rule.** Leave the P (go on) if its run queue is empty (`runqempty(pp)`), some P
   is idle or an M spins (`sched.nmspinning + sched.npidle > 0`) — others can pick up new work
   — and `pd.syscallwhen + 10ms > now`.
3. **Retake.** Else `pp.status = _Pidle` (a CAS in Go, racing with `exitsyscall`), `n += 1`,
   `pp.syscalltick += 1`, `handoffp(pp)`.

A time sysmon never recorded reads `NEVER` here: as ancient next to `now` as Go's `0` is next
to `nanotime()`. Think about what that means for a P's first syscall.
"""),
    code("""
import gmplab
from gmplab.ops import syscall, work
from gmplab.grading import check
from gmplab.grading.experiment import diff, tryit
from gmplab.grading.go import *
"""),
    answer('''
def retake(now):
    """sysmon: preempt long time slices, retake Ps stuck in syscalls. Returns how many Ps
    were retaken."""
    n = 0
    for pp in allp:
        pd = pp.sysmontick
        s = pp.status
        sysretake = False
        if s == _Prunning or s == _Psyscall:
            # Preempt G if it's running on the same schedtick for too long.
            t = pp.schedtick
            if pd.schedtick != t:
                pd.schedtick = t
                pd.schedwhen = now
            elif pd.schedwhen + forcePreemptNS <= now:
                preemptone(pp)
                sysretake = True  # in a syscall no M is wired to the P: retake it
        if s == _Psyscall:
            ### BEGIN SOLUTION
            t = pp.syscalltick
            if not sysretake and pd.syscalltick != t:
                pd.syscalltick = t
                pd.syscallwhen = now
                continue
            if (runqempty(pp) and sched.nmspinning + sched.npidle > 0
                    and pd.syscallwhen + 10_000_000 > now):
                continue
            pp.status = _Pidle
            n += 1
            pp.syscalltick += 1
            handoffp(pp)
            ### END SOLUTION
    return n
'''),
    md("""
## Try it

GOMAXPROCS=2 and one goroutine that makes two syscalls: a 100µs one, then, after 200µs of work,
a 5ms one. P1 is idle all along. Predict for each syscall: is its P retaken, and when?
"""),
    experiment("""
def program(rt):
    rt.go(syscall("100us"), work("200us"), syscall("5ms"))

go_rt, my_rt = diff(program, {"retake": retake}, gomaxprocs=2)
for e in go_rt.events.where(fn=["entersyscall", "retake", "exitsyscall"]):
    print(e)
"""),
    md("""
The first syscall is the P's first: `syscalltick` is 0, as sysmon's record, and `syscallwhen`
was never recorded, so the 10ms test cannot spare it: retaken at sysmon's first look (20µs),
although P1 was idle. The second is recorded first, then spared for as long as it lasts.

## Check
"""),
    check("08_retake-check-1"),
    md("""
## What you did

"On a syscall the M hands off its P at once" is true only of `entersyscallblock`: for ordinary
syscalls the P waits in `_Psyscall`, and sysmon decides — after a tick, and not at all while
the P has nothing queued and others can cover, for 10ms. Next:
[exercise 9](09_exitsyscall.ipynb), the other side: the syscall returns.
"""),
]
