"""``tui-tutor report --class-dir DIR``: every learner's store, read-only, even while it is being written."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.report.quizzes import run_report as report
from tests.terminal import REPO
from tui_tutor.progress.reader import Unreadable, read_snapshot
from tui_tutor.report import command as report_command

V1_FIXTURE = Path(__file__).parents[1] / "progress" / "fixtures" / "progress-v1.sqlite3"


def files_of(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes: what "left exactly as it was" means.

    A -shm file is SQLite's shared-memory index of the -wal, rebuilt by whoever opens the database
    (a reader too); it holds no data, so only its presence counts.
    """
    return {str(p.relative_to(folder)): "index" if p.name.endswith("-shm") else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture
def class_dir(tmp_path, class_quiz):
    """A class folder whose learners are the ones who took the quiz (their real stores), plus odd ones."""
    root = tmp_path / "class"
    for home in (class_quiz / "homes").iterdir():
        shutil.copytree(home, root / "learners" / home.name, ignore=shutil.ignore_patterns("cache", "*.log*"))
    old = root / "learners" / "olga"  # progress written by the previous schema, never migrated by a read
    old.mkdir()
    shutil.copy(V1_FIXTURE, old / "progress.sqlite3")
    newer = root / "learners" / "nina"
    newer.mkdir()
    conn = sqlite3.connect(newer / "progress.sqlite3")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    (root / "learners" / "nobody").mkdir()  # connected once, never answered
    return root


def test_the_class_report_reads_every_store_and_changes_none(class_dir, capsys):
    before = files_of(class_dir)
    code, out, _ = report(capsys, "--class-dir", str(class_dir))
    assert code == 0
    assert files_of(class_dir) == before  # nothing created, migrated or written, no -wal or -shm left
    lines = out.splitlines()
    tables = [line for line in lines if not line.startswith(("Class ", "Left out: "))]
    assert all(cell_len(line) <= 80 for line in tables), max(tables, key=cell_len)
    assert "Left out: nina: written by a newer tui-tutor (schema v99)" in out
    assert "Left out: nobody: no progress file yet" in out

    def row(start: str) -> list[str]:
        return next(line for line in lines if line.startswith(start)).split()

    # Per learner: last seen, attempts, first-try %, skills mastered, the gate.
    assert row("alice")[-6:] == ["4", "100", "1", "of", "3", "locked"]
    assert row("bob")[-6:] == ["8", "0", "0", "of", "3", "locked"]
    assert row("olga")[-6:] == ["7", "20", "0", "of", "3", "locked"]  # the old file's attempts, read as they are
    # The most common mistakes across the class: learners, times, the section to reread.
    assert row("transposed") == ["transposed", "Transposing", "the", "Jacobian", "3", "6", "1.", "TL;DR"]


def test_json_and_csv_carry_mastery_per_skill_and_the_gate(class_dir, capsys):
    code, out, _ = report(capsys, "--class-dir", str(class_dir), "--json")
    data = json.loads(out)
    assert data["report"] == "class" and data["learners"] == 4
    assert any(p.startswith("nina: written by a newer") for p in data["problems"])
    alice = next(r for r in data["tables"]["mastery"] if r["learner"] == "alice")
    assert alice == {"learner": "alice", "shapes": "33", "chain-product": "100*", "gradient-pullback": "33"}
    first = {r["learner"]: r for r in data["tables"]["learners"]}
    assert first["alice"]["concept_mastered"] == "locked" and first["alice"]["first_try_percent"] == 100
    assert first["alice"]["last_seen"].startswith("20")  # a timestamp, not "just now", for a spreadsheet
    skills = {r["skill"]: r for r in data["tables"]["skills"]}
    assert skills["The chain-rule product"]["mastered"] == 1 and skills["The chain-rule product"]["tried"] == 4
    mistakes = {r["code"]: r for r in data["tables"]["mistakes"]}
    assert mistakes["transposed"]["learners"] == 3  # bob, carol, and olga's old file
    code, out, _ = report(capsys, "--class-dir", str(class_dir), "--csv", "--table", "mastery")
    assert out.splitlines()[0] == "learner,shapes,chain-product,gradient-pullback"


def test_a_store_being_written_by_a_live_session_reads_fine(tmp_path):
    """A writer in another process commits attempts as fast as it can while the report reads."""
    home = tmp_path / "class" / "learners" / "wanda"
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sys, time
            from tui_tutor.progress.records import Attempt
            from tui_tutor.progress.review import record_and_schedule
            from tui_tutor.progress.store import ProgressStore
            with ProgressStore(sys.argv[1] + "/progress.sqlite3") as store:
                print("open", flush=True)
                for i in range(400):
                    record_and_schedule(store, Attempt(f"q{i % 7}", "x", i % 3 == 0, 1.0 if i % 3 == 0 else 0.0,
                                                      skills=("shapes",), diagnosis=None if i % 3 == 0 else "transposed"))
            print("done", flush=True)
        """), str(home)],
        stdout=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip
    try:
        home.mkdir(parents=True)
        assert writer.stdout.readline().strip() == "open"
        seen, reads = [], 0
        while writer.poll() is None:
            snapshot = read_snapshot(home)  # never raises while the writer works
            seen.append(len(snapshot.attempts))
            reads += 1
            ids = [a.id for a in snapshot.attempts]
            assert ids == sorted(ids) and len(ids) == len(set(ids))  # a consistent snapshot
        assert writer.wait(60) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
    assert reads > 3 and seen == sorted(seen)  # it only ever grows
    assert len(read_snapshot(home).attempts) == 400  # everything, once the writer is done
    before = files_of(home)
    time.sleep(0.01)
    read_snapshot(home)
    assert files_of(home) == before


def test_a_damaged_or_missing_store_is_reported_not_fatal(tmp_path):
    damaged = tmp_path / "d"
    damaged.mkdir()
    (damaged / "progress.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    with pytest.raises(Unreadable):
        read_snapshot(damaged)
    with pytest.raises(Unreadable, match="no progress file yet"):
        read_snapshot(tmp_path / "none")


def test_no_class_folder_is_said_in_one_line(tmp_path, capsys):
    code, out, err = report(capsys, "--class-dir", str(tmp_path / "nowhere"))
    assert code == 1 and "no such folder" in out and "nothing to report" in err


def test_live_mode_redraws_until_ctrl_c(class_dir, capsys, monkeypatch):
    naps = []

    def sleep(seconds):
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(report_command.time, "sleep", sleep)
    code, out, _ = report(capsys, "--class-dir", str(class_dir), "--live", "--every", "3")
    assert code == 0 and naps == [3, 3]
    assert out.count("Live: redrawn every 3 s; Ctrl+C stops.") == 2
    code, _, err = report(capsys, str(class_dir), "--live")
    assert code == 2 and "--live redraws a hosted class" in err
