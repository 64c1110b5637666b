"""Mastery per skill and the concept gate, from attempt histories built in the test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_tutor.progress.mastery import (
    SkillMastery,
    concept_mastered,
    mastery_by_skill,
    mastery_level,
    skill_mastery,
)
from tui_tutor.progress.records import Attempt


def run(*outcomes: bool, **fields) -> list[Attempt]:
    """Attempts on skill 'chain', oldest first, one per outcome."""
    return [
        Attempt("q", "x", ok, 1.0 if ok else 0.0, skills=("chain",), **fields) for ok in outcomes
    ]


def level(history: list[Attempt]) -> float:
    return skill_mastery(history, "chain").level


def test_never_attempted_is_zero_and_not_mastered():
    assert skill_mastery([], "chain") == SkillMastery("chain", 0.0, 0, False)


def test_few_attempts_cap_the_estimate():
    assert level(run(True)) == pytest.approx(1 / 3)
    assert level(run(True, True)) == pytest.approx(2 / 3)
    assert level(run(True, True, True)) == pytest.approx(1.0)
    assert skill_mastery(run(True, True, True), "chain").mastered


def test_recent_attempts_weigh_more():
    # weights 0.5**(1/3) for the older attempt and 1 for the newer one
    older = 0.5 ** (1 / 3)
    assert level(run(False, True)) == pytest.approx(1 / (1 + older))
    assert level(run(False, True, True, True)) > level(run(True, True, True, False))


def test_wrong_answers_lower_mastery():
    assert level(run(True, True, True, False)) < level(run(True, True, True, True))
    assert level(run(True, True, True, False, False)) < level(run(True, True, True, False))


def test_hints_lower_mastery_more_with_more_hints():
    clean = level(run(True, True, True))
    one_hint = level(run(True, True, True, hints_used=1))
    three_hints = level(run(True, True, True, hints_used=3))
    assert clean > one_hint > three_hints
    assert one_hint == pytest.approx(0.75)


def test_seeing_the_solution_earns_nothing():
    assert level(run(True, True, True, solution_shown=True)) == 0.0


def test_partial_credit_counts_for_what_it_is():
    half = [Attempt("q", "x", False, 0.5, skills=("chain",)) for _ in range(3)]
    assert level(half) == pytest.approx(0.5)


def test_other_skills_attempts_are_ignored():
    history = run(True, True, True) + [Attempt("p", "x", False, 0.0, skills=("product",))] * 3
    m = mastery_by_skill(history, ["chain", "product", "never"])
    assert (m["chain"].attempts, m["product"].attempts, m["never"].attempts) == (3, 3, 0)
    assert m["chain"].mastered and not m["product"].mastered and not m["never"].mastered


def test_gate_needs_every_skill_over_the_threshold():
    good, weak = SkillMastery("a", 0.9, 5, True), SkillMastery("b", 0.7, 5, False)
    assert concept_mastered([good, SkillMastery("c", 0.85, 4, True)], 0.8)
    assert not concept_mastered([good, weak], 0.8)
    assert concept_mastered([good, weak], 0.6)  # the threshold passed in is the one used
    assert not concept_mastered({"a": good, "z": SkillMastery("z", 0.0, 0, False)}, 0.0)
    assert not concept_mastered([], 0.8)


outcome = st.builds(
    lambda score, hints, shown: Attempt("q", "x", score == 1.0, score, skills=("chain",),
                                        hints_used=hints, solution_shown=shown),
    st.floats(0, 1), st.integers(0, 5), st.booleans(),
)  # fmt: skip


@settings(max_examples=60)
@given(st.lists(outcome, max_size=30))
def test_level_is_a_fraction_bounded_by_the_evidence(history):
    value = mastery_level(history)
    assert 0.0 <= value <= 1.0
    assert value <= len(history) / 3 + 1e-12


# --- one piece of evidence per question per day -----------------------------------------------------


def _at(day: int, minute: int = 0):
    from datetime import datetime, timezone

    return datetime(2026, 11, day, 9, minute, tzinfo=timezone.utc)


def _try(item: str, day: int, minute: int, score: float, variant: int | None = None) -> Attempt:
    return Attempt(item, "x", score == 1.0, score, skills=("chain",), variant_seed=variant, at=_at(day, minute))


def test_one_question_answered_three_times_in_a_day_is_one_piece_of_evidence():
    history = [_try("p", 1, m, 1.0) for m in range(3)]
    assert level(history) == pytest.approx(1 / 3) and not skill_mastery(history, "chain").mastered
    assert skill_mastery(history, "chain").attempts == 3  # every attempt is still counted as made


def test_the_same_question_on_three_days_is_three_pieces():
    assert level([_try("p", day, 0, 1.0) for day in (1, 3, 7)]) == pytest.approx(1.0)


def test_fresh_variants_of_a_template_are_new_questions_the_same_day():
    assert level([_try("t", 1, m, 1.0, variant=m) for m in range(3)]) == pytest.approx(1.0)


def test_a_day_at_a_question_is_worth_its_best_try():
    wrong_then_right = [_try("p", 1, 0, 0.0), _try("p", 1, 1, 0.5)]  # the retry already earned half
    assert level(wrong_then_right) == pytest.approx(min(0.5, 1 / 3))
    three_days = [_try("a", 1, 0, 0.0), _try("a", 1, 1, 0.5), _try("b", 2, 0, 1.0), _try("c", 3, 0, 1.0)]
    weights = [0.5 ** (2 / 3), 0.5 ** (1 / 3), 1.0]
    assert level(three_days) == pytest.approx((weights[0] * 0.5 + weights[1] + weights[2]) / sum(weights))
