"""The hostile course corpus (tests/content/hostile.py) through ``tui-tutor check`` and the app.

Each pack attacks one way: a link out of the folder or to /dev/zero, a FIFO, terminal escapes,
a bidi override, a huge file, an alias bomb, deep nesting, a runaway quote. Each must be refused
with its file (and line, when it has one), in bounded time, and never echoed raw to the terminal.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from tests.content.hostile import CORPUS, build
from tests.terminal import REPO, Terminal, tutor_command, tutor_env

RAW = ("\x1b", "\x07", "\u202e")


def _where(root, case) -> str:
    shown = f"{root.name}/{case.file}"
    return f"{shown}:{case.line}: " if case.line is not None else f"{shown}: "


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_check_refuses_each_hostile_pack_at_its_file_and_line(tmp_path, case):
    root = build(tmp_path, case)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tui_tutor", "check", str(root)], stdin=subprocess.DEVNULL,
            capture_output=True, text=True, env=tutor_env(tmp_path / "home"), cwd=REPO, timeout=90,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"check hung on {case.id}")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(_where(root, case))]
    assert any(case.expect in line for line in lines), result.stdout
    assert not any(ch in result.stdout + result.stderr for ch in RAW)


def _flat(text: str) -> str:
    """Screen text with spaces, line breaks and box drawing removed (a toast wraps its words)."""
    return re.sub(r"[\s│┃▏▕▌▐▎▊]", "", text)


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_the_app_shows_each_hostile_packs_problem_and_stays_responsive(tmp_path, case):
    root = build(tmp_path, case)
    argv = tutor_command() + ["quiz", "--content", str(root)]
    with Terminal(argv, env=tutor_env(tmp_path / "home"), size=(100, 40)) as app:
        assert app.wait_for("problem(s)", timeout=40, on_screen=True), app.screen()
        assert _flat(_where(root, case).split("/", 1)[1].rstrip(" ")) in _flat(app.screen()), app.screen()
        assert not any(ch in app.screen() for ch in RAW)
        app.send(b"\x1b")
        time.sleep(0.3)  # Escape then q at once would be Alt+q
        app.send(b"q")
        assert app.wait_exit(timeout=20) == 0, app.screen()
    assert b"\x1b]0;pwned" not in app.raw and b"\x1b[?1049l gone" not in app.raw


async def test_a_broken_quiz_file_under_content_shows_its_problems_not_no_questions(tmp_path, monkeypatch):
    from tests.content.helpers import BROKEN_QUIZ, make_pack
    from tests.screens.helpers import screen_text
    from tui_tutor.app import QuizArgs, Settings, make_app

    monkeypatch.setenv("TUI_TUTOR_HOME", str(tmp_path / "home"))
    root = make_pack(tmp_path, {"mini-chain/quiz.yaml": BROKEN_QUIZ})
    app = make_app(Settings(content_dir=root, start="quiz", quiz=QuizArgs(seed=1)))
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if "could be read" in screen_text(app):
                break
        text = screen_text(app)
        assert "No quiz questions could be read" in text and "has no quiz questions yet" not in text
        assert "pack/mini-chain/quiz.yaml:" in text and "YAML syntax error" in text


def test_a_pickle_planted_in_the_cache_runs_nothing_when_the_app_starts(tmp_path):
    import pickle

    from tests.content.helpers import make_pack
    from tests.content.test_cache import _plant, _Planted
    from tui_tutor.content import cache

    root = make_pack(tmp_path)
    home, marker = tmp_path / "home", tmp_path / "pwned"
    _plant(home, cache._fingerprint(root), pickle.dumps(_Planted(str(marker))))
    with Terminal(tutor_command() + ["lesson", "--content", str(root)], env=tutor_env(home)) as app:
        assert app.wait_for("Contents", timeout=40, on_screen=True), app.screen()
        app.send(b"q")
        assert app.wait_exit(timeout=20) == 0
    assert not marker.exists()
    assert list((home / "cache").glob("course-*.json")) and not list((home / "cache").glob("*.pickle"))
