"""Grading: equivalence, tolerance, shapes, partial credit, and every diagnosis with its near miss.

Each diagnosis is asserted where it is right and on a near miss where it must not fire.
"""

from __future__ import annotations

import pytest

from tui_tutor.engine.grade import equivalent, grade, grade_choice, grade_shape, parse_shape
from tui_tutor.engine.parse import ParseError, parse
from tui_tutor.engine.problems import Problem, expected_answer

# A 2 -> 2 -> 2 composition: both Df(g(x))·Dg(x) and the wrong order Dg·Df are 2×2, and differ.
SQUARE = ("x1 + x2^2, x1 x2", "u1 u2, u1 + u2")
SQUARE_AT = Problem(SQUARE, "jacobian", at=("1", "2"))  # answer [12, 13; 3, 5]
SQUARE_SYMBOLIC = Problem(SQUARE, "jacobian")
EXAMPLE_1_GRADIENT = Problem(("x1^2 + x2, x1 x2", "u1 + u2^2"), "gradient", at=("1", "2"))  # [10; 5]
EXAMPLE_1_SYMBOLIC = Problem(("x1^2 + x2, x1 x2", "u1 + u2^2"), "gradient")
EXAMPLE_3_ENTRY = Problem(("x1 x2, x2 + x3^2", "u1 + u2, u1 u2"), "entry", entry=(2, 3))


def graded(problem: Problem, answer: str, kind: str | None = None):
    return grade(expected_answer(problem), answer, kind or problem.kind(), problem)


# --- equivalence ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expected, answer",
    [
        ("sigma(a)(1 - sigma(a))", "exp(-a)/(1+exp(-a))^2"),
        ("tanh(x)", "(exp(2x)-1)/(exp(2x)+1)"),
        ("2x1 + 2x1 x2^2", "2x1(1 + x2^2)"),
        ("x1^2 cos(x2)", "cos(x2) x1^2"),
        ("sin(x)^2 + cos(x)^2", "1"),
        ("exp(x + y)", "exp(x) exp(y)"),
        ("sqrt(x^2)", "abs(x)"),
        ("x / 2", "0.5x"),
        ("exp(1000)", "e^1000"),
        ("[10; 5]", "[10; 5]"),
    ],
)
def test_equivalent_forms_are_correct(expected, answer):
    verdict = grade(expected, answer, "matrix" if expected.startswith("[") else "scalar")
    assert verdict.correct, verdict.message
    assert verdict.diagnosis is None
    assert verdict.score == 1.0
    assert verdict.message.startswith("Correct")


@pytest.mark.parametrize(
    "expected, answer",
    [
        ("sigma(a)(1 - sigma(a))", "exp(-a)/(1+exp(-a))"),
        ("tanh(x)", "(exp(2x)-1)/(exp(2x)+2)"),
        ("sqrt(x^2)", "x"),
        ("x1^2 cos(x2)", "x1^2 sin(x2)"),
        ("exp(1000)", "1"),  # as Python floats both sides overflow; they must not compare as inf
        ("exp(10^6)", "2 exp(10^6)"),
        ("x^2", "x^3"),
    ],
)
def test_different_values_are_incorrect(expected, answer):
    verdict = grade(expected, answer)
    assert not verdict.correct
    assert verdict.message.startswith("Incorrect")


def test_numeric_fallback_is_named_and_deterministic():
    first = grade("sigma(a)(1 - sigma(a))", "exp(-a)/(1+exp(-a))^2")
    assert first.method == "numeric"
    assert all(grade("sigma(a)(1 - sigma(a))", "exp(-a)/(1+exp(-a))^2") == first for _ in range(3))
    assert grade("x^2", "x*x").method == "symbolic"


@pytest.mark.parametrize(
    "expected, answer, correct",
    [
        ("-9/100", "-0.09", True),
        ("-0.09", "-9/100", True),
        ("-9/100", "-0.0900", True),  # the exact value to three significant figures
        ("-9/100", "-0.0901", False),  # not -0.09 correctly rounded: the last figure is off
        ("-9/100", "-0.1", False),
        ("1/3", "0.333", True),
        ("1/3", "0.33", False),  # too few figures: not judged
        ("1/3", "3333/10000", False),  # a typed fraction is exact: no tolerance
        ("sqrt(2)", "1.414", True),
        ("pi", "3.14", True),
        ("pi", "3.1", False),
        ("x/3", "0.333x", True),
    ],
)
def test_decimals_are_held_to_their_own_figures(expected, answer, correct):
    assert grade(expected, answer).correct is correct


def test_equivalent_reports_its_method():
    assert equivalent(parse("x + 1").value, parse("1 + x").value) == (True, "symbolic")


# --- shapes ---------------------------------------------------------------------------------------


def test_matrix_shapes_are_strict():
    verdict = grade("[1, 2; 3, 4]", "[1, 2, 3, 4]", "matrix")
    assert not verdict.correct
    assert verdict.diagnosis == "shape_mismatch"


def test_vectors_are_orientation_free_only_for_kind_vector():
    assert grade("[10; 5]", "[10, 5]", "vector").correct
    assert grade("[10; 5]", "[[10, 5]]", "vector").correct
    assert grade("[10, 5]", "[10; 5]", "vector").correct
    assert not grade("[10; 5]", "[10, 5]", "matrix").correct
    assert not grade("[10; 5]", "[5; 10]", "vector").correct  # orientation-free, not order-free


def test_kind_vector_with_two_same_shaped_matrices_compares_them():
    assert grade("[1, 2; 3, 4]", "[1, 2; 3, 4]", "vector").correct


def test_a_one_by_one_matrix_is_a_scalar():
    assert grade("5", "[5]").correct
    assert grade("[5]", "5", "matrix").correct


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="kind must be one of"):
        grade("1", "1", "tensor")


def test_unreadable_answer_raises_parse_error_with_column():
    with pytest.raises(ParseError) as caught:
        grade("x", "2 + foo")
    assert caught.value.column == 5


# --- partial credit --------------------------------------------------------------------------------


def test_matrix_partial_credit_names_the_wrong_entries():
    verdict = grade("[1, 2; 3, 4]", "[1, 2; 3, 5]", "matrix")
    assert not verdict.correct
    assert verdict.score == 0.75
    assert verdict.wrong_entries == ((2, 2),)
    assert "Entry (2, 2) is wrong" in verdict.message
    assert verdict.diagnosis is None  # not a known mistake

    two = grade("[1, 2; 3, 4]", "[0, 2; 3, 5]", "matrix")
    assert two.score == 0.5 and two.wrong_entries == ((1, 1), (2, 2))
    assert "Entries (1, 1) and (2, 2) are wrong" in two.message


def test_a_scalar_gets_no_partial_credit():
    assert grade("x", "x + 1").score == 0.0


# --- diagnoses without a problem ------------------------------------------------------------------


def test_transposed_fires_on_the_transpose():
    verdict = grade("[1, 2; 3, 4]", "[1, 3; 2, 4]", "matrix")
    assert verdict.diagnosis == "transposed"
    assert "transpose" in verdict.message


def test_transposed_fires_on_a_row_for_a_column_when_shapes_are_strict():
    assert grade("[10; 5]", "[10, 5]", "matrix").diagnosis == "transposed"


def test_transposed_near_miss():
    # almost the transpose, one entry off: no diagnosis, just the wrong entries
    verdict = grade("[1, 2; 3, 4]", "[1, 3; 2, 5]", "matrix")
    assert verdict.diagnosis is None
    # a row with the wrong numbers is a shape problem, not a transpose
    assert grade("[10; 5]", "[10, 6]", "matrix").diagnosis == "shape_mismatch"


def test_shape_mismatch_names_both_shapes():
    verdict = grade("[1, 2; 3, 4]", "[1, 2, 3; 4, 5, 6]", "matrix")
    assert verdict.diagnosis == "shape_mismatch"
    assert "2×2" in verdict.message and "2×3" in verdict.message
    scalar = grade("7", "[7, 7]")
    assert scalar.diagnosis == "shape_mismatch"
    assert "a single value" in scalar.message and "1×2 row vector" in scalar.message


def test_shape_mismatch_near_miss():
    verdict = grade("[1, 2; 3, 4]", "[1, 2; 3, 7]", "matrix")  # right shape, wrong entry
    assert verdict.diagnosis != "shape_mismatch"


def test_sign_fires_on_a_negated_answer():
    assert grade("x1 - x2", "x2 - x1").diagnosis == "sign"
    assert grade("[1, 2; 3, 4]", "[-1, -2; -3, -4]", "matrix").diagnosis == "sign"
    assert grade("-0.09", "0.09").diagnosis == "sign"


def test_sign_near_miss():
    assert grade("x1 - x2", "x2 - x1 + 1").diagnosis is None
    partly = grade("[1, 2; 3, 4]", "[-1, 2; 3, 5]", "matrix")  # one sign slip and one other error
    assert partly.diagnosis is None
    assert partly.score == 0.5


def test_unknown_wrong_answers_get_no_diagnosis():
    for expected, answer, kind in [
        ("x^2", "x^3", "scalar"),
        ("[10; 5]", "[5; 10]", "vector"),
        ("[1, 2; 3, 4]", "[4, 3; 2, 1]", "matrix"),
        ("sigma(a)(1 - sigma(a))", "sigma(a)", "scalar"),
    ]:
        verdict = grade(expected, answer, kind)
        assert not verdict.correct
        assert verdict.diagnosis is None, (expected, answer, verdict)
        assert verdict.message == "Incorrect." or verdict.message.startswith("Incorrect. Entr")


# --- chain-rule diagnoses, generated from the problem ------------------------------------------------


def test_the_square_problem_has_distinct_wrong_products():
    assert expected_answer(SQUARE_AT).tolist() == [[12, 13], [3, 5]]


def test_wrong_order_fires_on_dg_times_df():
    verdict = graded(SQUARE_AT, "[6, 9; 5, 11]")  # Dg(x0)·Df(u0)
    assert verdict.diagnosis == "wrong_order"
    assert "wrong order" in verdict.message


def test_wrong_order_symbolic():
    wrong = "[x1 x2 + 2x2, x1 + x2^2 + 2x2; x1 x2^2 + x1, x1 x2 + x1 + x2^3]"
    assert graded(SQUARE_SYMBOLIC, wrong).diagnosis == "wrong_order"


def test_wrong_order_near_miss():
    verdict = graded(SQUARE_AT, "[6, 9; 5, 12]")  # the wrong product with one more slip
    assert verdict.diagnosis != "wrong_order"
    assert verdict.diagnosis is None


def test_wrong_order_is_not_offered_when_the_shapes_forbid_it():
    problem = Problem(("x1, x1 x2, x2^2", "2u1 - u2 + u3"), "jacobian")  # (1×3)(3×2): Dg·Df undefined
    assert graded(problem, "[2 - x2, x1]").diagnosis != "wrong_order"


def test_outer_at_x_fires_on_df_evaluated_at_x():
    verdict = graded(SQUARE_AT, "[4, 9; 3, 5]")  # Df(x0)·Dg(x0)
    assert verdict.diagnosis == "outer_at_x"
    assert verdict.score == 0.5  # two entries happen to be right
    assert graded(SQUARE_SYMBOLIC, "[x1 x2 + x2, x1^2 + 2x2^2; x2 + 1, x1 + 2x2]").diagnosis == "outer_at_x"


def test_outer_at_x_near_miss_when_it_coincides_with_the_right_answer():
    # In worked example 1 at (1, 2), u2 = x1 x2 = 2 = x2, so Df(x0) = Df(u0): the right answer is right.
    verdict = graded(EXAMPLE_1_GRADIENT, "[10; 5]")
    assert verdict.correct and verdict.diagnosis is None
    assert graded(SQUARE_AT, "[4, 9; 3, 6]").diagnosis is None


def test_missing_term_fires_when_a_path_is_left_out():
    one = graded(SQUARE_AT, "[10, 13; 3, 5]")  # entry (1, 1) without the path through u1
    assert one.diagnosis == "missing_term"
    assert "∂y1/∂x1 is missing the path through u1" in one.message
    several = graded(SQUARE_AT, "[10, 5; 3, 4]")  # a different path missing in three entries
    assert several.diagnosis == "missing_term"
    assert graded(EXAMPLE_3_ENTRY, "0").diagnosis == "missing_term"  # only the zero path kept
    assert graded(EXAMPLE_1_SYMBOLIC, "[2x1 x2^2; 1 + 2x1^2 x2]").diagnosis == "missing_term"


def test_missing_term_near_miss():
    assert graded(SQUARE_AT, "[11, 13; 3, 5]").diagnosis is None
    assert graded(EXAMPLE_3_ENTRY, "2 x1 x2 x3 + 1").diagnosis is None
    assert graded(EXAMPLE_3_ENTRY, "2 x1 x2 x3").correct


def test_gradient_as_row_fires_on_the_row_jacobian():
    verdict = graded(EXAMPLE_1_GRADIENT, "[10, 5]")
    assert verdict.diagnosis == "gradient_as_row"
    assert "n×1 column" in verdict.message
    assert graded(EXAMPLE_1_SYMBOLIC, "[[2x1 + 2x1 x2^2, 1 + 2x1^2 x2]]").diagnosis == "gradient_as_row"


def test_gradient_as_row_near_miss():
    assert graded(EXAMPLE_1_GRADIENT, "[5, 10]").diagnosis == "shape_mismatch"
    assert graded(EXAMPLE_1_GRADIENT, "[10; 5]").correct
    # without the problem the same row is only a transpose
    assert grade("[10; 5]", "[10, 5]", "matrix").diagnosis == "transposed"
    # a row for a Jacobian (not a gradient) problem is not gradient_as_row
    jacobian = Problem(EXAMPLE_1_GRADIENT.maps, "jacobian", at=EXAMPLE_1_GRADIENT.at)
    assert graded(jacobian, "[10; 5]").diagnosis == "transposed"


def test_diagnoses_come_from_the_problem_not_from_a_list():
    """The same wrong product is recognised for any maps: here a 3-layer chain of 2×2 maps."""
    problem = Problem(("x1 + x2, x1 - x2", "u1 u2, u2", "v1 + v2, v1"), "jacobian", at=("1", "1"))
    chain = problem.chain()
    dg, df, dr = chain.jacobians_at([1, 1])
    wrong = dg * df * dr
    text = "[" + "; ".join(", ".join(str(v) for v in row) for row in wrong.tolist()) + "]"
    assert wrong != expected_answer(problem)
    assert graded(problem, text).diagnosis == "wrong_order"


def test_missing_transpose_fires_on_a_pullback_through_dg_instead_of_dg_transposed():
    problem = Problem(("x1 + 2x2, x1 - x2", "u1^2 + 3u2"), "pullback", at=("1", "1"), space=0)
    assert graded(problem, "[9; 9]").correct
    verdict = graded(problem, "[12; 3]")
    assert verdict.diagnosis == "missing_transpose"
    assert "transpose" in verdict.message
    assert graded(problem, "[12; 4]").diagnosis is None  # near miss


# --- other answer kinds ----------------------------------------------------------------------------


def test_shapes_as_answers():
    assert grade_shape("2x3", "2 × 3").correct
    assert grade_shape("2x3", "2 by 3").correct
    assert grade_shape("2x3", "3x2").diagnosis == "transposed"
    assert grade_shape("2x3", "2x2").diagnosis == "shape_mismatch"
    assert parse_shape("(4, 1)") == (4, 1)
    with pytest.raises(ParseError):
        parse_shape("big")


def test_choices_by_letter_or_text():
    choices = ["Df·Dg", "Dg·Df"]
    assert grade_choice("a", "A)", choices).correct
    assert grade_choice("a", "df·dg", choices).correct
    assert not grade_choice("a", "b", choices).correct


def test_a_sign_slip_in_some_entries_is_diagnosed_as_sign():
    verdict = grade("[4, -2]", "[4, 2]", "matrix")
    assert not verdict.correct and verdict.diagnosis == "sign"
    assert verdict.wrong_entries == ((1, 2),) and verdict.score == 0.5
    assert "only in sign" in verdict.message


def test_a_wrong_entry_that_is_not_a_sign_slip_gets_no_sign_diagnosis():
    verdict = grade("[4, -2]", "[4, 3]", "matrix")
    assert verdict.diagnosis is None


# --- kinds, rounding and figures -----------------------------------------------------------------


def test_a_scalar_kind_for_a_vector_expected_answer_is_an_error_not_a_verdict():
    with pytest.raises(ValueError, match="the expected answer is a 2×1 column vector, not a single value"):
        grade("[10; 5]", "[10; 5]", "scalar")


def test_a_content_kind_that_does_not_fit_the_problem_is_a_finding():
    from tui_tutor.engine.answers import verify_answer

    problem = {"maps": ["x1^2 + x2"], "ask": "jacobian", "at": [1, 2]}
    assert verify_answer("5", "scalar", problem) == [("kind", "kind is scalar but the problem's answer is a 1×2 matrix")]


def test_a_pullback_as_a_row_is_gradient_as_row_not_a_jacobian_transpose():
    problem = Problem(("x1 + 2x2, x1 - x2", "u1^2 + 3u2"), "pullback", at=("1", "1"), space=0)
    verdict = graded(problem, "[9, 9]")
    assert verdict.diagnosis == "gradient_as_row"
    assert "rows are outputs" not in verdict.message


def test_a_last_figure_off_by_one_is_a_rounding_slip():
    verdict = grade("pi", "3.15")
    assert (verdict.correct, verdict.counted, verdict.diagnosis) == (False, True, "rounding")
    assert grade("pi", "3.12").diagnosis is None  # two off: not a slip


def test_a_short_entry_beside_a_wrong_one_is_counted_wrong_and_named():
    verdict = grade("[pi, e, 1]", "[3.1, 2.72, 2]", "matrix")
    assert verdict.counted and not verdict.correct
    assert verdict.wrong_entries == ((1, 3),)
    assert "Give entry (1, 1) at least 3 significant figures" in verdict.message
    assert verdict.score == pytest.approx(1 / 3)


def test_only_short_entries_are_not_judged():
    verdict = grade("[pi, e]", "[3.1, 2.72]", "matrix")
    assert (verdict.correct, verdict.counted, verdict.diagnosis) == (False, False, "too_few_figures")
    assert verdict.message == "Give at least 3 significant figures: 3.1 has 2. This try was not counted."
