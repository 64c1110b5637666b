"""Template variants in a running quiz: answers from the engine, unusable variants replaced."""

from __future__ import annotations

from tests.quiz.helpers import concept
from tui_tutor.quiz.plan import PlannedQuestion, plan_quiz
from tui_tutor.quiz.session import QuizSession
from tui_tutor.quiz.variants import REPLACEMENTS, answer_question, replacement_variant


def variant_session():
    planned = [p for p in plan_quiz(concept(), 6, seed=7) if p.item.template][:1]
    return QuizSession([PlannedQuestion(planned[0].item)], seed=7)


async def test_the_answer_and_the_solution_are_filled_in():
    session = variant_session()
    calls = []

    async def compute(name, *args, bound=None):
        calls.append((name, args))
        return "[[63], [15]]", "matrix", r"\begin{bmatrix} 63 \\ 15 \end{bmatrix}"

    await answer_question(session, 0, concept(), compute)
    item = session.questions[0].item
    assert calls[0][0] == "answers.variant_answer" and calls[0][1][1] == "matrix"
    assert item.answer == "[[63], [15]]"
    assert "{{answer}}" not in item.solution and "bmatrix" in item.solution


async def test_an_unusable_variant_is_replaced_reproducibly_until_one_works():
    session = variant_session()
    first = session.questions[0].item
    replaced = []
    seen = []

    async def compute(name, problem, kind, bound=None):
        seen.append(problem["maps"][0])
        if len(seen) < 3:
            raise ValueError("the answer is undefined here")
        return "[[1], [2]]", kind, "x"

    await answer_question(session, 0, concept(), compute, replaced.append)
    item = session.questions[0].item
    assert replaced == [0, 0] and item.answer == "[[1], [2]]"
    assert item.seed == replacement_variant(concept(), first, 7, 2).seed  # the same on every run
    assert item.seed != first.seed


async def test_a_touched_question_is_never_swapped():
    session = variant_session()
    session.start()
    session.reveal_hint()
    original = session.questions[0].item

    async def compute(*args, **kwargs):
        raise ValueError("nope")

    await answer_question(session, 0, concept(), compute)
    assert session.questions[0].item is original


async def test_replacements_run_out():
    session = variant_session()
    tries = []

    async def compute(*args, **kwargs):
        tries.append(1)
        raise ValueError("nope")

    await answer_question(session, 0, concept(), compute)
    assert len(tries) == REPLACEMENTS + 1
    assert session.questions[0].item.answer is None
