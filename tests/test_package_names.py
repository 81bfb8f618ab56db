"""Importing a submodule never replaces a name a package defines.

Python binds a submodule's name in its package when the submodule is first imported: with a
module ``gmplab/viz/timeline.py`` beside the function ``timeline`` of ``gmplab/viz/__init__.py``,
the first ``timeline(rt)`` (which imports the module) replaced the function, and a notebook run a
second time called a module ("TypeError: 'module' object is not callable"). Checked for every
package of gmplab, those added later too.
"""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "gmplab"


def _bound_names(init):
    """Top-level names an __init__.py binds, with whether the binding is the submodule itself
    (``from . import x`` / ``from .x import ...`` binds only what it names)."""
    out = {}
    for node in ast.parse(init.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out[node.name] = False
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        out[n.id] = False
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                name = a.asname or a.name
                # `from . import x` binds the submodule x: that is what the name means
                out[name] = node.level == 1 and not node.module and a.asname is None
    return out


def _clashes(pkgdir):
    subs = {p.stem for p in pkgdir.glob("*.py") if p.stem != "__init__"}
    subs |= {p.parent.name for p in pkgdir.glob("*/__init__.py")}
    bound = _bound_names(pkgdir / "__init__.py")
    return sorted(n for n in subs if n in bound and not bound[n])


def test_no_package_defines_a_name_of_one_of_its_submodules():
    pkgs = [p.parent for p in PKG.rglob("__init__.py")]
    assert len(pkgs) >= 4
    bad = {str(p.relative_to(PKG.parent)): c for p in pkgs if (c := _clashes(p))}
    assert not bad, ("these packages define a name that one of their submodules also has; "
                     f"importing the submodule would replace it: {bad}")


def test_the_check_sees_the_trap(tmp_path):
    pkg = tmp_path / "viz"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from . import style\nfrom .tracefig import plot\n"
                                     "def timeline(rt):\n    from .timeline import timeline\n")
    for name in ("style", "timeline", "tracefig"):
        (pkg / f"{name}.py").write_text("")
    assert _clashes(pkg) == ["timeline"]
