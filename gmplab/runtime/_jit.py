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
    get = dispatcher.get_call_template

    def get_call_template(args, kws):
        return get(tuple(types.unliteral(a) for a in args),
                   {k: types.unliteral(v) for k, v in kws.items()})

    dispatcher.get_call_template = get_call_template
    return dispatcher


def _kernel(**kw):
    deco = _njit(**kw)
    return lambda fn: _types_not_values(deco(fn))


jit = _kernel(cache=True, nogil=True)

#: for one-line accessors called everywhere: inlined at numba's IR level, so no call and no
#: reference counting of the state array per access
jit_inline = _kernel(cache=True, nogil=True, inline="always")
