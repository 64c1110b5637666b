"""The finite-difference check and the points with no derivative, as ``solve`` and the scratchpad
report them (one rule for both), and what ``solve`` refuses to show."""

from __future__ import annotations

import dataclasses

import pytest

from tui_tutor.engine.report import report_lines
from tui_tutor.engine.service import solve
from tui_tutor.widgets.solution_view import solution_text


def scratchpad_text(solution) -> str:
    return solution_text(solution, (), 200).plain


@pytest.mark.parametrize(
    "maps, at",
    [
        (["x1^3"], "1000"),  # derivative 3e6: central differences lose 1e-4 in absolute terms
        (["sin(x1^4)"], "10"),  # varies fast: the truncation error is about 1
        (["exp(x1^2)"], "5"),  # large: 7e11
        (["sin(1000 x1)*x2, x1*x2"], "1,3"),
        (["x1^2 + x2, x1*x2", "u1 + u2^2"], "1,2"),
        (["x1 - x2, 2x1 + x2 - 1, x2 + 1", "sigma(u1), sigma(u2), sigma(u3)", "v1 - 2v2 + 0.5v3"], "0.5,-0.5"),
    ],
)
def test_the_check_agrees_for_right_jacobians_in_solve_and_the_scratchpad(maps, at):
    solution = solve(maps, at)
    assert solution.finite_difference_agrees is True
    assert solution.to_json()["finite_difference_agrees"] is True
    assert "agrees" in report_lines(solution)[-1]
    assert "agrees" in scratchpad_text(solution) and "DISAGREES" not in scratchpad_text(solution)


def test_the_check_can_disagree():
    """A Jacobian off in its fifth figure is caught: the allowance is not a blanket."""
    solution = solve(["x1^3"], "1000")
    view = solution.composite_at
    off = dataclasses.replace(view, values=((view.values[0][0] * (1 + 1e-5),),))
    wrong = dataclasses.replace(solution, composite_at=off)
    assert wrong.finite_difference_agrees is False
    assert "DISAGREES" in report_lines(wrong)[-1] and "DISAGREES" in scratchpad_text(wrong)


@pytest.mark.parametrize(
    "maps, at, where",
    [
        (["abs(x1)"], "0", "Df(x0) does not exist, because abs(x1) has a corner where x1 = 0"),
        (["sqrt(x1^2)"], "0", "Df(x0) does not exist, because abs(x1) has a corner where x1 = 0"),
        (["x1 - 1, x2", "abs(u1)*u2"], "1,1", "Df(u0) does not exist, because abs(u1) has a corner where u1 = 0"),
    ],
)
def test_no_derivative_at_a_corner_of_abs(maps, at, where):
    solution = solve(maps, at)
    assert solution.no_derivative.startswith(where)
    assert solution.composite_at is None and solution.finite_difference is None
    data = solution.to_json()
    assert data["jacobian_at"] is None and data["finite_difference_agrees"] is None
    assert data["no_derivative"] == solution.no_derivative
    assert report_lines(solution)[-1] == f"No derivative at this point: {solution.no_derivative}."
    text = scratchpad_text(solution)
    assert "No derivative at this point" in text and "agrees" not in text


@pytest.mark.parametrize("maps, at", [(["abs(x1)^3"], "0"), (["abs(x1)*x2"], "0,0"), (["abs(x1)"], "0.5")])
def test_a_corner_that_does_not_matter_is_not_reported(maps, at):
    solution = solve(maps, at)
    assert solution.no_derivative is None
    assert solution.finite_difference_agrees is True


def test_a_symbolic_view_is_not_refused_for_a_number_it_does_not_show_as_a_number():
    solution = solve(["exp(1000) x1"])
    assert solution.composite.values is None
    assert any("e" in entry for row in solution.composite.entries for entry in row)


def test_at_a_corner_the_paths_are_shown_without_values():
    solution = solve(["x1 - 1, x2", "abs(u1)*u2"], "1,1", entry=(1, 1))
    assert solution.path_terms and all(term.value is None for term in solution.path_terms)
    assert solve(["x1 - 1, x2", "abs(u1)*u2"], "2,1", entry=(1, 1)).path_terms[0].value == 1.0
