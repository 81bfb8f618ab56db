"""gmplab's command line (``gmplab ...`` or ``python -m gmplab ...``).

    gmplab warm      compile the jitted core into numba's cache, so no notebook cell waits for it
    gmplab lab       warm, then open the course in JupyterLab (``gmplab lab notebooks/...``)
    gmplab demo      run a small program and print its event log
    gmplab version   print gmplab's version
    gmplab grade     grade a class's exercise notebooks (gmplab/classroom/)
    gmplab problem   print a seeded practice problem (-c: with its answer); --list, --help

Each command is a small module-level function registered in ``COMMANDS``: its name, its help
line, a function that adds its arguments to an argparse parser, and the function that runs it
(which returns the exit status).
"""
import argparse
import sys
import time

from . import lab as _lab
from .classroom import cli as _grade
from .problems import cli as _problem


def warm():
    """Compile every entry point of the core by running a scenario that reaches all of them,
    with its steps and a progress bar on stdout while numba compiles (gmplab.progress); returns
    the seconds it took."""
    t = time.perf_counter()
    import gmplab
    from gmplab import ops, progress
    from gmplab.runtime._jit import KERNELS, cache_dir, note_unreached, uncompiled
    cold = len(uncompiled())
    if cold:
        print(f"gmplab warm: {cold} of {len(KERNELS)} kernels are not in numba's cache "
              f"({cache_dir()}) yet", flush=True)
    bar = progress.install()
    bar.hold, delay, bar.delay = True, bar.delay, 0     # one bar, shown however short

    def step(what):
        if cold:
            bar.close()
            print(f"[{time.perf_counter() - t:5.1f}s] {what}", flush=True)

    step("the virtual-clock driver (gmplab.Runtime)")
    rt = gmplab.Runtime(gomaxprocs=2, seed=0, schedtrace="1ms", daemon=True)
    c = rt.chan()
    rt.go(ops.work("20us"), ops.syscall("30us"), ops.sleep("10us"), ops.netread("10us"),
          ops.send(c), ops.gosched())
    rt.go(ops.recv(c), ops.lock_os_thread(), ops.syscall_block("5us"), ops.unlock_os_thread(),
          ops.loop(2, ops.go(ops.work(1)), ops.wait()))
    rt.run(until="100us")
    rt.gomaxprocs(3)
    rt.go(ops.work("10ms"))
    rt.go(ops.work("10ms"))
    rt.run(until="2ms")
    # the Playground's hands: "block in syscall", "syscall returns", "Gosched"
    running = [m.id for m in rt.allm if m.state == "running"]
    rt.entersyscall(running[0], "1ms")
    rt.exitsyscall(running[0])
    rt.gosched(running[1])
    rt.step()
    rt.schedtrace(True)
    # the parallel driver's thread loop (real threads: a few milliseconds)
    step("the real-thread driver (gmplab.ParallelRuntime)")
    prt = gmplab.ParallelRuntime(gomaxprocs=2, seed=0, max_goroutines=64)
    c = prt.chan()
    prt.go(ops.lcg(10), ops.send(c), ops.syscall("100us"), ops.sleep("50us"))
    prt.main(ops.recv(c), ops.loop(3, ops.go(ops.work("10us"))))
    prt.run(timeout=60)
    prt.snapshot()
    bar.close(complete=True)
    bar.hold, bar.delay = False, delay
    note_unreached()
    dt = time.perf_counter() - t
    if cold:
        print(f"[{dt:5.1f}s] gmplab core ready: {bar.done} kernels compiled into numba's cache; "
              "from now on `import gmplab` loads them in under a second", flush=True)
    else:
        print(f"gmplab core ready in {dt:.1f}s (loaded from numba's cache, {cache_dir()})",
              flush=True)
    return dt


def demo():
    import gmplab
    from gmplab import ops
    rt = gmplab.Runtime(gomaxprocs=2, seed=0)
    rt.go(ops.work("1ms"), ops.syscall("2ms"), ops.work("1ms"))
    rt.go(ops.work("3ms"))
    rt.go(ops.work("500us"))
    rt.run()
    print(rt.events.text())
    print(rt.schedtrace())


def _no_args(p):
    pass


def _cmd_warm(a):
    warm()
    return 0


def _cmd_demo(a):
    demo()
    return 0


def _cmd_version(a):
    import gmplab
    print(gmplab.__version__)
    return 0


#: (name, help, add_arguments(parser), run(args) -> exit status)
COMMANDS = [
    ("warm", "compile the jitted core into numba's cache", _no_args, _cmd_warm),
    ("lab", "warm, then open the course in JupyterLab (arguments go to jupyter lab)",
     _lab.add_arguments, _lab.run),
    ("demo", "run a small program and print its event log", _no_args, _cmd_demo),
    ("version", "print gmplab's version", _no_args, _cmd_version),
    ("grade", "grade a class's exercise notebooks, tamper-proof", _grade.add_arguments, _grade.run),
    ("problem", "print a seeded practice problem about the scheduler (-c: with its answer)",
     _problem.add_arguments, _problem.run),
]


def parser():
    ap = argparse.ArgumentParser(prog="gmplab", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", metavar="command", required=True)
    for name, help_, add, run in COMMANDS:
        p = sub.add_parser(name, help=help_, description=help_)
        add(p)
        p.set_defaults(_run=run)
    return ap


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    ap = parser()
    a, rest = ap.parse_known_args(argv)
    if getattr(a, "_passthrough", False):
        # a command that hands its arguments on (lab → jupyter lab): all of them, in order
        a.args = argv[argv.index(a.command) + 1:]
    elif rest:
        ap.error(f"unrecognized arguments: {' '.join(rest)}")
    return a._run(a)


if __name__ == "__main__":
    sys.exit(main())
