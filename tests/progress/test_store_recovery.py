"""ProgressStore when the file or folder is unhealthy: never crash, never lose the file, say so."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui_tutor.progress import store as store_module
from tui_tutor.progress.store import ProgressStore

GARBAGE = b"this is not a database, it is a shopping list\n" * 100


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
    finally:
        conn.close()


def _read_only_connect(target):
    """A real sqlite connection that refuses every write, as a read-only mount would."""
    return sqlite3.connect(
        Path(target).resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None,
        check_same_thread=False,
    )  # fmt: skip


def test_garbage_file_is_moved_aside_and_a_fresh_store_works(home, clock, make_attempt):
    home.mkdir()
    (home / "progress.sqlite3").write_bytes(GARBAGE)
    with ProgressStore(now=clock) as s:
        aside = home / "progress.sqlite3.damaged-20260301T090000Z"
        assert s.notice == (
            f"Your progress file was damaged; it was moved to {aside} and a fresh one started."
        )
        assert aside.read_bytes() == GARBAGE  # kept byte for byte, for whoever wants to look
        assert s.read_only is False
        s.record_attempt(make_attempt())
    with ProgressStore(now=clock) as again:
        assert again.notice is None and again.attempt_count() == 1


def test_truncated_file_is_moved_aside_with_its_wal_and_shm(home, clock, make_attempt):
    with ProgressStore(now=clock) as s:
        for i in range(300):
            s.record_attempt(make_attempt(f"q{i}", answer="x" * 200))
    db = home / "progress.sqlite3"
    whole = db.read_bytes()
    db.write_bytes(whole[: len(whole) // 2])
    (home / "progress.sqlite3-wal").write_bytes(b"stale wal")
    (home / "progress.sqlite3-shm").write_bytes(b"stale shm")
    with ProgressStore(now=clock) as s:
        aside = home / "progress.sqlite3.damaged-20260301T090000Z"
        assert s.notice is not None and str(aside) in s.notice
        assert aside.stat().st_size == len(whole) // 2
        assert (home / "progress.sqlite3.damaged-20260301T090000Z-wal").read_bytes() == b"stale wal"
        # -shm is only sqlite's rebuildable index of the -wal; it moves along but may be rewritten.
        assert (home / "progress.sqlite3.damaged-20260301T090000Z-shm").exists()
        assert s.attempt_count() == 0
        s.record_attempt(make_attempt())
        assert s.attempt_count() == 1


def test_second_damage_in_the_same_second_keeps_both_copies(home, clock):
    home.mkdir()
    for _ in range(2):
        (home / "progress.sqlite3").unlink(missing_ok=True)
        (home / "progress.sqlite3").write_bytes(GARBAGE)
        ProgressStore(now=clock).close()
    assert sorted(p.name for p in home.glob("*.damaged-*")) == [
        "progress.sqlite3.damaged-20260301T090000Z",
        "progress.sqlite3.damaged-20260301T090000Z-2",
    ]


def test_empty_file_is_a_new_database_not_damage_and_is_said(home, clock):
    home.mkdir()
    (home / "progress.sqlite3").write_bytes(b"")
    with ProgressStore(now=clock) as s:
        assert s.read_only is False
        assert s.notice == (f"Your progress file {home / 'progress.sqlite3'} was empty (0 bytes), so no "
                            "earlier progress could be read from it; it was started afresh.")
    assert list(home.glob("*.damaged-*")) == []


def test_folder_that_cannot_be_created_runs_in_memory(tmp_path, monkeypatch, make_attempt):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    folder = blocker / "home"  # its parent is a regular file: mkdir fails even for root
    monkeypatch.setenv("TUI_TUTOR_HOME", str(folder))
    with ProgressStore() as s:
        assert s.read_only is True
        assert s.notice == f"Progress is not being saved: {folder} cannot be made: {blocker} is a file, not a folder."
        new_id = s.record_attempt(make_attempt())
        assert [a.id for a in s.attempts()] == [new_id]
        s.set_setting("theme", "dark")
        assert s.get_setting("theme") == "dark"
        assert s.reset() is None  # nothing on disk to back up
    assert blocker.read_text() == "not a folder"


def test_file_that_refuses_writes_runs_in_memory_showing_its_history(
    home, clock, make_attempt, monkeypatch
):
    with ProgressStore(now=clock) as s:
        s.record_attempt(make_attempt("old"))
    monkeypatch.setattr(store_module, "_connect", _read_only_connect)
    with ProgressStore(now=clock) as s:
        assert s.read_only is True
        assert s.notice == f"Progress is not being saved: {home} is read-only."
        assert [a.item_id for a in s.attempts()] == ["old"]
        s.record_attempt(make_attempt("new"))
        assert [a.item_id for a in s.attempts()] == ["old", "new"]
    assert _count(home / "progress.sqlite3") == 1  # the file was not touched
    assert list(home.glob("*.damaged-*")) == []  # and not mistaken for damage


def test_write_failure_mid_session_keeps_the_session_in_memory(store, home, make_attempt):
    store.record_attempt(make_attempt("before"))
    # The disk turns read-only under a running app (a remount, say).
    store._conn.close()
    store._conn = _read_only_connect(store.path)
    store._wal_identity = None  # the -wal went with the closed handle; the new one has made none yet
    store.record_attempt(make_attempt("after"))
    assert store.read_only is True and "not being saved" in store.notice
    assert [a.item_id for a in store.attempts()] == ["before", "after"]
    assert _count(home / "progress.sqlite3") == 1


def test_file_from_a_newer_version_is_left_alone(home, clock):
    home.mkdir()
    conn = sqlite3.connect(home / "progress.sqlite3")
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with ProgressStore(now=clock) as s:
        assert s.read_only is True and "newer tui-tutor" in s.notice
        assert s.attempt_count() == 0
    conn = sqlite3.connect(home / "progress.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone() == (99,)
    conn.close()
    assert list(home.glob("*.damaged-*")) == []
