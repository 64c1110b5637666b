"""The quiz screen, driven from the keyboard as a learner would: a whole quiz, review, the gate."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.quiz.helpers import COURSE, Clock, right_answer, until
from tests.screens.helpers import screen_text
from tui_tutor.app import QuizArgs, Settings, make_app
from tui_tutor.progress import store as store_module
from tui_tutor.progress.records import Attempt
from tui_tutor.progress.review import record_and_schedule
from tui_tutor.progress.store import ProgressStore
from tui_tutor.quiz import session as session_module
from tui_tutor.screens.mastery import MasteryScreen
from tui_tutor.screens.quiz import QuizScreen
from tui_tutor.widgets.question_view import QuestionView
from tui_tutor.widgets.quiz_summary import QuizSummary


def quiz_app(*, store=None, ascii=False, **quiz):
    quiz.setdefault("seed", 7)
    settings = Settings(content_dir=COURSE, start="quiz", ascii=ascii, quiz=QuizArgs(**quiz))
    return make_app(settings, store=store)


def current(app):
    return app.screen.session.current


def typed_matrix(item) -> bool:
    """A matrix question answered by typing the whole matrix (no template of cells)."""
    return item.kind == "matrix" and not item.template


async def skip_to(pilot, wanted) -> None:
    """Skip questions (Ctrl+N) until the current one is ``wanted``: an item's key, or a test of the item."""
    accepts = wanted if callable(wanted) else (lambda item: item.key == wanted)
    while not accepts(current(pilot.app).item):
        await pilot.press("ctrl+n")


async def started(pilot):
    await until(pilot, lambda: pilot.app.screen.query(QuestionView) or pilot.app.screen.state != "loading", what="the quiz")
    await until(pilot, lambda: isinstance(pilot.app.focused, Input), what="the answer field")


async def submit(pilot, text: str) -> None:
    """Type ``text`` into the answer field, press Enter, and wait for the verdict (or refusal)."""
    app = pilot.app
    question = current(app)
    before = len(question.attempts)
    field = app.screen.query_one(QuestionView).answer_box.input
    field.focus()
    field.value = text
    await pilot.press("enter")

    def done():
        feedback = str(app.screen.query_one("#feedback").render())
        return len(question.attempts) > before or ("Checking" not in feedback and feedback.strip())

    await until(pilot, done, what=f"the verdict on {text!r}")


async def wait_for_answer(pilot):
    """Template variants get their answers from the engine in the background."""
    await until(pilot, lambda: current(pilot.app).item.answer is not None, what="the variant's answer")


async def answer_right(pilot):
    question = current(pilot.app)
    if question.item.template:
        await wait_for_answer(pilot)
    await submit(pilot, right_answer(question.item))
    assert question.correct, question.attempts[-1].message


# --- a whole quiz ---------------------------------------------------------------------------------


async def test_a_whole_quiz_right_wrong_hint_solution_retry_next_and_summary():
    app = quiz_app(count=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        seen = []
        while screen.state == "question":
            question = current(app)
            seen.append(question.item.key)
            if question.item.key != "jacobian-at-point":
                await answer_right(pilot)
                assert "Correct" in screen_text(app)
                await pilot.press("enter")  # Enter after a right answer moves on
                continue
            # Wrong, with the mistake recognised and named as the lesson names it.
            await submit(pilot, "[10; 5]")
            text = screen_text(app)
            assert "Incorrect: this is the transpose" in text
            assert "A common mistake: Transposing the Jacobian" in text
            # Wrong again, half right at the second try: a quarter of the credit, and which entry is wrong.
            await pilot.press("ctrl+r")
            assert app.screen.query_one(QuestionView).answer_box.input.value == ""
            await submit(pilot, "[10, 4]")
            text = screen_text(app)
            assert "Incorrect" in text and "Entry (1, 2) is wrong" in text
            assert "Partial credit 1/4: some entries are right, at try 2." in text and "✓  ✗" in text
            # A hint, then the worked solution, then a retry that counts for nothing.
            await pilot.press("ctrl+t")
            assert "Hint 1 of 2: Find Dg and Df first." in screen_text(app)
            await pilot.press("ctrl+o")
            await until(pilot, lambda: "Worked solution" in screen_text(app), what="the solution")
            assert "The answer, as you would type it: [10, 5]" in screen_text(app)
            await pilot.press("ctrl+r")
            await submit(pilot, "[10, 5]")
            assert question.correct and question.score == 0.25  # the best credit, earned before the solution
            await pilot.press("ctrl+n")
        assert sorted(seen) == sorted(["shape-of-composite", "jacobian-at-point", "which-order", "gradient-random"])
        assert screen.state == "summary"
        summary = app.results
        assert summary["total"] == 4 and summary["correct"] == summary["eventually_right"] == 4
        assert summary["score"] == 3.25 and summary["first_try"] == 3
        assert summary["mistakes"] == {"transposed": 1, "missing_term": 1}
        assert summary["hints"] == 1 and summary["solutions"] == 1 and summary["ended"] == "finished"
        assert set(summary["skills"]) == {"shapes", "chain-product", "gradient-pullback"}
        assert "seconds" in summary and "mastery" in summary and summary["mastered"] is False
        text = screen_text(app)
        assert "Quiz finished" in text and "First-try score 3.25 of 4 (81%)" in text
        assert "eventually right 4 of 4" in text
        assert "transposed ×1  Transposing the Jacobian" in text
        assert "tui-tutor quiz --count 4 --seed 7" in text
    with ProgressStore() as store:  # every attempt and the hint were saved
        stored = store.attempts()
        tries = [a for a in stored if a.item_id == "jacobian-at-point"]
        assert [a.answer for a in tries] == ["[10; 5]", "[10, 4]", "[10, 5]"]
        assert [(a.hints_used, a.solution_shown) for a in tries] == [(0, False), (0, False), (1, True)]
        assert [(a.try_number, a.score) for a in tries] == [(1, 0.0), (2, 0.25), (3, 0.0)]
        assert [a.diagnosis for a in tries] == ["transposed", "missing_term", None]
        assert [(h.item_id, h.tier) for h in store.hints()] == [("jacobian-at-point", 1)]
        assert store.card("item", "jacobian-at-point") is not None


async def test_wrong_then_right_scores_less_than_right_first_time_in_header_summary_and_json():
    app = quiz_app(count=4)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        while app.screen.state == "question":
            question = current(app)
            if question.item.key == "jacobian-at-point":
                await submit(pilot, "[10, 4]")  # wrong (a slip in one entry), then right at try 2
                await submit(pilot, "[10, 5]")
                assert question.score == 0.5 and not question.first_try and question.correct
            else:
                await answer_right(pilot)
                assert question.score == 1.0 and question.first_try
            done = sum(1 for q in app.screen.session.questions if q.attempts)
            score = sum(q.score for q in app.screen.session.questions)
            header = screen_text(app).splitlines()[0]
            assert f"first-try score {score:g}/{done}" in header and f"right {done}/{done}" in header
            await pilot.press("ctrl+n")
            await until(pilot, lambda: app.screen.state == "summary" or current(app) is not question)
        text = screen_text(app)
        assert "First-try score 3.5 of 4 (88%)   eventually right 4 of 4" in text
        header = text.splitlines()[0]
        assert "first-try score 3.5 of 4" in header and "eventually right 4 of 4" in header
    summary = app.results
    assert (summary["score"], summary["percent"], summary["first_try"], summary["eventually_right"]) == (3.5, 88, 3, 4)
    assert next(q for q in summary["questions"] if q["key"] == "jacobian-at-point")["credits"] == [0.5, 0.5]  # a slip: half the entries


async def test_unreadable_input_is_pointed_out_and_costs_no_attempt():
    app = quiz_app(count=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await skip_to(pilot, typed_matrix)
        await submit(pilot, "[10, 5")
        assert "it was not counted" in screen_text(app)
        assert current(app).attempts == []


async def test_the_preview_shows_how_an_answer_was_read_before_it_is_submitted():
    app = quiz_app(count=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await skip_to(pilot, "jacobian-at-point")
        await pilot.press(*"[10, 4]")
        await until(pilot, lambda: "read as" in screen_text(app), what="the preview")
        assert "read as: 1×2 row vector  [10, 4]" in screen_text(app)
        assert current(app).attempts == []


async def test_skipping_every_question_ends_in_a_summary_with_nothing_answered():
    app = quiz_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        await until(pilot, lambda: "Nothing was answered." in screen_text(app))
        assert app.results["answered"] == 0 and app.results["score"] == 0


async def test_esc_leaves_the_field_and_letters_work(monkeypatch):
    app = quiz_app(count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        footer = screen_text(app)
        assert "^t Hint" in footer and "^n Next" in footer
        await pilot.press("escape")
        assert not isinstance(app.focused, Input)
        text = screen_text(app)
        assert "h Hint" in text and "n Next" in text and "^t" not in text
        first = current(app)
        await pilot.press("h")
        assert first.hints_shown == 1
        await pilot.press("a")
        assert isinstance(app.focused, Input)
        await pilot.press("escape", "n")
        assert current(app) is not first
        await pilot.press("escape", "e")
        await until(pilot, lambda: app.screen.state == "summary")
        assert app.results["ended"] == "ended early"


# --- the countdown --------------------------------------------------------------------------------


async def test_the_countdown_is_shown_and_ends_the_quiz(monkeypatch):
    tick = Clock(0.0)
    monkeypatch.setattr(session_module, "monotonic", tick)
    app = quiz_app(count=3, minutes=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert "time left 2:00" in screen_text(app)
        await answer_right(pilot)
        tick.advance(seconds=75)
        await until(pilot, lambda: "time left 0:45" in screen_text(app), what="the countdown")
        tick.advance(seconds=45)
        await until(pilot, lambda: "Time is up" in screen_text(app), what="time to run out")
        assert app.screen.state == "summary"
        assert app.results["ended"] == "time" and app.results["seconds"] == 120
        assert app.results["answered"] == 1


# --- skill filter and review ----------------------------------------------------------------------


async def test_the_skill_filter_asks_only_that_skill():
    app = quiz_app(count=5, skill="shapes")
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert [q.item.key for q in app.screen.session.questions] == ["shape-of-composite"]


async def test_an_unknown_skill_says_which_skills_there_are_and_n_starts_a_full_quiz():
    app = quiz_app(count=2, skill="nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.state == "empty")
        assert "No quiz questions train the skill 'nope'" in screen_text(app)
        await pilot.press("n")
        await started(pilot)
        assert app.screen.session.skill is None and len(app.screen.session.questions) == 2


async def test_review_serves_what_is_due_with_a_fresh_variant():
    clock = Clock()
    store = ProgressStore(now=clock)
    for item, skills, seed in (("jacobian-at-point", ("chain-product",), None),
                               ("gradient-random", ("gradient-pullback", "chain-product"), 4242)):  # fmt: skip
        record_and_schedule(store, Attempt(item_id=item, answer="x", correct=False, score=0.0, skills=skills, variant_seed=seed))
    clock.advance(days=3)
    app = quiz_app(count=5, review=True, seed=None, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        session = app.screen.session
        assert session.mode == "review"
        keys = [q.item.key for q in session.questions]
        assert {"jacobian-at-point", "gradient-random"} <= set(keys)
        variant = next(q.item for q in session.questions if q.item.template)
        assert variant.seed != 4242
        text = screen_text(app)
        assert "Why now: " in text and "Review  ·  question 1 of" in text
        await answer_right(pilot)
    assert store.attempts()[-1].mode == "review"
    store.close()


async def test_review_with_nothing_due_says_so_and_offers_a_quiz():
    app = quiz_app(review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.state == "empty")
        assert "Nothing is due for review right now." in screen_text(app)
        await pilot.press("n")
        await started(pilot)
        assert app.screen.session.mode == "quiz"


# --- mastery and the gate -------------------------------------------------------------------------


def _master_everything(store):
    for variant in range(3):  # three different questions for each skill (mastery counts questions)
        for item, skills in (("shape-of-composite", ("shapes",)), ("gradient-random", ("gradient-pullback", "chain-product"))):
            record_and_schedule(
                store, Attempt(item_id=item, answer="x", correct=True, score=1.0, skills=skills, variant_seed=variant)
            )


async def test_mastery_bars_open_from_the_field_and_show_the_gate():
    app = quiz_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, MasteryScreen)
        text = screen_text(app)
        assert "Shapes and dimensions" in text and "0%" in text and "not tried" in text
        assert "0 of 3 skills mastered (80% each). Backpropagation: locked" in text
        assert app.concept_mastered() is False
        await pilot.press("escape")
        assert isinstance(app.screen, QuizScreen)


async def test_the_gate_opens_and_backpropagation_shows_as_unlocked():
    store = ProgressStore()
    _master_everything(store)
    app = quiz_app(count=1, store=store)
    async with app.run_test(size=(100, 40)) as pilot:
        await started(pilot)
        assert app.concept_mastered() is True
        await answer_right(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.state == "summary")
        await until(pilot, lambda: app.screen.query(QuizSummary), what="the summary")
        text = screen_text(app)
        assert "Unlocked: Backpropagation" in text
        assert app.results["mastered"] is True and app.results["unlocked"] == ["Backpropagation"]
    store.close()


# --- a damaged file, a read-only folder -----------------------------------------------------------


async def test_a_damaged_progress_file_is_replaced_and_the_notice_stays_on_screen(private_home):
    private_home.mkdir(parents=True)
    (private_home / "progress.sqlite3").write_bytes(b"not a database at all\n" * 200)
    app = quiz_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        notice = app.screen.query_one("#quiz-notice")
        assert notice.display and "progress file was damaged" in str(notice.render())
        await answer_right(pilot)
        await pilot.pause(0.5)
        assert "progress file was damaged" in screen_text(app)  # still there, not a passing toast
    assert list(private_home.glob("progress.sqlite3.damaged-*"))
    with ProgressStore() as store:
        assert store.notice is None and store.attempt_count() == 1


async def test_a_read_only_folder_runs_the_quiz_and_saves_nothing(private_home, monkeypatch):
    with ProgressStore() as store:  # an existing file, with history, on a read-only disk
        store.record_attempt(Attempt(item_id="old", answer="x", correct=True, score=1.0))
    import sqlite3

    def read_only_connect(target):
        return sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)

    writable_connect = store_module._connect
    monkeypatch.setattr(store_module, "_connect", read_only_connect)
    app = quiz_app(count=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert "Progress is not being saved" in screen_text(app)
        await answer_right(pilot)
        assert app.store.read_only and app.store.attempt_count() == 2  # kept for this session
        assert app.results["correct"] == 1
    monkeypatch.setattr(store_module, "_connect", writable_connect)
    with ProgressStore() as store:
        assert [a.item_id for a in store.attempts()] == ["old"]


# --- small screens and ASCII ----------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (40, 12), (120, 40)])
async def test_sizes_from_40x12_to_120x40_work(size):
    app = quiz_app(count=2)
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        await answer_right(pilot)
        await pilot.press("ctrl+n")
        await pilot.press("ctrl+o")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: "finished" in screen_text(app), what="the summary")


async def test_ascii_quiz_holds_only_ascii():
    app = quiz_app(count=2, ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await submit(pilot, "zz(")
        assert screen_text(app).isascii()
        await pilot.press("ctrl+t", "ctrl+o")
        await pilot.pause()
        assert screen_text(app).isascii()
        await pilot.press("ctrl+n", "ctrl+n")
        await until(pilot, lambda: app.screen.state == "summary")
        assert screen_text(app).isascii()
        await pilot.press("m")
        assert screen_text(app).isascii()


# --- kill -9 in the middle of a quiz ---------------------------------------------------------------

# The child drives the real app headless, answers question after question (one in three wrong
# first), and prints each attempt's id only once the screen has recorded it.
QUIZ_CHILD = """
import asyncio
from tests.quiz.helpers import COURSE, right_answer, until
from tui_tutor.app import QuizArgs, Settings, make_app
from tui_tutor.widgets.question_view import QuestionView

WRONG = {"shape": "3x3", "choice": "a", "matrix": "[1, 2]", "scalar": "7", "vector": "[1, 2]"}

async def main():
    app = make_app(Settings(content_dir=COURSE, start="quiz", quiz=QuizArgs(count=500, seed=11)))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.store.notice is None, app.store.notice
        for n in range(500):
            await until(pilot, lambda: app.screen.query(QuestionView) and app.screen.session.current)
            question = app.screen.session.current
            if question.item.template:
                await until(pilot, lambda: question.item.answer is not None)
            tries = [WRONG[question.item.kind]] if n % 3 == 0 else []
            for text in tries + [right_answer(question.item)]:
                before = len(question.attempts)
                field = app.screen.query_one(QuestionView).answer_box.input
                field.value = text
                await pilot.press("enter")
                await until(pilot, lambda: len(question.attempts) > before and question.attempts[-1].id)
                print(question.attempts[-1].id, question.item.key, text, flush=True)
            await pilot.press("ctrl+n")

asyncio.run(main())
"""


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGKILL"), reason="needs SIGKILL")
def test_a_quiz_killed_with_sigkill_keeps_every_answered_attempt(private_home):
    from tests.sigkill import run_and_kill

    reported: dict[int, tuple[str, str]] = {}
    for line in run_and_kill(QUIZ_CHILD, private_home, 8, timeout=120):
        attempt_id, key, answer = line.split(" ", 2)
        reported[int(attempt_id)] = (key, answer)

    with ProgressStore() as store:
        assert store.notice is None  # the file is healthy, not moved aside
        stored = {a.id: (a.item_id, a.answer) for a in store.attempts()}
    missing = {i: what for i, what in reported.items() if stored.get(i) != what}
    assert missing == {}, f"answered, reported as recorded, but lost: {missing}"


async def test_too_few_significant_figures_is_pointed_out_and_costs_no_attempt(monkeypatch):
    """-4.7 for 5cos(3.5) = -4.682...: the preview warns before Enter, and the verdict asks for more
    figures without recording an attempt, as for unreadable input."""
    from tui_tutor.screens import quiz as quiz_screen

    monkeypatch.setattr(
        quiz_screen, "grade_call", lambda item, text: ("service.grade_answer", ("5cos(3.5)", text, "scalar", None, []))
    )
    store = ProgressStore(":memory:")
    app = quiz_app(count=4, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await skip_to(pilot, typed_matrix)
        await pilot.press(*"-4.7")
        await until(pilot, lambda: "significant figures" in screen_text(app), what="the preview's warning")
        assert "give at least 3 significant figures (4.7 has 2)" in screen_text(app)
        await submit(pilot, "-4.7")
        await until(pilot, lambda: "This try was not counted" in screen_text(app), what="the verdict")
        assert current(app).attempts == []
        assert store.attempts() == []
        await submit(pilot, "-4.68")
        assert current(app).correct and len(store.attempts()) == 1
