"""Build the session ``tui-tutor quiz`` or ``tui-tutor review`` asks for."""

from __future__ import annotations

from datetime import datetime

from collections.abc import Iterable, Mapping

from tui_tutor.content.model import Concept
from tui_tutor.progress.mistakes import explain, recurring_mistakes
from tui_tutor.progress.store import ProgressStore
from tui_tutor.quiz.mistakes import SET_SIZE, Target, plan_mistake_practice
from tui_tutor.quiz.plan import new_seed, plan_quiz, plan_review
from tui_tutor.quiz.progress_view import due_entries, seen_variants
from tui_tutor.quiz.session import QuizSession


def build_session(
    concept: Concept,
    *,
    count: int = 5,
    seed: int | None = None,
    minutes: float | None = None,
    skill: str | None = None,
    review: bool = False,
    store: ProgressStore | None = None,
    now: datetime | None = None,
) -> QuizSession:
    """A quiz of ``count`` questions, or (``review``) a review of what is due at ``now``.

    A review needs the store (what is due, which variants were seen); ``skill`` narrows a review
    to cards of that skill and questions training it. An empty session means nothing matched.
    """
    seed = new_seed() if seed is None else seed
    if not review:
        planned = plan_quiz(concept, count, seed, skill)
    else:
        if store is None or now is None:
            raise ValueError("a review needs the progress store and the time")
        entries = due_entries(store, now, concept)
        if skill is not None:
            entries = [e for e in entries if _about(concept, e, skill)]
        planned = plan_review(concept, entries, count, seed, seen_variants(store))
        if skill is not None:
            planned = [p for p in planned if skill in p.item.skills]
    return QuizSession(planned, mode="review" if review else "quiz", seed=seed, minutes=minutes, skill=skill)


def mistake_targets(store: ProgressStore, concept: Concept) -> list[Target]:
    """The learner's recurring mistakes, most frequent first, as targets for a practice set."""
    return [
        Target(e.mistake.code, e.title, e.mistake.count, e.mistake.skills)
        for e in explain(recurring_mistakes(store.attempts()), concept)
    ]


def build_mistake_session(
    concept: Concept, store: ProgressStore, invites: Mapping[str, Iterable[str]], *,
    count: int = SET_SIZE, seed: int | None = None,
) -> QuizSession:  # fmt: skip
    """A short set aimed at the learner's mistakes (``invites``: see :mod:`tui_tutor.quiz.mistakes`)."""
    seed = new_seed() if seed is None else seed
    planned = plan_mistake_practice(
        concept, mistake_targets(store, concept), invites, seed=seed, count=count, seen_variants=seen_variants(store)
    )
    return QuizSession(planned, mode="mistakes", seed=seed)


def nothing_to_ask(
    concept: Concept, *, review: bool, skill: str | None, next_due: datetime | None = None,
    problems: tuple[str, ...] = (), mistakes: bool = False,
) -> str:
    """Why a session came out empty, and what to do instead.

    ``problems`` are the course files' problems: a quiz.yaml that could not be read leaves no
    questions, and saying "no questions yet" would hide why.
    """
    if mistakes:
        return ("No mistakes are recorded yet: the grader names a mistake when an answer shows one.\n\n"
                "Press n for a quick quiz instead.")
    if review:
        later = f" The next review falls due {next_due.astimezone():%a %d %b at %H:%M}." if next_due else ""
        return f"Nothing is due for review right now.{later}\n\nPress n for a quick quiz instead."
    if skill:
        skills = ", ".join(s.id for s in concept.skills)
        return f"No quiz questions train the skill '{skill}'.\n\nThe skills are: {skills}.\n\nPress n for a quiz on every skill."
    if problems:
        shown = "\n".join(problems[:8])
        more = f"\n... and {len(problems) - 8} more" if len(problems) > 8 else ""
        return (
            f"No quiz questions could be read: the course files have {len(problems)} problem(s).\n\n"
            f"{shown}{more}\n\nFix them (tui-tutor check lists every one) and start again."
        )
    return "This course has no quiz questions yet."


def _about(concept: Concept, entry, skill: str) -> bool:
    if entry.kind == "skill":
        return entry.key == skill
    if entry.kind == "mistake":
        return skill in entry.skills
    owner = next((e for e in (*concept.items, *concept.templates) if e.id == entry.key), None)
    return owner is not None and skill in owner.skills


__all__ = ["build_mistake_session", "build_session", "mistake_targets", "nothing_to_ask"]
