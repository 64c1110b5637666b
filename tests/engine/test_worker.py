"""The bounded worker: a long sympy computation is killed on time, the next call gets a fresh worker,
and errors cross the process boundary intact (without dragging sympy into the caller)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

from tui_tutor.engine.chain import ChainError
from tui_tutor.engine.parse import ParseError
from tui_tutor.engine.worker import EngineTimeout, EngineWorker

# Solving this expands a polynomial with billions of terms: a real sympy call that never finishes.
# (Grading the same power no longer expands it: the grader samples large powers instead.)
ENDLESS = ("service.solve", ["(x1 + x2 + x3 + x4 + x5 + x6)^1000"])


@pytest.fixture
def worker():
    engine = EngineWorker(timeout=2.0)
    engine.start()
    yield engine
    engine.close()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_long_computation_is_stopped_and_the_worker_respawned(worker):
    first = worker.pid
    assert first is not None
    started = time.perf_counter()
    with pytest.raises(EngineTimeout) as caught:
        worker.call(*ENDLESS)
    elapsed = time.perf_counter() - started
    assert 2.0 <= elapsed < 2.5, f"stopped after {elapsed:.2f} s"
    assert "took too long (over 2 s)" in str(caught.value)
    assert _gone(first), "the killed worker is still running"
    assert worker.pid is None
    assert worker.restarts == 1

    verdict = worker.call("service.grade_answer", "-9/100", "-0.09")
    assert verdict.correct
    assert worker.pid not in (None, first)


def test_a_call_can_have_its_own_bound(worker):
    started = time.perf_counter()
    with pytest.raises(EngineTimeout, match="over 0.5 s"):
        worker.call(*ENDLESS, timeout=0.5)
    assert time.perf_counter() - started < 1.0


def test_parse_errors_cross_the_boundary_with_their_column(worker):
    with pytest.raises(ParseError) as caught:
        worker.call("service.grade_answer", "x", "2 + foo")
    err = caught.value
    assert type(err) is ParseError
    assert (err.reason, err.column, str(err)) == ("unknown name 'foo'", 5, "unknown name 'foo' at column 5")


def test_chain_errors_cross_the_boundary(worker):
    with pytest.raises(ChainError, match=r"map 2 \(f\) uses u3, but map 1 \(g\) has only 2 outputs"):
        worker.call("service.solve", ["x1, x2", "u1 + u3"])


def test_a_function_may_be_passed_directly_if_it_is_the_engines(worker):
    from tui_tutor.engine import service

    assert worker.call(service.grade_answer, "[10; 5]", "[10, 5]", "vector").correct


def test_only_engine_functions_run(worker, tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(PermissionError, match="is not an engine module"):
        worker.call(os.system, f"touch {marker}")
    with pytest.raises(ModuleNotFoundError):
        worker.call("os.system", f"touch {marker}")
    assert not marker.exists()
    assert worker.call("service.grade_answer", "1", "1").correct  # the worker is still fine


def test_close_stops_the_process():
    engine = EngineWorker()
    engine.start()
    pid = engine.pid
    engine.close()
    assert engine.pid is None
    assert _gone(pid)


def test_the_caller_never_imports_sympy_even_when_the_engine_raises():
    """Unpickling an engine error must not import the parser (and sympy) into the app's process."""
    script = textwrap.dedent(
        """
        import sys
        from tui_tutor.engine.worker import EngineTimeout, EngineWorker
        engine = EngineWorker()
        for call in (("service.grade_answer", "x", "2 + foo"), ("service.solve", ["x1", "u2"])):
            try:
                engine.call(*call)
            except ValueError as err:
                print(type(err).__name__, err.column if hasattr(err, "column") else "-")
        engine.call("service.grade_answer", "1", "1")
        engine.close()
        print("sympy" in sys.modules, "numpy" in sys.modules)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["ParseError 5", "ChainError -", "False False"]


def test_a_sympy_exception_reaches_the_caller_as_a_plain_value_error():
    import sympy

    from tui_tutor.engine.worker import _portable

    converted = _portable(sympy.PolynomialError("not a polynomial"))
    assert type(converted) is ValueError
    assert "PolynomialError: not a polynomial" in str(converted)
    kept = _portable(KeyError("x"))
    assert type(kept) is KeyError
