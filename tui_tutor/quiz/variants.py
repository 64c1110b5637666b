"""Template variants in a running quiz: their answers from the engine, replacements when unusable.

A variant's prompt needs no engine, so a question is shown at once; its answer (for the worked
solution and the fastest grading) is computed in the background by the engine's
``answers.variant_answer``. A variant the engine cannot answer (a division by zero at the point,
say) is replaced by another variant of the same template, drawn reproducibly from the quiz seed.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from tui_tutor.content.model import Concept, QuizItem
from tui_tutor.content.templates import complete_variant, instantiate, variant_seed
from tui_tutor.engine.bounds import VARIANT
from tui_tutor.quiz.engine_calls import variant_call
from tui_tutor.quiz.session import QuizSession

log = logging.getLogger(__name__)

REPLACEMENTS = 3  # other variants tried before giving up on a template in one quiz

Compute = Callable[..., Awaitable[Any]]


async def solve_variant(item: QuizItem, compute: Compute) -> QuizItem:
    """``item`` with its answer and the solution's ``{{answer}}`` filled in by the engine.

    ``compute`` is ``app.compute``. Raises whatever the engine raised when it cannot answer.
    """
    name, args = variant_call(item)
    text, _kind, tex = await compute(name, *args, bound=VARIANT)
    return complete_variant(item, text, tex)


def replacement_variant(concept: Concept, item: QuizItem, quiz_seed: int, number: int) -> QuizItem | None:
    """The ``number``-th replacement (1, 2, ...) for an unusable variant; None when out of tries."""
    template = next((t for t in concept.templates if t.id == item.template), None)
    if template is None or not 1 <= number <= REPLACEMENTS:
        return None
    return instantiate(template, variant_seed(quiz_seed, number, f"{template.id}#replacement"))


async def answer_question(
    session: QuizSession, index: int, concept: Concept, compute: Compute,
    replaced: Callable[[int], None] = lambda index: None,
) -> None:  # fmt: skip
    """Fill in question ``index``'s variant answer; swap an unusable variant for another.

    A variant is swapped only while the learner has not touched the question (no attempt, hint or
    solution yet), and ``replaced(index)`` is called so the screen can show the new one. When no
    variant works, the question stays: it is graded against its problem directly.
    """
    question = session.questions[index]
    for number in range(1, REPLACEMENTS + 2):
        item = question.item
        try:
            solved = await solve_variant(item, compute)
        except Exception:  # noqa: BLE001 - an unusable variant: try another, quietly
            log.warning("variant %s could not be answered", item.id, exc_info=True)
            fresh = replacement_variant(concept, item, session.seed, number)
            if fresh is None or question.attempts or question.hints_shown or question.solution_shown:
                return
            session.set_item(index, fresh)
            replaced(index)
            continue
        if question.item is item:  # not swapped meanwhile
            session.set_item(index, solved)
        return


__all__ = ["REPLACEMENTS", "answer_question", "replacement_variant", "solve_variant"]
