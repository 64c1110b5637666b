"""The tutor and the terminal it runs in: which stream it draws on, and when it refuses to start.

These run the real program under a pseudo-terminal (tests/terminal.py) or with no terminal at all,
because what is checked here happens outside Textual: a redirected stream, a missing terminal,
a log line written where the screen is.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import pytest

from tests.terminal import REPO, Terminal, tutor_command, tutor_env
from tui_tutor import cli

LESSON_WORD = "Contents"  # the lesson's sidebar title, on the first screen at 80×24


def test_stderr_redirected_to_a_file_still_draws_on_the_terminal(tmp_path):
    err = tmp_path / "err.txt"
    env = tutor_env(tmp_path / "home")
    with open(err, "wb") as handle, Terminal(tutor_command() + ["lesson"], env=env, stderr=handle) as app:
        assert app.wait_for(LESSON_WORD, on_screen=True), app.screen()
        app.send(b"q")
        assert app.wait_exit() == 0
    assert err.read_bytes() == b""  # no picture, no log line, no escape sequence in the file


def test_stdout_redirected_draws_on_the_terminal_and_the_json_summary_goes_to_the_file(tmp_path):
    out = tmp_path / "summary.json"
    argv, env = tutor_command() + ["quiz", "--count", "1", "--json"], tutor_env(tmp_path / "home")
    with open(out, "wb") as handle, Terminal(argv, env=env, stdout=handle) as app:
        assert app.wait_for("Question 1 of 1", on_screen=True), app.screen()
        app.send(b"\x1b")
        time.sleep(0.3)  # Escape then q at once would be Alt+q
        app.send(b"q")
        assert app.wait_exit() == 0
    assert out.read_text().startswith("{") and '"total": 1' in out.read_text()


def _run_without_a_terminal(args, tmp_path, stdin=subprocess.DEVNULL, **env):
    try:
        return subprocess.run(
            [sys.executable, "-m", "tui_tutor", *args], stdin=stdin, capture_output=True,
            env=tutor_env(tmp_path / "home", **env), cwd=REPO, timeout=30,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"tui-tutor {' '.join(args)} without a terminal did not exit (it drew and waited for keys)")


@pytest.mark.parametrize("args", [["lesson"], ["quiz"], [], ["scratch", "x1^2"]])
def test_without_a_terminal_on_stdin_it_says_so_and_exits_2(tmp_path, args):
    result = _run_without_a_terminal(args, tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""  # nothing drawn
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "standard input is not a terminal" in err and "\x1b" not in err


def test_piped_input_is_refused_too(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tui_tutor", "lesson"], input=b"\n", capture_output=True,
        env=tutor_env(tmp_path / "home"), cwd=REPO, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2 and "not a terminal" in result.stderr.decode()


@pytest.mark.parametrize("term", ["dumb", "", None, "unknown"])
def test_a_terminal_that_cannot_move_the_cursor_is_told_so(tmp_path, term):
    env = tutor_env(tmp_path / "home")
    if term is None:
        env.pop("TERM")
    else:
        env["TERM"] = term
    with Terminal(tutor_command() + ["lesson"], env=env) as app:
        assert app.wait_exit() == 2
        text = app.raw.decode(errors="replace")
    assert "cannot show the tutor" in text and "TERM=xterm-256color" in text
    assert "\x1b[" not in text  # not one control sequence was sent


@pytest.mark.parametrize(
    "args",
    [
        ["solve", "x1^2 + x2, x1*x2", "u1 + u2^2", "--at", "1,2"],
        ["grade", "--expected", "[10; 5]", "--answer", "[10, 5]", "--kind", "vector"],
        ["progress", "--json"],
        ["check"],
    ],
    ids=lambda a: a[0],
)
def test_the_plain_commands_work_without_a_terminal(tmp_path, args):
    result = _run_without_a_terminal(args, tmp_path, TERM="dumb")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout and result.stderr == b""


def test_log_records_go_to_the_log_file_never_to_the_terminal(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("TUI_TUTOR_HOME", str(tmp_path / "home"))
    assert cli.main(["grade", "--expected", "1", "--answer", "1"]) == 0
    try:
        raise TimeoutError("this took too long (over 5 s) and was stopped")
    except TimeoutError:
        logging.getLogger("tui_tutor.screens.quiz").warning("grading failed", exc_info=True)
    out, err = capfd.readouterr()
    assert "grading failed" not in out + err and "Traceback" not in out + err
    logged = (tmp_path / "home" / "tui-tutor.log").read_text()
    assert "grading failed" in logged and "Traceback" in logged and "TimeoutError" in logged


def test_the_log_file_is_rotated_small(tmp_path):
    from tui_tutor.logfile import MAX_BYTES, configure

    path = configure(tmp_path)
    for _ in range(3000):
        logging.getLogger("tui_tutor.test").warning("x" * 200)
    sizes = sorted(p.stat().st_size for p in tmp_path.glob("tui-tutor.log*"))
    assert len(sizes) == 2 and max(sizes) <= MAX_BYTES and path.exists()


def test_both_output_streams_redirected_still_draws_on_the_terminal_of_stdin(tmp_path):
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    env = tutor_env(tmp_path / "home")
    with open(out, "wb") as o, open(err, "wb") as e, Terminal(tutor_command() + ["lesson"], env=env, stdout=o, stderr=e) as app:
        assert app.wait_for(LESSON_WORD, on_screen=True), app.screen()
        app.send(b"q")
        assert app.wait_exit() == 0
    assert out.read_bytes() == b"" and err.read_bytes() == b""


def test_a_driver_of_its_own_such_as_the_web_one_is_not_refused(tmp_path):
    from tui_tutor.terminal import terminal_problem

    assert terminal_problem({"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver", "TERM": ""}) is None
    # tui-tutor serve web runs the tutor on pipes with textual-serve's driver: it must start.
    env = tutor_env(tmp_path / "home", TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver")
    child = subprocess.Popen([sys.executable, "-m", "tui_tutor", "lesson"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
    try:
        first = child.stdout.read(2)  # the web driver's first packet
        assert child.poll() is None and first, child.stderr.read()
    finally:
        child.kill()
        child.wait(timeout=10)
