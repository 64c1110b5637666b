"""The engine calls a quiz question needs, as (function name, arguments) for ``app.compute``.

The app process never imports sympy, so the quiz names engine functions instead of calling them;
keeping the choice of call here (not in the screen) lets the tests check it without a screen.
"""

from __future__ import annotations

from typing import Any

from tui_tutor.content.model import QuizItem


def grade_call(item: QuizItem, answer: str) -> tuple[str, tuple[Any, ...]]:
    """How to grade ``answer`` to ``item``: ``(engine function, args)``.

    With a problem the grader can diagnose chain-rule mistakes; a template variant whose answer is
    not computed yet is graded against its problem directly.
    """
    problem = dict(item.problem) if item.problem else None
    if item.kind in ("shape", "choice") or problem is None:
        return "service.grade_answer", (item.answer or "", answer, item.kind, None, list(item.choices))
    if item.answer is None:
        return "service.grade_problem", (problem, answer, item.kind)
    return "service.grade_answer", (item.answer, answer, item.kind, problem)


def needs_answer(item: QuizItem) -> bool:
    """A template variant whose answer (and solution's ``{{answer}}``) the engine must compute."""
    return item.answer is None and bool(item.problem)


def variant_call(item: QuizItem) -> tuple[str, tuple[Any, ...]]:
    """The call computing a variant's answer: returns (text, kind, LaTeX)."""
    return "answers.variant_answer", (dict(item.problem or {}), item.kind)


__all__ = ["grade_call", "needs_answer", "variant_call"]
