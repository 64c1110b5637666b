"""What the quiz needs from the progress store: what is due, which variants were seen, the gate.

A thin layer over :mod:`tui_tutor.progress` in the concept's terms (skill titles, its threshold,
what it unlocks), shared by the quiz screen, the summary and ``TutorApp.concept_mastered``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui_tutor.content.model import Concept, Course
from tui_tutor.progress.mastery import SkillMastery, concept_mastered, mastery_by_skill
from tui_tutor.progress.records import as_utc
from tui_tutor.progress.review import due
from tui_tutor.progress.store import ProgressStore
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


def due_entries(store: ProgressStore, now: datetime) -> list[DueEntry]:
    """The cards due at ``now``, most overdue first, with each mistake's skills attached."""
    entries = []
    for card in due(store, now):
        skills: tuple[str, ...] = ()
        if card.kind == "mistake":
            stored = store.card("mistake", card.key)
            skills = stored.skills if stored else ()
        entries.append(DueEntry(card.kind, card.key, skills))
    return entries


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
    "skill_titles",
]  # fmt: skip
