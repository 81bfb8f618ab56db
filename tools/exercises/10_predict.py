from build import answer, check, code, experiment, md

CELLS = [
    md("""
# Exercise 10 · Predict the schedule

After this exercise you can predict, from a program and GOMAXPROCS, what Go's scheduler does:
the order in which goroutines first run, where a `Gosched` sends a goroutine, how many threads
a burst of blocking syscalls costs, and which thread a goroutine comes back on.

About 30 minutes. Lessons: [05 · schedule()](../notebooks/05_schedule.ipynb),
[13 · real Go](../notebooks/13_real_go.ipynb). Here you write no scheduler code: each answer
cell returns your prediction, and the check runs the program on the runtime, which decides.
Predict first, check, and only then run the cell that shows the runtime's decisions.
"""),
    code("""
import gmplab
from gmplab.ops import gosched, syscall, work
from gmplab.grading import check
"""),
    md("""
## 1 · One P, four goroutines

```go
runtime.GOMAXPROCS(1)
for i := 0; i < 4; i++ {
    go work(10 * time.Microsecond)   // G2, G3, G4, G5
}
wg.Wait()
```

In which order do G2 … G5 first run?
"""),
    answer('''
def first_run_one_p():
    """The goids of G2..G5 in the order they first run, e.g. [2, 3, 4, 5]."""
    ### BEGIN SOLUTION
    return [5, 2, 3, 4]
    ### END SOLUTION
'''),
    check("10_predict-check-1"),
    md("""
## 2 · Two Ps

The same program with `GOMAXPROCS(2)` and 50µs of work each. The first `go` statement finds P1
idle and no M spinning.
"""),
    answer('''
def first_run_two_ps():
    """The goids of G2..G5 in the order they first run."""
    ### BEGIN SOLUTION
    return [5, 3, 4, 2]
    ### END SOLUTION
'''),
    check("10_predict-check-2"),
    md("""
## 3 · Gosched

```go
runtime.GOMAXPROCS(1)
go func() { work(10µs); runtime.Gosched(); work(10µs) }()   // G2
go work(10µs)                                                 // G3
go work(10µs)                                                 // G4
```

List every start of a goroutine, in order (a G that runs twice appears twice).
"""),
    answer('''
def run_order_gosched():
    """The goids, in the order the Gs start or resume running."""
    ### BEGIN SOLUTION
    return [4, 2, 3, 2]
    ### END SOLUTION
'''),
    check("10_predict-check-3"),
    md("""
## 4 · Threads for blocking syscalls

`GOMAXPROCS(2)`: two goroutines compute for 400ms; eight make a 200ms blocking syscall each.
How many Ms (OS threads, sysmon's included: what `schedtrace` prints as `threads=`) exist when
the program ends?
"""),
    answer('''
def threads_created():
    """The number of Ms at the end."""
    ### BEGIN SOLUTION
    return 11
    ### END SOLUTION
'''),
    check("10_predict-check-4"),
    md("""
## 5 · Back from a syscall

`GOMAXPROCS(1)`: G2 computes for 10ms, G3 makes a 3ms syscall (G3 runs first: it is in
`runnext`, on M0). Which M runs G3 after its syscall has returned? (M1 is sysmon.)
"""),
    answer('''
def m_after_syscall():
    """The id of the M that runs G3 after its syscall."""
    ### BEGIN SOLUTION
    return 2
    ### END SOLUTION
'''),
    check("10_predict-check-5"),
    md("""
## What the runtime decided

Run these after your checks pass (or after you gave up): each shows the decisions behind an
answer, with the Go function that took each one.
"""),
    experiment("""
rt = gmplab.Runtime(gomaxprocs=1)
for _ in range(4):
    rt.go(work("10us"))
rt.run()
for e in rt.events.where(fn=["runqput", "execute"]):
    print(e)
"""),
    experiment("""
rt = gmplab.Runtime(gomaxprocs=1)
rt.go(work("10ms"))
rt.go(syscall("3ms"))
rt.run()
for e in rt.events.where(fn=["entersyscall", "retake", "handoffp", "startm", "exitsyscall",
                             "exitsyscall0", "execute", "stopm"]):
    print(e)
"""),
    md("""
Each answer follows from a rule you wrote in exercises 1–9: `runnext` (1, 3), stealing half
(2), `Gosched` to the global queue (3), `retake` and `handoffp` (4, 5), `exitsyscall`'s slow
path (5). Where your predictions differed, the event log says which rule decided.
"""),
]
