"""Run a Python child that reports what it saved, then kill it with SIGKILL mid-run.

Shared by the durability tests of the progress store and of the quiz: both start a child in the
same TUI_TUTOR_HOME, read the lines it prints after each committed attempt, kill -9 it while it is
working on the next one, and then look for every reported attempt in the store.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.terminal import REPO, checkout_env


def run_and_kill(code: str, home: Path, lines: int, *, timeout: float = 60) -> list[str]:
    """The first ``lines`` lines the child printed; the child has been killed with SIGKILL."""
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=checkout_env(TUI_TUTOR_HOME=str(home)), text=True, cwd=REPO,
    )  # fmt: skip
    watchdog = threading.Timer(timeout, child.kill)  # a hung child must not hang the test run
    watchdog.start()
    reported: list[str] = []
    try:
        while len(reported) < lines:
            line = child.stdout.readline()
            if not line:
                pytest.fail(f"the child stopped early: {child.stderr.read()[-3000:]}")
            reported.append(line.rstrip("\n"))
        # Mid-run: the child is busy with its next attempt when the signal lands.
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
    return reported
