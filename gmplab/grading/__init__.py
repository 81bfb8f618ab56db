"""gmplab.grading: learners' scheduler functions inside the runtime, and the checks that grade
them.

* Plug-ins: ``gmplab.Runtime(..., replace={"runqput": runqput})`` runs the runtime with your
  function in place of the core's (:mod:`.plugins`; the Go functions that can be plugged in and
  how each is called: :mod:`.plugs`; the objects your function works on: :mod:`.objects`; Go's
  names to write it with: ``from gmplab.grading.go import *``).
"""
from . import plugs as _plugs  # noqa: F401  (registers the plug-ins)
from .objects import PluginError
from .plugins import BUILTIN, PLUGS

__all__ = ["PluginError", "PLUGS", "BUILTIN"]
