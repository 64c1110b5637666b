"""Snapshots of the lesson: 80×24, 120×40, a worked example half-way through, and --ascii.

Each waits for the engine-computed blocks to fill in, so the picture is the same on every run.
Review a changed snapshot by eye before accepting it (pytest --snapshot-update).
"""

from __future__ import annotations

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
