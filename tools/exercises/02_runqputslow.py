from build import answer, check, code, experiment, md

CELLS = [
    md("""
# Exercise 2 · `runqputslow`: the spill of 128 + 1

After this exercise you can

* write Go's `runqputslow(pp, gp, h, t)`, which runs when a P's ring is full;
* say how many goroutines move to the global queue, which ones, and in what order;
* tell why the P keeps the newer half.

About 25 minutes. Lesson: [04 · the P's run queue](../notebooks/04_p_runq.ipynb); before it,
[exercise 1](01_runqput.ipynb). Key terms: 本地运行队列, 全局运行队列.
"""),
    md("""
## The Go function

`runqputslow` is in `src/runtime/proc.go` (Go 1.25.3). `runqput` calls it with the P, the G it
could not place, and the `h`/`t` it read when it found the ring full (`t - h == 256`):

1. `n = (t - h) / 2` — half of the ring, 128 Gs. Go throws `"runqputslow: queue is not full"`
   if that is not 128.
2. Copy the **first** half into a batch: `pp.runq[(h + i) % len(pp.runq)]` for `i` in
   `0 .. n-1` — the oldest Gs, from the head.
3. Take them off the ring: `pp.runqhead = h + n` (in Go a compare-and-swap that can lose to a
   thief; then `runqputslow` returns `false` and `runqput` retries — not on the virtual clock,
   where one M acts at a time).
4. Append `gp` to the batch: `n + 1` Gs.
5. `globrunqputbatch(batch)` puts the batch, in order, at the tail of the global queue
   `sched.runq` (under `sched.lock`). Return `True`.

**What you get.** `pp.runq`, `pp.runqhead` (`uint32`), `gp`, and `h`, `t` as `uint32`.
`globrunqputbatch` takes a list (or a `gQueue`) of Gs.
"""),
    code("""
import gmplab
from gmplab.ops import work
from gmplab.grading import check
from gmplab.grading.experiment import diff, tryit
from gmplab.grading.go import *
"""),
    answer('''
def runqputslow(pp, gp, h, t):
    """The ring is full: move its first half and gp, in order, to the global queue."""
    ### BEGIN SOLUTION
    n = (t - h) // 2
    batch = [pp.runq[(h + i) % len(pp.runq)] for i in range(n)]
    pp.runqhead = h + n       # Go: a CAS that commits the consume
    batch.append(gp)
    globrunqputbatch(batch)
    return True
    ### END SOLUTION
'''),
    md("""
## Try it

On one P, `main` starts 258 goroutines before it runs. Predict: after the 258th `go`, how many
Gs are on the global queue, which goroutine ids, and how many are left on P0's ring? The
experiment compares the whole run with Go's; the next cell prints the queues right after the
spill.
"""),
    experiment("""
def program(rt):
    for _ in range(258):
        rt.go(work(1))

go_rt, my_rt = diff(program, {"runqputslow": runqputslow}, gomaxprocs=1)
"""),
    experiment("""
with tryit():
    rt = gmplab.Runtime(gomaxprocs=1, replace={"runqputslow": runqputslow})
    for _ in range(258):
        rt.go(work(1))
    print("global queue:", rt.sched.runqsize, "Gs:", rt.sched.runq[:3], "...",
          rt.sched.runq[-3:])
    print("P0's ring:   ", len(rt.p(0).runq), "Gs; runnext:", rt.p(0).runnext)
"""),
    md("""
129 Gs: G2 … G129, the oldest half, then G258 — the G that found the ring full (it had been
kicked out of `runnext` by G259). The newer half stays local, so the P keeps the work its
caches are warm for; an idle P takes the global batch with `globrunqget` (exercise 6).

## Check
"""),
    check("02_runqputslow-check-1"),
    check("02_runqputslow-check-2"),
    md("""
## What you did

A full ring does not block `go`: half of it moves to the global queue in one batch, under one
lock, with the new G last. Next: [exercise 3](03_runqget.ipynb), taking Gs off the local queue.
"""),
]
