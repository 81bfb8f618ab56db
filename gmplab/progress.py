"""What the learner sees while numba compiles the core: a line saying what is happening and how
long it takes, then a progress bar over the core's kernels (tqdm), on stdout.

numba compiles a kernel the first time it is called and keeps the machine code in its cache
(gmplab.runtime._jit.cache_dir); only a cold cache (a new version of the core, a fresh machine)
compiles. ``python3 -m gmplab warm`` (and ``gmplab lab``) do it ahead with this bar; a notebook
whose first Runtime meets a cold cache shows the same bar in its cell, because ``import gmplab``
installs :func:`install`. Nothing is printed when everything loads from the cache.
"""
import sys
import time

from numba.core import event

#: measured from an empty cache: gmplab warm compiles 142-147 kernels in 54-75 s of CPU on the
#: 2-core machine (benchmarks/bench_compile.py; the wall time is longer while the cores are busy)
SECONDS_PER_KERNEL = 0.4
BANNER = ("gmplab: numba is compiling the scheduler core into its cache ({n} kernel{s}, {est}; "
          "once per version of gmplab, later imports load it in under a second)")


def estimate(n):
    """How long compiling n kernels takes, in words."""
    secs = n * SECONDS_PER_KERNEL
    if secs >= 45:
        return f"about {'a minute' if secs < 90 else f'{round(secs / 60)} minutes'} on 2 free cores"
    return "a few seconds" if secs < 10 else f"about {round(secs, -1):.0f} s"


def _ours(ev):
    d = ev.data.get("dispatcher") if isinstance(ev.data, dict) else None
    mod = getattr(getattr(d, "py_func", None), "__module__", "") or ""
    return mod.startswith("gmplab.")


class CompileProgress(event.Listener):
    """A numba ``numba:compile`` listener: at the first compile of a gmplab kernel it prints
    ``BANNER``, then a tqdm bar over the kernels the cache lacks advances with each compiled
    kernel (its name beside the bar). The bar closes when the outermost compile ends, unless
    ``hold`` is set (``gmplab warm``: one bar for the whole scenario; :meth:`close` ends it); a
    later compile reopens it where it stopped. A compile shorter than ``delay`` seconds shows
    no bar. ``file``: where to write (default: the sys.stdout of the moment, so a notebook
    shows it in the running cell)."""

    def __init__(self, file=None, total=None, match=_ours, delay=1.0):
        self.file = file
        self.total = total
        self.match = match
        self.delay = delay
        self.hold = False
        self.bar = None
        self.depth = 0
        self.done = 0
        self.t0 = None

    def _out(self):
        return self.file or sys.stdout

    def _open(self):
        from tqdm import tqdm
        if self.total is None:
            from .runtime._jit import uncompiled
            self.total = max(len(uncompiled()), 1)
        out = self._out()
        if self.t0 is None:
            self.t0 = time.perf_counter()
            print(BANNER.format(n=self.total, s="" if self.total == 1 else "s",
                                est=estimate(self.total)), file=out, flush=True)
        live = out.isatty() if hasattr(out, "isatty") else False
        notebook = "ipykernel" in sys.modules
        self.bar = tqdm(total=max(self.total, self.done), initial=self.done, file=out,
                        desc="compiling", unit=" kernels", dynamic_ncols=live,
                        ncols=None if live else 88, leave=True, delay=self.delay,
                        mininterval=0.2 if live or notebook else 15)

    def on_start(self, ev):
        if not self.match(ev):
            return
        if self.bar is None:
            self._open()
        self.depth += 1

    def on_end(self, ev):
        if not self.match(ev) or self.bar is None:
            return
        self.depth = max(self.depth - 1, 0)
        self.done += 1
        if self.done > self.bar.total:
            self.bar.total = self.done
        self.bar.set_postfix_str(ev.data["dispatcher"].py_func.__name__, refresh=False)
        self.bar.update(1)
        if self.depth == 0 and not self.hold:
            self.close()

    def close(self, complete=False):
        """End the bar (``complete``: the work is done, show it full)."""
        if self.bar is not None:
            if complete:
                self.bar.total = self.bar.n
            self.bar.set_postfix_str("", refresh=False)
            self.bar.close()
            self.bar = None

    @property
    def elapsed(self):
        """Seconds since the first compile (None if nothing compiled)."""
        return None if self.t0 is None else time.perf_counter() - self.t0


_installed = None


def install():
    """Show progress whenever this process compiles a gmplab kernel (once per process)."""
    global _installed
    if _installed is None:
        _installed = CompileProgress()
        event.register("numba:compile", _installed)
    return _installed
