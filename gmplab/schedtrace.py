"""Read Go's ``GODEBUG=schedtrace`` output.

The Go runtime's sysmon prints one scheduler summary every N milliseconds when
a program runs with ``GODEBUG=schedtrace=N``; the printing is done by
``schedtrace(detailed bool)`` in ``src/runtime/proc.go``.  Two shapes exist:

* summary lines (``schedtrace(false)``), Go 1.25::

      SCHED 1004ms: gomaxprocs=4 idleprocs=0 threads=7 spinningthreads=0 needspinning=0 idlethreads=2 runqueue=12 [ 3 0 1 5 ] schedticks=[ 210 198 205 201 ]

  and Go 1.19-1.23 (no ``needspinning``, no inner spaces, no ``schedticks``)::

      SCHED 1004ms: gomaxprocs=4 idleprocs=0 threads=7 spinningthreads=0 idlethreads=2 runqueue=12 [3 0 1 5]

* with ``scheddetail=1`` (``schedtrace(true)``): a header line with extra
  fields (``gcwaiting``, ``nmidlelocked``, ``stopwait``, ``sysmonwait``) and no
  bracketed run queue lengths, followed by one indented line per P, M and G::

      SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=1 idlethreads=0 runqueue=0 gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=0
        P0: status=1 schedtick=3 syscalltick=0 m=0 runqsize=0 gfreecnt=0 timerslen=0
        M1: p=nil curg=nil mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=nil
        G1: status=4(chan receive) m=nil lockedm=nil

:func:`parse` turns such text into one dict per ``SCHED`` line; :func:`format` writes the
simulated runtime's state in the Go 1.25 shape, so both can be compared row by row.
"""

from __future__ import annotations

import re

__all__ = ["parse", "fill"]

# "SCHED 1004ms: " -- searched, not anchored, so that a trace line glued to
# the end of a program's own unterminated output line is still found.
_HEADER_RE = re.compile(r"SCHED (-?\d+)ms: (.*)$")
# "  P0: ...", "  M12: ...", "  G1: ..." -- the indented detail lines.
_DETAIL_RE = re.compile(r"^\s+([PMG])(\d+): ?(.*)$")
# "key=[ 1 2 3 ]" (1.25 schedticks) -- a list-valued field.
_LIST_FIELD_RE = re.compile(r"(\w+)=\[([^\]]*)\]")
# "[3 0 1 5]" / "[ 3 0 1 5 ]" -- the per-P local run queue lengths.
_BARE_LIST_RE = re.compile(r"\[([^\]]*)\]")
# "key=value" with a possibly empty value ("preemptoff=").
_FIELD_RE = re.compile(r"(\w+)=(\S*)")
# "status=4(force gc (idle))" -- the G status with its wait reason, which may
# itself contain parentheses; it ends at the ")" before the next " key=".
_GSTATUS_RE = re.compile(r"status=(-?\d+)\((.*?)\)(?=\s+\w+=|\s*$)")
_INT_RE = re.compile(r"-?\d+")

# Summary-header integers, by their Go names, always present in a row (None
# when the Go version does not print them, e.g. needspinning before 1.24).
HEADER_INT_FIELDS = (
    "gomaxprocs",
    "idleprocs",
    "threads",
    "spinningthreads",
    "needspinning",
    "idlethreads",
    "runqueue",
)

# Header fields printed only by schedtrace(detailed=true).
_DETAIL_HEADER_FIELDS = ("gcwaiting", "nmidlelocked", "stopwait", "sysmonwait")

# Fields that hold a P, M or G id.  Go 1.19-1.2x print a missing one as -1,
# later versions as "nil"; both become None so rows compare across versions.
_ID_FIELDS = {
    "P": ("m",),
    "M": ("p", "curg", "lockedg"),
    "G": ("m", "lockedm"),
}


def _value(text: str):
    """One schedtrace value: int when numeric, None for ``nil``, bool for
    ``true``/``false``, else the text itself (possibly empty)."""
    if _INT_RE.fullmatch(text):
        return int(text)
    if text == "nil":
        return None
    if text == "true":
        return True
    if text == "false":
        return False
    return text


def _int_list(text: str) -> list[int]:
    return [int(tok) for tok in text.split()]


def _fields(text: str) -> dict:
    """The ``key=value`` pairs of one line, values converted by :func:`_value`."""
    return {key: _value(val) for key, val in _FIELD_RE.findall(text)}


def _parse_header(t_ms: int, body: str) -> dict | None:
    """A ``SCHED <t>ms:`` line, as printed by ``schedtrace`` in proc.go."""
    lists = {key: _int_list(val) for key, val in _LIST_FIELD_RE.findall(body)}
    rest = _LIST_FIELD_RE.sub(" ", body)
    bare = _BARE_LIST_RE.search(rest)
    runq = _int_list(bare.group(1)) if bare else None
    rest = _BARE_LIST_RE.sub(" ", rest)
    fields = _fields(rest)
    if "gomaxprocs" not in fields:
        return None  # not a trace line after all
    row: dict = {"t_ms": t_ms}
    for name in HEADER_INT_FIELDS:
        row[name] = fields.pop(name, None)
    row.update(fields)  # detailed-mode extras: gcwaiting, nmidlelocked, ...
    row["runq"] = runq if runq is not None else []
    row["schedticks"] = lists.pop("schedticks", None)
    row.update(lists)
    # scheddetail=1 prints gcwaiting etc. on the header (and P/M/G lines after).
    row["detailed"] = any(k in fields for k in _DETAIL_HEADER_FIELDS)
    row["P"], row["M"], row["G"] = [], [], []
    return row


def _parse_detail(kind: str, ident: int, body: str) -> dict:
    """One indented ``P<id>:``/``M<id>:``/``G<id>:`` line of ``schedtrace(true)``."""
    entry: dict = {"id": ident}
    if kind == "G":
        m = _GSTATUS_RE.search(body)
        if m:
            entry["status"] = int(m.group(1))
            entry["waitreason"] = m.group(2)
            body = body[: m.start()] + body[m.end():]
    entry.update(_fields(body))
    for name in _ID_FIELDS[kind]:
        if entry.get(name) == -1:
            entry[name] = None
    return entry


def _lines(text) -> list[str]:
    if isinstance(text, str):
        return text.splitlines()
    if isinstance(text, (bytes, bytearray)):
        return bytes(text).decode("utf-8", errors="replace").splitlines()
    if isinstance(text, (list, tuple)) and all(isinstance(line, str) for line in text):
        return [part for line in text for part in (line.splitlines() or [""])]
    raise TypeError(
        "schedtrace.parse() takes the trace as str, bytes, bytearray, or a list/tuple "
        f"of str lines, not {type(text).__name__}"
    )


def parse(text) -> list[dict]:
    """Parse ``GODEBUG=schedtrace=N[,scheddetail=1]`` output into rows.

    ``text`` is the captured standard error of a Go program (str, bytes, or a
    list/tuple of str lines).  Lines that are not schedtrace output -- the
    program's own output interleaved on stderr, panics, blank lines -- are
    skipped.  Formats of Go 1.19 to 1.25 are understood (see the module
    docstring); the lines are those printed by ``schedtrace`` in
    ``runtime/proc.go``.

    Each ``SCHED`` line gives one dict with:

    * ``t_ms`` (int): milliseconds since the first trace line;
    * the header integers by their Go names: ``gomaxprocs``, ``idleprocs``,
      ``threads`` (all Ms, sysmon and idle ones included), ``spinningthreads``,
      ``needspinning`` (None before Go 1.24), ``idlethreads``, ``runqueue``
      (global run queue length), plus any other ``key=value`` the header
      carries (detailed mode: ``gcwaiting``, ``nmidlelocked``, ``stopwait``,
      ``sysmonwait``; values are ints, or bools where Go prints true/false);
    * ``runq``: local run queue length per P (``runqtail - runqhead``,
      runnext excluded); in detailed mode taken from the P lines' ``runqsize``;
    * ``schedticks``: per-P ``schedtick`` list (Go 1.25 summary lines; in
      detailed mode taken from the P lines), else None;
    * ``detailed`` (bool) and ``P``, ``M``, ``G``: lists of dicts, one per
      detail line (empty unless detailed).  Each has ``id`` and the line's
      ``key=value`` fields: ints where numeric, None for ``nil``, bools for
      true/false, strings otherwise (``preemptoff=`` gives ``""``).  P/M/G id
      references (P ``m``; M ``p``, ``curg``, ``lockedg``; G ``m``,
      ``lockedm``) are None when unset, whether Go printed ``nil`` (newer) or
      ``-1`` (Go 1.19-era).  A G's ``status=4(chan receive)`` becomes
      ``status`` 4 and ``waitreason`` ``"chan receive"`` (``""`` when empty).

    Raises TypeError when ``text`` is not one of the accepted types.
    """
    rows: list[dict] = []
    current: dict | None = None
    for line in _lines(text):
        detail = _DETAIL_RE.match(line)
        if detail:
            if current is not None:
                current["detailed"] = True
                kind, ident, body = detail.groups()
                current[kind].append(_parse_detail(kind, int(ident), body))
            continue
        header = _HEADER_RE.search(line)
        if header:
            row = _parse_header(int(header.group(1)), header.group(2))
            if row is not None:
                rows.append(row)
                current = row
                continue
        # Anything else is program output; keep attaching detail lines that
        # follow to the current row, as the trace may be interleaved.
    for row in rows:
        if row["detailed"] and row["P"]:
            row["runq"] = [p.get("runqsize") for p in row["P"]]
            if row["schedticks"] is None:
                row["schedticks"] = [p.get("schedtick") for p in row["P"]]
    return rows


def setup(rt, S, interval):
    """GODEBUG=schedtrace's state, for both drivers (:class:`gmplab.Runtime` and
    :class:`gmplab.ParallelRuntime`): the interval ``interval`` (ns; 0: off) in ``S``, and the
    record ``rt.trace`` (empty), with no line printed yet (``rt.starttime`` None).

    Go 1.25's ``sysmon`` (proc.go) starts with ``lasttrace := int64(0)`` and, at the end of
    each round, after its ``usleep``::

        if debug.schedtrace > 0 && lasttrace+int64(debug.schedtrace)*1000000 <= now {
            lasttrace = now
            schedtrace(debug.scheddetail > 0)
        }

    ``now`` is ``nanotime()``, far from 0, so sysmon's first look (after its first 20 µs
    sleep) prints. gmplab's clocks start at 0 (the virtual clock, and a ParallelRuntime's time
    since run() started), so ``lasttrace`` starts one interval in the past: the first look is
    due, the next lines at least one interval after the one before."""
    from .runtime import layout as _l

    S[_l.S_schedtrace] = interval
    S[_l.S_lasttrace] = -interval
    rt.trace = []
    rt.starttime = None      # Go's starttime: when the first line was printed (ns)


def record(rt, src=None):
    """sysmon's ``schedtrace(debug.scheddetail > 0)``: the line, as ``format`` prints it, of
    ``src`` (a snapshot of ``rt``; default ``rt`` itself), appended to ``rt.trace``. Go's
    ``schedtrace`` starts its clock at its first call (``if starttime == 0 { starttime = now
    }``), so the run's first line reads ``SCHED 0ms`` and every later one counts from it:
    ``rt.starttime`` is that line's time (ns)."""
    src = rt if src is None else src
    if rt.starttime is None:
        rt.starttime = src.now
    line = format(src, rt._detailed, start=rt.starttime)
    rt.trace.append(line)
    return line


def format(rt, detailed=False, start=None):
    """One schedtrace report of ``rt`` as Go 1.25 prints it (with scheddetail=1 when
    ``detailed``): the SCHED line, then per-P, per-M (newest first, as allm) and per-G lines.

    The time is Go's ``(now-starttime)/1e6`` (``schedtrace`` in proc.go): whole milliseconds
    since ``start`` (ns), by default the run's first line of ``rt.trace`` (sysmon's first
    look; see ``record``), or the run's start, t=0, while there is none (no line yet, or no
    schedtrace interval: Go never prints then, and gmplab counts from the clock's start)."""
    from .runtime import layout as _l
    from .state import table

    if start is None:
        start = getattr(rt, "starttime", None)
        start = 0 if start is None else start
    ms = (rt.now - start) // 1_000_000
    S = rt._S
    n = int(S[_l.S_gomaxprocs])
    pt = table(S, "p")[:n]
    out = [f"SCHED {ms}ms: gomaxprocs={n} idleprocs={int(S[_l.S_npidle])} "
           f"threads={rt.mcount()} spinningthreads={int(S[_l.S_nmspinning])} "
           f"needspinning={int(S[_l.S_needspinning])} idlethreads={int(S[_l.S_nmidle])} "
           f"runqueue={int(S[_l.S_runqsize])}"]
    qlen = [int(r[_l.P_runqtail] - r[_l.P_runqhead]) & 0xFFFFFFFF for r in pt]
    if not detailed:
        out[0] += (" [ " + " ".join(map(str, qlen)) + " ] schedticks=[ "
                   + "".join(f"{int(r[_l.P_schedtick])} " for r in pt) + "]")
        return out[0]
    out[0] += (f" gcwaiting=0 nmidlelocked={int(S[_l.S_nmidlelocked])} stopwait=0 "
               f"sysmonwait={int(S[_l.S_sysmonwait])}")
    gt = table(S, "g")

    def goid(slot):
        return "nil" if slot == _l.NIL else str(int(gt[slot, _l.G_goid]))

    def nil(v):
        return "nil" if v == _l.NIL else str(int(v))

    for i, r in enumerate(pt):
        out.append(f"  P{i}: status={int(r[_l.P_status])} schedtick={int(r[_l.P_schedtick])} "
                   f"syscalltick={int(r[_l.P_syscalltick])} m={nil(r[_l.P_m])} "
                   f"runqsize={qlen[i]} gfreecnt={int(r[_l.P_gfreecnt])} "
                   f"timerslen={int(r[_l.P_timers])}")
    mt = table(S, "m")
    for i in range(len(mt) - 1, -1, -1):
        r = mt[i]
        if r[_l.M_state] == _l.MS_DEAD:
            continue
        out.append(f"  M{i}: p={nil(r[_l.M_p])} curg={goid(r[_l.M_curg])} mallocing=0 "
                   f"throwing=0 preemptoff= locks=0 dying=0 "
                   f"spinning={'true' if r[_l.M_spinning] else 'false'} "
                   f"blocked={'true' if r[_l.M_blocked] else 'false'} lockedg={goid(r[_l.M_lockedg])}")
    for r in gt:
        st = int(r[_l.G_atomicstatus])
        wr = _l.WAITREASON_NAMES[int(r[_l.G_waitreason])] if st == _l.Gwaiting else ""
        out.append(f"  G{int(r[_l.G_goid])}: status={st}({wr}) m={nil(r[_l.G_m])} "
                   f"lockedm={nil(r[_l.G_lockedm])}")
    return "\n".join(out)


_TOKEN_RE = re.compile(r"\S*\[[^\]]*\]|\S+")


def fill(text, width=88, indent="    "):
    """Schedtrace text folded at field boundaries, each line at most ``width`` characters where
    the fields allow (``key=value`` and ``[ ... ]`` lists stay whole; detail lines keep their
    own indent): a notebook's output area breaks a long line anywhere, mid-word."""
    out = []
    for line in str(text).splitlines():
        lead = line[:len(line) - len(line.lstrip())]
        cur = ""
        for tok in _TOKEN_RE.findall(line):
            if cur and len(cur) + 1 + len(tok) > width:
                out.append(cur)
                cur = lead + indent + tok
            else:
                cur = (cur + " " + tok) if cur else lead + tok
        out.append(cur)
    return "\n".join(out)
