"""Exercise 08: retake for a P in _Psyscall — leave it, record syscallwhen, or retake and
handoffp; the 10ms rule and the never-recorded first syscall."""
from .. import scenarios as sc
from ...ops import syscall, work
from .common import Hint, add, scenario

EX = "08_retake"


def first_syscall(run):
    """The first syscall on a P: syscalltick is still sysmon's record (0) and syscallwhen was
    never recorded: retaken at sysmon's first look, although an idle P could cover."""
    return sc.program(run, [(syscall("8ms"),)], nprocs=2)


def spared(run):
    """A second syscall: sysmon records its syscalltick first; with an idle P to cover and
    nothing queued, the P is spared (10ms rule)."""
    return sc.program(run, [(syscall("100us"), work("200us"), syscall("5ms"))], nprocs=2)


def long_spared(run):
    """The same with a 30ms syscall: spared for 10ms after sysmon first saw it, then retaken."""
    return sc.program(run, [(syscall("100us"), work("200us"), syscall("30ms"))], nprocs=2)


def queued(run):
    """Work queued behind the syscall: retaken after one sysmon tick."""
    return sc.program(run, [(syscall("100us"), work("50us"), syscall("2ms")), (work("1ms"),)])


def preempted(run):
    """A G running for 50ms is preempted after 10ms (retake's first half)."""
    return sc.program(run, [(work("50ms"),), (work("1ms"),)])


def threads(run):
    """8 Gs in 20ms syscalls beside 2 CPU-bound ones, GOMAXPROCS=2 (Go: threads=11)."""
    return sc.program(run, [(work("40ms"),)] * 2 + [(syscall("20ms"),)] * 8, nprocs=2)


def _early(d):
    return d.got("retake") and not d.expected("retake")


def _late(d):
    return d.expected("retake") and not d.got("retake")


TENMS = Hint("the 10ms rule: leave the P in _Psyscall when its runq is empty, some P is idle or "
             "M spinning (sched.nmspinning + sched.npidle > 0) and pd.syscallwhen + 10ms > now",
             lambda d: _early(d) and d.expected_said("left") or _early(d) and d.got_event.a >= 0)
TICK = Hint("first record a new syscall: if pd.syscalltick != pp.syscalltick, set "
            "pd.syscalltick and pd.syscallwhen = now and move on (retake only a P that stayed "
            "in the same syscall for a whole sysmon tick)",
            lambda d: _early(d) or d.said("retaken") and d.expected_said("recorded"))
NEVER = Hint("a P's first syscall is never recorded: syscalltick 0 equals sysmon's record and "
             "syscallwhen reads NEVER, as ancient as Go's 0 — so the 10ms test fails and the P "
             "is retaken at the first look",
             lambda d: _late(d) and d.expected_event.a == -1)
HANDOFF = Hint("a retaken P goes to handoffp(pp) right after pp.status = _Pidle and "
               "pp.syscalltick++ (handoffp starts an M for it or puts it on the idle list)",
               lambda d: d.expected("handoffp") or d.raised("PluginError", "handoffp"))
PREEMPT = Hint("the first half of retake: a P in _Prunning or _Psyscall whose schedtick has not "
               "moved for forcePreemptNS is preempted (preemptone) and, in a syscall, retaken "
               "(sysretake)", lambda d: d.expected("preemptone") or d.got("preemptone"))
DEFAULT = Hint("retake, per P in _Psyscall: a new syscalltick → record it (syscallwhen = now); "
               "nothing to do and others can cover and < 10ms → leave it; else _Pidle, "
               "syscalltick++, handoffp")
HINTS = [HANDOFF, PREEMPT, NEVER, TENMS, TICK, DEFAULT]

add(EX, 1, ["retake"], 3, "Your retake inside sysmon",
    [scenario("a P's first syscall is retaken at sysmon's first look", first_syscall),
     scenario("a second, 5ms syscall keeps its P: an idle P can cover", spared),
     scenario("a 30ms syscall is spared for 10ms, then retaken", long_spared),
     scenario("work queued behind the syscall: retaken after one sysmon tick", queued),
     scenario("a 50ms G is preempted after 10ms", preempted),
     scenario("8 syscalls beside 2 CPU-bound Gs on 2 Ps: handoffp starts Ms", threads)],
    HINTS)
