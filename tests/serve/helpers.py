"""Shared by the hosting tests: a class server in a subprocess, real clients on real terminals.

``class_server`` starts ``tui-tutor serve ssh|web`` on a free loopback port and stops it after;
``Terminal`` runs a program (the OpenSSH client) on a pty of a given size and reads what it shows;
``session_processes`` finds every process serving a class folder by its TUI_TUTOR_HOME, so "no
process of the session is left" is checked from the outside, not from the server's bookkeeping.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SSH = "/usr/bin/ssh"
needs_ssh_client = pytest.mark.skipif(not os.path.exists(SSH), reason="the OpenSSH client is not installed")
_ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-_]")


def env_for_children(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    class_dir: Path
    banner: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def class_server(class_dir: Path, *args: str, kind: str = "ssh"):
    """A running ``tui-tutor serve KIND`` on 127.0.0.1 with a free port."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_tutor", "serve", kind, "--class-dir", str(class_dir), "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        env=env_for_children(), cwd=REPO,
    )  # fmt: skip
    ready, _, _ = select.select([process.stdout], [], [], 30)
    first = process.stdout.readline() if ready else ""
    match = re.search(r"listening on [\d.]+:(\d+)", first)
    if not match:
        process.kill()
        raise AssertionError(f"the server did not start: {first!r} {process.stderr.read()!r}")
    lines = [first]
    for _ in range(5):  # the rest of the banner (the web one is shorter: stop at the Ctrl+C line)
        line = process.stdout.readline()
        lines.append(line)
        if "Ctrl+C" in line:
            break
    server = Server(process, int(match.group(1)), class_dir, "".join(lines))
    try:
        yield server
    finally:
        server.stop()


def make_key(folder: Path, name: str) -> Path:
    """A throwaway ed25519 key pair (``folder/name`` and ``.pub``) made by ssh-keygen."""
    path = folder / f"{name}_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)], check=True)
    return path


def authorize(class_dir: Path, learner: str, key: Path) -> None:
    class_dir.mkdir(parents=True, exist_ok=True)
    with open(class_dir / "authorized_keys", "a") as handle:
        handle.write(f"{learner} {key.with_suffix('.pub').read_text().strip()}\n")


def ssh_argv(port: int, user: str, key: Path | None, *command: str, options: tuple[str, ...] = ()) -> list[str]:
    """The OpenSSH client, with no user configuration, agent or known-hosts file involved.

    ``options`` come first: for ssh the first value given for an option is the one that counts.
    """
    argv = [SSH, *options, "-F", "/dev/null", "-p", str(port), "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20",
            "-o", "IdentityAgent=none"]  # fmt: skip
    if key is not None:
        argv += ["-i", str(key), "-o", "IdentitiesOnly=yes", "-o", "PasswordAuthentication=no",
                 "-o", "KbdInteractiveAuthentication=no"]  # fmt: skip
    return argv + ["-l", user, "127.0.0.1", *command]


def run_ssh(port: int, user: str, key: Path | None, *command: str, options: tuple[str, ...] = (),
            timeout: float = 30) -> subprocess.CompletedProcess:  # fmt: skip
    """A non-interactive ssh run (no terminal): its exit status and what it printed."""
    return subprocess.run(
        ssh_argv(port, user, key, *command, options=("-o", "BatchMode=yes", *options)),
        capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Terminal:
    """A program on its own pty (as a person's terminal), its output kept for reading."""

    def __init__(self, argv: list[str], cols: int = 80, rows: int = 24, env: dict[str, str] | None = None):
        self.master, slave = os.openpty()
        set_size(self.master, cols, rows)

        def controlling_terminal() -> None:
            # The pty must be the program's controlling terminal for SIGWINCH on a resize.
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
            preexec_fn=controlling_terminal, env=env or env_for_children(TERM="xterm-256color"),
        )  # fmt: skip
        os.close(slave)
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self._output += data

    @property
    def raw(self) -> bytes:
        with self._lock:
            return bytes(self._output)

    def text(self, since: int = 0) -> str:
        """Everything shown so far (from byte ``since``), without escape sequences."""
        return _ANSI.sub(b"", self.raw[since:]).decode("utf-8", errors="replace")

    def mark(self) -> int:
        return len(self.raw)

    def wait_for(self, needle: str, timeout: float = 30, since: int = 0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text(since):
                return True
            if self.process.poll() is not None and not self._reader.is_alive():
                return needle in self.text(since)
            time.sleep(0.05)
        return False

    def send(self, data: str | bytes) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def resize(self, cols: int, rows: int) -> None:
        set_size(self.master, cols, rows)

    def wait_exit(self, timeout: float = 20) -> int | None:
        """The program's exit status once it has exited and all it wrote has been read."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        self._reader.join(5)  # the last bytes may still be in the pty when the program is gone
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._reader.join(2)
        with contextlib.suppress(OSError):
            os.close(self.master)


def session_processes(class_dir: Path) -> list[tuple[int, str]]:
    """Every live process whose TUI_TUTOR_HOME lies in ``class_dir``: (pid, command line)."""
    from tui_tutor.serve.spawner import process_table

    marker = f"TUI_TUTOR_HOME={class_dir}/".encode()
    found = []
    for pid, info in process_table().items():
        if info.state == "Z":
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as handle:
                environ = handle.read()
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(item.startswith(marker) for item in environ.split(b"\0")):
            found.append((pid, cmdline))
    return found


def wait_no_session_processes(class_dir: Path, timeout: float = 15) -> list[tuple[int, str]]:
    """Poll until no process serves ``class_dir`` (or the time is up); what is left."""
    deadline = time.monotonic() + timeout
    while True:
        left = session_processes(class_dir)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def descendants_of(pid: int) -> list[int]:
    """Every live process below ``pid``."""
    from tui_tutor.serve.spawner import descendants, process_table

    table = process_table()
    return [p for p in descendants(table, pid) if table[p].state != "Z"]
