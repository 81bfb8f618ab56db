from build import answer, check, code, experiment, md

CELLS = [
    md("""
# Exercise 1 · `runqput`: where a new goroutine goes

After this exercise you can

* write Go's `runqput(pp, gp, next)` and watch gmplab's runtime run with it;
* say where `go f()` puts the new goroutine (not at the tail!), and what happens to the one it
  pushes aside;
* explain the 256-slot ring with its `runqhead`/`runqtail` counters, and when it overflows.

About 30 minutes. The lesson before it: [04 · the P's run queue](../notebooks/04_p_runq.ipynb).
Key terms: 本地运行队列 (local run queue), 全局运行队列 (global run queue).
"""),
    md("""
## The Go function

`runqput` is in `src/runtime/proc.go` (Go 1.25.3); `newproc` calls it with `next=true` for every
`go` statement, and `ready`/`goready` for every goroutine a channel or a timer wakes. What it does:

1. **With `next`**, `gp` takes the P's `runnext` slot — the G the P runs next. If another G was
   there, that G is *kicked out*: the rest of the function puts *it* (not `gp`) on the ring.
   If `runnext` was empty, we are done.
2. **The tail put.** The ring `pp.runq` has 256 slots. `h = pp.runqhead`, `t = pp.runqtail`; the
   queue is slots `h .. t-1` (modulo 256). If `t - h < len(pp.runq)` there is room: write the G
   to `pp.runq[t % len(pp.runq)]`, then publish it with `pp.runqtail = t + 1`.
3. **A full ring** (256 Gs) goes to `runqputslow(pp, gp, h, t)`, which moves half of the ring
   plus `gp` to the global queue (that is exercise 2: here, call the built-in one).

In Go, `runnext` is changed with a compare-and-swap and the ring's counters with atomic loads
and stores, because thieves on other threads read them. On gmplab's virtual clock one M acts
at a time, so plain reads and writes do the same.

**What you get.** `pp` is a P: `pp.runq` (index it `0..255`), `pp.runqhead`, `pp.runqtail`
(Go's `uint32`: `t - h` wraps as in Go), `pp.runnext` (a G or `None`). `gp` is a G
(`gp.goid`). `next` is a bool. `runqputslow`, and every other name of Go's, comes from
`gmplab.grading.go`.
"""),
    code("""
import gmplab
from gmplab.ops import go, loop, recv, send, work
from gmplab.grading import check
from gmplab.grading.experiment import diff, tryit
from gmplab.grading.go import *
"""),
    answer('''
def runqput(pp, gp, next):
    """Put gp on pp's local run queue: runnext with next (kicking the old runnext to the
    tail), else the tail of the ring; a full ring goes to runqputslow."""
    ### BEGIN SOLUTION
    if next:
        oldnext = pp.runnext
        pp.runnext = gp
        if oldnext is None:
            return
        gp = oldnext            # kick the old runnext out to the regular run queue
    h = pp.runqhead
    t = pp.runqtail
    if t - h < len(pp.runq):
        pp.runq[t % len(pp.runq)] = gp
        pp.runqtail = t + 1     # publish the slot
        return
    runqputslow(pp, gp, h, t)
    ### END SOLUTION
'''),
    md("""
## Try it

`main` starts three goroutines on one P. Predict first: which of G2, G3, G4 runs first, and in
which order do the other two follow? Then run the cell: it runs the program on Go's runtime
and on the runtime with **your** `runqput`, and shows where their event logs part (or that they
agree). `replace={"runqput": runqput}` is how any `gmplab.Runtime` takes your function.
"""),
    experiment("""
def program(rt):
    for _ in range(3):
        rt.go(work("10us"))

go_rt, my_rt = diff(program, {"runqput": runqput}, gomaxprocs=1)
"""),
    md("""
G4, the last one started, sits in `runnext` and runs first, inheriting main's time slice;
G2 and G3 were kicked to the ring in turn and follow in order. The popular picture — "a new
goroutine goes to the tail of the queue" — is wrong twice over.

## Check

The first check runs Go's own run-queue tests (proc_test.go's `RunSchedLocalQueueTest` and
friends) on a bare P with your `runqput`; the second runs programs on the runtime with it and
compares every decision with Go's. A failure says what was expected, what your function did,
the first decision where the schedule left Go's, and a hint.
"""),
    check("01_runqput-check-1"),
    check("01_runqput-check-2"),
    md("""
## What you did

`runqput` decides the order in which a P runs its goroutines: `runnext` first (a fresh or
just-woken G runs next and shares the current time slice), then the ring, oldest first. Next:
[exercise 2](02_runqputslow.ipynb), what `runqputslow` does with a full ring.
"""),
]
