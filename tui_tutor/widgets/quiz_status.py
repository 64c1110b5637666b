"""The quiz's top line: quiz or review, which question, the score so far, the seed, the countdown."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui_tutor.quiz.session import QuizSession, clock_text


def status_text(session: QuizSession | None, state: str, *, review: bool = False, ascii: bool = False) -> str:
    """``Quiz · question 2 of 5 · score 1/1 · seed 7 · time left 4:32`` (``state`` as the screen's)."""
    sep = "  |  " if ascii else "  ·  "
    if session is None or state == "empty":
        return "Review" if review else "Quiz"
    parts = ["Review" if session.mode == "review" else "Quiz"]
    score = sum(q.score for q in session.questions)
    if state == "summary":
        parts.append(f"score {score:g} of {len(session.questions)}")
    else:
        parts.append(f"question {session.index + 1} of {len(session.questions)}")
        # So far: out of the questions already answered or given up on.
        done = sum(1 for q in session.questions if q.done or q.attempts)
        parts.append(f"score {score:g}/{done}" if done else "score -")
    parts.append(f"seed {session.seed}")
    left = session.remaining()
    if state == "summary":
        parts.append(f"time {clock_text(session.elapsed())}")
    elif left is not None:
        parts.append(f"time left {clock_text(left, countdown=True)}")
    return sep.join(parts)


class QuizStatus(Static):
    """One line docked at the top of the quiz screen."""

    DEFAULT_CSS = """
    QuizStatus { dock: top; height: 1; padding: 0 1; background: $panel; color: $text; }
    """

    def show(self, session: QuizSession | None, state: str, *, review: bool = False, ascii: bool = False) -> None:
        self.update(Text(status_text(session, state, review=review, ascii=ascii)))
