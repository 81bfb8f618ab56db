from build import answer, check, code, experiment, md

CELLS = [
    md("""
# Exercise 6 · `globrunqget`: the global queue's batch, and the 1-in-61 check

After this exercise you can

* write `globrunqget(pp, max)`, which hands a P a batch from the global queue;
* compute the batch: `min(size, size/gomaxprocs + 1, max, 128)`;
* explain the fairness check: every 61st `schedtick`, **one** G from the global queue — not a
  batch.

About 30 minutes. Lesson: [05 · schedule()](../notebooks/05_schedule.ipynb).
Key term: 全局运行队列 (global run queue).
"""),
    md("""
## The Go function

`findRunnable` (`src/runtime/proc.go`) looks at the global queue twice: at step 2, if
`pp.schedtick % 61 == 0` and the queue is not empty, it takes exactly one G (fairness: two
goroutines respawning each other could otherwise keep a P's local queue busy forever); at step
4, when the local queue is empty, it takes a batch. Go 1.24 did both with
`globrunqget(pp, max)` — `max = 1` for fairness, `0` for the batch; Go 1.25.3 splits it into
`globrunqget()` (one G) and `globrunqgetbatch(n)`, with the same arithmetic. Write the 1.24 form:

1. If `sched.runq.size == 0`, return None.
2. `n = sched.runq.size / gomaxprocs + 1`; not more than `sched.runq.size`; if `max > 0`, not
   more than `max`; not more than `len(pp.runq) / 2` (128).
3. `gp = sched.runq.pop()` is the G to run; `runqput(pp, sched.runq.pop(), False)` for each of
   the other `n - 1`. Return `gp`.

**What you get.** `sched.runq` (`.size`, `.pop()`), `gomaxprocs`, `pp.runq`, and Go's
`runqput`.
"""),
    code("""
import gmplab
from gmplab.ops import work
from gmplab.grading import check
from gmplab.grading.experiment import diff, tryit
from gmplab.grading.go import *
"""),
    answer('''
def globrunqget(pp, max):
    """Take a batch from the global queue: run the first G, put the rest on pp's ring."""
    ### BEGIN SOLUTION
    if sched.runq.size == 0:
        return None
    n = sched.runq.size // gomaxprocs + 1
    if n > sched.runq.size:
        n = sched.runq.size
    if max > 0 and n > max:
        n = max
    if n > len(pp.runq) // 2:
        n = len(pp.runq) // 2
    gp = sched.runq.pop()
    n -= 1
    for _ in range(n):
        runqput(pp, sched.runq.pop(), False)
    return gp
    ### END SOLUTION
'''),
    md("""
## Try it

GOMAXPROCS=1, 300 goroutines: the ring spills 129 of them to the global queue. Predict: when
does P0 first look at the global queue, and how many Gs does it take then?
"""),
    experiment("""
def program(rt):
    for _ in range(300):
        rt.go(work("1us"))

go_rt, my_rt = diff(program, {"globrunqget": globrunqget}, gomaxprocs=1)
for e in go_rt.events.where(fn="globrunqget")[:4]:
    print(e)
"""),
    md("""
## Check
"""),
    check("06_globrunqget-check-1"),
    check("06_globrunqget-check-2"),
    md("""
## What you did

The global queue is shared out in batches sized by GOMAXPROCS, so one P does not take it all,
and the fairness check takes a single G — a popular explanation says "a batch every 61 ticks",
the code says one. Next: [exercise 7](07_findrunnable.ipynb), the order of all of
`findRunnable`'s sources.
"""),
]
