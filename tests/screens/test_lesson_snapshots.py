"""Snapshots of the lesson: 80×24, 120×40, worked examples part-way through, a practice verdict, --ascii.

Each waits for the engine-computed blocks to fill in, so the picture is the same on every run.
Review a changed snapshot by eye before accepting it (pytest --snapshot-update).
"""

from __future__ import annotations

from tests.quiz.helpers import until
from tests.screens.helpers import settle
from tui_tutor.app import Settings, make_app


def _lesson(**kwargs):
    return make_app(Settings(start="lesson", **kwargs))


def test_snapshot_lesson_section_80x24(snap_compare):
    assert snap_compare(_lesson(section=3), run_before=settle, terminal_size=(80, 24))


def test_snapshot_lesson_section_120x40(snap_compare):
    assert snap_compare(_lesson(section=3), run_before=settle, terminal_size=(120, 40))


def test_snapshot_worked_example_half_way(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        example = pilot.app.screen.query_one("WorkedExampleView")
        for _ in range(example.total // 2):
            await pilot.press("right")
        await settle(pilot)

    assert snap_compare(_lesson(example=1), run_before=run_before, terminal_size=(80, 24))


def test_snapshot_lesson_ascii(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("right", "right")
        await settle(pilot)

    assert snap_compare(_lesson(example=1, ascii=True), run_before=run_before, terminal_size=(80, 24))


def test_snapshot_worked_example_2_step_2_fits_beside_the_contents(snap_compare):
    # Issue 11: at 80×24 with the contents, Δu ≈ Dg Δx = ... tore its matrices across lines.
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("right", "right")
        await settle(pilot)

    assert snap_compare(_lesson(example=2), run_before=run_before, terminal_size=(80, 24))


def test_snapshot_practice_verdict(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        screen = pilot.app.screen
        screen.show_page([p.id for p in screen.pages if p.id.startswith("practice:")][0])
        await settle(pilot)
        await pilot.press("a", *"[2 - x2; -x1 + 2x2]", "enter")
        view = screen.query_one("PracticeView")
        feedback = view.query_one("#feedback")
        await until(pilot, lambda: str(feedback.render()).startswith("Correct"), what="the verdict")
        for field in screen.query("Input"):
            field.cursor_blink = False
        await settle(pilot)

    assert snap_compare(_lesson(), run_before=run_before, terminal_size=(80, 24))
