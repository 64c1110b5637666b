"""Significant figures as typed, the preview's warning, and the real-domain evaluator."""

from __future__ import annotations

import pytest
import sympy
from mpmath import mpf

from tui_tutor.engine.figures import preview_warning
from tui_tutor.engine.parse import parse
from tui_tutor.engine.realeval import TooLarge, Undefined, evaluate, evaluate_with_error
from tui_tutor.engine.service import preview

X = sympy.Symbol("x", real=True)


@pytest.mark.parametrize(
    "text, figures, half_unit",
    [
        ("0.393", 3, "0.0005"),
        ("0.0901", 3, "0.00005"),
        ("0.390", 3, "0.0005"),  # trailing zeros after the point count
        ("0.39", 2, "0.005"),
        (".5", 1, "0.05"),
        ("100.", 3, "0.5"),
        ("120.0", 4, "0.05"),
        ("1.50e3", 3, "5"),
        ("1e-3", 1, "0.0005"),
        ("0.0", 0, "0.05"),
    ],
)
def test_a_decimal_claims_its_figures(text, figures, half_unit):
    (literal,) = parse(text).decimals
    assert (literal.text, literal.figures, literal.half_unit) == (text, figures, sympy.Rational(half_unit))


def test_integers_and_fractions_are_exact_not_decimals():
    assert parse("314").decimals == () and parse("-9/100").decimals == ()


def test_each_decimal_has_a_place_even_when_sympy_folds_it():
    parsed = parse("2*0.333*x1 + 0.5")
    assert parsed.value == sympy.Rational(333, 500) * parse("x1").value + sympy.Rational(1, 2)
    first, second = parsed.decimals
    assert parsed.parametric() == 2 * first.symbol * parse("x1").value + second.symbol


def test_the_preview_warns_about_short_decimals_before_enter():
    warned = preview("-4.7")
    assert warned.ok and "give at least 3 significant figures (4.7 has 2)" in warned.warning
    assert preview("[0.5, 0.393]").warning.startswith("give at least 3 significant figures (0.5 has 1)")
    assert preview("-4.68").warning == "" and preview("x1/3").warning == ""
    assert preview_warning(parse("0.39 x1 + 1.5").decimals) == (
        "give at least 3 significant figures (0.39 has 2 and 1.5 has 2), unless the decimal is the exact value"
    )


# --- the real-domain evaluator -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, x",
    [
        ("log(x)", -1), ("log(x)", 0), ("sqrt(x)", -4), ("x^(1/3)", -8), ("asin(x)", 2), ("1/x", 0),
        ("(sqrt(x) + 1)*(sqrt(x) - 1)", -4),  # -5 in the complex plane, undefined on the real line
    ],
)
def test_no_real_value_is_undefined(text, x):
    with pytest.raises(Undefined):
        evaluate(parse(text, allowed=["x"]).value, {X: mpf(x)})


def test_values_do_not_overflow_and_absurd_arguments_are_refused():
    assert evaluate(parse("exp(x)", allowed=["x"]).value, {X: mpf(1000)}) > mpf(10) ** 434
    with pytest.raises(TooLarge):
        evaluate(parse("exp(exp(x))", allowed=["x"]).value, {X: mpf(40)})


def test_an_exact_zero_reached_by_cancellation_is_inside_its_error_bound():
    expr = parse("sigma(-x) - 1 + sigma(x)", allowed=["x"]).value
    value, error, needed = evaluate_with_error(expr, {X: mpf(143)}, 30)
    assert abs(value) <= error and needed > 60  # sigma(-143) = 1e-62 spans 62 digits
    value, error, _ = evaluate_with_error(sympy.exp(-X), {X: mpf(40)}, 30)
    assert value > 1000 * error  # a real (small) value is far outside its bound
