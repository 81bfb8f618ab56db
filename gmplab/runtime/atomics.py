"""CPU atomics, a spin hint and futex parking for jitted code on real threads.

numba has no atomics of its own (numba issue #2988), so these are ``numba.extending.intrinsic``\\ s
that emit LLVM's ``load atomic`` / ``store atomic`` / ``cmpxchg`` / ``atomicrmw`` on one element of
a numpy integer array (int32, uint32, int64 or uint64; the element must be naturally aligned,
which numpy arrays of these dtypes are). They compile into the caller, so they cost what the
instruction costs, and they work inside ``@njit(nogil=True, cache=True)`` functions.

Go's equivalents (``runtime/internal/atomic``, ``internal/runtime/atomic`` since Go 1.22):

============================  ===============================================================
this module                   Go runtime
============================  ===============================================================
``load_acquire(a, i)``        ``atomic.LoadAcq`` / ``LoadAcq64`` (and ``Load``: on amd64 the same)
``load_relaxed(a, i)``        a plain load of a racy word (no ordering, but never torn/hoisted)
``store_release(a, i, v)``    ``atomic.StoreRel`` / ``StoreRel64``
``store_relaxed(a, i, v)``    a plain store to a racy word
``atomic_cas(a, i, o, n)``    ``atomic.Cas`` / ``Cas64`` (seq_cst; also serves for ``CasRel``)
``atomic_add(a, i, v)``       ``atomic.Xadd`` / ``Xadd64`` -- but returns the *old* value
``atomic_xchg(a, i, v)``      ``atomic.Xchg`` / ``Xchg64``
``atomic_or/and(a, i, v)``    ``atomic.Or`` / ``And`` (return the old value)
``atomic_fence()``            a full barrier (what ``Store`` + ``Load`` sequencing gives in Go)
``cpu_relax()``               ``procyield``'s ``PAUSE`` (amd64) / ``YIELD`` (arm64)
``futex_wait(a, i, v, ns)``   ``futexsleep(addr, val, ns)`` (``FUTEX_WAIT_PRIVATE``)
``futex_wake(a, i, n)``       ``futexwakeup(addr, cnt)`` (``FUTEX_WAKE_PRIVATE``)
``os_yield()``                ``osyield`` (``sched_yield(2)``)
``nanotime()``                ``nanotime`` (``clock_gettime(CLOCK_MONOTONIC)``)
``threadtime()``              the thread's CPU clock (``CLOCK_THREAD_CPUTIME_ID``)
============================  ===============================================================

Futex word: a futex is a 32-bit word. On an int32/uint32 array it is the element itself; on an
int64/uint64 array it is the **low 32 bits** of the element (little-endian only, checked at
typing time), and ``futex_wait`` compares ``expected & 0xFFFFFFFF`` with those 32 bits. A waker
must therefore change the low 32 bits (e.g. bump a counter, or store 0/1) before ``futex_wake``,
as Go's ``notewakeup`` does with ``key32``.

``futex_wait`` returns 0 when woken (or spuriously: callers re-check in a loop, as Go's
``notesleep`` does) and ``-errno`` otherwise: ``-EAGAIN`` (the word did not hold ``expected``),
``-ETIMEDOUT`` (``timeout_ns`` elapsed; a negative ``timeout_ns`` waits forever) or ``-EINTR``.
``futex_wake`` returns how many waiters it woke. Linux only (x86-64 and arm64 syscall numbers).

The syscall goes through libc's variadic ``syscall(2)``, declared as variadic in the IR so the
call follows the varargs ABI; ``cpu_relax`` uses an LLVM target intrinsic rather than inline asm,
so nothing here needs ``llvmlite.binding.initialize_native_asmparser()``.
"""
import errno
import platform
import sys
import numba

from llvmlite import ir
from numba.core import cgutils, types
from numba.core.errors import TypingError
from numba.extending import intrinsic

_MACHINE = platform.machine().lower()
_X86 = _MACHINE in ("x86_64", "amd64", "i386", "i686", "x86")
_ARM64 = _MACHINE in ("aarch64", "arm64")

#: futex(2) syscall number for this machine (asm/unistd.h); -1 where unknown
SYS_FUTEX = {"x86_64": 202, "amd64": 202, "aarch64": 98, "arm64": 98}.get(_MACHINE, -1)
SYS_SCHED_YIELD = {"x86_64": 24, "amd64": 24, "aarch64": 124, "arm64": 124}.get(_MACHINE, -1)
FUTEX_WAIT_PRIVATE = 0 | 128  # FUTEX_WAIT | FUTEX_PRIVATE_FLAG
FUTEX_WAKE_PRIVATE = 1 | 128  # FUTEX_WAKE | FUTEX_PRIVATE_FLAG
EAGAIN, ETIMEDOUT, EINTR = errno.EAGAIN, errno.ETIMEDOUT, errno.EINTR

_INT_DTYPES = (types.int32, types.uint32, types.int64, types.uint64)


def _check_array(fname, ary):
    if not isinstance(ary, types.Array) or ary.dtype not in _INT_DTYPES:
        raise TypingError(f"{fname}: needs an int32/uint32/int64/uint64 array, got {ary}")


def _ptr(ctx, b, aryty, ary, idxty, idx):
    """Pointer to ``ary[idx]`` (bounds-checked when NUMBA_BOUNDSCHECK=1)."""
    arr = ctx.make_array(aryty)(ctx, b, ary)
    i = ctx.cast(b, idx, idxty, types.intp)
    return cgutils.get_item_pointer(ctx, b, aryty, arr, [i], wraparound=False,
                                    boundscheck=ctx.enable_boundscheck)


def _align(aryty):
    return aryty.dtype.bitwidth // 8


# --- loads and stores ------------------------------------------------------------------------

def _named(fn, name, doc):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return intrinsic(fn)


def _make_load(name, ordering, doc):
    def load(tctx, ary, idx):
        _check_array(name, ary)

        def codegen(ctx, b, sig, args):
            p = _ptr(ctx, b, sig.args[0], args[0], sig.args[1], args[1])
            return b.load_atomic(p, ordering, _align(sig.args[0]))
        return ary.dtype(ary, idx), codegen
    return _named(load, name, doc)


def _make_store(name, ordering, doc):
    def store(tctx, ary, idx, val):
        _check_array(name, ary)

        def codegen(ctx, b, sig, args):
            t = sig.args[0]
            p = _ptr(ctx, b, t, args[0], sig.args[1], args[1])
            v = ctx.cast(b, args[2], sig.args[2], t.dtype)
            b.store_atomic(v, p, ordering, _align(t))
            return ctx.get_dummy_value()
        return types.none(ary, idx, val), codegen
    return _named(store, name, doc)


load_acquire = _make_load("load_acquire", "acquire",
                          "``a[i]`` with acquire ordering (Go: atomic.LoadAcq; amd64 Load).")
load_relaxed = _make_load("load_relaxed", "monotonic",
                          "``a[i]`` as a relaxed (monotonic) load of a racy word: never torn.")
store_release = _make_store("store_release", "release",
                            "``a[i] = v`` with release ordering (Go: atomic.StoreRel).")
store_relaxed = _make_store("store_relaxed", "monotonic",
                            "``a[i] = v`` as a relaxed atomic store of a racy word.")


# --- read-modify-write -----------------------------------------------------------------------

@intrinsic
def atomic_cas(tctx, ary, idx, old, new):
    """If ``a[i] == old`` set it to ``new``; True on success. seq_cst (Go: atomic.Cas/CasRel)."""
    _check_array("atomic_cas", ary)

    def codegen(ctx, b, sig, args):
        t = sig.args[0]
        p = _ptr(ctx, b, t, args[0], sig.args[1], args[1])
        o = ctx.cast(b, args[2], sig.args[2], t.dtype)
        n = ctx.cast(b, args[3], sig.args[3], t.dtype)
        res = b.cmpxchg(p, o, n, "seq_cst", "seq_cst")
        return b.extract_value(res, 1)
    return types.boolean(ary, idx, old, new), codegen


def _make_rmw(name, op, doc):
    def rmw(tctx, ary, idx, val):
        _check_array(name, ary)

        def codegen(ctx, b, sig, args):
            t = sig.args[0]
            p = _ptr(ctx, b, t, args[0], sig.args[1], args[1])
            v = ctx.cast(b, args[2], sig.args[2], t.dtype)
            return b.atomic_rmw(op, p, v, "seq_cst")
        return ary.dtype(ary, idx, val), codegen
    return _named(rmw, name, doc)


atomic_add = _make_rmw("atomic_add", "add", "``a[i] += v`` atomically; returns the OLD value "
                       "(Go's Xadd returns the new one). seq_cst.")
atomic_xchg = _make_rmw("atomic_xchg", "xchg",
                        "Store ``v`` in ``a[i]``; return the old value. seq_cst (Go: atomic.Xchg).")
atomic_or = _make_rmw("atomic_or", "or",
                      "``a[i] |= v`` atomically; returns the old value (Go: atomic.Or).")
atomic_and = _make_rmw("atomic_and", "and",
                       "``a[i] &= v`` atomically; returns the old value (Go: atomic.And).")


@intrinsic
def atomic_fence(tctx):
    """A seq_cst fence (``MFENCE`` on amd64)."""
    def codegen(ctx, b, sig, args):
        b.fence("seq_cst")
        return ctx.get_dummy_value()
    return types.none(), codegen


# --- spin hint ---------------------------------------------------------------------------------

@intrinsic
def cpu_relax(tctx):
    """A spin-wait hint: ``PAUSE`` on x86 (llvm.x86.sse2.pause), ``YIELD`` on arm64; elsewhere only
    a compiler barrier. Go: the body of ``procyield``. Spin on ``load_acquire``, never on a plain
    read (a plain load is hoisted out of the loop)."""
    def codegen(ctx, b, sig, args):
        m = b.module
        if _X86:
            f = cgutils.get_or_insert_function(m, ir.FunctionType(ir.VoidType(), []),
                                               "llvm.x86.sse2.pause")
            b.call(f, [])
        elif _ARM64:
            f = cgutils.get_or_insert_function(
                m, ir.FunctionType(ir.VoidType(), [ir.IntType(32)]), "llvm.aarch64.hint")
            b.call(f, [ir.Constant(ir.IntType(32), 1)])  # hint #1 = YIELD
        else:
            b.fence("seq_cst", "singlethread")
        return ctx.get_dummy_value()
    return types.none(), codegen


# --- futex -------------------------------------------------------------------------------------

_i64 = ir.IntType(64)


def _syscall(b, nr, args):
    """``syscall(nr, args...)`` via libc, declared variadic; returns the result or ``-errno``."""
    m = b.module
    f = cgutils.get_or_insert_function(m, ir.FunctionType(_i64, [_i64], var_arg=True), "syscall")
    ret = b.call(f, [ir.Constant(_i64, nr)] + args)
    erf = cgutils.get_or_insert_function(m, ir.FunctionType(ir.IntType(32).as_pointer(), []),
                                         "__errno_location")
    with b.if_else(b.icmp_signed("==", ret, ir.Constant(_i64, -1))) as (err, ok):
        with err:
            bb_err = b.basic_block
            e = b.sext(b.load(b.call(erf, [])), _i64)
            neg = b.neg(e)
        with ok:
            bb_ok = b.basic_block
    phi = b.phi(_i64)
    phi.add_incoming(neg, bb_err)
    phi.add_incoming(ret, bb_ok)
    return phi


def _futex_check(fname, ary):
    _check_array(fname, ary)
    if SYS_FUTEX < 0:
        raise TypingError(f"{fname}: futex syscall number unknown on {_MACHINE}")
    if ary.dtype.bitwidth == 64 and sys.byteorder != "little":
        raise TypingError(f"{fname}: the low-32-bit futex word of an int64 needs little-endian")


@intrinsic
def futex_wait(tctx, ary, idx, expected, timeout_ns):
    """Sleep while the futex word of ``a[i]`` equals ``expected & 0xFFFFFFFF``, at most
    ``timeout_ns`` (< 0: forever). Returns 0 (woken, maybe spuriously) or -EAGAIN/-ETIMEDOUT/
    -EINTR. Go: futexsleep. Call from ``nogil`` code so the parked thread holds no GIL."""
    _futex_check("futex_wait", ary)

    def codegen(ctx, b, sig, args):
        t = sig.args[0]
        p = _ptr(ctx, b, t, args[0], sig.args[1], args[1])
        exp = ctx.cast(b, args[2], sig.args[2], types.int64)
        tmo = ctx.cast(b, args[3], sig.args[3], types.int64)
        ts = cgutils.alloca_once(b, _i64, size=2)  # struct timespec {tv_sec; tv_nsec}
        billion = ir.Constant(_i64, 1_000_000_000)
        b.store(b.sdiv(tmo, billion), ts)
        b.store(b.srem(tmo, billion), b.gep(ts, [ir.Constant(_i64, 1)]))
        tsp = b.select(b.icmp_signed("<", tmo, ir.Constant(_i64, 0)),
                       ir.Constant(_i64, 0), b.ptrtoint(ts, _i64))
        zero = ir.Constant(_i64, 0)
        return _syscall(b, SYS_FUTEX, [b.ptrtoint(p, _i64), ir.Constant(_i64, FUTEX_WAIT_PRIVATE),
                             b.and_(exp, ir.Constant(_i64, 0xFFFFFFFF)), tsp, zero, zero])
    return types.int64(ary, idx, expected, timeout_ns), codegen


@intrinsic
def futex_wake(tctx, ary, idx, n):
    """Wake up to ``n`` threads parked in ``futex_wait`` on ``a[i]``; returns how many woke
    (or -errno). Go: futexwakeup."""
    _futex_check("futex_wake", ary)

    def codegen(ctx, b, sig, args):
        t = sig.args[0]
        p = _ptr(ctx, b, t, args[0], sig.args[1], args[1])
        cnt = ctx.cast(b, args[2], sig.args[2], types.int64)
        zero = ir.Constant(_i64, 0)
        return _syscall(b, SYS_FUTEX, [b.ptrtoint(p, _i64), ir.Constant(_i64, FUTEX_WAKE_PRIVATE),
                             cnt, zero, zero, zero])
    return types.int64(ary, idx, n), codegen


def _clock_gettime(b, clockid):
    """``clock_gettime(clockid)`` through libc, in ns."""
    f = cgutils.get_or_insert_function(
        b.module, ir.FunctionType(ir.IntType(32), [ir.IntType(32), _i64.as_pointer()]),
        "clock_gettime")
    ts = cgutils.alloca_once(b, _i64, size=2)
    b.call(f, [ir.Constant(ir.IntType(32), clockid), ts])
    sec = b.load(ts)
    nsec = b.load(b.gep(ts, [ir.Constant(_i64, 1)]))
    return b.add(b.mul(sec, ir.Constant(_i64, 1_000_000_000)), nsec)


CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID = 1, 3


@intrinsic
def nanotime(tctx):
    """The monotonic clock in ns: ``clock_gettime(CLOCK_MONOTONIC)`` through libc (vDSO, ~20ns).
    Go: nanotime. The parallel driver's event times and deadlines use it."""
    def codegen(ctx, b, sig, args):
        return _clock_gettime(b, CLOCK_MONOTONIC)
    return types.int64(), codegen


@intrinsic
def threadtime(tctx):
    """The calling thread's CPU time in ns: ``clock_gettime(CLOCK_THREAD_CPUTIME_ID)`` (a
    system call on most kernels, ~0.1-0.5µs). It moves only while the OS runs the thread: the
    parallel driver's ``work(d)`` burns ``d`` of it, as a CPU-bound Go loop needs its CPU time
    whatever else the machine does."""
    def codegen(ctx, b, sig, args):
        return _clock_gettime(b, CLOCK_THREAD_CPUTIME_ID)
    return types.int64(), codegen


@intrinsic
def os_yield(tctx):
    """Give the CPU to another runnable thread: ``sched_yield(2)``. Go: osyield. Returns 0 or
    -errno. Spin-waits that may share a core with the thread they wait for need it (on 2 cores,
    pure spinning can wait a whole time slice)."""
    if SYS_SCHED_YIELD < 0:
        raise TypingError(f"os_yield: sched_yield syscall number unknown on {_MACHINE}")

    def codegen(ctx, b, sig, args):
        return _syscall(b, SYS_SCHED_YIELD, [])
    return types.int64(), codegen


if numba.config.DISABLE_JIT:
    # NUMBA_DISABLE_JIT=1 (the differential test runs the core as plain Python): intrinsics
    # cannot run there, so the same names become their single-threaded meaning.
    def load_acquire(a, i):
        return a[i]

    load_relaxed = load_acquire

    def store_release(a, i, v):
        a[i] = v

    store_relaxed = store_release

    def atomic_cas(a, i, old, new):
        if a[i] != old:
            return False
        a[i] = new
        return True

    def _rmw(op):
        def f(a, i, v):
            old = a[i]
            a[i] = op(old, v)
            return old
        return f

    atomic_add = _rmw(lambda x, v: x + v)
    atomic_xchg = _rmw(lambda x, v: v)
    atomic_or = _rmw(lambda x, v: x | v)
    atomic_and = _rmw(lambda x, v: x & v)

    def atomic_fence():
        pass

    def cpu_relax():
        pass

    def os_yield():
        return 0

    def nanotime():
        import time
        return time.monotonic_ns()

    def threadtime():
        import time
        return time.thread_time_ns()
