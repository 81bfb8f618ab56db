from build import answer, check, code, experiment, md

CELLS = [
    md("""
# Exercise 7 · `findRunnable`: where an M looks for work, in which order

After this exercise you can

* list the sources `findRunnable` tries and the condition under which it looks at each;
* explain the 1-in-61 fairness look, and why the P's own queue comes before the global one;
* explain the spinning limit: at most half the busy Ps have a spinning M.

About 30 minutes. Lesson: [05 · schedule()](../notebooks/05_schedule.ipynb).
Key terms: 自旋线程 (spinning thread), 工作窃取 (work stealing).
"""),
    md("""
## The Go function

`findRunnable()` is in `src/runtime/proc.go` (Go 1.25.3); `schedule()` calls it for every
decision. Leaving out GC workers, the trace reader and the finalizer, it tries, from the top:

| source | looked at when |
|---|---|
| `"timers"` — the P's own timers | always, first |
| `"fairness"` — one G from the global queue | `pp.schedtick % 61 == 0` and the global queue is not empty |
| `"local"` — `runqget(pp)` | always |
| `"global"` — a batch, `globrunqget` | the global queue is not empty |
| `"netpoll"` — `netpoll(0)`, without blocking | `netpollinited()`, `netpollAnyWaiters()` and `sched.lastpoll != 0` (nobody blocks in netpoll) |
| `"steal"` — `stealWork` | `mp.spinning`, or `2 * sched.nmspinning < gomaxprocs - sched.npidle` |
| `"idle"` — give up the P, then block in netpoll or `stopm` | when nothing else applies |

Each source that finds a G ends the search. Write `findRunnable_next(pp, mp, after)`: given the
source that just found nothing (`"top"` at the start), return the next source to look at. The
runtime runs that source; if it finds nothing, it asks you again.
"""),
    code("""
import gmplab
from gmplab.ops import gosched, loop, work
from gmplab.grading import check
from gmplab.grading.experiment import diff, tryit
from gmplab.grading.go import *
"""),
    answer('''
ORDER = ["top", "timers", "fairness", "local", "global", "netpoll", "steal", "idle"]


def findRunnable_next(pp, mp, after):
    """The source findRunnable looks at after `after` found nothing."""
    ### BEGIN SOLUTION
    for src in ORDER[ORDER.index(after) + 1:]:
        if src == "fairness" and not (pp.schedtick % 61 == 0 and not sched.runq.empty()):
            continue
        if src == "global" and sched.runq.empty():
            continue
        if src == "netpoll" and not (netpollinited() and netpollAnyWaiters()
                                     and sched.lastpoll != 0):
            continue
        if src == "steal" and not (mp.spinning
                                   or 2 * sched.nmspinning < gomaxprocs - sched.npidle):
            continue
        return src
    ### END SOLUTION
'''),
    md("""
## Try it

Eight Ps, three goroutines that loop over 30µs of work and `Gosched`. Predict: how many Ms
spin at most, and does a G that called `Gosched` run again from the local or the global
queue?
"""),
    experiment("""
def program(rt):
    for _ in range(3):
        rt.go(loop(20, work("30us"), gosched()))

go_rt, my_rt = diff(program, {"findRunnable_next": findRunnable_next}, gomaxprocs=8, seed=2)
print(sum(1 for e in go_rt.events.where(fn="globrunqget")), "times a P took from the global queue")
"""),
    md("""
## Check
"""),
    check("07_findrunnable-check-1"),
    md("""
## What you did

The order is the scheduler's policy in one list: its own work first (timers, runnext, the
ring), shared work next (the global queue, the network), other Ps' work last (stealing) — with
two guards, the fairness look that keeps the global queue from starving, and the spinning limit
that keeps idle Ms from burning every CPU. Next: [exercise 8](08_retake.ipynb), sysmon.
"""),
]
