"""``gmplab lab [jupyter lab arguments]``: the README's one command that opens the course.

It compiles the core first (``gmplab warm``, with its progress bar: no notebook cell then waits
for numba), then replaces itself with ``python -m jupyter lab`` and the arguments given (a
notebook to open, ``--port``, ``--no-browser`` ...). As root — a container, a CI job —
JupyterLab refuses to start ("Running as root is not recommended. Use --allow-root to bypass."),
so the command adds ``--allow-root`` there, and only there. Given a notebook, JupyterLab would
serve only that notebook's folder; the command serves the folder it runs in (the course's
root: notebooks/, exercises/, examples/ side by side) unless ``--ServerApp.root_dir`` is given.
"""
import argparse
import os
import sys


def is_root(euid=None):
    euid = os.geteuid() if euid is None and hasattr(os, "geteuid") else euid
    return euid == 0


def command(args, euid=None, cwd=None):
    """The jupyter lab command line for ``args`` (as root, with --allow-root)."""
    given = {a.split("=")[0] for a in args}
    cmd = [sys.executable, "-m", "jupyter", "lab", *args]
    if not given & {"--ServerApp.root_dir", "--notebook-dir", "--ServerApp.notebook_dir"}:
        cmd.append(f"--ServerApp.root_dir={cwd or os.getcwd()}")
    if is_root(euid) and not given & {"--allow-root", "--ServerApp.allow_root"}:
        cmd.append("--allow-root")
    return cmd


def add_arguments(p):
    p.add_argument("args", nargs=argparse.REMAINDER, metavar="...",
                   help="passed to jupyter lab: a notebook to open, --port=N, --no-browser, ...")
    p.set_defaults(_passthrough=True)      # gmplab.cli.main hands every argument on, in order


def run(a):
    from .cli import warm
    warm()
    cmd = command(a.args)
    if "--allow-root" in cmd and "--allow-root" not in a.args:
        print("gmplab lab: running as root (a container?), so JupyterLab gets --allow-root",
              flush=True)
    sys.stdout.flush()
    sys.stderr.flush()
    # exec, not a child: Ctrl-C and the exit status are JupyterLab's own
    os.execv(sys.executable, cmd)
