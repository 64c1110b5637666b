"""The progress store at the edges of the filesystem: read-only mounts, full disks, files that
vanish or are replaced under a running app, and paths that are not what they should be.

Read-only folders and full disks are real ones: a bind mount remounted read-only and a tiny tmpfs,
made in a private mount namespace with ``unshare`` (as root a folder's permission bits say
nothing). Each notice must name the real cause.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.progress.test_store_recovery import _count
from tests.sigkill import REPO
from tui_tutor.progress.store import ProgressStore

ATTEMPT = "Attempt(item_id='q%d' % i, correct=True, score=1.0, answer='1', skills=('chain',))"
PRELUDE = "from tui_tutor.progress.store import ProgressStore\nfrom tui_tutor.progress.records import Attempt\n"


def _python(code: str, home: Path, *, mount: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``code`` with TUI_TUTOR_HOME=home; ``mount`` is a shell line run first in a private
    mount namespace (skipped when this machine does not allow one)."""
    env = dict(os.environ, TUI_TUTOR_HOME=str(home), PYTHONPATH=str(REPO))
    argv = [sys.executable, "-c", PRELUDE + textwrap.dedent(code)]
    if mount is not None:
        if shutil.which("unshare") is None:
            pytest.skip("needs unshare for a private mount")
        probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
        if probe.returncode != 0:
            pytest.skip("this machine does not allow a private mount namespace")
        argv = ["unshare", "-rm", "sh", "-c", f'{mount} && exec "$@"', "sh", *argv]
    return subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout)


def _write(home: Path, n: int, *, leave_wal: bool = False) -> None:
    exit_line = "os._exit(0)" if leave_wal else "s.close()"
    result = _python(f"""
        import os
        s = ProgressStore()
        for i in range({n}):
            s.record_attempt({ATTEMPT})
        {exit_line}
    """, home)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("leave_wal", [False, True], ids=["checkpointed", "answers-still-in-the-wal"])
def test_a_read_only_folder_shows_the_history_read_only(tmp_path, leave_wal):
    home = tmp_path / "home"
    _write(home, 3, leave_wal=leave_wal)
    assert (home / "progress.sqlite3-wal").exists() == leave_wal
    result = _python("""
        s = ProgressStore()
        print(s.attempt_count(), s.read_only)
        print(s.notice)
    """, home, mount=f"mount --bind {home} {home} && mount -o remount,ro,bind {home}")
    assert result.returncode == 0, result.stderr
    first, notice = result.stdout.splitlines()[:2]
    assert first == "3 True"
    assert notice == f"Progress is not being saved: {home} is read-only."


def test_a_full_disk_is_called_a_full_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    result = _python("""
        s = ProgressStore()
        for i in range(400):
            s.record_attempt(Attempt(item_id='q%d' % i, correct=True, score=1.0, answer='x' * 300, skills=('chain',)))
            if s.read_only:
                break
        print(s.notice)
        print(s.attempt_count() == i + 1)  # the answer that met the full disk is kept in memory
    """, disk / "home", mount=f"mount -t tmpfs -o size=96k tmpfs {disk}")
    assert result.returncode == 0, result.stderr
    notice, kept = result.stdout.splitlines()[:2]
    assert notice == f"Progress is not being saved: the disk holding {disk / 'home'} is full." and kept == "True"


def _run_then_kill(home: Path, code: str) -> list[str]:
    """Run ``code`` (after opening a store ``s``), print its notice, then SIGKILL the process."""
    result = _python(f"""
        import os, signal
        s = ProgressStore()
        {textwrap.indent(textwrap.dedent(code), '        ').strip()}
        print(s.notice, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """, home)
    assert result.returncode == -signal.SIGKILL, result.stderr
    return result.stdout.splitlines()


def test_a_deleted_wal_is_caught_at_the_next_write_and_nothing_is_lost_to_a_kill(tmp_path):
    home = tmp_path / "home"
    lines = _run_then_kill(home, f"""
        for i in range(5):
            s.record_attempt({ATTEMPT})
        os.unlink(str(s.path) + '-wal')
        for i in range(5, 15):
            s.record_attempt({ATTEMPT})
    """)
    assert lines == ["progress.sqlite3-wal was deleted while the tutor was running; the answers in it were saved into progress.sqlite3."]
    assert _count(home / "progress.sqlite3") == 15


def test_a_deleted_database_is_written_again_at_the_next_write(tmp_path):
    home = tmp_path / "home"
    lines = _run_then_kill(home, f"""
        for i in range(3):
            s.record_attempt({ATTEMPT})
        for name in ('progress.sqlite3', 'progress.sqlite3-wal', 'progress.sqlite3-shm'):
            if os.path.exists(s.path.with_name(name)):
                os.unlink(s.path.with_name(name))
        i = 3
        s.record_attempt({ATTEMPT})
    """)
    assert lines == [f"{home / 'progress.sqlite3'} was deleted while the tutor was running; it was written again from this session's copy."]
    assert _count(home / "progress.sqlite3") == 4


def test_a_database_replaced_under_the_app_is_left_alone_and_said(tmp_path):
    home = tmp_path / "home"
    with ProgressStore(home / "progress.sqlite3") as s:
        s.record_attempt(ProgressStoreAttempt(0))
        other = home / "other.sqlite3"
        with ProgressStore(other) as o:
            o.record_attempt(ProgressStoreAttempt(100))
            o.record_attempt(ProgressStoreAttempt(101))
        os.replace(other, home / "progress.sqlite3")
        s.record_attempt(ProgressStoreAttempt(1))
        assert s.read_only and "was replaced by another file while the tutor was running" in s.notice
        assert [a.item_id for a in s.attempts()] == ["q0", "q1"]
    assert _count(home / "progress.sqlite3") == 2  # the file put there was not written over


def ProgressStoreAttempt(i: int):  # noqa: N802 - reads like the constructor it stands for
    from tui_tutor.progress.records import Attempt

    return Attempt(item_id=f"q{i}", correct=True, score=1.0, answer="1", skills=("chain",))


def test_a_folder_where_the_file_should_be_is_named(tmp_path):
    (tmp_path / "home" / "progress.sqlite3").mkdir(parents=True)
    with ProgressStore(tmp_path / "home" / "progress.sqlite3") as s:
        assert s.read_only
        assert s.notice == (f"Progress is not being saved: {tmp_path / 'home' / 'progress.sqlite3'} is a folder, "
                            "where the progress file should be; move it out of the way and start again.")


def test_a_settings_path_that_is_a_file_is_named(tmp_path, monkeypatch):
    (tmp_path / "home").write_text("not a folder")
    monkeypatch.setenv("TUI_TUTOR_HOME", str(tmp_path / "home"))
    with ProgressStore() as s:
        assert s.read_only
        assert s.notice == (f"Progress is not being saved: {tmp_path / 'home'} is a file, not a folder; "
                            "move it away, or set TUI_TUTOR_HOME to a folder.")
