"""The course website: `jupyter-book build book` renders every lesson of notebooks/ and every
exercise of exercises/ to HTML with its stored outputs (Jupyter Book 1: Sphinx and MyST-NB;
nothing is executed)."""
import html as htmllib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("jupyter_book", reason="Jupyter Book is in the `site` extra")


def _first_output(nb):
    for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
        for out in cell.get("outputs", []):
            text = out.get("text") or out.get("data", {}).get("text/plain")
            if text:
                line = "".join(text).strip().splitlines()[0]
                if len(line) > 12:
                    return line
    return None


def test_the_book_renders_every_lesson_with_its_stored_outputs(tmp_path):
    jb = shutil.which("jupyter-book") or pytest.skip("no jupyter-book command")
    r = subprocess.run([jb, "build", str(ROOT / "book"), "--path-output", str(tmp_path)],
                       capture_output=True, text=True, timeout=900)
    log = r.stdout + r.stderr
    assert r.returncode == 0, log
    assert "Executing" not in log
    exercises = sorted((ROOT / "exercises").glob("[0-9]*.ipynb"))
    allowed = ["myst.xref_missing"] + ([] if exercises else ["'exercises/[0-9]*' didn't match"])
    warnings = [l for l in log.splitlines() if "WARNING" in l and not any(a in l for a in allowed)]
    assert not warnings, warnings
    html = tmp_path / "_build" / "html"
    lessons = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    assert lessons
    for nb in lessons + exercises:
        page = html / nb.parent.name / f"{nb.stem}.html"
        assert page.is_file(), page
        out = _first_output(nb)
        if out:
            text = htmllib.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
            assert out[:40] in text, (nb, out)
    assert "GMP scheduler" in (html / "intro.html").read_text(encoding="utf-8")
