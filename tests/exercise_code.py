"""The exercises' answer cells as code: the solutions (read from solutions/*.ipynb, so the tests
grade what the notebooks hold) and the learners' plausible-but-wrong versions."""
import pathlib

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
NAMES = ["01_runqput", "02_runqputslow", "03_runqget", "04_runqsteal", "05_randomorder",
         "06_globrunqget", "07_findrunnable", "08_retake", "09_exitsyscall", "10_predict"]


def notebooks(folder):
    return sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb"))


def answer_source(path):
    nb = nbformat.read(path, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if "answer" in c.metadata.get("tags", []))


def namespace(code):
    """Run answer-cell code as a notebook would, after ``from gmplab.grading.go import *``."""
    ns = {"__name__": "answers"}
    exec("from gmplab.grading.go import *\n", ns)
    exec(compile(code, "<answer cell>", "exec"), ns)
    return ns


def solution(exercise):
    return namespace(answer_source(ROOT / "solutions" / f"{exercise}.ipynb"))


def all_solutions():
    """{Go name: the solution's function} for every plug-in exercise."""
    out = {}
    for path in notebooks("solutions"):
        ns = namespace(answer_source(path))
        for name in ("runqput", "runqputslow", "runqget", "runqgrab", "runqsteal",
                     "globrunqget", "randomOrder", "retake", "exitsyscall", "findRunnable_next"):
            if getattr(ns.get(name), "__module__", None) == "answers":
                out[name] = ns[name]
    return out




#: plausible-but-wrong answers: (exercise, what is wrong, the answer cell's code, a fragment the
#: failing check's hint must contain). Functions an entry does not define are the solution's.
WRONG = [
("01_runqput", "next ignored: every G goes to the tail", '''
def runqput(pp, gp, next):
    h = pp.runqhead
    t = pp.runqtail
    if t - h < len(pp.runq):
        pp.runq[t % len(pp.runq)] = gp
        pp.runqtail = t + 1
        return
    runqputslow(pp, gp, h, t)
''', "goes into pp.runnext"),
("01_runqput", "the old runnext is dropped, not kicked", '''
def runqput(pp, gp, next):
    if next:
        pp.runnext = gp
        return
    h = pp.runqhead
    t = pp.runqtail
    if t - h < len(pp.runq):
        pp.runq[t % len(pp.runq)] = gp
        pp.runqtail = t + 1
        return
    runqputslow(pp, gp, h, t)
''', "kicked out to the tail"),
("01_runqput", "the ring indexed without % len", '''
def runqput(pp, gp, next):
    if next:
        oldnext = pp.runnext
        pp.runnext = gp
        if oldnext is None:
            return
        gp = oldnext
    h = pp.runqhead
    t = pp.runqtail
    if t - h < len(pp.runq):
        pp.runq[t] = gp
        pp.runqtail = t + 1
        return
    runqputslow(pp, gp, h, t)
''', "pp.runq[t%uint32(len(pp.runq))]"),
("01_runqput", "a full ring never spills (<= instead of <)", '''
def runqput(pp, gp, next):
    if next:
        oldnext = pp.runnext
        pp.runnext = gp
        if oldnext is None:
            return
        gp = oldnext
    h = pp.runqhead
    t = pp.runqtail
    if t - h <= len(pp.runq):
        pp.runq[t % len(pp.runq)] = gp
        pp.runqtail = t + 1
        return
    runqputslow(pp, gp, h, t)
''', "then runqputslow"),
("02_runqputslow", "a spill of 128 without the kicked G", '''
def runqputslow(pp, gp, h, t):
    n = (t - h) // 2
    batch = [pp.runq[(h + i) % len(pp.runq)] for i in range(n)]
    pp.runqhead = h + n
    globrunqputbatch(batch)
    return True
''', "plus gp: 129"),
("02_runqputslow", "gp put first, before the half of the ring", '''
def runqputslow(pp, gp, h, t):
    n = (t - h) // 2
    batch = [gp] + [pp.runq[(h + i) % len(pp.runq)] for i in range(n)]
    pp.runqhead = h + n
    globrunqputbatch(batch)
    return True
''', "keep the order"),
("02_runqputslow", "runqhead not moved: the Gs stay on the ring too", '''
def runqputslow(pp, gp, h, t):
    n = (t - h) // 2
    batch = [pp.runq[(h + i) % len(pp.runq)] for i in range(n)]
    batch.append(gp)
    globrunqputbatch(batch)
    return True
''', "move pp.runqhead past"),
("02_runqputslow", "the half taken from the tail end of the ring", '''
def runqputslow(pp, gp, h, t):
    n = (t - h) // 2
    batch = [pp.runq[(h + n + i) % len(pp.runq)] for i in range(n)]
    pp.runqtail = t - n
    batch.append(gp)
    globrunqputbatch(batch)
    return True
''', "takes the first half, from the head"),
("03_runqget", "the ring before runnext", '''
def runqget(pp):
    h = pp.runqhead
    t = pp.runqtail
    if t != h:
        gp = pp.runq[h % len(pp.runq)]
        pp.runqhead = h + 1
        return gp, False
    next = pp.runnext
    if next is not None:
        pp.runnext = None
        return next, True
    return None, False
''', "runnext first"),
("03_runqget", "inheritTime always False", '''
def runqget(pp):
    next = pp.runnext
    if next is not None:
        pp.runnext = None
        return next, False
    h = pp.runqhead
    t = pp.runqtail
    if t == h:
        return None, False
    gp = pp.runq[h % len(pp.runq)]
    pp.runqhead = h + 1
    return gp, False
''', "inheritTime: a G taken from runnext"),
("03_runqget", "runnext returned but left in place", '''
def runqget(pp):
    next = pp.runnext
    if next is not None:
        return next, True
    h = pp.runqhead
    t = pp.runqtail
    if t == h:
        return None, False
    gp = pp.runq[h % len(pp.runq)]
    pp.runqhead = h + 1
    return gp, False
''', "take the G off the queue"),
("03_runqget", "last in, first out", '''
def runqget(pp):
    next = pp.runnext
    if next is not None:
        pp.runnext = None
        return next, True
    h = pp.runqhead
    t = pp.runqtail
    if t == h:
        return None, False
    gp = pp.runq[(t - 1) % len(pp.runq)]
    pp.runqtail = t - 1
    return gp, False
''', "first-in first-out"),
("04_runqsteal", "n/2 rounded down", '''
def runqgrab(pp, batch, batchHead, stealRunNextG):
    h = pp.runqhead
    t = pp.runqtail
    n = (t - h) // 2
    if n == 0:
        if stealRunNextG:
            next = pp.runnext
            if next is not None:
                pp.runnext = None
                batch[batchHead % len(batch)] = next
                return 1
        return 0
    for i in range(n):
        batch[(batchHead + i) % len(batch)] = pp.runq[(h + i) % len(pp.runq)]
    pp.runqhead = h + n
    return n
''', "half rounded up"),
("04_runqsteal", "runnext stolen on every pass", '''
def runqgrab(pp, batch, batchHead, stealRunNextG):
    h = pp.runqhead
    t = pp.runqtail
    n = t - h
    n = n - n // 2
    if n == 0:
        next = pp.runnext
        if next is not None:
            pp.runnext = None
            batch[batchHead % len(batch)] = next
            return 1
        return 0
    for i in range(n):
        batch[(batchHead + i) % len(batch)] = pp.runq[(h + i) % len(pp.runq)]
    pp.runqhead = h + n
    return n
''', "only when stealRunNextG"),
("04_runqsteal", "runnext taken even from a non-empty ring", '''
def runqgrab(pp, batch, batchHead, stealRunNextG):
    h = pp.runqhead
    t = pp.runqtail
    n = t - h
    n = n - n // 2
    if stealRunNextG and pp.runnext is not None:
        next = pp.runnext
        pp.runnext = None
        batch[batchHead % len(batch)] = next
        return 1
    if n == 0:
        return 0
    for i in range(n):
        batch[(batchHead + i) % len(batch)] = pp.runq[(h + i) % len(pp.runq)]
    pp.runqhead = h + n
    return n
''', "only when the ring is empty"),
("04_runqsteal", "no usleep(3) before taking a running P's runnext", '''
def runqgrab(pp, batch, batchHead, stealRunNextG):
    h = pp.runqhead
    t = pp.runqtail
    n = t - h
    n = n - n // 2
    if n == 0:
        if stealRunNextG:
            next = pp.runnext
            if next is not None:
                pp.runnext = None
                batch[batchHead % len(batch)] = next
                return 1
        return 0
    for i in range(n):
        batch[(batchHead + i) % len(batch)] = pp.runq[(h + i) % len(pp.runq)]
    pp.runqhead = h + n
    return n
''', "sleeps (usleep(3))"),
("04_runqsteal", "runqsteal publishes the G it runs", '''
def runqsteal(pp, p2, stealRunNextG):
    t = pp.runqtail
    n = runqgrab(p2, pp.runq, t, stealRunNextG)
    if n == 0:
        return None
    gp = pp.runq[(t + n - 1) % len(pp.runq)]
    pp.runqtail = t + n
    return gp
''', "runs the last G grabbed"),
("05_randomorder", "every X in 1..count, coprime or not", '''
class randomEnum:
    def __init__(self, count, pos, inc):
        self.i, self.count, self.pos, self.inc = 0, count, pos, inc
    def done(self):
        return self.i == self.count
    def next(self):
        self.i += 1
        self.pos = (self.pos + self.inc) % self.count
    def position(self):
        return self.pos

class randomOrder:
    def __init__(self):
        self.count, self.coprimes = 0, []
    def reset(self, count):
        self.count = count
        self.coprimes = list(range(1, count + 1))
    def start(self, i):
        return randomEnum(self.count, i % self.count,
                          self.coprimes[i // self.count % len(self.coprimes)])
''', "gcd(X, count) == 1"),
("05_randomorder", "inc = coprimes[i % len(coprimes)]", '''
from math import gcd
class randomEnum:
    def __init__(self, count, pos, inc):
        self.i, self.count, self.pos, self.inc = 0, count, pos, inc
    def done(self):
        return self.i == self.count
    def next(self):
        self.i += 1
        self.pos = (self.pos + self.inc) % self.count
    def position(self):
        return self.pos

class randomOrder:
    def __init__(self):
        self.count, self.coprimes = 0, []
    def reset(self, count):
        self.count = count
        self.coprimes = [x for x in range(1, count + 1) if gcd(x, count) == 1]
    def start(self, i):
        return randomEnum(self.count, i % self.count, self.coprimes[i % len(self.coprimes)])
''', "inc = coprimes[i/count % len(coprimes)]"),
("05_randomorder", "done one P too early", '''
from math import gcd
class randomEnum:
    def __init__(self, count, pos, inc):
        self.i, self.count, self.pos, self.inc = 0, count, pos, inc
    def done(self):
        return self.i >= self.count - 1
    def next(self):
        self.i += 1
        self.pos = (self.pos + self.inc) % self.count
    def position(self):
        return self.pos

class randomOrder:
    def __init__(self):
        self.count, self.coprimes = 0, []
    def reset(self, count):
        self.count = count
        self.coprimes = [x for x in range(1, count + 1) if gcd(x, count) == 1]
    def start(self, i):
        return randomEnum(self.count, i % self.count,
                          self.coprimes[i // self.count % len(self.coprimes)])
''', "done() is true once"),
("06_globrunqget", "the fairness check takes a whole batch (max ignored)", '''
def globrunqget(pp, max):
    if sched.runq.size == 0:
        return None
    n = sched.runq.size // gomaxprocs + 1
    if n > sched.runq.size:
        n = sched.runq.size
    if n > len(pp.runq) // 2:
        n = len(pp.runq) // 2
    gp = sched.runq.pop()
    for _ in range(n - 1):
        runqput(pp, sched.runq.pop(), False)
    return gp
''', "takes exactly one G"),
("06_globrunqget", "n = size/gomaxprocs, without the + 1", '''
def globrunqget(pp, max):
    if sched.runq.size == 0:
        return None
    n = sched.runq.size // gomaxprocs
    if n > sched.runq.size:
        n = sched.runq.size
    if max > 0 and n > max:
        n = max
    if n > len(pp.runq) // 2:
        n = len(pp.runq) // 2
    if n == 0:
        n = 1
    gp = sched.runq.pop()
    for _ in range(n - 1):
        runqput(pp, sched.runq.pop(), False)
    return gp
''', "+ 1"),
("06_globrunqget", "no cap at half the ring", '''
def globrunqget(pp, max):
    if sched.runq.size == 0:
        return None
    n = sched.runq.size // gomaxprocs + 1
    if n > sched.runq.size:
        n = sched.runq.size
    if max > 0 and n > max:
        n = max
    gp = sched.runq.pop()
    for _ in range(n - 1):
        runqput(pp, sched.runq.pop(), False)
    return gp
''', "half the local ring"),
("07_findrunnable", "the global queue before the local one", '''
def findRunnable_next(pp, mp, after):
    order = ["top", "timers", "fairness", "global", "local", "netpoll", "steal", "idle"]
    for src in order[order.index(after) + 1:]:
        if src == "fairness" and not (pp.schedtick % 61 == 0 and not sched.runq.empty()):
            continue
        if src == "global" and sched.runq.empty():
            continue
        if src == "netpoll" and not (netpollinited() and netpollAnyWaiters() and sched.lastpoll != 0):
            continue
        if src == "steal" and not (mp.spinning or 2 * sched.nmspinning < gomaxprocs - sched.npidle):
            continue
        return src
''', "own queue comes before the global queue"),
("07_findrunnable", "the fairness look whenever the global queue has work", '''
def findRunnable_next(pp, mp, after):
    order = ["top", "timers", "fairness", "local", "global", "netpoll", "steal", "idle"]
    for src in order[order.index(after) + 1:]:
        if src == "fairness" and sched.runq.empty():
            continue
        if src == "global" and sched.runq.empty():
            continue
        if src == "netpoll" and not (netpollinited() and netpollAnyWaiters() and sched.lastpoll != 0):
            continue
        if src == "steal" and not (mp.spinning or 2 * sched.nmspinning < gomaxprocs - sched.npidle):
            continue
        return src
''', "pp.schedtick % 61 == 0"),
("07_findrunnable", "every idle M steals (no spinning limit)", '''
def findRunnable_next(pp, mp, after):
    order = ["top", "timers", "fairness", "local", "global", "netpoll", "steal", "idle"]
    for src in order[order.index(after) + 1:]:
        if src == "fairness" and not (pp.schedtick % 61 == 0 and not sched.runq.empty()):
            continue
        if src == "global" and sched.runq.empty():
            continue
        if src == "netpoll" and not (netpollinited() and netpollAnyWaiters() and sched.lastpoll != 0):
            continue
        return src
''', "spinning Ms at most half the busy Ps"),
("07_findrunnable", "the network never polled before stealing", '''
def findRunnable_next(pp, mp, after):
    order = ["top", "timers", "fairness", "local", "global", "steal", "idle"]
    for src in order[order.index(after) + 1:]:
        if src == "fairness" and not (pp.schedtick % 61 == 0 and not sched.runq.empty()):
            continue
        if src == "global" and sched.runq.empty():
            continue
        if src == "steal" and not (mp.spinning or 2 * sched.nmspinning < gomaxprocs - sched.npidle):
            continue
        return src
''', "netpoll(0) comes after the global queue"),
("09_exitsyscall", "exitsyscall tries the global queue first", '''
def exitsyscall():
    gp = getg()
    gp.m.oldp = None
    mcall(exitsyscall0)
''', "the fast path first"),
("09_exitsyscall", "any idle P before the old P", '''
def exitsyscallfast(oldp):
    if sched.pidle is not None:
        if exitsyscallfast_pidle():
            return True
    if oldp is not None and oldp.status == _Psyscall:
        oldp.status = _Pidle
        wirep(oldp)
        exitsyscallfast_reacquired()
        return True
    return False
''', "try the old P before any idle one"),
("09_exitsyscall", "the old P taken back without looking at its status", '''
def exitsyscallfast(oldp):
    if oldp is not None:
        wirep(oldp)
        exitsyscallfast_reacquired()
        return True
    if sched.pidle is not None:
        if exitsyscallfast_pidle():
            return True
    return False
''', "only while it is still _Psyscall"),
("09_exitsyscall", "no syscalltick++ on the fast path", '''
def exitsyscall():
    gp = getg()
    oldp = gp.m.oldp
    gp.m.oldp = None
    if exitsyscallfast(oldp):
        casgstatus(gp, _Gsyscall, _Grunning)
        return
    mcall(exitsyscall0)
''', "syscalltick"),
("09_exitsyscall", "exitsyscallfast_reacquired forgotten", '''
def exitsyscallfast_reacquired():
    pass
''', "syscalltick"),
("08_retake", "the 10ms rule ignored", '''
def retake(now):
    n = 0
    for pp in allp:
        pd = pp.sysmontick
        s = pp.status
        sysretake = False
        if s == _Prunning or s == _Psyscall:
            t = pp.schedtick
            if pd.schedtick != t:
                pd.schedtick = t
                pd.schedwhen = now
            elif pd.schedwhen + forcePreemptNS <= now:
                preemptone(pp)
                sysretake = True
        if s == _Psyscall:
            t = pp.syscalltick
            if not sysretake and pd.syscalltick != t:
                pd.syscalltick = t
                pd.syscallwhen = now
                continue
            pp.status = _Pidle
            n += 1
            pp.syscalltick += 1
            handoffp(pp)
    return n
''', "10ms rule"),
("08_retake", "a syscall retaken at first sight (no tick)", '''
def retake(now):
    n = 0
    for pp in allp:
        pd = pp.sysmontick
        s = pp.status
        sysretake = False
        if s == _Prunning or s == _Psyscall:
            t = pp.schedtick
            if pd.schedtick != t:
                pd.schedtick = t
                pd.schedwhen = now
            elif pd.schedwhen + forcePreemptNS <= now:
                preemptone(pp)
                sysretake = True
        if s == _Psyscall:
            if runqempty(pp) and sched.nmspinning + sched.npidle > 0 and pd.syscallwhen + 10_000_000 > now:
                continue
            pp.status = _Pidle
            n += 1
            pp.syscalltick += 1
            handoffp(pp)
    return n
''', "first record a new syscall"),
("08_retake", "a never-recorded syscallwhen taken as now", '''
def retake(now):
    n = 0
    for pp in allp:
        pd = pp.sysmontick
        s = pp.status
        sysretake = False
        if s == _Prunning or s == _Psyscall:
            t = pp.schedtick
            if pd.schedtick != t:
                pd.schedtick = t
                pd.schedwhen = now
            elif pd.schedwhen + forcePreemptNS <= now:
                preemptone(pp)
                sysretake = True
        if s == _Psyscall:
            t = pp.syscalltick
            if not sysretake and (pd.syscalltick != t or pd.syscallwhen == NEVER):
                pd.syscalltick = t
                pd.syscallwhen = now
                continue
            if runqempty(pp) and sched.nmspinning + sched.npidle > 0 and pd.syscallwhen + 10_000_000 > now:
                continue
            pp.status = _Pidle
            n += 1
            pp.syscalltick += 1
            handoffp(pp)
    return n
''', "never recorded"),
("08_retake", "retaken but not handed off", '''
def retake(now):
    n = 0
    for pp in allp:
        pd = pp.sysmontick
        s = pp.status
        sysretake = False
        if s == _Prunning or s == _Psyscall:
            t = pp.schedtick
            if pd.schedtick != t:
                pd.schedtick = t
                pd.schedwhen = now
            elif pd.schedwhen + forcePreemptNS <= now:
                preemptone(pp)
                sysretake = True
        if s == _Psyscall:
            t = pp.syscalltick
            if not sysretake and pd.syscalltick != t:
                pd.syscalltick = t
                pd.syscallwhen = now
                continue
            if runqempty(pp) and sched.nmspinning + sched.npidle > 0 and pd.syscallwhen + 10_000_000 > now:
                continue
            pp.status = _Pidle
            n += 1
            pp.syscalltick += 1
    return n
''', "handoffp(pp)"),
("10_predict", "a new G goes to the tail, so they run in the order started", '''
def first_run_one_p():
    return [2, 3, 4, 5]
''', "runs first"),
("10_predict", "one M per CPU: 2 Ps, so 2 threads (and sysmon)", '''
def threads_created():
    return 3
''', "holds its M"),
("10_predict", "Gosched lets G2 go on at once when it is the only one running", '''
def run_order_gosched():
    return [4, 2, 2, 3]
''', "global queue"),
]
