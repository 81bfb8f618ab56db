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




#: plausible-but-wrong answers: (exercise, what is wrong, edits to the solution's answer cells —
#: (old, new) pairs, each ``old`` found exactly once —, a fragment the failing check's hint must
#: contain)
WRONG = [
    ("01_runqput", "next ignored: every G goes to the tail",
     [("    if next:\n", "    if False:\n")], "goes into pp.runnext"),
    ("01_runqput", "the old runnext is dropped, not kicked",
     [("        if oldnext is None:\n            return\n        gp = oldnext",
       "        return")], "kicked out to the tail"),
    ("01_runqput", "the ring indexed without % len",
     [("pp.runq[t % len(pp.runq)] = gp", "pp.runq[t] = gp")], "pp.runq[t%uint32(len(pp.runq))]"),
    ("01_runqput", "a full ring never spills (<= instead of <)",
     [("if t - h < len(pp.runq):", "if t - h <= len(pp.runq):")], "then runqputslow"),
    ("02_runqputslow", "a spill of 128 without the kicked G",
     [("    batch.append(gp)\n", "")], "plus gp: 129"),
    ("02_runqputslow", "gp put first, before the half of the ring",
     [("    batch.append(gp)\n", "    batch.insert(0, gp)\n")], "keep the order"),
    ("02_runqputslow", "runqhead not moved: the Gs stay on the ring too",
     [("    pp.runqhead = h + n", "    pass")], "move pp.runqhead past"),
    ("02_runqputslow", "the half taken from the tail end of the ring",
     [("pp.runq[(h + i) % len(pp.runq)]", "pp.runq[(h + n + i) % len(pp.runq)]"),
      ("    pp.runqhead = h + n", "    pp.runqtail = t - n")], "takes the first half"),
    ("03_runqget", "the ring before runnext",
     [("    next = pp.runnext\n", "    next = pp.runnext if pp.runqtail == pp.runqhead else None\n")],
     "runnext first"),
    ("03_runqget", "inheritTime always False",
     [("return next, True", "return next, False")], "inheritTime: a G taken from runnext"),
    ("03_runqget", "runnext returned but left in place",
     [("        pp.runnext = None\n", "")], "take the G off the queue"),
    ("03_runqget", "last in, first out",
     [("gp = pp.runq[h % len(pp.runq)]", "gp = pp.runq[(t - 1) % len(pp.runq)]"),
      ("pp.runqhead = h + 1", "pp.runqtail = t - 1")], "first-in first-out"),
    ("04_runqsteal", "n/2 rounded down",
     [("    n = n - n // 2\n", "    n = n // 2\n")], "half rounded up"),
    ("04_runqsteal", "runnext stolen on every pass",
     [("        if stealRunNextG:\n", "        if True:\n")], "only when stealRunNextG"),
    ("04_runqsteal", "runnext taken even from a non-empty ring",
     [("    if n == 0:\n        if stealRunNextG:", "    if True:\n        if stealRunNextG:"),
      ("                return 1\n        return 0\n",
       "                return 1\n        if n == 0:\n            return 0\n")],
     "only when the ring is empty"),
    ("04_runqsteal", "no usleep(3) before taking a running P's runnext",
     [("                    usleep(3)", "                    pass")], "sleeps (usleep(3))"),
    ("04_runqsteal", "runqsteal publishes the G it runs",
     [("    pp.runqtail = t + n               # publish the others",
       "    pp.runqtail = t + n + 1")], "runs the last G grabbed"),
    ("05_randomorder", "every X in 1..count, coprime or not",
     [(" if gcd(i, count) == 1]", "]")], "gcd(X, count) == 1"),
    ("05_randomorder", "inc = coprimes[i % len(coprimes)]",
     [("self.coprimes[i // self.count % len(self.coprimes)]",
       "self.coprimes[i % len(self.coprimes)]")], "inc = coprimes[i/count % len(coprimes)]"),
    ("05_randomorder", "done one P too early",
     [("return self.i == self.count", "return self.i >= self.count - 1")], "done() is true once"),
    ("06_globrunqget", "the fairness check takes a whole batch (max ignored)",
     [("    if max > 0 and n > max:\n        n = max\n", "")], "takes exactly one G"),
    ("06_globrunqget", "n = size/gomaxprocs, without the + 1",
     [("n = sched.runq.size // gomaxprocs + 1", "n = max(1, sched.runq.size // gomaxprocs)")],
     "+ 1"),
    ("06_globrunqget", "no cap at half the ring",
     [("    if n > len(pp.runq) // 2:\n        n = len(pp.runq) // 2\n", "")],
     "half the local ring"),
    ("07_findrunnable", "the global queue before the local one",
     [('"fairness", "local", "global"', '"fairness", "global", "local"')],
     "own queue comes before the global queue"),
    ("07_findrunnable", "the fairness look whenever the global queue has work",
     [("not (pp.schedtick % 61 == 0 and not sched.runq.empty())", "sched.runq.empty()")],
     "pp.schedtick % 61 == 0"),
    ("07_findrunnable", "every idle M steals (no spinning limit)",
     [('if src == "steal" and not', 'if src == "steal" and False and not')],
     "spinning Ms at most half the busy Ps"),
    ("07_findrunnable", "the network never polled before stealing",
     [('"global", "netpoll", "steal"', '"global", "steal"')],
     "netpoll(0) comes after the global queue"),
    ("08_retake", "the 10ms rule ignored",
     [("            if (runqempty(pp)", "            if (False and runqempty(pp)")], "10ms rule"),
    ("08_retake", "a syscall retaken at first sight (no tick)",
     [("            if not sysretake and pd.syscalltick != t:",
       "            if False:")], "first record a new syscall"),
    ("08_retake", "a never-recorded syscallwhen taken as now",
     [("if not sysretake and pd.syscalltick != t:",
       "if not sysretake and (pd.syscalltick != t or pd.syscallwhen == NEVER):")],
     "never recorded"),
    ("08_retake", "retaken but not handed off",
     [("            handoffp(pp)\n", "")], "handoffp(pp)"),
    ("09_exitsyscall", "exitsyscall tries the global queue first",
     [("    if exitsyscallfast(oldp):", "    if False:")], "the fast path first"),
    ("09_exitsyscall", "any idle P before the old P",
     [("    if oldp is not None and oldp.status == _Psyscall:",
       "    if sched.pidle is not None and exitsyscallfast_pidle():\n        return True\n"
       "    if oldp is not None and oldp.status == _Psyscall:")], "try the old P before any idle one"),
    ("09_exitsyscall", "the old P taken back without looking at its status",
     [("if oldp is not None and oldp.status == _Psyscall:", "if oldp is not None:"),
      ("        oldp.status = _Pidle          # Go: a CAS, racing with retake\n", "")],
     "only while it is still _Psyscall"),
    ("09_exitsyscall", "no syscalltick++ on the fast path",
     [("    if exitsyscallfast(oldp):\n        gp.m.p.syscalltick += 1\n",
       "    if exitsyscallfast(oldp):\n")], "syscalltick"),
    ("09_exitsyscall", "exitsyscallfast_reacquired forgotten",
     [("    if gp.m.syscalltick != gp.m.p.syscalltick:", "    if False:")], "syscalltick"),
    ("10_predict", "a new G goes to the tail, so they run in the order started",
     [("return [5, 2, 3, 4]", "return [2, 3, 4, 5]")], "runs first"),
    ("10_predict", "one M per CPU: 2 Ps, so 2 threads (and sysmon)",
     [("return 11", "return 3")], "holds its M"),
    ("10_predict", "Gosched lets G2 go on at once when it is the only one running",
     [("return [4, 2, 3, 2]", "return [4, 2, 2, 3]")], "global queue"),
]


def wrong_source(exercise, edits):
    """The solution's answer cells with ``edits`` applied."""
    src = answer_source(ROOT / "solutions" / f"{exercise}.ipynb")
    for old, new in edits:
        assert src.count(old) == 1, f"{exercise}: {old!r} is not in the solution exactly once"
        src = src.replace(old, new)
    return src
