"""sympy objects -> one line of text in the syntax the parser reads back (``2*x1*x2^2 + 2*x1``).

For messages, the command line's JSON and a template's answer: text a learner could type. What is
drawn on the screen is written in the course's LaTeX subset instead (:mod:`tui_tutor.engine.texprint`)
and laid out by :mod:`tui_tutor.mathtext`.
"""

from __future__ import annotations

import sympy
from sympy.printing.str import StrPrinter

from tui_tutor.engine.render import format_number, shape_text


def value_text(expr: sympy.Expr) -> str:
    """A closed-form number as a person reads it: integers exact, everything else as a decimal."""
    expr = sympy.sympify(expr) if not isinstance(expr, sympy.Basic) else expr
    if expr.is_Integer:
        return str(int(expr))
    if expr.free_symbols:
        return line_text(expr)
    value = complex(sympy.N(expr, 15))
    if abs(value.imag) > 1e-12:
        return line_text(expr)
    return format_number(value.real)


class _LinePrinter(StrPrinter):
    """sympy's str form, with ^ for powers (what a learner types) and σ as sigma.

    Names are the parser's: sympy writes Euler's number as ``E`` and |x| as ``Abs(x)``, which
    would read back as a variable named E and as an unknown name.
    """

    def _print_Pow(self, expr, rational=False):
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Exp1(self, expr):
        return "e"

    def _print_Abs(self, expr):
        return f"abs({self._print(expr.args[0])})"


def line_text(expr: sympy.Basic, *, ascii: bool = True) -> str:
    """One line, in the syntax the parser reads back (``2*x1*x2^2 + 2*x1``)."""
    if isinstance(expr, sympy.MatrixBase):
        rows = ["[" + ", ".join(line_text(e, ascii=ascii) for e in row) + "]" for row in expr.tolist()]
        return "[" + ", ".join(rows) + "]"
    text = _LinePrinter({"order": None}).doprint(expr).replace("**", "^")
    if not ascii:
        text = text.replace("*", "·").replace("sigma", "σ").replace("pi", "π")
    return text


def describe_shape(value: sympy.Basic, *, ascii: bool = False) -> str:
    """``1×2 matrix``, ``2×1 column vector``, ``1×2 row vector`` or ``number``."""
    if not isinstance(value, sympy.MatrixBase):
        return "number" if not value.free_symbols else "expression"
    rows, cols = value.shape
    shape = shape_text(rows, cols, ascii=ascii)
    if cols == 1 and rows > 1:
        return f"{shape} column vector"
    if rows == 1 and cols > 1:
        return f"{shape} row vector"
    return f"{shape} matrix"
