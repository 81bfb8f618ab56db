"""gmplab.widgets: the Playground, an ipywidgets UI to drive the scheduler by hand, and
SelfCheck, the lessons' self-check questions.

    from gmplab.widgets import Playground, SelfCheck
    Playground(gomaxprocs=4, seed=0)

Needs ipywidgets and matplotlib (``pip install gmplab[lab]``).
"""
from .playground import Playground
from .presets import PRESETS
from .selfcheck import SelfCheck

__all__ = ["Playground", "PRESETS", "SelfCheck"]
