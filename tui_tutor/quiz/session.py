"""One sitting of a quiz or a review: per-question state, the countdown, and the end summary.

UI-free and engine-free: the screen asks the engine to grade and hands the verdict in; this module
keeps the bookkeeping (attempts, hints revealed, solution shown, time) and turns each graded answer
into the :class:`~tui_tutor.progress.records.Attempt` the screen records at once.

Scoring follows :mod:`tui_tutor.progress.scoring`, the one rule for every kind of question: a
question's score is the credit of its first try, unless a later try earned more at a reduced rate
(half at the second try, a quarter after; nothing for a second guess at a choice or a shape, for
a named conceptual mistake, or after the worked solution). The quiz score, shown as the headline
"first-try score", is the sum; "eventually right" counts the questions answered right at any try.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, Sequence

from tui_tutor.content.model import QuizItem
from tui_tutor.progress.records import Attempt
from tui_tutor.progress.scoring import credit, credit_note, question_score
from tui_tutor.quiz.plan import PlannedQuestion

# The clock the countdown and the timings read; tests replace it (``monkeypatch.setattr``).
monotonic: Callable[[], float] = time.monotonic

ENDED_FINISHED, ENDED_TIME, ENDED_EARLY = "finished", "time", "ended early"


@dataclass(frozen=True)
class GradedAttempt:
    """One graded answer as the session remembers it."""

    answer: str
    correct: bool
    score: float  # the credit this try earned (progress.scoring), not the grader's raw share
    diagnosis: str | None
    message: str
    hints_used: int
    solution_shown: bool
    seconds: float
    try_number: int = 1
    note: str = ""  # why it earned what it did ("Credit 1/2: right at try 2.")
    id: int | None = None  # the store's id, once recorded


@dataclass
class Question:
    """A question being asked: the item (with its variant's answer once computed) and its history."""

    item: QuizItem
    reason: str = ""
    attempts: list[GradedAttempt] = field(default_factory=list)
    hints_shown: int = 0
    solution_shown: bool = False
    seconds: float = 0.0  # time spent on this question so far
    _since: float | None = None  # when the clock last started on it

    @property
    def correct(self) -> bool:
        """Answered correctly (at any attempt)."""
        return any(a.correct for a in self.attempts)

    @property
    def first_try(self) -> bool:
        """Answered correctly at the first attempt, without hints or the solution."""
        first = self.attempts[0] if self.attempts else None
        return bool(first and first.correct and not first.hints_used and not first.solution_shown)

    @property
    def score(self) -> float:
        """The question's score: the best credit of its tries (progress.scoring)."""
        return question_score(a.score for a in self.attempts)

    @property
    def done(self) -> bool:
        """Nothing left to earn: answered correctly, or the solution has been seen."""
        return self.correct or self.solution_shown

    @property
    def hints_left(self) -> int:
        return len(self.item.hints) - self.hints_shown

    @property
    def last(self) -> GradedAttempt | None:
        return self.attempts[-1] if self.attempts else None


MODE_NAMES = {"quiz": "Quiz", "review": "Review", "mistakes": "Mistakes practice"}


class QuizSession:
    """The questions of one quiz or review, the one being asked, the clock and the countdown.

    ``mode`` is "quiz", "review" or "mistakes" (a short set aimed at the learner's mistakes).
    """

    def __init__(
        self,
        planned: Sequence[PlannedQuestion],
        *,
        mode: str = "quiz",
        seed: int = 0,
        minutes: float | None = None,
        skill: str | None = None,
    ) -> None:
        self.questions = [Question(p.item, p.reason) for p in planned]
        self.mode = mode
        self.seed = seed
        self.minutes = minutes if minutes and minutes > 0 else None
        self.skill = skill
        self.index = 0
        self.started: float | None = None
        self.ended: str | None = None
        self._stopped_at: float | None = None

    @property
    def record_mode(self) -> str:
        """Where its attempts come from, as the store records it: a set aimed at mistakes is review."""
        return "quiz" if self.mode == "quiz" else "review"

    # --- the clock -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the clock (and the countdown) on the first question."""
        if self.started is None:
            self.started = monotonic()
            if self.questions:
                self.questions[0]._since = self.started

    def elapsed(self) -> float:
        """Seconds since the start (frozen once the quiz has ended)."""
        if self.started is None:
            return 0.0
        end = self._stopped_at if self._stopped_at is not None else monotonic()
        return max(0.0, end - self.started)

    def remaining(self) -> float | None:
        """Seconds left on the countdown, or None without one."""
        if self.minutes is None:
            return None
        return max(0.0, self.minutes * 60 - self.elapsed())

    @property
    def out_of_time(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0

    def _lap(self, question: Question) -> float:
        """Seconds on ``question`` since its clock last started; restarts it."""
        now = monotonic()
        spent = 0.0 if question._since is None else max(0.0, now - question._since)
        question.seconds += spent
        question._since = now
        return spent

    # --- the question being asked ----------------------------------------------------------------

    @property
    def current(self) -> Question | None:
        if self.ended is not None or not 0 <= self.index < len(self.questions):
            return None
        return self.questions[self.index]

    @property
    def is_last(self) -> bool:
        return self.index >= len(self.questions) - 1

    def set_item(self, index: int, item: QuizItem) -> None:
        """Replace a question's item: its variant's computed answer, or a replacement variant."""
        self.questions[index].item = item

    def reveal_hint(self) -> tuple[int, str] | None:
        """Reveal the next hint of the current question: (tier, text), or None if none are left."""
        question = self.current
        if question is None or question.hints_left <= 0:
            return None
        question.hints_shown += 1
        return question.hints_shown, question.item.hints[question.hints_shown - 1]

    def show_solution(self) -> bool:
        """Mark the worked solution of the current question as seen; False if it already was."""
        question = self.current
        if question is None or question.solution_shown:
            return False
        question.solution_shown = True
        return True

    def already_tried(self, answer: str) -> bool:
        """Whether ``answer`` is exactly what the current question's last attempt was."""
        question = self.current
        last = question.last if question else None
        return last is not None and " ".join(last.answer.split()) == " ".join(answer.split())

    def grade(self, answer: str, verdict: Any) -> Attempt:
        """Note a graded answer to the current question; return the Attempt to record.

        ``verdict`` is the engine's Verdict (``correct``, ``score``, ``diagnosis``, ``message``).
        """
        question = self.current
        if question is None:
            raise RuntimeError("no question is being asked")
        seconds = self._lap(question)
        item = question.item
        tries = len(question.attempts) + 1
        rule = dict(correct=bool(verdict.correct), diagnosis=verdict.diagnosis, kind=item.kind, try_number=tries,
                    solution_shown=question.solution_shown)  # fmt: skip
        earned = credit(partial=float(verdict.score), **rule)
        graded = GradedAttempt(
            answer=answer, correct=bool(verdict.correct), score=earned, diagnosis=verdict.diagnosis,
            message=verdict.message, hints_used=question.hints_shown,
            solution_shown=question.solution_shown, seconds=round(seconds, 3), try_number=tries,
            note=credit_note(earned, **rule),
        )  # fmt: skip
        question.attempts.append(graded)
        return Attempt(
            item_id=item.key, answer=answer, correct=graded.correct, score=earned, skills=item.skills,
            variant_seed=item.seed, diagnosis=graded.diagnosis, hints_used=graded.hints_used,
            solution_shown=graded.solution_shown, seconds=graded.seconds,
            mode=self.record_mode, try_number=tries,
        )  # fmt: skip

    def gave_up(self) -> Attempt:
        """The Attempt recording that the solution was opened before any answer: no credit.

        It is not one of the question's attempts (nothing was answered), but the store needs it:
        mastery counts it as a miss and the review schedule brings the question back soon.
        """
        question = self.current
        if question is None:
            raise RuntimeError("no question is being asked")
        item = question.item
        return Attempt(
            item_id=item.key, answer="", correct=False, score=0.0, skills=item.skills,
            variant_seed=item.seed, hints_used=question.hints_shown, solution_shown=True,
            seconds=round(self._lap(question), 3), mode=self.record_mode,
        )  # fmt: skip

    def recorded(self, attempt_id: int) -> None:
        """Remember the store's id of the current question's latest attempt."""
        question = self.current
        if question is not None and question.attempts:
            question.attempts[-1] = replace(question.attempts[-1], id=attempt_id)

    def advance(self) -> bool:
        """Move to the next question; False (and the quiz ends) after the last one."""
        question = self.current
        if question is None:
            return False
        self._lap(question)
        question._since = None
        if self.is_last:
            self.finish(ENDED_FINISHED)
            return False
        self.index += 1
        self.questions[self.index]._since = monotonic()
        return True

    def finish(self, reason: str = ENDED_FINISHED) -> None:
        """End the quiz (finished, out of time, or ended early) and stop the clock."""
        if self.ended is not None:
            return
        question = self.current
        if question is not None and question._since is not None:
            self._lap(question)
            question._since = None
        self.ended = reason
        self._stopped_at = monotonic()

    # --- the summary -----------------------------------------------------------------------------

    def summary(self, skill_titles: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Score, time, results per skill and the mistakes made, as a JSON-ready dict.

        Keys: ``mode``, ``seed``, ``skill``, ``ended`` (None while in progress), ``total``,
        ``answered``, ``score`` and ``percent`` (the first-try score, see the module docstring),
        ``first_try`` (questions right at the first try, no hint or solution), ``eventually_right``
        (right at any try; ``correct`` is the same number, kept for older readers), ``seconds``,
        ``minutes`` (the countdown, or None), ``hints``, ``solutions``, ``skills`` (skill → title,
        questions, first_try, correct, score), ``mistakes`` (diagnosis code → times made) and
        ``questions`` (one dict per question).
        """
        titles = skill_titles or {}
        total = len(self.questions)
        score = sum(q.score for q in self.questions)
        per_skill: dict[str, dict[str, Any]] = {}
        for q in self.questions:
            for skill in dict.fromkeys(q.item.skills):
                row = per_skill.setdefault(
                    skill, {"title": titles.get(skill, skill), "questions": 0, "first_try": 0, "correct": 0, "score": 0.0}
                )
                row["questions"] += 1
                row["first_try"] += int(q.first_try)
                row["correct"] += int(q.correct)
                row["score"] = round(row["score"] + q.score, 3)
        mistakes = Counter(a.diagnosis for q in self.questions for a in q.attempts if a.diagnosis)
        right = sum(1 for q in self.questions if q.correct)
        return {
            "mode": self.mode,
            "seed": self.seed,
            "skill": self.skill,
            "ended": self.ended,
            "total": total,
            "answered": sum(1 for q in self.questions if q.attempts),
            "score": round(score, 3),
            "percent": round(100 * score / total) if total else 0,
            "first_try": sum(1 for q in self.questions if q.first_try),
            "eventually_right": right,
            "correct": right,
            "seconds": round(self.elapsed(), 1),
            "minutes": self.minutes,
            "hints": sum(q.hints_shown for q in self.questions),
            "solutions": sum(1 for q in self.questions if q.solution_shown),
            "skills": per_skill,
            "mistakes": dict(mistakes.most_common()),
            "questions": [_question_summary(q) for q in self.questions],
        }


def _question_summary(q: Question) -> dict[str, Any]:
    return {
        "id": q.item.id,
        "key": q.item.key,
        "kind": q.item.kind,
        "variant_seed": q.item.seed,
        "skills": list(q.item.skills),
        "reason": q.reason or None,
        "attempts": len(q.attempts),
        "attempt_ids": [a.id for a in q.attempts if a.id is not None],
        "first_try": q.first_try,
        "correct": q.correct,
        "score": round(q.score, 3),
        "credits": [round(a.score, 3) for a in q.attempts],
        "hints": q.hints_shown,
        "solution_shown": q.solution_shown,
        "mistakes": [a.diagnosis for a in q.attempts if a.diagnosis],
        "seconds": round(q.seconds, 1),
    }


def clock_text(seconds: float, *, countdown: bool = False) -> str:
    """``4:05`` for 245 seconds; ``1:02:03`` past an hour.

    A countdown rounds up, so it shows 0:01 until time is really up; elapsed time rounds down.
    """
    whole = max(0, int(-(-seconds // 1)) if countdown else int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


__all__ = [
    "ENDED_EARLY", "ENDED_FINISHED", "ENDED_TIME", "MODE_NAMES", "GradedAttempt", "Question", "QuizSession",
    "clock_text",
]  # fmt: skip
