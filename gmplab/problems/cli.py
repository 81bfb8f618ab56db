"""``gmplab problem``: seeded practice problems on the command line, as OSTEP's simulators.

    gmplab problem --list                          the kinds and their levels
    gmplab problem --kind steal --level 2 -s 7     ARG lines, then the problem
    gmplab problem --kind steal --level 2 -s 7 -c  ... and its answer, with the decisions
    gmplab problem --kind steal -s 7 -a "P0: G3"   judge an answer (exit 0 right, 1 wrong)
"""
import argparse

USAGE_NOTE = """\
The same kind, level and seed give the same problem on every machine, so a class can share
one: "gmplab problem --kind retake --level 2 --seed 31". The answer is computed by running the
problem's program on gmplab's virtual clock; -c prints it with the decisions that fixed it,
each with its Go function. Exit status: 0, or with --answer 1 for a wrong answer; 2 for bad
arguments or an answer in the wrong form."""


def _seed(text):
    try:
        v = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"seed {text!r} is not an integer; "
                                         "a seed is a whole number >= 0, e.g. 7")
    if v < 0:
        raise argparse.ArgumentTypeError(f"seed {v} is negative; a seed is a whole number >= 0")
    return v


def _level(text):
    try:
        return int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"level {text!r} is not an integer (levels are 1, 2, "
                                         "3: see --list)")


def kinds_text():
    from . import kinds
    out = []
    for name, title, levels in kinds():
        out.append(f"  {name:<11} {title}")
        out += [f"  {'':<11}   level {lv}: {what}" for lv, what in sorted(levels.items())]
    return "\n".join(out)


def add_arguments(p):
    """The ``problem`` subcommand's arguments (gmplab.cli.COMMANDS)."""
    from . import KINDS
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.description = ("Print a seeded practice problem about Go's scheduler: its program as Go "
                     "and as gmplab code, and a question; -c adds the answer.")
    p.epilog = "kinds and levels:\n" + kinds_text() + "\n\n" + USAGE_NOTE
    p.add_argument("-k", "--kind", choices=list(KINDS), metavar="KIND",
                   help="the kind of problem: " + ", ".join(KINDS))
    p.add_argument("-L", "--level", type=_level, default=1, metavar="L",
                   help="difficulty, 1..3 (default 1)")
    p.add_argument("-s", "--seed", type=_seed, default=0, metavar="N",
                   help="random seed, a whole number >= 0 (default 0)")
    p.add_argument("-c", "--solve", action="store_true",
                   help="print the answer and its explanation too")
    p.add_argument("-a", "--answer", metavar="TEXT",
                   help="judge this answer: print right or wrong, the answer and why")
    p.add_argument("-l", "--list", action="store_true", help="list the kinds and their levels")
    p.set_defaults(_parser=p)


def run(a):
    """Run ``gmplab problem``; returns the exit status."""
    from . import check_args, make
    from .forms import AnswerError
    if a.list:
        print(kinds_text())
        return 0
    if a.kind is None:
        from . import KINDS
        a._parser.error(f"give --kind KIND (one of {', '.join(KINDS)}), or --list")
    try:
        kind, level, seed = check_args(a.kind, a.level, a.seed)
    except (TypeError, ValueError) as e:
        a._parser.error(str(e))
    p = make(kind, level, seed)
    print(p.text(solve=a.solve and a.answer is None), end="")
    if a.answer is None:
        return 0
    try:
        v = p.check(a.answer)
    except AnswerError as e:
        a._parser.error(f"--answer: {e}")
    print()
    print(v.message)
    return 0 if v.correct else 1
