"""A mastery level as a number and as a bar, drawn so that both tell the same story.

The bar is ``width`` cells; the marker sits on the cell a level must fill to reach the threshold
(``ceil(threshold × width)`` cells). Below the threshold the fill is ``floor(level × width)`` cells
and never covers the marker; at or above it the marker's cell is always filled. The percentage is
rounded *down*, so 79.6 % reads "79%" beside a bar that has not reached the 80 % marker: a skill
never looks mastered on screen before the gate says it is, at any width. Pure text, shared by the
mastery bars, ``tui-tutor progress`` and the class report.
"""

from __future__ import annotations

import math

_EPSILON = 1e-9  # float noise in a weighted mean must not turn 80 % into 79 %


def percent(level: float) -> int:
    """``level`` (0..1) as a whole percentage, rounded down."""
    return max(0, min(100, math.floor(100 * level + _EPSILON)))


def reaches(level: float, threshold: float) -> bool:
    """Whether ``level`` is at or above ``threshold`` (with float noise forgiven)."""
    return level + _EPSILON >= threshold


def marker_cell(threshold: float, width: int) -> int:
    """The 0-based cell that marks ``threshold`` on a bar of ``width`` cells."""
    return min(width - 1, max(0, math.ceil(threshold * width - _EPSILON) - 1))


def filled_cells(level: float, threshold: float, width: int) -> int:
    """How many cells of a ``width``-cell bar a ``level`` fills (see the module docstring)."""
    cells = max(0, min(width, math.floor(level * width + _EPSILON)))
    mark = marker_cell(threshold, width)
    if reaches(level, threshold):
        return max(cells, mark + 1)
    return min(cells, mark)


def bar(level: float, threshold: float, width: int, parts: tuple[str, str, str] = ("█", "·", "│")) -> str:
    """The bar as text: ``parts`` are the full cell, the empty cell and the threshold marker."""
    full, empty, mark = parts
    filled = filled_cells(level, threshold, width)
    cells = [full] * filled + [empty] * (width - filled)
    at = marker_cell(threshold, width)
    if cells[at] == empty:
        cells[at] = mark  # the marker shows only where the bar has not reached yet
    return "".join(cells)


__all__ = ["bar", "filled_cells", "marker_cell", "percent", "reaches"]
