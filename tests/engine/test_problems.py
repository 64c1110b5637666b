"""Problems: the engine computes every kind of answer, and derives the likely mistakes from the maps."""

from __future__ import annotations

import pytest
import sympy
from sympy import ImmutableMatrix, Rational

from tui_tutor.engine.chain import ChainError
from tui_tutor.engine.parse import symbol
from tui_tutor.engine.problems import Problem, expected_answer, mistakes, problem_from_dict

x1, x2 = symbol("x1"), symbol("x2")
EXAMPLE_1 = ("x1^2 + x2, x1 x2", "u1 + u2^2")
EXAMPLE_2 = ("x1 + 2x2, x1 - x2", "u1^2 + 3u2")
SQUARE = ("x1 + x2^2, x1 x2", "u1 u2, u1 + u2")


def column(*entries):
    return ImmutableMatrix([[e] for e in entries])


@pytest.mark.parametrize(
    "problem, answer",
    [
        (Problem(EXAMPLE_1, "gradient", at=("1", "2")), column(10, 5)),
        (Problem(EXAMPLE_1, "jacobian", at=("1", "2")), ImmutableMatrix([[10, 5]])),
        (Problem(EXAMPLE_1, "gradient"), column(2 * x1 + 2 * x1 * x2**2, 1 + 2 * x1**2 * x2)),
        (Problem(EXAMPLE_1, "layer_jacobian", layer=1), ImmutableMatrix([[2 * x1, 1], [x2, x1]])),
        (Problem(EXAMPLE_1, "layer_jacobian", layer=2, at=("1", "2")), ImmutableMatrix([[1, 4]])),
        (Problem(EXAMPLE_1, "entry", entry=(1, 2), at=("1", "2")), sympy.Integer(5)),
        (Problem(EXAMPLE_2, "pushforward", at=("1", "1"), dx=("0.01", "-0.02")), column(Rational(-9, 100))),
        (Problem(EXAMPLE_2, "pullback", at=("1", "1"), space=1), column(6, 3)),
        (Problem(EXAMPLE_2, "pullback", at=("1", "1"), space=0), column(9, 9)),
        (Problem(EXAMPLE_2, "value", at=("1", "1"), space=1), column(3, 0)),
        (Problem(EXAMPLE_2, "value", at=("1", "1"), space=2), column(9)),
    ],
    ids=lambda v: v.ask if isinstance(v, Problem) else "",
)
def test_expected_answers(problem, answer):
    assert expected_answer(problem) == answer


def test_pullback_of_a_vector_output_needs_a_seed():
    problem = Problem(SQUARE, "pullback", at=("1", "2"), seed=("1", "0"))
    # seed picks y1: the gradient of y1 = u1 u2 with respect to x is the first row of the Jacobian
    assert expected_answer(problem) == column(12, 13)
    with pytest.raises(ChainError):
        expected_answer(Problem(SQUARE, "pullback", at=("1", "2")))


def test_answer_kinds():
    assert Problem(EXAMPLE_1, "entry", entry=(1, 1)).kind() == "scalar"
    assert Problem(EXAMPLE_1, "pushforward").kind() == "vector"
    assert Problem(EXAMPLE_1, "gradient").kind() == "matrix"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"ask": "divergence"}, "unknown ask 'divergence'"),
        ({"ask": "entry"}, "ask 'entry' needs entry"),
        ({"ask": "entry", "entry": (3, 1)}, r"entry \[3, 1\] is outside the 1×2 Jacobian"),
        ({"ask": "layer_jacobian", "layer": 3}, "layer must be 1 to 2"),
        ({"ask": "pushforward"}, "needs a point"),
        ({"ask": "value", "at": ("1", "2"), "space": 5}, "space must be 0"),
    ],
)
def test_problems_that_cannot_be_answered_say_why(fields, message):
    with pytest.raises(ChainError, match=message):
        expected_answer(Problem(EXAMPLE_1, **fields))


def test_mistakes_are_computed_from_the_maps():
    problem = Problem(SQUARE, "jacobian", at=("1", "2"))
    chain = problem.chain()
    dg, df = chain.jacobians_at([1, 2])
    found = {}
    for mistake in mistakes(problem):
        found.setdefault(mistake.code, []).append(mistake)
    assert found["wrong_order"][0].value == dg * df
    # Df evaluated at x0 = (1, 2) instead of u0 = (5, 2)
    df_at_x = chain.jacobian(1).xreplace({symbol("u1"): 1, symbol("u2"): 2})
    assert found["outer_at_x"][0].value == df_at_x * dg
    # each entry of a 2 -> 2 -> 2 product has two paths, neither zero here: 8 one-path-short answers
    assert len(found["missing_term"]) == 8
    assert {m.entry for m in found["missing_term"]} == {(1, 1), (1, 2), (2, 1), (2, 2)}


def test_gradient_problems_know_the_row_mistake():
    codes = {m.code for m in mistakes(Problem(EXAMPLE_1, "gradient", at=("1", "2")))}
    assert "gradient_as_row" in codes
    assert "wrong_order" not in codes  # Dg (2×2) · Df (1×2) is undefined


def test_transpose_mistakes_for_pushforward_and_pullback():
    push = Problem(SQUARE, "pushforward", at=("1", "2"), dx=("1", "0"))
    assert "used_transpose" in {m.code for m in mistakes(push)}
    # worked example 2: ∇x = Dgᵀ ∇u = [9; 9]; forgetting the transpose gives Dg [6; 3] = [12; 3]
    pull = Problem(EXAMPLE_2, "pullback", at=("1", "1"), space=0)
    (missing,) = [m for m in mistakes(pull) if m.code == "missing_transpose"]
    assert missing.value == column(12, 3)
    # pulling back only through Df (1×2) leaves no transpose to forget: shapes force it
    assert not mistakes(Problem(EXAMPLE_2, "pullback", at=("1", "1"), space=1))


def test_problem_from_dict_reads_yaml_shapes():
    problem = problem_from_dict({"maps": ["x1 + 2x2, x1 - x2", "u1^2 + 3u2"], "ask": "pushforward", "at": "1, 1", "dx": [0.01, -0.02]})
    assert problem.at == ("1", "1")
    assert problem.dx == ("0.01", "-0.02")
    assert expected_answer(problem) == column(Rational(-9, 100))
    with pytest.raises(ChainError, match="a problem needs maps"):
        problem_from_dict({"ask": "jacobian"})
