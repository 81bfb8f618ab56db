"""Every notebook nbval runs is run twice in the same kernel: learners re-run cells all the time.

``pytest --nbval`` runs a notebook's code cells in one kernel and compares their outputs with the
stored ones. This plugin queues every code cell a second time behind the last one, in the same
kernel (no second kernel start, no second ``import gmplab``), and compares the second outputs
with the same stored outputs by nbval's own rules: what nbval ignores (``# NBVAL_IGNORE_OUTPUT``
cells, images, widget views) is ignored on the second run too. So a cell that only works once
(a function its first call replaces, state a later cell leaves behind) fails as
``<notebook>::Cell N (second run)``. It applies to every notebook nbval collects, those added
later too; ``--nbval-once`` turns it off (a quick look at one notebook).
"""
import pytest


def pytest_addoption(parser):
    parser.addoption("--nbval-once", action="store_true", default=False,
                     help="run each notebook once (gmplab runs them twice by default)")


def _rerun_class():
    from nbval.plugin import IPyNbCell

    class SecondRunCell(IPyNbCell):
        """A code cell run again after the whole notebook ran once, in the same kernel."""

        def repr_failure(self, excinfo):
            return ("On the second run of the notebook in the same kernel (every cell had run "
                    "once, in order, without error):\n" + super().repr_failure(excinfo))

        def reportinfo(self):
            path, line, desc = super().reportinfo()
            return path, line, desc + " (second run)"

    return SecondRunCell


def pytest_collection_modifyitems(session, config, items):
    if not config.getoption("--nbval", default=False) or config.getoption("--nbval-once"):
        return
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:
        return
    cls = _rerun_class()
    out, group = [], []

    def flush():
        if group:
            parent = group[0].parent
            out.extend(cls.from_parent(parent, name=f"{c.name} (second run)", cell_num=c.cell_num,
                                       cell=c.cell, options=c.options) for c in group)
            group.clear()

    for item in items:
        if isinstance(item, IPyNbCell):
            if group and item.parent is not group[0].parent:
                flush()
            group.append(item)
        else:
            flush()
        out.append(item)
    flush()
    items[:] = out
