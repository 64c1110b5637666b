"""Reading someone else's progress file without touching it: the class report's door to a store.

A learner's ``progress.sqlite3`` may be in use by their running tutor (a hosted class) while the
teacher reads it, and it must come out of the read exactly as it went in: never created, never
migrated, nothing written, and no -wal or -shm file left behind that was not there before.

- When the file has no ``-wal`` beside it, nobody is writing it and every commit is in the file:
  it is read as *immutable* (SQLite takes no locks and creates nothing). If a ``-wal`` appears
  while it is read (a tutor opened it meanwhile), the read is done again the other way.
- When a ``-wal`` is there, a tutor has it open (or was killed with commits in it): it is read
  through a read-only connection, which sees every commit in the ``-wal`` and shares its index
  with the writer (and, in a folder that cannot be written, from a private copy:
  ``schema.open_read_only``).
- A file from an older schema is migrated in a copy in memory, so its attempts read exactly as
  ``ProgressStore`` would read them after opening it; a newer schema is reported, not read.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tui_tutor.progress import schema
from tui_tutor.progress.records import Attempt
from tui_tutor.progress.store import CSV_COLUMNS, DB_NAME, attempt_from_row

BUSY_TIMEOUT = 5.0  # seconds to wait for a writer's checkpoint to let go of the index


class Unreadable(Exception):
    """A progress file that cannot be read; the message says why in a few words."""


@dataclass(frozen=True)
class StoreSnapshot:
    """What one progress file held when it was read."""

    path: Path
    attempts: list[Attempt] = field(default_factory=list)
    last_opened: datetime | None = None  # when a tutor last opened it
    version: int = 0  # its schema version

    @property
    def last_seen(self) -> datetime | None:
        """The learner's last sign of life: their latest answer or the tutor's last opening."""
        moments = [a.at for a in self.attempts if a.at is not None]
        if self.last_opened is not None:
            moments.append(self.last_opened)
        return max(moments, default=None)


def read_snapshot(path: Path) -> StoreSnapshot:
    """Read the progress file at ``path`` (or a home folder holding one) without changing anything.

    Raises Unreadable when there is no such file, it is damaged, or a newer tui-tutor wrote it.
    """
    path = Path(path)
    if path.is_dir():
        path = path / DB_NAME
    if not path.is_file():
        raise Unreadable("no progress file yet")
    wal = path.with_name(path.name + "-wal")
    for _ in range(3):
        if wal.exists():
            return _read(path, _shared(path))
        snapshot = _read(path, _immutable(path))
        if not wal.exists():
            return snapshot
        # A tutor opened the file while it was read: what it wrote is in the -wal; read again.
    raise Unreadable("the file kept changing while it was read")


def _immutable(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(path.resolve().as_uri() + "?immutable=1", uri=True, timeout=BUSY_TIMEOUT)
    except sqlite3.Error as err:
        raise Unreadable(f"cannot open it ({err})") from None


def _shared(path: Path) -> sqlite3.Connection:
    conn = schema.open_read_only(path)
    if conn is None:
        raise Unreadable("cannot open it")
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    return conn


def _read(path: Path, conn: sqlite3.Connection) -> StoreSnapshot:
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.latest_version():
            raise Unreadable(f"written by a newer tui-tutor (schema v{version})")
        if version < schema.latest_version():
            copy = schema.copy_to_memory(conn)  # migrated in memory, as the store would; closes conn
            if copy is None:
                raise Unreadable("its older schema could not be read")
            conn = copy
        rows = conn.execute(f"SELECT {', '.join(CSV_COLUMNS)} FROM attempts ORDER BY id").fetchall()
        opened = conn.execute("SELECT value FROM settings WHERE key = '_last_opened'").fetchall()
        attempts = [attempt_from_row(row) for row in rows]
        last = datetime.fromisoformat(json.loads(opened[0][0])) if opened else None
    except sqlite3.Error as err:
        if schema.is_damage(err):
            raise Unreadable("the file is damaged") from None
        raise Unreadable(f"cannot read it ({err})") from None
    except (ValueError, TypeError) as err:  # a row a tutor would not have written
        raise Unreadable(f"it holds a record that does not read ({err})") from None
    finally:
        conn.close()
    return StoreSnapshot(path, attempts, last, version)


__all__ = ["StoreSnapshot", "Unreadable", "read_snapshot"]
