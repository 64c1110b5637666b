"""Reading a typed shape such as ``2x3``: the one reader for the grader and the answer preview.

No sympy here, so the answer box can read a shape in the app's own process.
"""

from __future__ import annotations

from tui_tutor.engine.errors import ParseError


def parse_shape(text: str) -> tuple[int, int]:
    """``2×3`` / ``2x3`` / ``2 by 3`` / ``(2, 3)`` -> (2, 3); raises ParseError otherwise."""
    cleaned = text.strip().lower().strip("()[] ")
    for sep in ("×", "x", "by", ",", "*"):
        left, found, right = cleaned.partition(sep)
        if found and left.strip().isdigit() and right.strip().isdigit():
            return int(left), int(right)
    raise ParseError("write a shape as rows×columns, like 2x3")
