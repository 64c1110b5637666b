"""Answer boxes at the edges: Enter grades at once, and no typed text can crash the app.

Enter used to re-run the preview and wait for it before grading, so the verdict (and the commit of
the attempt) came up to a second after Enter and a kill in that gap lost the answer. A shape box
passed '²' to ``int()`` (Python calls '²' a digit) and the exception took the whole app down.
"""

from __future__ import annotations

import threading

from tests.engine_double import EngineDouble
from tests.quiz.helpers import until
from tests.screens.helpers import screen_text, settle
from tests.screens.test_quiz import current, quiz_app, skip_to, started
from tui_tutor.app import Settings, make_app
from tui_tutor.progress.store import ProgressStore
from tui_tutor.widgets.practice import PracticeView
from tui_tutor.widgets.question_view import QuestionView


class StuckPreviews(EngineDouble):
    """The real engine, except that reading an answer for the preview does not come back."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()
        self.previews = 0

    def call(self, name, *args, **kwargs):
        if name == "service.preview":
            self.previews += 1
            self.release.wait(60)
            raise TimeoutError("stuck")
        return self.real.call(name, *args, **kwargs)


async def test_enter_grades_and_commits_at_once_even_while_a_preview_is_still_being_read():
    engine = StuckPreviews()
    app = quiz_app(count=4)
    app.engine = engine
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await started(pilot)
            await skip_to(pilot, "jacobian-at-point")
            await pilot.press(*"[10, 5]")
            await until(pilot, lambda: engine.previews > 0, what="the preview to start")
            await pilot.press("enter")
            await until(pilot, lambda: current(app).attempts, what="the answer to be graded")
            with ProgressStore() as store:  # committed, while the preview has still not answered
                assert [a.answer for a in store.attempts()] == ["[10, 5]"]
            engine.release.set()
            await until(pilot, lambda: "Correct" in screen_text(app), what="the verdict on screen")
    finally:
        engine.release.set()


async def test_a_superscript_or_a_5000_digit_shape_in_the_quiz_is_pointed_out_not_a_crash():
    app = quiz_app(count=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await skip_to(pilot, lambda item: item.kind == "shape")
        box = app.screen.query_one(QuestionView).answer_box
        for typed in ("²x3", "9" * 5000 + "x3"):
            box.input.value = typed
            await pilot.press("enter")
            await until(pilot, lambda: "not counted" in str(box.query_one("#feedback").render()), what="the refusal")
            assert "at column 1" in str(box.query_one("#preview").render())
            box.show_feedback("", None)
        assert current(app).attempts == [] and app.is_running


async def test_a_superscript_shape_in_lesson_practice_is_pointed_out_not_a_crash():
    app = make_app(Settings(start="lesson"))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        screen.show_page("practice:2")  # shapes-of-the-composite: a shape answer
        assert screen.query_one(PracticeView).problem.kind == "shape"
        await settle(pilot)
        view = screen.query_one(PracticeView)
        await pilot.press("a", *"²x3")
        await until(pilot, lambda: "column 1" in str(view.query_one("#preview").render()), what="the preview")
        await pilot.press("enter")
        await until(pilot, lambda: "not counted" in str(view.query_one("#feedback").render()), what="the refusal")
        assert app.is_running
