"""gmplab.grading: learners' scheduler functions inside the runtime, and the checks that grade
them.

* Plug-ins: ``gmplab.Runtime(..., replace={"runqput": runqput})`` runs the runtime with your
  function in place of the core's (:mod:`.plugins`; the Go functions that can be plugged in and
  how each is called: :mod:`.plugs`; the objects your function works on: :mod:`.objects`; Go's
  names to write it with: ``from gmplab.grading.go import *``).
* Checks: ``check(check_id, *functions)`` is what an exercise's check cell calls; it is
  ``judge(check_id, collect(check_id, *functions))`` (:mod:`.checks`). ``CHECKS`` lists every
  check cell of every exercise.
"""
from . import plugs as _plugs  # noqa: F401  (registers the plug-ins)
from .checks import (CHECKS, Check, CheckFailed, NotWritten, PluginFailed, Verdict, WrongResult,
                     check, collect, judge)
from .objects import PluginError
from .plugins import BUILTIN, PLUGS
from . import exercises as _exercises  # noqa: F401,E402  (registers the checks)

__all__ = ["check", "collect", "judge", "CheckFailed", "NotWritten", "WrongResult",
           "PluginFailed", "Verdict", "CHECKS", "Check", "PluginError", "PLUGS", "BUILTIN"]
