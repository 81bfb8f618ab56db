"""The exercises' answer cells as code: the solutions (read from solutions/*.ipynb, so the tests
grade what the notebooks hold) and the learners' plausible-but-wrong versions."""
import pathlib
import re

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


def defined(code):
    return set(re.findall(r"^(?:def|class) (\w+)", code, re.M))
