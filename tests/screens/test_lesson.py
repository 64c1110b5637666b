"""The lesson screen, driven from the keyboard as a learner would."""

from __future__ import annotations

from tests.screens.helpers import screen_text, settle
from tui_tutor.app import Settings, make_app
from tui_tutor.screens.keys import KeysScreen
from tui_tutor.screens.lesson import LessonScreen, ReadingPane
from tui_tutor.widgets.practice import PracticeView
from tui_tutor.widgets.stepper import WorkedExampleView
from tui_tutor.widgets.toc import TableOfContents


def lesson_app(**kwargs):
    return make_app(Settings(start="lesson", **kwargs))


async def test_first_visit_opens_the_overview_with_contents_and_before_after():
    app = lesson_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.page_id == "overview"
        text = screen_text(app)
        assert "Multivariable Chain Rule" in text
        assert "Before: Gradients" in text
        assert "Next: Backpropagation" in text
        assert app.focused is app.screen.query_one(ReadingPane)


async def test_n_and_p_and_brackets_move_between_pages():
    app = lesson_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        first_section = screen.pages[1].id
        await pilot.press("n")
        assert screen.page_id == first_section
        await pilot.press("right_square_bracket")
        assert screen.page_id == screen.pages[2].id
        await pilot.press("left_square_bracket", "p")
        assert screen.page_id == "overview"
        await pilot.press("p")  # already at the first page: stays
        assert screen.page_id == "overview"


async def test_contents_key_toggles_the_sidebar_and_enter_opens_a_page():
    app = lesson_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        sidebar = screen.query_one("#sidebar")
        assert sidebar.display
        await pilot.press("t")
        assert not sidebar.display
        await pilot.press("t")
        assert sidebar.display
        toc = screen.query_one(TableOfContents)
        assert app.focused is toc
        target = screen.pages[3].id
        toc.highlighted = toc.get_option_index(target)
        await pilot.press("enter")
        assert screen.page_id == target
        assert app.focused is screen.query_one(ReadingPane)


async def test_worked_example_steps_forward_back_and_restarts():
    app = lesson_app(example=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        example = app.screen.query_one(WorkedExampleView)
        total = example.total
        assert total >= 3
        counter = app.screen.query_one("#step-counter")
        assert f"step 0/{total}" in str(counter.render())
        await pilot.press("right")
        assert example.revealed == 1
        await pilot.press("l")
        assert example.revealed == 2
        assert f"step 2/{total}" in str(counter.render())
        await pilot.press("left")
        assert example.revealed == 1
        await pilot.press("h")
        assert example.revealed == 0
        await pilot.press("h")  # nothing left to hide: stays at 0
        assert example.revealed == 0
        insight = example.query_one(".insight")
        for _ in range(total):
            await pilot.press("right")
        assert example.revealed == total
        assert insight.display
        assert f"step {total}/{total}" in str(counter.render())
        await pilot.press("home")
        assert example.revealed == 0
        assert not insight.has_class("-shown")


async def test_step_keys_only_show_on_worked_examples():
    app = lesson_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert screen.check_action("step", (1,)) is False
        assert screen.check_action("hint", ()) is False
        await pilot.press("right")  # does nothing on a section page
        assert screen.page_id == "overview"


async def test_practice_hints_answer_feedback_and_solution():
    app = lesson_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        practice_pages = [p.id for p in screen.pages if p.id.startswith("practice:")]
        screen.show_page(practice_pages[0])
        await settle(pilot)
        view = screen.query_one(PracticeView)
        await pilot.press("i")
        assert view.hints_shown == 1
        await pilot.press("a")
        answer = view.query_one("#answer")
        assert app.focused is answer
        # A wrong answer first: the gradient written as a row is diagnosed.
        await pilot.press(*"[2 - x2, -x1 + 2x2]")
        await pilot.press("enter")
        feedback = view.query_one("#feedback")
        await _wait_for(pilot, lambda: str(feedback.render()).strip())
        assert str(feedback.render()).startswith("Incorrect")
        answer.value = ""
        await pilot.press(*"[2 - x2; -x1 + 2x2]")
        await pilot.press("enter")
        await _wait_for(pilot, lambda: str(feedback.render()).startswith("Correct"))
        await pilot.press("escape")
        assert app.focused is screen.query_one(ReadingPane)
        await pilot.press("s")
        assert view.solution_shown


async def test_unreadable_answer_is_pointed_out_and_not_graded():
    app = lesson_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        screen.show_page([p.id for p in screen.pages if p.id.startswith("practice:")][0])
        await settle(pilot)
        await pilot.press("a", *"[2 - foo; 1]", "enter")
        view = screen.query_one(PracticeView)
        feedback = view.query_one("#feedback")
        preview = view.query_one("#preview")
        await _wait_for(pilot, lambda: "not counted" in str(feedback.render()))
        assert "unknown name 'foo'" in str(preview.render())


async def test_keys_screen_lists_every_binding_and_closes():
    app = lesson_app()
    async with app.run_test(size=(120, 70)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        text = screen_text(app)
        for words in ("Next", "Prev", "Contents", "Lesson", "Scratch", "Quiz", "Quit", "Esc"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)


async def test_position_and_read_pages_are_remembered():
    app = lesson_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n")
        page = app.screen.page_id
        for _ in range(30):
            await pilot.press("pagedown")
        await pilot.pause()
        read = set(app.screen.query_one(TableOfContents).read)
        assert page in read
    again = make_app(Settings())
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.screen.page_id == page
        assert page in again.screen.query_one(TableOfContents).read


async def test_lesson_section_option_opens_that_section():
    app = lesson_app(section=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sections = [p.id for p in app.screen.pages if p.id.startswith("section:")]
        assert app.screen.page_id == sections[1]


async def test_q_quits():
    app = lesson_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
    assert app.return_code == 0


async def test_ascii_screen_holds_only_ascii():
    app = lesson_app(ascii=True, example=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right", "right")
        await settle(pilot)
        text = screen_text(app)
        assert text.strip()
        assert all(ord(c) < 128 for c in text), sorted({c for c in text if ord(c) >= 128})
        for page in app.screen.pages:
            app.screen.show_page(page.id)
            await settle(pilot)
            text = screen_text(app)
            bad = sorted({c for c in text if ord(c) >= 128})
            assert not bad, (page.id, bad)


async def test_resizing_to_40x12_and_back_keeps_working():
    app = lesson_app(example=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert not app.screen.query_one("#sidebar").display
        await pilot.press("right", "n", "p")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.query_one("#sidebar").display
        assert "step" in screen_text(app)


async def _wait_for(pilot, condition, timeout: float = 10.0) -> None:
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_opening_the_page_already_shown_from_the_contents_works():
    app = lesson_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.press("t", "t")  # focus the contents
        toc = screen.query_one(TableOfContents)
        toc.highlighted = toc.get_option_index("overview")
        await pilot.press("enter")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.page_id == "overview"
        assert "What this unlocks" in screen_text(app)
