"""The progress database's schema, its migrations, and how a file is opened and checked.

The schema version lives in ``PRAGMA user_version``. ``MIGRATIONS[n - 1]`` holds the statements
that take a database from version ``n - 1`` to ``n``; to change the schema, append a new tuple
(never edit a released one: files in the wild were built by it). All pending migrations run in one
transaction, so a file is either at its old version or at the newest, never half-way.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

MIGRATIONS: list[tuple[str, ...]] = [
    # v1: the first schema.
    (
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL,
            variant_seed INTEGER,
            skills TEXT NOT NULL DEFAULT '[]',          -- JSON list of skill ids
            answer TEXT NOT NULL,
            correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
            score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
            diagnosis TEXT,
            hints_used INTEGER NOT NULL DEFAULT 0 CHECK (hints_used >= 0),
            solution_shown INTEGER NOT NULL DEFAULT 0 CHECK (solution_shown IN (0, 1)),
            seconds REAL NOT NULL DEFAULT 0,
            mode TEXT NOT NULL CHECK (mode IN ('quiz', 'review', 'practice')),
            at TEXT NOT NULL                            -- ISO 8601, UTC
        )""",
        "CREATE INDEX attempts_by_item ON attempts (item_id)",
        """CREATE TABLE hint_reveals (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL,
            tier INTEGER NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE review_cards (
            kind TEXT NOT NULL CHECK (kind IN ('item', 'skill', 'mistake')),
            key TEXT NOT NULL,
            card TEXT NOT NULL,                         -- fsrs.Card.to_dict() as JSON
            due REAL NOT NULL,                          -- epoch seconds, for the due query
            skills TEXT NOT NULL DEFAULT '[]',          -- JSON list (where a mistake was made)
            PRIMARY KEY (kind, key)
        )""",
        "CREATE INDEX review_cards_by_due ON review_cards (due)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",  # value is JSON
    ),
    # v2: which try at its question an attempt was (progress.scoring). For attempts recorded before,
    # it is inferred: 1 + the answers to the same item with the same numbers since it was last
    # answered correctly (a sitting was not recorded, so a quiz retaken later continues a run).
    (
        "ALTER TABLE attempts ADD COLUMN try_number INTEGER NOT NULL DEFAULT 1 CHECK (try_number >= 1)",
        """UPDATE attempts SET try_number = 1 + (
            SELECT COUNT(*) FROM attempts AS e
            WHERE e.item_id = attempts.item_id AND e.variant_seed IS attempts.variant_seed
              AND e.id < attempts.id
              AND e.id > COALESCE((
                  SELECT MAX(c.id) FROM attempts AS c
                  WHERE c.item_id = attempts.item_id AND c.variant_seed IS attempts.variant_seed
                    AND c.correct = 1 AND c.id < attempts.id), 0))""",
    ),
]

# Primary result codes (the low byte of sqlite_errorcode) that mean "this file is not a healthy
# database": such a file is moved aside. Anything else is never treated as damage, so a busy or
# unwritable disk can never cost a learner their file.
_DAMAGED_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
# Codes that mean "we may not write here": the store keeps working in memory instead.
_UNWRITABLE_CODES = {3, 8, 10, 13, 14}  # PERM, READONLY, IOERR, FULL, CANTOPEN


class DamagedDatabase(Exception):
    """The file exists but is not a healthy SQLite database."""


class NewerSchema(Exception):
    """The file was written by a newer tui-tutor whose schema this one does not know."""

    def __init__(self, version: int) -> None:
        super().__init__(f"schema version {version}")
        self.version = version


def latest_version() -> int:
    """The schema version this code writes."""
    return len(MIGRATIONS)


def _primary_code(err: sqlite3.Error) -> int | None:
    code = getattr(err, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_damage(err: sqlite3.Error) -> bool:
    """True when sqlite reports the file itself as corrupt or not a database."""
    return _primary_code(err) in _DAMAGED_CODES


def is_unwritable(err: sqlite3.Error) -> bool:
    """True when sqlite reports it may not (or cannot) write the file or its folder."""
    return _primary_code(err) in _UNWRITABLE_CODES


def connect(target: str | Path) -> sqlite3.Connection:
    """A connection in autocommit mode (``isolation_level=None``).

    Autocommit means a statement outside an explicit ``BEGIN`` is committed when it finishes, and
    the store wraps multi-statement writes in explicit transactions, so nothing waits in an open
    transaction for a later ``commit()`` that a crash would skip. ``check_same_thread`` is off
    because the app may record from a worker thread; the store serialises access with a lock.
    The 5 s timeout lets a second tui-tutor process (say ``tui-tutor progress`` while the app is
    open) wait for a write lock instead of failing.
    """
    return sqlite3.connect(str(target), isolation_level=None, check_same_thread=False, timeout=5.0)


def check_health(conn: sqlite3.Connection) -> None:
    """Raise DamagedDatabase unless ``PRAGMA quick_check`` says ``ok``.

    quick_check reads every page (cheap at tui-tutor's size: thousands of rows), so a file damaged
    in the middle is caught at start-up rather than on some later read the learner cannot recover.
    """
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as err:
        if is_damage(err):
            raise DamagedDatabase(str(err)) from err
        raise
    if rows != [("ok",)]:
        raise DamagedDatabase("; ".join(str(row[0]) for row in rows[:3]))


def configure_durability(conn: sqlite3.Connection) -> None:
    """WAL journal with ``synchronous=FULL``.

    In WAL mode a commit appends to the -wal file; once ``write()`` returns the data is in the
    operating system's page cache, which outlives the process, so even ``synchronous=NORMAL``
    survives ``kill -9``. FULL additionally fsyncs the WAL on every commit, so a recorded attempt
    also survives a power cut or OS crash. Attempts arrive at human speed (seconds apart), so the
    extra fsync costs nothing a learner could notice; losing an answer they saw "saved" would.
    """
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to the latest schema; return the version it was at before.

    The version is read after ``BEGIN IMMEDIATE`` takes the write lock, so two processes opening
    a new file at once cannot both try to create the tables.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = conn.execute("PRAGMA user_version").fetchone()[0]
        if before > latest_version():
            raise NewerSchema(before)
        for version in range(before + 1, latest_version() + 1):
            for statement in MIGRATIONS[version - 1]:
                conn.execute(statement)
        if before < latest_version():
            # user_version sits in the file header, so it commits or rolls back with the tables.
            conn.execute(f"PRAGMA user_version = {latest_version()}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return before


def check_read_only(path: Path) -> None:
    """Raise DamagedDatabase if the existing file at ``path`` is damaged, without changing it.

    The check runs on a read-only connection because closing a read-write one checkpoints the
    -wal file into the damaged database and deletes it, so the copy moved aside would no longer
    be the file as the learner's machine left it. Anything short of damage (say the file cannot
    be opened at all) is left for the read-write open to report.
    """
    conn = open_read_only(path)
    if conn is None:
        return
    try:
        check_health(conn)
    except sqlite3.Error:
        pass
    finally:
        conn.close()


def open_read_only(path: Path) -> sqlite3.Connection | None:
    """A connection that cannot change the file at ``path``, or None if there is no such file.

    In a folder that cannot be written a WAL database cannot even be read in place: sqlite needs
    to create its ``-shm`` file first. Then the file and its ``-wal`` (the latest commits) are
    copied to a private temporary folder and read from there into memory, so the learner's
    history is shown even on a read-only mount.
    """
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        conn = None
    if conn is not None:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error as err:
            if is_damage(err):
                return conn  # the caller's health check says what is wrong with it
            conn.close()
    return _read_copy(path)


def _read_copy(path: Path) -> sqlite3.Connection | None:
    """The database at ``path`` (with its -wal) as an in-memory connection, read from a copy."""
    folder = tempfile.mkdtemp(prefix="tui-tutor-progress-")
    try:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        source = sqlite3.connect(copy)
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            source.backup(memory)
        finally:
            source.close()
        return memory
    except (OSError, sqlite3.Error):
        return None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def copy_to_memory(source: sqlite3.Connection) -> sqlite3.Connection | None:
    """An in-memory copy of ``source`` at the current schema, or None if it cannot be had."""
    memory = connect(":memory:")
    try:
        source.backup(memory)
        migrate(memory)
    except (sqlite3.Error, NewerSchema):
        memory.close()
        return None
    finally:
        source.close()
    return memory
