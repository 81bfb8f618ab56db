"""The checks that exercise notebooks' check cells call: ``check(check_id, *functions)``.

Every check is two steps, so that a classroom grader can run them in different processes:

* :func:`collect` runs the learner's functions — plug-in runs of scenarios on the virtual
  clock, and Go's own test cases (RunSchedLocalQueueTest, ...) — and returns plain,
  JSON-serialisable data: the event log of each run, the trace of every call of the learner's
  functions (what each was given, what it did), how often they were called, and any error. It
  never decides.
* :func:`judge` runs no learner code: it computes the same data with the core's own functions
  (the reference) and compares, case by case. The first case that differs gives the verdict's
  message: what was expected, what came back, the first diverging decision (time, Go function,
  expected vs got) and a hint aimed at the likely bug.

``check(check_id, *functions)`` is ``judge(check_id, collect(check_id, *functions))``: it prints
the verdict's one-line message on success and raises :class:`CheckFailed` otherwise.
"""
import functools
import json
import linecache
from dataclasses import dataclass, field
from typing import Callable

from ..events import EventLog
from ..ops import fmt_ns
from .plugins import BUILTIN, PluginRun, _GMPLAB_DIR

DATA_VERSION = 1


class CheckFailed(Exception):
    """A check cell's verdict: the learner's function does not do what Go's does. The message
    says what was expected, what came back, where the schedule first diverged, and a hint."""


class NotWritten(CheckFailed):
    """The function still raises NotImplementedError."""


class WrongResult(CheckFailed):
    """The function ran but did something other than Go's."""


class PluginFailed(CheckFailed):
    """The function raised an exception or did something the runtime cannot accept."""


@dataclass
class Verdict:
    passed: bool
    message: str
    npassed: int
    ntotal: int
    kind: str = ""      # the CheckFailed subclass's name when it failed


@dataclass
class Hint:
    """A hint shown when ``when(d)`` is true of the divergence ``d`` (a :class:`Divergence`)."""
    text: str
    when: Callable = None


@dataclass
class Case:
    """One input a check tries: ``run(replace)`` returns the case's data — for a scenario, the
    Runtime it ran (its log and trace are read here); for a Go test case, a JSON-able result."""
    name: str
    run: Callable
    hints: list = field(default_factory=list)
    kind: str = "runtime"     # or "harness" (Go's tests on bare Ps), "predict" (an answer)


@dataclass
class Check:
    exercise: str
    names: tuple
    points: int
    doc: str
    cases: list
    hints: list = field(default_factory=list)
    title: str = ""

    def label(self):
        return self.title or ", ".join(self.names)


#: check_id ("01_runqput-check-1") -> Check: every check cell of every exercise
CHECKS = {}


def register(check_id, check):
    if check_id in CHECKS:
        raise ValueError(f"check {check_id!r} is registered twice")
    CHECKS[check_id] = check
    return check


def _lookup(check_id):
    from . import exercises  # noqa: F401  (registers the checks)
    try:
        return CHECKS[check_id]
    except KeyError:
        raise KeyError(f"no check {check_id!r}; the checks are: {', '.join(sorted(CHECKS))}") \
            from None


# --- collect --------------------------------------------------------------------------------

def _error_data(e):
    """A learner-visible description of exception ``e``: its type, message, and the line of the
    learner's function it came from (line numbers relative to the function, so they are the
    same wherever the cell runs)."""
    where = None
    tb, last = e.__traceback__, None
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith(_GMPLAB_DIR):
            last = tb
        tb = tb.tb_next
    if last is not None:
        code = last.tb_frame.f_code
        line = linecache.getline(code.co_filename, last.tb_lineno).strip()
        where = {"function": code.co_name, "line": line,
                 "lineno": last.tb_lineno - code.co_firstlineno + 1}
    msg = str(e)
    if getattr(e, "__notes__", None):
        msg = "\n".join([msg] + [n for n in e.__notes__ if not n.startswith("gmplab: raised")])
    return {"type": type(e).__name__, "message": msg, "where": where}


def run_case(case, replace):
    """Run one case with ``replace`` ({Go name: function or BUILTIN}); its plain data."""
    out = {"name": case.name, "error": None, "events": None, "trace": None, "calls": None,
           "result": None}
    if case.kind == "predict":
        try:
            out["result"] = case.run(replace)
        except Exception as e:
            out["error"] = _error_data(e)
        return out
    run = PluginRun(replace, trace=case.kind == "runtime")
    try:
        r = case.run(run)
    except Exception as e:   # the learner's exception, a PluginError, a Deadlock...
        out["error"] = _error_data(e)
        r = None
    if case.kind == "runtime":
        rt = r if r is not None else getattr(run, "runtime", None)
        if out["error"] is not None and run.partial is not None:
            out["events"] = run.partial      # as far as the run got before the failing call
        elif rt is not None:
            out["events"] = [[int(x) for x in row] for row in rt.events.array()]
        out["end"] = rt.finished if rt is not None else None
    else:
        world = getattr(run, "world", None)
        out["result"] = r if r is not None else (world.steps if world is not None else None)
    out["trace"] = run.trace
    out["calls"] = run.calls
    return out


def collect(check_id, *functions):
    """Run the learner's ``functions`` on every case of check ``check_id``; plain data."""
    ch = _lookup(check_id)
    data = {"version": DATA_VERSION, "check": check_id, "cases": [], "error": None}
    if len(functions) != len(ch.names) or not all(callable(f) for f in functions):
        got = ", ".join(type(f).__name__ for f in functions) or "nothing"
        data["error"] = (f"check {check_id!r} takes {', '.join(ch.names)} "
                         f"(your function{'s' if len(ch.names) > 1 else ''}); it was given {got}")
        return data
    replace = dict(zip(ch.names, functions))
    for case in ch.cases:
        data["cases"].append(run_case(case, replace))
    json.dumps(data)  # plain data only
    return data


@functools.lru_cache(maxsize=None)
def reference(check_id):
    """The data of check ``check_id`` with the core's own functions (what judge compares with)."""
    ch = _lookup(check_id)
    return [run_case(case, {n: BUILTIN for n in ch.names}) for case in ch.cases]


# --- judge ----------------------------------------------------------------------------------

def _event(row):
    return None if row is None else EventLog._ev(row)


def _show(e):
    if e is None:
        return "(nothing: the run ended here)"
    return f"t={fmt_ns(e.t)} {e.fn}: {e.text}"


@dataclass
class Divergence:
    """Where a case's data first differs from the reference's (what hints look at)."""
    case: str
    error: dict = None
    ref_error: dict = None
    index: int = -1                 # first differing event
    expected_event: object = None   # gmplab.events.Event
    got_event: object = None
    call: int = -1                  # first differing call of the learner's function
    expected_call: list = None      # [name, given, did]
    got_call: list = None
    expected_result: object = None  # Go test cases
    got_result: object = None
    calls: dict = None

    # small predicates for hints
    def got(self, fn, why=None):
        e = self.got_event
        return e is not None and e.fn == fn and (why is None or e.why == why)

    def expected(self, fn, why=None):
        e = self.expected_event
        return e is not None and e.fn == fn and (why is None or e.why == why)

    def raised(self, name=None, text=""):
        e = self.error
        return e is not None and (name is None or e["type"] == name) and text in e["message"]

    def said(self, text):
        """The learner's call (what it did) mentions ``text``."""
        return self.got_call is not None and text in self.got_call[2]

    def expected_said(self, text):
        return self.expected_call is not None and text in self.expected_call[2]

    def step(self):
        """For Go test cases: (expected, got) at the first step where they differ."""
        return _first_result_diff(self.expected_result, self.got_result)

    def got_step(self, text):
        return text in str(self.step()[1])

    def expected_step(self, text):
        return text in str(self.step()[0])


def _first_diff(a, b):
    a, b = a or [], b or []
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b)) if len(a) != len(b) else -1


def _diverge(case_name, got, ref):
    """The Divergence of one case, or None when it matches the reference."""
    d = Divergence(case_name, error=got["error"], ref_error=ref["error"], calls=got["calls"])
    same = True
    if (got["error"] or {}).get("type") != (ref["error"] or {}).get("type"):
        same = False
    i = _first_diff(got["events"], ref["events"])
    if i >= 0:
        same = False
        d.index = i
        d.expected_event = _event(ref["events"][i] if i < len(ref["events"] or []) else None)
        d.got_event = _event(got["events"][i] if i < len(got["events"] or []) else None)
    j = _first_diff(got["trace"], ref["trace"])
    if j >= 0:
        same = False
        d.call = j
        d.expected_call = ref["trace"][j] if j < len(ref["trace"]) else None
        d.got_call = got["trace"][j] if j < len(got["trace"]) else None
    if got["result"] != ref["result"]:
        same = False
        d.expected_result, d.got_result = ref["result"], got["result"]
    return None if same else d


def _calls_text(c):
    if c is None:
        return "(no such call: the run went another way)"
    return f"{c[1]} → {c[2]}" if not isinstance(c[2], list) else f"{c[1]} → visits {c[2]}"


def _result_text(r):
    if isinstance(r, list):
        return "\n              ".join(str(x) for x in r[:6]) + ("  …" if len(r) > 6 else "")
    return str(r)


def _first_result_diff(exp, got):
    """For Go test cases whose results are lists of steps: the first differing step."""
    if isinstance(exp, list) and isinstance(got, list):
        k = _first_diff(got, exp)
        if k >= 0:
            return (exp[k] if k < len(exp) else "(nothing)"), (got[k] if k < len(got) else
                                                                "(nothing)")
    return exp, got


#: errors that are the runtime's verdict on what the learner's function did earlier
_DOWNSTREAM = ("RuntimeBug", "Deadlock", "ThreadExhaustion")


def _downstream(e):
    m = e["message"]
    if "checkdead" in m and e["type"] == "RuntimeBug":
        return ("the runtime stopped: a G was lost (checkdead found a runnable G that is on no "
                "run queue)")
    return f"the runtime stopped: {e['type']}: {m}"


def _message(ch, d, npassed, ntotal, k):
    lines = [f"✗ {ch.label()}: {npassed} of {ntotal} checks passed; check {k + 1} failed: "
             f"{d.case}"]
    e = d.error if not d.ref_error else None
    if e is not None and e["type"] not in _DOWNSTREAM:
        w = e.get("where")
        at = ""
        if w:
            at = f" (in {w['function']}, line {w['lineno']}" + (f": {w['line']}" if w["line"]
                                                                else "") + ")"
        if e["type"] == "NotImplementedError":
            lines.append(f"  got:      {ch.label()} is not written yet: it raises "
                         "NotImplementedError")
        else:
            lines.append(f"  got:      {e['type']}: {e['message']}{at}")
    if d.expected_call is not None or d.got_call is not None:
        lines.append(f"  expected: {_calls_text(d.expected_call)}")
        lines.append(f"  got:      {_calls_text(d.got_call)}")
    elif d.expected_result is not None or d.got_result is not None:
        exp, got = _first_result_diff(d.expected_result, d.got_result)
        lines.append(f"  expected: {_result_text(exp)}")
        lines.append(f"  got:      {_result_text(got) if d.got_result is not None else '(stopped)'}")
    learner_error = e is not None and e["type"] not in _DOWNSTREAM
    if d.index >= 0 and not (learner_error and d.got_event is None):
        lines.append(f"  first diverging decision (#{d.index + 1} of the event log):")
        lines.append(f"    expected: {_show(d.expected_event)}")
        lines.append(f"    got:      {_show(d.got_event)}")
    if e is not None and e["type"] in _DOWNSTREAM:
        lines.append("  then:     " + _downstream(e))
    lines.append("  hint: " + _hint(ch, d))
    return "\n".join(lines)


def _hint(ch, d):
    case = next((c for c in ch.cases if c.name == d.case), None)
    rules = (case.hints if case else []) + ch.hints
    if d.error is not None and d.error["type"] == "NotImplementedError":
        return (f"replace the `raise NotImplementedError` in {ch.label()} with your code, "
                "run that cell, then this one again")
    for h in rules:
        if h.when is not None:
            try:
                if h.when(d):
                    return h.text
            except Exception:   # a hint rule that does not apply to this divergence
                continue
    for h in rules:
        if h.when is None:
            return h.text
    return "compare your function with proc.go's, line by line"


def judge(check_id, data):
    """The verdict on ``data`` (from :func:`collect`) for check ``check_id``. Pure: it runs no
    learner code, only the core's own functions for the reference."""
    ch = _lookup(check_id)
    ntotal = len(ch.cases)
    if not isinstance(data, dict) or data.get("check") != check_id:
        return Verdict(False, f"✗ {ch.label()}: the data is not check {check_id}'s", 0, ntotal,
                       "PluginFailed")
    if data.get("error"):
        return Verdict(False, f"✗ {ch.label()}: {data['error']}", 0, ntotal, "PluginFailed")
    refs = reference(check_id)
    got = {c["name"]: c for c in data.get("cases", [])}
    first = None
    npassed = 0
    for k, (case, ref) in enumerate(zip(ch.cases, refs)):
        g = got.get(case.name)
        if g is None:
            d = Divergence(case.name, error={"type": "Missing", "message": "not run",
                                             "where": None})
        else:
            d = _diverge(case.name, g, ref)
        if d is None:
            npassed += 1
        elif first is None:
            first = (k, d)
    if first is None:
        return Verdict(True, f"✓ {ch.label()}: {ntotal} of {ntotal} checks passed", ntotal,
                       ntotal)
    k, d = first
    kind = ("NotWritten" if d.error and d.error["type"] == "NotImplementedError" else
            "PluginFailed" if d.error and not d.ref_error and d.error["type"] not in _DOWNSTREAM
            else "WrongResult")
    return Verdict(False, _message(ch, d, npassed, ntotal, k), npassed, ntotal, kind)


_KINDS = {"NotWritten": NotWritten, "WrongResult": WrongResult, "PluginFailed": PluginFailed}


def check(check_id, *functions):
    """What a check cell calls: print the pass line, or raise a CheckFailed subclass."""
    v = judge(check_id, collect(check_id, *functions))
    if not v.passed:
        raise _KINDS.get(v.kind, CheckFailed)(v.message)
    print(v.message)
