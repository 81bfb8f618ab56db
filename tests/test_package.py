"""The package's surface: ``import gmplab`` stays light, ``gmplab.Playground`` loads on use."""
import subprocess
import sys
import textwrap

import pytest


def _python(code):
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.split()


def test_import_gmplab_imports_neither_ipywidgets_nor_matplotlib():
    assert _python("""
        import sys, gmplab
        print('ipywidgets' in sys.modules, 'matplotlib' in sys.modules)
    """) == ["False", "False"]


def test_playground_is_exported_lazily():
    pytest.importorskip("ipywidgets")
    assert _python("""
        import sys, gmplab
        from gmplab.widgets import Playground
        print(gmplab.Playground is Playground, 'Playground' in gmplab.__all__)
    """) == ["True", "True"]


def test_unknown_attribute_still_raises():
    import gmplab
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        gmplab.Nope
