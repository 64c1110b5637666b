"""Shared by the hosting tests: a class server in a subprocess, real clients on real terminals.

``class_server`` starts ``tui-tutor serve ssh|web`` on a free loopback port and stops it after;
``ssh_argv`` is the OpenSSH client to run on a ``tests.terminal.Terminal``;
``session_processes`` finds every process serving a class folder by its TUI_TUTOR_HOME, so "no
process of the session is left" is checked from the outside, not from the server's bookkeeping.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import command_line, environment, live_processes
from tests.terminal import REPO, checkout_env

SSH = "/usr/bin/ssh"
needs_ssh_client = pytest.mark.skipif(not os.path.exists(SSH), reason="the OpenSSH client is not installed")


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
        env=checkout_env(), cwd=REPO,
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


def session_processes(class_dir: Path) -> list[tuple[int, str]]:
    """Every live process whose TUI_TUTOR_HOME lies in ``class_dir``: (pid, command line)."""
    marker = f"TUI_TUTOR_HOME={class_dir}/".encode()
    return [(pid, command_line(pid)) for pid in live_processes()
            if any(item.startswith(marker) for item in environment(pid))]  # fmt: skip


def wait_no_session_processes(class_dir: Path, timeout: float = 15) -> list[tuple[int, str]]:
    """Poll until no process serves ``class_dir`` (or the time is up); what is left."""
    deadline = time.monotonic() + timeout
    while True:
        left = session_processes(class_dir)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)
