"""Attacks on the SSH server: half handshakes, connection floods, resize storms, huge windows,
killed processes. After each the server still serves, and nothing of a session is left running."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import struct
import termios
import time

from tests.processes import alive, command_line, descendants, wait_until
from tests.serve.helpers import class_server, needs_ssh_client, session_processes, ssh_argv, wait_no_session_processes
from tests.terminal import Terminal

pytestmark = needs_ssh_client


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def tutor_size(class_dir) -> tuple[int, int]:
    """(cols, rows) of the hosted tutor's terminal, read from its pty."""
    tutors = [pid for pid, cmd in session_processes(class_dir) if "tui_tutor.engine." not in cmd]
    assert len(tutors) == 1, session_processes(class_dir)
    fd = os.open(os.readlink(f"/proc/{tutors[0]}/fd/0"), os.O_RDONLY | os.O_NOCTTY)
    try:
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    finally:
        os.close(fd)
    return cols, rows


def resize_until(client, class_dir, cols: int, rows: int, expected: tuple[int, int]) -> tuple[int, int]:
    """Resize the client's terminal; the tutor's size once it is ``expected`` (or after 15 s)."""
    client.resize(cols, rows)
    client.process.send_signal(signal.SIGWINCH)
    wait_until(lambda: tutor_size(class_dir) == expected, 15, step=0.1)
    return tutor_size(class_dir)


def still_serves(server, key) -> bool:
    with Terminal(ssh_argv(server.port, "alice", key, "-tt")) as client:
        return client.wait_for("q Quit", timeout=60)


@contextlib.contextmanager
def alice_over_ssh(class_dir, key, size=(80, 24)):
    """A class server, and alice's terminal of ``size`` showing its lesson: (server, terminal).
    Once her terminal is closed, no process of her session may be left."""
    with class_server(class_dir) as server:
        with Terminal(ssh_argv(server.port, "alice", key, "-tt"), size=size) as client:
            assert client.wait_for("q Quit", timeout=60)
            yield server, client
        assert wait_no_session_processes(class_dir) == []


def test_half_handshakes_and_a_hundred_connections_leave_the_server_as_it_was(keyed_class):
    class_dir, keys = keyed_class
    with class_server(class_dir) as server:
        pid = server.process.pid
        time.sleep(0.5)
        fds_before = open_fds(pid)
        for round_ in range(100):
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
                if round_ % 4 == 1:
                    raw.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")  # then vanish mid-handshake
                elif round_ % 4 == 2:
                    raw.sendall(b"SSH-2.0-x\r\n" + os.urandom(512))  # garbage key exchange
                elif round_ % 4 == 3:
                    raw.recv(64)  # read the server's banner, say nothing
        assert still_serves(server, keys["alice"])
        wait_until(lambda: open_fds(pid) <= fds_before + 2, 15, step=0.2)
        assert open_fds(pid) <= fds_before + 2
        assert wait_no_session_processes(class_dir) == []
        assert server.process.poll() is None


def test_a_resize_storm_ends_at_the_last_size_and_the_tutor_still_answers(keyed_class):
    class_dir, keys = keyed_class
    with alice_over_ssh(class_dir, keys["alice"]) as (_server, client):
        for i in range(400):
            client.resize(40 + i % 160, 10 + i % 50)
            client.process.send_signal(signal.SIGWINCH)
        assert resize_until(client, class_dir, 100, 30, (100, 30)) == (100, 30)
        mark = client.mark()
        client.send("?")  # the keys screen
        assert client.wait_for("Keys", timeout=30, since=mark)


def test_a_huge_window_is_clamped_and_still_works(keyed_class):
    class_dir, keys = keyed_class
    with alice_over_ssh(class_dir, keys["alice"], size=(5000, 3000)) as (_server, client):
        assert tutor_size(class_dir) == (400, 150)
        assert resize_until(client, class_dir, 100, 40, (100, 40)) == (100, 40)
        assert resize_until(client, class_dir, 60000, 60000, (400, 150)) == (400, 150)
        # No size at all: the usual default.
        assert resize_until(client, class_dir, 0, 0, (80, 24)) == (80, 24)
        assert client.process.poll() is None


def test_killing_the_server_with_sigkill_leaves_nothing_running(keyed_class):
    class_dir, keys = keyed_class
    with class_server(class_dir) as server, contextlib.ExitStack() as terminals:
        clients = [terminals.enter_context(Terminal(ssh_argv(server.port, name, keys[name], "-tt", *args)))
                   for name, args in (("alice", ()), ("bob", ("quiz", "--count", "1")))]  # fmt: skip
        for client in clients:
            assert client.wait_for("Quit" if client is clients[0] else "Question 1", timeout=60)
        tree = descendants(server.process.pid)
        assert len(tree) >= 3  # the spawner, two tutors (and their engine workers)
        server.process.kill()
        server.process.wait()
        assert wait_no_session_processes(class_dir) == []
        wait_until(lambda: not any(map(alive, tree)), 10, step=0.1)  # the spawner exits once it has killed the rest
        assert [pid for pid in tree if alive(pid)] == []
        for client in clients:
            assert client.wait_exit(timeout=30) is not None  # the learners are disconnected


def test_a_tutor_killed_from_outside_ends_its_session_and_worker(keyed_class):
    class_dir, keys = keyed_class
    with class_server(class_dir) as server:
        with Terminal(ssh_argv(server.port, "alice", keys["alice"], "-tt", "quiz", "--count", "1")) as client:
            assert client.wait_for("Question 1", timeout=60)
            # The engine worker starts after the first frame.
            wait_until(lambda: len(session_processes(class_dir)) >= 2, 30, step=0.1)
            tutor = [pid for pid, cmd in session_processes(class_dir) if "tui_tutor.engine." not in cmd][0]
            os.kill(tutor, signal.SIGKILL)
            assert client.wait_exit(timeout=30) is not None
            assert b"\x1b[?1049l" in client.raw  # the server gave the terminal back
            assert "the tutor stopped unexpectedly; your progress is saved" in client.text()
        assert wait_no_session_processes(class_dir) == []
        assert still_serves(server, keys["alice"])


def test_when_the_spawner_dies_the_server_stops_and_nothing_is_left(keyed_class):
    class_dir, keys = keyed_class
    with alice_over_ssh(class_dir, keys["alice"]) as (server, client):
        spawner = [pid for pid in descendants(server.process.pid) if "serve.spawner" in command_line(pid)]
        os.kill(spawner[0], signal.SIGKILL)
        assert server.process.wait(30) == 0
        assert client.wait_exit(timeout=30) is not None
