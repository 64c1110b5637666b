"""80×24 and --ascii as a learner meets them: verdicts in view, keys that never trap, and the small
things that told a learner nothing (issue 11)."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Input

from tests.engine_double import EngineDouble
from tests.quiz.helpers import until
from tests.screens.helpers import screen_lines, settle
from tui_tutor.app import make_app
from tui_tutor.screens.keys import KeysScreen
from tui_tutor.screens.lesson import ReadingPane
from tui_tutor.screens.quiz import QuizScreen
from tui_tutor.screens.scratchpad import ScratchpadScreen
from tui_tutor.settings import ScratchArgs, Settings
from tui_tutor.widgets.key_bar import KeyBar
from tui_tutor.widgets.player_frames import panel_frame
from tui_tutor.widgets.practice import PracticeView
from tui_tutor.widgets.solution_view import SolutionView
from tui_tutor.widgets.toc import TableOfContents

EXAMPLE = ["x1^2 + x2, x1*x2", "u1 + u2^2"]


def visible_in(widget, pane) -> bool:
    """Whether all of ``widget`` is inside the visible part of the scrolling ``pane``."""
    region, view = widget.region, pane.content_region
    return region.height > 0 and view.y <= region.y and region.bottom <= view.bottom


async def results(pilot):
    screen = pilot.app.screen
    await until(pilot, lambda: screen.shown is not None and not screen.computing, what="the results")
    await pilot.pause()
    return screen


# --- verdicts in view -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 12), (120, 40)])
async def test_a_practice_verdict_and_its_preview_are_scrolled_into_view(size):
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        screen.show_page([p.id for p in screen.pages if p.id.startswith("practice:")][-1])
        await settle(pilot)
        pane = screen.query_one(ReadingPane)
        view = screen.query_one(PracticeView)
        await pilot.press("a", *"[1; 2]")
        preview = view.query_one("#preview")
        await until(pilot, lambda: "read as" in str(preview.render()), what="the preview")
        await until(pilot, lambda: visible_in(preview, pane), what="the preview in view")
        await pilot.press("enter")
        feedback = view.query_one("#feedback")
        await until(pilot, lambda: str(feedback.render()).startswith("Incorrect"), what="the verdict")
        await until(pilot, lambda: visible_in(feedback, pane), what="the verdict in view")
        assert "Incorrect" in "\n".join(screen_lines(app))


# --- the scratchpad in ASCII, and where its focus starts ------------------------------------------


async def test_ascii_scratchpad_fields_show_what_is_typed():
    app = make_app(Settings(start="scratch", ascii=True, scratch=ScratchArgs(EXAMPLE, "1,2", "")))
    async with app.run_test(size=(80, 24)) as pilot:
        await results(pilot)
        top = "\n".join(screen_lines(app)[:3])
        assert "x1^2 + x2, x1*x2" in top and "u1 + u2^2" in top and "1,2" in top
        assert "Delta x" in top  # its label, whole
        await pilot.press("i", *" + 1")
        assert "x1^2 + x2, x1*x2 + 1" in screen_lines(app)[0]  # the cursor was at the end, nothing replaced


@pytest.mark.parametrize("how", ["command line", "preset"])
async def test_the_scratchpad_opened_with_maps_starts_outside_the_fields(how):
    scratch = ScratchArgs(EXAMPLE, "1,2", "") if how == "command line" else None
    app = make_app(Settings(start="scratch", scratch=scratch))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await results(pilot)
        assert not isinstance(app.focused, Input)
        before = screen.fields()
        await pilot.press("3")  # means the quiz, not a digit in map 1
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ScratchpadScreen)
        assert app.screen.fields() == before


async def test_two_presses_of_2_from_the_lesson_type_nothing_into_a_map():
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        screen = await results(pilot)
        before = screen.fields()
        await pilot.press("i", "escape", "1", "2")  # into a field and out, away and back
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is screen and screen.fields() == before
        assert not isinstance(app.focused, Input)


async def test_the_key_bar_shows_the_fields_keys_while_typing_and_keeps_help_when_narrow():
    app = make_app(Settings(start="scratch", scratch=ScratchArgs(EXAMPLE, "1,2", "")))
    async with app.run_test(size=(80, 24)) as pilot:
        await results(pilot)
        bar = app.screen.query_one(KeyBar)
        await pilot.press("i")
        await pilot.pause()
        assert str(bar.render()).startswith("⏎ Update now  tab Next field  esc Leave field")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        line = str(bar.render())
        assert "? Keys" in line and "2 Scratch" not in line  # screen switches go first
        await pilot.resize_terminal(80, 24)
        await pilot.press("v")  # the player has the most keys of all
        await pilot.pause()
        line = str(bar.render())
        assert line.endswith("? Keys") and "v View" in line and "p Preset" in line


# --- the smaller things ---------------------------------------------------------------------------


async def test_a_preset_starts_at_its_top_and_an_edit_drops_its_name():
    app = make_app(Settings(start="scratch"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await results(pilot)
        viewbar = screen.query_one("#viewbar")
        assert "preset 1/" in str(viewbar.render())
        view = screen.query_one(SolutionView)
        view.scroll_end(animate=False)
        await pilot.pause()
        assert view.scroll_y > 0
        await pilot.press("p")
        await results(pilot)
        assert view.scroll_y == 0 and "preset 2/" in str(viewbar.render())
        await pilot.press("i", "space", "plus", "1")
        await results(pilot)
        assert "preset" not in str(viewbar.render())  # the maps are no longer preset 2


class SlowScratchpad(EngineDouble):
    """The real engine, except that the scratchpad's computation does not come back until released."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()

    def call(self, name, *args, **kwargs):
        if name == "scratch.work":
            self.release.wait(30)
        return super().call(name, *args, **kwargs)


async def test_filled_maps_being_worked_out_do_not_say_type_a_map():
    engine = SlowScratchpad()
    app = make_app(Settings(start="scratch", scratch=ScratchArgs(EXAMPLE, "1,2", "")), engine=engine)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)  # past the pause the scratchpad waits for after typing
            body = str(app.screen.query_one("#solution-body").render())
            assert "Type a map above" not in body and "Working out the results" in body
            engine.release.set()
            await until(pilot, lambda: app.screen.shown is not None, what="the results")
    finally:
        engine.release.set()


async def test_a_gap_before_a_comma_is_pointed_at():
    app = make_app(Settings(start="scratch", scratch=ScratchArgs(["x1 + , x2"], "", "")))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.result is not None and not screen.computing, what="the problem")
        message = str(screen.query_one("#problem").render())
        assert "missing before this comma" in message and "at the end" not in message
        lines = message.splitlines()
        echo, caret = lines[1], lines[2]
        assert echo[caret.index("^")] == ","


async def test_a_section_or_example_the_lesson_does_not_have_is_said():
    for kwargs, said in (({"section": 99}, "There is no section 99"), ({"example": 42}, "There is no worked example 42")):
        app = make_app(Settings(start="lesson", **kwargs))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert any(said in n.message for n in app._notifications), kwargs


async def test_n_on_the_last_page_and_p_on_the_first_say_so():
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("p")
        assert any("first page" in n.message for n in app._notifications)
        screen.show_page(screen.pages[-1].id)
        await pilot.press("n")
        assert screen.page_id == screen.pages[-1].id
        assert any("last page" in n.message for n in app._notifications)


async def test_the_keys_screen_at_40x12_shows_what_each_key_does():
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        text = "\n".join(screen_lines(app))
        assert "Next" in text and "Prev" in text  # the descriptions, not only ids


async def test_the_command_palette_lists_keys_once():
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Keys") == 1


async def test_from_the_contents_esc_goes_back_to_the_page_and_page_down_scrolls_it():
    app = make_app(Settings(start="lesson", section=3))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        pane = screen.query_one(ReadingPane)
        await pilot.press("t", "t")  # the contents show at 80 columns: hide, then show with the focus
        assert isinstance(app.focused, TableOfContents)
        highlighted = app.focused.highlighted
        await pilot.press("pagedown")
        await pilot.pause()
        assert pane.scroll_y > 0 and app.focused.highlighted == highlighted
        await pilot.press("escape")
        assert app.focused is pane and screen.query_one("#sidebar").display


async def test_the_scalar_outputs_rows_are_labelled():
    from tui_tutor.engine.scratch import work

    model = work(EXAMPLE, "1,2", "0.1,0").player
    for ascii in (False, True):
        frame = panel_frame(model, 2, mode="forward", t=5.0, zoom=0, projection=0, canvas=(30, 10), ascii=ascii)
        labels = [label for _, label in frame.rows]
        assert "lin" in labels and "true" in labels and all(len(label) <= 5 for label in labels)
        reverse = panel_frame(model, 2, mode="reverse", t=4.0, zoom=0, projection=0, canvas=(30, 10), ascii=ascii)
        assert reverse.rows
