"""Property tests: hypothesis builds wrong answers designed to fool a sampling grader, and right
answers in unusual forms; the grader must refuse every one of the first and accept the second.

Each wrong answer is checked to be wrong, independently of the grader, at a witness point with
sympy's own evaluation (see tests/engine/fooling.py), so a draw that happens to be right is
discarded rather than counted against the grader.
"""

from __future__ import annotations

import random

import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.engine import fooling
from tests.engine.fooling import X1, X2, differ, real_value, rounded
from tui_tutor.engine.grade import grade
from tui_tutor.engine.parse import parse
from tui_tutor.engine.linetext import line_text

PROPERTY = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

leaves = st.one_of(
    st.sampled_from([X1, X2]),
    st.tuples(st.integers(2, 6), st.sampled_from([X1, X2])).map(lambda p: p[0] * p[1]),
)
expressions = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.tuples(st.sampled_from(fooling._UNARY), children).map(lambda p: p[0](p[1])),
        st.tuples(children, children).map(lambda p: p[0] + p[1]),
        st.tuples(children, children).map(lambda p: p[0] - p[1]),
        st.tuples(children, children).map(lambda p: p[0] * p[1]),
    ),
    max_leaves=5,
)
constants = st.one_of(
    st.sampled_from(fooling._CONSTANTS),
    st.tuples(st.integers(-9, 9).filter(bool), st.integers(1, 6), st.integers(2, 9)).map(
        lambda t: f"{t[0]}*sin({t[1]})/{t[2]}"
    ),
    st.tuples(st.integers(1, 9), st.integers(1, 6)).map(lambda t: f"{t[0]}exp(-{t[1]}/3) + sigma({t[1]})"),
)


def assert_refused(expected: str, answer: str, kind: str = "scalar"):
    verdict = grade(expected, answer, kind)
    assert not verdict.correct, f"accepted {answer!r} for {expected!r}: {verdict.message}"


def wrong_at(expected: sympy.Expr, answer_text: str, witness: dict) -> None:
    assume(differ(expected, parse(answer_text).value, witness))


@PROPERTY
@given(expressions, st.sampled_from(["abs", "sqrt", "factor"]))
def test_agreeing_on_a_half_line_is_wrong(e, how):
    text = line_text(e)
    answer = {
        "abs": line_text(e.xreplace({X1: sympy.Abs(X1)})),
        "sqrt": text.replace("x1", "sqrt(x1^2)"),
        "factor": f"({text})*abs(x1)/x1",
    }[how]
    witness = {X1: sympy.Float(-0.7), X2: sympy.Float(0.3)}
    wrong_at(e, answer, witness)
    assert_refused(text, answer)


@PROPERTY
@given(expressions, st.sampled_from(["x1", "x2"]), st.integers(1, 1400), st.booleans(), st.booleans())
def test_agreeing_inside_a_box_is_wrong(e, var, c, right_side, in_a_factor):
    text = line_text(e)
    step = f"abs({var} - {c}) + {var} - {c}" if right_side else f"abs({var} + {c}) - {var} - {c}"
    answer = f"({text})*(1 + ({step})^2)" if in_a_factor else f"{text} + {step}"
    symbol = X1 if var == "x1" else X2
    witness = {X1: sympy.Float(0.4), X2: sympy.Float(0.4), symbol: sympy.Float(c + 1.5 if right_side else -c - 1.5)}
    wrong_at(e, answer, witness)
    assert_refused(text, answer)


@PROPERTY
@given(
    expressions,
    st.integers(6, 400),
    st.sampled_from(["1/10^{k}", "x1^2/10^{k}", "sin(x2)/10^{k}", "exp(-{k})", "exp(x1)/10^{k}"]),
    st.booleans(),
)
def test_a_tiny_exact_difference_is_wrong(e, k, extra, inside):
    assume(e.free_symbols)  # not 0 (0 times anything is right)
    text = line_text(e)
    tiny = extra.format(k=k)
    answer = f"({text})*(1 + {tiny})" if inside else f"{text} + {tiny}"
    assert_refused(text, answer)


@PROPERTY
@given(st.integers(10, 300), st.sampled_from([1, -1]), st.booleans())
def test_big_numbers_off_by_one_are_wrong(n, off, power_of_two):
    expected = f"2^{n}" if power_of_two else f"10^{n}"
    value = 2**n if power_of_two else 10**n
    assume(len(str(value)) <= 60)  # the parser's limit on a literal's digits
    assert_refused(expected, str(value + off))


@PROPERTY
@given(constants, st.integers(1, 2))
def test_one_or_two_figures_are_never_correct(expected, figures):
    value = parse(expected).value
    answer = rounded(value, figures)
    assume(parse(answer).value != value)  # an exact decimal (0.5 for 1/2) is right
    verdict = grade(expected, answer)
    assert not verdict.correct
    assert verdict.diagnosis == "too_few_figures" or verdict.counted


@PROPERTY
@given(constants, st.integers(3, 9), st.sampled_from([1, -1, 2, -2, 7]))
def test_a_wrong_last_figure_is_wrong(expected, figures, nudge):
    answer = rounded(parse(expected).value, figures, nudge)
    assert_refused(expected, answer)


@PROPERTY
@given(constants, st.integers(3, 12))
def test_a_correctly_rounded_decimal_is_right(expected, figures):
    answer = rounded(parse(expected).value, figures)
    verdict = grade(expected, answer)
    assert verdict.correct, f"refused {answer!r} for {expected!r}: {verdict.message}"


@PROPERTY
@given(expressions, st.sampled_from([3, 7, 9, 11, 13]), st.integers(1, 12), st.integers(3, 7), st.sampled_from([0, 1, -1]))
def test_a_decimal_coefficient_is_held_to_its_figures(g, q, p, figures, nudge):
    assume(p % q)
    coefficient = rounded(sympy.Rational(p, q), figures, nudge)
    expected, answer = f"{p}*x1/{q} + {line_text(g)}", f"{coefficient}*x1 + {line_text(g)}"
    assert grade(expected, answer).correct is (nudge == 0)


@PROPERTY
@given(st.randoms(use_true_random=False))
def test_generated_fooling_answers_are_refused(rng):
    case = fooling.draw(fooling.WRONG_FAMILIES, random.Random(rng.random()))
    verdict = grade(case.expected, case.answer, case.kind)
    assert not verdict.correct, f"{case.family}: accepted {case.answer!r} for {case.expected!r}"


@PROPERTY
@given(st.randoms(use_true_random=False))
def test_generated_right_answers_in_unusual_forms_are_accepted(rng):
    case = fooling.draw(fooling.RIGHT_FAMILIES, random.Random(rng.random()))
    verdict = grade(case.expected, case.answer, case.kind)
    assert verdict.correct, f"{case.family}: refused {case.answer!r} for {case.expected!r}: {verdict.message}"


@PROPERTY
@given(expressions, expressions)
def test_an_identity_applied_to_a_subexpression_is_right(u, g):
    e, a = (f"sigma({line_text(u)})*(1 - sigma({line_text(u)})) + {line_text(g)}",
            f"exp(-({line_text(u)}))/(1 + exp(-({line_text(u)})))^2 + {line_text(g)}")
    assert grade(e, a).correct
    e, a = f"tanh({line_text(u)})*({line_text(g)})", f"(2sigma(2*({line_text(u)})) - 1)*({line_text(g)})"
    assert grade(e, a).correct


def test_the_witness_check_is_independent_of_the_grader():
    """real_value evaluates with sympy in the complex plane, not with the grader's evaluator."""
    assert real_value(parse("log(x1)").value, {X1: sympy.Float(-1)}) is None
    assert float(real_value(parse("abs(x1)").value, {X1: sympy.Float(-1)})) == 1.0
