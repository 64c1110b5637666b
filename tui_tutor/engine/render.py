"""Plain-text layout of the course's objects: matrices, tables, shapes, numbers.

The one renderer of matrices: every matrix on screen or in the CLI — a Jacobian from sympy, a
``bmatrix`` from lesson text — goes through :func:`matrix_lines`. Cells arrive already rendered
(one or more lines with a baseline), so this module needs no sympy and the app can import it
before sympy has loaded. Unicode by default; ``ascii=True`` gives pure ASCII.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Block:
    """A rectangle of text with a baseline (the row that lines up with neighbours' text)."""

    lines: tuple[str, ...]
    baseline: int = 0

    @classmethod
    def of(cls, text: str | Sequence[str], baseline: int | None = None) -> Block:
        lines = tuple(text.split("\n")) if isinstance(text, str) else tuple(text)
        if baseline is None:
            baseline = len(lines) // 2
        return cls(lines, baseline)

    @property
    def width(self) -> int:
        return max((len(line) for line in self.lines), default=0)

    @property
    def height(self) -> int:
        return len(self.lines)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines)


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


def hstack(blocks: Sequence[Block], sep: str = "") -> Block:
    """Blocks side by side, aligned on their baselines."""
    above = max((b.baseline for b in blocks), default=0)
    below = max((b.height - b.baseline - 1 for b in blocks), default=0)
    height = above + below + 1
    rows = [""] * height
    for index, block in enumerate(blocks):
        top = above - block.baseline
        width = block.width
        for r in range(height):
            k = r - top
            piece = block.lines[k] if 0 <= k < block.height else ""
            rows[r] += piece.ljust(width) + (sep if index < len(blocks) - 1 else "")
    return Block(tuple(row.rstrip() for row in rows), above)


def _brackets(height: int, ascii: bool) -> tuple[list[str], list[str]]:
    if ascii or height == 1:
        return ["["] * height, ["]"] * height
    left = ["⎡"] + ["⎢"] * (height - 2) + ["⎣"]
    right = ["⎤"] + ["⎥"] * (height - 2) + ["⎦"]
    return left, right


def matrix_lines(cells: Sequence[Sequence[Block | str]], *, ascii: bool = False) -> Block:
    """A matrix with brackets. Columns are centred; rows with tall cells are aligned on baselines.

    A blank line separates rows when any cell is taller than one line (as sympy does), so fractions
    never touch.
    """
    grid = [[c if isinstance(c, Block) else Block.of(str(c)) for c in row] for row in cells]
    if not grid or not grid[0]:
        return Block(("[ ]",), 0)
    ncols = len(grid[0])
    widths = [max(grid[r][c].width for r in range(len(grid))) for c in range(ncols)]
    tall = any(cell.height > 1 for row in grid for cell in row)
    body: list[str] = []
    for r, row in enumerate(grid):
        above = max(cell.baseline for cell in row)
        below = max(cell.height - cell.baseline - 1 for cell in row)
        for line_index in range(above + below + 1):
            parts = []
            for c, cell in enumerate(row):
                k = line_index - (above - cell.baseline)
                piece = cell.lines[k] if 0 <= k < cell.height else ""
                parts.append(_centre(piece, widths[c]))
            body.append("  ".join(parts))
        if tall and r < len(grid) - 1:
            body.append(" " * (sum(widths) + 2 * (ncols - 1)))
    left, right = _brackets(len(body), ascii)
    lines = tuple(f"{l}{line}{rt}" for l, line, rt in zip(left, body, right))
    return Block(lines, (len(lines) - 1) // 2)


def _centre(text: str, width: int) -> str:
    pad = width - len(text)
    left = (pad + 1) // 2
    return " " * left + text + " " * (pad - left)


def labelled(label: str, block: Block, *, suffix: str = "") -> Block:
    """``label`` in front of a block and ``suffix`` after it, both on the block's baseline."""
    parts = [Block.of(label, 0), block]
    if suffix:
        parts.append(Block.of(suffix, 0))
    return hstack(parts)


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
