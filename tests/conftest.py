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
