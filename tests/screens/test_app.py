"""The app shell: switching screens with 1 / 2 / 3 and the command palette, resuming, options."""

from __future__ import annotations

from tests.screens.helpers import screen_text
from tui_tutor.app import QuizArgs, Settings, make_app
from tui_tutor.screens.lesson import LessonScreen
from tui_tutor.screens.quiz import QuizScreen
from tui_tutor.screens.scratchpad import ScratchpadScreen


async def test_1_2_3_switch_between_lesson_scratchpad_and_quiz():
    app = make_app(Settings(start="lesson", quiz=QuizArgs(count=2, seed=1)))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("2")
        assert isinstance(app.screen, ScratchpadScreen)
        await pilot.press("escape")  # the scratchpad opens in a text field: leave it first
        await pilot.press("3")
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("escape")  # the quiz opens in its answer field
        await pilot.press("1")
        assert isinstance(app.screen, LessonScreen)


async def test_digits_typed_into_a_field_stay_in_the_field():
    app = make_app(Settings(start="quiz", quiz=QuizArgs(count=1, seed=1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        assert isinstance(app.screen, QuizScreen)
        assert app.focused.value == "2"


async def test_the_command_palette_lists_the_three_screens():
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=(80, 24)) as pilot:
        commands = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Lesson", "Scratchpad", "Quiz", "Keys"):
            assert title in commands
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Scratchpad", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ScratchpadScreen)


async def test_the_app_reopens_on_the_screen_it_was_left_on():
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
    again = make_app(Settings())
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ScratchpadScreen)


async def test_a_theme_option_is_applied():
    app = make_app(Settings(start="lesson", theme="nord"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"


async def test_no_color_runs_without_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        assert "Overview" in screen_text(app)


async def test_an_unexpected_error_is_logged_to_the_file_and_shown_in_one_line(tmp_path, monkeypatch):
    import pytest
    from rich.text import Text

    from tui_tutor.logfile import configure

    configure(tmp_path / "home")
    app = make_app(Settings(start="lesson"))
    shown = []
    monkeypatch.setattr(app, "_print_error_renderables", lambda: shown.extend(app._exit_renderables))
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(lambda: 1 / 0)
            await pilot.pause()
            await pilot.pause()
    logged = (tmp_path / "home" / "tui-tutor.log").read_text()
    assert "Traceback" in logged and "ZeroDivisionError" in logged
    assert all(isinstance(r, Text) for r in app._exit_renderables + shown)
    text = " ".join(str(r) for r in app._exit_renderables + shown)
    assert "stopped on an unexpected error" in text and "tui-tutor.log" in text and "\n" not in text
