"""Every page of the lesson and every scratchpad preset, read off the screen at the sizes students
use: 80×24 with the contents showing, 80×24 in --ascii, and 60×20.

What is checked, from the rendered screen, scrolling through the whole page:

- no maths block is wider than its pane, and what the terminal shows of it is exactly its
  layout (nothing wrapped or cut by the terminal);
- no matrix is torn across lines: every drawn bracket column runs from its top piece to its
  bottom piece (cut only where the pane's edge cuts it while scrolling).
"""

from __future__ import annotations

import pytest

from tests.screens.helpers import screen_lines, settle
from tui_tutor.app import make_app
from tui_tutor.screens.lesson import ReadingPane
from tui_tutor.settings import Settings
from tui_tutor.widgets.mathview import FittedText
from tui_tutor.widgets.practice import PracticeView
from tui_tutor.widgets.solution_view import SolutionView
from tui_tutor.widgets.stepper import WorkedExampleView

SIZES = [
    pytest.param((80, 24), False, id="80x24-sidebar"),
    pytest.param((80, 24), True, id="80x24-ascii"),
    pytest.param((60, 20), False, id="60x20"),
]
PAIRS = {"⎡": ("⎢", "⎣"), "⎤": ("⎥", "⎦"), "⎛": ("⎜", "⎝"), "⎞": ("⎟", "⎠")}
BOTTOMS = {bottom: (middle, top) for top, (middle, bottom) in PAIRS.items()}


def torn_brackets(lines: list[str], region) -> list[str]:
    """Bracket columns inside ``region`` that do not run top to bottom (the region's edges may
    cut one: that is scrolling, not tearing)."""
    problems = []
    top, bottom = region.y, region.y + region.height  # rows [top, bottom)
    left, right = region.x, region.x + region.width
    for r in range(top, bottom):
        for c in range(left, right):
            ch = lines[r][c]
            if ch in PAIRS:
                middle, end = PAIRS[ch]
                k = r + 1
                while k < bottom and lines[k][c] == middle:
                    k += 1
                if k < bottom and lines[k][c] != end:
                    problems.append(f"row {r}, column {c}: {ch} does not reach {end}")
            elif ch in BOTTOMS:
                middle, start = BOTTOMS[ch]
                k = r - 1
                while k >= top and lines[k][c] == middle:
                    k -= 1
                if k >= top and lines[k][c] != start:
                    problems.append(f"row {r}, column {c}: {ch} has no {start} above it")
    return problems


def check_screen(app, pane, where: str) -> None:
    """The visible part of ``pane``: maths blocks fit and show exactly their layout; no bracket torn."""
    lines = screen_lines(app)
    view = pane.content_region
    assert not torn_brackets(lines, view), f"{where}: {torn_brackets(lines, view)}\n" + "\n".join(lines)
    for widget in pane.query(FittedText):
        if widget.region.area == 0:  # hidden (a step not revealed yet) or scrolled far away
            continue
        width = widget.content_size.width
        if width <= 0:
            continue
        laid_out = widget.lines_at(width)
        too_wide = [line for line in laid_out if len(line.rstrip()) > width]
        assert not too_wide, f"{where}: {type(widget).__name__} wider than its {width} columns: {too_wide}"
        assert widget.content_region.right <= view.right, f"{where}: {type(widget).__name__} runs past its pane"
        assert widget.content_size.height == len(laid_out), f"{where}: {type(widget).__name__} was wrapped by the terminal"
        box = widget.content_region
        for k, line in enumerate(laid_out):
            row = box.y + k
            if view.y <= row < view.bottom:
                shown = lines[row][box.x:box.x + width].rstrip()
                assert shown == line.rstrip(), f"{where}: row {row} shows {shown!r}, laid out as {line!r}"


async def check_page(pilot, pane, where: str) -> None:
    """Scroll through the whole page, checking every screenful."""
    await settle(pilot)
    pane.scroll_home(animate=False)
    await pilot.pause()
    step = max(1, pane.content_region.height - 2)
    y = 0
    while True:
        check_screen(pilot.app, pane, f"{where} at line {y}")
        if y >= pane.max_scroll_y:
            break
        y = min(pane.max_scroll_y, y + step)
        pane.scroll_to(y=y, animate=False)
        await pilot.pause()


@pytest.mark.parametrize("size, ascii", SIZES)
async def test_every_lesson_page_step_and_practice_fits(size, ascii):
    app = make_app(Settings(start="lesson", ascii=ascii))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        if size[0] >= 80:
            assert screen.query_one("#sidebar").display  # the default: contents beside the page
        pane = screen.query_one(ReadingPane)
        for page in screen.pages:
            screen.show_page(page.id)
            await check_page(pilot, pane, page.id)
            example = screen.query(WorkedExampleView)
            if example:
                for step in range(example.first().total):
                    example.first().next_step()
                    await check_page(pilot, pane, f"{page.id} step {step + 1}")
            practice = screen.query(PracticeView)
            if practice:
                while practice.first().show_hint():
                    pass
                practice.first().show_solution()
                await check_page(pilot, pane, f"{page.id} with hints and solution")


@pytest.mark.parametrize("size, ascii", SIZES)
async def test_every_scratchpad_preset_fits(size, ascii):
    app = make_app(Settings(start="scratch", ascii=ascii))
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        results = screen.query_one(SolutionView)
        for index in range(len(screen._presets())):
            if index:
                await pilot.press("p")
            await _results(pilot, screen)
            await check_page(pilot, results, f"preset {index + 1}")


async def _results(pilot, screen, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        if screen.shown is not None and not screen.computing:
            await pilot.pause()
            return
    raise AssertionError("the scratchpad's results did not arrive")
