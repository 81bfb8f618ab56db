"""gmplab.widgets: the Playground, an ipywidgets UI to drive the scheduler by hand.

    from gmplab.widgets import Playground
    Playground(gomaxprocs=4, seed=0)

Needs ipywidgets and matplotlib (``pip install gmplab[lab]``).
"""
from .playground import Playground
from .presets import PRESETS

__all__ = ["Playground", "PRESETS"]
