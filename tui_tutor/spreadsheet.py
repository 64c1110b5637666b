"""CSV for a spreadsheet: every cell opens as the text or number it is, never as a formula.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and some
also after a leading tab or carriage return), so an answer typed as ``=HYPERLINK(...)`` or a
learner named ``@SUM(A1)`` would act when a teacher opens the file. Such text cells get a leading
apostrophe, which spreadsheets show as text; numbers are written as numbers and left alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet should see it: text that would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_rows(handle: TextIO, rows: Iterable[Iterable[Any]]) -> int:
    """Write ``rows`` as CSV with every cell made safe; return how many were written."""
    writer = csv.writer(handle)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        count += 1
    return count


__all__ = ["FORMULA_STARTS", "safe_cell", "write_rows"]
