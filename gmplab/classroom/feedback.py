"""One feedback file per learner, in Markdown and HTML: every check with its points and status,
and for each one that did not pass what was expected, what came back and the hint (read from
the check's message), the errors of the learner's cells and what the grader restored."""
import html
import re

from .gradebook import totals

_LABEL = re.compile(r"^\s*(expected|got|came back|hint|first diverging decision|diverges at)"
                    r"\s*:\s*(.*)$", re.I)
_MARK = {"passed": "✓"}


def _parts(message):
    """(free text lines, [(label, text)]) of a check's message."""
    free, items = [], []
    for line in message.splitlines():
        m = _LABEL.match(line)
        if m:
            items.append((m.group(1).lower(), m.group(2)))
        elif items and line.startswith("  "):
            items[-1] = (items[-1][0], items[-1][1] + "\n" + line.strip())
        else:
            free.append(line)
    return [l for l in free if l.strip()], items


def _blocks(learner, rows, details):
    """The feedback as blocks: ("h1"|"h2"|"h3"|"p", text), ("table", header, rows),
    ("items", [(label, text)]), ("pre", text)."""
    got, most = totals(rows)[learner]
    out = [("h1", f"Feedback for {learner}: {got:g} of {most:g} points")]
    for nb in dict.fromkeys(r.notebook for r in rows):
        mine = [r for r in rows if r.notebook == nb]
        p = sum(r.points for r in mine)
        m = sum(r.max_points for r in mine)
        out.append(("h2", f"{nb}: {p:g} of {m:g} points"))
        out.append(("table", ("check", "points", "status"),
                    [(r.check, f"{r.points:g} / {r.max_points:g}",
                      f"{_MARK.get(r.status, '✗')} {r.status}") for r in mine]))
        for r in mine:
            if r.status == "passed":
                continue
            out.append(("h3", f"{r.check}: {r.status}"))
            free, items = _parts(r.reason)
            if free:
                out.append(("p", "\n".join(free)))
            if items:
                out.append(("items", items))
        extra = details.get(nb, {})
        if extra.get("errors"):
            out.append(("h3", "Cells that raised an exception"))
            for label, text in extra["errors"]:
                out.append(("p", label))
                out.append(("pre", text))
        notes = mine[0].notes if mine else ""
        if notes:
            out.append(("h3", "What the grader restored or noted"))
            out.append(("items", [("note", n) for n in notes.split("\n")]))
    return out


def markdown(blocks):
    lines = []
    for b in blocks:
        kind = b[0]
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + b[1], ""]
        elif kind == "p":
            lines += [b[1], ""]
        elif kind == "pre":
            lines += ["```", b[1].rstrip(), "```", ""]
        elif kind == "items":
            lines += [f"- **{k}:** {v}" for k, v in b[1]] + [""]
        elif kind == "table":
            head, rows = b[1], b[2]
            lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
            lines += [""]
    return "\n".join(lines)


def _html(blocks, title):
    e = html.escape
    body = []
    for b in blocks:
        kind = b[0]
        if kind in ("h1", "h2", "h3"):
            body.append(f"<{kind}>{e(b[1])}</{kind}>")
        elif kind == "p":
            body.append("<p>" + e(b[1]).replace("\n", "<br>") + "</p>")
        elif kind == "pre":
            body.append(f"<pre>{e(b[1])}</pre>")
        elif kind == "items":
            body.append("<ul>" + "".join(f"<li><b>{e(k)}:</b> {e(v)}</li>" for k, v in b[1])
                        + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{e(h)}</th>" for h in b[1])
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>"
                           for r in b[2])
            body.append(f"<table><tr>{head}</tr>{rows}</table>")
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .6em}"
             "pre{background:#f4f4f4;padding:.5em;overflow-x:auto}")
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{e(title)}</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def write(rows, details, folder):
    """DIR/feedback/<learner>.md and .html for every learner in the rows.

    ``details``: {(learner, notebook): {"errors": [(cell label, traceback)]}}."""
    folder.mkdir(parents=True, exist_ok=True)
    for learner in dict.fromkeys(r.learner for r in rows):
        mine = [r for r in rows if r.learner == learner]
        blocks = _blocks(learner, mine, {nb: d for (who, nb), d in details.items()
                                         if who == learner})
        (folder / f"{learner}.md").write_text(markdown(blocks), encoding="utf-8")
        (folder / f"{learner}.html").write_text(_html(blocks, f"Feedback for {learner}"),
                                               encoding="utf-8")
