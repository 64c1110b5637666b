"""What a graded answer earns: one set of rules for quizzes, reviews and lesson practice.

A *question* is a quiz or review question in one sitting, or a lesson practice problem until it is
solved. Each graded answer to it is a *try*; unreadable input (a parse error, a decimal with too
few significant figures) is not a try and earns nothing either way. Try n earns

    credit = base × RETRY[n]            RETRY = 1, 1/2, 1/4, 1/4, ...

with

    base = 1                        a correct answer
         = 0                        the worked solution had been shown before this try
         = 0                        a named conceptual mistake (CONCEPTUAL below: transposed,
                                    wrong_order, outer_at_x, gradient_as_row, missing_transpose,
                                    used_transpose); the answer shows the idea is missing, however
                                    many entries happen to agree, and the mistake is named
         = share of right entries   a slip in some entries of a vector or matrix (a sign, a
                                    rounding, one path left out, or no diagnosis at all): the
                                    engine's partial score
         = 0                        any other wrong answer

A **choice** or **shape** question, where a second guess is cheap (flip ``6x1`` to ``1x6``), earns
nothing after a wrong first try: RETRY = 1, 0, 0, ...

The question's score is the best credit of its tries, so it is the first try's credit unless a
later try earned more (wrong, then right at the second try: 1/2). Hints do not lower the score
(the summary counts them, and mastery discounts them: ``progress.mastery``). A question's *first
try* is right when try 1 was correct with no hint and no solution; "eventually right" counts the
questions answered correctly at any try.

The credit is what an attempt's ``score`` stores, so mastery (``progress.mastery``), the review
schedule's rating (``progress.review``) and every report read the same number.
"""

from __future__ import annotations

from collections.abc import Iterable

CONCEPTUAL = frozenset(
    {"transposed", "wrong_order", "outer_at_x", "gradient_as_row", "missing_transpose", "used_transpose"}
)
RETRY = (1.0, 0.5, 0.25)  # try 1, try 2, try 3 and later
CHEAP_KINDS = ("choice", "shape")  # a second guess costs nothing: no credit after a wrong first try


def retry_factor(try_number: int, kind: str) -> float:
    """What try ``try_number`` (1 = the first) of a question of ``kind`` may earn at most."""
    if try_number < 1:
        raise ValueError(f"tries are counted from 1, got {try_number}")
    if try_number > 1 and kind in CHEAP_KINDS:
        return 0.0
    return RETRY[min(try_number, len(RETRY)) - 1]


def base_credit(correct: bool, partial: float, diagnosis: str | None, *, solution_shown: bool = False) -> float:
    """What the answer itself is worth, before the try number is counted (see the module docstring).

    ``partial`` is the engine's share of right entries; it counts only for a slip.
    """
    if solution_shown:
        return 0.0
    if correct:
        return 1.0
    if diagnosis in CONCEPTUAL:
        return 0.0
    return min(1.0, max(0.0, float(partial)))


def credit(
    *, correct: bool, partial: float, diagnosis: str | None, kind: str, try_number: int, solution_shown: bool = False
) -> float:
    """The credit one graded try earns, in [0, 1]."""
    earned = base_credit(correct, partial, diagnosis, solution_shown=solution_shown) * retry_factor(try_number, kind)
    return round(earned, 6)


def question_score(credits: Iterable[float]) -> float:
    """A question's score: the best credit of its tries (0 before any)."""
    return max(credits, default=0.0)


def credit_note(credit_earned: float, *, correct: bool, diagnosis: str | None, kind: str, try_number: int,
                solution_shown: bool = False) -> str:  # fmt: skip
    """Why this try earned what it did, in a few words, or "" when there is nothing to explain."""
    if solution_shown:
        return "No credit: the solution was shown before this try."
    if not correct and diagnosis in CONCEPTUAL:
        return "No credit: this is a named mistake, not a slip."
    if try_number > 1 and kind in CHEAP_KINDS:
        return "No credit: a second guess at a choice or a shape earns nothing."
    if correct and try_number > 1:
        return f"Credit {_fraction(credit_earned)}: right at try {try_number}."
    if not correct and credit_earned > 0:
        at = f", at try {try_number}" if try_number > 1 else ""
        return f"Partial credit {_fraction(credit_earned)}: some entries are right{at}."
    return ""


def _fraction(value: float) -> str:
    for text, exact in (("1/2", 0.5), ("1/4", 0.25), ("1/8", 0.125)):
        if abs(value - exact) < 1e-9:
            return text
    return f"{round(100 * value)}%"


__all__ = ["CHEAP_KINDS", "CONCEPTUAL", "RETRY", "base_credit", "credit", "credit_note", "question_score", "retry_factor"]
