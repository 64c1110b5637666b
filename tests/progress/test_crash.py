"""An attempt the store said it recorded is still there after the process is killed with -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui_tutor.progress.store import ProgressStore

REPO = Path(__file__).resolve().parents[2]

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
    env = dict(os.environ, TUI_TUTOR_HOME=str(home))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        text=True,
    )  # fmt: skip
    watchdog = threading.Timer(60, child.kill)  # a hung child must not hang the test run
    watchdog.start()
    reported: list[int] = []
    try:
        while len(reported) < WANTED:
            line = child.stdout.readline()
            if not line:
                pytest.fail(f"child stopped early: {child.stderr.read()}")
            reported.append(int(line))
        # Mid-run: the child is busy inside its next record_attempt when the signal lands.
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        watchdog.cancel()
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    with ProgressStore() as store:
        assert store.notice is None  # the file is healthy, not moved aside
        stored = {a.id for a in store.attempts()}
    missing = sorted(set(reported) - stored)
    assert missing == [], f"reported as recorded but lost: {missing}"
    assert len(stored) >= WANTED
