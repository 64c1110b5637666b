"""A summary of the learner's progress as one JSON-ready dict (for ``tui-tutor progress``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tui_tutor.progress.mastery import DEFAULT_THRESHOLD, concept_mastered, mastery_by_skill
from tui_tutor.progress.review import due
from tui_tutor.progress.store import ProgressStore


def progress_report(
    store: ProgressStore, skills: list[str], now: datetime, threshold: float = DEFAULT_THRESHOLD
) -> dict[str, Any]:
    """Attempts, mastery per skill of the concept, the concept gate and the reviews due at ``now``.

    Keys: ``attempts`` and ``correct`` (ints), ``threshold``, ``mastery`` (skill → level rounded
    to 3 places, attempts, mastered), ``mastered`` (the concept gate), ``reviews_due`` (int) and
    ``due`` (the list, most overdue first), ``saving`` (False when running in memory), ``file``
    and ``notice``.
    """
    history = store.attempts()
    masteries = mastery_by_skill(history, skills, threshold)
    reviews = due(store, now)
    return {
        "attempts": len(history),
        "correct": sum(1 for a in history if a.correct),
        "threshold": threshold,
        "mastery": {
            skill: {"level": round(m.level, 3), "attempts": m.attempts, "mastered": m.mastered}
            for skill, m in masteries.items()
        },
        "mastered": concept_mastered(masteries, threshold),
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
