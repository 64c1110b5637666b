"""Run a real program on a pseudo-terminal of a given size, type into it and read what it printed.

For what Textual's pilot cannot see: a real ``tui-tutor`` process (which file descriptor it draws
on, what reaches the terminal besides the app, how it behaves before Textual starts or when it is
killed) or a real ``ssh`` client. The program gets the pty as its controlling terminal, in a
session of its own, so a resize sends it SIGWINCH and :meth:`Terminal.close` can end its group.

What it printed is read in the background and kept whole: :attr:`Terminal.raw` (the bytes),
:meth:`Terminal.text` (escape sequences removed: everything ever printed, in order) and
:meth:`Terminal.screen` (what a terminal shows now, through pyte, a terminal emulator — for
text that Textual redraws or wraps).
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

import pyte

REPO = Path(__file__).resolve().parents[1]

_ESCAPES = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: cursor, colours, modes
    rb"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: title, hyperlinks
    rb"|[()][0-9A-Za-z]"  # character sets
    rb"|[@-Z\\^_78=>c])"  # the other two-byte escapes ('[' and ']' start the longer ones above)
)


def plain_text(data: bytes) -> str:
    """What a program printed, without escape sequences (cursor moves, colours, titles)."""
    return _ESCAPES.sub(b"", data).decode("utf-8", errors="replace")


def tutor_command() -> list[str]:
    """The installed ``tui-tutor`` entry point beside this Python, else ``python -m tui_tutor``."""
    script = Path(sys.executable).with_name("tui-tutor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui_tutor"]


def checkout_env(**extra: str | None) -> dict[str, str]:
    """This environment with this checkout first on the import path, and ``extra`` (None: unset)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def tutor_env(home: Path, **extra: str | None) -> dict[str, str]:
    """The environment of a tutor in ``home`` on an xterm, with no NO_COLOR or size from the
    caller's terminal."""
    defaults = {"NO_COLOR": None, "COLUMNS": None, "LINES": None, "TUI_TUTOR_HOME": str(home), "TERM": "xterm-256color"}
    return checkout_env(**{**defaults, **extra})


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _take_controlling_tty() -> None:  # in the child, after setsid: the pty (its stdin) becomes its terminal
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """``argv`` on a pty of ``size`` (columns, rows), as a person's terminal.

    ``env`` defaults to this environment on an xterm. ``stdout``/``stderr`` default to the pty;
    pass an open file to redirect one of them (standard input is always the pty).
    """

    def __init__(self, argv: list[str], *, env: dict[str, str] | None = None, size: tuple[int, int] = (80, 24),
                 stdout=None, stderr=None) -> None:  # fmt: skip
        self.master, slave = os.openpty()
        self.size = size
        _set_size(slave, *size)
        self._output = bytearray()
        self._lock = threading.Lock()
        self._screen: pyte.Screen | None = None  # made on first use: most tests never look at it
        self._fed = 0
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=stdout or slave, stderr=stderr or slave,
            env=env if env is not None else dict(os.environ, TERM="xterm-256color"), cwd=REPO,
            close_fds=True, start_new_session=True, preexec_fn=_take_controlling_tty,
        )  # fmt: skip
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO once the program and its children have all closed the pty
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def raw(self) -> bytes:
        """Every byte the program wrote to the terminal so far."""
        with self._lock:
            return bytes(self._output)

    def mark(self) -> int:
        """A place in the output, for ``text(since=...)`` and ``wait_for(..., since=...)``."""
        return len(self.raw)

    def text(self, since: int = 0) -> str:
        """Everything printed so far (from byte ``since``), without escape sequences."""
        return plain_text(self.raw[since:])

    def screen(self) -> str:
        """What the terminal shows now, line by line."""
        if self._screen is None:
            self._screen = pyte.Screen(*self.size)
            self._stream = pyte.ByteStream(self._screen)
        raw = self.raw
        self._stream.feed(raw[self._fed:])
        self._fed = len(raw)
        return "\n".join(self._screen.display)

    def wait_for(self, needle: str, timeout: float = 30, since: int = 0, *, on_screen: bool = False) -> bool:
        """Whether ``needle`` was printed (after ``since``), or is on the screen now, within ``timeout`` s."""

        def found() -> bool:
            return needle in (self.screen() if on_screen else self.text(since))

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found():
                return True
            if self.process.poll() is not None and not self._reader.is_alive():
                return found()
            time.sleep(0.05)
        return False

    def send(self, data: str | bytes) -> None:
        """Write ``data`` at once (Textual reads a burst of printable keys as a paste)."""
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def type(self, keys: str | bytes, pause: float = 0.05) -> None:
        """Type ``keys`` one at a time, as a person would."""
        for byte in keys.encode() if isinstance(keys, str) else keys:
            self.send(bytes([byte]))
            time.sleep(pause)

    def resize(self, cols: int, rows: int) -> None:
        if self._screen is not None:
            self.screen()  # what was drawn before the resize is read at the old size
            self._screen.resize(rows, cols)
        self.size = (cols, rows)
        _set_size(self.master, cols, rows)

    def wait_exit(self, timeout: float = 15) -> int | None:
        """The program's exit status once it has exited and all it wrote has been read (None: still running)."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        self._reader.join(5)  # the last bytes may still be in the pty when the program is gone
        return code

    def close(self) -> None:
        """Kill the program's whole process group (whatever of it still runs) and free the pty."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)
        self._reader.join(2)
        fd, self.master = self.master, -1  # a reader still running now stops at -1, not at a reused number
        if fd >= 0:
            os.close(fd)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
