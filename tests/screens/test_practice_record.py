"""Lesson practice is part of the record: each graded answer is an attempt, scored, and marked."""

from __future__ import annotations

import json

from tests.screens.helpers import screen_text, settle
from tests.screens.test_lesson import _wait_for, lesson_app
from tui_tutor import cli
from tui_tutor.progress.store import ProgressStore
from tui_tutor.widgets.practice import PracticeView
from tui_tutor.widgets.toc import TableOfContents


def practice_page(screen, problem_id: str) -> str:
    number = [p.id for p in screen.concept.practice].index(problem_id) + 1
    return f"practice:{number}"


async def open_problem(pilot, problem_id: str) -> str:
    """Show the practice page of ``problem_id``; its page id."""
    page = practice_page(pilot.app.screen, problem_id)
    pilot.app.screen.show_page(page)
    await settle(pilot)
    return page


async def answer(pilot, text: str) -> str:
    """Type ``text`` into the practice answer box, press Enter, and return the verdict shown."""
    view = pilot.app.screen.query_one(PracticeView)
    feedback = view.query_one("#feedback")
    field = view.query_one("#answer")
    field.focus()
    field.value = text
    before = str(feedback.render())
    await pilot.press("enter")
    await _wait_for(pilot, lambda: str(feedback.render()).strip() not in ("", before.strip(), "Checking..."), timeout=30)
    return str(feedback.render())


def mark(app, page_id: str) -> str:
    toc = app.screen.query_one(TableOfContents)
    page = next(p for p in toc.pages if p.id == page_id)
    return toc._mark(page).strip()


async def test_a_practice_answer_is_an_attempt_that_shows_in_progress_and_moves_mastery(capsys):
    app = lesson_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        page = await open_problem(pilot, "gradient-through-3d-intermediate")
        for _ in range(10):
            await pilot.press("pagedown")  # the end of the page has been on screen: not "read"
        assert page not in screen.query_one(TableOfContents).read and mark(app, page) == ""
        assert "✓ read  ◐ tried  ★ solved" in screen_text(app)  # the legend
        said = await answer(pilot, "[2 - x2, -x1 + 2x2]")  # the gradient as a row: a named mistake
        assert said.startswith("Incorrect") and "No credit: this is a named mistake" in said
        assert mark(app, page) == "◐"
        said = await answer(pilot, "[2 - x2; -x1 + 2x2]")
        assert said.startswith("Correct") and "Credit 1/2: right at try 2." in said
        assert mark(app, page) == "★"
    with ProgressStore() as store:
        tries = store.attempts(item_id="gradient-through-3d-intermediate")
    assert [(a.mode, a.try_number, a.correct, a.score, a.diagnosis) for a in tries] == [
        ("practice", 1, False, 0.0, "gradient_as_row"), ("practice", 2, True, 0.5, None),
    ]
    assert tries[0].skills == ("jacobian", "gradient-pullback")
    capsys.readouterr()
    assert cli.main(["progress", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["attempts"] == 2
    assert report["mastery"]["jacobian"]["attempts"] == 2 and report["mastery"]["jacobian"]["level"] > 0
    assert report["mastery"]["shapes"] == {"level": 0.0, "attempts": 0, "mastered": False}
    assert {d["key"] for d in report["due"]} <= {"gradient-through-3d-intermediate", "jacobian", "gradient-pullback",
                                                 "gradient_as_row"}  # fmt: skip


async def test_a_shape_flipped_after_a_wrong_try_earns_nothing_and_stays_tried():
    app = lesson_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        page = await open_problem(pilot, "shapes-of-the-composite")
        said = await answer(pilot, "4x2")
        assert "rows and columns are swapped" in said
        said = await answer(pilot, " 4x2")
        assert said.startswith("That is the answer you just tried")  # not another try
        said = await answer(pilot, "2x4")
        assert said.startswith("Correct") and "a second guess at a choice or a shape earns nothing" in said
        assert mark(app, page) == "◐"  # right, but not solved: nothing was earned
    with ProgressStore() as store:
        assert [a.score for a in store.attempts(item_id="shapes-of-the-composite")] == [0.0, 0.0]


async def test_after_the_solution_an_answer_earns_nothing_even_on_a_later_visit():
    app = lesson_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        page = await open_problem(pilot, "gradient-with-a-diagonal-jacobian")
        await pilot.press("s")  # never tried: opening the solution is giving up, as in the quiz
        await pilot.pause()
        assert mark(app, page) == "◐"
        screen.show_page("overview")
        await settle(pilot)
        screen.show_page(page)  # the solution is hidden again on this visit...
        await settle(pilot)
        said = await answer(pilot, "[2x1 sin(x2); x1^2 cos(x2)]")
        assert said.startswith("Correct") and "No credit: the solution was shown" in said  # ...but remembered
        assert mark(app, page) == "◐"
    with ProgressStore() as store:
        tries = store.attempts(item_id="gradient-with-a-diagonal-jacobian")
        assert [(a.answer, a.solution_shown, a.score) for a in tries] == [
            ("", True, 0.0), ("[2x1 sin(x2); x1^2 cos(x2)]", True, 0.0),
        ]


async def test_marks_come_back_from_the_store_and_ascii_has_its_own():
    with ProgressStore() as store:
        from tui_tutor.progress.practice import record_practice
        from tui_tutor.content.loader import load_course

        concept = load_course().concept()
        easy, shapes = concept.practice[0], concept.practice[1]
        record_practice(store, easy, "x", correct=True, partial=1.0, diagnosis=None)
        record_practice(store, shapes, "4x2", correct=False, partial=0.0, diagnosis="transposed")
    app = lesson_app(ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert mark(app, "practice:1") == "*" and mark(app, "practice:2") == "~" and mark(app, "practice:3") == ""
        assert "+ read  ~ tried  * solved" in screen_text(app)


async def test_enter_pressed_twice_while_grading_is_one_try():
    app = lesson_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_problem(pilot, "gradient-with-a-diagonal-jacobian")
        view = app.screen.query_one(PracticeView)
        field = view.query_one("#answer")
        field.focus()
        field.value = "[2x1 sin(x2); x1 cos(x2)]"
        await pilot.press("enter", "enter", "enter")
        feedback = view.query_one("#feedback")
        # However the presses fall (during grading, or after it), the answer is one try.
        await _wait_for(pilot, lambda: str(feedback.render()).startswith(("Incorrect", "That is the answer you just tried")),
                        timeout=30)  # fmt: skip
        await pilot.pause(0.3)
    with ProgressStore() as store:
        assert len(store.attempts(item_id="gradient-with-a-diagonal-jacobian")) == 1
