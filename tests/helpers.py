"""Small helpers shared by the core's tests."""
import gmplab
from gmplab.invariants import check


def fns(events):
    return [e.fn for e in events]


def run_checked(rt, max_steps=100_000):
    """Step rt to the end, checking the invariants after every step."""
    for _ in range(max_steps):
        if rt.finished:
            return
        rt.step()
        bad = check(rt)
        assert not bad, f"t={rt.now}: {bad}"
    raise AssertionError("program did not finish")


def subseq(seq, wanted):
    """True if ``wanted`` appears in ``seq`` in order (not necessarily adjacent)."""
    it = iter(seq)
    return all(any(x == w for x in it) for w in wanted)
