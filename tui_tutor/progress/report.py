"""A summary of the learner's progress as one JSON-ready dict (for ``tui-tutor progress``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tui_tutor.progress.mastery import DEFAULT_THRESHOLD, concept_mastered, mastery_by_skill
from tui_tutor.progress.mistakes import explain, recurring_mistakes
from tui_tutor.progress.records import MODES
from tui_tutor.progress.review import due
from tui_tutor.progress.store import ProgressStore


def progress_report(
    store: ProgressStore, skills: list[str], now: datetime, threshold: float = DEFAULT_THRESHOLD, concept: Any = None
) -> dict[str, Any]:
    """Attempts, mastery per skill of the concept, the concept gate, mistakes and the reviews due at ``now``.

    Keys: ``attempts`` and ``correct`` (ints), ``by_source`` (quiz / review / practice → attempts),
    ``first_tries`` and ``first_try_right`` (answers that were a question's first try, and how
    many of those were right), ``threshold``, ``mastery`` (skill → level rounded to 3 places,
    attempts, mastered), ``mastered`` (the concept gate), ``mistakes`` (My mistakes, most frequent
    first, each with the course's name and the section to reread when ``concept`` is given),
    ``reviews_due`` (int) and ``due`` (the list, most overdue first), ``saving`` (False when
    running in memory), ``file`` and ``notice``.
    """
    history = store.attempts()
    masteries = mastery_by_skill(history, skills, threshold)
    reviews = due(store, now)
    first = [a for a in history if a.try_number == 1]
    return {
        "attempts": len(history),
        "correct": sum(1 for a in history if a.correct),
        "by_source": {mode: sum(1 for a in history if a.mode == mode) for mode in MODES},
        "first_tries": len(first),
        "first_try_right": sum(1 for a in first if a.correct and not a.hints_used and not a.solution_shown),
        "threshold": threshold,
        "mastery": {
            skill: {"level": round(m.level, 3), "attempts": m.attempts, "mastered": m.mastered}
            for skill, m in masteries.items()
        },
        "mastered": concept_mastered(masteries, threshold),
        "mistakes": [e.to_dict() for e in explain(recurring_mistakes(history), concept)],
        "reviews_due": len(reviews),
        "due": [
            {
                "kind": r.kind,
                "key": r.key,
                "due": r.due.isoformat(),
                "overdue_seconds": round(r.overdue.total_seconds()),
            }
            for r in reviews
        ],
        "saving": not store.read_only,
        "file": str(store.path),
        "notice": store.notice,
    }
