"""ProgressStore on a healthy, writable folder: what goes in comes back out, and stays."""

from __future__ import annotations

import csv
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from tui_tutor.progress.records import Attempt
from tui_tutor.progress.store import ProgressStore


def test_store_lives_in_tui_tutor_home(store, home):
    assert store.path == home / "progress.sqlite3"
    assert store.path.is_file()
    assert store.read_only is False and store.notice is None


def test_recorded_attempt_reads_back_field_for_field(store, clock):
    sent = Attempt(
        item_id="jac-2x2", answer="[[y, x], [1, 1]]", correct=False, score=0.5,
        skills=["jacobian", "chain"], variant_seed=42, diagnosis="transposed", hints_used=2,
        solution_shown=True, seconds=31.5, mode="practice",
    )  # fmt: skip
    new_id = store.record_attempt(sent)
    [back] = store.attempts()
    assert back.id == new_id
    assert back.at == clock()
    assert back.at.tzinfo is not None and back.at.utcoffset() == timedelta(0)
    for name in ("item_id", "answer", "correct", "score", "variant_seed", "diagnosis",
                 "hints_used", "solution_shown", "seconds", "mode"):  # fmt: skip
        assert getattr(back, name) == getattr(sent, name), name
    assert back.skills == ("jacobian", "chain")


def test_attempts_filter_by_item_and_by_skill(store, make_attempt):
    store.record_attempt(make_attempt("a", skills=["chain", "product"]))
    store.record_attempt(make_attempt("b", skills=["product"]))
    store.record_attempt(make_attempt("a", skills=["chain"]))
    assert [a.item_id for a in store.attempts(skill="product")] == ["a", "b"]
    assert [a.skills for a in store.attempts(item_id="a")] == [("chain", "product"), ("chain",)]
    assert store.attempts(item_id="a", skill="product")[0].skills == ("chain", "product")
    assert store.attempts(skill="chai") == []  # whole skill names only, not substrings
    assert store.attempt_count() == 3


def test_attempts_survive_closing_and_reopening(home, clock, make_attempt):
    with ProgressStore(now=clock) as first:
        ids = [first.record_attempt(make_attempt(f"q{i}")) for i in range(3)]
        first.set_setting("theme", "dark")
    with ProgressStore(now=clock) as again:
        assert [a.id for a in again.attempts()] == ids
        assert again.get_setting("theme") == "dark"


def test_every_attempt_is_committed_before_record_returns(store, make_attempt):
    store.record_attempt(make_attempt())
    # A second, independent connection sees the row at once: nothing waits for a later commit.
    other = sqlite3.connect(store.path)
    try:
        assert other.execute("SELECT COUNT(*) FROM attempts").fetchone() == (1,)
    finally:
        other.close()


def test_file_is_wal_with_full_sync(store):
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # 2 = FULL


def test_settings_round_trip_json_and_default(store):
    assert store.get_setting("lesson_position", {"section": 0}) == {"section": 0}
    store.set_setting("sections_read", ["intro", "jacobian"])
    store.set_setting("sections_read", ["intro", "jacobian", "pullback"])
    assert store.get_setting("sections_read") == ["intro", "jacobian", "pullback"]
    with pytest.raises(TypeError):
        store.set_setting("bad", object())


def test_hint_reveals_are_kept_in_order(store, clock):
    store.record_hint("q1", 1)
    clock.advance(seconds=10)
    store.record_hint("q1", 2)
    store.record_hint("q2", 1)
    assert [(h.item_id, h.tier) for h in store.hints("q1")] == [("q1", 1), ("q1", 2)]
    assert store.hints("q1")[1].at == clock()
    assert len(store.hints()) == 3


def test_bad_attempts_are_refused_before_saving(store):
    with pytest.raises(ValueError):
        Attempt("q", "x", True, score=1.5)
    with pytest.raises(ValueError):
        Attempt("q", "x", True, score=1.0, mode="exam")
    with pytest.raises(ValueError):
        Attempt("q", "x", True, score=1.0, at=datetime(2026, 1, 1))  # naive: which zone?
    assert store.attempt_count() == 0


def test_export_csv_has_a_header_and_one_row_per_attempt(store, make_attempt, tmp_path):
    store.record_attempt(make_attempt("q1", answer='x, "y"', skills=["chain", "product"]))
    store.record_attempt(make_attempt("q2", correct=False, diagnosis="sign", variant_seed=7))
    out = tmp_path / "attempts.csv"
    assert store.export_csv(out) == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["item_id"] for r in rows] == ["q1", "q2"]
    assert rows[0]["answer"] == 'x, "y"' and rows[0]["skills"] == "chain;product"
    assert rows[1]["correct"] == "0" and rows[1]["diagnosis"] == "sign"
    assert rows[1]["variant_seed"] == "7" and rows[0]["variant_seed"] == ""


def test_reset_keeps_a_backup_then_clears_progress_but_not_settings(store, make_attempt, clock):
    store.record_attempt(make_attempt())
    store.record_hint("q1", 1)
    store.set_setting("theme", "light")
    backup = store.reset()
    assert backup == store.path.with_name("progress-backup-20260301T090000Z.sqlite3")
    assert store.attempt_count() == 0 and store.hints() == []
    assert store.get_setting("theme") == "light"
    with ProgressStore(backup) as kept:
        assert kept.attempt_count() == 1  # includes rows that were only in the -wal file
    # A second reset in the same second does not overwrite the first backup.
    assert store.reset() == backup.with_name("progress-backup-20260301T090000Z-2.sqlite3")


def test_reset_without_backup_writes_no_file(store, make_attempt, home):
    store.record_attempt(make_attempt())
    assert store.reset(backup=False) is None
    assert list(home.glob("progress-backup-*")) == []
    assert store.attempt_count() == 0


def test_explicit_path_is_used_instead_of_home(tmp_path, home):
    with ProgressStore(tmp_path / "elsewhere" / "p.sqlite3") as s:
        assert s.path.is_file()
    assert not home.exists()


def test_clock_times_are_stored_in_utc(home, make_attempt):
    east = timezone(timedelta(hours=9))
    with ProgressStore(now=lambda: datetime(2026, 3, 1, 18, 0, tzinfo=east)) as s:
        s.record_attempt(make_attempt())
        assert s.attempts()[0].at == datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
        assert s.attempts()[0].at.utcoffset() == timedelta(0)
