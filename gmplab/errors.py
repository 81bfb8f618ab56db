"""The fatal errors of the Go runtime that gmplab reproduces, with Go's own messages."""
from typing import NamedTuple, Optional

#: traceback.go's gStatusStrings: the word goroutineheader prints for a G's status
G_STATUS_STRINGS = {"_Gidle": "idle", "_Grunnable": "runnable", "_Grunning": "running",
                    "_Gsyscall": "syscall", "_Gwaiting": "waiting", "_Gdead": "dead",
                    "_Gcopystack": "copystack", "_Gpreempted": "preempted"}


class Goroutine(NamedTuple):
    """One goroutine as Go prints it after a fatal error (traceback.go: goroutineheader, then
    the stack). ``state``: the wait reason of a _Gwaiting G (runtime2.go's waitReasonStrings,
    e.g. "chan receive"), else gStatusStrings' word; ``waitminutes``: whole minutes since it
    parked; ``op``: the gmplab op it stands in, where Go prints its stack; ``creator``: the
    goid of the goroutine whose ``go`` started it (None for main and Gs started from outside)."""
    goid: int
    state: str
    waitminutes: int
    locked: bool
    op: str
    creator: Optional[int]

    @property
    def header(self):
        """``goroutine 1 [chan receive]:`` (with ", N minutes" and ", locked to thread" as Go
        adds them)."""
        s = f"goroutine {self.goid} [{self.state}"
        if self.waitminutes >= 1:
            s += f", {self.waitminutes} minutes"
        if self.locked:
            s += ", locked to thread"
        return s + "]:"

    def __str__(self):
        lines = [self.header, "\t" + self.op]
        if self.creator is not None:
            lines.append(f"created by goroutine {self.creator}")
        return "\n".join(lines)


class GoFatal(RuntimeError):
    """A fatal error of the Go runtime ("fatal error: ..."); the runtime cannot go on."""


class Deadlock(GoFatal):
    """checkdead: no M is running and no goroutine can ever run again. As in Go, the message
    goes on with every goroutine and what it waits for (tracebackothers); ``goroutines`` holds
    them (:class:`Goroutine`), ``fatal`` the first line alone, ``t`` the time it was found."""

    def __init__(self, message="fatal error: all goroutines are asleep - deadlock!", t=None,
                 goroutines=()):
        self.fatal = message
        self.goroutines = list(goroutines)
        super().__init__(message + "".join(f"\n\n{g}" for g in self.goroutines))
        self.t = t


class ThreadExhaustion(GoFatal):
    """checkmcount: the program created more Ms than sched.maxmcount."""

    def __init__(self, maxmcount, t=None):
        super().__init__(f"runtime: program exceeds {maxmcount}-thread limit\n"
                         "fatal error: thread exhaustion")
        self.maxmcount = maxmcount
        self.t = t


class RuntimeBug(GoFatal):
    """The core reached a state Go's runtime would throw() on: a bug in gmplab."""


class RunTimeout(TimeoutError):
    """ParallelRuntime.run(timeout=) ran out of time: every thread was stopped."""

    def __init__(self, timeout, goids=()):
        goids = list(goids)
        shown = ", ".join(map(str, goids[:10])) + (" ..." if len(goids) > 10 else "")
        super().__init__(f"run(timeout={timeout}) expired with {len(goids)} goroutine(s) still "
                         f"alive (goids {shown}); every thread was stopped")
        self.timeout = timeout
        self.goids = goids
