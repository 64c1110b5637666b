"""The report's tables, one shape for every way out: the terminal, CSV for a spreadsheet, JSON.

A :class:`Table` is a title, columns and rows of plain values (text, numbers, None). The terminal
gets them through rich at the width there is (80 columns when the output is not a terminal):
numbers right-aligned, long text cut with an ellipsis rather than wrapped, so a table never runs
past the edge. CSV and JSON carry every value in full; CSV cells that a spreadsheet would run as
formulas are quoted (``spreadsheet.safe_cell``). Text from summary files and progress stores
(learner names) is shown with its control characters made visible: a file cannot drive the
teacher's terminal.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from tui_tutor.safetext import visible
from tui_tutor.spreadsheet import write_rows

WIDTH = 80  # when the output is a file or a pipe


@dataclass(frozen=True)
class Column:
    """A column: ``key`` in CSV and JSON, ``header`` on screen; ``min_width`` keeps a text column
    readable when the table is squeezed, ``numeric`` aligns right, ``shown`` writes a value for
    the screen (seconds as ``4:05``) while CSV and JSON keep the value itself."""

    key: str
    header: str
    numeric: bool = False
    min_width: int = 4
    max_width: int | None = None
    shown: Callable[[Any], str] | None = None
    on_screen: bool = True  # False: in CSV and JSON only (a file name the terminal has no room for)


@dataclass
class Table:
    """A titled table of plain values, with an optional line under it (a legend, a note)."""

    name: str  # the --table name and the JSON key
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column key (the JSON form)."""
        return [dict(zip((c.key for c in self.columns), row)) for row in self.rows]


def cell_text(value: Any) -> str:
    """How a value reads on screen: None as "-", floats without noise, text made visible."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0")
    return visible(str(value))


GAP = 3  # between two columns: a space of padding each side of a blank rule


def fit_widths(columns: Sequence[Column], cells: Sequence[Sequence[str]], width: int) -> list[int]:
    """Each column's width so the table fits ``width``: numbers never shrink; text columns give up
    room, the widest first, down to their ``min_width`` (and are cut with an ellipsis)."""
    natural = [
        min(c.max_width or 10**6, max([len(c.header)] + [len(row[i]) for row in cells]))
        if not c.numeric else max([len(c.header)] + [len(row[i]) for row in cells])
        for i, c in enumerate(columns)
    ]  # fmt: skip
    floor = [n if c.numeric else min(n, max(c.min_width, 1)) for c, n in zip(columns, natural)]
    widths = list(natural)
    excess = sum(widths) + GAP * (len(widths) - 1) - width
    while excess > 0:
        shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return widths


def _screen(column: Column, value: Any) -> str:
    return cell_text(column.shown(value) if column.shown and value is not None else value)


def render_text(tables: Sequence[Table], *, width: int = WIDTH, ascii: bool = False, header: Iterable[str] = ()) -> str:
    """Every table, titled, fitted to ``width`` columns; ``header`` lines come first."""
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable

    out = io.StringIO()
    console = Console(file=out, width=width, no_color=True, force_terminal=False, legacy_windows=False,
                      emoji=False, highlight=False, markup=False)  # fmt: skip
    for line in header:
        console.print(visible(line), soft_wrap=True)  # messages (file paths): the terminal wraps them
    for table in tables:
        shown = RichTable(
            title=table.title, title_justify="left", box=box.ASCII2 if ascii else box.SIMPLE_HEAD,
            show_edge=False, pad_edge=False, expand=False, title_style=None, header_style=None,
        )  # fmt: skip
        columns = [(i, c) for i, c in enumerate(table.columns) if c.on_screen]
        cells = [[_screen(c, row[i]) for i, c in columns] for row in table.rows]
        widths = fit_widths([c for _, c in columns], cells, width)
        for (_, column), room in zip(columns, widths):
            shown.add_column(column.header, justify="right" if column.numeric else "left", no_wrap=True,
                             overflow="ellipsis", width=room)  # fmt: skip
        for row in cells:
            shown.add_row(*row)
        if not table.rows:
            shown.add_row(*(["(none)"] + [""] * (len(columns) - 1)))
        console.print()
        console.print(shown)
        if table.note:
            console.print(visible(table.note))
    text = out.getvalue()
    if ascii:
        text = text.replace("…", ".").replace("×", "x")
    return text.rstrip("\n")


def write_csv(handle: TextIO, tables: Sequence[Table], *, titles: bool = True) -> None:
    """The tables as CSV: each after a line with its title and a blank line between them.

    With one table and ``titles=False`` it is a plain CSV file (header row, then rows).
    """
    for i, table in enumerate(tables):
        if i:
            write_rows(handle, [[]])
        if titles:
            write_rows(handle, [[table.title]])
        write_rows(handle, [[c.key for c in table.columns]])
        write_rows(handle, ([_csv_value(v) for v in row] for row in table.rows))


def to_json(tables: Sequence[Table], **extra: Any) -> str:
    """One JSON object: ``extra`` keys, then ``tables`` (name → list of row objects)."""
    return json.dumps({**extra, "tables": {t.name: t.records() for t in tables}}, ensure_ascii=False)


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    return "" if value is None else value


__all__ = ["Column", "Table", "WIDTH", "cell_text", "render_text", "to_json", "write_csv"]
