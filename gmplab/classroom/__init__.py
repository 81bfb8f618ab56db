"""The classroom: ``gmplab grade`` grades a whole class's exercise notebooks against the release,
tamper-proof (the learner's code runs in a fresh, fingerprinted process that only collects
data; the verdict is judged here), into a gradebook and one feedback file per learner.

    from gmplab.classroom.grader import grade
    rows = grade("submissions/", "exercises/", "grades/")

Modules: ``grader`` (the run), ``release`` and ``restore`` (the notebooks), ``runner`` and
``harness`` (the collect process and its limits), ``fingerprint`` (tamper detection),
``gradebook`` and ``feedback`` (results), ``submissions`` (layouts), ``cli`` (the command).
Nothing is imported here, so that the collect process loads only what it needs.
"""
