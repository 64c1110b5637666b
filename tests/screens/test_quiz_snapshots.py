"""Snapshots of the quiz screen: a question with its input preview, a diagnosis, the summary.

Deterministic: a fixed seed, a fixed quiz clock, a fresh progress folder, no cursor blink.
Review a changed snapshot by eye before accepting it (pytest --snapshot-update).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.quiz.helpers import Clock, until
from tests.screens.helpers import screen_text
from tests.screens.test_quiz import answer_right, current, quiz_app, started, submit
from tui_tutor.quiz import session as session_module
from tui_tutor.widgets.quiz_summary import QuizSummary


# --- snapshots (fixed seed, fixed clock, no cursor blink) -----------------------------------------


@pytest.fixture
def frozen_clock(monkeypatch):
    """Quiz time stands still, so times on screen are the same on every run."""
    monkeypatch.setattr(session_module, "monotonic", Clock(0.0))


async def _steady(pilot):
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def _to_item(pilot, key):
    await started(pilot)
    while current(pilot.app).item.key != key:
        await pilot.press("ctrl+n")
        await started(pilot)


def test_snapshot_question_with_its_input_preview(snap_compare, frozen_clock):
    async def run_before(pilot):
        await _to_item(pilot, "jacobian-at-point")
        await pilot.press(*"[10, 4]")
        await until(pilot, lambda: "read as" in screen_text(pilot.app), what="the preview")
        await _steady(pilot)

    assert snap_compare(quiz_app(count=4), run_before=run_before, terminal_size=(80, 24))


def test_snapshot_feedback_with_a_diagnosis(snap_compare, frozen_clock):
    async def run_before(pilot):
        await _to_item(pilot, "jacobian-at-point")
        await submit(pilot, "[10; 5]")
        await _steady(pilot)

    assert snap_compare(quiz_app(count=4), run_before=run_before, terminal_size=(80, 24))


def test_snapshot_summary(snap_compare, frozen_clock):
    async def run_before(pilot):
        app = pilot.app
        await started(pilot)
        while app.screen.state == "question":
            question = current(app)
            if question.item.key == "jacobian-at-point":
                await submit(pilot, "[10; 5]")
                await pilot.press("ctrl+t")
            await answer_right(pilot)
            await pilot.press("ctrl+n")
            await until(pilot, lambda: app.screen.state == "summary" or current(app) is not question)
        await until(pilot, lambda: app.screen.query(QuizSummary), what="the summary")
        await _steady(pilot)

    assert snap_compare(quiz_app(count=4), run_before=run_before, terminal_size=(80, 24))
