"""gmplab.runtime.prunq and .atomics on real threads: Go's run-queue tests run concurrently.

Every worker is an ``@njit(nogil=True)`` loop called from its own ``threading.Thread`` -- the
shape of the parallel driver -- over one shared state array ``S`` built by ``gmplab.state``.
Ports of runtime/proc_test.go + export_test.go:

* RunSchedLocalQueueEmptyTest: concurrent put/get never makes ``runqempty`` spuriously true;
* RunSchedLocalQueueStealTest: verbatim on several threads at once, and split so that the thief
  steals while the owner drains concurrently;
* a stress test: one owner produces N Gs, K thieves steal while the owner consumes, every G is
  consumed exactly once, across the uint32 wrap of runqhead/runqtail; and the same stress with a
  thief that commits with a plain store instead of a CAS, which must hand out Gs twice (the test
  can catch the bug);
* futex parking: waiters wake on ``futex_wake``; a timeout returns ``-ETIMEDOUT``.

Sized for a 2-core machine (each test a few seconds). Run also with NUMBA_BOUNDSCHECK=1.
"""
import threading
import time

import numpy as np
import pytest
from numba import njit

from gmplab.runtime import prunq
from gmplab.runtime._jit import core_cache
from gmplab.runtime.atomics import (EAGAIN, ETIMEDOUT, atomic_add, cpu_relax, futex_wait,
                                    futex_wake, load_acquire, os_yield, store_release)
from gmplab.runtime.layout import (H_poff, NIL, NPF, P_runqhead, P_runqtail, P_status, Prunning,
                                   RUNQSIZE)
from gmplab.runtime.prunq import (THROW, runqempty, runqget, runqput, runqsteal)
from gmplab.state import new_state

NEAR_WRAP = 2**32 - 3000   # head/tail start here: the wrap comes within the first rounds
PAD = 8                    # control words 64 bytes apart
READY, DONE, EXITED, BAD, STOLEN, OWNED, THROWS, STOP = (k * PAD for k in range(8))
NCTL = 8 * PAD


def tjit(f):
    """``@njit(nogil=True, cache=True)``, cached in the core's cache folder: that folder is keyed
    by a hash of gmplab/runtime/*.py, so an edit to prunq or atomics recompiles these callers
    (numba's own cache would not notice: numba issue #1833)."""
    with core_cache():
        return njit(nogil=True, cache=True)(f)


def make_state(nprocs, start=NEAR_WRAP):
    S = new_state(16, 4)
    for p in range(nprocs):
        prunq.runq_reset(S, p, start)
    return S


def pbase(S, p):
    return int(S[H_poff]) + p * NPF


def run_threads(targets, timeout=60.0):
    """Run each (fn, args) on its own thread; return their results. Fail (not hang) on timeout."""
    results = [None] * len(targets)
    errors = []

    def body(k, fn, args):
        try:
            results[k] = fn(*args)
        except BaseException as e:  # pragma: no cover - surfaced below
            errors.append(e)

    threads = [threading.Thread(target=body, args=(k, fn, args), daemon=True)
               for k, (fn, args) in enumerate(targets)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "worker threads hung"
    assert not errors, errors
    return results


# --- jitted helpers ---------------------------------------------------------------------------

@tjit
def wait_ge(ctl, i, v):
    """Spin until ctl[i] >= v, then yield the CPU (2 cores: the peer may be descheduled)."""
    k = 0
    while load_acquire(ctl, i) < v:
        k += 1
        if k < 200:
            cpu_relax()
        else:
            os_yield()


@tjit
def barrier(ctl, i, target):
    atomic_add(ctl, i, 1)
    wait_ge(ctl, i, target)


@tjit
def store(ctl, i, v):
    store_release(ctl, i, v)


@tjit
def record(seen, ctl, g):
    if 0 <= g < seen.shape[0]:
        atomic_add(seen, g, 1)
    else:
        atomic_add(ctl, BAD, 1)


# --- RunSchedLocalQueueEmptyTest ----------------------------------------------------------------

@tjit
def empty_owner(S, p, iters, ctl, batch):
    """The test's main goroutine: put G0, meet the checker, put G1, get, wait, get."""
    bad = 0
    for i in range(iters):
        next0 = (i & 1) == 0
        next1 = (i & 2) == 0
        runqput(S, p, 0, next0, batch)
        barrier(ctl, READY, 2 * (i + 1))
        runqput(S, p, 1, next1, batch)
        g1, _ = runqget(S, p)
        wait_ge(ctl, DONE, i + 1)
        g2, _ = runqget(S, p)
        if g1 == NIL or g2 == NIL or g1 == g2 or not runqempty(S, p):
            bad += 1
    return bad


@tjit
def empty_checker(S, p, iters, ctl):
    """The test's spawned goroutine: meet the owner, then runqempty must be false."""
    spurious = 0
    for i in range(iters):
        barrier(ctl, READY, 2 * (i + 1))
        if runqempty(S, p):
            spurious += 1
        atomic_add(ctl, DONE, 1)
    return spurious


def test_runq_empty_concurrent():
    S = make_state(1)
    batch = np.zeros(RUNQSIZE // 2 + 1, np.int64)
    iters = 50_000   # as Go's TestSchedLocalQueueEmpty
    ctl = np.zeros(NCTL, np.int64)
    empty_owner(S, 0, 0, ctl, batch)   # compile before the threads start
    empty_checker(S, 0, 0, ctl)
    bad, spurious = run_threads([(empty_owner, (S, 0, iters, ctl, batch)),
                                 (empty_checker, (S, 0, iters, ctl))])
    assert bad == 0
    assert spurious == 0, f"runqempty spuriously true {spurious} times"
    assert ctl[DONE] == iters
    assert runqempty(S, 0)


# --- RunSchedLocalQueueStealTest ---------------------------------------------------------------

@tjit
def steal_test(S, p1, p2, sig, batch, reps):
    """RunSchedLocalQueueStealTest, ``reps`` times: for i in 0..255 put i Gs on p1, runqsteal
    into p2 (stealRunNextG), drain both; every G seen once and p2 got i/2 or i/2+1."""
    bad = 0
    for _ in range(reps):
        for i in range(RUNQSIZE):
            for j in range(i):
                sig[j] = 0
                runqput(S, p1, j, False, batch)
            s = 0
            g = runqsteal(S, p2, p1, True, True)
            if g != NIL:
                s += 1
                sig[g] += 1
            while True:
                g, _ = runqget(S, p2)
                if g == NIL:
                    break
                s += 1
                sig[g] += 1
            while True:
                g, _ = runqget(S, p1)
                if g == NIL:
                    break
                sig[g] += 1
            for j in range(i):
                if sig[j] != 1:
                    bad += 1
            if s != i // 2 and s != i // 2 + 1:
                bad += 1
    return bad


def test_runq_steal_go_port_on_threads():
    """Go's steal test verbatim, 3 instances at once on disjoint P pairs of one S (near 2**32)."""
    n = 3
    S = make_state(2 * n)
    sigs = [np.zeros(RUNQSIZE, np.int64) for _ in range(n)]
    batches = [np.zeros(RUNQSIZE // 2 + 1, np.int64) for _ in range(n)]
    assert steal_test(S, 0, 1, sigs[0], batches[0], 1) == 0   # compiles; single-threaded run
    res = run_threads([(steal_test, (S, 2 * k, 2 * k + 1, sigs[k], batches[k], 40))
                       for k in range(n)])
    assert res == [0] * n
    for p in range(2 * n):
        assert runqempty(S, p)
        # 40 reps * sum(0..255) puts: both counters went round 2**32
        assert S[pbase(S, p) + P_runqtail] < NEAR_WRAP


@tjit
def split_owner(S, p1, rounds, ctl, sig, batch):
    """Owner half of the concurrent steal test: put i Gs (the last via runnext on odd rounds),
    then drain p1 while the thief steals from it; check every G was taken exactly once."""
    bad = 0
    for r in range(rounds):
        i = r % RUNQSIZE
        for j in range(i):
            sig[j] = 0
            runqput(S, p1, j, (r & 1) == 1 and j == i - 1, batch)
        barrier(ctl, READY, 2 * (2 * r + 1))
        # vary the overlap with the thief; yielding lets it in first when the threads share a core
        if r & 3 == 1:
            os_yield()
        for _ in range(r & 63):
            cpu_relax()
        while True:
            g, _ = runqget(S, p1)
            if g == NIL:
                break
            record(sig, ctl, g)
        barrier(ctl, READY, 2 * (2 * r + 2))
        for j in range(i):
            if sig[j] != 1:
                bad += 1
    return bad


@tjit
def split_thief(S, p2, p1, rounds, ctl, sig):
    stolen = 0
    for r in range(rounds):
        barrier(ctl, READY, 2 * (2 * r + 1))
        g = runqsteal(S, p2, p1, True, True)
        if g != NIL:
            record(sig, ctl, g)
            stolen += 1
            while True:
                g, _ = runqget(S, p2)
                if g == NIL:
                    break
                record(sig, ctl, g)
                stolen += 1
        barrier(ctl, READY, 2 * (2 * r + 2))
    return stolen


def test_runq_steal_concurrent_with_owner():
    S = make_state(2)
    S[pbase(S, 0) + P_status] = Prunning   # runnext steals take the usleep(3) path
    sig = np.zeros(RUNQSIZE, np.int64)
    batch = np.zeros(RUNQSIZE // 2 + 1, np.int64)
    ctl = np.zeros(NCTL, np.int64)
    split_owner(S, 0, 0, ctl, sig, batch)
    split_thief(S, 1, 0, 0, ctl, sig)
    rounds = 6 * RUNQSIZE
    bad, stolen = run_threads([(split_owner, (S, 0, rounds, ctl, sig, batch)),
                               (split_thief, (S, 1, 0, rounds, ctl, sig))])
    assert bad == 0 and ctl[BAD] == 0
    assert stolen > 0
    assert runqempty(S, 0) and runqempty(S, 1)


# --- stress: one owner, K thieves, across the wrap ------------------------------------------------

@tjit
def run_g(seen, ctl, g, work):
    """Consume g (count it) and 'run' it for ``work`` spin-loop hints."""
    record(seen, ctl, g)
    for _ in range(work):
        cpu_relax()


@tjit
def stress_owner(S, p, n, ctl, seen, batch, nthieves, getevery, work, yieldevery):
    """Produce Gs 0..n-1 (every 3rd via runnext) until n or until ctl[STOP] is set; run one
    every ``getevery`` puts; spilled batches count as consumed (the global queue). Yield the CPU
    every ``yieldevery`` puts so that thieves get turns when threads share a core. Then drain
    until every thief has left. Returns how many Gs were produced."""
    barrier(ctl, READY, nthieves + 1)
    produced = n
    for i in range(n):
        if (i & 1023) == 0 and load_acquire(ctl, STOP) != 0:
            produced = i
            break
        r = runqput(S, p, i, i % 3 == 0, batch)
        if r > 0:
            for k in range(r):
                record(seen, ctl, batch[k])
        elif r < 0:      # only the broken thief gets here: "runqputslow: queue is not full"
            atomic_add(ctl, THROWS, 1)
            record(seen, ctl, i)
        if i % getevery == 0:
            g, _ = runqget(S, p)
            if g != NIL:
                atomic_add(ctl, OWNED, 1)
                run_g(seen, ctl, g, work)
        if i % yieldevery == yieldevery - 1:
            os_yield()
    store_release(ctl, DONE, 1)
    k = 0
    while load_acquire(ctl, EXITED) < nthieves or not runqempty(S, p):
        g, _ = runqget(S, p)
        if g != NIL:
            run_g(seen, ctl, g, work)
        else:
            k += 1
            if k % 64 == 0:
                os_yield()
            else:
                cpu_relax()
    return produced


@tjit
def stress_thief(S, p, victim, ctl, seen, cas_head, nthieves, work, idleyield):
    """Steal from ``victim`` (runnext included) and run what was stolen, until the owner is
    done and the victim is empty. Yield the CPU every ``idleyield`` failed steals."""
    barrier(ctl, READY, nthieves + 1)
    k = 0
    while True:
        g = runqsteal(S, p, victim, True, cas_head)
        if g >= 0:
            atomic_add(ctl, STOLEN, 1)
            run_g(seen, ctl, g, work)
            while True:
                g, _ = runqget(S, p)
                if g == NIL:
                    break
                atomic_add(ctl, STOLEN, 1)
                run_g(seen, ctl, g, work)
        elif g == THROW:
            atomic_add(ctl, THROWS, 1)
        else:
            if load_acquire(ctl, DONE) == 1 and runqempty(S, victim):
                break
            k += 1
            if k % idleyield == 0:
                os_yield()
            else:
                cpu_relax()
    atomic_add(ctl, EXITED, 1)
    return 0


def run_stress(n, nthieves, cas_head, budget_s=8.0, getevery=2, work=8, thiefwork=16,
               yieldevery=1024, idleyield=64):
    """Owner on P0, thieves on P1..; returns (S, seen, ctl, produced). After ``budget_s`` the
    owner is told to stop producing, so that a loaded machine (where every sched_yield may cost a
    scheduler tick) bounds the test's time rather than failing it. The defaults let both the
    owner's runqget and the thieves' runqgrab take a good share of the Gs (tuned on 2 cores)."""
    S = make_state(1 + nthieves)
    S[pbase(S, 0) + P_status] = Prunning
    seen = np.zeros(n, np.int64)
    batch = np.zeros(RUNQSIZE // 2 + 1, np.int64)
    ctl = np.zeros(NCTL, np.int64)
    # compile first (n=0 and the barrier already passed: everyone returns at once)
    ctl[READY], ctl[DONE] = 10, 1
    stress_thief(S, 1, 0, ctl, seen, cas_head, 1, thiefwork, idleyield)
    stress_owner(S, 0, 0, ctl, seen, batch, 1, getevery, work, yieldevery)
    store(ctl, STOP, 0)
    ctl[:] = 0
    timer = threading.Timer(budget_s, lambda: store(ctl, STOP, 1))
    timer.start()
    try:
        res = run_threads([(stress_owner, (S, 0, n, ctl, seen, batch, nthieves, getevery, work,
                                           yieldevery))]
                          + [(stress_thief, (S, 1 + k, 0, ctl, seen, cas_head, nthieves,
                                             thiefwork, idleyield))
                             for k in range(nthieves)], timeout=budget_s + 30.0)
    finally:
        timer.cancel()
    return S, seen, ctl, res[0]


@pytest.mark.parametrize("nthieves", [1, 2])
def test_runq_stress_exactly_once_across_wrap(nthieves):
    n = 2_000_000
    S, seen, ctl, produced = run_stress(n, nthieves, cas_head=True)
    assert produced > 100_000, f"only {produced} Gs in the time budget"
    assert ctl[THROWS] == 0, "a throw() fired"
    assert ctl[BAD] == 0
    dups = int((seen > 1).sum())
    lost = int((seen[:produced] == 0).sum())
    assert dups == 0 and lost == 0, f"{dups} Gs consumed twice, {lost} lost"
    assert seen.sum() == produced
    assert ctl[STOLEN] > 0 and ctl[OWNED] > 0, "owner and thieves did not both consume"
    for p in range(1 + nthieves):
        assert runqempty(S, p)
    b0 = pbase(S, 0)
    assert S[b0 + P_runqtail] < NEAR_WRAP, "the owner's queue did not wrap"
    assert S[b0 + P_runqhead] == S[b0 + P_runqtail]


def test_runq_stress_broken_thief_is_caught():
    """Thieves that commit runqhead with a plain store instead of a CAS must hand out Gs twice:
    proof that the exactly-once stress above can see the bug."""
    found = []
    deadline = time.monotonic() + 15.0
    while time.monotonic() < deadline:
        nthieves = 2 if len(found) % 2 == 0 else 1
        S, seen, ctl, produced = run_stress(500_000, nthieves, cas_head=False, budget_s=4.0)
        dups = int((seen > 1).sum())
        found.append((nthieves, produced, dups, int((seen[:produced] == 0).sum()),
                      int(ctl[THROWS]), int(ctl[BAD])))
        if dups > 0:
            break
    assert found[-1][2] > 0, f"broken thieves never produced a duplicate: {found}"


# --- futex parking ------------------------------------------------------------------------------

@tjit
def park(word, parked, timeout_ns):
    """notesleep: announce, then sleep while word == 0; return the last futex_wait result."""
    atomic_add(parked, 0, 1)
    r = 0
    while load_acquire(word, 0) == 0:
        r = futex_wait(word, 0, 0, timeout_ns)
        if r == -ETIMEDOUT:
            break
    return r


@tjit
def unpark(word, n):
    """notewakeup: set the word, then wake up to n sleepers."""
    store_release(word, 0, 1)
    return futex_wake(word, 0, n)


@pytest.mark.parametrize("dtype", [np.int64, np.uint32])
def test_futex_wake_wakes_parked_threads(dtype):
    k = 3
    word = np.zeros(1, dtype)
    parked = np.zeros(1, np.int64)
    assert unpark(np.ones(1, dtype), 1) == 0   # compiles; nobody to wake
    t0 = time.monotonic()
    results = []
    threads = []
    for _ in range(k):
        out = []
        results.append(out)
        threads.append(threading.Thread(target=lambda out=out: out.append(
            park(word, parked, 10**10)), daemon=True))
    for t in threads:
        t.start()
    while parked[0] < k:
        time.sleep(0.001)
    time.sleep(0.05)          # let them reach the kernel
    woken = unpark(word, k)
    for t in threads:
        t.join(5.0)
    assert not any(t.is_alive() for t in threads)
    assert time.monotonic() - t0 < 5.0          # nobody slept out the 10 s timeout
    assert 1 <= woken <= k
    assert all(r[0] in (0, -EAGAIN) for r in results), results


def test_futex_wait_timeout_and_mismatch():
    word = np.zeros(4, np.int64)
    parked = np.zeros(1, np.int64)
    park(word, parked, 1000)                     # compile
    t0 = time.perf_counter()
    assert park(word, parked, 20_000_000) == -ETIMEDOUT
    dt = time.perf_counter() - t0
    assert 0.019 <= dt < 1.0, dt

    @njit(nogil=True)
    def wait_on(w, i, v, t):
        return futex_wait(w, i, v, t)

    word[1] = 5
    assert wait_on(word, 1, 6, 10**9) == -EAGAIN    # the word no longer holds 6: at once
    word[2] = (7 << 32) | 5                          # the futex word is the low 32 bits
    t0 = time.perf_counter()
    assert wait_on(word, 2, 5, 5_000_000) == -ETIMEDOUT
    assert time.perf_counter() - t0 >= 0.004
