"""gmplab: Go's GMP scheduler (proc.go, ≤1.25) on a numba-jitted core, for learning.

    import gmplab
    from gmplab.ops import work, syscall, go, wait
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    rt.go(work("1ms"), syscall("5ms"))
    rt.run()
    print(rt.events.text())

``gmplab.Playground`` (the ipywidgets UI, :mod:`gmplab.widgets`) is imported on first use, so
that ``import gmplab`` needs neither ipywidgets nor matplotlib.
"""
from . import ops, progress
from .errors import Deadlock, GoFatal, Goroutine, RunTimeout, RuntimeBug, ThreadExhaustion
from .parallel import ParallelRuntime
from .rt import Chan, Runtime

__all__ = ["Runtime", "ParallelRuntime", "Chan", "Deadlock", "ThreadExhaustion", "GoFatal",
           "RuntimeBug", "RunTimeout", "Goroutine", "ops", "Playground"]
__version__ = "0.1.0"

progress.install()   # a cold cache's compile shows a progress bar, in a notebook too


def __getattr__(name):
    """PEP 562: ``gmplab.Playground`` loads gmplab.widgets (ipywidgets, matplotlib) lazily."""
    if name == "Playground":
        from .widgets import Playground
        return Playground
    raise AttributeError(f"module 'gmplab' has no attribute {name!r}")
