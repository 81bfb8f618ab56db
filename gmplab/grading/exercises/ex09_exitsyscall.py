"""Exercise 09: exitsyscall — the fast path on the old P, the fast path on an idle P, or the
slow path (exitsyscall0)."""
from .. import scenarios as sc
from ...ops import syscall, work
from .common import L, Hint, add, scenario
from .ex08_retake import threads

EX = "09_exitsyscall"


def short(run):
    """A 5µs syscall: sysmon has not retaken the P; exitsyscall takes it back."""
    return sc.program(run, [(work("50us"), syscall("5us"), work("50us"))], nprocs=2)


def retaken_idle(run):
    """An 8ms first syscall: retaken at once and idle; exitsyscall takes any idle P."""
    return sc.program(run, [(syscall("8ms"), work("10us"))], nprocs=2)


def slow(run):
    """GOMAXPROCS=1: the P was retaken for another G; no P is free: the slow path."""
    return sc.program(run, [(work("10ms"),), (syscall("3ms"), work("10us"))])


def reacquired(run):
    """GOMAXPROCS=1: G3's P is retaken (its first syscall) and handed to a new M for G2, which
    enters its own syscall on it; G3 comes back and takes the P from G2's syscall
    (exitsyscallfast_reacquired: syscalltick moves twice)."""
    return sc.program(run, [(syscall("10ms"), work("10us")), (syscall("80us"), work("10us"))])


def twice(run):
    """Two syscalls 15ms apart on one P: exitsyscall's syscalltick++ tells sysmon the second
    is a new one."""
    return sc.program(run, [(syscall("100us"), work("15ms"), syscall("5ms"))], nprocs=2)


def _fast(d):
    return d.expected("exitsyscall") and d.got("exitsyscall0")


FASTFIRST = Hint("the fast path first: take the old P back if it is still _Psyscall, else any "
                 "idle P (exitsyscallfast); only if neither, mcall(exitsyscall0)",
                 lambda d: _fast(d) or d.said("slow path") and d.expected_said("fast path"))
OLDFIRST = Hint("try the old P before any idle one: it is still yours unless sysmon retook it "
                "(oldp.status == _Psyscall → oldp.status = _Pidle, wirep(oldp))",
                lambda d: (d.expected("exitsyscall", L.W_FAST_OLDP)
                           and d.got("exitsyscall", L.W_FAST_IDLEP)))
STATUS = Hint("take the old P back only while it is still _Psyscall: sysmon may have retaken "
              "it and given it to another M", lambda d: d.raised("PluginError", "wirep"))
TICK = Hint("on the fast path exitsyscall bumps the P's syscalltick (gp.m.p.syscalltick += 1, "
            "and once more in exitsyscallfast_reacquired if the P was retaken meanwhile): that "
            "is how sysmon tells a new syscall from the same one",
            lambda d: d.got("retake") or d.expected("retake")
            or (d.said("fast path") and d.expected_said("fast path")))
GRUN = Hint("the fast path ends with casgstatus(gp, _Gsyscall, _Grunning)",
            lambda d: d.raised("PluginError", "_Gsyscall"))
DEFAULT = Hint("exitsyscall: oldp = gp.m.oldp, gp.m.oldp = None; if exitsyscallfast(oldp): "
               "syscalltick++, casgstatus, return; else mcall(exitsyscall0)")
HINTS = [STATUS, GRUN, FASTFIRST, OLDFIRST, TICK, DEFAULT]

add(EX, 1, ["exitsyscall"], 3, "Your exitsyscall inside the runtime",
    [scenario("a 5µs syscall: the P is still _Psyscall", short),
     scenario("a retaken first syscall: any idle P will do", retaken_idle),
     scenario("no P free: the slow path, the global queue", slow),
     scenario("the P retaken and in another syscall: taken back from it", reacquired),
     scenario("two syscalls 15ms apart: the second is a new syscall for sysmon", twice),
     scenario("8 syscalls beside 2 CPU-bound Gs on 2 Ps", threads),
     scenario("work, syscalls, timers and channels on 2 Ps", sc.mixed)],
    HINTS)
