"""Small wording helpers shared by the kinds."""
from ..costs import DEFAULTS

_COST_WORDS = {
    "newproc": "a go statement",
    "schedule": "a schedule() pass",
    "newm": "starting a new M (newm) until it runs schedule()",
    "startm": "waking an idle M (startm)",
    "steal": "one steal attempt",
    "usleep3": "runqgrab's usleep(3) before taking a running P's runnext",
    "syscall": "entersyscall or exitsyscall",
    "goexit": "a goroutine's exit",
}


def clock_note(*names):
    """One sentence giving the virtual clock's costs that matter (from gmplab.costs)."""
    parts = [f"{_COST_WORDS[n]} {fmt_us(DEFAULTS[n])}" for n in names]
    return "Costs on gmplab's clock (gmplab.costs): " + ", ".join(parts) + "."


def ordinal(k):
    if 10 <= k % 100 <= 20:
        return f"{k}th"
    return f"{k}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


def fmt_us(ns):
    """A time for a learner, exact: 250ns, 41.24µs, 12.09034ms."""
    if ns is None:
        return "never"
    if ns < 1_000:
        return f"{ns}ns"
    if ns < 1_000_000:
        return _trim(f"{ns / 1_000:.3f}") + "µs"
    return _trim(f"{ns / 1_000_000:.6f}") + "ms"


def _trim(s):
    return s.rstrip("0").rstrip(".") if "." in s else s


def runs_of(times):
    """Compress increasing times into runs of equal steps: [(first, step, count), ...]."""
    out = []
    for t in times:
        if out and out[-1][2] >= 2 and t - out[-1][0] == out[-1][1] * out[-1][2]:
            f, s, c = out[-1]
            out[-1] = (f, s, c + 1)
        elif out and out[-1][2] == 1:
            f = out[-1][0]
            out[-1] = (f, t - f, 2)
        else:
            out.append((t, 0, 1))
    return out


def times_text(times):
    """"20µs, 40µs, ... every 20µs to 1ms; 1.04ms; ..." for a list of times."""
    parts = []
    for f, s, c in runs_of(times):
        if c == 1:
            parts.append(fmt_us(f))
        elif c == 2:
            parts.append(f"{fmt_us(f)}, {fmt_us(f + s)}")
        else:
            parts.append(f"every {fmt_us(s)} from {fmt_us(f)} to {fmt_us(f + s * (c - 1))}")
    return "; ".join(parts)
