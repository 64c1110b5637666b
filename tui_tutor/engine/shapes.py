"""Reading a typed shape such as ``2x3``: the one reader for the grader and the answer preview.

No sympy here, so the answer box can read a shape in the app's own process. The reader scans the
text itself instead of handing pieces to ``int()``: ``'²'.isdigit()`` is True in Python but
``int('²')`` raises, and ``int()`` of a 5000-digit string raises too. Every failure is a
:class:`ParseError` with the column of the character that does not fit.
"""

from __future__ import annotations

from tui_tutor.engine.errors import ParseError

MAX_SHAPE_DIGITS = 4  # a dimension has at most 4 digits (matrices stop at 12×12 anyway)
_SEPARATORS = ("×", "x", "by", ",", "*")
_ASCII_DIGITS = "0123456789"
_HOW = "write a shape as rows×columns, like 2x3"


def parse_shape(text: str) -> tuple[int, int]:
    """``2×3`` / ``2x3`` / ``2 by 3`` / ``(2, 3)`` -> (2, 3); raises ParseError (with a column) otherwise."""
    if not isinstance(text, str):
        raise ParseError("expected text")
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lowered; keep columns true
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    i = _skip(lowered, 0, " \t([")
    rows, i = _dimension(lowered, i)
    i = _skip(lowered, i, " \t")
    for sep in _SEPARATORS:
        if lowered.startswith(sep, i):
            i += len(sep)
            break
    else:
        raise _unexpected(text, i)
    i = _skip(lowered, i, " \t")
    cols, i = _dimension(lowered, i)
    i = _skip(lowered, i, " \t)]")
    if i < len(text):
        raise _unexpected(text, i)
    return rows, cols


_ENTRY_HOW = "write the entry as two whole numbers i,j (row i of y, column j of x), like 2,3"


def parse_entry(text: str) -> tuple[int, int]:
    """``2,3`` / ``(2, 3)`` / ``2 3`` -> (2, 3): an entry of a Jacobian, 1-based; ParseError otherwise.

    The same scanning as for shapes, for the same reasons ('²'.isdigit() is True).
    """
    if not isinstance(text, str):
        raise ParseError("expected text")
    i = _skip(text, 0, " \t([")
    row, i = _dimension(text, i, _ENTRY_HOW)
    start = i
    i = _skip(text, i, " \t")
    if i < len(text) and text[i] in ",;":
        i += 1
    elif i == start:
        raise _unexpected(text, i, _ENTRY_HOW)
    i = _skip(text, i, " \t")
    col, i = _dimension(text, i, _ENTRY_HOW)
    i = _skip(text, i, " \t)]")
    if i < len(text):
        raise _unexpected(text, i, _ENTRY_HOW)
    return row, col


def _skip(text: str, i: int, chars: str) -> int:
    while i < len(text) and text[i] in chars:
        i += 1
    return i


def _dimension(text: str, i: int, how: str = _HOW) -> tuple[int, int]:
    """The ASCII digits at ``i`` as a number, and the index after them."""
    start = i
    while i < len(text) and text[i] in _ASCII_DIGITS:
        i += 1
    if i == start:
        raise _unexpected(text, i, how)
    if i - start > MAX_SHAPE_DIGITS:
        raise ParseError(f"a number here has at most {MAX_SHAPE_DIGITS} digits", start + 1, how)
    return int(text[start:i]), i


def _unexpected(text: str, i: int, how: str = _HOW) -> ParseError:
    if i >= len(text):
        return ParseError("the input ends too early", len(text) + 1, how)
    ch = text[i]
    shown = f"'{ch}'" if ch.isprintable() and not ch.isspace() else f"character U+{ord(ch):04X}"
    return ParseError(f"unexpected {shown}", i + 1, how)
