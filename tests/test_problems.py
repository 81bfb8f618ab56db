"""gmplab.problems: for every kind, 200 seeds whose answers agree with an independent
derivation, the same problems byte for byte in another process, answers that vary; answer
forms; bad input; the ``gmplab problem`` command as a subprocess.

The independent derivations re-run each problem from the gmplab listing it prints (exec'd
here, so the listing is what was run) and reach the answer by another road than the
generator's: a slow one-P model of the rules (naive_sched), Go's steal and retake rules applied
by hand to the state the problem prints, counts from the event log where the generator read the
state, the state where it read the log."""
import collections
import hashlib
import json
import os
import re
import subprocess
import sys

import pytest

from gmplab import problems
from gmplab.problems import AnswerError, forms
from gmplab.runtime import layout as L
from naive_sched import OneP

SEEDS = range(200)
KINDS = list(problems.KINDS)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def level_of(kind, seed):
    """Seeds cycle through the levels: 200 seeds cover every level of every kind."""
    return 1 + seed % len(problems.KINDS[kind].levels)


_CACHE = {}


def made(kind):
    if kind not in _CACHE:
        _CACHE[kind] = [problems.make(kind, level_of(kind, s), s) for s in SEEDS]
    return _CACHE[kind]


def rerun(p, run=False):
    """A second Runtime, from the gmplab listing the problem prints; ``run``: with its last
    lines (how far it runs) too, else stopped before them."""
    lines = p.gmplab_code.splitlines()
    if not run:
        lines = [x for x in lines if not x.startswith(("rt.run(", "print("))]
    ns = {}
    exec("\n".join(lines), ns)
    return ns["rt"]


def arg(p, name):
    return dict(p.args())[name]


# --- the independent derivations, one per kind ------------------------------------------------

def runorder(p):
    k, P = arg(p, "k"), dict(p.args()).get("p")
    if p.program.gomaxprocs == 1:
        return [g for g in OneP(p.program).executes if g != 1][k - 1]
    rt = rerun(p, run=True)
    a = rt.events.array()
    sel = (a[:, L.L_fn] == L.FN["execute"]) & (a[:, L.L_g] != 1) & (a[:, L.L_p] == P)
    return int(a[sel][k - 1, L.L_g])


def placement(p):
    m = OneP(p.program, stop_after_go=p.program.go_statements())
    g = arg(p, "g")
    if m.runnext == g:
        return ("runnext", None)
    if g in m.ring:
        return ("runq", (m.runqhead + list(m.ring).index(g)) % 256)
    return ("global", list(m.glob).index(g))


def _orders(p, n, thief):
    if n == 2:
        return [[0, 1]] * 4
    got = re.findall(r"pass \d: ((?:P\d ?)+)", p.facts)
    assert len(got) == 4, p.facts
    return [[int(x) for x in re.findall(r"\d+", o)] for o in got]


def steal(p):
    """stealWork by hand on the state the problem prints: 4 passes, skip the thief's own P and
    the Ps on the idle list, half the ring rounded up from the head; runnext on the last pass."""
    rt = rerun(p, run=True)
    m = int(arg(p, "thief")[1:])
    me = rt.m(m).p if rt.m(m).p is not None else rt.m(m).nextp
    idle = []
    q = rt.sched.pidle
    while q is not None:
        idle.append(q)
        q = rt.p(q).link
    for i, order in enumerate(_orders(p, rt.gomaxprocs(), m)):
        for v in order:
            if v == me or v in idle:
                continue
            ring = rt.p(v).runq
            if ring:
                return (v, tuple(sorted(ring[:len(ring) - len(ring) // 2])))
            if i == 3 and rt.p(v).runnext is not None:
                return (v, (rt.p(v).runnext,))
    return None


def retake(p):
    """retake's checks by hand on the state the problem prints (proc.go, go1.25)."""
    rt = rerun(p, run=True)
    pp = rt.p(arg(p, "p"))
    now = rt.now + 1
    st = pp.sysmontick
    ancient = -(1 << 62)
    recorded = sysretake = False
    if st["schedtick"] != pp.schedtick:
        recorded = True
    elif (st["schedwhen"] if st["schedwhen"] is not None else ancient) + 10_000_000 <= now:
        if pp.status == "_Prunning":
            return "preempt" if rt.m(pp.m).curg is not None else "leave"
        sysretake = True
    if pp.status == "_Prunning":
        return "record" if recorded else "leave"
    if not sysretake and st["syscalltick"] != pp.syscalltick:
        return "record"
    empty = pp.runqsize == 0 and pp.runnext is None
    sw = st["syscallwhen"] if st["syscallwhen"] is not None else ancient
    if empty and rt.sched.nmspinning + rt.sched.npidle > 0 and sw + 10_000_000 > now:
        return "record" if recorded else "leave"
    return "retake"


def threads(p):
    """Counted from the event log (the generator read rt.mcount() and sched.nmidle)."""
    rt = rerun(p, run=True)
    a = rt.events.array()
    fn, why = a[:, L.L_fn], a[:, L.L_why]
    made = int(((fn == L.FN["newm"]) & (a[:, L.L_b] > 0)).sum())
    parked = int((fn == L.FN["stopm"]).sum())
    woken = int(((fn == L.FN["startm"]) & (why == L.W_MGET)).sum())
    return (made, parked - woken)


def schedtrace(p):
    """The state at the moment sysmon prints the asked line, read through the views."""
    rt = rerun(p)
    j = arg(p, "line")
    while len(rt.trace) < j:
        rt.step()
    s, ps = rt.sched, rt.allp
    return (rt.now // 1_000_000, rt.gomaxprocs(), s.npidle, rt.mcount(), s.nmspinning,
            s.needspinning, s.nmidle, s.runqsize, tuple(q.runqsize for q in ps),
            tuple(q.schedtick for q in ps))


def preemption(p):
    prog = p.program
    hog = any(s[0] == "go" and s[1][0][0] == "work" and s[1][0][1] >= 10_000_000
              for s in prog.main)
    if p.level == 3 and not hog:
        return [g for g in OneP(prog).exits if g != 1].index(arg(p, "g"))
    # time matters (10ms slices): step a second Runtime and watch the goroutines die
    rt = rerun(p)
    seen, order = set(), []
    while rt.finished is None:
        rt.step()
        alive = set(rt.goids())
        seen |= alive
        gone = sorted(seen - alive - set(order) - {1})
        assert len(gone) <= 1, gone
        order += gone
    if p.level == 3:
        return order.index(arg(p, "g"))
    return tuple(order)


DERIVE = {"runorder": runorder, "placement": placement, "steal": steal, "retake": retake,
          "threads": threads, "schedtrace": schedtrace, "preemption": preemption}


@pytest.mark.parametrize("kind", KINDS)
def test_answers_agree_with_an_independent_derivation(kind):
    bad = []
    for p in made(kind):
        got = DERIVE[kind](p)
        if got != p.answer:
            bad.append((p.level, p.seed, p.answer, got))
    assert not bad, f"{kind}: {len(bad)} of 200 disagree (level, seed, answer, derived): {bad[:5]}"


@pytest.mark.parametrize("kind", KINDS)
def test_answers_vary_over_the_seeds(kind):
    ps = made(kind)
    answers = collections.Counter(p.answer for p in ps)
    top, n = answers.most_common(1)[0]
    assert n <= 0.4 * len(ps), f"{kind}: {p.form.show(top)} is the answer {n} times in 200"
    assert len(answers) >= 4
    assert len({p.text() for p in ps}) >= 0.95 * len(ps)        # different seeds, problems
    for lv in problems.KINDS[kind].levels:
        assert len({p.answer for p in ps if p.level == lv}) >= 2


def digest(p):
    return hashlib.sha256(p.text(solve=True).encode()).hexdigest()


def test_a_second_process_prints_byte_identical_problems():
    code = ("import json, hashlib\nfrom gmplab import problems\n"
            f"out = {{k: [hashlib.sha256(problems.make(k, 1 + s % len(problems.KINDS[k].levels),"
            f" s).text(solve=True).encode()).hexdigest() for s in range({len(SEEDS)})] "
            f"for k in {KINDS!r}}}\nprint(json.dumps(out))")
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr
    theirs = json.loads(out.stdout)
    for k in KINDS:
        assert theirs[k] == [digest(p) for p in made(k)], k


def test_same_seed_same_problem_different_seed_different_problem():
    a, b = problems.make("steal", 2, 5), problems.make("steal", 2, 5)
    assert a.text(solve=True) == b.text(solve=True) and a.answer == b.answer
    assert problems.make("steal", 2, 6).text() != a.text()
    assert problems.make("steal", 3, 5).text() != a.text()


# --- what a problem shows ---------------------------------------------------------------------

def test_text_opens_with_the_arg_lines_and_shows_both_programs():
    p = problems.make("runorder", 2, 7)
    lines = p.text().splitlines()
    assert lines[:3] == ["ARG kind runorder", "ARG level 2", "ARG seed 7"]
    assert all(x.startswith("ARG ") for x in lines[:len(p.args())])
    assert "go func() { // G2" in p.text() and "\tdefer wg.Done()" in p.go_code
    assert "rt.main(" in p.gmplab_code and "go(work(" in p.gmplab_code
    assert "Answer:" not in p.text() and f"Answer: {p.answer_text}" in p.text(solve=True)
    # the explanation lists decisions with their Go functions
    assert any(" execute " in x for x in p.explanation)
    compile(p.gmplab_code, "listing", "exec")


def test_go_listing_of_loops_syscalls_and_channels():
    p = problems.make("retake", 2, 3)
    assert re.search(r"for (\w) := 0; \1 < \d+; \1\+\+ \{", p.go_code)
    assert "nanosleep(" in p.go_code
    assert '"syscall"' in p.go_code
    q = next(q for q in made("runorder") if q.program.chans)
    assert "make(chan int" in q.go_code and ("<- 1" in q.go_code) and "<-ch" in q.go_code


# --- answers: forms, right, wrong --------------------------------------------------------------

def test_check_right_wrong_and_wrong_form_for_every_kind():
    for kind in KINDS:
        p = made(kind)[1]
        v = p.check(p.answer_text)
        assert v.correct and v.message.startswith("✓") and p.answer_text in v.message
        assert p.explanation[0] in v.message
        with pytest.raises(AnswerError) as e:
            p.check("?? what")
        assert "'?? what'" in str(e.value) or "?? what" in str(e.value)
        with pytest.raises(AnswerError):
            p.check("")
        with pytest.raises(AnswerError):
            p.check(5)


@pytest.mark.parametrize("form, right, same, wrong_form", [
    (forms.Goid(), "G5", ["5", " g5 "], ["G", "x5", "5 6"]),
    (forms.GoidList(True), "G3 G2 G4", ["3, 2, 4", "g3 g2 g4"], ["G3 G3", "G3 P2"]),
    (forms.GoidList(False), "G3 G4", ["4 3"], ["G3,,x"]),
    (forms.Where(), "runq[3]", ["RUNQ[ 3 ]"], ["runq[300]", "ring 3", "global"]),
    (forms.Steal(), "P0: G3 G4", ["p0 4 3", "P0, G4, G3"], ["G3 G4", "P0:", "P0: G3 G3"]),
    (forms.Choice({"retake": "", "leave": ""}), "retake", ["RETAKE"], ["maybe"]),
    (forms.Count(), "12", [" 12 "], ["twelve", "-3", "1.5"]),
    (forms.Fields(("threads", "idlethreads")), "threads=9 idlethreads=6",
     ["9 6", "idlethreads=6 threads=9"], ["threads=9", "9", "threads=9 idle=6", "9 six"]),
])
def test_answer_forms(form, right, same, wrong_form):
    v = form.parse(right)
    assert form.parse(form.show(v)) == v
    for s in same:
        assert form.parse(s) == v, s
    for s in wrong_form:
        with pytest.raises(AnswerError) as e:
            form.parse(s)
        assert repr(s.strip()) in str(e.value) or repr(s) in str(e.value), (s, str(e.value))


def test_schedtrace_answers_may_leave_out_schedticks():
    p = made("schedtrace")[0]
    line = p.answer_text
    assert p.check(line).correct
    assert p.check(line.split(" schedticks")[0]).correct
    wrong = re.sub(r"threads=(\d+)", lambda m: f"threads={int(m.group(1)) + 1}", line, count=1)
    assert not p.check(wrong).correct
    with pytest.raises(AnswerError):
        p.check("SCHED 3ms: gomaxprocs=2")


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, err, words", [
    (("nope", 1, 0), ValueError, ["'nope'", "runorder", "preemption"]),
    ((3, 1, 0), TypeError, ["int 3", "runorder"]),
    (("steal", 4, 0), ValueError, ["level 4", "'steal'", "1..3"]),
    (("steal", 0, 0), ValueError, ["level 0", "1..3"]),
    (("steal", "2", 0), TypeError, ["str '2'", "1..3"]),
    (("steal", 1, "7"), TypeError, ["seed", "str '7'", "non-negative integer"]),
    (("steal", 1, 1.5), TypeError, ["float 1.5"]),
    (("steal", 1, True), TypeError, ["bool True"]),
    (("steal", 1, -1), ValueError, ["seed -1", ">= 0"]),
])
def test_bad_arguments_are_named(args, err, words):
    with pytest.raises(err) as e:
        problems.make(*args)
    for w in words:
        assert w in str(e.value), (w, str(e.value))


def test_kinds_lists_every_kind_with_levels():
    ks = problems.kinds()
    assert [k for k, _, _ in ks] == KINDS and len(ks) >= 7
    assert all(len(levels) >= 2 for _, _, levels in ks)


# --- the command line, as a subprocess ------------------------------------------------------------

def gmplab(*args):
    return subprocess.Popen([sys.executable, "-m", "gmplab", "problem", *args], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_cli():
    runs = {  # started together: each pays for an import of gmplab
        "help": gmplab("--help"),
        "list": gmplab("--list"),
        "solve": gmplab("--kind", "threads", "--level", "2", "--seed", "11", "--solve"),
        "kind": gmplab("--kind", "spinning"),
        "seed": gmplab("--kind", "threads", "--seed", "seven"),
    }
    out = {k: (p.communicate(timeout=300), p.returncode) for k, p in runs.items()}
    (help_, _), rc = out["help"]
    assert rc == 0
    for w in KINDS + ["--kind", "--level", "--seed", "--solve", "-c", "--list", "--answer",
                      "level 3:", "Exit status"]:
        assert w in help_, w
    (lst, _), rc = out["list"]
    assert rc == 0 and all(re.search(rf"^  {k} ", lst, re.M) for k in KINDS)
    p = problems.make("threads", 2, 11)
    (solved, _), rc = out["solve"]
    assert rc == 0 and solved == p.text(solve=True)
    assert solved.splitlines()[:3] == ["ARG kind threads", "ARG level 2", "ARG seed 11"]
    assert f"Answer: {p.answer_text}" in solved
    for key, words in (("kind", ["'spinning'", "runorder", "preemption"]),
                       ("seed", ["'seven'", "integer"])):
        (o, e), rc = out[key]
        assert rc == 2 and not o, (key, o, e)
        for w in words:
            assert w in e, (key, w, e)


@pytest.mark.parametrize("argv, words", [
    (["--kind", "threads", "--level", "9"], ["level 9", "'threads'", "1..3"]),
    (["--kind", "threads", "--level", "two"], ["'two'", "integer"]),
    (["--kind", "threads", "--seed", "-4"], ["-4", ">= 0"]),
    ([], ["--kind", "--list"]),
    (["-k", "threads", "-L", "2", "-s", "11", "-a", "lots"], ["'lots'", "threads="]),
])
def test_cli_bad_arguments_exit_2(argv, words, capsys):
    from gmplab.cli import main
    with pytest.raises(SystemExit) as e:
        main(["problem", *argv])
    assert e.value.code == 2
    err = capsys.readouterr().err
    for w in words:
        assert w in err, (w, err)


def test_cli_prints_the_problem_and_judges_an_answer(capsys):
    from gmplab.cli import main
    p = problems.make("placement", 1, 4)
    assert main(["problem", "-k", "placement", "-s", "4"]) == 0
    assert capsys.readouterr().out == p.text()
    assert main(["problem", "-k", "placement", "-s", "4", "-a", p.answer_text]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ARG kind placement") and "✓ Right" in out
    wrong = "runnext" if p.answer_text != "runnext" else "runq[0]"
    assert main(["problem", "-k", "placement", "-s", "4", "-a", wrong]) == 1
    assert "✗ Not quite" in capsys.readouterr().out
