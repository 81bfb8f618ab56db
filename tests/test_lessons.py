"""The course's lessons follow one set of conventions, checked here on every lesson notebook
that exists (``notebooks/NN_*.ipynb``), so that lessons written later are checked too.

How a lesson is built (notebooks/README.md says the same for authors)
=====================================================================

Files
    ``notebooks/NN_name.ipynb`` with the names fixed in SEQUENCE below (the team plan); the
    exercises of a lesson are ``exercises/NN_name.ipynb`` as in EXERCISES. Kernelspec
    ``python3``. Stored with the outputs of one clean run, from the repository root::

        PYTHONPATH=$PWD python3 -m jupyter nbconvert --to notebook --execute --inplace \\
            --ExecutePreprocessor.store_widget_state=False notebooks/NN_name.ipynb

    so code cells are numbered 1, 2, 3 … in order, nothing is written to stderr, no cell
    raises, and no widget state is stored (a static page then shows a self-check's text form,
    not a dead widget). No machine paths (``/work/…``, ``/root/…``, ``/home/…``).

Cells, by tag (``metadata.tags``)
    ``objectives``  the first cell, markdown: ``# NN · Title``, then the line
                    ``**After this lesson you will be able to**`` and 2–4 ``- `` bullets, then
                    ``*Time: about N minutes.*``.
    ``predict``     a markdown cell with ``**Predict:**`` (or ``**Predict, then run.**``): a
                    question asked before the cell that answers it. At least one per lesson.
    ``reveal``      the code cell right after a ``predict`` cell: it shows the answer on the
                    runtime; nbval compares its output (no ``# NBVAL_IGNORE_OUTPUT``). The
                    markdown cell right after it names, in backticks, the Go function that
                    decided (one of GO_FUNCTIONS).
    ``figure``      a code cell that draws a figure (a ``gmplab.viz`` call; stored as a PNG).
                    The next cell is markdown and starts with ``**Figure NN.k**`` (k = 1, 2, …
                    in order in the lesson), then says what the figure shows and how to read it.
                    At least one per lesson.
    ``self-check``  2–3 code cells per lesson, each one call ``SelfCheck(...)`` (from
                    ``gmplab.widgets``) with literal arguments: the prompt, ``answer=``,
                    ``why=``, ``decided_by=`` (a Go function, one of GO_FUNCTIONS),
                    ``review=`` (where to read again) and ``label="Self-check NN.k"``;
                    ``choices=`` for multiple choice, none for a typed answer. Its source holds
                    the answer, so it is hidden: metadata ``jupyter.source_hidden`` (JupyterLab,
                    Notebook 7, VS Code) and the tag ``hide-input`` (Jupyter Book).
    ``claim-N``     the code cell that settles popular claim N of the reference's §7 (CLAIMS),
                    on the runtime; nbval compares its output. The markdown cell before it
                    quotes the claim.
    ``recap``       a markdown cell starting ``## Recap``: the lesson in a few bullets, then a
                    table of the key terms ``| English (`Go name`) | 中文 |`` with at least six
                    rows; every English term (without its parenthesis) is a term of
                    ``notebooks/glossary.md``. P is 逻辑处理器 P.
    ``nav``         the last cell, markdown: ``**Previous:** [NN · Title](NN_name.ipynb) ·
                    **Next:** [NN · Title](NN_name.ipynb)`` and ``**Exercises:**`` followed by
                    links ``[NN_name](../exercises/NN_name.ipynb)`` exactly as EXERCISES has
                    them, or ``none for this lesson``.

Headings
    One ``#`` heading (the title), ``##`` for each concept, ``###`` inside one.

Every lesson of SEQUENCE and every exercise of EXERCISES exists, and every relative link
points at a file that exists.
"""
import ast
import json
import re
from pathlib import Path

import pytest

from gmplab.runtime import layout

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "notebooks"

SEQUENCE = ("01_gmp_structs", "02_playground", "03_g_life", "04_p_runq", "05_schedule",
            "06_stealing", "07_syscalls", "08_blocking", "09_preemption", "10_lockosthread",
            "11_gomaxprocs", "12_real_threads", "13_real_go")
EXERCISES = {
    "04_p_runq": ("01_runqput", "02_runqputslow", "03_runqget"),
    "05_schedule": ("06_globrunqget", "07_findrunnable", "10_predict"),
    "06_stealing": ("04_runqsteal", "05_randomorder"),
    "07_syscalls": ("08_retake", "09_exitsyscall"),
    "13_real_go": ("10_predict",),
}
ALL_EXERCISES = ("01_runqput", "02_runqputslow", "03_runqget", "04_runqsteal", "05_randomorder",
                 "06_globrunqget", "07_findrunnable", "08_retake", "09_exitsyscall", "10_predict")

# reference/go-scheduler.md §7: the popular claims the code contradicts, and the lesson that
# settles each
CLAIMS = {
    1: ("#M = #CPUs", "01_gmp_structs"),
    2: ("a new G goes to the tail", "04_p_runq"),
    3: ("every 61 ticks a batch is taken from the global queue", "05_schedule"),
    4: ("stealing picks one random P", "06_stealing"),
    5: ("on a syscall the M hands off its P at once", "07_syscalls"),
    6: ("Gosched/preemption puts the G at the back of its local queue", "09_preemption"),
    7: ("sysmon ticks every 10ms", "07_syscalls"),
    8: ("the scheduler is cooperative", "09_preemption"),
}

# Go functions a lesson may name as the one that decides (the logged ones and their helpers)
GO_FUNCTIONS = set(layout.FN_NAMES) | {
    "newproc1", "malg", "allgadd", "gfget", "gfput", "gdestroy", "casgstatus", "runqputslow",
    "runqputbatch", "globrunqput", "globrunqgetbatch", "runqgrab", "runqempty", "stealWork",
    "schedule", "findRunnable", "execute", "park_m", "ready", "goyield", "exitsyscallfast",
    "exitsyscallfast_pidle", "pidleget", "pidleput", "mstart1", "schedinit", "retake",
    "sysmon", "gopark", "goready", "procresize", "wirep", "acquirep", "releasep", "newm",
    "startm", "stopm", "mput", "mget", "checkTimers", "timeSleep", "Gosched", "LockOSThread",
    "defaultGOMAXPROCS",
}
MACHINE_PATH = re.compile(r"(?<![\w.])/(work|root|home|tmp)/")
CJK = re.compile(r"[\u4e00-\u9fff]")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def lesson_files():
    return sorted(p for p in NB.glob("[0-9][0-9]_*.ipynb"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def src(cell):
    s = cell.get("source", "")
    return s if isinstance(s, str) else "".join(s)


def ignores_output(cell):
    return ("NBVAL_IGNORE_OUTPUT" in src(cell) or "nbval-ignore-output" in tags(cell)
            or "NBVAL_SKIP" in src(cell) or "nbval-skip" in tags(cell))


def table_rows(text):
    """The data rows of the markdown tables in ``text`` that contain Chinese (header rows,
    those followed by a |---| line, left out)."""
    lines = text.splitlines()
    rows = []
    for i, ln in enumerate(lines):
        if not ln.startswith("|") or not CJK.search(ln):
            continue
        if i + 1 < len(lines) and re.match(r"^\|[\s|:-]+\|$", lines[i + 1].strip()):
            continue
        rows.append(ln)
    return rows


def links(text):
    """The link targets of a markdown text, code spans left out."""
    return LINK.findall(re.sub(r"`[^`]*`", "", text))


def outputs_text(cell):
    parts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            t = o.get("text", "")
            parts.append(t if isinstance(t, str) else "".join(t))
        for k in ("text/plain", "text/html"):
            v = o.get("data", {}).get(k)
            if v:
                parts.append(v if isinstance(v, str) else "".join(v))
    return "".join(parts)


def converted():
    """The lessons, all of which follow these conventions."""
    return lesson_files()


LESSONS = converted()
ids = [p.stem for p in LESSONS]


# --- the sequence ----------------------------------------------------------------------------

def test_every_lesson_file_has_a_planned_name():
    for p in lesson_files():
        assert p.stem in SEQUENCE, (
            f"{p.name}: lesson names are fixed (SEQUENCE in tests/test_lessons.py, from the "
            f"team plan): {', '.join(SEQUENCE)}")


def test_there_are_lessons_to_check():
    assert {"03_g_life", "04_p_runq", "05_schedule"} <= set(ids)


def test_every_planned_lesson_and_exercise_exists():
    missing = [f"notebooks/{s}.ipynb" for s in SEQUENCE if not (NB / f"{s}.ipynb").exists()]
    missing += [f"{d}/{e}.ipynb" for e in ALL_EXERCISES for d in ("exercises", "solutions")
                if not (ROOT / d / f"{e}.ipynb").exists()]
    assert not missing, f"planned notebooks missing: {', '.join(missing)}"


# --- the file rules (every notebook) --------------------------------------------------------

@pytest.mark.parametrize("path", lesson_files(), ids=[p.stem for p in lesson_files()])
def test_stored_from_one_clean_run(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{path.name}: execution counts {counts}: store the outputs of one clean run "
        "(nbconvert --execute --inplace)")
    for c in code:
        for o in c.get("outputs", []):
            assert o["output_type"] != "error", f"{path.name}: a cell raised: {src(c)[:80]}"
            assert not (o["output_type"] == "stream" and o.get("name") == "stderr"), (
                f"{path.name}: stderr output in cell {src(c)[:80]!r}: {outputs_text(c)[:200]}")
    for c in nb["cells"]:
        hit = MACHINE_PATH.search(src(c) + outputs_text(c))
        assert not hit, f"{path.name} names a machine path ({hit.group(0)}): {src(c)[:60]!r}"


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_no_widget_state_is_stored(path):
    assert "widgets" not in load(path)["metadata"], (
        f"{path.name}: store outputs with --ExecutePreprocessor.store_widget_state=False")


# --- structure ---------------------------------------------------------------------------------

def number(path):
    return path.stem[:2]


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_objectives_and_time(path):
    first = load(path)["cells"][0]
    assert first["cell_type"] == "markdown" and "objectives" in tags(first)
    s = src(first)
    assert re.match(rf"# {number(path)} · \S", s), f"{path.name}: title must be '# NN · Title'"
    m = re.search(r"\*\*After this lesson you will be able to\*\*\n+((?:- .*(?:\n  .*)*\n?)+)", s)
    assert m, f"{path.name}: no '**After this lesson you will be able to**' with bullets"
    bullets = [ln for ln in m.group(1).splitlines() if ln.startswith("- ")]
    assert 2 <= len(bullets) <= 4, f"{path.name}: {len(bullets)} objectives (2–4)"
    assert re.search(r"\*Time: about \d+ minutes\.\*", s), f"{path.name}: no '*Time: about N minutes.*'"


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_headings(path):
    cells = load(path)["cells"]
    h1 = [ln for c in cells if c["cell_type"] == "markdown" for ln in src(c).splitlines()
          if re.match(r"# ", ln)]
    assert len(h1) == 1, f"{path.name}: one '# ' title, found {h1}"


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_predict_then_reveal(path):
    cells = load(path)["cells"]
    seen = 0
    for i, c in enumerate(cells):
        if "predict" not in tags(c):
            assert "reveal" not in tags(c) or "predict" in tags(cells[i - 1]), (
                f"{path.name}: a 'reveal' cell must follow a 'predict' cell: {src(c)[:60]!r}")
            continue
        seen += 1
        assert c["cell_type"] == "markdown" and re.search(r"\*\*Predict[:,]", src(c)), (
            f"{path.name}: a 'predict' cell is markdown and asks '**Predict:** ...'")
        nxt = cells[i + 1]
        assert nxt["cell_type"] == "code" and "reveal" in tags(nxt), (
            f"{path.name}: the cell after '**Predict**' must be the code cell tagged 'reveal'")
        assert not ignores_output(nxt) and outputs_text(nxt).strip(), (
            f"{path.name}: the reveal cell's output must be stored and compared by nbval")
        after = cells[i + 2]
        named = set(re.findall(r"`([A-Za-z_][\w.]*)(?:\(.*?\))?`", src(after)))
        assert after["cell_type"] == "markdown" and named & GO_FUNCTIONS, (
            f"{path.name}: the cell after the reveal must name the deciding Go function in "
            f"backticks; it names {sorted(named)[:10]}")
    assert seen >= 1, f"{path.name}: no 'predict' cell"


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_figures_are_labelled(path):
    cells = load(path)["cells"]
    k = 0
    for i, c in enumerate(cells):
        if "figure" not in tags(c):
            continue
        k += 1
        assert c["cell_type"] == "code" and "gmplab.viz" in "".join(
            src(x) for x in cells if x["cell_type"] == "code") and any(
            "image/png" in o.get("data", {}) for o in c.get("outputs", [])), (
            f"{path.name}: a 'figure' cell draws with gmplab.viz and stores a PNG")
        cap = cells[i + 1]
        want = f"**Figure {int(number(path))}.{k}**"
        assert cap["cell_type"] == "markdown" and src(cap).startswith(want), (
            f"{path.name}: the cell after figure {k} must start with '{want}'")
        assert len(src(cap)) > len(want) + 40, f"{path.name}: figure {k}'s caption says too little"
    assert k >= 1, f"{path.name}: no figure"


def selfcheck_calls(cell):
    tree = ast.parse(src(cell))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and getattr(n.func, "id", getattr(n.func, "attr", "")) == "SelfCheck"]


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_self_checks(path):
    cells = [c for c in load(path)["cells"] if "self-check" in tags(c)]
    assert 2 <= len(cells) <= 3, f"{path.name}: {len(cells)} self-check cells (2–3)"
    for k, c in enumerate(cells, 1):
        assert c["metadata"].get("jupyter", {}).get("source_hidden") is True and \
            "hide-input" in tags(c), (
            f"{path.name}: self-check {k}'s source (which holds the answer) must be hidden: "
            "metadata jupyter.source_hidden and the tag hide-input")
        calls = selfcheck_calls(c)
        assert len(calls) == 1, f"{path.name}: a self-check cell makes one SelfCheck(...)"
        kw = {a.arg: a.value for a in calls[0].keywords}
        for need in ("answer", "why", "decided_by", "review", "label"):
            assert need in kw, f"{path.name} self-check {k}: no {need}="
        lit = {a: ast.literal_eval(v) for a, v in kw.items()}
        assert lit["label"] == f"Self-check {int(number(path))}.{k}", (
            f"{path.name}: self-check {k} is labelled {lit['label']!r}")
        assert lit["decided_by"] in GO_FUNCTIONS, (
            f"{path.name} self-check {k}: decided_by={lit['decided_by']!r} is not a Go function "
            "the course knows (GO_FUNCTIONS)")
        from gmplab.selfcheck import Question
        q = Question(ast.literal_eval(calls[0].args[0]), **lit)   # validates the arguments
        assert q.judge(q.answer).right
        if q.choices:
            assert not all(q.judge(x).right for x in q.choices)
        assert q.text() in outputs_text(c), f"{path.name}: self-check {k}'s text form is not stored"


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_recap_with_chinese_terms(path):
    cells = [c for c in load(path)["cells"] if "recap" in tags(c)]
    assert len(cells) == 1, f"{path.name}: one 'recap' cell"
    s = src(cells[0])
    assert s.startswith("## Recap")
    rows = table_rows(s)
    assert len(rows) >= 6, f"{path.name}: the recap's table has {len(rows)} rows with Chinese"
    assert not re.search(r"(?<!逻辑)处理器 ?P", s), f"{path.name}: P is 逻辑处理器 P (issue #15)"
    glossary = (NB / "glossary.md").read_text(encoding="utf-8")
    gloss_terms = {norm_term(r.split("|")[1]) for r in table_rows(glossary)}
    for r in rows:
        term = norm_term(r.split("|")[1])
        assert term in gloss_terms, f"{path.name}: recap term {term!r} is not in glossary.md"


def norm_term(cell):
    """A term as the recap and the glossary write it, without its (`Go names`)."""
    return " ".join(re.sub(r"\([^)]*\)", "", cell).replace("`", "").split()).casefold()


def link_ok(target):
    """Whether a link from notebooks/ is fine: a web address, or a file that exists."""
    return bool(re.match(r"https?://", target)) or (NB / target).resolve().exists()


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_links_work(path):
    for c in load(path)["cells"]:
        if c["cell_type"] != "markdown":
            continue
        for t in links(src(c)):
            assert link_ok(t), f"{path.name}: broken link {t}"


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_nav(path):
    cells = load(path)["cells"]
    nav = cells[-1]
    assert "nav" in tags(nav) and nav["cell_type"] == "markdown", f"{path.name}: last cell is 'nav'"
    s = src(nav)
    i = SEQUENCE.index(path.stem)
    if i > 0:
        prev = SEQUENCE[i - 1]
        assert re.search(rf"\*\*Previous:\*\* \[{prev[:2]} · [^\]]+\]\({prev}\.ipynb\)", s), (
            f"{path.name}: no '**Previous:** [{prev[:2]} · ...]({prev}.ipynb)'")
    if i + 1 < len(SEQUENCE):
        nxt = SEQUENCE[i + 1]
        assert re.search(rf"\*\*Next:\*\* \[{nxt[:2]} · [^\]]+\]\({nxt}\.ipynb\)", s), (
            f"{path.name}: no '**Next:** [{nxt[:2]} · ...]({nxt}.ipynb)'")
    m = re.search(r"\*\*Exercises:\*\* (.*)", s)
    assert m, f"{path.name}: no '**Exercises:**' line"
    want = EXERCISES.get(path.stem, ())
    got = tuple(re.findall(r"\[(\d\d_\w+)\]\(\.\./exercises/\1\.ipynb\)", m.group(1)))
    if want:
        assert got == want, f"{path.name}: exercises {got}, the plan says {want}"
    else:
        assert not got and "none for this lesson" in m.group(1)


# --- the popular claims -------------------------------------------------------------------------

def claim_cells():
    found = {}
    for p in converted():
        for c in load(p)["cells"]:
            for t in tags(c):
                m = re.fullmatch(r"claim-(\d+)", t)
                if m:
                    found.setdefault(int(m.group(1)), []).append((p.stem, c))
    return found


def test_claim_tags_are_known():
    unknown = set(claim_cells()) - set(CLAIMS)
    assert not unknown, f"cells tagged claim-{unknown}: the reference's §7 has claims 1..8"


@pytest.mark.parametrize("n", sorted(CLAIMS))
def test_each_popular_claim_is_settled_on_the_runtime(n):
    claim, lesson = CLAIMS[n]
    cells = claim_cells().get(n, [])
    assert cells, f"claim {n} ({claim!r}): no cell tagged claim-{n} in any lesson (plan: {lesson})"
    for stem, c in cells:
        allc = load(NB / f"{stem}.ipynb")["cells"]
        before = [x for x in allc[:allc.index(c)] if x["cell_type"] == "markdown"]
        assert before and '**"' in src(before[-1]), (
            f"{stem}: the markdown before the claim-{n} cell must quote the claim in bold, "
            '**"..."**')
        assert c["cell_type"] == "code" and not ignores_output(c), (
            f"{stem}: the claim-{n} cell's output must be compared by nbval")
        assert outputs_text(c).strip(), f"{stem}: the claim-{n} cell has no stored output"


# --- contents and glossary -------------------------------------------------------------------------

def test_contents_lists_the_sequence_and_the_exercises():
    s = (NB / "README.md").read_text(encoding="utf-8")
    pos = []
    for name in SEQUENCE:
        m = re.search(rf"\]\({name}\.ipynb\)", s)
        assert m, f"notebooks/README.md does not link {name}.ipynb"
        pos.append(m.start())
        line = s[m.start():s.index("\n", m.start())]
        for ex in EXERCISES.get(name, ()):
            assert f"../exercises/{ex}.ipynb" in line, f"README: {name}'s line lacks exercise {ex}"
    assert pos == sorted(pos), "notebooks/README.md lists the lessons out of order"
    assert "## How the lessons are built" in s
    for t in links(s):
        assert link_ok(t), f"notebooks/README.md: broken link {t}"


def test_glossary():
    s = (NB / "glossary.md").read_text(encoding="utf-8")
    rows = table_rows(s)
    assert len(rows) >= 40
    for r in rows:
        cols = [x.strip() for x in r.strip().strip("|").split("|")]
        assert len(cols) == 3 and all(cols), f"glossary row needs English | 中文 | Go: {r}"
        assert CJK.search(cols[1]), f"glossary: no Chinese in {r}"
    assert not re.search(r"(?<!逻辑)处理器 ?P", s), "glossary: P is 逻辑处理器 P"
    for must in ("逻辑处理器", "可抢占", "系统监控线程", "时间片", "移交"):
        assert must in s, f"glossary lacks {must}"
    terms = [norm_term(r.split("|")[1]) for r in rows]
    assert len(terms) == len(set(terms)), "glossary: a term appears twice"
