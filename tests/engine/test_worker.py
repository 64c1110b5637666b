"""The engine's process: computations bounded by CPU time and memory (not the clock), abandoned when
superseded, errors carried across intact (without dragging sympy into the caller), and every engine
process gone when the app is."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from tests.processes import alive, busy_runner, children, engine_processes, wait_until
from tui_tutor.engine.bounds import Bound
from tui_tutor.engine.chain import ChainError
from tui_tutor.engine.parse import ParseError
from tui_tutor.engine.worker import (
    EngineCrashed,
    EngineOutOfMemory,
    EngineSuperseded,
    EngineTimeout,
    EngineWorker,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches processes through /proc")

# Solving this expands a polynomial with billions of terms: a real sympy call that never finishes,
# and grows by about 100 MB a second while it tries. (Grading the same power no longer expands it:
# the grader samples large powers instead.)
ENDLESS = ("service.solve", ["(x1 + x2 + x3 + x4 + x5 + x6)^1000"])
LIGHT = ("service.grade_answer", "-9/100", "-0.09")


@pytest.fixture
def worker():
    engine = EngineWorker(bound=2.0)
    engine.start()
    yield engine
    engine.close()


def _in_background(func, *args, **kwargs) -> tuple[threading.Thread, dict]:
    """Run ``func`` in a thread; the dict gets its "result" or "error"."""
    outcome: dict = {}

    def target():
        try:
            outcome["result"] = func(*args, **kwargs)
        except BaseException as err:  # noqa: BLE001 - handed to the test
            outcome["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, outcome


def _signal_all(pids, number) -> None:
    for pid in pids:
        try:
            os.kill(pid, number)
        except ProcessLookupError:
            pass


# --- CPU time, not the clock ----------------------------------------------------------------------


def test_a_long_computation_is_stopped_by_its_cpu_bound_and_the_next_call_answered(worker):
    host = worker.pid
    with pytest.raises(EngineTimeout) as caught:
        worker.call(*ENDLESS, bound=0.5)
    assert str(caught.value) == "this took too long (more than 0.5 s of computation) and was stopped; try a simpler input"
    assert not caught.value.busy
    assert worker.call(*LIGHT).correct
    assert worker.pid == host, "a stopped computation must not cost a restart of the engine (and a sympy import)"


def test_time_spent_waiting_for_the_processor_does_not_count(worker):
    """On a busy machine the engine waits for its turn; only its own CPU time counts against it.

    Its processes are stopped (as if other students' work took every processor) for four times
    the CPU bound before the call can run: the call still succeeds."""
    runners = children(worker.pid)
    _signal_all(runners, signal.SIGSTOP)
    thread, outcome = _in_background(worker.call, *LIGHT, bound=Bound(0.5, 30, "test"))
    thread.join(2.0)
    assert thread.is_alive(), f"the call ended while the engine could not run: {outcome}"
    _signal_all(runners, signal.SIGCONT)
    thread.join(30)
    assert outcome.get("result") is not None and outcome["result"].correct, outcome


def test_the_clock_is_a_last_resort_for_an_engine_that_gets_no_processor(worker):
    runners = children(worker.pid)
    _signal_all(runners, signal.SIGSTOP)
    try:
        with pytest.raises(EngineTimeout) as caught:
            worker.call(*LIGHT, bound=Bound(5, 1, "test"))
    finally:
        _signal_all(runners, signal.SIGCONT)
    assert caught.value.busy
    assert str(caught.value) == "no answer within 1 s: the computer is too busy right now; try again"
    assert worker.call(*LIGHT).correct


# --- memory ---------------------------------------------------------------------------------------


def test_a_computation_that_needs_too_much_memory_is_stopped_and_the_engine_recovers():
    engine = EngineWorker(memory_mb=100)
    try:
        engine.start()
        host = engine.pid
        with pytest.raises(EngineOutOfMemory) as caught:
            engine.call(*ENDLESS, bound=60)  # it would take minutes of CPU; memory stops it first
        assert str(caught.value) == "this needed more than 100 MB of memory and was stopped; try a simpler input"
        assert engine.call(*LIGHT).correct
        assert engine.pid == host
    finally:
        engine.close()


def test_the_memory_budget_can_be_set_in_the_environment(monkeypatch):
    from tui_tutor.engine.bounds import MEMORY_BUDGET_MB, memory_budget_mb

    monkeypatch.setenv("TUI_TUTOR_ENGINE_MEMORY_MB", "256")
    assert memory_budget_mb() == 256
    for bad in ("lots", "-5", "1", "0x100"):
        monkeypatch.setenv("TUI_TUTOR_ENGINE_MEMORY_MB", bad)
        assert memory_budget_mb() == MEMORY_BUDGET_MB


def test_the_engine_runs_single_threaded_numerics():
    """OpenBLAS would start a thread per core, each adding stacks and arenas to the address space
    that the memory bound counts; the engine has no use for them."""
    engine = EngineWorker()
    try:
        engine.start()
        for pid in [engine.pid, *children(engine.pid)]:
            threads = os.listdir(f"/proc/{pid}/task")
            assert len(threads) == 1, (pid, threads)
    finally:
        engine.close()


# --- superseded computations ----------------------------------------------------------------------


def test_a_newer_call_on_the_same_channel_stops_the_running_one_at_once(worker):
    thread, heavy = _in_background(worker.call, *ENDLESS, bound=60, channel="scratch")
    assert wait_until(lambda: busy_runner(worker.pid) is not None, 30)
    working = busy_runner(worker.pid)
    assert worker.call(*LIGHT, channel="scratch").correct  # answered long before 60 s of CPU
    thread.join(10)
    assert isinstance(heavy.get("error"), EngineSuperseded), heavy
    assert wait_until(lambda: not alive(working), 5), "the abandoned computation is still running"


def test_a_channel_abandons_only_its_own_calls(worker):
    first, other = worker.ticket("preview-1"), worker.ticket("preview-2")
    assert not first.cancelled and not other.cancelled
    newer = worker.ticket("preview-1")
    assert first.cancelled and not other.cancelled and not newer.cancelled


def test_calls_still_waiting_on_a_channel_are_dropped_without_running(worker):
    events = []
    lock = threading.Lock()

    def note(name, func, *args, **kwargs):
        try:
            func(*args, **kwargs)
            outcome = "done"
        except Exception as err:  # noqa: BLE001 - recorded for the assertion
            outcome = type(err).__name__
        with lock:
            events.append((name, outcome))

    blocker, _ = _in_background(note, "blocker", worker.call, *ENDLESS, bound=1.5)  # no channel
    assert wait_until(lambda: busy_runner(worker.pid) is not None, 30)
    first, _ = _in_background(note, "first", worker.call, *ENDLESS, bound=60, channel="preview")
    assert wait_until(lambda: "preview" in worker._latest, 5)
    last, _ = _in_background(note, "last", worker.call, *LIGHT, channel="preview")
    for thread in (first, blocker, last):
        thread.join(30)
    # The older edit never ran: it was dropped while the blocker was still computing.
    assert events == [("first", "EngineSuperseded"), ("blocker", "EngineTimeout"), ("last", "done")]


def test_cancelling_a_ticket_stops_its_call(worker):
    ticket = worker.ticket()
    thread, outcome = _in_background(worker.call, *ENDLESS, bound=60, ticket=ticket)
    assert wait_until(lambda: busy_runner(worker.pid) is not None, 30)
    worker.cancel(ticket)
    thread.join(10)
    assert isinstance(outcome.get("error"), EngineSuperseded)
    assert worker.call(*LIGHT).correct


def test_a_computation_killed_from_outside_is_reported_and_the_next_call_works(worker):
    thread, outcome = _in_background(worker.call, *ENDLESS, bound=60)
    assert wait_until(lambda: busy_runner(worker.pid) is not None, 30)
    os.kill(busy_runner(worker.pid), signal.SIGSEGV)
    thread.join(10)
    assert isinstance(outcome.get("error"), EngineCrashed)
    assert "SIGSEGV" in str(outcome["error"])
    assert worker.call(*LIGHT).correct


# --- errors cross the boundary --------------------------------------------------------------------


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
    assert worker.call("service.grade_answer", "1", "1").correct  # the engine is still fine


def test_the_caller_never_imports_sympy_even_when_the_engine_raises():
    """Unpickling an engine error must not import the parser (and sympy) into the app's process."""
    script = textwrap.dedent(
        """
        import sys
        from tui_tutor.engine.worker import EngineWorker
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

    from tui_tutor.engine.host import portable

    converted = portable(sympy.PolynomialError("not a polynomial"))
    assert type(converted) is ValueError
    assert "PolynomialError: not a polynomial" in str(converted)
    kept = portable(KeyError("x"))
    assert type(kept) is KeyError


def test_an_error_carrying_a_sympy_object_reaches_the_caller_without_stopping_the_engine():
    """The app reads data only (engine.wire): a KeyError(x1) would be refused there, and a refused
    message stops the engine. It is sent as a RuntimeError that says it could not be sent instead."""
    import sympy

    from tui_tutor.engine.host import portable
    from tui_tutor.engine.wire import HEADER, dumps, loads

    converted = portable(KeyError(sympy.Symbol("x1")))
    assert type(converted) is RuntimeError and "could not be sent" in str(converted)
    assert type(loads(dumps(("err", 1, converted))[HEADER.size:])[2]) is RuntimeError


# --- the engine's processes live no longer than the app -------------------------------------------


def test_close_stops_every_engine_process():
    engine = EngineWorker()
    engine.start()
    processes = [engine.pid, *children(engine.pid)]
    assert len(processes) == 2  # the host and its spare runner
    engine.close()
    assert engine.pid is None
    assert wait_until(lambda: not any(alive(p) for p in processes), 5)


def test_an_engine_started_from_a_short_lived_thread_outlives_the_thread():
    """Linux's parent-death signal follows the *thread* that started a process; the app starts the
    engine from a background thread that ends at once, and that must not take the engine along."""
    engine = EngineWorker()
    try:
        engine.start_in_background().join(60)
        host = engine.pid
        assert host is not None
        assert engine.call(*LIGHT).correct
        assert engine.pid == host and alive(host)
    finally:
        engine.close()


# The parent: starts the engine, starts an endless computation, reports the engine's pid, waits.
PARENT = textwrap.dedent(
    """
    import sys, threading, time
    from tui_tutor.engine.worker import EngineWorker
    engine = EngineWorker(deathsig={deathsig})
    engine.start()
    threading.Thread(target=lambda: engine.call({call}, bound=120), daemon=True).start()
    print(engine.pid, flush=True)
    time.sleep(600)
    """
)


@pytest.mark.parametrize("deathsig", [True, False], ids=["kernel", "polling"])
def test_killing_the_parent_mid_computation_leaves_no_engine_process(deathsig):
    """kill -9 of the app while the engine computes: the kernel's parent-death signal (Linux), or
    the engine's own check of its parent (the fallback for other systems), ends every process."""
    code = PARENT.format(deathsig=deathsig, call=", ".join(map(repr, ENDLESS)))
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        host = int(parent.stdout.readline())
        assert wait_until(lambda: busy_runner(host) is not None, 30), "the computation did not start"
        processes = engine_processes(parent.pid)
        assert len(processes) == 3  # host, working runner, spare runner
        parent.kill()
        parent.wait(10)
        assert wait_until(lambda: not any(alive(p) for p in processes), 5), [p for p in processes if alive(p)]
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.stdout.close()


# --- the code it runs -----------------------------------------------------------------------------


def test_the_engine_runs_the_installed_code_not_a_tui_tutor_folder_in_the_current_directory(tmp_path, monkeypatch):
    """`python -m` puts the current directory first on sys.path: a learner who starts the tutor in
    a folder holding a `tui_tutor/` (a course pack, a clone, a planted one) would run that code in
    the engine. The engine is started with -P, so it never looks there."""
    marker = tmp_path / "ran"
    planted = tmp_path / "tui_tutor"
    (planted / "engine").mkdir(parents=True)
    trap = f"open({str(marker)!r}, 'w').write('planted code ran')\n"
    (planted / "__init__.py").write_text(trap)
    (planted / "engine" / "__init__.py").write_text(trap)
    (planted / "engine" / "host.py").write_text(trap)
    monkeypatch.chdir(tmp_path)
    engine = EngineWorker(bound=2.0)
    try:
        assert engine.call(*LIGHT).correct
    finally:
        engine.close()
    assert not marker.exists()
