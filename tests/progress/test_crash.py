"""An attempt the store said it recorded is still there after the process is killed with -9."""

from __future__ import annotations

import signal

import pytest

from tests.sigkill import run_and_kill
from tui_tutor.progress.store import ProgressStore

# The child records attempts as fast as it can and prints each id only after record_attempt has
# returned, i.e. after the store has promised the attempt is saved.
CHILD = """
from tui_tutor.progress.records import Attempt
from tui_tutor.progress.store import ProgressStore

store = ProgressStore()
assert store.notice is None, store.notice
i = 0
while True:
    new_id = store.record_attempt(
        Attempt(item_id=f"q{i % 7}", answer=str(i), correct=i % 3 != 0,
                score=0.0 if i % 3 == 0 else 1.0, skills=("chain",))
    )
    print(new_id, flush=True)
    i += 1
"""

WANTED = 60


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_every_reported_attempt_survives_sigkill(home):
    reported = [int(line) for line in run_and_kill(CHILD, home, WANTED)]

    with ProgressStore() as store:
        assert store.notice is None  # the file is healthy, not moved aside
        stored = {a.id for a in store.attempts()}
    missing = sorted(set(reported) - stored)
    assert missing == [], f"reported as recorded but lost: {missing}"
    assert len(stored) >= WANTED
