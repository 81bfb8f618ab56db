"""Fingerprints of the modules a check depends on, taken before learner code runs and compared
after it: a learner's cell that rebinds, patches or mutates ``gmplab.grading``, the runtime,
``builtins``, ``json`` or ``numpy`` shows up as a difference naming what changed.

Two depths: :func:`quick` (the identity of the values of the names that hold functions, classes
and containers: cheap enough to verify each time a learner's function returns into gmplab) and
:func:`deep` (also function code, defaults and
closures, class bodies, numba dispatchers' Python functions, arrays' bytes, the contents of
module-level dicts and lists).
"""
import builtins
import hashlib
import sys
import types

#: modules outside gmplab whose top level a check's code relies on
STDLIB = ("builtins", "json", "json.encoder", "json.decoder", "numpy")
#: modules fingerprinted by identity only (the harness's own blockers live in the last four)
SHALLOW = STDLIB + ("_thread", "threading", "signal", "_signal")


def watched(extra=()):
    """The names of the modules to fingerprint: every loaded gmplab module, ``extra``, STDLIB."""
    names = [n for n in sys.modules if n == "gmplab" or n.startswith("gmplab.")]
    return sorted(set(names) | {n for n in (*extra, *STDLIB) if n in sys.modules})


def _submodule(mod, key, v):
    """A submodule that an import added to its parent's namespace (not a patch)."""
    return isinstance(v, types.ModuleType) and v.__name__ == f"{mod.__name__}.{key}" \
        and sys.modules.get(v.__name__) is v


_ATOMS = (int, float, str, bytes, bool, type(None))


def quick(names):
    """A function of no arguments that returns the identities of the values the watched
    modules' names have now — those that are not plain constants, outside numpy and builtins —
    and the size of each namespace: cheap enough to call at every return from a learner's
    function (the thorough :func:`deep` covers the rest at the end of each step)."""
    spaces = [vars(sys.modules[n]) for n in names if n in sys.modules
              and n not in ("numpy", "builtins")]
    pairs = [(d, k) for d in spaces for k, v in list(d.items()) if not isinstance(v, _ATOMS)]
    ds, ks, sizes, get = tuple(p[0] for p in pairs), tuple(p[1] for p in pairs), \
        tuple(spaces), dict.get

    def now():
        return tuple(map(id, map(get, ds, ks))), tuple(map(len, sizes))
    return now


def _function(f, seen):
    cells = tuple(id(c.cell_contents) if _filled(c) else None for c in f.__closure__ or ())
    kw = tuple(sorted((k, id(v)) for k, v in (f.__kwdefaults__ or {}).items()))
    attrs = tuple(sorted((k, id(v)) for k, v in vars(f).items()))
    return ("fn", id(f), id(f.__code__), id(f.__defaults__),
            tuple(map(id, f.__defaults__ or ())), kw, cells, attrs)


def _filled(cell):
    try:
        cell.cell_contents
        return True
    except ValueError:
        return False


def _value(v, seen, own, depth=0):
    """A digest of v: (kind, id(v), ...), with the insides of what can be patched in place;
    ("seen", id) for a value digested before (or too deep)."""
    if isinstance(v, _ATOMS):
        return ("obj", id(v))
    if id(v) in seen or depth > 3:
        return ("seen", id(v))
    seen.add(id(v))
    if isinstance(v, types.FunctionType):
        return _function(v, seen)
    if isinstance(v, type):
        if v.__flags__ & _IMMUTABLE or v.__module__ not in own:
            return _shallow(v)
        return ("type", id(v), tuple((k, _value(x, seen, own, depth + 1))
                                     for k, x in vars(v).items() if k != "__weakref__"))
    py = getattr(type(v), "__module__", "").startswith("numba") and getattr(v, "py_func", None)
    if isinstance(py, types.FunctionType):
        return ("dispatcher", id(v), _function(py, seen))
    if type(v).__name__ == "ndarray" and getattr(v, "nbytes", 1 << 30) <= 1 << 20:
        return ("array", id(v), v.shape, str(v.dtype), hashlib.sha1(v.tobytes()).hexdigest())
    if isinstance(v, (dict, types.MappingProxyType)):
        return ("dict", id(v), {k if type(k) in (str, int) else id(k):
                                _value(x, seen, own, depth + 1) for k, x in list(v.items())[:2000]})
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, id(v), [_value(x, seen, own, depth + 1) for x in v[:2000]])
    if isinstance(v, (set, frozenset)):
        return (type(v).__name__, id(v), {id(x) for x in v})
    return ("obj", id(v))


def same(a, b):
    """Whether digest b shows the same thing as a: dicts may gain keys, lists may grow, sets
    may gain members (caches and registries grow); nothing may change or go."""
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple) and a and (a[0] == "seen" or b[0] == "seen"):
        return len(b) > 1 and a[1] == b[1]
    if isinstance(a, dict):
        return all(k in b and same(x, b[k]) for k, x in a.items())
    if isinstance(a, list):
        return len(b) >= len(a) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, set):
        return a <= b
    if isinstance(a, tuple):
        if len(a) == 3 and a[0] in ("dict", "list", "set", "frozenset"):
            return a[:2] == b[:2] and same(a[2], b[2])
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def _shallow(v):
    """The digest of a value of a standard-library module: identity, and a class's body."""
    if isinstance(v, type) and not v.__flags__ & _IMMUTABLE:
        return ("type", id(v), tuple((k, id(x)) for k, x in vars(v).items()))
    return ("obj", id(v))


_IMMUTABLE = 1 << 8         # Py_TPFLAGS_IMMUTABLETYPE: a built-in class nobody can patch


def deep(names):
    """{module: {name: digest}} for the named modules (see the module docstring); the
    standard library's (SHALLOW) by identity and class bodies only."""
    out = {}
    own = {n for n in names if n not in SHALLOW}
    for n in names:
        mod = sys.modules.get(n)
        if mod is None:
            continue
        seen = set()
        full = n in own
        out[n] = (id(mod), {k: _value(v, seen, own) if full else _shallow(v)
                            for k, v in vars(mod).items()
                            if not isinstance(v, types.ModuleType) or not _submodule(mod, k, v)})
    return out


def _name(mod, n, k):
    """``module.qualname`` of the class or function at mod.k, where it is defined."""
    obj = getattr(mod, k, None)
    m, q = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    return f"{m}.{q}" if isinstance(obj, type) and isinstance(m, str) and isinstance(q, str) \
        else f"{n}.{k}"


def _what(name, a, b):
    """Name the parts of a class that changed (``Runtime.run``), else the name itself."""
    if a[0] == "type" == b[0] and a[1] == b[1] and isinstance(a[2], tuple):
        bd = dict(b[2])
        parts = [f"{name}.{k}" for k, x in a[2] if k not in bd or not same(x, bd[k])]
        parts += [f"{name}.{k}" for k in bd.keys() - dict(a[2]).keys()]
        return parts or [name]
    return [name]


def changes(before, after):
    """What differs between two fingerprints, as sentences naming the module and the name
    (an object seen under several names is named once, in the module that defines it)."""
    out, told = [], set()
    for n, (mid, names) in sorted(before.items(), key=lambda x: (x[0] == "gmplab", x[0])):
        if n not in after:
            out.append(f"module {n} was removed from sys.modules")
            continue
        aid, anames = after[n]
        if aid != mid:
            out.append(f"module {n} was replaced in sys.modules")
            continue
        mod = sys.modules[n]
        for k, v in names.items():
            if k not in anames:
                out.append(f"{n}.{k} was deleted")
            elif not same(v, anames[k]) and v[1] not in told:
                told.add(v[1])
                out += [f"{w} was replaced or patched" for w in _what(_name(mod, n, k), v,
                                                                      anames[k])]
        if n not in STDLIB:
            for k in anames.keys() - names.keys():
                if not _submodule(mod, k, getattr(mod, k, None)):
                    out.append(f"{n}.{k} was added")
    return out


def private():
    """(quick, deep, changes) bound to copies, taken now, of this module's namespace, of the
    builtins and of the parts of types, hashlib and sys they use: learner code that later
    patches any of those cannot change what the copies compute."""
    g = dict(globals())
    g["__builtins__"] = dict(vars(builtins))
    g["types"] = types.SimpleNamespace(**vars(types))
    g["hashlib"] = types.SimpleNamespace(sha1=hashlib.sha1)
    g["sys"] = types.SimpleNamespace(modules=sys.modules)
    for k, v in list(g.items()):
        if isinstance(v, types.FunctionType) and v.__globals__ is globals():
            g[k] = types.FunctionType(v.__code__, g, v.__name__, v.__defaults__, v.__closure__)
    return g["quick"], g["deep"], g["changes"]
