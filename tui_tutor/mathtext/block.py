"""Rectangles of text: the two-dimensional unit every maths layout is built from.

A :class:`Block` is lines plus a baseline (the row that lines up with neighbouring text);
:func:`hstack` sets blocks side by side on their baselines; :func:`matrix_lines` draws the one
matrix every screen shows, whether its entries came from lesson text or from the engine. No
sympy, no Textual: the app and the engine both build on it.
"""

from __future__ import annotations

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

    A blank line separates rows when any cell is taller than one line, so fractions never touch;
    columns are three spaces apart when an entry has spaces of its own (``x₁ + 1   2x₃``), so
    where one entry ends stays plain.
    """
    grid = [[c if isinstance(c, Block) else Block.of(str(c)) for c in row] for row in cells]
    if not grid or not grid[0]:
        return Block(("[ ]",), 0)
    ncols = len(grid[0])
    widths = [max(grid[r][c].width for r in range(len(grid))) for c in range(ncols)]
    tall = any(cell.height > 1 for row in grid for cell in row)
    spaced = ncols > 1 and any(" " in line.strip() for row in grid for cell in row for line in cell.lines)
    gap = "   " if spaced else "  "
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
            body.append(gap.join(parts))
        if tall and r < len(grid) - 1:
            body.append(" " * (sum(widths) + len(gap) * (ncols - 1)))
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
