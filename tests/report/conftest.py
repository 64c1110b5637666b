"""The report tests' shared data: one quiz, taken for real (the app driven by the pilot) by three learners."""

from __future__ import annotations

import asyncio

import pytest

from tests.report.quizzes import take_quiz

# Quiz seed 7 of the test course asks, in this order: which-order (choice), jacobian-at-point
# (matrix), gradient-random (a template variant), shape-of-composite (shape).
PLANS = {
    "alice": ["right", "right", "right", "right"],
    "bob": ["wrong-then-right", "wrong-then-right", "wrong-then-right", "wrong-then-right"],
    "carol": ["right", "transposed", "skip", "wrong-then-right"],
}


@pytest.fixture(scope="session")
def class_quiz(tmp_path_factory):
    """Three learners take quiz seed 7 with --out; a fourth file is corrupt. Built once: real runs are slow."""
    folder = tmp_path_factory.mktemp("summaries")
    mp = pytest.MonkeyPatch()
    try:
        for name, plan in PLANS.items():
            asyncio.run(take_quiz(folder / "homes" / name, mp, folder / f"{name}.json", name, 7, plan))
    finally:
        mp.undo()
    (folder / "broken.json").write_text('{"format": "tui-tutor quiz summary", "mode": "quiz", "seed": 7, "tot')
    return folder
