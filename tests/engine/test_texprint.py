"""The engine's maths text: sympy results written in the course's LaTeX subset, which the lesson's
renderer then lays out (one look for the lesson and the engine)."""

from __future__ import annotations

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_tutor import mathtext
from tui_tutor.engine.errors import ParseError
from tui_tutor.engine.functions import sigma
from tui_tutor.engine.parse import parse, symbol
from tui_tutor.engine.service import preview, solve
from tui_tutor.engine.texprint import entries_tex, number_tex, tex
from tui_tutor.mathtext import render_inline
from tui_tutor.mathtext.fit import fit_display

x1, x2, u1 = symbol("x1"), symbol("x2"), symbol("u1")


def shown(value, ascii=False) -> str:
    return render_inline(tex(value), ascii=ascii)


def test_expressions_read_as_the_lesson_writes_them():
    assert shown(2 * x1 * x2**2 + x1) == "2x₁x₂² + x₁"
    assert shown((1 - sigma(u1)) * sigma(u1)) == "(1 − σ(u₁))σ(u₁)"
    assert shown(sympy.sin(x2) * sympy.exp(-x1)) == "e^(−x₁)sin(x₂)"  # not e⁻ˣ¹, which reads as x¹
    assert shown(sympy.sqrt(x1**2 + 1)) == "√(x₁² + 1)"
    assert shown(sympy.Abs(x1) / 2) == "|x₁|/2"
    assert shown(sympy.Rational(1, 2)) == "1/2"
    assert shown(2 * x1 * x2**2 + x1, ascii=True) == "2x1 x2^2 + x1"
    assert shown(sigma(u1), ascii=True) == "sigma(u1)"


def test_an_exponent_stays_on_its_line_and_a_row_is_one_line():
    # sympy's 2-D printer raised the 2 of x₁² onto a line of its own and drew a 1×2 row with
    # two-line brackets; the course's renderer keeps both on one line.
    block = fit_display(tex(sympy.Matrix([[1, 2 * u1 * x1**2]])), 80)
    assert block.lines == ("[1  2u₁x₁²]",)


def test_decimals_are_shown_as_typed_not_as_fractions():
    result = preview("0.0504")
    assert render_inline(result.tex) == "0.0504"
    result = preview("[0.01; -0.02]")
    assert render_inline(result.tex) == "[0.01; −0.02]"
    assert result.text == "read as: 2×1 column vector"
    assert render_inline(preview("2*0.333*x1").tex) == "2·0.333x₁"
    assert render_inline(preview("1e-3").tex) == "1e-3"


def test_numbers_with_an_exponent_are_not_read_as_e():
    assert render_inline(number_tex("1.06e-10")) == "1.06e-10"
    assert entries_tex(sympy.Matrix([[sympy.Rational(-9, 100), sympy.sqrt(2)]]), numeric=True) == (("-0.09", "1.41421"),)


def test_labels_and_entries_of_a_solution_are_maths_text():
    solution = solve(["x1^2 + x2, x1*x2", "u1 + u2^2"], "1,2", entry=(1, 1))
    assert [render_inline(j.label) for j in solution.jacobians] == ["Dg(x)", "Df(u)"]
    assert render_inline(solution.jacobians_at[0].label) == "Dg(x₀)"
    assert render_inline(solution.gradient.label, ascii=True) == "grad h(x)"
    assert [[render_inline(e) for e in row] for row in solution.jacobians[0].entries] == [["2x₁", "1"], ["x₂", "x₁"]]
    assert render_inline(solution.path_total) == "2x₁x₂² + 2x₁"


NAMES = st.sampled_from(["x1", "x2", "u1", "(x1 + 1)", "2", "0.5"])
FUNCTIONS = st.sampled_from(["sin", "cos", "exp", "log", "sqrt", "abs", "tanh", "sigma", "asin", "atan"])


@st.composite
def expressions(draw, depth=3):
    if depth == 0 or draw(st.booleans()):
        return draw(NAMES)
    kind = draw(st.sampled_from(["+", "-", "*", "/", "^", "f"]))
    a, b = draw(expressions(depth=depth - 1)), draw(expressions(depth=depth - 1))
    if kind == "f":
        return f"{draw(FUNCTIONS)}({a})"
    if kind == "^":
        return f"({a})^{draw(st.sampled_from(['2', '3', '-1', '(1/2)']))}"
    return f"({a}) {kind} ({b})"


@settings(max_examples=150, deadline=None)
@given(expressions())
def test_whatever_the_engine_writes_the_renderer_reads(text):
    try:
        value = parse(text).value
    except ParseError:  # x1/(x1 - x1), and such: refused before anything is written
        return
    written = tex(value)
    mathtext.validate(written)  # no unknown command, nothing unbalanced
    for ascii in (False, True):
        out = render_inline(written, ascii=ascii)
        assert "\\" not in out and "{" not in out, (written, out)
        if ascii:
            assert out.isascii()
