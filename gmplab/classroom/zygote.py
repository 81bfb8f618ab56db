"""The zygote: one clean process per grade run that has imported gmplab and the checks and
loaded numba's cached machine code, and forks a fresh collect process for each notebook.

A fork of it starts in milliseconds instead of the second that importing gmplab and loading
the core takes, and it has never run learner code: each child starts from the zygote's clean
state, in its own session (so that the grader can kill its whole process group), with the two
pipes the grader handed over (the report channel; stdout and stderr together).

The grader talks to it over a Unix socket pair: a request (one JSON line, the pipes' write ends
passed with SCM_RIGHTS) is answered by the child's pid; when a child ends the zygote reports
its wait status. When the grader closes the socket (or dies), the zygote kills the children
still running and exits.
"""
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading

LAUNCH = "from gmplab.classroom.zygote import main; main()"


def _child(req, chan, out):
    """In the forked child: become a fresh collect process and run the harness."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(devnull)
    os.close(out)
    os.chdir(req["scratch"])
    os.environ.update(req["env"])
    sys.path[:] = [p for p in sys.path if p not in ("", ".")]
    from .harness import run
    run(req["job"], chan, req.pop("key"))


def main():
    """The zygote's loop (its end of the socket pair is the fd in GMPLAB_ZYGOTE_FD)."""
    sock = socket.socket(fileno=int(os.environ.pop("GMPLAB_ZYGOTE_FD")))
    grading = os.environ["GMPLAB_GRADE_MODULE"]
    import importlib
    from . import harness
    harness.warm(importlib.import_module(grading))
    sock.sendall(b'{"ready": true}\n')
    children, buf, pending = set(), b"", []
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ)
    while True:
        for _ in sel.select(0.2):
            data, fds, _flags, _addr = socket.recv_fds(sock, 1 << 20, 2)
            if not data:
                for pid in children:
                    _kill(pid)
                os._exit(0)
            buf += data
            pending += fds
            if b"\n" not in buf:
                continue                # a long request comes in several pieces
            line, _, buf = buf.partition(b"\n")
            req, fds, pending = json.loads(line), pending[:2], pending[2:]
            pid = os.fork()
            if pid == 0:
                sock.close()
                try:
                    _child(req, fds[0], fds[1])
                finally:
                    os._exit(70)
            for fd in fds:
                os.close(fd)
            children.add(pid)
            sock.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        while children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            children.discard(pid)
            sock.sendall(json.dumps({"exit": pid, "status": os.waitstatus_to_exitcode(status)})
                         .encode() + b"\n")


def _kill(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class Zygote:
    """The grader's side: start the zygote, fork children, learn how they ended, stop it."""

    def __init__(self, grading, env, cwd):
        self.sock, theirs = socket.socketpair()
        env = dict(env, GMPLAB_GRADE_MODULE=grading, GMPLAB_ZYGOTE_FD=str(theirs.fileno()))
        self.proc = subprocess.Popen([sys.executable, "-c", LAUNCH], pass_fds=(theirs.fileno(),),
                                     env=env, stdin=subprocess.DEVNULL, cwd=cwd,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        theirs.close()
        self.lock = threading.Lock()            # one request at a time
        self.cond = threading.Condition()
        self.pids, self.exits, self.dead, self.ready = [], {}, False, False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        f = self.sock.makefile("rb")
        for line in f:
            msg = json.loads(line)
            with self.cond:
                if "ready" in msg:
                    self.ready = True
                elif "pid" in msg:
                    self.pids.append(msg["pid"])
                else:
                    self.exits[msg["exit"]] = msg["status"]
                self.cond.notify_all()
        with self.cond:
            self.dead = True
            self.cond.notify_all()

    def wait_ready(self, timeout):
        """Wait until gmplab and the checks are loaded (minutes on a cold numba cache)."""
        with self.cond:
            self.cond.wait_for(lambda: self.ready or self.dead, timeout)
        if not self.ready:
            raise RuntimeError("the grader's zygote process did not start:\n" + self.failure())

    def spawn(self, req, chan_w, out_w, timeout):
        """Fork a child for ``req``; returns its pid (None if the zygote did not answer)."""
        with self.lock:
            socket.send_fds(self.sock, [json.dumps(req).encode() + b"\n"], [chan_w, out_w])
            with self.cond:
                self.cond.wait_for(lambda: self.pids or self.dead, timeout)
                return self.pids.pop(0) if self.pids else None

    def status(self, pid, timeout):
        """The child's exit status (negative: the signal that killed it), or None."""
        with self.cond:
            self.cond.wait_for(lambda: pid in self.exits or self.dead, timeout)
            return self.exits.get(pid)

    def forget(self, pid):
        with self.cond:
            self.exits.pop(pid, None)

    def failure(self):
        """What the zygote printed, when it could not start."""
        if self.proc.poll() is None:
            return ""
        return self.proc.stdout.read().decode(errors="replace")[-3000:]

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc.stdout.close()
