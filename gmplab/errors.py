"""The fatal errors of the Go runtime that gmplab reproduces, with Go's own messages."""


class GoFatal(RuntimeError):
    """A fatal error of the Go runtime ("fatal error: ..."); the runtime cannot go on."""


class Deadlock(GoFatal):
    """checkdead: no M is running and no goroutine can ever run again."""

    def __init__(self, message="fatal error: all goroutines are asleep - deadlock!", t=None):
        super().__init__(message)
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
