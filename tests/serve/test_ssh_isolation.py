"""End to end: one learner cannot reach another's store, and the server offers nothing but the tutor.

Every route tried with the real OpenSSH client: another learner's key, user names that walk out
of ``learners/`` or only look like a name, environment variables naming another home, a shell
command, SFTP and scp, port forwarding both ways, a session without a terminal.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from tests.serve.helpers import class_server, needs_ssh_client, run_ssh, ssh_argv, wait_no_session_processes
from tests.terminal import Terminal
from tui_tutor.progress.store import ProgressStore

pytestmark = needs_ssh_client


def open_lesson(server, user, key, *options, command=()):
    """Open the tutor as ``user``; True once its first screen is drawn."""
    client = Terminal(ssh_argv(server.port, user, key, "-tt", *command, options=options))
    try:
        return client.wait_for("Overview", timeout=60) and client.wait_for("q Quit", timeout=30), client
    except BaseException:
        client.close()
        raise


@pytest.fixture
def served(keyed_class):
    class_dir, keys = keyed_class
    with class_server(class_dir) as server:
        yield server, keys
    assert wait_no_session_processes(class_dir) == []


def test_a_learner_logs_in_only_with_their_own_key(served):
    server, keys = served
    for user, key in (("alice", keys["bob"]), ("alice", keys["mallory"]), ("mallory", keys["mallory"])):
        result = run_ssh(server.port, user, key, "true")
        assert result.returncode == 255 and "Permission denied" in result.stderr, (user, result)
    assert not (server.class_dir / "learners" / "alice").exists()
    assert not (server.class_dir / "learners" / "mallory").exists()


@pytest.mark.parametrize(
    "user",
    ["../alice", "alice/..", "..", "learners/alice", "al ice", "ålice", "аlice", "alice\u200b", "a" * 40, "1alice"],
)
def test_user_names_that_are_not_learner_names_are_refused_with_the_rule(served, user):
    server, keys = served
    result = run_ssh(server.port, user, keys["alice"], "true", options=("-o", "LogLevel=INFO"))
    assert result.returncode == 255
    assert "cannot be a learner name" in result.stderr, result.stderr
    assert sorted(p.name for p in (server.class_dir / "learners").iterdir()) == []
    log = (server.class_dir / "connections.log").read_text()
    assert user not in log or user == "alice"  # only its length is logged
    assert all(json.loads(line)["event"] == "login-failed" for line in log.splitlines())


@pytest.mark.parametrize(
    "user", ["-alice", "alice;id", "alice\nbob", "\x1b[31malice", "alice\x00", "ALICE\u0130", "x" * 2000]
)
async def test_names_the_openssh_client_would_not_send_are_refused_too(served, user, monkeypatch):
    # OpenSSH's client refuses some names itself, and asyncssh's client cleans them up (SASLprep);
    # a hostile client need not: send the name as it is.
    import asyncssh
    import asyncssh.connection

    monkeypatch.setattr(asyncssh.connection, "saslprep", lambda text: text)
    server, keys = served
    with pytest.raises(asyncssh.Error):
        async with asyncssh.connect(
            "127.0.0.1", server.port, username=user, client_keys=[str(keys["alice"])], known_hosts=None,
            agent_path=None, config=None, preferred_auth="publickey",
        ):  # fmt: skip
            pass
    assert list((server.class_dir / "learners").iterdir()) == []
    log = server.class_dir / "connections.log"
    assert not log.exists() or "alice" not in log.read_text()
    assert server.process.poll() is None


def test_look_alike_names_need_that_learners_key(served):
    # asyncssh applies SASLprep (NFKC) to user names, as RFC 4252 asks: full-width "ａｌｉｃｅ" is
    # alice, and so needs alice's key like any other spelling of her name.
    server, keys = served
    result = run_ssh(server.port, "ａｌｉｃｅ", keys["bob"], "true")
    assert result.returncode == 255 and "Permission denied" in result.stderr
    assert list((server.class_dir / "learners").iterdir()) == []


def test_capitals_are_the_same_learner(served):
    server, keys = served
    shown, client = open_lesson(server, "Alice", keys["alice"])
    client.close()
    assert shown
    assert [p.name for p in (server.class_dir / "learners").iterdir()] == ["alice"]


def test_environment_from_the_client_cannot_move_a_learner_to_another_store(served):
    server, keys = served
    alice_home = server.class_dir / "learners" / "alice"
    alice_home.mkdir(mode=0o700, parents=True)
    with ProgressStore(alice_home / "progress.sqlite3") as store:
        store.set_setting("theme", "nord")
    before = (alice_home / "progress.sqlite3").stat().st_mtime_ns
    shown, client = open_lesson(
        server, "bob", keys["bob"],
        "-o", f"SetEnv=TUI_TUTOR_HOME={alice_home} HOME={alice_home} PYTHONPATH=/tmp LD_PRELOAD=/tmp/x.so",
    )  # fmt: skip
    client.send("3")  # open the quiz: bob's tutor writes to *its* store
    client.wait_for("Question 1", timeout=30)
    client.close()
    assert shown
    assert wait_no_session_processes(server.class_dir) == []
    assert (server.class_dir / "learners" / "bob" / "progress.sqlite3").exists()
    assert (alice_home / "progress.sqlite3").stat().st_mtime_ns == before


@pytest.mark.parametrize(
    "command",
    ["cat learners/alice/progress.sqlite3", "sh -c id", "progress --export /tmp/x.csv", "quiz --content /etc",
     "lesson --content /tmp", "lesson; sh", "bash", "quiz --json"],  # fmt: skip
)
def test_commands_other_than_the_tutors_are_refused_with_one_line(served, command):
    server, keys = served
    result = run_ssh(server.port, "bob", keys["bob"], command)
    assert result.returncode == 1, result
    assert result.stdout.startswith("tui-tutor: only the tutor runs here"), result.stdout
    assert len(result.stdout.strip().splitlines()) == 1
    assert not (server.class_dir / "learners" / "bob").exists()  # no tutor was ever started


def test_a_session_without_a_terminal_is_told_to_use_ssh_t(served):
    server, keys = served
    result = run_ssh(server.port, "bob", keys["bob"])
    assert result.returncode == 1
    assert "needs a terminal: connect with ssh -t" in result.stdout


def test_sftp_and_scp_are_refused(served, tmp_path):
    server, keys = served
    common = ["-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
              "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-i", str(keys["bob"])]  # fmt: skip
    import subprocess

    sftp = subprocess.run(["sftp", *common, "-P", str(server.port), "bob@127.0.0.1"], input="ls\n",
                          capture_output=True, text=True, timeout=30)  # fmt: skip
    assert sftp.returncode != 0 and "subsystem request failed" in sftp.stderr, sftp
    target = tmp_path / "got"
    scp = subprocess.run(["scp", *common, "-P", str(server.port), "bob@127.0.0.1:learners/alice/progress.sqlite3",
                          str(target)], capture_output=True, text=True, timeout=30)  # fmt: skip
    assert scp.returncode != 0 and not target.exists(), scp
    scp_legacy = subprocess.run(["scp", "-O", *common, "-P", str(server.port), "bob@127.0.0.1:/etc/hostname",
                                 str(target)], capture_output=True, text=True, timeout=30)  # fmt: skip
    assert scp_legacy.returncode != 0 and not target.exists(), scp_legacy


def test_port_forwarding_is_refused_both_ways(served):
    server, keys = served
    # -W asks the server to open a TCP connection for us (a direct-tcpip channel).
    local = run_ssh(server.port, "bob", keys["bob"], options=("-W", f"127.0.0.1:{server.port}"))
    assert local.returncode == 255 and "forwarding failed" in local.stderr, local
    remote = run_ssh(server.port, "bob", keys["bob"],
                     options=("-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9"))  # fmt: skip
    assert remote.returncode == 255 and "forwarding failed" in remote.stderr, remote


def test_the_host_key_is_made_once_private_and_reused(keyed_class):
    class_dir, _ = keyed_class
    with class_server(class_dir) as first:
        pass
    key = class_dir / "ssh_host_ed25519_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    with class_server(class_dir) as second:
        pass
    fingerprint = [line for line in first.banner.splitlines() if "host key" in line]
    assert fingerprint and fingerprint == [line for line in second.banner.splitlines() if "host key" in line]
    assert stat.S_IMODE(os.stat(class_dir / "learners").st_mode) == 0o700


def test_a_bad_line_added_to_authorized_keys_during_class_is_shown_to_the_teacher_once(keyed_class):
    """The server logs to serve.log; what goes wrong while it runs is also said on its terminal."""
    class_dir, keys = keyed_class
    with class_server(class_dir) as server:
        with open(class_dir / "authorized_keys", "a") as handle:
            handle.write("carol not-a-key\n")
        for _ in range(2):  # every login re-reads the file: the teacher is told once
            assert run_ssh(server.port, "alice", keys["bob"], "true").returncode == 255
        server.stop()
        err = server.process.stderr.read()
    said = [line for line in err.splitlines() if "carol's key cannot be read" in line]
    assert len(said) == 1 and said[0].startswith("tui-tutor serve: WARNING: "), err
