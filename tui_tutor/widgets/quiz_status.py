"""The quiz's top line: quiz or review, which question, the score so far, the seed, the countdown."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui_tutor.quiz.session import MODE_NAMES, QuizSession, clock_text
from tui_tutor.widgets.quiz_summary import number_text


def status_text(
    session: QuizSession | None, state: str, *, review: bool = False, ascii: bool = False, width: int = 200
) -> str:
    """``Quiz · question 2 of 5 · first-try score 1/1 · right 1/1 · seed 7 · time left 4:32``.

    ``state`` is the screen's. The first-try score is the headline, "right" (eventually) beside it;
    the line is shortened to fit ``width`` columns rather than cut.
    """
    if session is None or state == "empty":
        return "Review" if review else "Quiz"
    what = MODE_NAMES.get(session.mode, "Quiz")
    total = len(session.questions)
    score = number_text(sum(q.score for q in session.questions))
    right = sum(1 for q in session.questions if q.correct)
    left = session.remaining()
    if state == "summary":
        long = [what, f"first-try score {score} of {total}", f"eventually right {right} of {total}",
                f"seed {session.seed}", f"time {clock_text(session.elapsed())}"]  # fmt: skip
        short = [what, f"score {score}/{total}", f"right {right}/{total}", f"seed {session.seed}",
                 clock_text(session.elapsed())]  # fmt: skip
    else:
        # So far: out of the questions already answered or given up on (nothing before the first).
        done = sum(1 for q in session.questions if q.done or q.attempts)
        so_far = [f"first-try score {score}/{done}", f"right {right}/{done}"] if done else []
        long = [what, f"question {session.index + 1} of {total}", *so_far, f"seed {session.seed}"]
        short = [what, f"Q{session.index + 1}/{total}", *(s.replace("first-try ", "") for s in so_far),
                 f"seed {session.seed}"]  # fmt: skip
        if left is not None:
            long.append(f"time left {clock_text(left, countdown=True)}")
            short.append(f"{clock_text(left, countdown=True)} left")
    dot = "|" if ascii else "·"
    unseeded = [p for p in long if not p.startswith("seed ")]
    for parts, sep in ((long, f"  {dot}  "), (long, f" {dot} "), (unseeded, f" {dot} "), (short, f" {dot} ")):
        line = sep.join(parts)
        if len(line) <= width:
            return line
    return f" {dot} ".join(p for p in short if not p.startswith("seed "))


class QuizStatus(Static):
    """One line docked at the top of the quiz screen."""

    DEFAULT_CSS = """
    QuizStatus { dock: top; height: 1; padding: 0 1; background: $panel; color: $text; }
    """

    def show(self, session: QuizSession | None, state: str, *, review: bool = False, ascii: bool = False) -> None:
        self._shown = (session, state, review, ascii)
        room = (self.size.width or self.app.size.width) - 2  # the padding
        self.update(Text(status_text(session, state, review=review, ascii=ascii, width=room)))

    def on_resize(self) -> None:
        shown = getattr(self, "_shown", None)
        if shown is not None:
            session, state, review, ascii = shown
            self.show(session, state, review=review, ascii=ascii)
