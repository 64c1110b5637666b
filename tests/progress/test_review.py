"""Spaced review: ratings from attempts, schedules that follow them, and the due list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating

from tui_tutor.progress.records import Attempt
from tui_tutor.progress.review import (
    due,
    rating_for,
    record_and_schedule,
    schedule_after_attempt,
)
from tui_tutor.progress.store import ProgressStore


def answer(store, clock, item_id="q1", correct=True, **fields) -> Attempt:
    """Record an attempt now and schedule it, as the quiz screen will."""
    fields.setdefault("score", 1.0 if correct else 0.0)
    fields.setdefault("skills", ("chain",))
    sent = Attempt(item_id=item_id, answer="x", correct=correct, at=clock(), **fields)
    store.record_attempt(sent)
    schedule_after_attempt(store, sent)
    return sent


def due_at(store, kind, key):
    return store.card(kind, key).card.due


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (dict(correct=False, score=0.0), Rating.Again),
        (dict(correct=False, score=0.3), Rating.Again),
        (dict(correct=True, score=1.0, solution_shown=True), Rating.Again),
        (dict(correct=False, score=0.6), Rating.Hard),
        (dict(correct=True, score=1.0, hints_used=1), Rating.Hard),
        (dict(correct=True, score=1.0, seconds=45.0), Rating.Good),
        (dict(correct=True, score=1.0, seconds=0.0), Rating.Good),  # untimed is not "quick"
        (dict(correct=True, score=1.0, seconds=8.0), Rating.Easy),
    ],
)
def test_rating_follows_the_attempt(fields, expected):
    assert rating_for(Attempt("q", "x", **fields)) == expected


def test_wrong_answer_comes_due_sooner_than_a_right_one(store, clock):
    answer(store, clock, "right", correct=True, seconds=40)
    answer(store, clock, "wrong", correct=False)
    assert due_at(store, "item", "wrong") < due_at(store, "item", "right")


def test_a_lapse_after_learning_brings_the_item_back_the_next_day(store, clock):
    for item in ("kept", "lapsed"):
        answer(store, clock, item, seconds=40)
    for _ in range(3):  # both learnt over a few days
        clock.advance(days=3)
        for item in ("kept", "lapsed"):
            answer(store, clock, item, seconds=40)
    clock.advance(days=10)
    answer(store, clock, "kept", seconds=40)
    answer(store, clock, "lapsed", correct=False)
    assert due_at(store, "item", "lapsed") - clock() == timedelta(days=1)
    assert due_at(store, "item", "kept") - clock() > timedelta(days=5)


@pytest.mark.parametrize(("fields", "after"), [
    (dict(correct=False), timedelta(days=1)),  # not in a minute: tomorrow, when it tests the skill
    (dict(correct=True, hints_used=1), timedelta(days=1.5)),
])  # fmt: skip
def test_a_new_question_comes_back_after_days_not_minutes(store, clock, fields, after):
    answer(store, clock, "q", seconds=40, **fields)
    assert due_at(store, "item", "q") - clock() == after
    answer(store, clock, "r", seconds=40)  # right: straight to FSRS's interval, in days
    assert due_at(store, "item", "r") - clock() >= timedelta(days=2)


def test_every_skill_of_the_item_gets_a_card(store, clock):
    answer(store, clock, "q1", skills=("chain", "product"), seconds=40)
    assert {c.key for c in store.cards(kind="skill")} == {"chain", "product"}
    assert len(store.cards(kind="item")) == 1


def test_due_lists_most_overdue_first_and_skips_what_is_not_due(store, clock):
    answer(store, clock, "a", correct=False, skills=("s-a",))  # due in a day
    clock.advance(minutes=2)
    answer(store, clock, "b", correct=False, skills=("s-b",))  # due 2 minutes after a
    answer(store, clock, "c", seconds=40, skills=("s-c",))  # due in days
    clock.advance(days=1, minutes=5)
    reviews = due(store, clock())
    assert [(r.kind, r.key) for r in reviews] == [
        ("item", "a"), ("skill", "s-a"), ("item", "b"), ("skill", "s-b"),
    ]  # fmt: skip
    assert [r.overdue for r in reviews] == [timedelta(minutes=m) for m in (7, 7, 5, 5)]
    assert due(store, clock() - timedelta(minutes=7, seconds=1)) == []


def test_a_mistake_comes_back_and_is_cleared_by_a_related_right_answer(store, clock):
    answer(store, clock, "jac-1", correct=False, diagnosis="transposed", skills=("jacobian",))
    mistake = store.card("mistake", "transposed")
    assert mistake.skills == ("jacobian",)
    assert mistake.card.due - clock() == timedelta(days=1)

    answer(store, clock, "jac-2", skills=("jacobian",), seconds=40)  # not yet due: no review
    assert store.card("mistake", "transposed").card.last_review == mistake.card.last_review

    clock.advance(days=1, minutes=5)
    assert ("mistake", "transposed") in {(r.kind, r.key) for r in due(store, clock())}
    answer(store, clock, "other", skills=("gradient",), seconds=40)  # unrelated skill
    assert store.card("mistake", "transposed").card.last_review == mistake.card.last_review
    answer(store, clock, "jac-3", skills=("jacobian",), seconds=40)
    assert store.card("mistake", "transposed").card.last_review == clock()
    assert store.card("mistake", "transposed").card.due > clock()


def test_schedules_are_deterministic(home, tmp_path, clock):
    # Easy graduates a new card straight to a multi-day interval, where fsrs would add fuzz.
    dues = []
    for name in ("one", "two"):
        with ProgressStore(tmp_path / name / "p.sqlite3", now=clock) as s:
            answer(s, clock, "q1", seconds=5)
            dues.append(due_at(s, "item", "q1"))
    assert dues[0] == dues[1] and dues[0] - clock() > timedelta(days=2)


def test_record_and_schedule_stamps_attempt_and_cards_with_one_time(store, clock):
    new_id = record_and_schedule(store, Attempt("q1", "x", False, 0.0, skills=("chain",)))
    [saved] = store.attempts()
    assert saved.id == new_id and saved.at == clock()
    assert store.card("item", "q1").card.last_review == clock()
    assert store.card("skill", "chain").card.due == clock() + timedelta(days=1)


def test_cards_survive_reopening(home, clock):
    with ProgressStore(now=clock) as s:
        answer(s, clock, "q1", correct=False, diagnosis="sign")
        before = s.card("mistake", "sign")
    with ProgressStore(now=clock) as s:
        assert s.card("mistake", "sign") == before
