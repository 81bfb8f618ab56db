"""The core as plain Python, with some of its functions replaced: what a plug-in run executes.

Every kernel of :mod:`gmplab.runtime` is a numba dispatcher that keeps its Python function
(``py_func``). :class:`PlainCore` makes a new function object from each one's code, with a
globals dict per core module in which every kernel name maps to its plain-Python twin, every
atomic to its single-threaded meaning (:mod:`gmplab.runtime.atomics_plain`) and every imported
core module to a stand-in whose attributes are those twins. A kernel listed in ``replace`` maps,
everywhere it is called from, to the given Python function instead. The jitted kernels are not
touched: a run without plug-ins is as fast, and its log as byte-identical, as before.

The twins make the same decisions as the jitted core: ``tests/test_differential.py`` proves it
for the whole core (NUMBA_DISABLE_JIT), ``tests/test_plugins.py`` for these twins.

Nothing here knows the kernel set: it is read from the modules, so kernels added to or changed
in the core are picked up as they are.
"""
import sys
import types

from numba.core.registry import CPUDispatcher

import gmplab.runtime  # noqa: F401  (loads every core module, compiled or from the cache)
from gmplab.runtime import atomics as _atomics
from gmplab.runtime import atomics_plain as _atomics_plain

_PKG = "gmplab.runtime."


def core_modules():
    """The modules of the jitted core, by short name ("queues", "proc", ...)."""
    out = {}
    for name, mod in sorted(sys.modules.items()):
        if name.startswith(_PKG) and mod is not None and mod is not _atomics_plain:
            out[name[len(_PKG):]] = mod
    return out


def kernel(key):
    """The jitted kernel named ``"module.name"`` (e.g. ``"queues.runqput"``)."""
    mod, _, name = key.partition(".")
    mods = core_modules()
    obj = getattr(mods.get(mod), name, None) if mod in mods else None
    if not isinstance(obj, CPUDispatcher):
        raise KeyError(f"{key!r} is not a kernel of gmplab.runtime")
    return obj


class Module:
    """A core module's stand-in: its attributes are the names of one PlainCore's globals."""

    def __init__(self, name, namespace):
        self.__dict__ = namespace
        namespace.setdefault("__stand_in_for__", name)

    def __repr__(self):
        return f"<plain {self.__dict__['__stand_in_for__']}>"


class PlainCore:
    """The whole core as plain Python, ``replace`` mapping kernel keys ("queues.runqput") to
    the Python functions that stand in for them. ``core.queues.runqput`` is what every caller of
    that kernel calls in this core; ``core.builtin("queues.runqput")`` is the kernel's own
    plain-Python twin, whatever stands in for it."""

    def __init__(self, replace=None):
        replace = dict(replace or {})
        mods = core_modules()
        self._globals = {short: {} for short in mods}
        twins = {}     # id(dispatcher) -> plain function
        self._builtin = {}
        for short, mod in mods.items():
            for name, obj in vars(mod).items():
                if (isinstance(obj, CPUDispatcher) and obj.py_func.__module__ == mod.__name__
                        and id(obj) not in twins):
                    f = obj.py_func
                    twin = types.FunctionType(f.__code__, self._globals[short], f.__name__,
                                              f.__defaults__, f.__closure__)
                    twin.__qualname__ = f.__qualname__
                    twins[id(obj)] = twin
                    self._builtin[f"{short}.{name}"] = twin
        bound = dict(twins)
        for key, fn in replace.items():
            bound[id(kernel(key))] = fn
        plain_atomics = {id(getattr(_atomics, n)): getattr(_atomics_plain, n)
                         for n in _atomics_plain.__all__}
        stand_ins = {id(mod): Module(short, self._globals[short]) for short, mod in mods.items()}
        for short, mod in mods.items():
            g = self._globals[short]
            for name, obj in vars(mod).items():
                k = id(obj)
                g[name] = (bound[k] if k in bound else plain_atomics[k] if k in plain_atomics
                           else stand_ins[k] if k in stand_ins else obj)
        for short in mods:
            setattr(self, short, stand_ins[id(mods[short])])

    def builtin(self, key):
        """The plain-Python twin of kernel ``key``, never a replacement."""
        return self._builtin[key]

    def kernels(self):
        """Every kernel key of the core."""
        return sorted(self._builtin)
