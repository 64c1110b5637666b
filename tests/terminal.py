"""Run a real program on a pseudo-terminal of a given size, type into it and read what it printed.

For tests that need the real thing (a `tui-tutor` process, or an `ssh` client) rather than
Textual's pilot: the program gets a terminal as its controlling tty, in a session of its own.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

_ESCAPES = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEHMc])")


def tutor_command() -> list[str]:
    """The installed ``tui-tutor`` entry point beside this Python, else ``python -m tui_tutor``."""
    script = Path(sys.executable).with_name("tui-tutor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui_tutor"]


class Terminal:
    """A program on a pty; everything it writes is kept (escape sequences removed by :meth:`text`)."""

    def __init__(self, argv: list[str], *, env: dict[str, str] | None = None, size: tuple[int, int] = (80, 24)):
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.master = master
        self._output = bytearray()
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
            start_new_session=True, preexec_fn=_take_controlling_tty,
        )  # fmt: skip
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO once the program and its children have closed the pty
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    @property
    def pid(self) -> int:
        return self.process.pid

    def text(self) -> str:
        """Everything printed so far, without escape sequences."""
        with self._lock:
            raw = bytes(self._output)
        return _ESCAPES.sub(b"", raw).decode("utf-8", errors="replace")

    def wait_for(self, words: str, seconds: float = 60) -> bool:
        """Whether ``words`` appeared in the output within ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if words in self.text():
                return True
            if self.process.poll() is not None:
                return words in self.text()
            time.sleep(0.05)
        return False

    def type(self, keys: str | bytes, pause: float = 0.05) -> None:
        """Type ``keys`` one at a time, as a person would (Textual reads bursts as pastes)."""
        data = keys.encode() if isinstance(keys, str) else keys
        for byte in data:
            os.write(self.master, bytes([byte]))
            time.sleep(pause)

    def close(self) -> None:
        """Stop the program (its whole session) if it still runs, and free the pty."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(10)
        try:
            os.close(self.master)
        except OSError:
            pass


def _take_controlling_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
