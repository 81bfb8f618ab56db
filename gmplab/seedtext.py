"""The seed text's structs against go1.25.3 (lesson 01, notebooks/01_gmp_structs.ipynb).

    from gmplab.seedtext import seed_report, seed_fields
    print(seed_report("m"))   # still there, retyped, renamed, gone; what gmplab's view leaves out

The course began from a Chinese text (the *seed*) listing the g, gobuf, m and p structs of an
older Go, field by field. Each row of SEED_STRUCTS is (field, type in the seed, change, type in
go1.25.3's runtime2.go), the change one of "kept", "retyped", "renamed", "gone"; GONE says what
replaced a field that is gone, NOT_MODELLED why gmplab's views leave out one that is still there.
"""

SEED_STRUCTS = {
    "g": (
        ("stack", "stack", "kept", "stack"),
        ("m", "*m", "kept", "*m"),
        ("sched", "gobuf", "kept", "gobuf"),
        ("param", "unsafe.Pointer", "kept", "unsafe.Pointer"),
        ("atomicstatus", "uint32", "retyped", "atomic.Uint32"),
        ("stackLock", "uint32", "kept", "uint32"),
        ("goid", "int64", "retyped", "uint64"),
        ("waitsince", "int64", "kept", "int64"),
        ("lockedm", "*m", "retyped", "muintptr"),
    ),
    "gobuf": (
        ("sp", "uintptr", "kept", "uintptr"),
        ("pc", "uintptr", "kept", "uintptr"),
        ("g", "guintptr", "kept", "guintptr"),
        ("ctxt", "unsafe.Pointer", "kept", "unsafe.Pointer"),
        ("ret", "sys.Uintreg", "gone", ""),
        ("lr", "uintptr", "kept", "uintptr"),
        ("bp", "uintptr", "kept", "uintptr"),
    ),
    "m": (
        ("g0", "*g", "kept", "*g"),
        ("gsignal", "*g", "kept", "*g"),
        ("tls", "[6]uintptr", "kept", "[tlsSlots]uintptr"),
        ("mstartfn", "func()", "kept", "func()"),
        ("curg", "*g", "kept", "*g"),
        ("caughtsig", "guintptr", "kept", "guintptr"),
        ("p", "puintptr", "kept", "puintptr"),
        ("nextp", "puintptr", "kept", "puintptr"),
        ("id", "int32", "retyped", "int64"),
        ("mallocing", "int32", "kept", "int32"),
        ("spinning", "bool", "kept", "bool"),
        ("blocked", "bool", "kept", "bool"),
        ("inwb", "bool", "gone", ""),
        ("printlock", "int8", "kept", "int8"),
        ("incgo", "bool", "kept", "bool"),
        ("fastrand", "uint32", "gone", ""),
        ("ncgocall", "uint64", "kept", "uint64"),
        ("ncgo", "int32", "kept", "int32"),
        ("park", "note", "kept", "note"),
        ("alllink", "*m", "kept", "*m"),
        ("schedlink", "muintptr", "kept", "muintptr"),
        ("mcache", "*mcache", "gone", ""),
        ("lockedg", "*g", "retyped", "guintptr"),
        ("createstack", "[32]uintptr", "kept", "[32]uintptr"),
    ),
    "p": (
        ("lock", "mutex", "gone", ""),
        ("id", "int32", "kept", "int32"),
        ("status", "uint32", "kept", "uint32"),
        ("link", "puintptr", "kept", "puintptr"),
        ("schedtick", "uint32", "kept", "uint32"),
        ("syscalltick", "uint32", "kept", "uint32"),
        ("sysmontick", "sysmontick", "kept", "sysmontick"),
        ("m", "muintptr", "kept", "muintptr"),
        ("mcache", "*mcache", "kept", "*mcache"),
        ("racectx", "uintptr", "renamed", "raceprocctx uintptr"),
        ("goidcache", "uint64", "kept", "uint64"),
        ("goidcacheend", "uint64", "kept", "uint64"),
        ("runqhead", "uint32", "kept", "uint32"),
        ("runqtail", "uint32", "kept", "uint32"),
        ("runq", "[256]guintptr", "kept", "[256]guintptr"),
        ("runnext", "guintptr", "kept", "guintptr"),
        ("sudogcache", "[]*sudog", "kept", "[]*sudog"),
        ("sudogbuf", "[128]*sudog", "kept", "[128]*sudog"),
        ("palloc", "persistentAlloc", "kept", "persistentAlloc"),
        ("pad", "[sys.CacheLineSize]byte", "gone", ""),
    ),
}

# why gmplab's views leave out a field that go1.25.3 still has
NOT_MODELLED = {
    "g.stackLock": "a lock for the CPU profiler's signal handler and stack scans: no profiler",
    "m.gsignal": "the goroutine that runs signal handlers; gmplab's preemption signal cuts the "
                 "work op directly",
    "m.tls": "thread-local storage: how a real thread finds its current g (getg); gmplab knows "
             "which M acts",
    "m.mstartfn": "the function a new M runs first in mstart1, before acquirep and schedule: "
                  "sysmon for sysmon's M, mspinning for a spinning M; gmplab starts both the "
                  "same way, without the field",
    "m.caughtsig": "the G that ran when a fatal signal arrived: no fatal signals",
    "m.mallocing": "set while the M allocates memory: no memory allocator",
    "m.printlock": "the lock of the runtime's own print: not modelled",
    "m.incgo": "the M is in a cgo call: no cgo",
    "m.ncgo": "cgo calls in progress: no cgo",
    "m.alllink": "the allm list's link; rt.allm is that list",
    "m.createstack": "the stack that created the thread, for profiles: no profiler",
    "p.mcache": "the P's memory-allocator cache (since m.mcache moved here): no allocator",
    "p.racectx": "now raceprocctx, the race detector's context for this P: no race detector",
    "p.sudogcache": "spare sudogs, the entries of channel wait lists: gmplab queues the Gs",
    "p.sudogbuf": "the array behind sudogcache",
    "p.palloc": "the persistent allocator of runtime metadata: no allocator",
}

# what replaced the seed's fields that are gone
GONE = {
    "gobuf.ret": "a value handed to a goroutine as it resumed; go1.25's gobuf has no such slot",
    "m.inwb": "no M records any more that it is inside a write barrier",
    "m.fastrand": "an M's random numbers now come from its cheaprand and chacha8 state",
    "m.mcache": "the memory cache belongs to the P (p.mcache): an M without a P cannot allocate",
    "p.lock": "no lock: the run queue is lock-free and the rest is owned by the P's M or "
              "guarded by sched.lock",
    "p.pad": "the padding against false sharing is gone from the struct",
}


def seed_fields(struct):
    """The seed text's fields of ``struct`` ("g", "gobuf", "m" or "p") against go1.25.3, as
    (field, seed type, change, go1.25.3 type, in gmplab) rows; "in gmplab" says whether the
    view (``rt.g(goid)``, ``.sched``, ``rt.m(i)``, ``rt.p(i)``) has the field. Lesson 01."""
    from .views import Gobuf, GView, MView, PView
    if struct not in SEED_STRUCTS:
        raise ValueError(f"unknown struct {struct!r}; the seed text has: "
                         f"{', '.join(SEED_STRUCTS)}")
    view = {"g": GView, "gobuf": Gobuf, "m": MView, "p": PView}[struct]
    names = set(getattr(view, "_fields", ())) | set(getattr(view, "__slots__", ()))
    return [(f, seed, change, now, f in names) for f, seed, change, now in SEED_STRUCTS[struct]]


def seed_report(struct):
    """``seed_fields`` as a few lines of text: what is still there, retyped, renamed, gone (and
    what replaced it), and which go1.25.3 fields gmplab leaves out and why."""
    rows = seed_fields(struct)
    out = [f"type {struct} struct — the seed's {len(rows)} fields against go1.25.3:"]
    kept = [f for f, _, c, _, _ in rows if c == "kept"]
    if kept:
        out.append("  still there: " + " ".join(kept))
    for f, seed, c, now, _ in rows:
        if c == "retyped":
            out.append(f"  retyped:     {f} {seed} → {now}")
        elif c == "renamed":
            out.append(f"  renamed:     {f} → {now}")
        elif c == "gone":
            out.append(f"  gone:        {f} ({GONE[struct + '.' + f]})")
    have = [f for f, _, c, _, inview in rows if inview]
    out.append("  in gmplab's view: " + " ".join(have))
    for f, _, c, _, inview in rows:
        if not inview and c != "gone":
            out.append(f"  not in gmplab: {f} — {NOT_MODELLED[struct + '.' + f]}")
    return "\n".join(out)
