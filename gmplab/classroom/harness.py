"""The collect process: runs one learner notebook's code cells and the ``collect`` step of its
checks, in a fresh process, and reports plain data to the grader. It never decides a score:
the grader judges the data in its own process.

It is forked from the zygote (:mod:`.zygote`), which calls :func:`run` with the job, the report
channel's file descriptor and a key. Before any learner code runs it imports the grading
module, keeps its own references to ``collect`` and the registry, and fingerprints gmplab, the
grading module and the parts of the standard library they use (:mod:`.fingerprint`), with
private copies of the fingerprint functions. Then:

- learner code (the cells, then each check's collect, which calls the learner's functions) runs
  in a worker thread; the main thread, whose frames the worker's code cannot reach, compares the
  fingerprint after every cell, after every collect and at every return from a learner's
  function into gmplab: a difference ends the process with a ``tamper`` report;
- only the main thread reports, each line signed (HMAC-SHA256) with the key, so that learner
  code that writes to the channel cannot pass for the harness;
- an audit hook (PEP 578, which learner code cannot remove) reports setting attributes on
  gmplab's functions and classes, trace and profile functions, the garbage collector's object
  lists, other threads' frames and learner code's own ctypes calls as tampering, and refuses to
  start processes, to signal other processes, to write files outside the process's scratch
  folder, or to read the class's submissions, its results or the course's solutions; threads start only for gmplab's own
  code, and signal handlers not at all;
- data goes back as JSON, so no learner object (an ``__eq__`` that says yes to everything)
  reaches the judge.

Reports (one JSON object per line): ready, cell (i), cell_end (i, error), check (id),
data (id, data), check_error (id, error), tamper (where, what), done.
"""
import builtins
import functools
import hashlib
import hmac
import importlib
import json
import linecache
import os
import resource
import sys
import traceback

from . import fingerprint

_BLOCKED = ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
            "subprocess.Popen", "pty.spawn", "_thread.start_new_thread")
_TAMPER = ("sys.settrace", "sys.setprofile", "gc.get_objects", "gc.get_referrers",
           "gc.get_referents", "sys._current_frames")
_PATH_EVENTS = ("os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.symlink", "os.link",
                "os.truncate", "os.chmod", "os.chown", "os.utime", "shutil.rmtree",
                "os.listdir", "os.scandir", "shutil.copyfile", "shutil.copytree", "shutil.move")
_WRITE = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_dumps = json.dumps


class _Shell:
    """What ``get_ipython()`` returns while grading: magics and shell commands are skipped."""

    def __init__(self, ns):
        self.user_ns = ns

    def run_line_magic(self, name, line, *a):
        return None

    def run_cell_magic(self, name, line, cell):
        if name in ("time", "timeit", "capture"):
            exec(cell, self.user_ns)

    def system(self, cmd):
        return None

    getoutput = system


def _sender(fd, key):
    """send(msg): one report line, ``<HMAC-SHA256 of the JSON> <JSON>``, with the key the
    grader gave this process (held only by the main thread's frames and this closure), so that
    learner code writing to the channel cannot pass for the harness."""
    write, dumps, new, sha256 = os.write, json.dumps, hmac.new, hashlib.sha256
    key = key.encode()

    def send(msg, raw=None):
        text = (raw if raw is not None else dumps(msg)).encode()
        write(fd, new(key, text, sha256).hexdigest().encode() + b" " + text + b"\n")
    return send


def _limits(job):
    """Cap what the learner's code can take: file size, core dumps, memory."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (job["max_file"], job["max_file"]))
    if job.get("max_memory"):
        resource.setrlimit(resource.RLIMIT_AS, (job["max_memory"], job["max_memory"]))


def _inside(path, root):
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _package_dirs(*names):
    out = []
    for n in names:
        mod = sys.modules.get(n)
        if mod is not None and getattr(mod, "__file__", None):
            out.append(os.path.dirname(os.path.realpath(mod.__file__)) + os.sep)
    return tuple(out)


def _hook(send, watched, scratch, private):
    """The audit hook (see the module docstring). Returns the function to install."""
    me, mygroup = os.getpid(), os.getpgid(0)
    real, exit_ = os.path.realpath, os._exit
    ctypes_dir = os.path.join(os.path.dirname(os.__file__), "ctypes") + os.sep
    trusted = _package_dirs("numba", "llvmlite", "numpy", "gmplab")

    def from_learner():
        """Whether the code that made this ctypes call is not numba's, numpy's or gmplab's."""
        f = sys._getframe(2)
        while f is not None and f.f_code.co_filename.startswith(ctypes_dir):
            f = f.f_back
        return f is None or not f.f_code.co_filename.startswith(trusted)

    def tamper(what):
        send({"ev": "tamper", "where": "audit", "what": [what]})
        exit_(4)

    def path_ok(p, writing):
        if isinstance(p, int) or p is None:
            return True
        p = real(os.fsdecode(p))
        if any(_inside(p, r) for r in private):
            return False
        return not writing or _inside(p, scratch) or p == os.devnull

    def hook(event, args):
        if event.startswith(_BLOCKED):
            raise PermissionError(f"{event} is not allowed while grading")
        if event in ("os.kill", "os.killpg"):
            pid = args[0]
            if (event == "os.kill" and pid not in (me, 0)) or \
                    (event == "os.killpg" and pid not in (mygroup, 0)):
                raise PermissionError(f"{event} of another process is not allowed while grading")
        elif event == "open":
            path, mode, flags = args
            writing = (mode is not None and any(c in str(mode) for c in "wax+")) or \
                bool(flags and flags & _WRITE)
            if not path_ok(path, writing):
                raise PermissionError(f"opening {path!r} is not allowed while grading")
        elif event in _PATH_EVENTS:
            for p in args[:2]:
                if isinstance(p, (str, bytes, os.PathLike)) and not path_ok(p, event not in (
                        "os.listdir", "os.scandir")):
                    raise PermissionError(f"{event}({p!r}) is not allowed while grading")
        elif event in _TAMPER or (event.startswith("ctypes.") and from_learner()):
            tamper(f"learner code called {event}")
        elif event in ("object.__setattr__", "object.__delattr__"):
            obj, name = args[0], args[1]
            mod = getattr(obj, "__module__", None) if callable(obj) else None
            if isinstance(mod, str) and mod in watched:
                tamper(f"learner code set {getattr(obj, '__qualname__', obj)!s}.{name}"
                       f" (module {mod})")

    return hook


def _compile(label, source):
    """Compile a cell (IPython magics become calls on the grading shell), with its source in
    linecache so that a traceback shows the learner's lines."""
    if any(line.lstrip().startswith(("%", "!")) for line in source.splitlines()):
        from IPython.core.inputtransformer2 import TransformerManager
        source = TransformerManager().transform_cell(source)
    name = f"<{label}>"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    return compile(source, name, "exec")


def _error(e):
    if isinstance(e, SystemExit):
        return f"SystemExit: the cell called sys.exit({e.code!r})"
    lines = traceback.format_exception(type(e), e, e.__traceback__)
    text = "".join(l for l in lines if "gmplab/classroom/harness.py" not in l)
    return text[-4000:]


def warm(grading):
    """Load what the checks' first runtime run loads lazily (numba's cached machine code), so
    that it happens before the fingerprints and not inside learner code: the grading module's
    ``warm()`` if it has one, else a small program."""
    if hasattr(grading, "warm"):
        grading.warm()
        return
    import gmplab
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    rt.go(gmplab.ops.work("10us"), gmplab.ops.syscall("10us"))
    rt.run()


def _blockers(start_thread):
    """Replacements for _thread.start_new_thread (threads started by gmplab, numba or numpy
    code still start: gmplab.grading's watchdog) and for signal.signal (a Python signal handler
    runs in the main thread, where the verifier's state is)."""
    threading_py = sys.modules["threading"].__file__
    trusted = _package_dirs("numba", "llvmlite", "numpy", "gmplab")

    def start_new_thread(function, args, kwargs={}):
        f = sys._getframe(1)
        while f is not None and f.f_code.co_filename == threading_py:
            f = f.f_back
        if f is None or not f.f_code.co_filename.startswith(trusted):
            raise PermissionError("starting a thread is not allowed while grading")
        return start_thread(function, args, kwargs)

    def no_signals(*a, **k):
        raise PermissionError("signal handlers are not allowed while grading")
    return start_new_thread, no_signals


def _work(job, registry, collect, ns, post):
    """The worker thread: every cell, then every check's collect; each step is posted to the
    main thread, which verifies the fingerprints before the next step runs."""

    def guard(fn, where):
        @functools.wraps(fn)
        def guarded(*a, **k):
            try:
                return fn(*a, **k)
            finally:
                post("ping", where)
        return guarded

    try:
        for i, cell in enumerate(job["cells"]):
            if cell["skip"]:
                continue
            post("cell", i)
            try:
                exec(_compile(cell["label"], cell["source"]), ns)
                err = None
            except BaseException as e:          # sys.exit() and KeyboardInterrupt too
                err = _error(e)
            post("cell_end", i, err, cell["label"])
        for c in job["checks"]:
            if c["skip"]:
                continue
            cid = c["id"]
            post("check", cid)
            missing = [n for n in registry[cid].names if not callable(ns.get(n))]
            if missing:
                post("check_error", cid, "the notebook defines no " + " or ".join(
                    f"function `{n}`" for n in missing))
                continue
            fns = [guard(ns[n], f"check {cid}") for n in registry[cid].names]
            try:
                post("data", cid, _dumps(collect(cid, *fns)))
            except BaseException as e:
                post("check_error", cid, _error(e))
        post("done")
    except BaseException as e:                  # the harness itself was broken
        post("broken", _error(e))


def run(job, fd, key):
    """Run the job's cells and collects, reporting on fd (signed with key); ends the process.

    The learner's code runs in a worker thread; this (main) thread keeps the fingerprints and
    the functions that compare them — private copies, taken before any learner code — in its
    own frame, which the worker's code cannot reach (its frames end at the thread's start;
    ``sys._current_frames`` and the garbage collector's object lists are reported by the audit
    hook, signal handlers are refused), verifies after every step and at every return from a
    learner's function, and alone writes to the grader."""
    send, exit_ = _sender(fd, key), os._exit
    del key
    _limits(job)
    grading = importlib.import_module(job["grading"])  # warmed by the zygote this forked from
    collect, registry = grading.collect, dict(grading.CHECKS)
    import _signal
    import _thread
    import collections
    import signal
    import threading
    start, allocate = _thread.start_new_thread, _thread.allocate_lock
    blocked_start, no_signals = _blockers(start)
    _thread.start_new_thread = threading._start_new_thread = blocked_start
    signal.signal = _signal.signal = no_signals
    names = tuple(fingerprint.watched([job["grading"], "_thread", "threading", "signal",
                                       "_signal"]))
    quick, deep, changes = fingerprint.private()
    base, now = deep(names), quick(names)
    quick0 = now()
    scratch = os.path.realpath(os.getcwd())
    box, to_main, to_worker = collections.deque(), allocate(), allocate()
    to_main.acquire()
    to_worker.acquire()

    def post(*msg):                     # (the worker) hand a step to the main thread, wait
        box.append(msg)
        to_main.release()
        to_worker.acquire()

    ns = {"__name__": "__main__", "__builtins__": builtins}
    shell = _Shell(ns)
    ns["get_ipython"] = lambda: shell
    sys.addaudithook(_hook(send, set(names), scratch, [os.path.realpath(p) for p in
                                                     job["private"]]))
    send({"ev": "ready"})
    start(_work, (job, registry, collect, ns, post))
    while True:
        to_main.acquire()
        kind, *rest = box.popleft()
        q = now()
        if q != quick0 or kind not in ("ping", "cell", "check"):
            diff = changes(base, deep(names))
            if diff:
                where = rest[-1] if kind in ("ping", "cell_end") else \
                    f"check {rest[0]}" if kind in ("data", "check_error") else "learner code"
                send({"ev": "tamper", "where": str(where), "what": diff})
                exit_(4)
            quick0 = q                  # only submodules were imported
        if kind == "cell":
            send({"ev": "cell", "i": rest[0]})
        elif kind == "cell_end":
            send({"ev": "cell_end", "i": rest[0], "error": rest[1]})
        elif kind == "check":
            send({"ev": "check", "id": rest[0]})
        elif kind == "check_error":
            send({"ev": "check_error", "id": rest[0], "error": rest[1]})
        elif kind == "data":
            send(None, f'{{"ev": "data", "id": {json.dumps(rest[0])}, "data": {rest[1]}}}')
        elif kind == "done":
            send({"ev": "done"})
            exit_(0)                    # no atexit handler of the learner's runs
        elif kind == "broken":
            send({"ev": "tamper", "where": "the harness", "what": [
                "the grading harness stopped working: " + rest[0][-500:]]})
            exit_(5)
        to_worker.release()
