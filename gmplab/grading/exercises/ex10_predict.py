"""Exercise 10: predict the schedule — the learner writes what the runtime will do; the
runtime decides."""
import gmplab

from ...ops import syscall, work
from ..checks import Case
from ..plugins import BUILTIN
from .common import Hint, add

EX = "10_predict"


def _one_p():
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    for _ in range(4):
        rt.go(work("10us"))
    return rt.run()


def _two_ps():
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    for _ in range(4):
        rt.go(work("50us"))
    return rt.run()


def _gosched_order():
    from ...ops import gosched
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    rt.go(work("10us"), gosched(), work("10us"))
    rt.go(work("10us"))
    rt.go(work("10us"))
    return rt.run()


def first_runs(rt):
    """The goids in the order they first run (execute), main excluded."""
    out = []
    for e in rt.events.where(fn="execute"):
        if e.g != 1 and e.g not in out:
            out.append(e.g)
    return out


def _syscalls():
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    for _ in range(2):
        rt.go(work("400ms"))
    for _ in range(8):
        rt.go(syscall("200ms"))
    return rt.run()


def _threads(rt):
    return rt.mcount()


def _blocking_sys():
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    rt.go(work("10ms"))
    rt.go(syscall("3ms"))
    return rt.run()


def _m_after_syscall(rt):
    """The M that runs G3 once its syscall has returned."""
    return [e.m for e in rt.events.where(fn="execute") if e.g == 3][-1]


def predict(name, fn_name, program, answer, *hints, form=list):
    """A question: the learner's ``fn_name()`` returns their prediction; the runtime's answer is
    ``answer(program())``."""
    def run(replace):
        fn = replace[fn_name]
        if fn is BUILTIN:
            return repr(answer(program()))
        v = fn()
        try:
            if form is list:
                v = [int(x) for x in v]
            else:
                v = int(v)
        except (TypeError, ValueError):
            kind = "a list of goids" if form is list else "a number"
            raise TypeError(f"{fn_name}() must return {kind}, not {v!r}") from None
        return repr(v)
    return Case(name, run, list(hints), kind="predict")


RUNNEXT = Hint("newproc puts each new G in runnext and kicks the one there to the tail of the "
               "ring: the last G started runs first (when main parks), then the others in the "
               "order they were started")
SPIN = Hint("the first go statement wakes an idle P (wakep → startm): its spinning M steals "
            "from P0 while main is still running; look at the runqsteal and execute events of "
            "the run (gmplab.Runtime(gomaxprocs=2), then rt.run())")
THREADS = Hint("each G in a blocking syscall holds its M; sysmon retakes the Ps and handoffp "
               "starts new Ms for the queued work: 2 Ms run the CPU-bound Gs, 8 are blocked, and "
               "sysmon has its own (count with rt.mcount())")
MBACK = Hint("its P was retaken while it was in the syscall, and the other G runs on it: "
             "exitsyscall finds no P, so G3 goes to the global queue and its M stops; the M "
             "that later runs G3 is the one that picks it up there")
GOSCHED = Hint("Gosched puts the G on the global queue, not at the back of the local one; the "
               "P runs its local queue first (runnext, then the ring) and comes to the global "
               "queue when the local one is empty (or at the 1-in-61 check)")

add(EX, 1, ["first_run_one_p"], 1, "GOMAXPROCS=1: in which order do the Gs first run?",
    [predict("GOMAXPROCS=1, main starts G2, G3, G4, G5 (10µs each)", "first_run_one_p",
             _one_p, first_runs, RUNNEXT)])
add(EX, 2, ["first_run_two_ps"], 1, "GOMAXPROCS=2: in which order do the Gs first run?",
    [predict("GOMAXPROCS=2, main starts G2, G3, G4, G5 (50µs each)", "first_run_two_ps",
             _two_ps, first_runs, SPIN)])
add(EX, 3, ["run_order_gosched"], 1, "Gosched: who runs before G2 runs again?",
    [predict("GOMAXPROCS=1: G2 works, calls Gosched, works; G3 and G4 work; every start",
             "run_order_gosched", _gosched_order,
             lambda rt: [e.g for e in rt.events.where(fn="execute") if e.g != 1], GOSCHED)])
add(EX, 4, ["threads_created"], 1, "How many Ms does the runtime make for the syscalls?",
    [predict("GOMAXPROCS=2: 2 Gs compute 400ms, 8 Gs in 200ms syscalls; Ms at the end",
             "threads_created", _syscalls, _threads, THREADS, form=int)])
add(EX, 5, ["m_after_syscall"], 1, "Which M runs G3 after its syscall?",
    [predict("GOMAXPROCS=1: G2 computes 10ms, G3 makes a 3ms syscall", "m_after_syscall",
             _blocking_sys, _m_after_syscall, MBACK, form=int)])
