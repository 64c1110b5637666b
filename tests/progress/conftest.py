"""Fixtures for the progress tests: a scratch home folder and a clock the test controls."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tui_tutor.progress.records import Attempt
from tui_tutor.progress.store import ProgressStore

START = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A settable UTC clock: ``clock()`` reads it, ``advance(...)`` moves it forward."""

    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty TUI_TUTOR_HOME, so no test can touch the real one."""
    folder = tmp_path / "home"
    monkeypatch.setenv("TUI_TUTOR_HOME", str(folder))
    return folder


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(home, clock):
    with ProgressStore(now=clock) as opened:
        yield opened


def _attempt(item_id: str = "q1", correct: bool = True, **fields) -> Attempt:
    fields.setdefault("score", 1.0 if correct else 0.0)
    fields.setdefault("answer", "2*x*y")
    fields.setdefault("skills", ("chain",))
    return Attempt(item_id=item_id, correct=correct, **fields)


@pytest.fixture
def make_attempt():
    """Builds an Attempt with sensible defaults; a test passes only what it is about."""
    return _attempt
