"""A slow, obvious model of Go's scheduler on ONE P, for checking gmplab.problems' answers.

With GOMAXPROCS 1, no syscall, no sleep and no slice near 10ms, the order in which goroutines
run does not depend on time at all: only on runqput (runnext, the 256-slot ring, the 128+1
spill), runqget, the global queue (Gosched; the batch when the ring is empty; one G every 61st
schedtick) and channels (a woken G goes to runnext). This model follows those rules from
proc.go and chan.go directly, on a problem's Program (gmplab.problems.program), without the
runtime: an independent way to the same answer.
"""
from collections import deque


def _flat(body):
    out = []
    for s in body:
        if s[0] == "loop":
            for _ in range(s[1]):
                out.extend(_flat(s[2]))
        else:
            out.append(s)
    return out


class OneP:
    """Run ``prog`` (GOMAXPROCS 1) to the end, or until main's ``stop_after_go``-th go
    statement. Afterwards: ``executes`` (goids in execute order, main included), ``exits``,
    and the queues ``runnext``, ``ring`` (goids, head first), ``runqhead``, ``glob``."""

    def __init__(self, prog, stop_after_go=None):
        assert prog.gomaxprocs == 1
        self.code = {1: _flat(prog.main) + [("wait",), ("exit",)]}
        self.pc = {1: 0}
        self.nchild = 0
        self.runnext, self.ring, self.runqhead, self.glob = None, deque(), 0, deque()
        self.schedtick = 1                  # schedinit: main's start moved it to 1
        self.chans = [{"cap": c, "n": 0, "recvq": deque(), "sendq": deque()}
                      for c in prog.chans]
        self.goidgen = 1
        self.executes, self.exits = [1], []
        self.main_waiting = False
        self.gos = 0
        self.stop_after_go = stop_after_go
        self.stopped = False
        g = 1
        while g is not None:
            self._run(g)                    # until it blocks, yields or exits
            if self.stopped:
                break
            g = self.schedule()

    # --- queues (proc.go) ----------------------------------------------------------------------
    def runqput(self, g, next_):
        if next_:
            g, self.runnext = self.runnext, g
            if g is None:
                return
        if len(self.ring) < 256:
            self.ring.append(g)
            return
        batch = [self.ring.popleft() for _ in range(128)] + [g]   # runqputslow
        self.runqhead += 128
        self.glob.extend(batch)

    def findrunnable(self):
        if self.schedtick % 61 == 0 and self.glob:
            return self.glob.popleft(), False
        if self.runnext is not None:
            g, self.runnext = self.runnext, None
            return g, True
        if self.ring:
            self.runqhead += 1
            return self.ring.popleft(), False
        if self.glob:
            n = min(len(self.glob), len(self.glob) // 1 + 1, 128)
            batch = [self.glob.popleft() for _ in range(n)]
            for g in batch[1:]:
                self.runqput(g, False)
            return batch[0], False
        return None, False

    def schedule(self):
        """schedule → execute: the next G to run (None: nothing left)."""
        g, inherit = self.findrunnable()
        if g is None:
            return None
        if not inherit:
            self.schedtick += 1
        self.executes.append(g)
        return g

    # --- a goroutine runs until it blocks, yields or exits ---------------------------------------
    def _run(self, g):
        while not self.stopped:
            op = self.code[g][self.pc[g]]
            self.pc[g] += 1
            k = op[0]
            if k == "work":
                continue
            if k == "go":
                self.goidgen += 1
                n = self.goidgen
                self.code[n], self.pc[n] = _flat(op[1]) + [("exit",)], 0
                self.nchild += 1
                self.runqput(n, True)
                self.gos += 1
                if self.gos == self.stop_after_go:
                    self.stopped = True
                    return
                continue
            if k == "gosched":
                self.glob.append(g)
                return
            if k == "send" and not self._send(g, self.chans[op[1]]):
                return
            if k == "recv" and not self._recv(g, self.chans[op[1]]):
                return
            if k == "wait":
                if self.nchild:
                    self.main_waiting = True
                    return
                continue
            if k == "exit":
                self.exits.append(g)
                if g != 1:
                    self.nchild -= 1
                    if self.nchild == 0 and self.main_waiting:
                        self.main_waiting = False
                        self.runqput(1, True)      # goready(main)
                return

    # --- channels (chan.go): True if the G goes on, False if it parked --------------------------
    def _send(self, g, c):
        if c["recvq"]:
            self.runqput(c["recvq"].popleft(), True)        # goready(receiver)
            return True
        if c["n"] < c["cap"]:
            c["n"] += 1
            return True
        c["sendq"].append(g)
        return False

    def _recv(self, g, c):
        if c["sendq"]:
            # unbuffered: straight from the sender; buffered (full): from the buffer's head,
            # and the sender's value takes the freed slot
            self.runqput(c["sendq"].popleft(), True)        # goready(sender)
            return True
        if c["n"] > 0:
            c["n"] -= 1
            return True
        c["recvq"].append(g)
        return False
