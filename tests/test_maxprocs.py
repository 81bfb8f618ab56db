"""gmplab.maxprocs: Go's default GOMAXPROCS (cgroup_linux.go's defaultGOMAXPROCS)."""
import pytest

from gmplab.maxprocs import adjustCgroupGOMAXPROCS, defaultGOMAXPROCS, parse_cpu_max, this_machine


@pytest.mark.parametrize("ncpu, cpu_max, want", [
    (64, "150000 100000", 2),     # 1.5 CPUs: rounded up to 2
    (64, "50000 100000", 2),      # half a CPU: at least 2
    (8, "320000 100000", 4),      # 3.2 → 4
    (16, "800000 100000", 8),
    (4, "800000 100000", 4),      # the limit is above the CPU count: the CPU count
    (4, "max 100000", 4),         # no limit
    (1, "50000 100000", 1),       # never more than the CPUs: min(1, 2)
    (6, None, 6),
])
def test_go125_default(ncpu, cpu_max, want):
    assert defaultGOMAXPROCS(ncpu, cpu_max) == want


def test_go124_default_is_the_cpu_count():
    assert defaultGOMAXPROCS(64, "150000 100000", go="1.24") == 64


def test_adjust_takes_a_number_of_cpus():
    assert adjustCgroupGOMAXPROCS(32, 2.5) == 3
    assert adjustCgroupGOMAXPROCS(32, None) == 32


@pytest.mark.parametrize("bad", ["", "100000", "abc 100000", "0 100000", "-5 100000",
                                 "100000 0", "1 2 3"])
def test_bad_cpu_max_is_refused_by_name(bad):
    with pytest.raises(ValueError, match="cpu.max"):
        parse_cpu_max(bad)


@pytest.mark.parametrize("bad", [0, -1, 2.0, True, "4"])
def test_bad_ncpu_is_refused(bad):
    with pytest.raises(ValueError, match="ncpu"):
        defaultGOMAXPROCS(bad)


def test_bad_go_version_is_refused():
    with pytest.raises(ValueError, match="1.24"):
        defaultGOMAXPROCS(4, go="1.26")


def test_this_machine(tmp_path):
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    ncpu, text, old, new = this_machine(tmp_path)
    assert text == "150000 100000" and old == ncpu and new == min(ncpu, 2)
    ncpu, text, old, new = this_machine(tmp_path / "nowhere")
    assert text is None and old == new == ncpu
