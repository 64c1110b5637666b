"""sympy objects -> text blocks, through sympy's own pretty printer.

Entries are pretty-printed one by one and the matrix brackets are drawn by
:func:`tui_tutor.mathtext.block.matrix_lines`, so every matrix in the product looks the same
whether it came from sympy or from lesson text.
"""

from __future__ import annotations

import sympy
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode
from sympy.printing.str import StrPrinter

from tui_tutor.engine.render import format_number, shape_text
from tui_tutor.mathtext.block import Block, matrix_lines


def expr_block(expr: sympy.Expr, *, ascii: bool = False) -> Block:
    """One expression as sympy draws it (fractions stacked, powers raised)."""
    # Symbols consult sympy's global unicode flag rather than the printer's setting.
    previous = pretty_use_unicode(not ascii)
    try:
        printer = PrettyPrinter({"use_unicode": not ascii, "wrap_line": False})
        form = printer._print(expr)
        lines = form.render(wrap_line=False).split("\n")
    finally:
        pretty_use_unicode(previous)
    return Block(tuple(lines), form.baseline)


def matrix_block(matrix: sympy.MatrixBase, *, ascii: bool = False, numeric: bool = False) -> Block:
    """A matrix with brackets; ``numeric`` shows entries as decimals (6 significant figures)."""
    cells = [
        [Block.of(value_text(e)) if numeric else expr_block(e, ascii=ascii) for e in row]
        for row in matrix.tolist()
    ]
    return matrix_lines(cells, ascii=ascii)


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
