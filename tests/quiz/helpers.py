"""Shared by the quiz tests: a small course on disk, its right answers, and pilot helpers."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tui_tutor.content.loader import load_course
from tui_tutor.widgets.question_view import typed_form

COURSE = Path(__file__).parent / "course"
START = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)

# What a learner who knows the material types, by item key (template variants: the engine's answer).
RIGHT = {"shape-of-composite": "1x2", "jacobian-at-point": "[10, 5]", "which-order": "b"}


def course():
    return load_course(COURSE, strict=True)


def concept():
    return course().concept()


def right_answer(item) -> str:
    return RIGHT.get(item.key) or typed_form(item.answer)


class Clock:
    """A clock the test moves: ``clock()`` reads it; ``advance(seconds=...)`` moves it on.

    Serves as the store's UTC clock (``Clock()``) or as a monotonic one (``Clock(0.0)``).
    """

    def __init__(self, start=START):
        self.moment = start

    def __call__(self):
        return self.moment

    def advance(self, **delta):
        if isinstance(self.moment, datetime):
            self.moment += timedelta(**delta)
        else:
            self.moment += timedelta(**delta).total_seconds()
        return self.moment


async def until(pilot, predicate, timeout: float = 30.0, what: str = "the screen to settle") -> None:
    """Pause the pilot until ``predicate()`` holds (engine calls run in another process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
