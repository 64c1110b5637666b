"""No engine process outlives the app: kill -9 of a real `tui-tutor` on a terminal, mid-computation.

(A dropped SSH connection is in tests/test_ssh_drop.py; the engine's own fallbacks are in
tests/engine/test_worker.py.)
"""

from __future__ import annotations

import os
import signal
import sys

import pytest

from tests.processes import alive, busy_runner, engine_processes, wait_until
from tests.terminal import Terminal, tutor_command, tutor_env

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches processes through /proc")

# Its Jacobian is a polynomial with billions of terms once expanded: the scratchpad's engine call
# runs until its CPU bound (4 s of computation), growing by about 100 MB a second.
HEAVY_MAP = "(x1 + x2 + x3 + x4 + x5 + x6)^1000"


def test_kill_9_of_the_app_during_a_long_computation_leaves_no_engine_process(tmp_path):
    with Terminal(tutor_command() + ["scratch", HEAVY_MAP], env=tutor_env(tmp_path)) as term:
        assert term.wait_for("working", 60), term.text()[-2000:]

        def computing() -> bool:
            return any(busy_runner(pid) for pid in engine_processes(term.pid))

        assert wait_until(computing, 60), "the engine never started the long computation"
        engine = engine_processes(term.pid)
        assert len(engine) == 3  # the host, the runner at work, the spare runner
        os.kill(term.pid, signal.SIGKILL)
        assert wait_until(lambda: not any(alive(p) for p in engine), 5), (
            f"still running 5 s after the app was killed: {[p for p in engine if alive(p)]}"
        )
