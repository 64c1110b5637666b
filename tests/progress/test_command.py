"""``tui-tutor progress`` and the report behind it, driven through argparse as cli.py will."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest

from tui_tutor.progress import command
from tui_tutor.progress.records import Attempt
from tui_tutor.progress.report import progress_report
from tui_tutor.progress.review import schedule_after_attempt
from tui_tutor.progress.store import ProgressStore
from tui_tutor.cli import build_parser

SKILLS = ["chain", "product"]


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["progress", *argv])


@pytest.fixture
def history(home, clock):
    """Three right answers on 'chain', one wrong on 'product', saved in TUI_TUTOR_HOME."""
    with ProgressStore(now=clock) as s:
        for i in range(3):
            s.record_attempt(Attempt(f"c{i}", "2*x", True, 1.0, skills=("chain",)))
        wrong = Attempt("p1", "x", False, 0.0, skills=("product",), diagnosis="sign", at=clock())
        s.record_attempt(wrong)
        schedule_after_attempt(s, wrong)
    return home


def test_report_has_counts_mastery_gate_and_reviews(history, clock):
    with ProgressStore(now=clock) as s:
        report = progress_report(s, SKILLS, clock.advance(days=1, hours=1))
    assert report["attempts"] == 4 and isinstance(report["attempts"], int)
    assert report["correct"] == 3
    assert report["mastery"]["chain"] == {"level": 1.0, "attempts": 3, "mastered": True}
    assert report["mastery"]["product"] == {"level": 0.0, "attempts": 1, "mastered": False}
    assert report["mastered"] is False
    assert report["reviews_due"] == 3 == len(report["due"])  # item p1, skill product, mistake sign
    assert {(d["kind"], d["key"]) for d in report["due"]} == {
        ("item", "p1"), ("skill", "product"), ("mistake", "sign"),
    }  # fmt: skip
    json.dumps(report)  # it must serialise as it is


def test_json_prints_one_object(history, capsys):
    assert command.run(parse("--json"), SKILLS) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["attempts"] == 4 and report["mastery"]["chain"]["mastered"] is True


def test_text_summary_draws_a_bar_per_skill(history, capsys):
    assert command.run(parse(), SKILLS) == 0
    out = capsys.readouterr().out
    assert "4 attempts (4 quiz), 3 right (75%). First tries: 3 of 4 right (75%)." in out
    assert "chain     ██████████ 100%  (3 attempts)" in out
    assert "product   ░░░░░░░│░░   0%  (1 attempt)" in out  # the marker: where 80% is
    assert "Concept mastered: not yet (every skill needs 80%, marked │)." in out
    assert "My mistakes, most frequent first:\n  sign ×1  Sign (last " in out
    assert "Practise them: tui-tutor review --mistakes" in out


def test_ascii_flag_draws_with_hash_and_dot(history, capsys):
    args = parse()
    args.ascii = True  # set by cli.py's global option
    assert command.run(args, SKILLS) == 0
    out = capsys.readouterr().out
    assert "chain     ########## 100%" in out and "product   .......|.. " in out
    assert "sign x1" in out and out.isascii()


def test_mistakes_are_named_with_the_section_that_explains_them(home, clock, capsys):
    from tui_tutor.content.loader import load_course

    concept = load_course().concept()
    with ProgressStore(now=clock) as s:
        for _ in range(2):
            s.record_attempt(Attempt("jacobian-polynomial-map", "[1, 2; 3, 4]", False, 0.0, skills=("jacobian",),
                                     diagnosis="transposed"))  # fmt: skip
        s.record_attempt(Attempt("gradient-at-point", "[1, 2]", False, 0.0, skills=("gradient-pullback",),
                                 diagnosis="gradient_as_row"))  # fmt: skip
    skills = [k.id for k in concept.skills]
    assert command.run(parse(), skills, concept) == 0
    out = capsys.readouterr().out
    number = [x.id for x in concept.sections].index("jacobian-matrix") + 1
    assert "  transposed ×2  Swapping the rows and columns of a Jacobian (last " in out
    assert f"      reread: The Jacobian matrix (tui-tutor lesson --section {number})" in out
    assert out.index("transposed ×2") < out.index("gradient_as_row ×1")  # most frequent first
    assert command.run(parse("--json"), skills, concept) == 0
    first, second = json.loads(capsys.readouterr().out)["mistakes"]
    assert (first["code"], first["count"], first["section"], first["section_number"]) == (
        "transposed", 2, "jacobian-matrix", number)
    assert first["items"] == ["jacobian-polynomial-map"] and first["skills"] == ["jacobian"]
    assert second["code"] == "gradient_as_row" and second["title"] == "Writing the gradient as a row"


def test_export_writes_the_attempts_as_csv(history, tmp_path, capsys):
    target = tmp_path / "out.csv"
    assert command.run(parse("--export", str(target)), SKILLS) == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["item_id"], r["correct"], r["skills"]) for r in rows] == [
        ("c0", "1", "chain"), ("c1", "1", "chain"), ("c2", "1", "chain"), ("p1", "0", "product"),
    ]  # fmt: skip
    assert f"Exported 4 attempts to {target}." in capsys.readouterr().out


def test_export_never_hands_a_spreadsheet_a_formula(home, clock, tmp_path):
    with ProgressStore(now=clock) as s:
        for typed in ("=HYPERLINK(\"http://x\")", "+1", "-x1", "@SUM(A1)", "\t=1", "\r=1", "2*x"):
            s.record_attempt(Attempt("q", typed, False, 0.0))
    target = tmp_path / "out.csv"
    assert command.run(parse("--export", str(target)), SKILLS) == 0
    answers = [r["answer"] for r in csv.DictReader(target.open(encoding="utf-8", newline=""))]
    assert answers == ["'=HYPERLINK(\"http://x\")", "'+1", "'-x1", "'@SUM(A1)", "'\t=1", "'\r=1", "2*x"]
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


class _Terminal(io.StringIO):
    """What a person types at a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stdin", [None, io.StringIO("yes\n"), "closed"])
def test_reset_without_a_terminal_to_ask_declines_in_one_line(history, monkeypatch, capsys, stdin):
    if stdin == "closed":
        stdin = _Terminal("yes\n")
        stdin.close()
    monkeypatch.setattr("sys.stdin", stdin)
    assert command.run(parse("--reset"), SKILLS) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        "tui-tutor progress: nothing was erased: --reset asks for 'yes' on a terminal; add --yes to erase without asking.\n"
    )
    assert captured.out == ""
    with ProgressStore() as s:
        assert s.attempt_count() == 4


@pytest.mark.parametrize("typed", ["no\n", "y\n", "", "YES please\n"])
def test_reset_refuses_without_yes(history, monkeypatch, capsys, typed):
    monkeypatch.setattr("sys.stdin", _Terminal(typed))
    assert command.run(parse("--reset"), SKILLS) == 1
    out = capsys.readouterr().out
    assert "This erases 4 attempts. A backup is kept. Type 'yes' to continue: " in out
    assert "Nothing was erased." in out
    with ProgressStore() as s:
        assert s.attempt_count() == 4
    assert list(history.glob("progress-backup-*")) == []


def test_reset_with_yes_typed_keeps_a_backup_and_says_where(history, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", _Terminal("yes\n"))
    assert command.run(parse("--reset"), SKILLS) == 0
    [backup] = history.glob("progress-backup-*.sqlite3")
    assert f"Erased 4 attempts. The backup is {backup}" in capsys.readouterr().out
    with ProgressStore() as s:
        assert s.attempt_count() == 0 and s.cards() == []
    with ProgressStore(backup) as kept:
        assert kept.attempt_count() == 4


def test_reset_with_yes_flag_does_not_ask(history, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # nothing to read: asking would refuse
    assert command.run(parse("--reset", "--yes"), SKILLS) == 0
    assert "Type 'yes'" not in capsys.readouterr().out
    assert len(list(history.glob("progress-backup-*.sqlite3"))) == 1


def test_errors_are_one_line_on_stderr_with_exit_2(history, tmp_path, capsys):
    assert command.run(parse("--export", str(tmp_path / "no-such-dir" / "x.csv")), SKILLS) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("tui-tutor progress: No such file or directory")


def test_reset_refuses_when_nothing_is_saved(tmp_path, monkeypatch, capsys):
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("TUI_TUTOR_HOME", str(tmp_path / "a-file" / "home"))
    assert command.run(parse("--reset", "--yes"), SKILLS) == 2
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err and "nothing was reset" in err


def test_json_stays_clean_when_there_is_a_notice(home, capsys):
    home.mkdir()
    (home / "progress.sqlite3").write_bytes(b"not a database" * 100)
    assert command.run(parse("--json"), SKILLS) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["attempts"] == 0
    assert "was damaged" in captured.err
