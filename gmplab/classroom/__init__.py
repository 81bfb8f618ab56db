"""The classroom: ``gmplab grade`` grades a whole class's exercise notebooks against the release,
tamper-proof (the learner's code runs in a fresh, fingerprinted process that only collects
data; the verdict is judged here), into a gradebook and one feedback file per learner.

    from gmplab.classroom import grade
    rows = grade("submissions/", "exercises/", "grades/")
"""
from .grader import grade

__all__ = ["grade"]
