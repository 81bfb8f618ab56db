import os
import sys

import pytest

# the browser harness lives in tests/browser; notebooks are collected only via --nbval paths
collect_ignore_glob = ["browser/_*.ipynb"]


def pytest_configure(config):
    os.environ.setdefault("PYTHONHASHSEED", "0")
