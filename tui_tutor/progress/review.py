"""Spaced review with FSRS: what to bring back, and when.

Three kinds of thing get an FSRS card:

- each **item** attempted, rated by how the attempt went;
- each **skill** the item trains, with the same rating, so a weak skill comes back even when the
  learner has seen every item that trains it;
- each **mistake** (diagnosis code) the learner made, rated Again whenever it is made. A mistake
  card remembers the skills of the items it was made on; when it is due, the next attempt on an
  item training one of those skills that does not repeat it counts as its review (with that
  attempt's rating). Reviewing it only once due keeps a run of easy items in one sitting from
  "curing" a mistake the learner has not been tested on after a gap.

How an attempt is rated (``rating_for``):

    solution shown, or wrong with score < 0.5         → Again
    wrong but score ≥ 0.5, partial credit, or hints   → Hard
    correct, full score, no hints, within easy_seconds → Easy
    correct, full score, no hints                      → Good

Steps for a course studied over days. FSRS's default learning steps (1 and 10 minutes) suit a
flash-card deck drilled in one sitting; a chain-rule question answered wrong and asked again ten
minutes later tests short-term memory of the answer just seen, not the skill. So a new card has
one learning step of a day (``LEARNING_STEPS``): answered wrong (Again) it comes back tomorrow,
with hints (Hard) in a day and a half, right (Good, Easy) it graduates at once to FSRS's own
interval of days. A learnt card answered wrong (a lapse) comes back the next day too
(``RELEARNING_STEPS``). Intervals after that are FSRS's, aiming at 90 % recall.

The scheduler runs with fuzzing off so the same history always gives the same schedule (and
cards can be rebuilt from the attempts, which remain the source of truth).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler

from tui_tutor.progress.records import Attempt, CardKind, ReviewCard, as_utc
from tui_tutor.progress.store import ProgressStore

LEARNING_STEPS = (timedelta(days=1),)
RELEARNING_STEPS = (timedelta(days=1),)
SCHEDULER = Scheduler(learning_steps=LEARNING_STEPS, relearning_steps=RELEARNING_STEPS, enable_fuzzing=False)
PARTIAL_PASS = 0.5
EASY_SECONDS = 20.0


@dataclass(frozen=True)
class DueReview:
    """One card due for review: what it is, when it fell due, and by how much it is overdue."""

    kind: CardKind
    key: str
    due: datetime
    overdue: timedelta


def rating_for(attempt: Attempt, easy_seconds: float = EASY_SECONDS) -> Rating:
    """The FSRS rating an attempt earns (see the module docstring for the table)."""
    if attempt.solution_shown or (not attempt.correct and attempt.score < PARTIAL_PASS):
        return Rating.Again
    if not attempt.correct or attempt.score < 1.0 or attempt.hints_used > 0:
        return Rating.Hard
    # seconds == 0 means "not timed", which is no evidence of speed.
    if 0 < attempt.seconds <= easy_seconds:
        return Rating.Easy
    return Rating.Good


def schedule_after_attempt(
    store: ProgressStore, attempt: Attempt, easy_seconds: float = EASY_SECONDS
) -> Rating:
    """Update the item, skill and mistake cards for ``attempt``; return the rating used.

    Call it after ``store.record_attempt``; the attempt's ``at`` (or the store's clock) is the
    review time. All the updated cards are saved in one transaction.
    """
    at = as_utc(attempt.at or store.now())
    rating = rating_for(attempt, easy_seconds)
    updated = [_reviewed(store, "item", attempt.item_id, rating, at)]
    for skill in dict.fromkeys(attempt.skills):  # each skill once, even if listed twice
        updated.append(_reviewed(store, "skill", skill, rating, at))
    if attempt.diagnosis:
        made = _reviewed(store, "mistake", attempt.diagnosis, Rating.Again, at, attempt.skills)
        updated.append(made)
    if rating != Rating.Again:
        # A wrong answer says nothing about whether *this* mistake is gone, so only a pass counts.
        for mistake in store.cards(kind="mistake", due_by=at):
            if mistake.key != attempt.diagnosis and set(mistake.skills) & set(attempt.skills):
                updated.append(_reviewed(store, "mistake", mistake.key, rating, at))
    store.save_cards(updated)
    return rating


def record_and_schedule(
    store: ProgressStore, attempt: Attempt, easy_seconds: float = EASY_SECONDS
) -> int:
    """Record ``attempt`` and update its review cards, stamped with one time; return its id.

    The attempt is committed first: if the process dies before the cards are saved, the answer
    is still kept (the cards are derived data; the attempts are the record).
    """
    stamped = attempt if attempt.at is not None else replace(attempt, at=as_utc(store.now()))
    new_id = store.record_attempt(stamped)
    schedule_after_attempt(store, stamped, easy_seconds)
    return new_id


def due(store: ProgressStore, now: datetime) -> list[DueReview]:
    """Every card due at ``now`` (items, skills and mistakes), most overdue first."""
    now = as_utc(now)
    return [
        DueReview(c.kind, c.key, as_utc(c.card.due), now - as_utc(c.card.due))
        for c in store.cards(due_by=now)
    ]


def _reviewed(
    store: ProgressStore,
    kind: CardKind,
    key: str,
    rating: Rating,
    at: datetime,
    skills: tuple[str, ...] = (),
) -> ReviewCard:
    existing = store.card(kind, key)
    # An explicit card_id skips fsrs' 1 ms sleep that keeps its default ids unique; we key cards
    # by (kind, key) and never use the id.
    card = existing.card if existing else Card(card_id=int(at.timestamp() * 1000), due=at)
    known = existing.skills if existing else ()
    card, _log = SCHEDULER.review_card(card, rating, review_datetime=at)
    return ReviewCard(kind, key, card, tuple(dict.fromkeys(known + tuple(skills))))
