"""Schema versions: a v1 file made by hand opens, keeps its rows, and upgrades all or nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

import shutil
from pathlib import Path

from tui_tutor.progress import schema
from tui_tutor.progress.mastery import mastery_by_skill
from tui_tutor.progress.review import due
from tui_tutor.progress.store import ProgressStore

# Written by the v1 code itself (tests/progress/fixtures/make_v1.py, run at main 3569f46): every
# mode, a diagnosis, hints, a viewed solution, a variant seed, a formula-like and a Unicode answer.
V1_FIXTURE = Path(__file__).parent / "fixtures" / "progress-v1.sqlite3"

# The v1 schema written out by hand, not imported: if someone edits migration 1 in place (which
# would break files already in the wild), this file stops matching and the tests say so.
V1_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY, item_id TEXT NOT NULL, variant_seed INTEGER,
    skills TEXT NOT NULL DEFAULT '[]', answer TEXT NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    score REAL NOT NULL CHECK (score BETWEEN 0 AND 1), diagnosis TEXT,
    hints_used INTEGER NOT NULL DEFAULT 0 CHECK (hints_used >= 0),
    solution_shown INTEGER NOT NULL DEFAULT 0 CHECK (solution_shown IN (0, 1)),
    seconds REAL NOT NULL DEFAULT 0,
    mode TEXT NOT NULL CHECK (mode IN ('quiz', 'review', 'practice')), at TEXT NOT NULL);
CREATE INDEX attempts_by_item ON attempts (item_id);
CREATE TABLE hint_reveals (id INTEGER PRIMARY KEY, item_id TEXT NOT NULL, tier INTEGER NOT NULL,
    at TEXT NOT NULL);
CREATE TABLE review_cards (kind TEXT NOT NULL CHECK (kind IN ('item', 'skill', 'mistake')),
    key TEXT NOT NULL, card TEXT NOT NULL, due REAL NOT NULL, skills TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (kind, key));
CREATE INDEX review_cards_by_due ON review_cards (due);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO attempts (item_id, skills, answer, correct, score, hints_used, mode, at)
    VALUES ('jac-1', '["jacobian"]', '[[2*x, 0]]', 1, 1.0, 1, 'quiz', '2025-12-01T10:00:00+00:00');
INSERT INTO settings VALUES ('theme', '"dark"');
PRAGMA user_version = 1;
"""

NEXT_EXAMPLE = (
    "ALTER TABLE attempts ADD COLUMN confidence REAL",
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)",
)


@pytest.fixture
def v1_file(home):
    home.mkdir()
    path = home / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.close()
    return path


def _version_and_tables(path):
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return version, tables
    finally:
        conn.close()


def _count_attempts(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
    finally:
        conn.close()


def test_new_file_is_created_at_the_latest_version(store):
    assert _version_and_tables(store.path) == (
        schema.latest_version(),
        {"attempts", "hint_reveals", "review_cards", "settings"},
    )


def test_hand_made_v1_file_opens_with_its_rows(v1_file, clock):
    with ProgressStore(now=clock) as s:
        assert s.notice is None and s.read_only is False
        [old] = s.attempts()
        assert (old.item_id, old.skills, old.hints_used) == ("jac-1", ("jacobian",), 1)
        assert old.at.year == 2025 and old.correct is True
        assert s.get_setting("theme") == "dark"
    assert _version_and_tables(v1_file)[0] == schema.latest_version()


def test_v1_file_is_migrated_by_a_later_migration(v1_file, clock, monkeypatch, make_attempt):
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, NEXT_EXAMPLE])
    with ProgressStore(now=clock) as s:
        assert s.notice is None
        s.record_attempt(make_attempt("new"))
        assert [a.item_id for a in s.attempts()] == ["jac-1", "new"]
    version, tables = _version_and_tables(v1_file)
    assert version == len(schema.MIGRATIONS) == 3 and "notes" in tables
    conn = sqlite3.connect(v1_file)
    assert "confidence" in {row[1] for row in conn.execute("PRAGMA table_info(attempts)")}
    conn.close()


def test_a_failing_migration_changes_nothing_and_keeps_the_file(v1_file, clock, monkeypatch):
    # A migration that fails only on this learner's data (a second attempt at the same item).
    conn = sqlite3.connect(v1_file)
    conn.execute("INSERT INTO attempts (item_id, answer, correct, score, mode, at) "
                 "VALUES ('jac-1', 'x', 0, 0, 'quiz', '2025-12-02T10:00:00+00:00')")  # fmt: skip
    conn.commit()
    conn.close()
    broken = ("CREATE TABLE half_done (x)", "CREATE UNIQUE INDEX one_each ON attempts (item_id)")
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    with ProgressStore(now=clock) as s:
        assert s.read_only is True and "could not open" in s.notice
    version, tables = _version_and_tables(v1_file)
    assert version == 1 and "half_done" not in tables  # rolled back as one transaction
    assert _count_attempts(v1_file) == 2
    assert list(v1_file.parent.glob("*.damaged-*")) == []  # a bug of ours is not damage


def _raw_attempts(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT id, item_id, variant_seed, skills, answer, correct, score, diagnosis, hints_used, "
            "solution_shown, seconds, mode, at FROM attempts ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_a_file_written_by_the_v1_code_migrates_without_losing_an_attempt(home, clock):
    home.mkdir()
    path = home / "progress.sqlite3"
    shutil.copyfile(V1_FIXTURE, path)
    before = _raw_attempts(path)
    assert len(before) == 7 and _version_and_tables(path)[0] == 1
    with ProgressStore(now=clock) as s:
        assert s.notice is None and not s.read_only
        after = s.attempts()
        # Every attempt, every field, as it was written.
        assert [
            (a.id, a.item_id, a.variant_seed, list(a.skills), a.answer, a.correct, a.score, a.diagnosis,
             a.hints_used, a.solution_shown, a.seconds, a.mode, a.at.isoformat())
            for a in after
        ] == [(r[0], r[1], r[2], json.loads(r[3]), r[4], bool(r[5]), r[6], r[7], r[8], bool(r[9]), r[10],
               r[11], r[12]) for r in before]  # fmt: skip
        # Try numbers are inferred: the right answer after a wrong one was the second try.
        assert [a.try_number for a in after] == [1, 2, 1, 1, 2, 1, 1]
        assert len(s.hints()) == 1 and s.get_setting("theme") == "nord"
        assert len(s.cards()) == 10 and due(s, clock.moment.replace(year=2027))  # the schedule survived
        assert mastery_by_skill(after, ["shapes"])["shapes"].attempts == 2
    assert _version_and_tables(path)[0] == schema.latest_version() == 2
    assert len(_raw_attempts(path)) == 7
