"""The rules under the servers, without a network: names, commands, environment, limits."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from tui_tutor.serve.classdir import ClassDir, ClassDirError
from tui_tutor.serve.limits import CommandRefused, Limits, clamp_size, tutor_args, tutor_environment
from tui_tutor.serve.names import learner_name, loggable
from tui_tutor.serve.session import ENDED_CPU, Session
from tui_tutor.serve.ssh import FailureCounter, is_loopback


@pytest.mark.parametrize("raw, name", [("alice", "alice"), ("Alice", "alice"), ("bob_2", "bob_2"),
                                       ("a-b", "a-b"), ("z" * 32, "z" * 32)])  # fmt: skip
def test_learner_names(raw, name):
    assert learner_name(raw) == name


@pytest.mark.parametrize("raw", ["", "..", "../a", "a/b", "a.b", "1a", "-a", "_a", "a b", "ålice", "ａlice",
                                 "a\x00", "a\n", "z" * 33, "\u212aelvin"])  # fmt: skip
def test_not_learner_names(raw):
    assert learner_name(raw) is None
    assert raw not in loggable(raw) or raw == ""


@pytest.mark.parametrize(
    "command, args",
    [(None, []), ("", []), ("quiz --count 5 --seed 7", ["quiz", "--count", "5", "--seed", "7"]),
     ("--ascii", ["--ascii"]), ("quiz --ascii", ["quiz", "--ascii"]),
     ("lesson --section 3", ["lesson", "--section", "3"]), ("review", ["review"]),
     ("review --mistakes --count 3", ["review", "--mistakes", "--count", "3"]),
     ("--theme nord quiz --minutes 10", ["quiz", "--theme", "nord", "--minutes", "10.0"])],
)  # fmt: skip
def test_the_tutor_commands_a_client_may_ask_for(command, args):
    assert tutor_args(command) == args


@pytest.mark.parametrize(
    "command",
    ["sh", "progress", "check /", "solve x1", "quiz --content /etc", "--content=/etc quiz", "quiz --json",
     "quiz --count 0", "quiz --seed 1000000000", "quiz --count 5; sh", "quiz $(id)", "lesson --section 1 --example 2", "--the nord",
     "quiz --skill ../x", "quiz --mistakes", "review --out /tmp/x", "quiz --theme 'a b'", "'unclosed", "quiz " + "x" * 400, "scratch x1"],
)  # fmt: skip
def test_everything_else_is_refused(command):
    with pytest.raises(CommandRefused):
        tutor_args(command)


def test_the_environment_is_built_not_inherited(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_OF_THE_TEACHER", "x")
    client = {"TUI_TUTOR_HOME": "/tmp/other", "HOME": "/root", "LD_PRELOAD": "x.so", "PYTHONPATH": "/tmp",
              "LANG": "de_DE.UTF-8", "LC_ALL": "bad value;", "COLORTERM": "truecolor", "NO_COLOR": "1"}  # fmt: skip
    env = tutor_environment(tmp_path, "xterm-kitty", client)
    assert env["TUI_TUTOR_HOME"] == env["HOME"] == str(tmp_path)
    assert env["TERM"] == "xterm-kitty" and env["LANG"] == "de_DE.UTF-8" and env["NO_COLOR"] == "1"
    assert "LD_PRELOAD" not in env and "SECRET_OF_THE_TEACHER" not in env and "LC_ALL" not in env
    assert env.get("PYTHONPATH") == os.environ.get("PYTHONPATH")
    assert tutor_environment(tmp_path, "xterm\x1b]0;x", {})["TERM"] == "xterm-256color"


def test_window_sizes_are_clamped():
    assert clamp_size(0, 0) == (10, 4)
    assert clamp_size(65535, 65535) == (400, 150)
    assert clamp_size(120, 40) == (120, 40)


def test_failed_logins_turn_an_address_away_for_a_while(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("tui_tutor.serve.ssh.time.monotonic", lambda: now[0])
    counter = FailureCounter(allowed=3, window=60)
    for _ in range(2):
        counter.failed("10.0.0.1")
    assert counter.blocked_for("10.0.0.1") == 0
    counter.failed("10.0.0.1")
    assert counter.blocked_for("10.0.0.1") == pytest.approx(60)
    assert counter.blocked_for("10.0.0.2") == 0
    now[0] += 61
    assert counter.blocked_for("10.0.0.1") == 0


def test_loopback_addresses():
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.5", "example.com", ""]))


class _Recorder(Session):
    transport = "test"

    def __init__(self, limits):
        hosting = SimpleNamespace(limits=limits, sessions=set(), spawner=SimpleNamespace(end=lambda *a, **k: None),
                                  connections=SimpleNamespace(write=lambda *a, **k: None))  # fmt: skip
        super().__init__(hosting, "alice", "127.0.0.1")
        self.closed = None

    def write_client(self, data):
        pass

    def close_client(self, line, status):
        self.closed = (line, status)


def test_cpu_is_a_share_over_a_minute_not_a_total(monkeypatch):
    now = [0.0]
    monkeypatch.setattr("tui_tutor.serve.session.time.monotonic", lambda: now[0])
    calm = _Recorder(Limits(cpu_percent=50))
    cpu = 0.0
    for _ in range(3600):  # an hour at 20 % of a core, with a 3-second burst at the start
        now[0] += 2
        cpu += 0.4 if now[0] > 6 else 2.0
        calm._usage(100 * 2**20, cpu, 2)
    assert calm.ended is None
    busy = _Recorder(Limits(cpu_percent=50))
    cpu = 0.0
    while busy.ended is None and now[0] < 20_000:
        now[0] += 2
        cpu += 1.5  # 75 % of a core
        busy._usage(100 * 2**20, cpu, 2)
    assert busy.ended == ENDED_CPU and "more than 50% of a CPU core" in busy.closed[0]


def test_a_learner_folder_that_is_a_symlink_is_refused(tmp_path):
    class_dir = ClassDir(tmp_path / "class")
    class_dir.prepare()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", class_dir.learners / "alice")
    with pytest.raises(ClassDirError, match="not a plain folder"):
        class_dir.learner_home("alice")
    with pytest.raises(ValueError):
        class_dir.learner_home("../x")


def test_a_host_key_others_can_read_is_refused(tmp_path):
    class_dir = ClassDir(tmp_path)
    class_dir.host_key()
    os.chmod(tmp_path / "ssh_host_ed25519_key", 0o644)
    with pytest.raises(ClassDirError, match="chmod 600"):
        class_dir.host_key()
