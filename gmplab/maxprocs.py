"""The default GOMAXPROCS, as Go computes it (lesson 11, notebooks/11_gomaxprocs.ipynb).

    from gmplab.maxprocs import defaultGOMAXPROCS, this_machine
    defaultGOMAXPROCS(64, cpu_max="150000 100000")   # 2: a 1.5-CPU container on a 64-CPU host
    this_machine()                                    # what Go 1.25 would pick here, and why

Until Go 1.24 the default is the number of CPUs the process may run on (``getCPUCount``:
``sched_getaffinity`` on Linux). Go 1.25 (``runtime/cgroup_linux.go``, ``defaultGOMAXPROCS``
and ``adjustCgroupGOMAXPROCS``) also reads the cgroup's CPU bandwidth limit, quota/period (v2:
the file ``cpu.max``, "max 100000" when unlimited), rounds it up, raises it to at least 2, and
takes the smaller of the two. The environment variable GOMAXPROCS, or a call to
runtime.GOMAXPROCS, overrides it; otherwise sysmon recomputes it about once a second
(``sysmonUpdateGOMAXPROCS``) and changes GOMAXPROCS if the limit or the CPU set changed.
GODEBUG=containermaxprocs=0 and updatemaxprocs=0 turn the two behaviours off.
"""
import math
import os
from pathlib import Path

__all__ = ["defaultGOMAXPROCS", "adjustCgroupGOMAXPROCS", "parse_cpu_max", "this_machine"]


def parse_cpu_max(text):
    """The CPU limit in a cgroup v2 ``cpu.max`` file ("QUOTA PERIOD" in µs, or "max PERIOD"),
    as a number of CPUs (quota/period), or None when unlimited. Raises ValueError naming the
    text when it is not that format."""
    parts = str(text).split()
    if len(parts) != 2:
        raise ValueError(f"cpu.max {text!r}: expected 'QUOTA PERIOD' or 'max PERIOD', e.g. "
                         "'150000 100000'")
    quota, period = parts
    try:
        period = int(period)
        quota = None if quota == "max" else int(quota)
    except ValueError:
        raise ValueError(f"cpu.max {text!r}: QUOTA is an integer or 'max', PERIOD an "
                         "integer") from None
    if period <= 0 or (quota is not None and quota <= 0):
        raise ValueError(f"cpu.max {text!r}: quota and period must be positive")
    return None if quota is None else quota / period


def adjustCgroupGOMAXPROCS(procs, limit):
    """adjustCgroupGOMAXPROCS: lower ``procs`` to the cgroup CPU limit (a number of CPUs, or
    None for none), rounded up and at least 2: ``limit = max(ceil(limit), 2); if limit <
    procs { procs = limit }``."""
    if limit is None:
        return procs
    lim = max(math.ceil(limit), 2)
    return lim if lim < procs else procs


def defaultGOMAXPROCS(ncpu, cpu_max=None, go="1.25"):
    """The GOMAXPROCS Go picks when neither the GOMAXPROCS variable nor runtime.GOMAXPROCS
    set it: ``ncpu`` (the CPUs the process may use), lowered by Go 1.25 and later to the
    cgroup limit ``cpu_max`` (the text of cpu.max, or a number of CPUs). ``go="1.24"`` gives
    the older rule, the CPU count alone."""
    if isinstance(ncpu, bool) or not isinstance(ncpu, int) or ncpu < 1:
        raise ValueError(f"ncpu must be an int >= 1 (the CPUs the process may use), not {ncpu!r}")
    if go not in ("1.24", "1.25"):
        raise ValueError(f"go={go!r}: use '1.24' (CPU count) or '1.25' (cgroup-aware)")
    if go == "1.24" or cpu_max is None:
        return ncpu
    limit = parse_cpu_max(cpu_max) if isinstance(cpu_max, str) else float(cpu_max)
    return adjustCgroupGOMAXPROCS(ncpu, limit)


def this_machine(cgroup_root="/sys/fs/cgroup"):
    """What this machine tells Go: (ncpu, cpu.max text or None, default for Go 1.24, for
    Go 1.25). The values vary by machine; lessons print them as an aside."""
    try:
        ncpu = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        ncpu = os.cpu_count() or 1
    path = Path(cgroup_root) / "cpu.max"
    try:
        text = path.read_text().strip()
        parse_cpu_max(text)
    except (OSError, ValueError):
        text = None
    return ncpu, text, defaultGOMAXPROCS(ncpu, go="1.24"), defaultGOMAXPROCS(ncpu, text)
