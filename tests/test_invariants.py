"""Property tests: random programs and actions; the scheduler's invariants hold after every
step (every G in one place, one M per P and one G per M, running Gs <= GOMAXPROCS, ring bounds,
counters agree with the lists)."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gmplab
from gmplab import ops
from gmplab.invariants import check

dur = st.sampled_from([0, 500, "2us", "20us", "150us", "1ms", "12ms"])
leaf = st.one_of(
    dur.map(ops.work), dur.map(ops.syscall), dur.map(ops.syscall_block), dur.map(ops.sleep),
    dur.map(ops.netread), st.just(ops.gosched()),
    st.just(ops.lock_os_thread()), st.just(ops.unlock_os_thread()))
body = st.recursive(
    st.lists(leaf, min_size=1, max_size=4),
    lambda inner: st.lists(st.one_of(
        leaf, inner.map(lambda b: ops.go(*b)),
        st.tuples(st.integers(0, 3), inner).map(lambda t: ops.loop(t[0], *t[1])),
        inner.map(lambda b: ops.go(*b, ops.wait()))), min_size=1, max_size=4),
    max_leaves=12)
action = st.one_of(
    st.tuples(st.just("step"), st.integers(1, 30)),
    st.tuples(st.just("go"), body),
    st.tuples(st.just("gomaxprocs"), st.integers(1, 5)),
    st.tuples(st.just("syscall"), st.integers(0, 6)),
    st.tuples(st.just("gosched"), st.integers(0, 6)),
    st.tuples(st.just("chanpair"), st.integers(0, 3)))


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(nprocs=st.integers(1, 5), seed=st.integers(0, 2**32 - 1),
       programs=st.lists(body, min_size=1, max_size=5), actions=st.lists(action, max_size=12))
def test_invariants_hold_after_every_step(nprocs, seed, programs, actions):
    rt = gmplab.Runtime(gomaxprocs=nprocs, seed=seed)
    for b in programs:
        rt.go(*b)
    assert check(rt) == []
    for kind, arg in actions:
        if rt.finished:
            break
        if kind == "step":
            for _ in range(arg):
                if rt.finished:
                    break
                rt.step()
                assert check(rt) == [], rt.schedtrace(True)
        elif kind == "go":
            rt.go(*arg)
        elif kind == "gomaxprocs":
            rt.gomaxprocs(arg)
        elif kind == "chanpair":
            c = rt.chan(arg)
            rt.go(ops.loop(3, ops.send(c)))
            rt.go(ops.loop(3, ops.recv(c)))
        elif arg < rt.mcount() and rt.m(arg).curg is not None and rt.m(arg).state == "running":
            if kind == "syscall":
                rt.entersyscall(arg, "300us")
            else:
                rt.gosched(arg)
        assert check(rt) == [], (kind, arg, rt.schedtrace(True))
    steps = 0
    while not rt.finished and steps < 20_000:
        rt.step()
        steps += 1
        if steps % 7 == 0:
            assert check(rt) == [], rt.schedtrace(True)
    assert rt.finished and rt.finished.startswith("main returned"), rt.finished
