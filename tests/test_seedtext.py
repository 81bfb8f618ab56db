"""gmplab.seedtext: the seed text's structs against go1.25.3 (lesson 01), and the g.sched view."""
import pytest

import gmplab
from gmplab.seedtext import GONE, NOT_MODELLED, SEED_STRUCTS, seed_fields, seed_report
from gmplab.ops import work


def test_gobuf_has_go125_fields_and_no_ret():
    rt = gmplab.Runtime(gomaxprocs=1, seed=0)
    g = rt.g(rt.go(work("1us")))
    buf = g.sched
    assert [getattr(buf, f) is not None for f in ("sp", "pc", "g", "ctxt", "lr", "bp")] == [True] * 6
    assert not hasattr(buf, "ret"), "go1.25.3's gobuf has no ret"
    assert buf.g == g.goid and buf.pc == g.startpc
    assert g.stack["lo"] < buf.sp < g.stack["hi"]


def test_seed_fields_say_what_each_view_has():
    for struct in SEED_STRUCTS:
        for field, seed, change, now, inview in seed_fields(struct):
            assert change in ("kept", "retyped", "renamed", "gone")
            if change == "gone":
                assert not inview and f"{struct}.{field}" in GONE
            elif not inview:
                assert f"{struct}.{field}" in NOT_MODELLED, f"{struct}.{field}: say why it is left out"
    got = {f: inview for f, *_, inview in seed_fields("p")}
    assert got["runnext"] and got["schedtick"] and not got["mcache"] and not got["lock"]
    assert {f: c for f, _, c, *_ in seed_fields("m")}["mcache"] == "gone"


def test_seed_report_lists_changes():
    text = seed_report("gobuf")
    assert "gone:        ret" in text and "in gmplab's view: sp pc g ctxt lr bp" in text
    assert "renamed:     racectx → raceprocctx" in seed_report("p")


def test_unknown_struct_is_refused_by_name():
    with pytest.raises(ValueError, match="'schedt'.*g, gobuf, m, p"):
        seed_fields("schedt")
