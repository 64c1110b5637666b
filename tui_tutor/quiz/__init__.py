"""Quizzes and reviews without a screen: plan the questions, keep the session, sum it up.

``plan`` chooses questions (seeded, reproducible); ``session`` keeps per-question state, the
countdown and the summary; ``start`` builds the session a command asks for; ``progress_view``
reads what is due and the mastery gate from the store; ``engine_calls`` names the engine
functions that grade answers and answer template variants. No Textual and no sympy here.
"""

from tui_tutor.quiz.plan import DueEntry, PlannedQuestion, fresh_variant, new_seed, plan_quiz, plan_review
from tui_tutor.quiz.session import Question, QuizSession, clock_text
from tui_tutor.quiz.start import build_session

__all__ = [
    "DueEntry", "PlannedQuestion", "Question", "QuizSession", "build_session", "clock_text",
    "fresh_variant", "new_seed", "plan_quiz", "plan_review",
]  # fmt: skip
