"""Go's fatal errors as Go prints them: after "fatal error: all goroutines are asleep -
deadlock!" every goroutine, with its wait reason (runtime2.go's waitReasonStrings), as
traceback.go's goroutineheader writes it — on the virtual clock and on real threads."""
import re

import pytest

import gmplab
from gmplab.ops import go, lock_os_thread, recv, send, wait, work

HEADER = re.compile(r"^goroutine (\d+) \[([^\]]+)\]:$")


def _program(rt, long="2m"):
    c, d = rt.chan(), rt.chan(1)
    rt.main(recv(c))                              # main waits on c for ever
    rt.go(work(long), lock_os_thread(), send(d), send(d))   # the 2nd send finds d full
    rt.go(go(recv(c)), wait())                    # a child that waits, and its parent
    return c, d


def _headers(text):
    return [m.groups() for m in map(HEADER.match, text.splitlines()) if m]


def test_deadlock_lists_every_goroutine_with_its_wait_reason():
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    _program(rt)
    with pytest.raises(gmplab.Deadlock) as e:
        rt.run()
    err = e.value
    text = str(err)
    assert err.fatal == "fatal error: all goroutines are asleep - deadlock!"
    assert text.startswith(err.fatal + "\n\ngoroutine 1 [")
    # G1, G3 and G4 parked at t≈0; G2 finds d full after its 2 minutes of work
    assert _headers(text) == [("1", "chan receive, 2 minutes"),
                              ("2", "chan send, locked to thread"),
                              ("3", "sync.WaitGroup.Wait, 2 minutes"),
                              ("4", "chan receive, 2 minutes")]
    assert [g.goid for g in err.goroutines] == sorted(rt.goids())
    by = {g.goid: g for g in err.goroutines}
    assert by[2].op == "send(<chan1 cap=1>)" and by[2].locked and by[2].creator == 1
    assert by[4].op == "recv(<chan0 cap=0>)" and by[4].creator == 3
    assert by[1].creator is None and by[1].waitminutes == 2
    # each block reads like Go's: header, the op it stands in (Go: the stack), who started it
    assert ("\n\ngoroutine 4 [chan receive, 2 minutes]:\n\trecv(<chan0 cap=0>)\n"
            "created by goroutine 3") in text
    assert rt.finished == err.fatal           # the runtime's one-line reason stays one line
    with pytest.raises(ValueError, match=r"finished \(fatal error: all goroutines are asleep"):
        rt.run()


def test_deadlock_on_real_threads_lists_the_goroutines_too():
    rt = gmplab.ParallelRuntime(gomaxprocs=2)
    _program(rt, long="1ms")
    with pytest.raises(gmplab.Deadlock) as e:
        rt.run(timeout=30)
    # G3's child takes its goid from the batch of whichever P runs G3 (4 on P0, 17 on P1):
    # which P that is, the OS decides
    heads = _headers(str(e.value))
    assert heads[:3] == [("1", "chan receive"), ("2", "chan send, locked to thread"),
                         ("3", "sync.WaitGroup.Wait")]
    assert len(heads) == 4 and heads[3][1] == "chan receive"
    child = [g for g in e.value.goroutines if g.goid not in (1, 2, 3)]
    assert len(child) == 1 and child[0].creator == 3 and child[0].goid in (4, 17)


def test_goroutine_header_is_gos():
    g = gmplab.Goroutine(7, "sleep", 3, True, "sleep('1h')", 1)
    assert g.header == "goroutine 7 [sleep, 3 minutes, locked to thread]:"
    assert str(gmplab.Goroutine(1, "runnable", 0, False, "work('1ms')", None)) == \
        "goroutine 1 [runnable]:\n\twork('1ms')"
