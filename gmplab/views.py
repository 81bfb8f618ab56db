"""Read-only views of g, m, p and schedt, with the field names of runtime2.go.

Each view reads the live state arrays when a field is accessed (no copies). G slots are
mapped to goids; ``nil`` pointers are ``None``.
"""
from .runtime import layout as _l
from .state import runq_ring, table


def _nil(v):
    return None if v == _l.NIL else int(v)


class _View:
    _fields = ()

    def as_dict(self):
        """Every field, by its Go name."""
        return {f: getattr(self, f) for f in self._fields}

    def __repr__(self):
        body = " ".join(f"{k}={v}" for k, v in self.as_dict().items())
        return f"<{type(self).__name__} {body}>"


class Gobuf:
    """g.sched: where the goroutine resumes, with go1.25's gobuf fields (sp, pc, g, ctxt, lr,
    bp; the older ``ret`` is gone). gmplab's pc is the index of the G's next op in its program
    (Go: a code address, the function's entry for a new G, set by gostartcallfn); sp is one
    word below the top of the G's stack (Go: where gostartcallfn pushed goexit's address)."""
    __slots__ = ("sp", "pc", "g", "ctxt", "lr", "bp")

    def __init__(self, sp, pc, g):
        self.sp, self.pc, self.g, self.ctxt, self.lr, self.bp = sp, pc, g, 0, 0, 0

    def __repr__(self):
        return f"gobuf(sp={self.sp:#x}, pc={self.pc}, g={self.g})"


class GView(_View):
    """A goroutine (runtime.g)."""
    _fields = ("goid", "status", "atomicstatus", "m", "lockedm", "preempt", "waitsince",
               "waitreason", "param", "schedlink", "stack", "sched", "gopc", "startpc")

    def __init__(self, rt, slot):
        self._rt, self._slot = rt, slot

    def _f(self, f):
        return int(table(self._rt._S, "g")[self._slot, f])

    def _goid_of(self, slot):
        return None if slot == _l.NIL else int(table(self._rt._S, "g")[slot, _l.G_goid])

    @property
    def goid(self):
        return self._f(_l.G_goid)

    @property
    def atomicstatus(self):
        return self._f(_l.G_atomicstatus)

    @property
    def status(self):
        """Go's constant name of atomicstatus, e.g. "_Grunnable"."""
        return _l.GSTATUS_NAMES[self.atomicstatus]

    @property
    def m(self):
        """The M running this G (its id), or None."""
        return _nil(self._f(_l.G_m))

    @property
    def lockedm(self):
        return _nil(self._f(_l.G_lockedm))

    @property
    def preempt(self):
        return bool(self._f(_l.G_preempt))

    @property
    def waitsince(self):
        return self._f(_l.G_waitsince)

    @property
    def waitreason(self):
        """Why the G waits, in Go's words ("chan receive", "sleep", ...); "" if it does not."""
        if self.atomicstatus != _l.Gwaiting:
            return ""
        return _l.WAITREASON_NAMES[self._f(_l.G_waitreason)]

    @property
    def param(self):
        return self._f(_l.G_param)

    @property
    def schedlink(self):
        """The next G on the same list (run queue, wait queue), by goid."""
        return self._goid_of(self._f(_l.G_schedlink))

    @property
    def stack(self):
        lo = _l.STACKBASE + self._slot * _l.STACKSIZE
        return {"lo": lo, "hi": lo + _l.STACKSIZE}

    @property
    def sched(self):
        return Gobuf(self.stack["hi"] - 8, self._f(_l.G_pc), self.goid)

    @property
    def gopc(self):
        """The pc of the `go` op that created this G (None for main)."""
        return _nil(self._f(_l.G_gopc))

    @property
    def startpc(self):
        return self._f(_l.G_startpc)

    @property
    def pc(self):
        return self._f(_l.G_pc)


class MView(_View):
    """An OS thread (runtime.m)."""
    _fields = ("id", "g0", "curg", "p", "nextp", "oldp", "spinning", "blocked", "lockedg",
               "lockedExt", "lockedInt", "ncgocall", "syscalltick", "park", "schedlink",
               "state")

    def __init__(self, rt, i):
        self._rt, self._i = rt, i

    def _f(self, f):
        return int(table(self._rt._S, "m")[self._i, f])

    def _goid(self, slot):
        return None if slot == _l.NIL else int(table(self._rt._S, "g")[slot, _l.G_goid])

    @property
    def id(self):
        return self._i

    @property
    def g0(self):
        """The M's scheduling stack (g0); gmplab names it, it is not a goroutine here."""
        return f"g0 of M{self._i}"

    @property
    def curg(self):
        """The goid of the G running on this M, or None."""
        return self._goid(self._f(_l.M_curg))

    @property
    def p(self):
        return _nil(self._f(_l.M_p))

    @property
    def nextp(self):
        return _nil(self._f(_l.M_nextp))

    @property
    def oldp(self):
        return _nil(self._f(_l.M_oldp))

    @property
    def spinning(self):
        return bool(self._f(_l.M_spinning))

    @property
    def blocked(self):
        return bool(self._f(_l.M_blocked))

    @property
    def lockedg(self):
        return self._goid(self._f(_l.M_lockedg))

    @property
    def lockedExt(self):
        return self._f(_l.M_lockedExt)

    @property
    def lockedInt(self):
        return self._f(_l.M_lockedInt)

    @property
    def ncgocall(self):
        return self._f(_l.M_ncgocall)

    @property
    def syscalltick(self):
        return self._f(_l.M_syscalltick)

    @property
    def park(self):
        """m.park, the note the M sleeps on: True once signalled (notewakeup)."""
        return bool(self._f(_l.M_park))

    @property
    def schedlink(self):
        return _nil(self._f(_l.M_schedlink))

    @property
    def state(self):
        """What the thread is doing: running, syscall, idle, spinning, netpoll, sysmon, ..."""
        s = _l.MSTATE_NAMES[self._f(_l.M_state)]
        # (a thief asleep in runqgrab's usleep(3) is still a spinning M)
        if s in ("scheduling", "running", "usleep") and self.spinning and self.curg is None:
            return "spinning"
        return s


class PView(_View):
    """A processor (runtime.p)."""
    _fields = ("id", "status", "link", "schedtick", "syscalltick", "sysmontick", "m",
               "goidcache", "goidcacheend", "runqhead", "runqtail", "runq", "runnext",
               "gFree", "timers", "preempt")

    def __init__(self, rt, i):
        self._rt, self._i = rt, i

    def _f(self, f):
        return int(table(self._rt._S, "p")[self._i, f])

    @property
    def id(self):
        return self._i

    @property
    def status(self):
        return _l.PSTATUS_NAMES[self._f(_l.P_status)]

    @property
    def link(self):
        return _nil(self._f(_l.P_link))

    @property
    def schedtick(self):
        return self._f(_l.P_schedtick)

    @property
    def syscalltick(self):
        return self._f(_l.P_syscalltick)

    @property
    def sysmontick(self):
        """sysmon's last look at this P: {schedtick, syscalltick, schedwhen, syscallwhen}
        (None: never recorded — as ancient as Go's zero time)."""
        def w(v):
            return None if v == _l.NEVER else v
        return {"schedtick": self._f(_l.P_st_schedtick),
                "syscalltick": self._f(_l.P_st_syscalltick),
                "schedwhen": w(self._f(_l.P_st_schedwhen)),
                "syscallwhen": w(self._f(_l.P_st_syscallwhen))}

    @property
    def m(self):
        return _nil(self._f(_l.P_m))

    @property
    def goidcache(self):
        return self._f(_l.P_goidcache)

    @property
    def goidcacheend(self):
        return self._f(_l.P_goidcacheend)

    @property
    def runqhead(self):
        return self._f(_l.P_runqhead) & 0xFFFFFFFF

    @property
    def runqtail(self):
        return self._f(_l.P_runqtail) & 0xFFFFFFFF

    @property
    def runq(self):
        """The goids in the local ring, head first (runnext not included)."""
        S = self._rt._S
        h, t = self._f(_l.P_runqhead), self._f(_l.P_runqtail)
        ring = runq_ring(S, self._i)
        gt = table(S, "g")
        return [int(gt[ring[(h + i) % _l.RUNQSIZE], _l.G_goid])
                for i in range((t - h) & 0xFFFFFFFF)]

    @property
    def runqsize(self):
        return (self._f(_l.P_runqtail) - self._f(_l.P_runqhead)) & 0xFFFFFFFF

    @property
    def runnext(self):
        s = self._f(_l.P_runnext)
        return None if s == _l.NIL else int(table(self._rt._S, "g")[s, _l.G_goid])

    @property
    def gFree(self):
        """How many dead Gs wait on this P's free list."""
        return self._f(_l.P_gfreecnt)

    @property
    def timers(self):
        """How many timers this P holds (pending or due)."""
        return self._f(_l.P_timers)

    @property
    def preempt(self):
        return bool(self._f(_l.P_preempt))


class SchedView(_View):
    """The global scheduler state (runtime.schedt)."""
    _fields = ("goidgen", "lastpoll", "pollUntil", "midle", "nmidle", "nmidlelocked", "mnext",
               "maxmcount", "nmsys", "nmfreed", "pidle", "npidle", "nmspinning",
               "needspinning", "runq", "runqsize", "gFree", "sysmonwait")

    def __init__(self, rt):
        self._rt = rt

    def _f(self, f):
        return int(self._rt._S[f])

    goidgen = property(lambda s: s._f(_l.S_goidgen))
    lastpoll = property(lambda s: _nil(s._f(_l.S_lastpoll)),
                        doc="when the network was last polled; None while an M blocks in netpoll")
    pollUntil = property(lambda s: _nil(s._f(_l.S_pollUntil)))
    midle = property(lambda s: _nil(s._f(_l.S_midle)))
    nmidle = property(lambda s: s._f(_l.S_nmidle))
    nmidlelocked = property(lambda s: s._f(_l.S_nmidlelocked))
    mnext = property(lambda s: s._f(_l.S_mnext))
    maxmcount = property(lambda s: s._f(_l.S_maxmcount))
    nmsys = property(lambda s: s._f(_l.S_nmsys))
    nmfreed = property(lambda s: s._f(_l.S_nmfreed))
    pidle = property(lambda s: _nil(s._f(_l.S_pidle)))
    npidle = property(lambda s: s._f(_l.S_npidle))
    nmspinning = property(lambda s: s._f(_l.S_nmspinning))
    needspinning = property(lambda s: s._f(_l.S_needspinning))
    runqsize = property(lambda s: s._f(_l.S_runqsize))
    gFree = property(lambda s: s._f(_l.S_ngfree))
    sysmonwait = property(lambda s: bool(s._f(_l.S_sysmonwait)))

    def idle_ps(self):
        """The Ps on the idle list (sched.pidle, linked through p.link), in list order."""
        rt = self._rt
        n = rt.gomaxprocs()
        out, p = [], self.pidle
        while p is not None and p not in out and p < n:
            out.append(p)
            p = rt.p(p).link
        return out

    @property
    def runq(self):
        """The goids on the global run queue, head first."""
        S = self._rt._S
        gt = table(S, "g")
        out = []
        g = int(S[_l.S_runqhead])
        while g != _l.NIL:
            out.append(int(gt[g, _l.G_goid]))
            g = int(gt[g, _l.G_schedlink])
        return out
