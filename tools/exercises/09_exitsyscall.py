from build import answer, check, code, experiment, md

CELLS = [
    md("""
# Exercise 9 · `exitsyscall`: coming back from a system call

After this exercise you can

* write Go's `exitsyscall` and `exitsyscallfast`: the fast path on the old P, the fast path on
  an idle P, and the slow path;
* say why the old P is tried first, and when it is no longer there;
* explain what `syscalltick` tells sysmon.

About 30 minutes. Lesson: [07 · system calls](../notebooks/07_syscalls.ipynb); before it,
[exercise 8](08_retake.ipynb). Key term: 系统调用 (system call).
"""),
    md("""
## The Go functions

In `src/runtime/proc.go` (Go 1.25.3), `exitsyscall()` runs on the goroutine (`gp = getg()`)
when its syscall returns. Its M has no P: `entersyscall` left it in `_Psyscall` as `gp.m.oldp`.

**`exitsyscall()`**: `oldp = gp.m.oldp`, then clear `gp.m.oldp`. If `exitsyscallfast(oldp)`
got a P: `gp.m.p.syscalltick += 1`, `casgstatus(gp, _Gsyscall, _Grunning)`, and the G runs on.
Else `mcall(exitsyscall0)`: the slow path on g0 — the G becomes runnable, goes to an idle P if
one came free, else to the global queue, and the M stops.

**`exitsyscallfast(oldp) bool`**:

1. If `oldp` is still `_Psyscall`, take it: set it `_Pidle` (a CAS in Go, racing with sysmon's
   `retake`), `wirep(oldp)`, then `exitsyscallfast_reacquired()`: if `gp.m.syscalltick !=
   gp.m.p.syscalltick`, the P was retaken and is in *another* syscall now — bump its
   `syscalltick` once more. Return true.
2. Else, if `sched.pidle` is not None, `exitsyscallfast_pidle()` takes an idle P; true if it
   got one.
3. Else false.

`getg()`, `wirep`, `exitsyscallfast_pidle`, `casgstatus`, `mcall` and `exitsyscall0` come from
`gmplab.grading.go`.
"""),
    code("""
import gmplab
from gmplab.ops import syscall, work
from gmplab.grading import check
from gmplab.grading.experiment import diff, tryit
from gmplab.grading.go import *
"""),
    answer('''
def exitsyscall():
    """The syscall returned: get a P back (fast path) or go through exitsyscall0."""
    ### BEGIN SOLUTION
    gp = getg()
    oldp = gp.m.oldp
    gp.m.oldp = None
    if exitsyscallfast(oldp):
        gp.m.p.syscalltick += 1
        casgstatus(gp, _Gsyscall, _Grunning)
        return
    mcall(exitsyscall0)
    ### END SOLUTION


def exitsyscallfast(oldp):
    """Take the old P back if it is still _Psyscall, else any idle P."""
    ### BEGIN SOLUTION
    if oldp is not None and oldp.status == _Psyscall:
        oldp.status = _Pidle          # Go: a CAS, racing with retake
        wirep(oldp)
        exitsyscallfast_reacquired()
        return True
    if sched.pidle is not None:
        if exitsyscallfast_pidle():
            return True
    return False
    ### END SOLUTION


def exitsyscallfast_reacquired():
    """The P was retaken and is in another syscall: count that syscall as over."""
    ### BEGIN SOLUTION
    gp = getg()
    if gp.m.syscalltick != gp.m.p.syscalltick:
        gp.m.p.syscalltick += 1
    ### END SOLUTION
'''),
    md("""
## Try it

GOMAXPROCS=1: G2 computes for 10ms, G3 makes a 3ms syscall (and runs first, from `runnext`).
Predict: when G3's syscall returns, which path does `exitsyscall` take, and why?
"""),
    experiment("""
def program(rt):
    rt.go(work("10ms"))
    rt.go(syscall("3ms"), work("10us"))

go_rt, my_rt = diff(program, {"exitsyscall": exitsyscall}, gomaxprocs=1)
for e in go_rt.events.where(fn=["entersyscall", "retake", "exitsyscall", "exitsyscall0"]):
    print(e)
"""),
    md("""
sysmon retook P0 after its first look and `handoffp` started an M to run G2 on it: at 3ms the
old P is `_Prunning`, no P is idle, and G3 goes to the global queue while its M stops.

## Check
"""),
    check("09_exitsyscall-check-1"),
    md("""
## What you did

A syscall that returns quickly costs almost nothing: the P is still waiting in `_Psyscall` and
the M takes it back. Only when sysmon took the P away does the G lose its thread and wait in the
global queue. Next: [exercise 10](10_predict.ipynb), predicting schedules.
"""),
]
