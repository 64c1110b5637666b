"""A quiz session without a screen: attempts, hints, solution, time, countdown, the summary."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.quiz.helpers import concept
from tui_tutor.quiz import session as session_module
from tui_tutor.quiz.plan import PlannedQuestion, plan_quiz
from tui_tutor.quiz.session import ENDED_FINISHED, ENDED_TIME, QuizSession, clock_text


class Tick:
    """A monotonic clock the test moves by hand."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def tick(monkeypatch):
    clock = Tick()
    monkeypatch.setattr(session_module, "monotonic", clock)
    return clock


def verdict(correct, score=None, diagnosis=None, message=None):
    return SimpleNamespace(
        correct=correct, score=1.0 if correct else (score or 0.0), diagnosis=diagnosis,
        message=message or ("Correct." if correct else "Incorrect."), wrong_entries=(),
    )  # fmt: skip


def items_by_id():
    return {i.id: i for i in concept().items}


def session_of(*ids, **kwargs):
    found = items_by_id()
    return QuizSession([PlannedQuestion(found[i]) for i in ids], **kwargs)


def test_a_right_answer_becomes_an_attempt_with_its_time(tick):
    s = session_of("jacobian-at-point", "which-order", seed=7)
    s.start()
    tick.now += 12
    attempt = s.grade("[10, 5]", verdict(True))
    assert attempt.item_id == "jacobian-at-point"
    assert attempt.correct and attempt.score == 1.0 and attempt.seconds == 12
    assert attempt.mode == "quiz" and attempt.skills == ("chain-product",)
    assert s.current.correct and s.current.first_try and s.current.done


def test_wrong_then_hint_then_right_records_hints_and_partial_credit(tick):
    s = session_of("jacobian-at-point")
    s.start()
    first = s.grade("[10, 4]", verdict(False, 0.5, "missing_term"))  # a slip in one entry of two
    assert first.score == 0.5 and first.diagnosis == "missing_term" and first.hints_used == 0
    assert first.try_number == 1
    assert s.reveal_hint() == (1, s.current.item.hints[0])
    second = s.grade("[10, 5]", verdict(True))
    assert second.hints_used == 1 and second.try_number == 2
    assert second.score == 0.5  # right at the second try: half credit
    assert s.current.correct and not s.current.first_try
    assert s.current.score == 0.5


def test_wrong_then_right_scores_less_than_right_first_time(tick):
    s = session_of("jacobian-at-point", "which-order")
    s.start()
    s.grade("[10, 4]", verdict(False))
    s.grade("[10, 5]", verdict(True))
    assert s.current.score == 0.5 and s.current.attempts[-1].note == "Credit 1/2: right at try 2."
    s.advance()
    s.grade("b", verdict(True))
    assert s.current.score == 1.0
    summary = s.summary()
    assert (summary["score"], summary["first_try"], summary["eventually_right"]) == (1.5, 1, 2)
    assert [q["score"] for q in summary["questions"]] == [0.5, 1.0]


def test_a_named_conceptual_mistake_scores_nothing_however_many_entries_agree(tick):
    s = session_of("jacobian-at-point")
    s.start()
    # The engine's share of right entries says 0.5 (the diagonal agrees); the rule says 0.
    attempt = s.grade("[10; 5]", verdict(False, 0.5, "transposed"))
    assert attempt.score == 0.0 and attempt.diagnosis == "transposed"
    assert s.current.attempts[-1].note == "No credit: this is a named mistake, not a slip."


def test_a_shape_flipped_after_a_wrong_try_earns_nothing(tick):
    s = session_of("shape-of-composite", "which-order")
    s.start()
    s.grade("2x1", verdict(False, diagnosis="transposed"))
    flipped = s.grade("1x2", verdict(True))
    assert flipped.correct and flipped.score == 0.0
    assert s.current.correct and s.current.score == 0.0
    s.advance()
    s.grade("a", verdict(False))
    assert s.grade("b", verdict(True)).score == 0.0  # a second guess at a choice, the same


def test_later_tries_earn_less_and_less(tick):
    s = session_of("jacobian-at-point")
    s.start()
    for _ in range(3):
        s.grade(f"[{_}, 0]", verdict(False))
    assert s.grade("[10, 5]", verdict(True)).score == 0.25


def test_after_the_solution_answers_count_for_nothing(tick):
    s = session_of("jacobian-at-point")
    s.start()
    assert s.show_solution() is True
    assert s.show_solution() is False
    copied = s.grade("[10, 5]", verdict(True))
    assert copied.solution_shown is True
    assert s.current.score == 0.0 and s.current.correct


def test_giving_up_is_an_attempt_for_the_store_but_not_an_answer(tick):
    s = session_of("jacobian-at-point")
    s.start()
    s.show_solution()
    gave_up = s.gave_up()
    assert gave_up.answer == "" and not gave_up.correct and gave_up.solution_shown
    assert s.current.attempts == []
    assert s.summary()["answered"] == 0


def test_hints_run_out():
    s = session_of("which-order")
    s.start()
    assert s.reveal_hint() is not None
    assert s.reveal_hint() is None
    assert s.current.hints_left == 0


def test_the_same_answer_twice_is_noticed(tick):
    s = session_of("jacobian-at-point")
    s.start()
    s.grade("[10; 5]", verdict(False, diagnosis="transposed"))
    assert s.already_tried(" [10;  5] ")
    assert not s.already_tried("[10, 5]")


def test_advance_ends_after_the_last_question(tick):
    s = session_of("which-order", "jacobian-at-point")
    s.start()
    assert s.advance() is True and s.index == 1
    assert s.advance() is False
    assert s.ended == ENDED_FINISHED and s.current is None


def test_the_countdown_runs_out(tick):
    s = session_of("which-order", minutes=0.5)
    s.start()
    tick.now += 29.2
    assert s.remaining() == pytest.approx(0.8)
    assert clock_text(s.remaining(), countdown=True) == "0:01"
    assert not s.out_of_time
    tick.now += 1
    assert s.out_of_time
    s.finish(ENDED_TIME)
    tick.now += 50
    assert s.elapsed() == pytest.approx(30.2)  # the clock stops when the quiz ends
    assert s.summary()["ended"] == "time"


def test_no_countdown_without_minutes():
    assert session_of("which-order").remaining() is None
    assert session_of("which-order", minutes=0).remaining() is None


def test_the_summary_has_score_time_skills_and_mistakes(tick):
    s = session_of("jacobian-at-point", "which-order", "shape-of-composite", seed=42, minutes=5)
    s.start()
    s.grade("[10; 5]", verdict(False, diagnosis="transposed"))
    s.grade("[10, 4]", verdict(False, 0.5, "missing_term"))
    s.reveal_hint()
    s.grade("[5; 10]", verdict(False, diagnosis="transposed"))
    s.advance()
    tick.now += 10
    s.grade("b", verdict(True))
    s.advance()
    s.finish("ended early")
    summary = s.summary({"chain-product": "The chain-rule product"})
    assert summary["total"] == 3 and summary["answered"] == 2 and summary["correct"] == 1
    assert summary["eventually_right"] == 1
    # Question 1: transposed (0), a slip at try 2 (1/2 of 1/2), transposed again (0): 0.25.
    assert summary["score"] == 1.25 and summary["percent"] == 42
    assert summary["first_try"] == 1
    assert summary["seconds"] == 10 and summary["minutes"] == 5 and summary["seed"] == 42
    assert summary["mistakes"] == {"transposed": 2, "missing_term": 1}
    assert summary["hints"] == 1
    assert summary["skills"]["chain-product"] == {
        "title": "The chain-rule product", "questions": 2, "first_try": 1, "correct": 1, "score": 1.25,
    }  # fmt: skip
    assert summary["skills"]["shapes"]["questions"] == 1
    assert summary["ended"] == "ended early"
    assert [q["attempts"] for q in summary["questions"]] == [3, 1, 0]


def test_recorded_ids_land_in_the_summary(tick):
    s = session_of("which-order")
    s.start()
    s.grade("a", verdict(False))
    s.recorded(17)
    assert s.summary()["questions"][0]["attempt_ids"] == [17]


def test_a_variant_attempt_is_stored_under_its_template_with_its_seed(tick):
    planned = [p for p in plan_quiz(concept(), 6, seed=7) if p.item.template][:1]
    s = QuizSession(planned, mode="review")
    s.start()
    attempt = s.grade("[1; 2]", verdict(False))
    assert attempt.item_id == "gradient-random"
    assert attempt.variant_seed == planned[0].item.seed
    assert attempt.mode == "review"


def test_clock_text():
    assert clock_text(0) == "0:00"
    assert clock_text(245.9) == "4:05"
    assert clock_text(245.1, countdown=True) == "4:06"
    assert clock_text(3723) == "1:02:03"
