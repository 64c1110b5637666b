"""``tui-tutor report --class-dir DIR``: every learner of a hosted class, from their progress stores.

Each ``DIR/learners/NAME/progress.sqlite3`` is read through ``progress.reader``: read-only, never
created or migrated, fine while the learner's tutor is writing it. Per learner: when last seen,
attempts, the first-try rate (of the answers that were a question's first try, the share right
with no hint or solution), mastery per skill and the concept gate. Per skill: the class's mean
mastery and how many have mastered it. And the mistakes most common across the class, with the
lesson's name for each and the section that explains it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tui_tutor.progress.levels import percent
from tui_tutor.progress.mastery import DEFAULT_THRESHOLD, SkillMastery, concept_mastered, mastery_by_skill
from tui_tutor.progress.mistakes import MistakeCount, explain, recurring_mistakes
from tui_tutor.progress.reader import StoreSnapshot, Unreadable, read_snapshot
from tui_tutor.progress.when import ago
from tui_tutor.report.tables import Column, Table
from tui_tutor.safetext import visible

LEARNERS = "learners"
MAX_LEARNERS = 1000


@dataclass(frozen=True)
class Learner:
    """One learner of the class: their store as read, or why it could not be."""

    name: str
    snapshot: StoreSnapshot | None
    problem: str | None = None


def read_class(class_dir: Path) -> tuple[list[Learner], list[str]]:
    """Every learner folder under ``DIR/learners`` (sorted by name), and the class-level problems."""
    folder = Path(class_dir) / LEARNERS
    if not Path(class_dir).is_dir():
        return [], [f"{visible(str(class_dir))}: no such folder"]
    if not folder.is_dir():
        return [], [f"{visible(str(folder))}: no learners folder (has anyone connected to this class yet?)"]
    homes = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    problems = [f"only the first {MAX_LEARNERS} learners were read"] if len(homes) > MAX_LEARNERS else []
    learners = []
    for home in homes[:MAX_LEARNERS]:
        try:
            learners.append(Learner(home.name, read_snapshot(home)))
        except Unreadable as err:
            learners.append(Learner(home.name, None, str(err)))
    return learners, problems


@dataclass(frozen=True)
class _Course:
    skills: list[tuple[str, str]]  # (id, title)
    threshold: float
    concept: Any


def _course(concept: Any, learners: Sequence[Learner]) -> _Course:
    if concept is not None:
        return _Course([(s.id, s.title) for s in concept.skills], concept.mastery_threshold, concept)
    seen = dict.fromkeys(skill for l in learners if l.snapshot for a in l.snapshot.attempts for skill in a.skills)
    return _Course([(s, s) for s in seen], DEFAULT_THRESHOLD, None)


def class_tables(learners: Sequence[Learner], concept: Any, now: datetime) -> list[Table]:
    """The tables of the class report: learners, mastery per skill (per learner), skills, mistakes."""
    course = _course(concept, learners)
    ids = [s for s, _ in course.skills]
    masteries = {
        l.name: mastery_by_skill(l.snapshot.attempts, ids, course.threshold) for l in learners if l.snapshot
    }
    return [
        _learners(learners, masteries, course, now),
        _matrix(learners, masteries, course),
        _skills(learners, masteries, course),
        _mistakes(learners, course, now),
    ]


def class_header(class_dir: Path, learners: Sequence[Learner], problems: Sequence[str], now: datetime) -> list[str]:
    read = sum(1 for l in learners if l.snapshot)
    lines = [f"Class {visible(str(class_dir))}: {read} learner{'s' if read != 1 else ''} read, "
             f"at {now.astimezone():%Y-%m-%d %H:%M:%S}."]  # fmt: skip
    lines.extend(f"Left out: {visible(l.name)}: {l.problem}" for l in learners if l.snapshot is None)
    lines.extend(f"Left out: {p}" for p in problems)
    return lines


def _first_try(snapshot: StoreSnapshot, skill: str | None = None) -> tuple[int, int]:
    first = [a for a in snapshot.attempts if a.try_number == 1 and (skill is None or skill in a.skills)]
    return sum(1 for a in first if a.correct and not a.hints_used and not a.solution_shown), len(first)


def _rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _learners(learners, masteries, course: _Course, now: datetime) -> Table:
    table = Table("learners", "Per learner", [
        Column("learner", "learner", min_width=8, max_width=20),
        Column("last_seen", "last seen", min_width=9, shown=lambda iso: ago(datetime.fromisoformat(iso), now)),
        Column("attempts", "attempts", numeric=True), Column("first_try_percent", "1st try %", numeric=True),
        Column("skills_mastered", "skills mastered", numeric=True), Column("concept_mastered", "gate", min_width=6),
    ])  # fmt: skip
    for l in learners:
        if l.snapshot is None:
            continue
        right, firsts = _first_try(l.snapshot)
        found = masteries[l.name]
        mastered = sum(1 for m in found.values() if m.mastered)
        table.rows.append([
            l.name, l.snapshot.last_seen.isoformat() if l.snapshot.last_seen else None, len(l.snapshot.attempts),
            _rate(right, firsts),
            f"{mastered} of {len(found)}", "open" if concept_mastered(found, course.threshold) else "locked",
        ])  # fmt: skip
    return table


def _matrix(learners, masteries: dict[str, dict[str, SkillMastery]], course: _Course) -> Table:
    """Learners down, skills across (numbered, with a legend): each cell the mastery percentage."""
    columns = [Column("learner", "learner", min_width=8, max_width=16)]
    columns += [Column(skill, str(i), numeric=True) for i, (skill, _) in enumerate(course.skills, 1)]
    table = Table("mastery", f"Mastery %, by skill (* mastered: {percent(course.threshold)}%+)", columns)
    for l in learners:
        if l.snapshot is None:
            continue
        row: list[Any] = [l.name]
        for skill, _ in course.skills:
            m = masteries[l.name][skill]
            row.append(f"{percent(m.level)}{'*' if m.mastered else ''}" if m.attempts else None)
        table.rows.append(row)
    table.note = "Skills: " + "; ".join(f"{i} {title}" for i, (_, title) in enumerate(course.skills, 1))
    return table


def _skills(learners, masteries, course: _Course) -> Table:
    table = Table("skills", "Per skill, across the class", [
        Column("skill", "skill", min_width=16, max_width=44), Column("mean_mastery_percent", "mastery %", numeric=True),
        Column("mastered", "mastered", numeric=True), Column("tried", "tried", numeric=True),
        Column("first_try_percent", "1st try %", numeric=True),
    ])  # fmt: skip
    read = [l for l in learners if l.snapshot]
    for skill, title in course.skills:
        levels = [masteries[l.name][skill] for l in read]
        right = firsts = 0
        for l in read:
            r, f = _first_try(l.snapshot, skill)
            right, firsts = right + r, firsts + f
        table.rows.append([
            title, percent(sum(m.level for m in levels) / len(levels)) if levels else None,
            sum(1 for m in levels if m.mastered), sum(1 for m in levels if m.attempts), _rate(right, firsts),
        ])  # fmt: skip
    return table


def _mistakes(learners, course: _Course, now: datetime) -> Table:
    table = Table("mistakes", "Most common mistakes across the class", [
        Column("code", "mistake", min_width=17), Column("title", "what it is", min_width=12, max_width=30),
        Column("learners", "learners", numeric=True), Column("times", "times", numeric=True),
        Column("last", "last", on_screen=False), Column("section", "reread", min_width=10, max_width=24),
    ])  # fmt: skip
    learners_with: Counter = Counter()
    times: Counter = Counter()
    last: dict[str, datetime] = {}
    for l in learners:
        if l.snapshot is None:
            continue
        for m in recurring_mistakes(l.snapshot.attempts):
            learners_with[m.code] += 1
            times[m.code] += m.count
            if m.last is not None and (m.code not in last or m.last > last[m.code]):
                last[m.code] = m.last
    order = sorted(learners_with, key=lambda c: (-learners_with[c], -times[c], c))
    named = explain([MistakeCount(c, times[c], last.get(c)) for c in order], course.concept)
    for entry in named:
        code = entry.mistake.code
        table.rows.append([
            code, entry.title, learners_with[code], times[code], last[code].isoformat() if code in last else None,
            f"{entry.section_number}. {entry.section_title}" if entry.section_number else None,
        ])  # fmt: skip
    return table


__all__ = ["Learner", "class_header", "class_tables", "read_class"]
