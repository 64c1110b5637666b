"""The app's side of the engine: calls run in a separate process, bounded, abandoned when superseded.

A thread cannot interrupt sympy (it holds the GIL inside long integer work and has no
cancellation points), so every computation on typed input runs in the engine's own process
(:mod:`tui_tutor.engine.host`), which also keeps sympy out of the app: the interface never stalls
behind a computation and the first screen draws before sympy has loaded.

Each call is bounded by the engine's CPU time and memory (:mod:`tui_tutor.engine.bounds` holds the
table); the clock bound is a last resort. A call may name a *channel* (one per answer box, one for
the scratchpad): a newer call on the same channel abandons the older one at once, whether it is
still waiting for its turn or already running, so a learner who edits past a heavy input does not
wait for it. The engine process dies with the app, however the app dies.

(multiprocessing's spawn start method was tried first; it passes the parent's stderr file
descriptor to a helper process, which fails inside a Textual app whose stderr is redirected, and
it re-imports the parent's main module.)
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import logging
import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
import weakref
from typing import Any, Callable, Iterator

from tui_tutor.engine import limits
from tui_tutor.engine.bounds import DEFAULT, Bound, memory_budget_mb
from tui_tutor.engine.wire import ALLOWED_PREFIX, receive, send

log = logging.getLogger(__name__)

STARTUP_TIMEOUT = 60.0  # seconds to import sympy on a cold, busy machine
CANCEL_GRACE = 2.0  # seconds the engine has to confirm a cancel (it takes milliseconds) before a restart


class EngineTimeout(TimeoutError):
    """A computation used up its bound and was stopped (``busy``: the clock's, not its CPU's)."""

    def __init__(self, seconds: float, busy: bool = False):
        self.seconds, self.busy = seconds, busy
        if busy:
            message = f"no answer within {seconds:g} s: the computer is too busy right now; try again"
        else:
            message = f"this took too long (more than {seconds:g} s of computation) and was stopped; try a simpler input"
        super().__init__(message)

    def __reduce__(self):
        return (type(self), (self.seconds, self.busy))


class EngineOutOfMemory(MemoryError):
    """A computation needed more memory than its budget and was stopped."""

    def __init__(self, megabytes: int):
        self.megabytes = megabytes
        super().__init__(f"this needed more than {megabytes} MB of memory and was stopped; try a simpler input")

    def __reduce__(self):
        return (type(self), (self.megabytes,))


class EngineCrashed(RuntimeError):
    """The engine's process for one computation ended without an answer; the next call works."""


class EngineSuperseded(Exception):
    """A newer call on the same channel (or the caller) abandoned this one; its answer is not wanted."""

    def __init__(self) -> None:
        super().__init__("abandoned for a newer request")


class EngineUnavailable(RuntimeError):
    """The engine's process could not be started or stopped answering."""


class Ticket:
    """One call's place in line; cancelling it abandons the call, queued or running."""

    def __init__(self, channel: str | None):
        self.channel = channel
        self.cancelled = False


class EngineWorker:
    """The engine's process, started on first use (or by :meth:`start`), restarted if it dies.

    Thread-safe: calls take turns in the order they came, so screens can call from Textual
    thread workers.
    """

    def __init__(
        self,
        bound: Bound | float | None = None,
        *,
        memory_mb: int | None = None,
        deathsig: bool = True,
        warm: bool = False,
    ):
        self.bound = Bound.of(bound, DEFAULT)
        self.warm = warm  # run typical calls once at start, so no computation pays first-use costs
        self.memory_mb = memory_mb if memory_mb is not None else memory_budget_mb()
        self.deathsig = deathsig  # False only in tests of the fallback for systems without it
        self.details: dict[str, Any] = {}
        self._process: subprocess.Popen | None = None
        self._ids = itertools.count(1)
        self._turns = threading.Condition()
        self._running: Ticket | None = None
        self._waiting: collections.deque[Ticket] = collections.deque()
        self._latest: dict[str, Ticket] = {}
        self._wake_r, self._wake_w = os.pipe()  # rouses a running call when its ticket is cancelled
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        weakref.finalize(self, _close_all, self._wake_r, self._wake_w)

    # --- tickets: who may run, and who is no longer wanted ---------------------------------------

    def ticket(self, channel: str | None = None) -> Ticket:
        """A place in line; on a channel, it abandons the channel's older call at once."""
        ticket = Ticket(channel)
        with self._turns:
            if channel is not None:
                older = self._latest.get(channel)
                if older is not None:
                    self._cancel(older)
                self._latest[channel] = ticket
        return ticket

    def cancel(self, ticket: Ticket) -> None:
        """Abandon a call: dropped if still waiting, stopped if running (it raises EngineSuperseded)."""
        with self._turns:
            self._cancel(ticket)

    def _cancel(self, ticket: Ticket) -> None:
        ticket.cancelled = True
        self._turns.notify_all()
        if self._running is ticket:
            try:
                os.write(self._wake_w, b"!")
            except BlockingIOError:
                pass  # already roused

    @contextlib.contextmanager
    def _turn(self, ticket: Ticket | None = None) -> Iterator[None]:
        """Hold the engine: wait for it first come first served (EngineSuperseded if abandoned)."""
        ticket = ticket if ticket is not None else Ticket(None)
        self._take_turn(ticket)
        try:
            yield
        finally:
            self._end_turn(ticket)

    def _take_turn(self, ticket: Ticket) -> None:
        with self._turns:
            self._waiting.append(ticket)
            try:
                while not ticket.cancelled and (self._running is not None or self._waiting[0] is not ticket):
                    self._turns.wait()
            finally:
                self._waiting.remove(ticket)
                self._turns.notify_all()  # whoever is next in line now
            if ticket.cancelled:
                self._forget(ticket)
                raise EngineSuperseded()
            self._running = ticket

    def _end_turn(self, ticket: Ticket) -> None:
        with self._turns:
            self._running = None
            self._forget(ticket)
            self._turns.notify_all()

    def _forget(self, ticket: Ticket) -> None:
        if ticket.channel is not None and self._latest.get(ticket.channel) is ticket:
            del self._latest[ticket.channel]

    # --- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the engine's process and wait until it has imported the engine."""
        with self._turn():
            self._ensure_started()

    def start_in_background(self) -> threading.Thread:
        """Start the engine without blocking (the app does this while drawing its first screen)."""
        thread = threading.Thread(target=self._start_quietly, name="engine-start", daemon=True)
        thread.start()
        return thread

    def _start_quietly(self) -> None:
        try:
            self.start()
        except EngineUnavailable as err:
            log.warning("the maths engine did not start: %s", err)

    @property
    def pid(self) -> int | None:
        """The engine process's id while it runs (its computations run in its children)."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def close(self) -> None:
        """Stop the engine's process (after the running call, if any)."""
        with self._turn():
            self._stop()

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._stop()
        argv = [sys.executable, "-P", "-m", "tui_tutor.engine.host", "--parent", str(os.getpid()),
                "--memory-mb", str(self.memory_mb)]  # fmt: skip
        argv += ([] if self.deathsig else ["--no-deathsig"]) + (["--warm"] if self.warm else [])
        try:
            process = _spawner.popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # never let the engine write on the learner's screen
                bufsize=0,  # unbuffered: select() on the pipe must see every byte that arrived
                close_fds=True,
                start_new_session=True,  # Ctrl+C in the terminal goes to the app, not the engine
                env={**os.environ, **limits.SINGLE_THREADED},
            )
        except OSError as err:
            raise EngineUnavailable(f"the maths engine could not start: {err}") from None
        self._process = process
        ready, _, _ = select.select([process.stdout], [], [], STARTUP_TIMEOUT)
        try:
            if not ready:
                raise EngineUnavailable("the maths engine did not start in time")
            message = receive(process.stdout)
            if not (isinstance(message, tuple) and message[0] == "ready"):
                raise EngineUnavailable("the maths engine sent an unexpected greeting")
        except (EOFError, OSError, pickle.UnpicklingError) as err:
            self._stop()
            raise EngineUnavailable(f"the maths engine failed to start: {err}") from None
        except EngineUnavailable:
            self._stop()
            raise
        self.details = dict(message[2])

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            process.stdin.close()  # the engine's signal to stop its computations and exit
        except OSError:
            pass
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            process.kill()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignorable
                log.warning("the engine's process %s did not exit", process.pid)
        try:
            process.stdout.close()
        except OSError:
            pass

    # --- calls -----------------------------------------------------------------------------------

    def call(
        self,
        func: Callable | str,
        *args: Any,
        bound: Bound | float | None = None,
        channel: str | None = None,
        ticket: Ticket | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run ``func(*args, **kwargs)`` in the engine's process; its exceptions are re-raised here.

        ``func`` is an engine function, or its name relative to ``tui_tutor.engine`` (such as
        ``"service.solve"``) so that a caller without sympy never imports the module. ``bound`` is
        a row of :mod:`~tui_tutor.engine.bounds` (or CPU seconds); default: this worker's bound.
        A newer call on the same ``channel``, or cancelling ``ticket``, abandons this one.

        Raises EngineTimeout, EngineOutOfMemory or EngineCrashed when the computation was stopped,
        EngineSuperseded when it was abandoned, EngineUnavailable when the engine cannot run.
        """
        limit = Bound.of(bound, self.bound)
        if isinstance(func, str):
            module, _, name = func.rpartition(".")
            module = ALLOWED_PREFIX + module
        else:
            module, name = func.__module__, func.__name__
        ticket = ticket if ticket is not None else self.ticket(channel)
        with self._turn(ticket):
            started = time.perf_counter()
            reply, gave_up = self._exchange(ticket, limit, module, name, args, kwargs)
            log.debug("engine call %s took %.1f ms", name, (time.perf_counter() - started) * 1e3)
        return self._outcome(reply, gave_up, limit, f"{module}.{name}")

    def _exchange(self, ticket: Ticket, limit: Bound, module: str, name: str, args, kwargs) -> tuple[tuple, str | None]:
        """Send one call and wait for its answer, cancelling it when abandoned or out of time."""
        self._ensure_started()
        process = self._process
        assert process is not None
        self._drain_wake()
        call_id = next(self._ids)
        self._send(("call", call_id, module, name, args, kwargs, limit.cpu))
        deadline = time.monotonic() + limit.wall
        gave_up: str | None = None  # "superseded" or "clock" once a cancel has been sent
        while True:
            now = time.monotonic()
            if gave_up is None and (ticket.cancelled or now >= deadline):
                gave_up = "superseded" if ticket.cancelled else "clock"
                self._send(("cancel", call_id))
                deadline = now + CANCEL_GRACE
            elif gave_up is not None and now >= deadline:
                # Not even a cancel was answered: the process is stuck (or stopped); start afresh.
                log.info("the engine did not answer a cancel; restarting it")
                self._stop()
                return ("stopped", call_id, "cancelled", ""), gave_up
            ready, _, _ = select.select([process.stdout, self._wake_r], [], [], max(0.0, deadline - time.monotonic()))
            if self._wake_r in ready:
                self._drain_wake()
            if process.stdout in ready:
                try:
                    reply = receive(process.stdout)
                except (EOFError, OSError, pickle.UnpicklingError) as err:
                    self._stop()
                    raise EngineUnavailable(f"the maths engine stopped: {err}") from None
                if isinstance(reply, tuple) and len(reply) >= 2 and reply[1] == call_id:
                    return reply, gave_up
                # else: a late answer to a call abandoned earlier

    def _send(self, message: tuple) -> None:
        try:
            send(self._process.stdin, message)
        except (OSError, ValueError, AttributeError) as err:
            self._stop()
            raise EngineUnavailable(f"the maths engine stopped: {err}") from None

    def _drain_wake(self) -> None:
        try:
            while os.read(self._wake_r, 64):
                pass
        except BlockingIOError:
            pass

    def _outcome(self, reply: tuple, gave_up: str | None, limit: Bound, what: str) -> Any:
        kind = reply[0]
        if kind == "ok":
            return reply[2]  # even if abandoned meanwhile: the answer is here, and harmless
        if kind == "err":
            raise reply[2]
        if kind == "memory":
            log.info("engine call %s stopped: over %d MB", what, self.memory_mb)
            raise EngineOutOfMemory(self.memory_mb)
        reason, detail = reply[2], reply[3]
        if reason == "cpu":
            log.info("engine call %s stopped after %g s of CPU time", what, limit.cpu)
            raise EngineTimeout(limit.cpu)
        if reason == "cancelled":
            if gave_up == "clock":
                log.info("engine call %s given up after %g s on the clock", what, limit.wall)
                raise EngineTimeout(limit.wall, busy=True)
            raise EngineSuperseded()
        log.info("engine call %s crashed: %s", what, detail)
        raise EngineCrashed(f"the maths engine failed on this input ({detail}); try a simpler input")


def _close_all(*fds: int) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


class _Spawner:
    """Starts the engine's process from one thread that lives as long as the app.

    Linux sends PR_SET_PDEATHSIG when the *thread* that started a process ends, not the process;
    the engine is often started from a short-lived thread (the app's background start, a Textual
    thread worker), which would take the engine with it the moment that thread finished.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def popen(self, argv: list[str], **kwargs: Any) -> subprocess.Popen:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="engine-spawner", daemon=True)
                self._thread.start()
        answer: queue.SimpleQueue = queue.SimpleQueue()
        self._requests.put((argv, kwargs, answer))
        result = answer.get()
        if isinstance(result, BaseException):
            raise result
        return result

    def _serve(self) -> None:
        while True:
            argv, kwargs, answer = self._requests.get()
            try:
                answer.put(subprocess.Popen(argv, **kwargs))
            except BaseException as err:  # noqa: BLE001 - handed back to the caller's thread
                answer.put(err)


_spawner = _Spawner()
_shared: EngineWorker | None = None
_shared_lock = threading.Lock()


def shared_worker(*, warm: bool = False) -> EngineWorker:
    """The process-wide engine the app and the CLI use (``warm``: the app, which makes many calls)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = EngineWorker()
        _shared.warm = _shared.warm or warm
        return _shared
