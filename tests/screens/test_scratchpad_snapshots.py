"""Snapshots of the scratchpad's results at 80×24: Unicode, and --ascii with its maps visible.

Review a changed snapshot by eye before accepting it (pytest --snapshot-update).
"""

from __future__ import annotations

from tests.quiz.helpers import until
from tui_tutor.app import make_app
from tui_tutor.settings import ScratchArgs, Settings

EXAMPLE = (["x1^2 + x2, x1*x2", "u1 + u2^2"], "1,2", "")


def _scratch(ascii: bool = False):
    maps, at, dx = EXAMPLE
    return make_app(Settings(start="scratch", ascii=ascii, scratch=ScratchArgs(list(maps), at, dx)))


async def _results(pilot):
    screen = pilot.app.screen
    await until(pilot, lambda: screen.shown is not None and not screen.computing, what="the results")
    for field in screen.query("Input"):
        field.cursor_blink = False
    await pilot.pause()


def test_snapshot_scratchpad_results(snap_compare):
    async def run_before(pilot):
        await _results(pilot)
        pilot.app.screen.query_one("SolutionView").scroll_to(y=10, animate=False)  # the Jacobians
        await pilot.pause()

    assert snap_compare(_scratch(), run_before=run_before, terminal_size=(80, 24))


def test_snapshot_scratchpad_ascii_with_its_maps(snap_compare):
    async def run_before(pilot):
        await _results(pilot)

    assert snap_compare(_scratch(ascii=True), run_before=run_before, terminal_size=(80, 24))
