"""One SSH session channel: the learner's tutor on a fresh pseudo-terminal, or one line saying why not.

The client's window size and resizes are forwarded (clamped, and a storm of them coalesced), TERM
passed through (checked), ``TUI_TUTOR_HOME=DIR/learners/<name>``. A shell request opens the tutor;
an exec request may name a tutor command (``quiz --seed 7``, ``--ascii``; see
:func:`tui_tutor.serve.limits.tutor_args`) and anything else is refused with one line, as are SFTP
and other subsystems. Bytes move between the channel and the pty's server end, with back-pressure
both ways. Who may open a session at all is decided in :mod:`tui_tutor.serve.ssh`.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os

import asyncssh

from tui_tutor.serve.limits import OFFERED, CommandRefused, clamp_size, tutor_args
from tui_tutor.serve.session import ENDED_DISCONNECTED, Hosting, Session
from tui_tutor.serve.spawner import set_terminal_size

log = logging.getLogger(__name__)

RESIZE_SETTLE = 0.05  # seconds: a storm of window changes becomes one resize of the tutor
MAX_PENDING_INPUT = 256 * 1024  # bytes typed but not yet read by the tutor before reading pauses


class TutorSSHSession(Session, asyncssh.SSHServerSession):
    """A session channel: the tutor on a pty, or one line saying why not."""

    transport = "ssh"

    def __init__(self, hosting: Hosting, learner: str, peer: str):
        Session.__init__(self, hosting, learner, peer)
        self.chan: asyncssh.SSHServerChannel | None = None
        self.term: str | None = None
        self.args: list[str] | None = None
        self.refused: str | None = None
        self.master: int | None = None
        self._pending = bytearray()
        self._reading_paused = False
        self._resize_timer: asyncio.TimerHandle | None = None
        self._start_task: asyncio.Task | None = None

    # asyncssh's callbacks
    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size, term_modes) -> bool:
        self.term = term_type
        cols, rows = term_size[0], term_size[1]
        self.size = clamp_size(cols or 80, rows or 24)
        return True

    def shell_requested(self) -> bool:
        self.args = []
        return True

    def exec_requested(self, command: str) -> bool:
        try:
            self.args = tutor_args(command)
        except CommandRefused as err:
            self.refused = f"only the tutor runs here ({err}). Try: {OFFERED}."
            self.hosting.connections.write(
                "refused", transport="ssh", learner=self.learner, peer=self.peer, reason="exec of another command"
            )
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("refused subsystem %r for %s", subsystem[:40], self.learner)
        self.hosting.connections.write(
            "refused", transport="ssh", learner=self.learner, peer=self.peer, reason="subsystem"
        )
        return False

    def session_started(self) -> None:
        assert self.chan is not None
        if self.refused:
            self.close_client(self.refused, 1)
            return
        if self.term is None:
            self.close_client("the tutor needs a terminal: connect with ssh -t (or without a command).", 1)
            return
        refusal = self.hosting.refusal(self.learner)
        if refusal:
            self.hosting.connections.write(
                "refused", transport="ssh", learner=self.learner, peer=self.peer, reason=refusal
            )
            self.close_client(refusal, 1)
            return
        self._start_task = asyncio.ensure_future(self._start_tutor())

    async def _start_tutor(self) -> None:
        assert self.chan is not None
        started = await self.start(
            self.args or [], self.term, dict(self.chan.get_environment()), self.size
        )
        if started is None:
            return
        self.master = started.fds[0]
        os.set_blocking(self.master, False)
        asyncio.get_running_loop().add_reader(self.master, self._tutor_output)

    def data_received(self, data: bytes, datatype) -> None:
        self.input_arrived()
        if self.master is None or self.ended:
            return  # typed before the tutor started: nothing to give it to yet
        self._pending += data
        self._flush_input()

    def eof_received(self) -> bool:
        self.end(ENDED_DISCONNECTED)
        return False

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = clamp_size(width or 80, height or 24)
        if self._resize_timer is None:
            self._resize_timer = asyncio.get_running_loop().call_later(RESIZE_SETTLE, self._apply_size)

    def pause_writing(self) -> None:
        if self.master is not None and not self.ended:
            asyncio.get_running_loop().remove_reader(self.master)

    def resume_writing(self) -> None:
        if self.master is not None and not self.ended:
            asyncio.get_running_loop().add_reader(self.master, self._tutor_output)

    def connection_lost(self, exc: Exception | None) -> None:
        self.end(ENDED_DISCONNECTED)

    # moving bytes
    def _tutor_output(self) -> None:
        assert self.master is not None
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError as err:
            if err.errno != errno.EIO:  # EIO: the tutor closed the terminal (it has exited)
                log.warning("session %s: reading the tutor: %s", self.id, err)
            data = b""
        if not data:
            self._stop_reading()
            return
        if self.chan is not None:
            self.chan.write(data)

    def _flush_input(self) -> None:
        loop = asyncio.get_running_loop()
        assert self.master is not None
        try:
            written = os.write(self.master, self._pending)
        except BlockingIOError:
            written = 0
        except OSError:
            self._pending.clear()
            return
        del self._pending[:written]
        loop.remove_writer(self.master)
        if self._pending:
            loop.add_writer(self.master, self._flush_input)
        # A tutor that does not read its input (busy, or stopped) must not make the server hold
        # an unbounded amount of it: stop reading from the client until it catches up.
        if self.chan is not None:
            if len(self._pending) > MAX_PENDING_INPUT and not self._reading_paused:
                self._reading_paused = True
                self.chan.pause_reading()
            elif not self._pending and self._reading_paused:
                self._reading_paused = False
                self.chan.resume_reading()

    def _apply_size(self) -> None:
        self._resize_timer = None
        if self.master is not None and not self.ended:
            cols, rows = self.size
            try:
                set_terminal_size(self.master, cols, rows)
            except OSError:
                pass

    def _stop_reading(self) -> None:
        if self.master is not None:
            loop = asyncio.get_running_loop()
            loop.remove_reader(self.master)
            loop.remove_writer(self.master)

    def tutor_exited(self, code: int) -> None:
        # Show everything the tutor wrote before it exited (its goodbye restores the terminal).
        if self.master is not None:
            for _ in range(64):
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    break
                if not data:
                    break
                if self.chan is not None:
                    self.chan.write(data)
        super().tutor_exited(code)

    def notice_withdrawn(self) -> None:
        # Have the tutor redraw the bottom line it no longer owns: a resize to the same size
        # sends nothing, so nudge the height and put it back.
        if self.master is not None and not self.ended:
            cols, rows = self.size
            try:
                set_terminal_size(self.master, cols, max(rows - 1, 1))
                set_terminal_size(self.master, cols, rows)
            except OSError:
                pass

    # the Session interface
    def write_client(self, data: bytes) -> None:
        if self.chan is not None:
            self.chan.write(data)

    def close_client(self, line: str | None, status: int) -> None:
        self._stop_reading()
        if self.master is not None:
            try:
                os.close(self.master)
            except OSError:
                pass
            self.master = None
        if self._resize_timer is not None:
            self._resize_timer.cancel()
        chan = self.chan
        if chan is None:
            return
        if line:
            chan.write(f"tui-tutor: {line}\r\n".encode())
        try:
            chan.exit(status if 0 <= status < 256 else 1)
        except OSError:
            chan.close()
