"""The start-up lines of the event log say what Go does (issue #15): m0 is not made by newm,
and sysmon's M never holds a P."""
import gmplab


def test_m0_and_sysmon_lines():
    ev = gmplab.Runtime(gomaxprocs=1, seed=0).events
    m0 = ev.where(fn="newm")[0]
    assert m0.text.startswith("schedinit: M0 is m0") and "not newm" in m0.text
    sysmon = ev.where(fn="newm")[1]
    assert sysmon.text == "newm: new OS thread M1, started without a P (threads=2)"
    assert "no P yet" not in ev.text()
