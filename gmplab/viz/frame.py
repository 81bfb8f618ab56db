"""The frame every lane figure shares: a new Figure with one Axes that leaves fixed room (in
inches) for the x label and legend below and the title above — or the caller's own Axes."""
from matplotlib.figure import Figure

from .statefig import fmt_t
from .timelinefig import _unit as time_unit

__all__ = ["figure_axes", "fmt_t", "time_unit"]


def figure_axes(ax, figsize, bottom_in, top_in, left=0.08, width=0.9):
    """(fig, ax): ``ax`` cleared if given, else a new Figure of ``figsize`` whose Axes keeps
    ``bottom_in`` inches free below it and ``top_in`` above it."""
    if ax is not None:
        ax.clear()
        return ax.figure, ax
    fig = Figure(figsize=figsize)
    h = figsize[1]
    return fig, fig.add_axes((left, bottom_in / h, width, 1 - (bottom_in + top_in) / h))
