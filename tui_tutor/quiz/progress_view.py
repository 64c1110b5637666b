"""What the quiz needs from the progress store: what is due, which variants were seen, the gate.

A thin layer over :mod:`tui_tutor.progress` in the concept's terms (skill titles, its threshold,
what it unlocks), shared by the quiz screen, the summary and ``TutorApp.concept_mastered``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fsrs import State

from tui_tutor.content.model import Concept, Course
from tui_tutor.progress.mastery import SkillMastery, concept_mastered, mastery_by_skill
from tui_tutor.progress.records import Attempt, ReviewCard, as_utc
from tui_tutor.progress.review import due
from tui_tutor.progress.store import ProgressStore
from tui_tutor.progress.when import ago
from tui_tutor.quiz.plan import DueEntry


@dataclass(frozen=True)
class SkillBar:
    """One row of the mastery bars: a skill, its title and how far along it is."""

    skill: str
    title: str
    level: float  # 0..1
    attempts: int
    mastered: bool


@dataclass(frozen=True)
class Gate:
    """The mastery gate of a concept: the bars, whether it is passed, and what it unlocks."""

    concept_title: str
    threshold: float
    bars: tuple[SkillBar, ...]
    mastered: bool
    unlocks: tuple[str, ...]  # titles of the concepts it unlocks

    @property
    def skills_mastered(self) -> int:
        return sum(1 for bar in self.bars if bar.mastered)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form added to the quiz summary."""
        return {
            "mastery": {b.skill: {"level": round(b.level, 3), "attempts": b.attempts, "mastered": b.mastered} for b in self.bars},
            "mastered": self.mastered,
            "threshold": self.threshold,
            "unlocked": list(self.unlocks) if self.mastered else [],
        }


def skill_titles(concept: Concept) -> dict[str, str]:
    """Skill id → its title, for summaries."""
    return {s.id: s.title for s in concept.skills}


def mistake_titles(concept: Concept) -> dict[str, str]:
    """Diagnosis code → the lesson's name for that mistake ("Transposing the Jacobian")."""
    return {m.diagnosis: m.title for m in concept.mistakes if m.diagnosis}


def masteries(store: ProgressStore, concept: Concept) -> dict[str, SkillMastery]:
    """Mastery of each of the concept's skills, from the whole attempt history."""
    return mastery_by_skill(store.attempts(), [s.id for s in concept.skills], concept.mastery_threshold)


def gate(store: ProgressStore, course: Course, concept: Concept | None = None) -> Gate:
    """The mastery bars and gate of ``concept`` (the course's first by default)."""
    concept = concept or course.concept()
    found = masteries(store, concept)
    bars = tuple(
        SkillBar(s.id, s.title, found[s.id].level, found[s.id].attempts, found[s.id].mastered)
        for s in concept.skills
    )
    unlocks = []
    for concept_id in concept.unlocks:
        related = course.describe(concept_id)
        unlocks.append(related.title if related else concept_id)
    return Gate(
        concept.title, concept.mastery_threshold, bars,
        concept_mastered(found, concept.mastery_threshold), tuple(unlocks),
    )  # fmt: skip


def due_entries(store: ProgressStore, now: datetime, concept: Concept | None = None) -> list[DueEntry]:
    """The cards due at ``now``, most overdue first, each mistake's skills attached, and (given the
    concept for the names) why each is due."""
    entries = []
    history = store.attempts() if concept is not None else []
    for card in due(store, now):
        stored = store.card(card.kind, card.key)
        skills = stored.skills if stored is not None and card.kind == "mistake" else ()
        why = why_due(stored, history, now, concept) if stored is not None and concept is not None else ""
        entries.append(DueEntry(card.kind, card.key, skills, why))
    return entries


def why_due(card: ReviewCard, history: Sequence[Attempt], now: datetime, concept: Concept) -> str:
    """Why ``card`` is due, in the learner's terms: what they did last, when, and what the gap is for.

    A question or skill in its learning (or relearning) step was missed or needed help, and comes
    back a day later to check it stuck; one in review was right, and FSRS spaced it out to about
    when it would start to fade. A mistake names itself and how often it was made.
    """
    if card.kind == "mistake":
        made = [a for a in history if a.diagnosis == card.key]
        title = mistake_titles(concept).get(card.key, card.key.replace("_", " "))
        last = ago(max((a.at for a in made if a.at), default=None), now) if made else "before"
        times = f", {len(made)} times" if len(made) > 1 else ""
        return f"a mistake you made {last}{times}, to unlearn: {title}"
    relevant = [a for a in history if (a.item_id == card.key if card.kind == "item" else card.key in a.skills)]
    last = relevant[-1] if relevant else None
    if last is None or last.at is None:
        return ""
    when = ago(last.at, now)
    if card.card.state in (State.Learning, State.Relearning) or not last.correct:
        return f"you {_outcome(last)} {when}; a miss comes back a day later, to check it has stuck"
    gap = (as_utc(card.card.due) - as_utc(last.at)).days
    return f"right {when}; spaced {gap} day{'s' if gap != 1 else ''} out, to about when it would start to fade"


def _outcome(attempt: Attempt) -> str:
    if attempt.solution_shown and not attempt.answer:
        return "opened the solution"
    if not attempt.correct:
        return "got it wrong"
    if attempt.hints_used:
        return "needed hints"
    return "got it right"


def seen_variants(store: ProgressStore) -> dict[str, set[int]]:
    """Template id → the variant seeds already attempted (fresh variants avoid them)."""
    seen: dict[str, set[int]] = {}
    for attempt in store.attempts():
        if attempt.variant_seed is not None:
            seen.setdefault(attempt.item_id, set()).add(attempt.variant_seed)
    return seen


def next_review(store: ProgressStore) -> datetime | None:
    """When the earliest review card falls due (None when nothing has been attempted)."""
    cards = store.cards()
    return as_utc(cards[0].card.due) if cards else None


__all__ = [
    "Gate", "SkillBar", "due_entries", "gate", "masteries", "mistake_titles", "next_review", "seen_variants",
    "skill_titles", "why_due",
]  # fmt: skip
