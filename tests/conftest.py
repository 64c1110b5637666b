"""Settings shared by every test.

Hypothesis runs derandomized and without its example database, so a property test fails or
passes the same way on every machine and every run (CI included). Set HYPOTHESIS_PROFILE=dev
to explore with fresh random examples locally.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


import logging

import pytest


@pytest.fixture(autouse=True)
def _restore_logging():
    """``cli.main`` points the root logger at a log file in the test's home; undo that after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
