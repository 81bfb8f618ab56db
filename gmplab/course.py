"""Small helpers the lesson notebooks share (so that no lesson redefines them).

    from gmplab.course import run_order, ranges, go_output
    ranges([9, 0, 1, 2, 3])          # '9 0–3'
    run_order(rt)                     # goids in the order they first ran (main left out)
    go_output("runnext_order.out")    # a recorded real Go program's output (examples/go/)

Used by notebooks/04_p_runq.ipynb and 05_schedule.ipynb.
"""
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "go"


def ranges(seq):
    """A sequence of ints, consecutive runs written as ``a–b``: [299, 127, 128, 129, 0] →
    '299 127–129 0'."""
    seq = [int(x) for x in seq]
    out = []
    i = 0
    while i < len(seq):
        j = i
        while j + 1 < len(seq) and seq[j + 1] == seq[j] + 1:
            j += 1
        out.append(str(seq[i]) if j == i else f"{seq[i]}–{seq[j]}")
        i = j + 1
    return " ".join(out)


def run_order(rt, skip_main=True):
    """The goids in the order their first ``execute`` happened (main, G1, left out unless
    ``skip_main`` is False)."""
    seen, order = set(), []
    for e in rt.events.where(fn="execute"):
        if e.g in seen or (skip_main and e.g == 1):
            continue
        seen.add(e.g)
        order.append(e.g)
    return order


def go_output(name):
    """The text of ``examples/go/<name>`` (a real Go program's recorded output)."""
    path = EXAMPLES / name
    if not path.is_file():
        have = sorted(p.name for p in EXAMPLES.glob("*.out"))
        raise FileNotFoundError(f"no recorded Go output {name!r} in examples/go; there are: "
                                f"{', '.join(have)}")
    return path.read_text(encoding="utf-8")
