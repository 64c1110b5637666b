"""Lesson practice as attempts: which try an answer is, what it earns, and the contents' marks.

A practice problem is one *question* (``progress.scoring``) until it is solved: its tries are the
graded answers since it was last answered correctly, so leaving the page and coming back does not
start a fresh first try. Showing its worked solution is remembered as a hint reveal of tier 0
(``SOLUTION_TIER``), so an answer typed after it earns nothing even on a later visit; and opening
the solution of a problem never tried before is recorded as a miss, as giving up is in the quiz.

The contents mark a practice page *tried* once it has an attempt and *solved* once an answer to it
earned credit (a right answer copied from the solution is not solving it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tui_tutor.progress.records import Attempt, HintReveal
from tui_tutor.progress.scoring import credit, credit_note
from tui_tutor.progress.store import ProgressStore

SOLUTION_TIER = 0  # a hint reveal of tier 0 is the worked solution
SOLVED, TRIED = "solved", "tried"


@dataclass(frozen=True)
class PracticeRun:
    """Where a practice problem stands: tries since it was last solved, and whether the solution
    has been seen since then."""

    tries: int
    solution_seen: bool
    ever_attempted: bool


def practice_run(attempts: Sequence[Attempt], reveals: Iterable[HintReveal] = ()) -> PracticeRun:
    """The run of one problem from its attempts (oldest first) and its hint reveals."""
    last_solved = max((i for i, a in enumerate(attempts) if a.correct), default=-1)
    run = attempts[last_solved + 1:]
    since: datetime | None = attempts[last_solved].at if last_solved >= 0 else None
    seen = any(a.solution_shown for a in run) or any(
        r.tier == SOLUTION_TIER and (since is None or r.at >= since) for r in reveals
    )
    tries = sum(1 for a in run if not _gave_up(a))
    return PracticeRun(tries, seen, bool(attempts))


def record_practice(
    store: ProgressStore, problem, answer: str, *, correct: bool, partial: float, diagnosis: str | None,
    hints_used: int = 0, solution_shown: bool = False, seconds: float = 0.0,
) -> tuple[Attempt, str]:  # fmt: skip
    """Commit a graded answer to practice ``problem`` (its attempt and review cards) at once.

    ``problem`` is the course's PracticeProblem (``id``, ``skills``, ``kind``); ``partial`` the
    engine's share of right entries. Returns the attempt and a note on what it earned.
    """
    from tui_tutor.progress.review import record_and_schedule  # the scheduler: only once an answer comes

    run = practice_run(store.attempts(item_id=problem.id), store.hints(problem.id))
    shown = solution_shown or run.solution_seen
    rule = dict(correct=correct, diagnosis=diagnosis, kind=problem.kind, try_number=run.tries + 1, solution_shown=shown)
    earned = credit(partial=partial, **rule)
    attempt = Attempt(
        item_id=problem.id, answer=answer, correct=correct, score=earned, skills=problem.skills,
        diagnosis=diagnosis, hints_used=hints_used, solution_shown=shown, seconds=round(seconds, 3),
        mode="practice", try_number=run.tries + 1,
    )  # fmt: skip
    record_and_schedule(store, attempt)
    return attempt, credit_note(earned, **rule)


def record_solution_shown(store: ProgressStore, problem, *, hints_used: int = 0, seconds: float = 0.0) -> Attempt | None:
    """Remember that ``problem``'s solution was opened; the miss recorded when it was never tried."""
    from tui_tutor.progress.review import record_and_schedule

    first_time = not store.attempts(item_id=problem.id)
    store.record_hint(problem.id, SOLUTION_TIER)
    if not first_time:
        return None
    attempt = Attempt(
        item_id=problem.id, answer="", correct=False, score=0.0, skills=problem.skills, hints_used=hints_used,
        solution_shown=True, seconds=round(seconds, 3), mode="practice",
    )  # fmt: skip
    record_and_schedule(store, attempt)
    return attempt


def practice_marks(attempts: Iterable[Attempt], problem_ids: Iterable[str]) -> dict[str, str]:
    """Problem id → ``"solved"`` or ``"tried"`` (absent: never attempted)."""
    wanted = set(problem_ids)
    marks: dict[str, str] = {}
    for attempt in attempts:
        if attempt.item_id not in wanted:
            continue
        if attempt.correct and attempt.score > 0:
            marks[attempt.item_id] = SOLVED
        else:
            marks.setdefault(attempt.item_id, TRIED)
    return marks


def _gave_up(attempt: Attempt) -> bool:
    return attempt.solution_shown and not attempt.answer and not attempt.correct


__all__ = ["SOLUTION_TIER", "SOLVED", "TRIED", "PracticeRun", "practice_marks", "practice_run", "record_practice",
           "record_solution_shown"]  # fmt: skip
