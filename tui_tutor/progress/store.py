"""ProgressStore: the learner's attempts, hints, review cards and settings in one SQLite file.

The file is ``progress.sqlite3`` in ``paths.home_dir()``. Every write is committed before the call
returns (see ``schema.configure_durability`` for why that survives ``kill -9``). Opening never
fails on the learner's account: a damaged file is moved aside and a fresh one started; a folder
that cannot be written leaves the store working in memory. Either way ``notice`` carries one line
for the screen to show, and ``read_only`` says whether anything is being saved.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from fsrs import Card

from tui_tutor.paths import HOME_ENV, home_dir
from tui_tutor.progress import schema
from tui_tutor.progress.records import Attempt, CardKind, HintReveal, ReviewCard, as_utc, utc_now
from tui_tutor.progress.schema import DamagedDatabase, NewerSchema, is_damage, is_unwritable
from tui_tutor.spreadsheet import write_rows

DB_NAME = "progress.sqlite3"
CSV_COLUMNS = (
    "id", "at", "item_id", "variant_seed", "skills", "answer", "correct", "score", "diagnosis",
    "hints_used", "solution_shown", "seconds", "mode", "try_number",
)  # fmt: skip
# Tables a reset empties. Settings (theme, last screen, lesson position) are preferences and stay.
_PROGRESS_TABLES = ("attempts", "hint_reveals", "review_cards")
# The module-level hook tests replace to simulate a filesystem that refuses writes.
_connect = schema.connect

T = TypeVar("T")


class ProgressStore:
    """The progress database, opened (and created or repaired) on construction."""

    def __init__(
        self, path: str | Path | None = None, *, now: Callable[[], datetime] = utc_now
    ) -> None:
        """Open ``path`` (default: ``progress.sqlite3`` in ``home_dir()``); ``now`` is the clock."""
        self.path = Path(path) if path is not None else home_dir() / DB_NAME
        self.now = now
        self.notice: str | None = None
        self.read_only = False
        self._lock = threading.RLock()
        self._identity: tuple[int, int] | None = None  # the database file this connection writes
        self._wal_identity: tuple[int, int] | None = None  # and its -wal, once a write made one
        self._conn = self._open()

    # -- opening -------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            return self._in_memory(self._unsaved_notice(_folder_cause(self.path.parent, err)))
        if self.path.is_dir():
            return self._in_memory(
                f"Progress is not being saved: {self.path} is a folder, where the progress file "
                "should be; move it out of the way and start again."
            )
        was_empty = self.path.is_file() and self.path.stat().st_size == 0
        try:
            schema.check_read_only(self.path)
            conn = self._open_file()
            if was_empty:
                self.notice = (
                    f"Your progress file {self.path} was empty (0 bytes), so no earlier progress "
                    "could be read from it; it was started afresh."
                )
            return conn
        except DamagedDatabase:
            return self._replace_damaged()
        except NewerSchema as err:
            return self._in_memory(
                f"Progress is not being saved: {self.path} was written by a newer tui-tutor "
                f"(schema v{err.version})."
            )
        except sqlite3.Error as err:
            if is_damage(err):
                return self._replace_damaged()
            if is_unwritable(err):
                # Show the history that is there even though new answers cannot be added to it.
                return self._in_memory(self._unsaved_notice(_sqlite_cause(self.path, err)),
                                       schema.open_read_only(self.path))
            # Unknown trouble (a failed migration, say): never move a possibly good file aside.
            return self._in_memory(
                f"Progress is not being saved: could not open {self.path} ({err})."
            )

    def _open_file(self) -> sqlite3.Connection:
        self._identity = self._wal_identity = None
        conn = _connect(self.path)
        try:
            schema.configure_durability(conn)  # first read of the header: NOTADB shows up here
            schema.check_health(conn)
            schema.migrate(conn)
            # A real, committed write is the only sure test that we may write here: tests and
            # containers run as root, where permission bits on the folder say nothing.
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('_last_opened', ?)",
                (json.dumps(as_utc(self.now()).isoformat()),),
            )
        except BaseException:
            conn.close()
            raise
        self._identity = _identity(self.path)
        self._wal_identity = _identity(self._wal)
        return conn

    @property
    def _wal(self) -> Path:
        return self.path.with_name(self.path.name + "-wal")

    def _check_file(self) -> None:
        """Before a write: is the file this connection writes still the one at ``self.path``?

        A deleted ``-wal`` keeps working through the open handle, so every later commit would go
        to a file no one can find (a kill then lost them); a deleted or replaced database file the
        same. Caught here, at the next write, and said.
        """
        if self.read_only or self._identity is None:
            return
        current = _identity(self.path)
        if current is not None and current != self._identity:
            ours = self._wal_identity is not None and _identity(self._wal) == self._wal_identity
            self._conn = self._in_memory(
                f"Progress is not being saved: {self.path} was replaced by another file while the "
                "tutor was running; this session's answers are kept until you quit.",
                source=self._conn,
            )
            if ours:  # our -wal beside the new file would be replayed into it on its next open
                for side in (self._wal, self.path.with_name(self.path.name + "-shm")):
                    side.unlink(missing_ok=True)
        elif current is None:
            self._rewrite(f"{self.path} was deleted while the tutor was running; it was written "
                          "again from this session's copy.")
        elif self._wal_identity is not None and _identity(self._wal) != self._wal_identity:
            # Closing checkpoints the commits still in the (deleted) -wal into the file.
            self._conn.close()
            self._conn = self._open_file()
            self.notice = (f"{self._wal.name} was deleted while the tutor was running; the answers "
                           f"in it were saved into {self.path.name}.")

    def _rewrite(self, notice: str) -> None:
        """Write this connection's view of the database to a new file at ``self.path``."""
        memory = sqlite3.connect(":memory:")
        try:
            self._conn.backup(memory)
            self._conn.close()
            for suffix in ("-wal", "-shm"):  # the deleted file's: they must not meet the new one
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            fresh = sqlite3.connect(self.path)
            memory.backup(fresh)
            fresh.close()
            self._conn = self._open_file()
            self.notice = notice
        except (OSError, sqlite3.Error, DamagedDatabase, NewerSchema) as err:
            self._conn = self._in_memory(self._unsaved_notice(_sqlite_cause(self.path, err)), source=memory)
            return
        memory.close()

    def _replace_damaged(self) -> sqlite3.Connection:
        name = f"{self.path.name}.damaged-{self._stamp()}"
        aside = _unused(lambda n: self.path.with_name(name + n))
        try:
            self.path.rename(aside)
            # The -wal/-shm files belong to the damaged file; left behind, sqlite would try to
            # replay them into the fresh one. Renamed beside it, opening the copy still finds them.
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.rename(aside.with_name(aside.name + suffix))
        except OSError:
            return self._in_memory(
                f"Progress is not being saved: {self.path} is damaged and could not be moved aside."
            )
        try:
            conn = self._open_file()
        except (sqlite3.Error, DamagedDatabase, NewerSchema):
            return self._in_memory(self._unsaved_notice())
        self.notice = (
            f"Your progress file was damaged; it was moved to {aside} and a fresh one started."
        )
        return conn

    def _in_memory(
        self, notice: str, source: sqlite3.Connection | None = None
    ) -> sqlite3.Connection:
        """Switch to an unsaved in-memory database, seeded from ``source`` when it can be read."""
        conn = schema.copy_to_memory(source) if source is not None else None
        if conn is None:
            conn = schema.connect(":memory:")
            schema.migrate(conn)
        self.read_only = True
        self.notice = notice
        return conn

    def _unsaved_notice(self, cause: str | None = None) -> str:
        return f"Progress is not being saved: {cause or f'{self.path.parent} is read-only'}."

    def _stamp(self) -> str:
        # No colons: the name must be valid on Windows too.
        return as_utc(self.now()).strftime("%Y%m%dT%H%M%SZ")

    # -- plumbing ------------------------------------------------------------------------------

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one committed transaction, falling back to memory if the disk refuses."""
        with self._lock:
            self._check_file()
            try:
                result = _transaction(self._conn, work)
            except sqlite3.Error as err:
                if self.read_only or not is_unwritable(err):
                    raise
                # Carry this session's history over (the copy closes the failed connection).
                self._conn = self._in_memory(self._unsaved_notice(_sqlite_cause(self.path, err)), source=self._conn)
                return _transaction(self._conn, work)
            if not self.read_only and self._wal_identity is None:
                self._wal_identity = _identity(self._wal)  # the -wal appears with the first write
            return result

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    # -- attempts and hints --------------------------------------------------------------------

    def record_attempt(self, attempt: Attempt) -> int:
        """Save ``attempt`` (stamped with the clock unless it has ``at``); return its id.

        When this returns, the attempt is committed to disk (unless ``read_only``).
        """
        at = attempt.at or as_utc(self.now())
        row = (
            attempt.item_id, attempt.variant_seed, json.dumps(list(attempt.skills)), attempt.answer,
            int(attempt.correct), float(attempt.score), attempt.diagnosis, attempt.hints_used,
            int(attempt.solution_shown), float(attempt.seconds), attempt.mode, at.isoformat(),
            attempt.try_number,
        )  # fmt: skip
        sql = (
            "INSERT INTO attempts (item_id, variant_seed, skills, answer, correct, score, "
            "diagnosis, hints_used, solution_shown, seconds, mode, at, try_number) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        return self._write(lambda conn: int(conn.execute(sql, row).lastrowid))

    def attempts(self, item_id: str | None = None, skill: str | None = None) -> list[Attempt]:
        """Attempts in the order they were recorded, optionally only one item's or one skill's."""
        where, params = [], []
        if item_id is not None:
            where.append("item_id = ?")
            params.append(item_id)
        if skill is not None:
            where.append("EXISTS (SELECT 1 FROM json_each(attempts.skills) WHERE value = ?)")
            params.append(skill)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        columns = ", ".join(CSV_COLUMNS)
        rows = self._read(f"SELECT {columns} FROM attempts{clause} ORDER BY id", params)
        return [attempt_from_row(row) for row in rows]

    def attempt_count(self) -> int:
        """How many attempts are stored."""
        return int(self._read("SELECT COUNT(*) FROM attempts")[0][0])

    def record_hint(self, item_id: str, tier: int) -> None:
        """Note that hint ``tier`` was revealed for ``item_id`` now."""
        at = as_utc(self.now()).isoformat()
        self._write(
            lambda conn: conn.execute(
                "INSERT INTO hint_reveals (item_id, tier, at) VALUES (?, ?, ?)", (item_id, tier, at)
            )
        )

    def hints(self, item_id: str | None = None) -> list[HintReveal]:
        """Hint reveals in order, optionally for one item only."""
        if item_id is None:
            rows = self._read("SELECT item_id, tier, at FROM hint_reveals ORDER BY id")
        else:
            rows = self._read(
                "SELECT item_id, tier, at FROM hint_reveals WHERE item_id = ? ORDER BY id",
                (item_id,),
            )
        return [HintReveal(item, tier, datetime.fromisoformat(at)) for item, tier, at in rows]

    # -- review cards --------------------------------------------------------------------------

    def card(self, kind: CardKind, key: str) -> ReviewCard | None:
        """The stored review card for (``kind``, ``key``), or None if there is none yet."""
        rows = self._read(
            "SELECT kind, key, card, skills FROM review_cards WHERE kind = ? AND key = ?",
            (kind, key),
        )
        return card_from_row(rows[0]) if rows else None

    def cards(
        self, kind: CardKind | None = None, due_by: datetime | None = None
    ) -> list[ReviewCard]:
        """Review cards, earliest due first; optionally of one kind, or only those due by then."""
        where, params = [], []
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if due_by is not None:
            where.append("due <= ?")
            params.append(as_utc(due_by).timestamp())
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._read(
            f"SELECT kind, key, card, skills FROM review_cards{clause} ORDER BY due, kind, key",
            params,
        )
        return [card_from_row(row) for row in rows]

    def save_cards(self, cards: Iterable[ReviewCard]) -> None:
        """Insert or replace review cards, all in one transaction."""
        rows = [
            (c.kind, c.key, json.dumps(c.card.to_dict()), as_utc(c.card.due).timestamp(),
             json.dumps(list(c.skills)))
            for c in cards
        ]  # fmt: skip
        self._write(
            lambda conn: conn.executemany(
                "INSERT OR REPLACE INTO review_cards (kind, key, card, due, skills) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
        )

    # -- settings ------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``, or ``default``."""
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        """Store ``value`` (anything ``json.dumps`` accepts) under ``key``."""
        text = json.dumps(value)  # raises TypeError here, before touching the file
        self._write(
            lambda conn: conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, text)
            )
        )

    # -- whole-file operations -----------------------------------------------------------------

    def export_csv(self, path: str | Path) -> int:
        """Write every attempt to ``path`` as CSV (skills joined by ';'); return the row count.

        Text that a spreadsheet would run as a formula (an answer typed as ``=...``) is quoted:
        see :mod:`tui_tutor.spreadsheet`.
        """
        attempts = self.attempts()
        rows = (
            [
                a.id, a.at.isoformat() if a.at else "", a.item_id,
                "" if a.variant_seed is None else a.variant_seed, ";".join(a.skills), a.answer,
                int(a.correct), a.score, a.diagnosis or "", a.hints_used,
                int(a.solution_shown), a.seconds, a.mode, a.try_number,
            ]
            for a in attempts
        )  # fmt: skip
        with open(path, "w", newline="", encoding="utf-8") as handle:
            write_rows(handle, [CSV_COLUMNS])
            write_rows(handle, rows)
        return len(attempts)

    def backup(self) -> Path:
        """Copy the database to ``progress-backup-<UTC timestamp>.sqlite3`` beside it.

        Uses sqlite's backup API rather than a file copy: recent commits may still sit in the
        -wal file, which a plain copy of ``progress.sqlite3`` would silently leave out.
        """
        stem = f"progress-backup-{self._stamp()}"
        target = _unused(lambda n: self.path.with_name(f"{stem}{n}.sqlite3"))
        dest = sqlite3.connect(target)
        try:
            with self._lock:
                self._conn.backup(dest)
        except BaseException:
            dest.close()
            target.unlink(missing_ok=True)  # a half-written backup would only mislead
            raise
        dest.close()
        return target

    def reset(self, backup: bool = True) -> Path | None:
        """Erase attempts, hint reveals and review cards (settings stay); return the backup path.

        The backup is taken first and a failure to take it raises before anything is erased.
        Returns None when no backup was asked for, or when ``read_only`` (nothing on disk to keep).
        """
        saved = self.backup() if backup and not self.read_only else None

        def clear(conn: sqlite3.Connection) -> None:
            for table in _PROGRESS_TABLES:
                conn.execute(f"DELETE FROM {table}")

        self._write(clear)
        return saved

    def close(self) -> None:
        """Close the database; safe to call twice."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _transaction(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return result


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at ``path``, or None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _folder_cause(folder: Path, err: OSError) -> str:
    """Why the settings folder cannot be made, in words a person can act on."""
    if isinstance(err, FileExistsError) or (folder.exists() and not folder.is_dir()):
        return f"{folder} is a file, not a folder; move it away, or set {HOME_ENV} to a folder"
    if isinstance(err, NotADirectoryError):
        blocker = next((p for p in folder.parents if p.exists() and not p.is_dir()), folder.parent)
        return f"{folder} cannot be made: {blocker} is a file, not a folder"
    if err.errno == errno.ENOSPC:
        return f"the disk holding {folder.parent} is full"
    return f"{folder} is read-only"


def _sqlite_cause(path: Path, err: BaseException) -> str:
    """Why sqlite would not write ``path``: a full disk is not a read-only folder."""
    code = getattr(err, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if primary == 13 or getattr(err, "errno", None) == errno.ENOSPC:  # SQLITE_FULL
        return f"the disk holding {path.parent} is full"
    if primary == 10:  # SQLITE_IOERR
        return f"the disk reported an error writing {path}"
    return f"{path.parent} is read-only"


def _unused(name_for: Callable[[str], Path]) -> Path:
    """``name_for("")``, or with "-2", "-3"... appended if a file of that name already exists."""
    candidate, n = name_for(""), 1
    while candidate.exists():
        n += 1
        candidate = name_for(f"-{n}")
    return candidate


def attempt_from_row(row: tuple) -> Attempt:
    """An Attempt from a row of ``SELECT`` the ``CSV_COLUMNS`` (also used by ``progress.reader``)."""
    (id_, at, item_id, seed, skills, answer, correct, score, diagnosis, hints, shown, seconds,
     mode, try_number) = row  # fmt: skip
    return Attempt(
        item_id=item_id, answer=answer, correct=bool(correct), score=score,
        skills=tuple(json.loads(skills)), variant_seed=seed, diagnosis=diagnosis,
        hints_used=hints, solution_shown=bool(shown), seconds=seconds, mode=mode,
        try_number=try_number, at=datetime.fromisoformat(at), id=id_,
    )  # fmt: skip


def card_from_row(row: tuple) -> ReviewCard:
    """A ReviewCard from a row of ``SELECT kind, key, card, skills`` (also used by ``progress.reader``)."""
    kind, key, card, skills = row
    return ReviewCard(kind, key, Card.from_dict(json.loads(card)), tuple(json.loads(skills)))
