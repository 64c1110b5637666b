"""Quiz summary files (``tui-tutor quiz --out``) as the report reads them: checked, one quiz only.

Each file is untrusted: read only if it is a regular file of at most ``MAX_BYTES``, parsed as JSON,
and checked field by field; a file that fails is reported (``file: why``) and left out, never
fatal. Then every summary must be of the same quiz: the same course question bank (its
fingerprint), seed, number of questions and skill, and the same question at each place. Files of
different quizzes are refused with a message naming which file is which, rather than mixed into
rates that would mean nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_tutor.quiz.summary_file import FORMAT
from tui_tutor.safefile import read_regular_file
from tui_tutor.safetext import visible

MAX_BYTES = 2_000_000
MAX_FILES = 2000


class DifferentQuizzes(Exception):
    """The summaries are not all of one quiz; the message says how they differ and which files."""


@dataclass(frozen=True)
class QuestionResult:
    """One learner's result on one question of the quiz."""

    key: str  # the item id, or the template id for a variant
    variant_seed: int | None
    skills: tuple[str, ...]
    kind: str
    answered: bool
    first_try: bool
    correct: bool
    score: float
    mistakes: tuple[str, ...]  # every diagnosis, one per try that got one
    seconds: float


@dataclass(frozen=True)
class Summary:
    """One learner's quiz, as read from their summary file."""

    file: Path
    learner: str
    seed: int
    total: int
    skill: str | None
    minutes: float | None
    ended: str
    score: float
    first_try: int
    eventually_right: int
    seconds: float
    course_id: str
    course_title: str
    fingerprint: str
    skill_titles: dict[str, str]
    questions: tuple[QuestionResult, ...]

    @property
    def identity(self) -> tuple:
        """What makes two summaries the same quiz."""
        return (self.fingerprint, self.seed, self.total, self.skill)


def summary_files(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The files to read: each FILE given, and the ``*.json`` files of each FOLDER (sorted).

    Returns them with the problems found (a path that does not exist).
    """
    files, problems = [], []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix == ".json" and not p.name.startswith("."))
            if not found:
                problems.append(f"{visible(str(path))}: no .json files in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(f"{visible(str(path))}: no such file or folder")
    return files[:MAX_FILES], problems + ([f"only the first {MAX_FILES} files were read"] if len(files) > MAX_FILES else [])


def read_summary(path: Path) -> Summary:
    """One summary file, checked; raises ValueError saying what is wrong with it."""
    raw, problem = read_regular_file(Path(path), None, MAX_BYTES)
    if problem:
        raise ValueError(problem)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"not JSON ({err})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a quiz summary written by 'tui-tutor quiz --out'")
    if data.get("mode") != "quiz":
        raise ValueError(f"a {_text(data.get('mode'), 'mode')} summary, not a quiz")
    course = data.get("course")
    if not isinstance(course, dict):
        raise ValueError("no course in it")
    questions = data.get("questions")
    if not isinstance(questions, list) or len(questions) != _whole(data.get("total"), "total"):
        raise ValueError("its questions do not match its total")
    skills = data.get("skills") if isinstance(data.get("skills"), dict) else {}
    total = _whole(data.get("total"), "total")
    if _number(data.get("score"), "score") > total or _whole(data.get("first_try"), "first_try") > total:
        raise ValueError("its score is more than its number of questions")
    return Summary(
        file=Path(path),
        learner=_text(data.get("learner"), "learner", limit=60) or "(no name)",
        seed=_whole(data.get("seed"), "seed"),
        total=_whole(data.get("total"), "total"),
        skill=_text(data.get("skill"), "skill") if data.get("skill") is not None else None,
        minutes=_number(data.get("minutes"), "minutes") if data.get("minutes") is not None else None,
        ended=_text(data.get("ended"), "ended") or "in progress",
        score=_number(data.get("score"), "score"),
        first_try=_whole(data.get("first_try"), "first_try"),
        eventually_right=_whole(data.get("eventually_right", data.get("correct")), "eventually_right"),
        seconds=_number(data.get("seconds"), "seconds"),
        course_id=_text(course.get("id"), "course id"),
        course_title=_text(course.get("title"), "course title"),
        fingerprint=_text(course.get("fingerprint"), "course fingerprint"),
        skill_titles={str(k): _text(v.get("title"), "skill title") if isinstance(v, dict) else str(k)
                      for k, v in skills.items()},  # fmt: skip
        questions=tuple(_question(q, i) for i, q in enumerate(questions, 1)),
    )


def read_summaries(paths: Sequence[Path]) -> tuple[list[Summary], list[str]]:
    """Every readable summary among ``paths`` (files or folders), and a line per file left out."""
    files, problems = summary_files(paths)
    found = []
    for path in files:
        try:
            found.append(read_summary(path))
        except ValueError as err:
            problems.append(f"{visible(str(path))}: {visible(str(err), limit=200)}")
    return found, problems


def check_one_quiz(summaries: Sequence[Summary]) -> None:
    """Raise DifferentQuizzes unless every summary is of the same quiz (see the module docstring)."""
    groups: dict[tuple, list[Summary]] = {}
    for s in summaries:
        groups.setdefault(s.identity, []).append(s)
    if len(groups) > 1:
        parts = []
        for (fingerprint, seed, total, skill), members in sorted(groups.items(), key=lambda g: -len(g[1])):
            names = ", ".join(visible(m.file.name) for m in members[:4]) + (f" and {len(members) - 4} more" if len(members) > 4 else "")
            what = f"seed {seed}, {total} questions{f', skill {skill}' if skill else ''}, course version {fingerprint[:8]}"
            parts.append(f"  {what}: {names}")
        raise DifferentQuizzes(
            "these summaries are from different quizzes, and rates across them would mean nothing:\n"
            + "\n".join(parts) + "\nReport one quiz at a time (give its files, or a folder holding only them)."
        )
    first = summaries[0] if summaries else None
    for s in summaries[1:]:
        for i, (a, b) in enumerate(zip(first.questions, s.questions), 1):
            if (a.key, a.variant_seed) != (b.key, b.variant_seed):
                raise DifferentQuizzes(
                    f"{visible(first.file.name)} and {visible(s.file.name)} have different questions at "
                    f"question {i} ({visible(a.key)} and {visible(b.key)}) although seed and course agree; "
                    "were they written by different versions of tui-tutor?"
                )


def _question(data: Any, number: int) -> QuestionResult:
    if not isinstance(data, dict):
        raise ValueError(f"question {number} is not an object")
    mistakes = data.get("mistakes") or []
    if not isinstance(mistakes, list):
        raise ValueError(f"question {number}: mistakes is not a list")
    skills = data.get("skills") or []
    if not isinstance(skills, list):
        raise ValueError(f"question {number}: skills is not a list")
    seed = data.get("variant_seed")
    return QuestionResult(
        key=_text(data.get("key"), f"question {number} key"),
        variant_seed=None if seed is None else _whole(seed, f"question {number} variant_seed"),
        skills=tuple(_text(s, "skill") for s in skills),
        kind=_text(data.get("kind") or "", "kind"),
        answered=_whole(data.get("attempts"), f"question {number} attempts") > 0,
        first_try=data.get("first_try") is True,
        correct=data.get("correct") is True,
        score=_number(data.get("score"), f"question {number} score", high=1.0),
        mistakes=tuple(_text(m, "mistake") for m in mistakes),
        seconds=_number(data.get("seconds"), f"question {number} seconds"),
    )


def _text(value: Any, what: str, limit: int = 200) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{what} is not text")
    return visible(value, limit=limit)


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**12:
        raise ValueError(f"{what} is not a whole number")
    return value


def _number(value: Any, what: str, high: float = 1e9) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= high:
        raise ValueError(f"{what} is not a number from 0 to {high:g}")
    return float(value)


__all__ = ["DifferentQuizzes", "QuestionResult", "Summary", "check_one_quiz", "read_summaries", "read_summary",
           "summary_files"]  # fmt: skip
