"""Plain-text rendering: matrices, tables, numbers, the one-line form that reads back, the solve report."""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_tutor.engine.functions import sigma
from tui_tutor.engine.parse import parse, symbol
from tui_tutor.engine.linetext import describe_shape, line_text, value_text
from tui_tutor.engine.render import format_number, shape_product_text, shape_text, table_lines
from tui_tutor.engine.report import report_lines
from tui_tutor.engine.service import solve
from tui_tutor.mathtext.block import Block, hstack, labelled, matrix_lines

x1, x2 = symbol("x1"), symbol("x2")


def is_ascii(lines) -> bool:
    return all(line.isascii() for line in lines)


# --- matrices -------------------------------------------------------------------------------------


def test_matrix_brackets_unicode_and_ascii():
    assert matrix_lines([["1", "2"], ["3", "4"]]).lines == ("⎡1  2⎤", "⎣3  4⎦")
    assert matrix_lines([["1", "2"], ["3", "4"]], ascii=True).lines == ("[1  2]", "[3  4]")
    assert matrix_lines([["10"], ["5"]]).lines == ("⎡10⎤", "⎣ 5⎦")
    three = matrix_lines([["1"], ["2"], ["3"]])
    assert three.lines == ("⎡1⎤", "⎢2⎥", "⎣3⎦")
    assert three.baseline == 1


def test_a_row_vector_is_one_line_with_square_brackets():
    assert matrix_lines([["1", "2", "3"]]).lines == ("[1  2  3]",)


def test_tall_cells_are_aligned_on_their_baselines_and_rows_kept_apart():
    fraction = Block(("x₁", "──", "x₂"), 1)
    block = matrix_lines([[fraction, "1"], ["2", "3"]])
    widths = {len(line) for line in block.lines}
    assert len(widths) == 1  # a rectangle
    assert block.height == 5  # three lines, a blank separator, one line
    assert "1" in block.lines[fraction.baseline]  # the 1 sits on the fraction bar


def test_empty_matrix_draws_brackets():
    assert matrix_lines([]).lines == ("[ ]",)


# --- layout helpers -------------------------------------------------------------------------------


def test_labelled_puts_the_label_on_the_baseline():
    block = labelled("Dg(x) = ", matrix_lines([["1", "2"], ["3", "4"]]), suffix="   2×2")
    assert block.lines == ("Dg(x) = ⎡1  2⎤   2×2", "        ⎣3  4⎦")


def test_hstack_aligns_baselines():
    tall = Block(("a", "b", "c"), 1)
    short = Block(("x",), 0)
    assert hstack([tall, short], sep=" ").lines == ("a", "b x", "c")


def test_table_lines_box_drawing_and_ascii():
    unicode = table_lines(["Object", "Shape"], [["x", "2×1"]])
    assert unicode[0].startswith("┌") and unicode[-1].startswith("└")
    ascii = table_lines(["Object", "Shape"], [["x", "2x1"]], ascii=True)
    assert ascii == ["+--------+-------+", "| Object | Shape |", "+--------+-------+", "| x      | 2x1   |", "+--------+-------+"]


def test_shape_texts():
    assert shape_text(2, 3) == "2×3"
    assert shape_text(2, 3, ascii=True) == "2x3"
    assert shape_product_text([(1, 2), (2, 2)]) == "(1×2)(2×2) = (1×2)"
    assert shape_product_text([(1, 3), (3, 3), (3, 2)], ascii=True) == "(1x3)(3x3)(3x2) = (1x2)"


@pytest.mark.parametrize(
    "value, text",
    [
        (0.0, "0"),
        (3.0, "3"),
        (-9.0, "-9"),
        (-0.09, "-0.09"),
        (0.1 + 0.2, "0.3"),
        (1 / 3, "0.333333"),
        (123456789.0, "123456789"),
        (1e-7, "1e-7"),
        (2.5e20, "2.5e20"),
        (float("nan"), "nan"),
        (float("inf"), "∞"),
        (float("-inf"), "-∞"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


# --- one-line text that reads back ---------------------------------------------------------------


READ_BACK = [
    2 * x1 * x2**2 + 2 * x1,
    sympy.sin(x1) * x2,
    sympy.exp(-x1) / (1 + sympy.exp(-x1)) ** 2,
    sigma(x1) * (1 - sigma(x1)),
    sympy.E,
    sympy.E * x1,
    sympy.Abs(x1 - 1),
    sympy.sqrt(x1),
    x1 ** sympy.Rational(3, 2),
    sympy.pi * x1 / 3,
    2 ** (-x1),
    sympy.Matrix([[x1, 2], [sympy.E, -x2]]),
]


@pytest.mark.parametrize("value", READ_BACK, ids=[str(v) for v in READ_BACK])
def test_line_text_reads_back_as_the_same_value(value):
    text = line_text(value)
    back = parse(text).value
    if isinstance(value, sympy.MatrixBase):
        assert back == sympy.ImmutableMatrix(value)
    else:
        assert sympy.simplify(back - value) == 0, text


def test_line_text_unicode_form():
    assert line_text(2 * x1 * sympy.pi, ascii=False) == "2·π·x1"
    assert line_text(sigma(x1), ascii=False) == "σ(x1)"
    assert line_text(x1**2) == "x1^2"


_atoms = st.sampled_from([x1, x2, sympy.Integer(2), sympy.Integer(-3), sympy.Rational(1, 2), sympy.E, sympy.pi])


@settings(max_examples=60)
@given(
    st.recursive(
        _atoms,
        lambda c: st.one_of(
            st.tuples(c, c).map(lambda p: p[0] + p[1]),
            st.tuples(c, c).map(lambda p: p[0] * p[1]),
            st.tuples(c, c).map(lambda p: p[0] - p[1]),
            st.tuples(c, st.integers(-2, 3)).map(lambda p: p[0] ** p[1] if p[0] != 0 else p[0]),
            # functions of non-constant arguments: exp(exp(exp(e))) is refused by the parser's limits
            c.map(lambda e: sympy.sin(e) if e.free_symbols else e),
            c.map(lambda e: sympy.exp(e) if e.free_symbols else e),
            c.map(lambda e: sympy.Abs(e)),
            c.map(lambda e: sigma(e) if e.free_symbols else e),
        ),
        max_leaves=6,
    )
)
def test_line_text_round_trips(value):
    if value.has(sympy.zoo, sympy.nan, sympy.oo):
        return
    back = parse(line_text(value)).value
    difference = back - value
    if difference != 0 and not sympy.expand(difference) == 0:
        point = {s: 0.37 + 0.1 * k for k, s in enumerate(sorted(value.free_symbols, key=str))}
        left, right = complex(sympy.N(back.subs(point))), complex(sympy.N(value.subs(point)))
        assert math.isclose(abs(left - right), 0, abs_tol=1e-9 * max(1, abs(right))), line_text(value)


# --- small descriptions ---------------------------------------------------------------------------


def test_value_text_and_describe_shape():
    assert value_text(sympy.Integer(10)) == "10"
    assert value_text(sympy.Rational(-9, 100)) == "-0.09"
    assert value_text(x1 + 1) == "x1 + 1"
    assert describe_shape(sympy.Matrix([[1], [2]])) == "2×1 column vector"
    assert describe_shape(sympy.Matrix([[1, 2]]), ascii=True) == "1x2 row vector"
    assert describe_shape(sympy.Matrix([[1, 2], [3, 4]])) == "2×2 matrix"
    assert describe_shape(sympy.Integer(3)) == "number"
    assert describe_shape(x1) == "expression"


# --- the solve report -----------------------------------------------------------------------------


def test_report_for_worked_example_2():
    solution = solve(["x1 + 2x2, x1 - x2", "u1^2 + 3u2"], "1,1", "0.01,-0.02")
    text = "\n".join(report_lines(solution))
    assert "Shape check: (1×2)(2×2) = (1×2)" in text
    assert "Δy ≈ [−0.09]" in text  # a real minus sign, as the lesson writes it
    assert "∇ₓ = ⎡9⎤" in text
    assert "agrees" in text and "DISAGREES" not in text


def test_report_for_one_map_shows_its_jacobian_at_the_point_once():
    lines = report_lines(solve(["x1^2 + x2"], "1,2"))
    assert sum(line.startswith("Df(x₀) = ") for line in lines) == 1


def test_report_in_ascii_is_pure_ascii():
    solution = solve(["x1^2 + x2, x1*x2", "sigma(u1) + pi u2^2"], "1,2", "0.01,0", entry=(1, 2), ascii=True)
    lines = report_lines(solution, ascii=True)
    assert is_ascii(lines), [line for line in lines if not line.isascii()]
    assert any(line.startswith("grad h(x0) = ") for line in lines)
