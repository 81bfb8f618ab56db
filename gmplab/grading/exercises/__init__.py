"""The exercises' checks, one module per exercise notebook (exercises/NN_name.ipynb)."""
from . import (ex01_runqput, ex02_runqputslow, ex03_runqget, ex04_runqsteal,  # noqa: F401
               ex05_randomorder, ex06_globrunqget, ex07_findrunnable, ex08_retake,
               ex09_exitsyscall, ex10_predict)
