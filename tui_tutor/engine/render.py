"""Plain text for the course's small objects: shapes, numbers (also as the LaTeX subset reads
them), boxed tables.

Matrices and every other two-dimensional layout are :mod:`tui_tutor.mathtext`'s job; this module
needs no sympy, so the app can import it before sympy has loaded. Unicode by default;
``ascii=True`` gives pure ASCII.
"""

from __future__ import annotations

import math
from typing import Sequence


def shape_text(rows: int | str, cols: int | str, *, ascii: bool = False) -> str:
    """``2×3`` (or ``2x3`` in ASCII)."""
    return f"{rows}{'x' if ascii else '×'}{cols}"


def format_number(value: float, digits: int = 6) -> str:
    """A float the way a person writes it: up to ``digits`` significant figures, no noise."""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("∞" if value > 0 else "-∞")
    if value == 0:
        return "0"
    if abs(value - round(value)) < 1e-12 * max(1.0, abs(value)) and abs(value) < 1e15:
        return str(int(round(value)))
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    return text


def number_tex(text: str) -> str:
    """A number already written out (``-0.09``, ``1.06e-10``, ``1e-3``) as LaTeX that reads the same.

    An exponent's ``e`` would otherwise read as Euler's number times something minus something.
    """
    if any(c in text for c in "eE") and not text.startswith("\\"):
        return f"\\text{{{text}}}"
    return text


def table_lines(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, ascii: bool = False
) -> list[str]:
    """A boxed table (Unicode box drawing, or +-| in ASCII)."""
    widths = [len(h) for h in header]
    for row in rows:
        for c, cell in enumerate(row):
            widths[c] = max(widths[c], len(cell))
    if ascii:
        h, v, tl, tm, tr, ml, mm, mr, bl, bm, br = "-", "|", "+", "+", "+", "+", "+", "+", "+", "+", "+"
    else:
        h, v, tl, tm, tr, ml, mm, mr, bl, bm, br = "─", "│", "┌", "┬", "┐", "├", "┼", "┤", "└", "┴", "┘"

    def rule(left: str, mid: str, right: str) -> str:
        return left + mid.join(h * (w + 2) for w in widths) + right

    def line(cells: Sequence[str]) -> str:
        return v + v.join(f" {cell.ljust(w)} " for cell, w in zip(cells, widths)) + v

    out = [rule(tl, tm, tr), line(header), rule(ml, mm, mr)]
    out += [line(row) for row in rows]
    out.append(rule(bl, bm, br))
    return out


def shape_product_text(factors: Sequence[tuple[int, int]], *, ascii: bool = False) -> str:
    """The dimension check of a chain-rule product: ``(1×2)(2×2) = (1×2)``."""
    left = "".join(f"({shape_text(r, c, ascii=ascii)})" for r, c in factors)
    result = shape_text(factors[0][0], factors[-1][1], ascii=ascii)
    return f"{left} = ({result})"
