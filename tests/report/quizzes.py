"""Real quiz runs for the report tests: the app driven by the pilot, as a learner would, with --out."""

from __future__ import annotations

from pathlib import Path

from tests.quiz.helpers import COURSE, right_answer, until
from tui_tutor import cli
from tests.screens.test_quiz import current, started, submit, wait_for_answer
from tui_tutor.app import QuizArgs, Settings, make_app

# How each learner answers a question: "right", "wrong-then-right", "transposed" (wrong, then on),
# "skip", or "end" (end the quiz early there).
WRONG = {"shape": "2x1", "choice": "a"}


def wrong_answer(item) -> str:
    """A wrong answer the grader names where it can: a transposed matrix or shape, the other choice."""
    if item.kind == "choice":
        return WRONG["choice"]
    return transposed_answer(item)


def transposed_answer(item) -> str:
    """The right answer transposed (the shape flipped for a shape question)."""
    text = right_answer(item)
    if item.kind == "shape":
        rows, cols = text.split("x")
        return f"{cols}x{rows}"
    inner = text.strip("[]")
    return "[" + (inner.replace(";", ",") if ";" in inner else inner.replace(",", ";")) + "]"


async def take_quiz(home: Path, monkeypatch, out: Path, name: str, seed: int, plan: list[str], count: int = 4,
                    size=(80, 24)) -> dict:  # fmt: skip
    """Take quiz ``seed`` as ``name`` (one plan entry per question) with ``--out out``; the app's results."""
    monkeypatch.setenv("TUI_TUTOR_HOME", str(home))
    quiz = QuizArgs(count=count, seed=seed, out=out, name=name)
    app = make_app(Settings(content_dir=COURSE, start="quiz", quiz=quiz))
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        for step in plan:
            question = current(app)
            if question is None:
                break
            if question.item.template:
                await wait_for_answer(pilot)
            if step == "end":
                await pilot.press("escape", "e")
                break
            if step in ("wrong-then-right", "transposed"):
                await submit(pilot, wrong_answer(question.item) if step != "transposed" else transposed_answer(question.item))
            if step in ("right", "wrong-then-right"):
                await submit(pilot, right_answer(question.item))
            await pilot.press("ctrl+n")
            await until(pilot, lambda: app.screen.state == "summary" or current(app) is not question, what="the next question")
        await until(pilot, lambda: app.screen.state == "summary" or step != "end", what="the summary")
    return app.results


def run_report(capsys, *argv: str) -> tuple[int, str, str]:
    """``tui-tutor report ARGV --content <the test course>``: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = cli.main(["report", *argv, "--content", str(COURSE)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
