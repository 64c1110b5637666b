"""The plain records the progress store reads and writes.

They are frozen dataclasses so a record handed to a screen cannot drift from what was saved.
Timestamps are always timezone-aware UTC; a naive datetime is refused rather than guessed at,
because a guess would silently shift every review by the local UTC offset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

from fsrs import Card

MODES = ("quiz", "review", "practice")
CARD_KINDS = ("item", "skill", "mistake")

Mode = Literal["quiz", "review", "practice"]
CardKind = Literal["item", "skill", "mistake"]


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC (the default clock of the store)."""
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """``moment`` converted to UTC; raises ValueError for a naive datetime."""
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {moment.isoformat()} has no timezone; use UTC")
    return moment.astimezone(timezone.utc)


@dataclass(frozen=True)
class Attempt:
    """One graded answer to one question (quiz, review or lesson practice), as the learner gave it.

    ``score`` is the credit it earned in [0, 1] under ``progress.scoring`` (not the grader's raw
    share of right entries); ``correct`` is the grader's verdict; ``mode`` is where it was given.
    ``at`` and ``id`` are filled in by the store when the attempt is recorded (leave them ``None``).
    """

    item_id: str
    answer: str
    correct: bool
    score: float
    skills: tuple[str, ...] = ()
    variant_seed: int | None = None
    diagnosis: str | None = None
    hints_used: int = 0
    solution_shown: bool = False
    seconds: float = 0.0
    mode: Mode = "quiz"
    try_number: int = 1  # which try at the question this was (1 = the first; see progress.scoring)
    at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        # Screens naturally build skills as lists; keep the record hashable and immutable.
        object.__setattr__(self, "skills", tuple(self.skills))
        if not self.item_id:
            raise ValueError("an attempt needs an item id")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score must be between 0 and 1, got {self.score}")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if self.hints_used < 0:
            raise ValueError(f"hints used cannot be negative, got {self.hints_used}")
        if self.try_number < 1:
            raise ValueError(f"tries are counted from 1, got {self.try_number}")
        if self.seconds < 0:
            raise ValueError(f"seconds taken cannot be negative, got {self.seconds}")
        if self.at is not None:
            object.__setattr__(self, "at", as_utc(self.at))


@dataclass(frozen=True)
class HintReveal:
    """A hint of ``tier`` (1 = gentlest) shown for ``item_id`` at ``at``."""

    item_id: str
    tier: int
    at: datetime


@dataclass(frozen=True)
class ReviewCard:
    """The FSRS card for one thing worth reviewing: a quiz item, a skill, or a mistake code.

    ``skills`` matters for mistakes: a mistake comes back for review on items training these
    skills (see ``progress.review``).
    """

    kind: CardKind
    key: str
    card: Card
    skills: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.kind not in CARD_KINDS:
            raise ValueError(f"card kind must be one of {', '.join(CARD_KINDS)}, got {self.kind!r}")
        object.__setattr__(self, "skills", tuple(self.skills))
