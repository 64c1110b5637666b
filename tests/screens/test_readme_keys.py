"""The README's table of keys is what the key bar shows, screen by screen, in and out of text fields.

Each row of the table under "### Keys" names a screen and a state; this drives the app to that
state and compares the key bar, key for key, with the row. Change a binding and this says which
line of the README to change with it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.quiz.helpers import until
from tests.screens.helpers import settle
from tests.screens.test_quiz import answer_right, current, quiz_app, started, submit
from tui_tutor.app import make_app
from tui_tutor.settings import QuizArgs, ScratchArgs, Settings
from tui_tutor.widgets.key_bar import KeyBar

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE = ["x1^2 + x2, x1*x2", "u1 + u2^2"]


def readme_rows() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """``{(screen, state): [(key, description), ...]}`` from the README's keys table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Keys", 1)[1].split("\n### ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("screen", "---") or set(cells[0]) <= set("-"):
            continue
        keys = re.findall(r"`([^`]+)` ([^`]+?)(?=\s*`|\s*$)", cells[2])
        rows[(cells[0], cells[1])] = [(k, d.strip()) for k, d in keys]
    return rows


def bar(app) -> list[tuple[str, str]]:
    return [(key, description) for key, description, _ in app.screen.query_one(KeyBar).entries()]


async def lesson_states(pilot):
    app = pilot.app
    screen = app.screen
    await settle(pilot)
    yield "a section or list"
    screen.show_page("example:1")
    await settle(pilot)
    yield "a worked example"
    screen.show_page("practice:1")
    await settle(pilot)
    yield "a practice problem"
    await pilot.press("a")
    yield "typing an answer"
    await pilot.press("escape")
    await pilot.press("t")  # hides the contents at this width ...
    await pilot.press("t")  # ... and shows them again, with the focus in them
    yield "in the contents"


async def scratch_states(pilot):
    app = pilot.app
    await until(pilot, lambda: app.screen.shown is not None and not app.screen.computing, what="results")
    yield "results"
    await pilot.press("v")
    await pilot.pause()
    yield "player"
    await pilot.press("i")
    yield "typing in a field"


async def quiz_states(pilot):
    app = pilot.app
    await started(pilot)
    yield "typing an answer"
    await submit(pilot, "0")
    yield "after a verdict, in the field"
    await pilot.press("escape")
    await pilot.pause()
    yield "after Esc"
    await pilot.press("e")
    await until(pilot, lambda: app.screen.state == "summary", what="the summary")
    yield "the summary"


CASES = {
    "lesson": (lambda: make_app(Settings(start="lesson", section=1)), lesson_states),
    "scratchpad": (lambda: make_app(Settings(start="scratch", scratch=ScratchArgs(EXAMPLE, "1,2", ""))), scratch_states),
    "quiz": (lambda: quiz_app(count=2, seed=1), quiz_states),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_the_readme_lists_what_the_key_bar_shows(name):
    rows = readme_rows()
    make, states = CASES[name]
    app = make()
    seen = []
    async with app.run_test(size=(220, 40)) as pilot:  # wide: the bar drops nothing
        async for state in states(pilot):
            await pilot.pause()
            shown = bar(app)
            assert (name, state) in rows, f"the README's keys table has no row for {name} / {state}: {shown}"
            assert shown == rows[(name, state)], f"README row {name} / {state} differs from the key bar"
            seen.append(state)
    documented = sorted(state for screen, state in rows if screen == name)
    assert sorted(seen) == documented, "the README lists a state this test does not visit"
