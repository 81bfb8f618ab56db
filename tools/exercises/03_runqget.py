from build import answer, check, code, experiment, md

CELLS = [
    md("""
# Exercise 3 · `runqget`: runnext first, and `inheritTime`

After this exercise you can

* write Go's `runqget(pp)`, which returns the G a P runs next from its local queue;
* explain `inheritTime`: why a G from `runnext` shares the current time slice;
* connect it to `schedtick` and to sysmon's 10ms preemption.

About 25 minutes. Lesson: [04 · the P's run queue](../notebooks/04_p_runq.ipynb).
Key terms: 本地运行队列, 抢占 (preemption).
"""),
    md("""
## The Go function

`runqget(pp *p) (gp *g, inheritTime bool)` is in `src/runtime/proc.go` (Go 1.25.3); it is
`findRunnable`'s step 3, after the timers and the 1-in-61 fairness look.

1. If `pp.runnext` holds a G, take it: set `pp.runnext` to nil and return `(gp, true)`. Such a
   G **inherits the time slice**: `execute` does not increment `pp.schedtick`, so sysmon's 10ms
   preemption counts the whole chain (a ping-pong pair cannot starve others).
2. Else the ring: `h = pp.runqhead`, `t = pp.runqtail`; if `t == h` it is empty: `(nil, false)`.
3. Else take `pp.runq[h % len(pp.runq)]` and consume it with `pp.runqhead = h + 1` (a CAS in Go,
   because thieves consume from the head too); return `(gp, false)`: a new time slice.

**What you get.** `pp` as in exercise 1. Return a tuple `(G or None, bool)`.
"""),
    code("""
import gmplab
from gmplab.ops import recv, send, loop, work
from gmplab.grading import check
from gmplab.grading.experiment import diff, tryit
from gmplab.grading.go import *
"""),
    answer('''
def runqget(pp):
    """The next G of pp's local queue and whether it inherits the time slice."""
    ### BEGIN SOLUTION
    next = pp.runnext
    if next is not None:
        pp.runnext = None
        return next, True
    h = pp.runqhead
    t = pp.runqtail
    if t == h:
        return None, False
    gp = pp.runq[h % len(pp.runq)]
    pp.runqhead = h + 1       # Go: a CAS that commits the consume
    return gp, False
    ### END SOLUTION
'''),
    md("""
## Try it

Two goroutines pass a value back and forth on unbuffered channels, on one P, beside a third.
Predict: when the receiver is woken, where does `goready` put it, and does its `execute` start a
new time slice? Look for `execute` lines ("inherits the time slice" or "schedtick=N").
"""),
    experiment("""
def program(rt):
    a, b = rt.chan(), rt.chan()
    rt.go(loop(3, send(a), recv(b)))
    rt.go(loop(3, recv(a), work("1us"), send(b)))
    rt.go(work("30us"))

go_rt, my_rt = diff(program, {"runqget": runqget}, gomaxprocs=1)
for e in go_rt.events.where(fn="execute")[:8]:
    print(e)
"""),
    md("""
## Check
"""),
    check("03_runqget-check-1"),
    check("03_runqget-check-2"),
    md("""
## What you did

`runqget` makes `runnext` a fast lane: the G just readied runs next, in the same time slice.
Next: [exercise 6](06_globrunqget.ipynb) (the global queue) and
[exercise 4](04_runqsteal.ipynb) (stealing from other Ps).
"""),
]
