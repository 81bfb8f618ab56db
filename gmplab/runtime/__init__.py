"""gmplab.runtime: the jitted scheduler core (see DESIGN.md: one core, two drivers).

Modules, in dependency order: ``layout`` (state layout and Go's constants), ``base`` (row
addressing, event log, heaps), ``queues`` (runq, global queue, idle lists, free lists),
``proc`` (schedule, findRunnable, syscalls, wakep/startm/stopm/handoffp ...), ``chan``,
``sysmon``, ``procresize`` and ``engine`` (the virtual-clock loop and the G interpreter).
"""
from ._jit import core_cache

with core_cache():
    from . import layout  # noqa: F401
    from . import base, queues, proc, chan, sysmon, procresize, engine  # noqa: F401
