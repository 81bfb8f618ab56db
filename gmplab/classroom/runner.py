"""Drive the collect process (:mod:`.harness`) for one notebook: time limits per cell, per check
and per notebook, a cap on what it prints, and a fresh process after a cell or check that hung,
crashed or flooded the output, so that only what that step affects is lost.

The process is forked from the zygote (:mod:`.zygote`) into its own session, with an empty
scratch folder as its working directory; it is killed (its whole process group) when the
notebook is done, when a limit is hit, and when the grader is interrupted, so no process
outlives a grade run. Its reports count only when signed with the key this attempt gave it.
"""
import hashlib
import hmac
import json
import os
import secrets
import selectors
import signal
import tempfile
import threading
import time
from typing import NamedTuple

_live = set()                  # pids of running collect processes
_live_lock = threading.Lock()
stopping = threading.Event()   # set on Ctrl-C: every runner stops and kills its process


class Limits(NamedTuple):
    cell: float = 60.0          # seconds for one cell or one check's collect
    notebook: float = 600.0     # seconds for the whole notebook, restarts included
    output: int = 1 << 20       # bytes the notebook may print
    start: float = 120.0        # seconds to import gmplab and the checks (a cold numba cache)
    file: int = 64 << 20        # bytes one file written by learner code may reach
    memory: int = 8 << 30       # bytes of address space


class Outcome(NamedTuple):
    cells: dict     # i -> ("ok", None) | ("error", traceback) | (status, reason): timeout, ...
    checks: dict    # check id -> ("data", data) | (status, reason)


def kill_all():
    """Kill every running collect process (the grader is being interrupted)."""
    stopping.set()
    with _live_lock:
        for pid in list(_live):
            _killpg(pid)


def _killpg(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _exit_reason(rc):
    if rc is not None and rc < 0:
        try:
            return f"the process was killed by {signal.Signals(-rc).name} (a crash)"
        except ValueError:
            return f"the process died of signal {-rc}"
    return f"the process exited with status {rc} (sys.exit in a thread, os._exit or a crash)"


class _Attempt:
    """One collect process: fork it from the zygote, read its reports, enforce the limits."""

    def __init__(self, job, limits, zygote, t_end):
        self.job, self.limits, self.zygote, self.t_end = job, limits, zygote, t_end
        self.reports, self.printed, self.head = [], 0, bytearray()

    def run(self):
        """Returns (how it ended, the step it was in, reason)."""
        with tempfile.TemporaryDirectory(prefix="gmplab-grade-") as scratch:
            r, w = os.pipe()
            out_r, out_w = os.pipe()
            env = {"TMPDIR": scratch, "MPLCONFIGDIR": scratch, "MPLBACKEND": "Agg"}
            self.key = secrets.token_hex(32)
            try:
                pid = self.zygote.spawn({"job": self.job, "scratch": scratch, "env": env,
                                         "key": self.key}, w, out_w, self.limits.start)
            finally:
                os.close(w)
                os.close(out_w)
            if pid is None:
                os.close(r)
                os.close(out_r)
                return "crashed", ("start", None), "the zygote did not start: " + \
                    self.zygote.failure()
            with _live_lock:
                _live.add(pid)
            try:
                return self._watch(pid, r, out_r)
            finally:
                _killpg(pid)
                self.zygote.status(pid, 10)
                self.zygote.forget(pid)
                with _live_lock:
                    _live.discard(pid)
                os.close(r)
                os.close(out_r)

    def _watch(self, pid, r, out_r):
        sel = selectors.DefaultSelector()
        sel.register(r, selectors.EVENT_READ, "channel")
        sel.register(out_r, selectors.EVENT_READ, "output")
        buf, step = b"", ("start", None)
        step_end = time.monotonic() + self.limits.start
        while True:
            if stopping.is_set():
                return "stopped", step, "the grader was interrupted"
            now = time.monotonic()
            if now > self.t_end:
                return "notebook-timeout", step, \
                    f"the notebook ran past its {self.limits.notebook:g} s limit"
            if now > step_end:
                return "timeout", step, f"it ran past the {self.limits.cell:g} s limit" \
                    if step[0] != "start" else \
                    f"gmplab and the checks did not load within {self.limits.start:g} s"
            for key, _ in sel.select(max(0.0, min(step_end, self.t_end, now + 0.5) - now)):
                data = os.read(key.fd, 65536)
                if key.data == "output":
                    if not data:
                        sel.unregister(out_r)
                        continue
                    self.printed += len(data)
                    if len(self.head) < 8192:
                        self.head += data[:8192 - len(self.head)]
                    if self.printed > self.limits.output:
                        return "output", step, f"it printed more than {_size(self.limits.output)}"
                    continue
                if not data:
                    rc = self.zygote.status(pid, 10)
                    if self.reports and self.reports[-1]["ev"] in ("done", "tamper"):
                        return "ended", step, None
                    return "crashed", step, _exit_reason(rc)
                buf += data
                *lines, buf = buf.split(b"\n")
                for line in lines:
                    try:
                        msg = self._verified(line)
                        ev = msg["ev"]
                    except (ValueError, KeyError, TypeError):
                        msg = {"ev": "tamper", "where": "the grading channel",
                               "what": ["learner code wrote to the grader's report channel"]}
                        ev = "tamper"
                    self.reports.append(msg)
                    if ev in ("cell", "check"):
                        step = (ev, msg.get("i", msg.get("id")))
                    elif ev in ("ready", "cell_end", "data", "check_error"):
                        step = ("between", step[1])
                    if ev == "tamper":
                        return "ended", step, None
                    step_end = time.monotonic() + self.limits.cell


    def _verified(self, line):
        """The report in line, if the harness signed it with this process's key."""
        mac, _, text = line.partition(b" ")
        want = hmac.new(self.key.encode(), text, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(mac, want):
            raise ValueError("not signed")
        return json.loads(text)


def _size(n):
    return f"{n / (1 << 20):g} MiB" if n >= 1 << 20 else f"{n / 1024:g} KiB"


def run(cells, checks, grading, private, limits, zygote):
    """Run one notebook's cells and collects; returns an :class:`Outcome`.

    ``cells``: [{"label", "source"}]; ``checks``: [{"id", "names"}] (the collect order)."""
    t_end = time.monotonic() + limits.notebook
    cell_res, check_res = {}, {}
    while True:
        job = {"grading": grading, "private": private, "max_file": limits.file,
               "max_memory": limits.memory,
               "cells": [dict(c, skip=i in cell_res and not _ran(cell_res[i]))
                         for i, c in enumerate(cells)],
               "checks": [dict(c, skip=c["id"] in check_res) for c in checks]}
        att = _Attempt(job, limits, zygote, t_end)
        how, step, reason = att.run()
        for msg in att.reports:
            ev = msg["ev"]
            if ev == "cell_end":
                cell_res[msg["i"]] = ("error", msg["error"]) if msg["error"] else ("ok", None)
            elif ev == "data":
                check_res[msg["id"]] = ("data", msg["data"])
            elif ev == "check_error":
                check_res[msg["id"]] = ("error", msg["error"])
            elif ev == "tamper":
                what = "; ".join(msg["what"])
                for c in checks:
                    check_res.setdefault(c["id"], ("tampered", f"{what} ({msg['where']})"))
        if how == "ended":
            break
        status = {"notebook-timeout": "timeout", "stopped": "error"}.get(how, how)
        if how in ("stopped", "notebook-timeout") or step[0] == "start":
            if step[0] == "start" and how != "notebook-timeout":
                reason = f"the grader could not start the notebook's process: {reason}\n" + \
                    bytes(att.head)[-2000:].decode(errors="replace")
            for c in checks:
                check_res.setdefault(c["id"], (status, reason))
            break
        kind, which = step
        if kind == "cell":
            cell_res[which] = (status, reason)
        elif kind == "check":
            check_res[which] = (status, reason)
        else:                        # between two steps: blame the next one
            pending = [c["id"] for c in checks if c["id"] not in check_res]
            if not pending:
                break
            check_res[pending[0]] = (status, reason)
        if all(c["id"] in check_res for c in checks):
            break
    return Outcome(cell_res, check_res)


def _ran(res):
    """A cell that ran to its end (with or without an exception) runs again after a restart."""
    return res[0] in ("ok", "error")
