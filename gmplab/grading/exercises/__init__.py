"""The exercises' checks, one module per exercise notebook (exercises/NN_name.ipynb)."""
from . import ex01_runqput  # noqa: F401
