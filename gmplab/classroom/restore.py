"""A submission, read and put back in order: validate it, restore the release's check cells by
cell id (or nbgrader grade_id, for editors that drop ids), undo edits to the release's cell
metadata and kernelspec, and list the cells whose code the grader runs.

Every change made is returned as a note, so the learner's feedback says what was undone.
"""
import copy
import json

import nbformat

from .release import grade_id, tags


class Invalid(ValueError):
    """A submission that cannot be graded at all: the reason is the gradebook's."""


def read(path):
    """The submitted notebook (nbformat 4), or Invalid naming what is wrong with the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise Invalid(f"the notebook cannot be read: {e}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise Invalid(f"the notebook is not valid JSON ({e}): it was damaged or is not a "
                      "notebook") from None
    if not isinstance(raw, dict) or "nbformat" not in raw:
        raise Invalid("the file is JSON but not a notebook (no nbformat field)")
    if raw.get("nbformat") != 4:
        raise Invalid(f"the notebook is nbformat {raw.get('nbformat')}; the course's notebooks "
                      "are nbformat 4 (open and save it in JupyterLab)")
    try:
        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        nbformat.validate(nb)
    except Exception as e:
        raise Invalid(f"the notebook does not follow nbformat 4: {str(e).splitlines()[0]}") \
            from None
    return nb


def _key(cell, by_grade_id):
    """The release cell id this submitted cell stands for (None: the learner's own cell)."""
    return by_grade_id.get(grade_id(cell), cell.get("id")) if grade_id(cell) else cell.get("id")


def restore(nb, ex):
    """(restored notebook, notes). ``ex`` is the release's :class:`~.release.Exercise`."""
    rel = {c.id: c for c in ex.nb.cells}
    order = [c.id for c in ex.nb.cells]
    checks = {c.id: c for c in ex.checks}
    by_grade_id = {grade_id(c): c.id for c in ex.nb.cells if grade_id(c)}
    notes, kept, seen = [], [], set()
    for pos, cell in enumerate(nb.cells):
        k = _key(cell, by_grade_id)
        if k in rel and k in seen:
            notes.append(f"cell {pos + 1} repeats the release's cell {k!r}; the copy is ignored")
            continue
        if k in rel:
            seen.add(k)
            cell = copy.deepcopy(cell)
            cell["id"] = k
            if k in checks:
                kept.append(("check", k, cell))
                continue
            if cell.get("metadata", {}) != rel[k].get("metadata", {}):
                notes.append(f"the metadata of cell {k!r} was edited; the release's is restored")
                cell["metadata"] = copy.deepcopy(rel[k].metadata)
            kept.append(("release", k, cell))
        else:
            meta = cell.get("metadata", {})
            if "nbgrader" in meta or {"check", "answer"} & set(tags(cell)):
                notes.append(f"cell {pos + 1} (the learner's own) claims to be a graded cell; "
                             "its nbgrader metadata and tags are ignored")
                cell = copy.deepcopy(cell)
                cell["metadata"] = {k2: v for k2, v in meta.items() if k2 not in ("nbgrader",
                                                                                 "tags")}
            kept.append(("own", None, cell))
    notes += _check_notes(kept, checks, order)
    cells = [c for kind, k, c in kept if kind != "check"]
    for cid in (c.id for c in ex.checks):
        anchor = max((i for i, c in enumerate(cells) if c.get("id") in rel
                      and order.index(c["id"]) < order.index(cid)), default=-1)
        cells.insert(anchor + 1, copy.deepcopy(checks[cid].cell))
    out = copy.deepcopy(nb)
    out.cells = cells
    if nb.metadata.get("kernelspec", {}).get("name") != ex.kernelspec.get("name"):
        notes.append(f"the kernelspec {nb.metadata.get('kernelspec', {}).get('name')!r} is "
                     f"replaced by the course's {ex.kernelspec.get('name')!r}")
    out.metadata["kernelspec"] = copy.deepcopy(ex.kernelspec)
    return out, notes


def _check_notes(kept, checks, order):
    """Notes for check cells that were edited, moved or deleted."""
    notes = []
    present = {k: c for kind, k, c in kept if kind == "check"}
    for cid, chk in checks.items():
        if cid not in present:
            notes.append(f"check cell {chk.grade_id} was deleted; the release's is restored")
        elif (present[cid].get("source"), present[cid].get("metadata")) != \
                (chk.cell.source, chk.cell.metadata):
            notes.append(f"check cell {chk.grade_id} was edited; the release's is restored")
    seq = [k for kind, k, c in kept if kind != "own"]
    if seq != sorted(seq, key=order.index):
        notes.append("cells of the release were moved; the check cells are put back in place")
    return notes


def program(nb, ex):
    """The code cells the collect process runs: every code cell up to the last answer cell
    (the release's set-up, the answers, the learner's own cells in between), no check cell."""
    checks = {c.id for c in ex.checks}
    answers = set(ex.answers)
    idx = [i for i, c in enumerate(nb.cells) if c.get("id") in answers]
    end = idx[-1] if idx else next(i for i, c in enumerate(nb.cells) if c.get("id") in checks)
    out = []
    for i, c in enumerate(nb.cells[:end + 1]):
        if c.cell_type != "code" or c.get("id") in checks:
            continue
        kind = "answer" if c.get("id") in answers else \
            "set-up" if c.get("id") in {x.id for x in ex.nb.cells} else "your own cell"
        out.append({"label": f"cell {i + 1}, {kind}", "source": c.source, "skip": False})
    return out
