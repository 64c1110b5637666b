"""A hard time bound on sympy: engine calls run in a worker process that is killed when late.

A thread cannot interrupt sympy (it holds the GIL inside long C-level integer work and has no
cancellation points), so every computation on typed input runs in a separate process. When a call
overruns its bound the process is killed and the caller gets :class:`EngineTimeout`; the next call
starts a fresh worker. The worker also keeps sympy out of the app's own process, so the interface
never stalls behind a computation and the first screen draws before sympy has loaded.

Only functions from ``tui_tutor.engine`` modules can be called, by name; results and exceptions
come back pickled (the worker is our own code, so unpickling its replies is safe).
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import threading
import time
from multiprocessing.connection import Connection
from typing import Any, Callable

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 2.0  # seconds a single computation on typed input may take
STARTUP_TIMEOUT = 60.0  # importing sympy on a cold, busy machine
_ALLOWED_PREFIX = "tui_tutor.engine."


class EngineTimeout(TimeoutError):
    """A computation took longer than its bound and was stopped."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"this took too long (over {seconds:g} s) and was stopped; try a simpler input")

    def __reduce__(self):
        return (type(self), (self.seconds,))


class EngineUnavailable(RuntimeError):
    """The worker process could not be started or died unexpectedly."""


def _serve(conn: Connection) -> None:
    """The worker's loop: import the engine once, then answer calls until the pipe closes."""
    # Warm up: the first call should not pay for imports.
    importlib.import_module("tui_tutor.engine.service")
    conn.send(("ready", os.getpid()))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        module_name, func_name, args, kwargs = request
        try:
            if not module_name.startswith(_ALLOWED_PREFIX):
                raise PermissionError(f"{module_name} is not an engine module")
            func = getattr(importlib.import_module(module_name), func_name)
            reply = ("ok", func(*args, **kwargs))
        except Exception as err:  # noqa: BLE001 - every failure goes back to the caller
            reply = ("err", err)
        try:
            conn.send(reply)
        except Exception as err:  # noqa: BLE001 - an unpicklable result
            conn.send(("err", RuntimeError(f"engine result could not be sent: {err}")))


class EngineWorker:
    """One worker process, started on first use (or by :meth:`start`), restarted after a kill.

    Thread-safe: calls are serialised, so screens can call from Textual thread workers.
    """

    def __init__(self, timeout: float = DEFAULT_TIMEOUT):
        self.timeout = timeout
        self._lock = threading.Lock()
        self._process: multiprocessing.Process | None = None
        self._conn: Connection | None = None
        self.restarts = 0

    # lifecycle
    def start(self) -> None:
        """Start the worker and wait until it has imported the engine."""
        with self._lock:
            self._ensure_started()

    def start_in_background(self) -> threading.Thread:
        """Start the worker without blocking (the app does this while drawing its first screen)."""
        thread = threading.Thread(target=self._start_quietly, name="engine-start", daemon=True)
        thread.start()
        return thread

    def _start_quietly(self) -> None:
        try:
            self.start()
        except EngineUnavailable as err:
            log.warning("engine worker did not start: %s", err)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        context = multiprocessing.get_context("spawn")  # fork is unsafe in a threaded app
        parent, child = context.Pipe(duplex=True)
        process = context.Process(target=_serve, args=(child,), name="tui-tutor-engine", daemon=True)
        process.start()
        child.close()
        if not parent.poll(STARTUP_TIMEOUT):
            process.kill()
            raise EngineUnavailable("the maths engine did not start in time")
        try:
            message = parent.recv()
        except (EOFError, OSError) as err:
            raise EngineUnavailable(f"the maths engine failed to start: {err}") from None
        if message[0] != "ready":
            raise EngineUnavailable("the maths engine sent an unexpected greeting")
        self._process, self._conn = process, parent

    def close(self) -> None:
        with self._lock:
            self._kill()

    def _kill(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn = None, None

    # calls
    def call(self, func: Callable | str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        """Run ``func(*args, **kwargs)`` in the worker; its exceptions are re-raised here.

        ``func`` is an engine function, or its name relative to ``tui_tutor.engine`` (such as
        ``"service.solve"``) so that a caller without sympy never imports the module.
        Raises EngineTimeout when it runs longer than ``timeout`` (default: this worker's bound).
        """
        limit = self.timeout if timeout is None else timeout
        if isinstance(func, str):
            module, _, name = func.rpartition(".")
            request = (_ALLOWED_PREFIX + module, name, args, kwargs)
        else:
            request = (func.__module__, func.__name__, args, kwargs)
        with self._lock:
            self._ensure_started()
            assert self._conn is not None
            started = time.perf_counter()
            try:
                self._conn.send(request)
                ready = self._conn.poll(limit)
            except (OSError, EOFError) as err:
                self._kill()
                raise EngineUnavailable(f"the maths engine stopped: {err}") from None
            if not ready:
                log.info("engine call %s.%s killed after %.2fs", request[0], request[1], limit)
                self._kill()
                self.restarts += 1
                raise EngineTimeout(limit)
            try:
                status, payload = self._conn.recv()
            except (OSError, EOFError) as err:
                self._kill()
                raise EngineUnavailable(f"the maths engine stopped: {err}") from None
            log.debug("engine call %s took %.1f ms", request[1], (time.perf_counter() - started) * 1e3)
        if status == "err":
            raise payload
        return payload


_shared: EngineWorker | None = None
_shared_lock = threading.Lock()


def shared_worker() -> EngineWorker:
    """The process-wide worker the app and the CLI use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = EngineWorker()
        return _shared
