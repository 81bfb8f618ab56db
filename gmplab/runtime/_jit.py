"""One place for the core's JIT options (as stumpy keeps its config in one module).

Every kernel of the core is ``@jit``: ``nopython``, ``nogil`` (the parallel driver runs them on
real threads) and ``cache=True``. numba's cache does not notice edits in *other* modules that a
cached function calls (numba issue #1833), so the cache lives in a folder named after a hash of
all the core's sources: any edit to the core starts a fresh cache.
"""
import hashlib
import os
import pathlib

import numba
from numba import njit
from numba.core import types

_HERE = pathlib.Path(__file__).resolve().parent


def _source_hash():
    h = hashlib.sha256(numba.__version__.encode())
    for f in sorted(_HERE.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def cache_dir():
    """The folder of numba's cache for this exact version of the core."""
    base = os.environ.get("GMPLAB_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "gmplab")
    return os.path.join(base, "numba-" + _source_hash())


class core_cache:
    """Context manager: kernels decorated inside it cache into :func:`cache_dir`."""

    def __enter__(self):
        self._old = numba.config.CACHE_DIR
        path = cache_dir()
        try:
            os.makedirs(path, exist_ok=True)
            numba.config.CACHE_DIR = path
        except OSError:  # read-only home: fall back to numba's default locations
            pass
        return self

    def __exit__(self, *exc):
        numba.config.CACHE_DIR = self._old
        return False


def _njit(**kw):
    # The core allocates nothing, so it runs without numba's reference counting (_nrt=False):
    # 1.5x faster on the scheduler's hot path, where every call passes the state array.
    # The flag is not part of numba's documented API; fall back to the default if it goes.
    try:
        d = njit(_nrt=False, **kw)
        d(lambda x: x)
        return d
    except Exception:  # pragma: no cover - depends on the numba version
        return njit(**kw)


def _types_not_values(dispatcher):
    """Make calls from other kernels compile ``dispatcher`` once per argument *types*, not once
    per constant *value*. numba types a constant argument as ``Literal[int](19)`` and compiles a
    specialisation for each distinct constant: ``emit(S, L, F_newm, W_NONE, ...)`` had 91 of
    them, and repeated specialisations were 40% of the core's cold compile. The constants are
    still folded where LLVM inlines the callee."""
    get = getattr(dispatcher, "get_call_template", None)
    if get is None:  # pragma: no cover - numba moved it: compile as numba does
        return dispatcher

    def get_call_template(args, kws):
        return get(tuple(types.unliteral(a) for a in args),
                   {k: types.unliteral(v) for k, v in kws.items()})

    dispatcher.get_call_template = get_call_template
    return dispatcher


#: every kernel of the core that numba compiles on its own (not the inlined accessors): what a
#: cold cache compiles, and what gmplab.progress counts
KERNELS = []


def _kernel(**kw):
    deco = _njit(**kw)

    def wrap(fn):
        d = _types_not_values(deco(fn))
        if kw.get("inline") != "always":
            KERNELS.append(d)
        return d
    return wrap


def _name(d):
    return f"{d.py_func.__module__}.{d.py_func.__qualname__}"


def _unreached_path():
    """Where ``gmplab warm`` notes the kernels its scenario does not reach (test helpers): one
    note per copy of the core, beside the cache."""
    here = hashlib.sha256(str(_HERE).encode()).hexdigest()[:12]
    return os.path.join(cache_dir(), f"unreached-{here}.txt")


def uncompiled():
    """The kernels that numba's cache holds nothing (fresh) for, leaving out those a complete
    ``gmplab warm`` left uncompiled because nothing in gmplab calls them (test helpers): what
    the next use may compile. Reads each kernel's cache index (numba's own staleness check:
    source stamp, numba version)."""
    try:
        with open(_unreached_path()) as f:
            skip = set(f.read().split())
    except OSError:
        skip = set()
    return [d for d in _not_cached() if _name(d) not in skip]


def _not_cached():
    out = []
    for d in KERNELS:
        try:
            if not d._cache._cache_file._load_index():
                out.append(d)
        except Exception:  # pragma: no cover - numba's cache internals moved: assume cached
            pass
    return out


def note_unreached():
    """After a complete warm-up: remember the kernels still not in the cache (nothing calls
    them: see uncompiled)."""
    names = sorted(_name(d) for d in _not_cached())
    try:
        with open(_unreached_path(), "w") as f:
            f.write("\n".join(names) + "\n")
    except OSError:  # a read-only cache: nothing to remember
        pass
    return names


jit = _kernel(cache=True, nogil=True)

#: for one-line accessors called everywhere: inlined at numba's IR level, so no call and no
#: reference counting of the state array per access
jit_inline = _kernel(cache=True, nogil=True, inline="always")
