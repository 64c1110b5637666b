"""``tui-tutor report FILES...``: one quiz taken by a class, from the learners' summary files.

Per question: how many answered, the share of the class right at the first try and right
eventually, and the mistakes made, counted in learners (three learners who transposed it, not one
learner who transposed it three times). Per learner: the first-try score (``progress.scoring``),
the questions right at the first try and eventually, the time taken and how the quiz ended. Per
skill: the class's first-try rate over every answer to a question training it. And the mistakes
across the quiz, with the lesson's name for each when the course is at hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from tui_tutor.quiz.session import clock_text
from tui_tutor.report.summaries import Summary
from tui_tutor.report.tables import Column, Table


def quiz_tables(summaries: Sequence[Summary], mistake_titles: Mapping[str, str] | None = None) -> list[Table]:
    """The four tables of the quiz report (questions, learners, skills, mistakes)."""
    titles = mistake_titles or {}
    return [_questions(summaries), _learners(summaries), _skills(summaries), _mistakes(summaries, titles)]


def quiz_header(summaries: Sequence[Summary], problems: Sequence[str]) -> list[str]:
    """What quiz this is and how many learners, then every file left out and why."""
    lines = []
    if summaries:
        s = summaries[0]
        skill = f", skill {s.skill}" if s.skill else ""
        count = len(summaries)
        lines.append(
            f"Quiz seed {s.seed}: {s.total} question{'s' if s.total != 1 else ''}{skill}, {s.course_title} "
            f"(bank {s.fingerprint[:8]}); {count} learner{'s' if count != 1 else ''}."
        )
        unfinished = [x for x in summaries if x.ended not in ("finished", "time")]
        if unfinished:
            lines.append(f"Not finished: {', '.join(sorted(x.learner for x in unfinished))} (counted as they stand).")
    lines.extend(f"Left out: {p}" for p in problems)
    return lines


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _counted(counter: Counter, times: str = " ") -> str:
    return ", ".join(f"{code}{times}{n}" for code, n in counter.most_common(3)) + (" ..." if len(counter) > 3 else "")


def _questions(summaries: Sequence[Summary]) -> Table:
    table = Table("questions", "Per question (% of the class)", [
        Column("number", "#", numeric=True), Column("question", "question", min_width=14, max_width=26),
        Column("answered", "answered", numeric=True), Column("first_try_percent", "1st try %", numeric=True),
        Column("right_percent", "right %", numeric=True), Column("mistakes", "mistakes (learners)", min_width=12),
    ])  # fmt: skip
    total = len(summaries[0].questions) if summaries else 0
    class_size = len(summaries)
    for i in range(total):
        results = [s.questions[i] for s in summaries]
        made = Counter(code for r in results for code in set(r.mistakes))
        table.rows.append([
            i + 1, results[0].key, sum(r.answered for r in results),
            _percent(sum(r.first_try for r in results), class_size), _percent(sum(r.correct for r in results), class_size),
            _counted(made),
        ])  # fmt: skip
    return table


def _learners(summaries: Sequence[Summary]) -> Table:
    table = Table("learners", "Per learner (score: first tries in full, retries half or less)", [
        Column("learner", "learner", min_width=8, max_width=24), Column("score", "score", numeric=True),
        Column("percent", "%", numeric=True), Column("first_try", "1st try", numeric=True),
        Column("right", "right", numeric=True), Column("seconds", "time", numeric=True, shown=clock_text),
        Column("ended", "ended", min_width=8), Column("file", "file", on_screen=False),
    ])  # fmt: skip
    for s in sorted(summaries, key=lambda s: (-s.score, s.learner)):
        table.rows.append([
            s.learner, round(s.score, 3), _percent_score(s.score, s.total), s.first_try, s.eventually_right,
            s.seconds, s.ended, s.file.name,
        ])  # fmt: skip
    return table


def _percent_score(score: float, total: int) -> int | None:
    return round(100 * score / total) if total else None


def _skills(summaries: Sequence[Summary]) -> Table:
    table = Table("skills", "Per skill (every answer to a question training it)", [
        Column("skill", "skill", min_width=16, max_width=44), Column("answers", "answers", numeric=True),
        Column("first_try_percent", "1st try %", numeric=True), Column("right_percent", "right %", numeric=True),
    ])  # fmt: skip
    counts: dict[str, list[int]] = {}
    titles: dict[str, str] = {}
    for s in summaries:
        titles.update(s.skill_titles)
        for q in s.questions:
            for skill in dict.fromkeys(q.skills):
                row = counts.setdefault(skill, [0, 0, 0])
                row[0] += 1
                row[1] += int(q.first_try)
                row[2] += int(q.correct)
    for skill, (n, first, right) in counts.items():
        table.rows.append([titles.get(skill) or skill, n, _percent(first, n), _percent(right, n)])
    return table


def _mistakes(summaries: Sequence[Summary], titles: Mapping[str, str]) -> Table:
    table = Table("mistakes", "Mistakes across the quiz", [
        Column("code", "mistake", min_width=17), Column("title", "what it is", min_width=12, max_width=40),
        Column("learners", "learners", numeric=True), Column("times", "times", numeric=True),
        Column("questions", "on questions", min_width=6),
    ])  # fmt: skip
    learners: Counter = Counter()
    times: Counter = Counter()
    where: dict[str, list[int]] = {}
    for s in summaries:
        codes = set()
        for i, q in enumerate(s.questions, 1):
            for code in q.mistakes:
                times[code] += 1
                codes.add(code)
                if i not in where.setdefault(code, []):
                    where[code].append(i)
        learners.update(codes)
    for code, n in sorted(learners.items(), key=lambda kv: (-kv[1], -times[kv[0]], kv[0])):
        table.rows.append([code, titles.get(code, ""), n, times[code], ", ".join(str(i) for i in sorted(where[code]))])
    return table


__all__ = ["quiz_header", "quiz_tables"]
