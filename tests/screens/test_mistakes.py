"""My mistakes, from the mastery box: counts, the last time, the section to reread, a set aimed at them."""

from __future__ import annotations

from tests.quiz.helpers import Clock, until
from tests.screens.helpers import screen_text
from tests.screens.test_quiz import quiz_app, started
from tui_tutor.progress.records import Attempt
from tui_tutor.progress.review import record_and_schedule
from tui_tutor.progress.store import ProgressStore
from tui_tutor.screens.lesson import LessonScreen
from tui_tutor.screens.mastery import MasteryScreen
from tui_tutor.screens.mistakes import MistakesScreen


def history(clock) -> ProgressStore:
    store = ProgressStore(now=clock)
    for item in ("shape-of-composite", "shape-of-composite"):
        record_and_schedule(store, Attempt(item, "2x1", False, 0.0, skills=("shapes",), diagnosis="transposed"))
    clock.advance(hours=3)
    record_and_schedule(store, Attempt("gradient-random", "[1, 2]", False, 0.0, skills=("gradient-pullback",),
                                       diagnosis="gradient_as_row", variant_seed=5))  # fmt: skip
    clock.advance(days=2)
    return store


async def open_my_mistakes(pilot) -> None:
    """From the quiz: the mastery box (it says how many kinds), then My mistakes."""
    await started(pilot)
    await pilot.press("ctrl+g")
    assert isinstance(pilot.app.screen, MasteryScreen)
    made = len(pilot.app.screen.mistakes)
    assert (f"x: my mistakes ({made} kinds)" if made else "x: my mistakes (none yet)") in screen_text(pilot.app)
    await pilot.press("x")
    assert isinstance(pilot.app.screen, MistakesScreen)


async def test_my_mistakes_lists_them_and_offers_a_set_aimed_at_them():
    store = history(Clock())
    app = quiz_app(count=2, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_my_mistakes(pilot)
        text = screen_text(app)
        assert "transposed ×2  Transposing the Jacobian" in text
        assert "last 2 days ago" in text and "reread section 1: TL;DR" in text
        assert text.index("transposed ×2") < text.index("gradient_as_row ×1")  # most frequent first
        await pilot.press("p")
        await until(pilot, lambda: app.screen.session is not None and app.screen.session.mode == "mistakes"
                    and app.screen.state == "question", what="the practice set")  # fmt: skip
        session = app.screen.session
        reasons = [q.reason for q in session.questions]
        keys = [q.item.key for q in session.questions]
        # transposed: the shape question invites it (no template does); gradient_as_row: the template,
        # as a fresh variant (never seed 5 again).
        assert reasons[0] == "aimed at a mistake you made 2 times: Transposing the Jacobian" and keys[0] == "shape-of-composite"
        assert (reasons[1], keys[1]) == ("aimed at a mistake you made 1 time: Gradient as row", "gradient-random")
        variant = next(q.item for q in session.questions if q.item.template)
        assert variant.seed != 5
        await until(pilot, lambda: "Mistakes practice" in screen_text(app), what="the status line")
        assert "Why now: aimed at a mistake" in screen_text(app)
    store.close()


async def test_enter_on_a_mistake_opens_the_lesson_section_that_explains_it():
    store = history(Clock())
    app = quiz_app(count=2, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_my_mistakes(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LessonScreen), what="the lesson")
        await until(pilot, lambda: app.screen.page_id == "section:tldr", what="the section")
    store.close()


async def test_no_mistakes_yet_says_so():
    app = quiz_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_my_mistakes(pilot)
        assert "No mistakes recorded yet" in screen_text(app)
        assert app.screen.check_action("practise", ()) is False
        await pilot.press("escape")
        assert isinstance(app.screen, MasteryScreen)
