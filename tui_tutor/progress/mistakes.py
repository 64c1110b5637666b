"""A learner's recurring mistakes: each diagnosis the grader gave, how often, when last, and where.

Counted from the attempt history (quiz, review and practice alike): one row per diagnosis code,
most frequent first (the most recent first among equals). The course ties a code to its name and
to the lesson section that explains it (``lesson.yaml``'s ``mistakes:``, see
``docs/content-format.md``); :func:`explain` adds those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tui_tutor.progress.records import Attempt


@dataclass(frozen=True)
class MistakeCount:
    """One diagnosis in the history: how often it was made, the last time, and on what."""

    code: str
    count: int
    last: datetime | None
    skills: tuple[str, ...] = ()  # the skills of the questions it was made on, most frequent first
    items: tuple[str, ...] = ()  # the item (or template) ids it was made on


@dataclass(frozen=True)
class Explained:
    """A mistake as the learner reads it: the count, the course's name and the section to reread."""

    mistake: MistakeCount
    title: str
    section_id: str | None = None
    section_title: str | None = None
    section_number: int | None = None  # 1-based, as ``tui-tutor lesson --section N`` takes it

    def to_dict(self) -> dict:
        """The JSON form (``tui-tutor progress --json``'s ``mistakes``)."""
        m = self.mistake
        return {
            "code": m.code, "title": self.title, "count": m.count, "last": m.last.isoformat() if m.last else None,
            "skills": list(m.skills), "items": list(m.items), "section": self.section_id,
            "section_title": self.section_title, "section_number": self.section_number,
        }  # fmt: skip


def recurring_mistakes(attempts: Iterable[Attempt]) -> list[MistakeCount]:
    """Every diagnosis in ``attempts``, most frequent first, then most recent."""
    counts: dict[str, int] = {}
    last: dict[str, datetime | None] = {}
    skills: dict[str, dict[str, int]] = {}
    items: dict[str, dict[str, None]] = {}
    for attempt in attempts:
        code = attempt.diagnosis
        if not code:
            continue
        counts[code] = counts.get(code, 0) + 1
        seen = [t for t in (last.get(code), attempt.at) if t is not None]
        last[code] = max(seen) if seen else None
        for skill in attempt.skills:
            skills.setdefault(code, {})[skill] = skills.get(code, {}).get(skill, 0) + 1
        items.setdefault(code, {})[attempt.item_id] = None
    found = [
        MistakeCount(code, n, last.get(code), tuple(sorted(skills.get(code, {}), key=lambda s: -skills[code][s])),
                     tuple(items.get(code, {})))
        for code, n in counts.items()
    ]  # fmt: skip
    return sorted(found, key=lambda m: (-m.count, -(m.last.timestamp() if m.last else 0), m.code))


def explain(mistakes: Iterable[MistakeCount], concept) -> list[Explained]:
    """Each mistake with the course's name for it and the lesson section that explains it.

    ``concept`` is the course's Concept (or None: the codes stand for themselves).
    """
    by_code = {m.diagnosis: m for m in getattr(concept, "mistakes", ()) if m.diagnosis}
    sections = list(getattr(concept, "sections", ()))
    numbers = {s.id: i for i, s in enumerate(sections, 1)}
    out = []
    for mistake in mistakes:
        written = by_code.get(mistake.code)
        section = written.section if written else None
        title = next((s.title for s in sections if s.id == section), None)
        out.append(Explained(mistake, written.title if written else _plain(mistake.code), section, title,
                             numbers.get(section)))  # fmt: skip
    return out


def _plain(code: str) -> str:
    return code.replace("_", " ").capitalize()


__all__ = ["Explained", "MistakeCount", "explain", "recurring_mistakes"]
