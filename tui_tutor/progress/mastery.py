"""How well each skill is mastered, estimated from the attempt history.

For one skill, take the attempts that train it — quiz, review and lesson practice alike. Each
attempt earns

    credit = score × (1 − HINT_COST) ** hints_used        (0 if the solution was shown)

where ``score`` is the credit the scoring rules gave the try (``progress.scoring``: a retry earns
half or less, a named conceptual mistake nothing, a slip in some entries its share), each hint
keeps 75 % of it, and an answer given after seeing the worked solution is no evidence at all.

**One piece of evidence per question per day.** A question is an item and its variant (a template's
fresh numbers are a new question); all the attempts at one question on one day (UTC) are one piece
of evidence, worth the best credit among them. So answering a question again the same day — a
fixed practice problem solved three times in a row — adds nothing: it shows the answer is
remembered, not that the skill is there. On a later day the same question counts again: recalling
it after a gap is what spaced review asks for. Pieces are ordered by their first attempt, oldest
first (n of them), and recent ones speak loudest: piece i (0 = oldest) weighs

    weight = 0.5 ** ((n − 1 − i) / HALF_LIFE)

i.e. a piece counts half as much as one HALF_LIFE (3) pieces later. The weighted mean of the
credits is capped by how much evidence there is:

    level = min(weighted mean, n / FULL_EVIDENCE)

With FULL_EVIDENCE = 3, one perfect answer shows at most 33 %, two at most 67 %; three questions
(or one question on three days) are needed before a skill can read as fully mastered. A skill never attempted has level 0. A skill is
*mastered* when its level reaches the threshold (default 0.8); a concept is mastered when every
one of its skills is. Time-based forgetting is not modelled here: that is the review schedule's job
(``progress.review``); this is "how well has the learner been doing", not "will they remember".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tui_tutor.progress.records import Attempt

HINT_COST = 0.25
HALF_LIFE = 3.0
FULL_EVIDENCE = 3
DEFAULT_THRESHOLD = 0.8


@dataclass(frozen=True)
class SkillMastery:
    """The mastery estimate for one skill: ``level`` in [0, 1] from ``attempts`` attempts."""

    skill: str
    level: float
    attempts: int
    mastered: bool


def attempt_credit(attempt: Attempt) -> float:
    """How much one attempt says the learner can do the skill unaided, in [0, 1]."""
    if attempt.solution_shown:
        return 0.0
    return attempt.score * (1.0 - HINT_COST) ** attempt.hints_used


def evidence(attempts: Iterable[Attempt]) -> list[float]:
    """The credits of a run of attempts (oldest first) as pieces of evidence: one per question per day.

    Attempts without a time (built outside the store) are each their own piece.
    """
    pieces: dict[object, float] = {}
    for index, a in enumerate(attempts):
        key = (a.item_id, a.variant_seed, a.at.date()) if a.at is not None else index
        pieces[key] = max(pieces.get(key, 0.0), attempt_credit(a))
    return list(pieces.values())  # dicts keep insertion order: by each piece's first attempt


def mastery_level(attempts: Iterable[Attempt]) -> float:
    """The recency-weighted, evidence-capped level of a run of attempts, oldest first."""
    credits = evidence(attempts)
    n = len(credits)
    if n == 0:
        return 0.0
    weights = [0.5 ** ((n - 1 - i) / HALF_LIFE) for i in range(n)]
    mean = sum(w * c for w, c in zip(weights, credits)) / sum(weights)
    # Rounded so float noise cannot put a level a hair under the threshold it reached.
    return min(round(mean, 9), n / FULL_EVIDENCE)  # rounding never lifts it over the cap


def skill_mastery(
    attempts: Iterable[Attempt], skill: str, threshold: float = DEFAULT_THRESHOLD
) -> SkillMastery:
    """The mastery of ``skill`` from a history of attempts (any items; others are ignored)."""
    relevant = _chronological(a for a in attempts if skill in a.skills)
    level = mastery_level(relevant)
    return SkillMastery(skill, level, len(relevant), bool(relevant) and level >= threshold)


def mastery_by_skill(
    attempts: Iterable[Attempt], skills: Iterable[str], threshold: float = DEFAULT_THRESHOLD
) -> dict[str, SkillMastery]:
    """``skill_mastery`` for each of ``skills``, in the order given."""
    history = list(attempts)
    return {skill: skill_mastery(history, skill, threshold) for skill in skills}


def concept_mastered(
    masteries: Mapping[str, SkillMastery] | Iterable[SkillMastery],
    threshold: float = DEFAULT_THRESHOLD,
) -> bool:
    """True when every skill of the concept clears ``threshold``.

    A skill never attempted is not mastered, and a concept with no skills listed is not mastered
    either: an empty gate that opened by itself would hide a content mistake.
    """
    values = list(masteries.values() if isinstance(masteries, Mapping) else masteries)
    return bool(values) and all(m.attempts > 0 and m.level >= threshold for m in values)


def _chronological(attempts: Iterable[Attempt]) -> list[Attempt]:
    # The store hands attempts over in recording order already; sorting keeps the function honest
    # for lists built elsewhere. Without timestamps on all of them, the given order is the best.
    history = list(attempts)
    if all(a.at is not None for a in history):
        history.sort(key=lambda a: (a.at, a.id or 0))
    return history
