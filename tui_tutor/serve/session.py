"""One learner's session, whatever carries it (SSH or a browser tab), and what all sessions share.

A session starts one tutor through the spawner, watches it (idle time, memory, CPU share), shows a
notice on the bottom line of the learner's screen before it closes an idle session, and always
ends the tutor's whole process tree when it ends, for whatever reason. The transport supplies two
callables: how to write bytes to the learner's screen, and how to close the connection with one
last line.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from tui_tutor.serve.classdir import ClassDir
from tui_tutor.serve.limits import Limits, tutor_argv, tutor_environment
from tui_tutor.serve.spawner import Spawner, Started

log = logging.getLogger(__name__)

# What a learner's terminal is put back to when the server ends a tutor that could not restore it
# itself: attributes, mouse and focus reporting, bracketed paste, the kitty keyboard protocol,
# the cursor, and the normal screen.
TERMINAL_RESET = (
    b"\x1b[0m\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1004l\x1b[?2004l"
    b"\x1b[<u\x1b[?25h\x1b[?1049l\r\n"
)

# Why a session ended, as logged (and, for the ones a learner did not choose, as told).
ENDED_BY_LEARNER = "the learner quit"
ENDED_DISCONNECTED = "connection closed"
ENDED_IDLE = "idle"
ENDED_MEMORY = "memory limit"
ENDED_CPU = "CPU limit"
ENDED_SERVER = "server stopping"
ENDED_FAILED = "tutor failed to start"


def notice_bytes(text: str, cols: int, rows: int) -> bytes:
    """``text`` drawn in reverse video over the bottom line, the cursor left where it was."""
    line = text[:cols].ljust(cols)
    return f"\x1b7\x1b[{rows};1H\x1b[0;7m{line}\x1b[0m\x1b8".encode()


class ConnectionLog:
    """``DIR/connections.log``: one JSON object a line — who, when, how long, why it ended.

    Never what a learner typed, never a passphrase or a key; a rejected user name is logged only
    by its length (see :func:`tui_tutor.serve.names.loggable`).
    """

    def __init__(self, path: Path):
        self.path = path

    def write(self, event: str, **fields: object) -> None:
        record = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "event": event}
        record.update({k: v for k, v in fields.items() if v is not None})
        try:
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, ensure_ascii=True) + "\n")
        except OSError:
            log.exception("cannot write the connection log %s", self.path)


@dataclass
class Hosting:
    """What every session of one server shares."""

    class_dir: ClassDir
    limits: Limits
    spawner: Spawner
    connections: ConnectionLog
    content: Path | None = None
    sessions: set["Session"] = field(default_factory=set)
    closing: bool = False

    def refusal(self, learner: str) -> str | None:
        """Why a new session for ``learner`` cannot start now (one line), or None."""
        if self.closing:
            return "the class server is shutting down."
        if len(self.sessions) >= self.limits.max_sessions:
            return f"the class is full (at most {self.limits.max_sessions} sessions at once); try again in a few minutes."
        mine = sum(1 for s in self.sessions if s.learner == learner)
        if mine >= self.limits.max_per_learner:
            return (
                f"{learner} already has {mine} open (at most {self.limits.max_per_learner} at once); "
                "close one first."
            )
        return None


_ids = itertools.count(1)


class Session:
    """One tutor for one learner. Subclasses (the transports) write to the learner's screen."""

    transport = "?"

    def __init__(self, hosting: Hosting, learner: str, peer: str):
        self.hosting = hosting
        self.learner = learner
        self.peer = peer
        self.id = f"{self.transport}-{next(_ids)}"
        self.started_at = time.monotonic()
        self.last_input = self.started_at
        self.tutor: Started | None = None
        self.ended: str | None = None
        self.size = (80, 24)
        self._cpu_samples: deque[tuple[float, float]] = deque()
        self._idle_timer: asyncio.TimerHandle | None = None
        self._noticed = False

    # -- for the transports ---------------------------------------------------------------------

    def write_client(self, data: bytes) -> None:  # pragma: no cover - every transport overrides
        raise NotImplementedError

    def close_client(self, line: str | None, status: int) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    async def start(self, args: list[str], term: str | None, client_env: dict[str, str],
                    size: tuple[int, int] | None, extra_env: dict[str, str] | None = None) -> Started | None:  # fmt: skip
        """Start the tutor (``size`` for a pty, None for pipes); None when it could not start."""
        hosting = self.hosting
        home = hosting.class_dir.learner_home(self.learner)
        env = tutor_environment(home, term, client_env, extra_env)
        limits = {"address_space": hosting.limits.address_space, "nice": 10}
        hosting.sessions.add(self)
        if size:
            self.size = size
        try:
            self.tutor = await hosting.spawner.spawn(
                tutor_argv(args, hosting.content), env, str(home), size, limits
            )
        except OSError as err:
            log.error("session %s: %s", self.id, err)
            hosting.connections.write(
                "failed", session=self.id, transport=self.transport, learner=self.learner, peer=self.peer
            )
            self.end(ENDED_FAILED, "the tutor could not start; tell your teacher.", status=1)
            return None
        if self.ended:  # the connection closed while the tutor was starting
            hosting.spawner.end(self.tutor.pid, grace=0)
            return None
        hosting.spawner.exit_handlers[self.tutor.pid] = self.tutor_exited
        hosting.spawner.usage_handlers[self.tutor.pid] = self._usage
        hosting.connections.write(
            "start", session=self.id, transport=self.transport, learner=self.learner, peer=self.peer,
            args=" ".join(args) or None,
        )  # fmt: skip
        self._arm_idle_timer()
        return self.tutor

    def input_arrived(self) -> None:
        """The learner typed something (or moved the mouse): not idle."""
        self.last_input = time.monotonic()
        if self._noticed:
            self._noticed = False
            self.notice_withdrawn()

    def notice(self, text: str) -> None:
        """Show one line to the learner over the bottom of the tutor's screen."""
        cols, rows = self.size
        self.write_client(notice_bytes(text, cols, rows))

    def notice_withdrawn(self) -> None:
        """The notice no longer applies: have the tutor redraw (transports override)."""

    def tutor_exited(self, code: int) -> None:
        """The tutor exited by itself (the learner quit, or it failed)."""
        if code == 0:
            self.end(ENDED_BY_LEARNER)
            return
        # Killed or crashed: it could not give the terminal back (mouse reporting, the other
        # screen), so the server does, and says what happened.
        self.end(f"tutor exited with status {code}", "the tutor stopped unexpectedly; your progress is saved. "
                 "Connect again to go on.", status=1, reset=True)  # fmt: skip

    def end(self, reason: str, line: str | None = None, status: int = 0, reset: bool = False) -> None:
        """End the session: the tutor's process tree, the connection, the log line. Idempotent."""
        if self.ended:
            return
        self.ended = reason
        hosting = self.hosting
        hosting.sessions.discard(self)
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        if self.tutor is not None:
            hosting.spawner.exit_handlers.pop(self.tutor.pid, None)
            hosting.spawner.usage_handlers.pop(self.tutor.pid, None)
            hosting.spawner.end(self.tutor.pid)
            hosting.connections.write(
                "end", session=self.id, transport=self.transport, learner=self.learner, peer=self.peer,
                seconds=round(time.monotonic() - self.started_at, 1), reason=reason,
            )  # fmt: skip
        try:
            if reset:
                self.write_client(TERMINAL_RESET)
            self.close_client(line, status)
        except Exception:  # noqa: BLE001 - the connection may already be gone
            log.debug("closing session %s", self.id, exc_info=True)

    # -- watching -------------------------------------------------------------------------------

    def _arm_idle_timer(self) -> None:
        limits = self.hosting.limits
        idle = time.monotonic() - self.last_input
        loop = asyncio.get_running_loop()
        if idle >= limits.idle_seconds:
            minutes = f"{limits.idle_minutes:g}"
            self.end(ENDED_IDLE, f"closed after {minutes} minutes without a key; your progress is saved.",
                     reset=True)  # fmt: skip
            return
        warn_at = limits.idle_seconds - limits.idle_notice
        if idle >= warn_at and not self._noticed:
            self._noticed = True
            left = round(limits.idle_seconds - idle)
            self.notice(f" No key for a while: this session closes in {left} s unless you press a key. ")
        wake = warn_at - idle if idle < warn_at else limits.idle_seconds - idle
        self._idle_timer = loop.call_later(max(wake, 0.05), self._arm_idle_timer)

    def _usage(self, rss: int, cpu: float, count: int) -> None:
        limits = self.hosting.limits
        if rss > limits.memory_mb * 1024 * 1024:
            log.info("session %s over memory: %d MB", self.id, rss // 2**20)
            self.end(ENDED_MEMORY, f"this session used more than {limits.memory_mb} MB of memory and was "
                                   "ended; your progress is saved.", status=1, reset=True)  # fmt: skip
            return
        now = time.monotonic()
        samples = self._cpu_samples
        samples.append((now, cpu))
        while len(samples) > 1 and now - samples[1][0] >= limits.cpu_window:
            samples.popleft()
        first_time, first_cpu = samples[0]
        span = now - first_time
        if span >= limits.cpu_window * 0.95 and (cpu - first_cpu) / span * 100 > limits.cpu_percent:
            log.info("session %s over CPU: %.0f%%", self.id, (cpu - first_cpu) / span * 100)
            self.end(ENDED_CPU, f"this session kept more than {limits.cpu_percent:g}% of a CPU core busy "
                                "for a minute and was ended; your progress is saved.", status=1,
                     reset=True)  # fmt: skip


async def open_hosting(
    class_dir: ClassDir, limits: Limits, content: Path | None, stop: asyncio.Event | None = None
) -> Hosting:
    """Start the spawner and the shared state of a class server.

    ``stop`` is set if the spawner stops: with it gone no tutor can start, so the server stops too.
    """
    spawner = Spawner()
    await spawner.start()
    if stop is not None:
        spawner.on_lost = lambda: (log.error("the spawner stopped; shutting down"), stop.set())
    return Hosting(class_dir, limits, spawner, ConnectionLog(class_dir.connection_log), content)


async def close_hosting(hosting: Hosting) -> None:
    """End every session (each learner sees why) and stop the spawner, which ends every process."""
    hosting.closing = True
    for session in list(hosting.sessions):
        session.end(ENDED_SERVER, "the class server is stopping; your progress is saved.", reset=True)
    await asyncio.sleep(0.1)  # let the last lines reach the learners
    await hosting.spawner.close()
