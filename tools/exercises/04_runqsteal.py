from build import answer, check, code, experiment, md

CELLS = [
    md("""
# Exercise 4 · `runqgrab` and `runqsteal`: stealing half

After this exercise you can

* write Go's `runqgrab` and `runqsteal`, with which an idle P takes work from a busy one;
* say how much a thief takes (half, rounded up) and which G it runs;
* say when `runnext` may be stolen: only when asked — on the last of `stealWork`'s four passes —
  and only from an empty ring.

About 40 minutes. Lesson: [06 · work stealing](../notebooks/06_stealing.ipynb).
Key term: 工作窃取 (work stealing).
"""),
    md("""
## The Go functions

Both are in `src/runtime/proc.go` (Go 1.25.3). `stealWork` calls `runqsteal(pp, p2,
stealRunNextG)` for each victim `p2`, with `stealRunNextG` true only on its last pass.

**`runqgrab(pp, batch, batchHead, stealRunNextG)`** — `pp` is the *victim*, `batch` the
thief's ring, `batchHead` where to start writing in it (the thief's `runqtail`):

1. `h = pp.runqhead`, `t = pp.runqtail`, `n = t - h`, then `n = n - n/2` (half, **rounded
   up**).
2. If `n == 0`: with `stealRunNextG` and a G in `pp.runnext`, take that one — if the victim is
   `_Prunning`, Go first sleeps 3µs (`usleep(3)`) to let its owner run it — set
   `pp.runnext = None`, write it to `batch[batchHead % len(batch)]` and return 1. Else return 0.
   (On the virtual clock the sleep is an event of its own: your `runqgrab` stops at
   `usleep(3)`, the other Ms go on meanwhile, and then the runtime calls it again from the
   start, where `usleep(3)` returns at once; by then the owner may have run that G.)
3. Copy `pp.runq[(h+i) % len(pp.runq)]` to `batch[(batchHead+i) % len(batch)]` for `i` in
   `0 .. n-1`, consume them (`pp.runqhead = h + n`, a CAS in Go), return `n`.

**`runqsteal(pp, p2, stealRunNextG)`** — `pp` is the *thief*:

1. `t = pp.runqtail`; `n = runqgrab(p2, pp.runq, t, stealRunNextG)`; if 0, return None.
2. The thief runs the **last** G grabbed: `gp = pp.runq[(t + n - 1) % len(pp.runq)]`.
3. Publish the other `n - 1`: `pp.runqtail = t + n - 1`. Return `gp`.
"""),
    code("""
import gmplab
from gmplab.ops import work
from gmplab.grading import check
from gmplab.grading.experiment import diff, tryit
from gmplab.grading.go import *
"""),
    answer('''
def runqgrab(pp, batch, batchHead, stealRunNextG):
    """Grab half (rounded up) of victim pp's ring into batch from batchHead; or its runnext."""
    ### BEGIN SOLUTION
    h = pp.runqhead
    t = pp.runqtail
    n = t - h
    n = n - n // 2
    if n == 0:
        if stealRunNextG:
            next = pp.runnext
            if next is not None:
                if pp.status == _Prunning:
                    usleep(3)         # let the owner run it first
                pp.runnext = None
                batch[batchHead % len(batch)] = next
                return 1
        return 0
    for i in range(n):
        batch[(batchHead + i) % len(batch)] = pp.runq[(h + i) % len(pp.runq)]
    pp.runqhead = h + n               # Go: a CAS that commits the consume
    return n
    ### END SOLUTION


def runqsteal(pp, p2, stealRunNextG):
    """Steal half of p2's queue into pp's; return the G pp runs now."""
    ### BEGIN SOLUTION
    t = pp.runqtail
    n = runqgrab(p2, pp.runq, t, stealRunNextG)
    if n == 0:
        return None
    n -= 1
    gp = pp.runq[(t + n) % len(pp.runq)]
    if n == 0:
        return gp
    pp.runqtail = t + n               # publish the others
    return gp
    ### END SOLUTION
'''),
    md("""
## Try it

GOMAXPROCS=2: `main` starts 9 goroutines on P0 (G10 ends in `runnext`, G2…G9 on the ring). P1's
spinning M steals. Predict: how many Gs does it take, and which one does it run?
"""),
    experiment("""
def program(rt):
    for _ in range(9):
        rt.go(work("100us"))

go_rt, my_rt = diff(program, {"runqsteal": runqsteal, "runqgrab": runqgrab}, gomaxprocs=2,
                    seed=1)
print(go_rt.events.where(fn="runqsteal")[0])
"""),
    md("""
Four of the eight (8 − 8/2), and it runs G5, the last one it grabbed; G10 in `runnext` stays
with its owner.

## Check

The first check plugs in your `runqgrab` alone (under the built-in `runqsteal`), on Go's
`RunSchedLocalQueueStealTest`; the second plugs in both, on that test and on programs.
"""),
    check("04_runqsteal-check-1"),
    check("04_runqsteal-check-2"),
    md("""
## What you did

A thief takes half rounded up, so even one G can be stolen, runs the newest of its haul, and
leaves `runnext` alone until its last pass. Next: [exercise 5](05_randomorder.ipynb), the order
in which `stealWork` visits its victims.
"""),
]
