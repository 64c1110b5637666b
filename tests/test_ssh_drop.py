"""A dropped SSH connection during grading: the app and its engine go, every graded attempt stays.

A real OpenSSH server is started on a free loopback port with a throwaway host key and an
authorized key made for the test; the real OpenSSH client logs in on a pseudo-terminal and runs
`tui-tutor quiz` there. The learner answers a question (twice: wrong, then right), asks for a
grading the engine needs long for, and the client is killed mid-grading, as a dropped connection
would. The server then hangs up the learner's terminal.

Needs OpenSSH (Debian: openssh-server; `.ci/run` installs it): on Linux its absence is a failure,
not a skip.
"""

from __future__ import annotations

import getpass
import os
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.processes import alive, busy_runner, command_line, engine_processes, environment, live_processes, wait_until
from tests.terminal import REPO, Terminal, tutor_command
from tui_tutor.progress.store import DB_NAME, ProgressStore

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches processes through /proc")

SSHD = "/usr/sbin/sshd"
COURSE = REPO / "tests" / "quiz" / "course" / "chain"

QUIZ = textwrap.dedent(
    r"""
    items:
      - id: quick
        skills: [chain-product]
        prompt: 'Warm-up: what is $1 + 1$?'
        kind: scalar
        answer: '2'
        hints: ['Count.']
        solution: 'It is 2.'
      - id: heavy
        skills: [chain-product]
        prompt: 'Heavy: compute $Df$ for $f(\mathbf{x}) = (x_1 + \dots + x_6)^{1000}$ at $(1, \dots, 1)$.'
        kind: matrix
        answer: '[1, 1, 1, 1, 1, 1]'
        problem: {maps: ['(x1 + x2 + x3 + x4 + x5 + x6)^1000'], ask: jacobian, at: [1, 1, 1, 1, 1, 1]}
        hints: ['Differentiate.']
        solution: 'Too big to show.'
    """
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tui-tutor test", "-f", str(path)], check=True)


@pytest.fixture
def sshd(tmp_path):
    """An OpenSSH server for this test only: (port, the client's private key)."""
    if not Path(SSHD).exists() or not shutil.which("ssh") or not shutil.which("ssh-keygen"):
        pytest.fail("this test needs OpenSSH's server and client: apt-get install openssh-server openssh-client")
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    _keygen(keys / "host")
    _keygen(keys / "client")
    (keys / "authorized_keys").write_text((keys / "client.pub").read_text())
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege-separation directory
    port = _free_port()
    config = keys / "sshd_config"
    config.write_text(textwrap.dedent(f"""\
        Port {port}
        ListenAddress 127.0.0.1
        HostKey {keys / "host"}
        PidFile {keys / "sshd.pid"}
        AuthorizedKeysFile {keys / "authorized_keys"}
        StrictModes no
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PubkeyAuthentication yes
        PermitRootLogin prohibit-password
        PermitTTY yes
        """))  # fmt: skip
    log = open(tmp_path / "sshd.log", "wb")
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log, start_new_session=True)

    def listening() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    try:
        if not wait_until(listening, 20, step=0.1):
            pytest.fail(f"sshd did not start: {(tmp_path / 'sshd.log').read_text()[-2000:]}")
        yield port, keys / "client"
    finally:
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait(10)
        log.close()


def _find_app(home: Path) -> int | None:
    """The remote `tui-tutor quiz` process: the one whose environment holds this test's home.

    (Its command line is not enough: the ssh client's own command line holds the remote one.)"""
    wanted = f"TUI_TUTOR_HOME={home}".encode()
    found = (pid for pid in live_processes() if wanted in environment(pid) and "quiz" in command_line(pid))
    return next(found, None)


def _recorded(home: Path) -> int:
    """How many attempts the store holds, read without disturbing the app that writes them."""
    try:
        with sqlite3.connect(f"file:{home / DB_NAME}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM attempts").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_dropped_ssh_connection_during_grading_leaves_no_process_and_loses_no_attempt(sshd, tmp_path):
    port, key = sshd
    course = tmp_path / "course"
    shutil.copytree(COURSE, course / "chain")
    (course / "chain" / "quiz.yaml").write_text(QUIZ)
    home = tmp_path / "home"
    home.mkdir()
    from tui_tutor.content.loader import load_course
    from tui_tutor.quiz.plan import plan_quiz

    concept = load_course(course).concept()
    seed = next(s for s in range(100) if plan_quiz(concept, 2, s)[0].item.id == "quick")
    remote = f"cd {shlex.quote(str(REPO))} && exec " + shlex.join(
        ["env", f"TUI_TUTOR_HOME={home}", *tutor_command(), "quiz", "--content", str(course), "--count", "2", "--seed", str(seed)]
    )
    ssh = [
        "ssh", "-tt", "-F", "/dev/null", "-p", str(port), "-i", str(key), "-o", "IdentitiesOnly=yes",
        "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "LogLevel=ERROR", f"{getpass.getuser()}@127.0.0.1", remote,
    ]  # fmt: skip
    with Terminal(ssh) as client:  # on an xterm
        assert client.wait_for("Warm-up", 60), client.text()[-2000:]
        app = _find_app(home)
        assert app is not None, "the quiz is on screen but its process was not found"
        client.type("3\r")  # wrong: a graded attempt
        assert wait_until(lambda: _recorded(home) == 1, 30), client.text()[-2000:]
        client.type("\x7f2\r")  # right: another
        assert wait_until(lambda: _recorded(home) == 2, 30), client.text()[-2000:]
        assert client.wait_for("Correct", 5)
        client.type("\x0e")  # Ctrl+N: the next question
        assert client.wait_for("Heavy", 30), client.text()[-2000:]
        client.type("[1,2,3,4,5,6]")
        time.sleep(0.5)  # let the preview read it, as a person reading the "read as" line would
        client.type("\r")
        assert wait_until(lambda: any(busy_runner(p) for p in engine_processes(app)), 60), "grading never started"
        doomed = [app, *engine_processes(app)]
        assert len(doomed) >= 4  # the app, the engine's host, the runner grading, the spare runner

        client.process.send_signal(signal.SIGKILL)  # the connection drops
        assert wait_until(lambda: not any(alive(p) for p in doomed), 5), (
            f"still running 5 s after the connection dropped: {[(p, command_line(p)) for p in doomed if alive(p)]}"
        )

    with ProgressStore(home / DB_NAME) as store:
        assert store.notice is None  # the file is healthy, not moved aside
        kept = [(a.item_id, a.answer, a.correct) for a in store.attempts()]
    assert kept == [("quick", "3", False), ("quick", "2", True)]
