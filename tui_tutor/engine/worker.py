"""A hard time bound on sympy: engine calls run in a worker process that is killed when late.

A thread cannot interrupt sympy (it holds the GIL inside long integer work and has no
cancellation points), so every computation on typed input runs in a separate process. When a call
overruns its bound the process is killed and the caller gets :class:`EngineTimeout`; the next call
starts a fresh worker. The worker also keeps sympy out of the app's own process, so the interface
never stalls behind a computation and the first screen draws before sympy has loaded.

The worker is a plain ``python -m tui_tutor.engine.worker`` subprocess speaking length-prefixed
pickles over its stdin and stdout. (multiprocessing's spawn start method was tried first; it
passes the parent's stderr file descriptor to a helper process, which fails inside a Textual app
whose stderr is redirected, and it re-imports the parent's main module.) Only functions from
``tui_tutor.engine`` modules can be called, by name; results and exceptions come back pickled —
the worker is our own code, so unpickling its replies is safe.
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from typing import Any, BinaryIO, Callable

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 2.0  # seconds a single computation on typed input may take
STARTUP_TIMEOUT = 60.0  # importing sympy on a cold, busy machine
MAX_MESSAGE = 64 * 1024 * 1024
_ALLOWED_PREFIX = "tui_tutor.engine."
_HEADER = struct.Struct("!I")


class EngineTimeout(TimeoutError):
    """A computation took longer than its bound and was stopped."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"this took too long (over {seconds:g} s) and was stopped; try a simpler input")

    def __reduce__(self):
        return (type(self), (self.seconds,))


class EngineUnavailable(RuntimeError):
    """The worker process could not be started or died unexpectedly."""


# --- the wire -------------------------------------------------------------------------------------


def _send(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:  # an unbuffered pipe may take only part of a large message per write
        written = stream.write(view)
        view = view[written if written is not None else len(view):]
    stream.flush()


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError("the engine closed its pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _receive(stream: BinaryIO) -> Any:
    (size,) = _HEADER.unpack(_read_exact(stream, _HEADER.size))
    if size > MAX_MESSAGE:
        raise EOFError("the engine sent an oversized message")
    return pickle.loads(_read_exact(stream, size))


# --- the worker side ------------------------------------------------------------------------------


def serve() -> None:
    """The worker's loop: import the engine once, then answer calls until stdin closes."""
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb")
    # Nothing else may write to the reply pipe: route stray prints to stderr.
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    importlib.import_module("tui_tutor.engine.service")  # warm up: the first call pays no imports
    _send(replies, ("ready", os.getpid()))
    while True:
        try:
            module_name, func_name, args, kwargs = _receive(requests)
        except EOFError:
            return
        try:
            if not module_name.startswith(_ALLOWED_PREFIX):
                raise PermissionError(f"{module_name} is not an engine module")
            func = getattr(importlib.import_module(module_name), func_name)
            reply = ("ok", func(*args, **kwargs))
        except Exception as err:  # noqa: BLE001 - every failure goes back to the caller
            reply = ("err", _portable(err))
        try:
            _send(replies, reply)
        except Exception as err:  # noqa: BLE001 - an unpicklable result or exception
            _send(replies, ("err", RuntimeError(f"the engine's answer could not be sent: {err}")))


_PORTABLE_MODULES = ("builtins", "tui_tutor.engine.errors", __name__)


def _portable(err: Exception) -> Exception:
    """An exception the caller can unpickle without importing sympy.

    Unpickling imports the module that defines the exception's class; a sympy exception would
    load sympy into the app, which the worker exists to avoid. Those become a ValueError with the
    same message (callers already treat ValueError as "this input could not be worked").
    """
    if type(err).__module__ in _PORTABLE_MODULES:
        return err
    return ValueError(f"{type(err).__name__}: {err}")


# --- the caller side ------------------------------------------------------------------------------


class EngineWorker:
    """One worker process, started on first use (or by :meth:`start`), restarted after a kill.

    Thread-safe: calls are serialised, so screens can call from Textual thread workers.
    """

    def __init__(self, timeout: float = DEFAULT_TIMEOUT):
        self.timeout = timeout
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
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
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "tui_tutor.engine.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # never let the worker write on the learner's screen
                bufsize=0,  # unbuffered: select() on the pipe must see every byte that arrived
                close_fds=True,
                start_new_session=True,  # Ctrl+C in the terminal goes to the app, not the worker
            )
        except OSError as err:
            raise EngineUnavailable(f"the maths engine could not start: {err}") from None
        self._process = process
        if not self._wait_readable(STARTUP_TIMEOUT):
            self._kill()
            raise EngineUnavailable("the maths engine did not start in time")
        try:
            message = _receive(process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError) as err:
            self._kill()
            raise EngineUnavailable(f"the maths engine failed to start: {err}") from None
        if not (isinstance(message, tuple) and message[0] == "ready"):
            self._kill()
            raise EngineUnavailable("the maths engine sent an unexpected greeting")

    def _wait_readable(self, seconds: float) -> bool:
        assert self._process is not None and self._process.stdout is not None
        ready, _, _ = select.select([self._process.stdout], [], [], seconds)
        return bool(ready)

    def close(self) -> None:
        with self._lock:
            self._kill()

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignorable
            log.warning("engine worker %s did not exit", process.pid)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

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
            process = self._process
            assert process is not None
            started = time.perf_counter()
            try:
                _send(process.stdin, request)
                ready = self._wait_readable(limit)
            except (OSError, ValueError) as err:
                self._kill()
                raise EngineUnavailable(f"the maths engine stopped: {err}") from None
            if not ready:
                log.info("engine call %s.%s killed after %.2fs", request[0], request[1], limit)
                self._kill()
                self.restarts += 1
                raise EngineTimeout(limit)
            try:
                status, payload = _receive(process.stdout)
            except (EOFError, OSError, pickle.UnpicklingError) as err:
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


if __name__ == "__main__":
    serve()
