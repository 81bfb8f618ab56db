"""Go's own run-queue tests, on bare Ps, with the learner's functions plugged in.

export_test.go's RunSchedLocalQueueTest and friends call runqput/runqget/runqsteal on a bare
``p`` with fake Gs. :class:`World` is the same: a runtime's state with extra runnable Gs (goids
1000, 1001, ...) whose run-queue functions are called through a :class:`PluginRun`, so that a
plugged-in function runs behind its adapter (checked, traced) and the others are the core's.
"""
import gmplab

from ..runtime import layout as _l
from ..state import grow
from .plugs import glist, global_list, pqueue, ring

GOID0 = 1000


class World:
    def __init__(self, run, nprocs=3, ng=600):
        rt = gmplab.Runtime(gomaxprocs=nprocs, log=False)
        S = rt._S
        while int(S[_l.H_gcap]) < ng + 8:
            S = grow(S, int(S[_l.H_gcap]) * 2, int(S[_l.H_mcap]))
        base = int(S[_l.H_ng])
        off = int(S[_l.H_goff])
        for i in range(ng):
            r = off + (base + i) * _l.NGF
            S[r:r + _l.NGF] = _l.NIL
            S[r + _l.G_goid] = GOID0 + i
            S[r + _l.G_atomicstatus] = _l.Grunnable
        S[_l.H_ng] = base + ng
        self.S, self.L = S, rt._L
        self.gs = list(range(base, base + ng))
        self.run = run
        run.S, run.L = S, rt._L
        run.world = self
        self.steps = []   # what the test saw, step by step (kept when a step raises)

    def step(self, text):
        self.steps.append(text)

    def k(self, key):
        """Kernel ``key`` as this world's run binds it (the learner's, behind its adapter, if
        plugged in)."""
        return self.run.kernel(key)

    def empty(self, p, start=0):
        """An empty queue on P ``p``, with runqhead = runqtail = ``start`` (uint32)."""
        self.run.core.builtin("prunq.runq_reset")(self.S, p, start)

    def put(self, p, g, nxt=False):
        self.k("queues.runqput")(self.S, self.L, p, g, nxt, True)

    def get(self, p):
        g, inh = self.k("queues.runqget")(self.S, p)
        return int(g), bool(inh)

    def drain(self, p):
        """runqget until P p's queue is empty: the goids, in the order they came."""
        got = []
        while True:
            g, _ = self.get(p)
            if g == _l.NIL:
                return got
            got.append(self.goid(g))

    def steal(self, p, p2, stealnext=True):
        return int(self.k("queues.runqsteal")(self.S, self.L, p, p2, stealnext))

    def goid(self, g):
        return -1 if g == _l.NIL else GOID0 + self.gs.index(g)

    def q(self, p):
        """P p's queue, e.g. "runnext=G1003 runq=[G1000 G1001]"."""
        return pqueue(self.S, p)

    def globalq(self):
        return glist(self.S, global_list(self.S))

    def ring(self, p):
        return ring(self.S, p)
