"""Go's own run-queue tests (proc_test.go / export_test.go), ported to the jitted kernels."""
import math

import numpy as np

import gmplab
from gmplab.runtime import layout as L
from gmplab.runtime import queues as q
from gmplab.runtime import procresize as pr
from gmplab.state import table


def _world(nprocs=2, ng=600):
    """A runtime whose G table holds ``ng`` extra runnable Gs (slots 1..ng) for direct kernel
    calls, like export_test.go's RunSchedLocalQueueTest builds a bare p."""
    rt = gmplab.Runtime(gomaxprocs=nprocs, log=False)
    S = rt._S
    while int(S[L.H_gcap]) < ng + 8:
        rt._S = S = gmplab.state.grow(S, int(S[L.H_gcap]) * 2, int(S[L.H_mcap]))
    base = int(S[L.H_ng])
    gt_off = int(S[L.H_goff])
    for i in range(ng):
        r = gt_off + (base + i) * L.NGF
        S[r:r + L.NGF] = L.NIL
        S[r + L.G_goid] = 1000 + i
        S[r + L.G_atomicstatus] = L.Grunnable
    S[L.H_ng] = base + ng
    return rt, list(range(base, base + ng))


def _empty_p(rt, p):
    S = rt._S
    b = int(S[L.H_poff]) + p * L.NPF
    S[b + L.P_runqhead] = S[b + L.P_runqtail] = 0
    S[b + L.P_runnext] = L.NIL


def test_RunSchedLocalQueueTest():
    """For i in 0..255: put i Gs, get them back in order; the queue ends empty; no spill."""
    rt, gs = _world()
    S, Lg = rt._S, rt._L
    p = 1
    _empty_p(rt, p)
    for i in range(256):
        assert q.runqempty(S, p)
        for j in range(i):
            q.runqput(S, Lg, p, gs[j], False, True)
        for j in range(i):
            g, inherit = q.runqget(S, p)
            assert g == gs[j] and not inherit, f"i={i} j={j}: got slot {g}"
        assert q.runqempty(S, p)
        assert q.runqget(S, p)[0] == L.NIL
    assert S[L.S_runqsize] == 0


def test_RunSchedLocalQueueStealTest():
    """For i in 0..255 put i Gs on p1, steal into p2: p2 gets i/2 or i/2+1; each G seen once."""
    rt, gs = _world(nprocs=3)
    S, Lg = rt._S, rt._L
    p1, p2 = 1, 2
    for i in range(256):
        _empty_p(rt, p1)
        _empty_p(rt, p2)
        for j in range(i):
            q.runqput(S, Lg, p1, gs[j], False, True)
        g = q.runqsteal(S, Lg, p2, p1, True)
        seen = []
        if g != L.NIL:
            seen.append(g)
        while True:
            g2, _ = q.runqget(S, p2)
            if g2 == L.NIL:
                break
            seen.append(g2)
        stolen = len(seen)
        while True:
            g1, _ = q.runqget(S, p1)
            if g1 == L.NIL:
                break
            seen.append(g1)
        assert sorted(seen) == gs[:i], f"i={i}: every G exactly once"
        assert stolen in (i // 2, i // 2 + 1), f"i={i}: stole {stolen}"


def test_runqputslow_moves_128_plus_1():
    rt, gs = _world(nprocs=1)
    S, Lg = rt._S, rt._L
    _empty_p(rt, 0)
    for j in range(256):
        q.runqput(S, Lg, 0, gs[j], False, True)
    assert q.runqlen(S, 0) == 256 and S[L.S_runqsize] == 0
    q.runqput(S, Lg, 0, gs[256], False, True)
    assert S[L.S_runqsize] == 129, "half the ring (128) plus the new G go global"
    assert q.runqlen(S, 0) == 128
    assert rt.sched.runq == [1000 + i for i in range(128)] + [1256]


def test_runnext_is_stolen_only_when_asked_and_ring_empty():
    rt, gs = _world(nprocs=3)
    S, Lg = rt._S, rt._L
    _empty_p(rt, 1)
    _empty_p(rt, 2)
    q.runqput(S, Lg, 1, gs[0], True, True)
    assert q.runqsteal(S, Lg, 2, 1, False) == L.NIL, "runnext stays unless stealRunNextG"
    assert q.runqsteal(S, Lg, 2, 1, True) == gs[0]
    q.runqput(S, Lg, 1, gs[1], True, True)
    q.runqput(S, Lg, 1, gs[2], False, True)
    assert q.runqsteal(S, Lg, 2, 1, True) == gs[2], "the ring is taken before runnext"
    assert rt.p(1).runnext == 1001


def test_globrunqget_batch_arithmetic():
    """n = min(runqsize, runqsize/gomaxprocs + 1, max, 128)."""
    for nprocs, size, mx in [(1, 10, 0), (2, 10, 0), (4, 10, 0), (2, 600, 0), (3, 7, 1),
                             (1, 300, 0), (8, 1, 0)]:
        rt, gs = _world(nprocs=nprocs)
        S, Lg = rt._S, rt._L
        _empty_p(rt, 0)
        for j in range(size):
            q.globrunqput(S, gs[j])
        g = q.globrunqget(S, Lg, 0, mx, L.W_BATCH)
        want = min(size, size // nprocs + 1, 128)
        if mx:
            want = min(want, mx)
        assert g == gs[0]
        assert q.runqlen(S, 0) == want - 1, (nprocs, size, mx)
        assert S[L.S_runqsize] == size - want


def test_RunStealOrderTest():
    """For 1..64 procs, every start of the random order enumerates each P exactly once, and
    every count >= 3 has at least 2 coprimes."""
    rt = gmplab.Runtime(gomaxprocs=1, log=False)
    S = rt._S
    for n in range(1, 65):
        pr.setcoprimes(S, n)
        k = int(S[L.H_ncoprimes])
        cop = [int(S[int(S[L.H_cpoff]) + i]) for i in range(k)]
        assert cop == [x for x in range(1, n + 1) if math.gcd(x, n) == 1]
        if n >= 3:
            assert k >= 2
        for r in range(n * k + 5):
            pos, inc = r % n, cop[(r // n) % k]
            seen = []
            for _ in range(n):
                seen.append(pos)
                pos = (pos + inc) % n
            assert sorted(seen) == list(range(n)), (n, r)


def test_gfput_gfget_balance_between_local_and_global():
    rt, gs = _world(nprocs=1)
    S = rt._S
    for g in gs[:64]:
        q.gfput(S, rt._L, 0, g)
    assert rt.p(0).gFree == 31 and rt.sched.gFree == 33, "at 64, move until fewer than 32 stay"
    got = {q.gfget(S, rt._L, 0) for _ in range(40)}
    assert len(got) == 40 and L.NIL not in got
    assert table(S, "p")[0, L.P_gfreecnt] + S[L.S_ngfree] == 24
