"""``tui-tutor report FILES|FOLDER`` on summaries written by real quiz runs (the app, driven as a learner)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal

import pytest
from rich.cells import cell_len

from tests.processes import alive, descendants, wait_until
from tests.quiz.helpers import COURSE, Clock
from tests.report.quizzes import run_report as report, take_quiz
from tests.terminal import Terminal, tutor_command, tutor_env
from tui_tutor import cli
from tui_tutor.quiz import session as session_module
from tui_tutor.quiz.summary_file import write_atomic

def test_the_summaries_hold_what_each_learner_did(class_quiz):
    alice, bob, carol = (json.loads((class_quiz / f"{n}.json").read_text()) for n in ("alice", "bob", "carol"))
    assert [q["key"] for q in alice["questions"]] == ["which-order", "jacobian-at-point", "gradient-random", "shape-of-composite"]
    assert alice["learner"] == "alice" and alice["seed"] == 7 and alice["ended"] == "finished"
    assert (alice["score"], alice["first_try"], alice["eventually_right"]) == (4, 4, 4)
    # Wrong then right everywhere: half credit on the matrices, none on the choice and the shape.
    assert [q["score"] for q in bob["questions"]] == [0, 0.5, 0.5, 0]
    assert (bob["score"], bob["first_try"], bob["eventually_right"]) == (1, 0, 4)
    assert bob["questions"][1]["mistakes"] == ["transposed"] and bob["questions"][2]["mistakes"] == ["gradient_as_row"]
    assert (carol["score"], carol["first_try"], carol["eventually_right"], carol["answered"]) == (1, 1, 2, 3)
    assert alice["course"]["fingerprint"] == bob["course"]["fingerprint"] and alice["course"]["id"] == "chain"


def test_report_tables_per_question_learner_skill_and_mistake(class_quiz, capsys):
    code, out, _ = report(capsys, str(class_quiz))
    assert code == 0
    assert "Quiz seed 7: 4 questions" in out and "; 3 learners." in out
    assert "Left out: " in out and "broken.json: not JSON" in out  # the corrupt file is said, not fatal
    lines = out.splitlines()
    tables = [line for line in lines if not line.startswith("Left out: ")]  # messages wrap in the terminal
    assert all(cell_len(line) <= 80 for line in tables), max(tables, key=cell_len)

    def row(start: str) -> list[str]:
        return next(line for line in lines if line.startswith(start)).split()

    # Per question: answered, first try %, right %, mistakes (in learners).
    assert row("1   which-order") == ["1", "which-order", "3", "67", "100"]
    assert row("2   jacobian-at-point") == ["2", "jacobian-at-point", "3", "33", "67", "transposed", "2"]
    assert row("3   gradient-random") == ["3", "gradient-random", "2", "33", "67", "gradient_as_row", "1"]
    assert row("4   shape-of-composite") == ["4", "shape-of-composite", "3", "33", "100", "transposed", "2"]
    # Per learner, best first: score, %, first tries, right, time, how it ended.
    learners = [line.split()[0] for line in lines if line.split()[:1] in (["alice"], ["bob"], ["carol"])]
    assert learners == ["alice", "bob", "carol"]
    assert row("alice")[1:5] == ["4", "100", "4", "4"] and row("bob")[1:5] == ["1", "25", "0", "4"]
    # Per skill (every answer to a question training it): the chain-rule product is on 3 questions.
    assert row("The chain-rule product") == ["The", "chain-rule", "product", "9", "44", "78"]
    # Mistakes across the quiz, in learners and times, with the lesson's name.
    assert row("transposed") == ["transposed", "Transposing", "the", "Jacobian", "2", "4", "2,", "4"]


def test_csv_is_a_spreadsheet_of_every_table_and_json_carries_the_same(class_quiz, capsys):
    code, out, err = report(capsys, str(class_quiz), "--csv")
    assert code == 0 and "broken.json" in err and "broken.json" not in out
    sections = [s for s in out.split("\r\n\r\n") if s.strip()]
    assert [next(csv.reader(io.StringIO(s)))[0] for s in sections][:2] == [
        "Per question (% of the class)", "Per learner (score: first tries in full, retries half or less)"]
    code, out, _ = report(capsys, str(class_quiz), "--csv", "--table", "learners")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["learner"], r["score"], r["first_try"], r["right"], r["file"]) for r in rows] == [
        ("alice", "4.0", "4", "4", "alice.json"), ("bob", "1.0", "0", "4", "bob.json"), ("carol", "1.0", "1", "2", "carol.json")]
    code, out, _ = report(capsys, str(class_quiz), "--json")
    data = json.loads(out)
    assert data["report"] == "quiz" and data["quiz"]["seed"] == 7 and data["quiz"]["learners"] == 3
    assert [q["first_try_percent"] for q in data["tables"]["questions"]] == [67, 33, 33, 33]
    assert any("broken.json" in p for p in data["problems"])


def test_summaries_of_different_quizzes_are_refused(class_quiz, tmp_path, monkeypatch, capsys):
    import asyncio
    import shutil

    for name in ("alice", "bob"):
        shutil.copy(class_quiz / f"{name}.json", tmp_path)
    asyncio.run(take_quiz(tmp_path / "home-dave", monkeypatch, tmp_path / "dave.json", "dave", 8, ["right"] * 4))
    code, out, err = report(capsys, str(tmp_path))
    assert code == 2 and out == ""
    assert "these summaries are from different quizzes" in err
    assert "seed 7, 4 questions" in err and "alice.json, bob.json" in err and "seed 8, 4 questions" in err and "dave.json" in err
    # Another version of the course: the same seed, another question bank.
    other = json.loads((class_quiz / "alice.json").read_text())
    other["course"]["fingerprint"] = "0123456789abcdef"
    (tmp_path / "dave.json").write_text(json.dumps(other))
    code, _, err = report(capsys, str(tmp_path))
    assert code == 2 and "course version 01234567: dave.json" in err


def test_a_learner_name_cannot_run_a_formula_or_drive_the_terminal(class_quiz, tmp_path, capsys):
    evil = json.loads((class_quiz / "alice.json").read_text())
    evil["learner"] = "=HYPERLINK(\"http://x\")\x1b]0;pwned\x07"
    (tmp_path / "evil.json").write_text(json.dumps(evil))
    code, out, _ = report(capsys, str(tmp_path / "evil.json"), "--csv", "--table", "learners")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["learner"].startswith("'=HYPERLINK") and "\x1b" not in out
    code, out, _ = report(capsys, str(tmp_path / "evil.json"))
    assert "\x1b" not in out and "\x07" not in out


def test_nothing_readable_is_exit_1_and_odd_files_are_named(tmp_path, capsys):
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "review.json").write_text(json.dumps({"format": "tui-tutor quiz summary", "mode": "review"}))
    os.mkfifo(tmp_path / "pipe.json")
    code, out, err = report(capsys, str(tmp_path), str(tmp_path / "missing.json"))
    assert code == 1 and "nothing to report" in err
    assert "list.json: not a quiz summary written by 'tui-tutor quiz --out'" in out
    assert "review.json: a review summary, not a quiz" in out
    assert "pipe.json: is not a regular file (a FIFO)" in out
    assert "missing.json: no such file or folder" in out


# --- quiz --out: written however the quiz ends -----------------------------------------------------


async def test_the_summary_file_is_written_when_time_runs_out(tmp_path, monkeypatch):
    from tests.quiz.helpers import until
    from tests.screens.test_quiz import answer_right, started
    from tui_tutor.app import QuizArgs, Settings, make_app

    tick = Clock(0.0)
    monkeypatch.setattr(session_module, "monotonic", tick)
    monkeypatch.setenv("TUI_TUTOR_HOME", str(tmp_path / "home"))
    out = tmp_path / "timed.json"
    quiz = QuizArgs(count=3, seed=7, minutes=1, out=out, name="tim")
    app = make_app(Settings(content_dir=COURSE, start="quiz", quiz=quiz))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await answer_right(pilot)
        assert json.loads(out.read_text())["ended"] == "in progress"  # after every answer
        tick.advance(seconds=61)
        await until(pilot, lambda: app.screen.state == "summary", what="time to run out")
        written = json.loads(out.read_text())
        assert written["ended"] == "time" and written["answered"] == 1 and written["learner"] == "tim"
    assert json.loads(out.read_text())["ended"] == "time"  # closing afterwards keeps how it ended
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@contextlib.contextmanager
def _quiz_answered_right_once(tmp_path, name):
    """The real app on a pty taking quiz 7 as ``name`` with ``--out NAME.json``, its first question
    answered right: (the terminal, the summary file)."""
    out = tmp_path / f"{name}.json"
    args = ["quiz", "--seed", "7", "--count", "4", "--content", str(COURSE), "--out", str(out), "--name", name]
    with Terminal(tutor_command() + args, env=tutor_env(tmp_path / "home")) as app:
        assert app.wait_for("Question 1 of 4", on_screen=True), app.screen()
        app.send(b"b\r")  # which-order: right
        assert app.wait_for("Correct", on_screen=True), app.screen()
        yield app, out


def _signal(app, signum) -> tuple[int | None, bytes]:
    """Send ``signum`` to the app: its exit status and what it wrote to the terminal after the
    signal, once no process it had started is left."""
    below = descendants(app.pid)
    mark = app.mark()
    os.kill(app.pid, signum)
    status = app.wait_exit()
    assert wait_until(lambda: not any(alive(p) for p in below), 10)
    return status, app.raw[mark:]


def test_the_summary_file_is_written_when_the_terminal_hangs_up(tmp_path):
    with _quiz_answered_right_once(tmp_path, "eve") as (app, out):
        assert wait_until(lambda: out.exists() and json.loads(out.read_text())["answered"] == 1, 10)
        status, _ = _signal(app, signal.SIGHUP)
        assert status == -signal.SIGHUP  # it still dies of the hang-up, as without --out
    written = json.loads(out.read_text())
    assert written["ended"] == "hangup" and written["answered"] == 1 and written["score"] == 1


def test_kill_closes_the_quiz_like_q_restores_the_terminal_and_keeps_the_summary(tmp_path):
    """SIGTERM (`kill PID`) used to end the process where it stood: the learner's terminal stayed on
    the app's screen with mouse reporting on. It now closes the app as `q` does."""
    with _quiz_answered_right_once(tmp_path, "kim") as (app, out):
        status, after = _signal(app, signal.SIGTERM)
        assert status == 128 + signal.SIGTERM
        assert b"\x1b[?1049l" in after and b"\x1b[?1000l" in after  # off the app's screen, mouse off
    written = json.loads(out.read_text())
    assert written["ended"] == "terminated" and written["answered"] == 1 and written["score"] == 1


def test_out_is_checked_before_the_quiz_starts(tmp_path, capsys):
    assert cli.main(["quiz", "--out", str(tmp_path / "no-such-folder" / "x.json")]) == 2
    assert "--out: the folder" in capsys.readouterr().err
    assert cli.main(["quiz", "--out", str(tmp_path)]) == 2
    assert "is a folder; give a file name" in capsys.readouterr().err


def test_a_failed_write_leaves_the_old_summary_whole(tmp_path, monkeypatch):
    target = tmp_path / "s.json"
    write_atomic(target, {"n": 1})

    def refuse(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(target, {"n": 2})
    assert json.loads(target.read_text()) == {"n": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]
