"""The shape table — x n×1, u m×1, y p×1, Dg m×n, Df p×m, composite p×n — as a real table."""

from __future__ import annotations

from typing import Sequence

from rich import box
from rich.table import Table
from textual.widgets import Static

from tui_tutor.widgets.relayout import relayout_later


def shape_table(rows: Sequence[Sequence[str]], *, ascii: bool = False, check: str = "") -> Table:
    """A Rich table with Object / Meaning / Shape columns and the dimension check as a caption."""
    table = Table(box=box.ASCII if ascii else box.ROUNDED, caption=check or None, expand=False)
    table.add_column("Object", no_wrap=True)
    table.add_column("Meaning")
    table.add_column("Shape", no_wrap=True, justify="center")
    for row in rows:
        table.add_row(*row)
    return table


class ShapeTable(Static):
    """A shape table; rows arrive from the course (general n, m, p) or from the engine."""

    DEFAULT_CSS = """
    ShapeTable { width: 1fr; height: auto; margin: 0 0 1 2; }
    """

    def __init__(self, rows: Sequence[Sequence[str]] = (), *, ascii: bool = False, check: str = ""):
        self.ascii = ascii
        super().__init__(
            shape_table(rows, ascii=ascii, check=check) if rows else "computing…",
            classes="" if rows else "-pending",
        )

    def show(self, rows: Sequence[Sequence[str]], check: str = "") -> None:
        self.remove_class("-pending")
        self.update(shape_table(rows, ascii=self.ascii, check=check))
        relayout_later(self)
