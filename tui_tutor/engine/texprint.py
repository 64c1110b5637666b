"""sympy objects -> the course's LaTeX subset: the engine's maths, in the words the lesson uses.

The engine never draws. It writes what it computed in the same LaTeX subset the course is
written in (``x_{1}^{2}``, ``\\sigma(u_{1})``, ``\\frac{1}{2}``, ``\\begin{bmatrix} ... \\end{bmatrix}``),
and :mod:`tui_tutor.mathtext` lays that out on the screen for the width there is, exactly as it
lays out the lesson: one look, one width rule, one ASCII table. sympy's own LaTeX printer does the
work; this module keeps it inside the subset (plain parentheses, no ``\\left``, σ as the course
writes it, matrices as ``bmatrix``) and can write each decimal literal as it was typed.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import sympy
from sympy.printing.latex import LatexPrinter

from tui_tutor.engine.functions import sigma
from tui_tutor.engine.linetext import value_text
from tui_tutor.engine.render import format_number, number_tex

# The parser's functions, as the course writes them (the subset knows \sin ... \tanh, \exp, \log).
_NAMES = {
    "sin": "\\sin", "cos": "\\cos", "tan": "\\tan", "sinh": "\\sinh", "cosh": "\\cosh", "tanh": "\\tanh",
    "log": "\\log", "exp": "\\exp", "asin": "\\operatorname{asin}", "acos": "\\operatorname{acos}",
    "atan": "\\operatorname{atan}", "sigma": "\\sigma",
}


class _SubsetPrinter(LatexPrinter):
    """sympy's LaTeX, kept inside the subset, with decimal literals written as typed."""

    def __init__(self, decimals: Mapping[sympy.Symbol, str] | None = None):
        super().__init__({"mul_symbol": None, "fold_short_frac": False})
        self._decimals = dict(decimals or {})

    def _print_Symbol(self, expr, style="plain"):
        if expr in self._decimals:
            return number_tex(self._decimals[expr])
        return super()._print_Symbol(expr, style)

    def _print_Function(self, expr, exp=None):
        name = _NAMES.get(type(expr).__name__) or ("\\sigma" if isinstance(expr, sigma) else None)
        if name is None:
            return super()._print_Function(expr, exp)
        head = f"{name}^{{{exp}}}" if exp else name
        return f"{head}({', '.join(self._print(arg) for arg in expr.args)})"

    def _print_Abs(self, expr, exp=None):
        text = f"|{self._print(expr.args[0])}|"
        return f"{text}^{{{exp}}}" if exp else text

    def _print_MatrixBase(self, expr):
        return matrix_tex([[self._print(e) for e in row] for row in expr.tolist()])

    _print_ImmutableMatrix = _print_MutableDenseMatrix = _print_ImmutableDenseMatrix = _print_MatrixBase

    def _print_Float(self, expr):
        return number_tex(format_number(float(expr), 15))


def tex(value: sympy.Basic, decimals: Mapping[sympy.Symbol, str] | None = None) -> str:
    """A value (number, expression or matrix) in the course's LaTeX subset.

    ``decimals`` maps placeholder symbols (see ``Parsed.parametric``) to the literal a learner
    typed, so 0.0504 is shown as 0.0504 and not as 63/1250.
    """
    return _SubsetPrinter(decimals).doprint(value)


def matrix_tex(entries: Sequence[Sequence[str]]) -> str:
    """Entries (already LaTeX) as a ``bmatrix``."""
    rows = " \\\\ ".join(" & ".join(row) for row in entries)
    return f"\\begin{{bmatrix}} {rows} \\end{{bmatrix}}"


def entries_tex(matrix: sympy.MatrixBase, *, numeric: bool = False) -> tuple[tuple[str, ...], ...]:
    """Each entry of a matrix in the subset; ``numeric`` writes values as decimals (6 figures)."""
    printer = _SubsetPrinter()
    return tuple(
        tuple(number_tex(value_text(e)) if numeric else printer.doprint(e) for e in row)
        for row in matrix.tolist()
    )


__all__ = ["entries_tex", "matrix_tex", "number_tex", "tex"]
