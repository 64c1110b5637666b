"""Limits a teacher sets, seen from a learner's terminal: one line saying why, nothing left behind."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time

import pytest

from tests.serve.helpers import class_server, needs_ssh_client, ssh_argv, wait_no_session_processes
from tests.terminal import REPO, Terminal, checkout_env

pytestmark = needs_ssh_client


def lesson(server, user, key) -> Terminal:
    """``user`` opens the tutor over SSH with ``key``, on an 80×24 terminal."""
    return Terminal(ssh_argv(server.port, user, key, "-tt"))


def log_of(class_dir):
    return [json.loads(line) for line in (class_dir / "connections.log").read_text().splitlines()]


@pytest.mark.parametrize(
    "limit, second, line",
    [("--max-sessions", "bob", "tui-tutor: the class is full (at most 1 sessions at once); try again"),
     ("--max-per-learner", "alice", "tui-tutor: alice already has 1 open (at most 1 at once); close one first.")],
)  # fmt: skip
def test_a_session_over_a_count_limit_is_turned_away_with_one_line(keyed_class, limit, second, line):
    class_dir, keys = keyed_class
    with class_server(class_dir, limit, "1") as server:
        with lesson(server, "alice", keys["alice"]) as first:
            assert first.wait_for("q Quit", timeout=60)
            with lesson(server, second, keys[second]) as turned_away:
                assert turned_away.wait_exit(timeout=20) == 1
                assert line in turned_away.text()
        assert wait_no_session_processes(class_dir) == []
    assert [e["event"] for e in log_of(class_dir)] == ["start", "refused", "end"]
    assert sorted(p.name for p in (class_dir / "learners").iterdir()) == ["alice"]


def test_an_idle_session_is_warned_then_closed_and_a_key_keeps_it(keyed_class):
    class_dir, keys = keyed_class
    # 0.1 minutes: the warning comes after 3 s, the close after 6 s of no key.
    with class_server(class_dir, "--idle-minutes", "0.1") as server:
        with lesson(server, "alice", keys["alice"]) as client:
            assert client.wait_for("q Quit", timeout=60)
            assert client.wait_for("No key for a while: this session closes in 3 s", timeout=20)
            client.send("n")  # a key: the session stays
            kept_until = time.monotonic() + 4
            while time.monotonic() < kept_until:
                assert client.process.poll() is None, client.text()[-500:]
                time.sleep(0.2)
            assert client.wait_exit(timeout=30) is not None
            text = client.text()
            assert "tui-tutor: closed after 0.1 minutes without a key; your progress is saved." in text
            assert b"\x1b[?1049l" in client.raw  # the terminal was given back its normal screen
        assert wait_no_session_processes(class_dir) == []
    ends = [e for e in log_of(class_dir) if e["event"] == "end"]
    assert [e["reason"] for e in ends] == ["idle"]


def test_a_session_over_its_memory_is_ended_with_a_line(keyed_class):
    class_dir, keys = keyed_class
    with class_server(class_dir, "--memory-mb", "30") as server:  # the app alone needs more
        with lesson(server, "alice", keys["alice"]) as client:
            assert client.wait_exit(timeout=60) == 1
            assert "tui-tutor: this session used more than 30 MB of memory and was ended" in client.text()
        assert wait_no_session_processes(class_dir) == []
    assert [e["reason"] for e in log_of(class_dir) if e["event"] == "end"] == ["memory limit"]


def test_a_passphrase_lets_in_learners_without_a_key_but_not_as_a_learner_with_one(tmp_path, keyed_class):
    class_dir, keys = keyed_class
    phrase = class_dir / "passphrase"
    phrase.write_text("correct horse battery\n")
    os.chmod(phrase, 0o600)
    with class_server(class_dir) as server:
        options = ("-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password",
                   "-o", "NumberOfPasswordPrompts=1")  # fmt: skip
        with Terminal(ssh_argv(server.port, "carol", None, "-tt", options=options)) as carol:
            assert carol.wait_for("password:", timeout=30)
            carol.send("correct horse battery\r")
            assert carol.wait_for("q Quit", timeout=60), carol.text()
        with Terminal(ssh_argv(server.port, "alice", None, "-tt", options=options)) as posing:
            assert posing.wait_for("password:", timeout=30)
            posing.send("correct horse battery\r")
            assert posing.wait_exit(timeout=20) == 255
            assert "Permission denied" in posing.text()
        assert wait_no_session_processes(class_dir) == []
    assert sorted(p.name for p in (class_dir / "learners").iterdir()) == ["carol"]
    assert "correct horse" not in (class_dir / "connections.log").read_text()
    assert "correct horse" not in (class_dir / "serve.log").read_text()


def serve_command(class_dir, *args):
    return subprocess.run(
        [sys.executable, "-m", "tui_tutor", "serve", *args[:1], "--class-dir", str(class_dir), *args[1:]],
        capture_output=True, text=True, timeout=60, env=checkout_env(), cwd=REPO,
    )  # fmt: skip


def test_without_keys_or_passphrase_it_will_not_listen_beyond_loopback(tmp_path):
    result = serve_command(tmp_path / "class", "ssh", "--host", "0.0.0.0", "--port", "0")
    assert result.returncode == 2
    assert "refusing to listen on 0.0.0.0 with no authentication" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_passphrase_file_others_can_read_is_refused(tmp_path):
    class_dir = tmp_path / "class"
    class_dir.mkdir()
    (class_dir / "passphrase").write_text("correct horse battery\n")
    os.chmod(class_dir / "passphrase", 0o644)
    result = serve_command(class_dir, "ssh", "--port", "0")
    assert result.returncode == 2
    assert f"can be read by other users of this machine; run: chmod 600 {class_dir / 'passphrase'}" in result.stderr


def test_bad_authorized_keys_lines_are_named_and_skipped(tmp_path, keyed_class):
    class_dir, keys = keyed_class
    with open(class_dir / "authorized_keys", "a") as handle:
        handle.write("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI nobody\nzoe ssh-ed25519 not-base64\n")
    with class_server(class_dir) as server:
        assert "2 keys for 2 learners" in server.banner
    warnings = server.process.stderr.read()
    assert "authorized_keys:3: a line starts with the learner's name" in warnings
    assert "authorized_keys:4: zoe's key cannot be read" in warnings


@pytest.mark.parametrize("option", ["--max-sessions", "--memory-mb", "--cpu-percent", "--idle-minutes"])
def test_a_limit_must_be_positive(tmp_path, option):
    result = serve_command(tmp_path / "class", "ssh", option, "0")
    assert result.returncode == 2 and "must be more than 0" in result.stderr


def test_the_web_token_is_made_once_and_private(tmp_path):
    from types import SimpleNamespace

    from tui_tutor.serve.classdir import ClassDir
    from tui_tutor.serve.limits import Limits
    from tui_tutor.serve.web import prepare_web

    class_dir = ClassDir(tmp_path / "class")
    class_dir.prepare()
    prepare_web(SimpleNamespace(host="0.0.0.0", port=0, content=None), class_dir, Limits())
    token_file = class_dir.root / "web-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    first = class_dir.web_token()
    prepare_web(SimpleNamespace(host="0.0.0.0", port=0, content=None), class_dir, Limits())
    assert class_dir.web_token() == first and len(first) >= 16
    assert not (class_dir.root / "web-token").with_name("other").exists()
