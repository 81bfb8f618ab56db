"""The core's cold compile: what a new user waits for once (README: "about a minute").

Runs ``gmplab warm`` in a fresh process on an empty cache (a temporary GMPLAB_CACHE_DIR), then
again on the cache it filled, and prints: wall and CPU seconds of each, their ratio, how many
kernels numba compiled and how many compiles it made (a kernel compiled more than once is a
repeated specialisation: numba compiles once per distinct argument *type* tuple; before
gmplab.runtime._jit typed constant arguments by their type, ``emit`` alone was compiled 91 times
and a cold warm-up made 314 compiles of 141 kernels), and the kernels that took longest.

    python benchmarks/bench_compile.py
"""
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]

CHILD = r"""
import collections, json, sys, time
from numba.core import event
stack, rec = [], []
class L(event.Listener):
    def on_start(self, ev):
        stack.append(time.perf_counter())
    def on_end(self, ev):
        d = ev.data["dispatcher"]
        rec.append((len(stack) - 1, f"{d.py_func.__module__}.{d.py_func.__qualname__}",
                    time.perf_counter() - stack.pop()))
event.register("numba:compile", L())
from gmplab.cli import warm
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    warm()
print("RECORDS", json.dumps(rec))
"""


def run_warm(cache):
    env = {**os.environ, "GMPLAB_CACHE_DIR": cache,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=3600)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    rec = json.loads(out.stdout.split("RECORDS ", 1)[1])
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, cpu, rec


def main():
    with tempfile.TemporaryDirectory(prefix="gmplab-cold-") as cache:
        cold_wall, cold_cpu, rec = run_warm(cache)
        warm_wall, warm_cpu, rec2 = run_warm(cache)
    kernels = {}
    for depth, name, dt in rec:
        kernels.setdefault(name, []).append(dt)
    repeated = {k: len(v) for k, v in kernels.items() if len(v) > 1}
    # exclusive time per kernel: its compile minus the compiles nested in it
    excl, pending = {}, {}
    for depth, name, dt in rec:
        inner = pending.pop(depth + 1, 0.0)
        excl[name] = excl.get(name, 0.0) + dt - inner
        pending[depth] = pending.get(depth, 0.0) + dt
    print(f"# gmplab bench_compile: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"cold warm-up (empty cache): {cold_wall:.1f} s wall, {cold_cpu:.1f} s CPU; "
          f"{len(kernels)} kernels, {len(rec)} compiles, {len(repeated)} kernels compiled more "
          f"than once{': ' + str(repeated) if repeated else ''}")
    print(f"warm warm-up (cache filled): {warm_wall:.1f} s wall, {warm_cpu:.1f} s CPU, "
          f"{len(rec2)} compiles; cold/warm = {cold_wall / warm_wall:.0f}x wall, "
          f"{cold_cpu / max(warm_cpu, 1e-9):.0f}x CPU")
    top = sorted(excl.items(), key=lambda kv: -kv[1])[:8]
    print("longest kernels (s, own compile time): "
          + ", ".join(f"{k.rsplit('.', 1)[1]} {v:.1f}" for k, v in top))


if __name__ == "__main__":
    main()
