"""The quiz and the store: reviews built from what is due, seen variants, mastery and the gate."""

from __future__ import annotations

import pytest

from tests.quiz.helpers import Clock, concept, course
from tui_tutor.progress.records import Attempt
from tui_tutor.progress.review import record_and_schedule
from tui_tutor.progress.store import ProgressStore
from tui_tutor.quiz.progress_view import due_entries, gate, next_review, seen_variants
from tui_tutor.quiz.start import build_session, nothing_to_ask


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("TUI_TUTOR_HOME", str(tmp_path / "home"))
    with ProgressStore(now=clock) as opened:
        yield opened


def answer(store, item_id, correct=True, skills=("chain-product",), **fields):
    fields.setdefault("score", 1.0 if correct else 0.0)
    return record_and_schedule(store, Attempt(item_id=item_id, answer="x", correct=correct, skills=skills, **fields))


def test_nothing_is_due_in_a_fresh_store(store, clock):
    session = build_session(concept(), review=True, store=store, now=clock())
    assert session.questions == [] and session.mode == "review"
    assert next_review(store) is None
    assert "Nothing is due" in nothing_to_ask(concept(), review=True, skill=None)


def test_a_review_serves_what_is_due_with_fresh_variants(store, clock):
    answer(store, "jacobian-at-point", correct=False, diagnosis="transposed")
    answer(store, "gradient-random", correct=False, variant_seed=123, skills=("gradient-pullback", "chain-product"))
    assert next_review(store) is not None
    clock.advance(days=2)
    entries = due_entries(store, clock())
    assert {(e.kind, e.key) for e in entries} >= {("item", "jacobian-at-point"), ("mistake", "transposed")}
    mistake = next(e for e in entries if e.kind == "mistake")
    assert mistake.skills == ("chain-product",)
    assert seen_variants(store) == {"gradient-random": {123}}

    session = build_session(concept(), count=5, seed=1, review=True, store=store, now=clock())
    keys = [q.item.key for q in session.questions]
    assert "jacobian-at-point" in keys and "gradient-random" in keys
    variant = next(q.item for q in session.questions if q.item.template)
    assert variant.seed != 123
    assert all(q.reason for q in session.questions)
    assert len(keys) == len(set(keys))


def test_a_review_narrowed_to_a_skill(store, clock):
    answer(store, "jacobian-at-point", correct=False)
    answer(store, "shape-of-composite", correct=False, skills=("shapes",))
    clock.advance(days=2)
    session = build_session(concept(), review=True, skill="shapes", store=store, now=clock())
    assert [q.item.key for q in session.questions] == ["shape-of-composite"]


def test_a_review_needs_the_store(clock):
    with pytest.raises(ValueError):
        build_session(concept(), review=True)


def test_the_gate_opens_when_every_skill_clears_the_threshold(store, clock):
    locked = gate(store, course())
    assert not locked.mastered and locked.unlocks == ("Backpropagation",)
    assert [b.skill for b in locked.bars] == ["shapes", "chain-product", "gradient-pullback"]
    assert all(b.level == 0 and b.attempts == 0 for b in locked.bars)
    for _ in range(3):  # the same questions, recalled on three days
        answer(store, "shape-of-composite", skills=("shapes",))
        answer(store, "gradient-random", skills=("gradient-pullback", "chain-product"))
        clock.advance(days=1)
    opened = gate(store, course())
    assert opened.mastered and opened.skills_mastered == 3
    assert opened.to_dict()["unlocked"] == ["Backpropagation"]


def test_the_same_question_answered_again_the_same_day_is_no_new_evidence(store):
    """Solving one fixed problem three times in a row shows the answer is remembered, not the skill."""
    for _ in range(3):
        answer(store, "shape-of-composite", skills=("shapes",))
    bar = gate(store, course()).bars[0]
    assert bar.attempts == 3 and bar.level == pytest.approx(1 / 3) and not bar.mastered


def test_hints_hold_mastery_back(store):
    for _ in range(3):
        answer(store, "shape-of-composite", skills=("shapes",), hints_used=2)
    bar = gate(store, course()).bars[0]
    assert bar.attempts == 3 and 0 < bar.level < 0.8 and not bar.mastered


def test_a_quiz_seed_is_drawn_and_kept_when_none_is_given():
    session = build_session(concept(), count=3)
    assert isinstance(session.seed, int)
    assert len(session.questions) == 3


def test_the_review_says_why_each_question_is_due(store, clock):
    answer(store, "jacobian-at-point", correct=False, diagnosis="transposed")
    clock.advance(hours=1)
    answer(store, "which-order", correct=False, diagnosis="transposed")
    answer(store, "shape-of-composite", correct=True, skills=("shapes",), seconds=40)
    clock.advance(days=1, hours=2)
    entries = {(e.kind, e.key): e.why for e in due_entries(store, clock(), concept())}
    assert entries[("item", "jacobian-at-point")] == (
        "you got it wrong yesterday; a miss comes back a day later, to check it has stuck")
    assert entries[("mistake", "transposed")] == (
        "a mistake you made yesterday, 2 times, to unlearn: Transposing the Jacobian")
    assert ("item", "shape-of-composite") not in entries  # right: spaced out by days, not due yet
    clock.advance(days=30)
    entries = {(e.kind, e.key): e.why for e in due_entries(store, clock(), concept())}
    assert entries[("item", "shape-of-composite")].startswith("right 31 days ago; spaced ")
    assert entries[("item", "shape-of-composite")].endswith(" days out, to about when it would start to fade")
    session = build_session(concept(), count=5, seed=1, review=True, store=store, now=clock())
    reasons = {q.item.key: q.reason for q in session.questions}
    assert reasons["jacobian-at-point"].startswith("you got it wrong 31 days ago")
