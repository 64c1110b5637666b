"""The real ``tui-tutor`` in a pseudo-terminal, read back through pyte (a terminal emulator).

For what Textual's Pilot cannot see: which file descriptor the app draws on, what reaches the
terminal besides the app, and how the program behaves before Textual starts.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte

REPO = Path(__file__).resolve().parents[1]


def tutor_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env.update(TUI_TUTOR_HOME=str(home), TERM="xterm-256color")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def _controlling_tty() -> None:  # in the child: a session of its own, with the pty as its terminal
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyApp:
    """``python -m tui_tutor ARGS`` with its standard input on a pty of ``size``.

    ``stdout``/``stderr`` default to the pty too; pass an open file to redirect one of them.
    """

    def __init__(self, args: list[str], env: dict[str, str], *, size=(80, 24), stdout=None, stderr=None):
        cols, rows = size
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tui_tutor", *args],
            stdin=slave, stdout=stdout or slave, stderr=stderr or slave,
            env=env, cwd=REPO, preexec_fn=_controlling_tty, close_fds=True,
        )  # fmt: skip
        os.close(slave)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = b""

    def pump(self, seconds: float = 0.1) -> None:
        """Read what the program drew during ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.master], [], [], max(0.0, left))
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:  # the program exited and the pty closed
                    return
                if not data:
                    return
                self.raw += data
                self.stream.feed(data)
            elif left <= 0:
                return

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.1)
            if needle in self.text():
                return True
            if self.proc.poll() is not None:
                self.pump(0.2)
                return needle in self.text()
        return False

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait_exit(self, timeout: float = 15.0) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.1)
            if self.proc.poll() is not None:
                self.pump(0.2)
                return self.proc.returncode
        return None

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)
        os.close(self.master)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
