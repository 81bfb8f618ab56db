"""gmplab.widgets: the Playground, an ipywidgets UI to drive the scheduler by hand; the Quiz, a
seeded practice problem to answer (gmplab.problems); and SelfCheck, the lessons' self-check
questions.

    from gmplab.widgets import Playground, Quiz, SelfCheck
    Playground(gomaxprocs=4, seed=0)
    Quiz(kind="steal", level=2, seed=7)

Needs ipywidgets and matplotlib (``pip install gmplab[lab]``).
"""
from .playground import Playground
from .presets import PRESETS
from .quiz import Quiz
from .selfcheck import SelfCheck

__all__ = ["Playground", "PRESETS", "Quiz", "SelfCheck"]
