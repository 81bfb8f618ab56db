"""gmplab.runtime: the jitted scheduler core (see DESIGN.md: one core, two drivers).

Modules, in dependency order: ``layout`` (state layout and Go's constants), ``base`` (row
addressing, event log, heaps), ``queues`` (runq, global queue, idle lists, free lists),
``proc`` (schedule, findRunnable, syscalls, wakep/startm/stopm/handoffp ...), ``chan``,
``sysmon``, ``procresize``, ``engine`` (the virtual-clock loop and the G interpreter) and
``threads`` (the parallel driver's OS-thread loop).
"""
from ._jit import core_cache

with core_cache():
    from . import layout  # noqa: F401
    from . import base, queues, proc, chan, sysmon, procresize, engine, threads  # noqa: F401
