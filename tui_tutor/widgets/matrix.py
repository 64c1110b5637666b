"""A matrix from the engine, with its label and shape: ``Dg(x)  2×2`` over the bracketed matrix."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from rich.text import Text

from tui_tutor.widgets.mathview import FittedText

if TYPE_CHECKING:
    from tui_tutor.engine.results import MatrixView


def matrix_text(view: MatrixView, width: int, *, ascii: bool = False) -> str:
    """``Dg(x)  2×2`` on a line of its own, then the matrix below it, in at most ``width`` columns.

    The heading sits above rather than beside the matrix so a wide matrix never pushes its
    shape off a narrow terminal; a matrix too wide to draw even so is listed entry by entry.
    """
    from tui_tutor.engine.report import matrix_block  # with the first matrix, not at start-up

    return matrix_block(view, width, ascii=ascii, heading=True).text()


class MatrixDisplay(FittedText):
    """Shows a :class:`MatrixView` (or a message while it is being computed)."""

    DEFAULT_CSS = """
    MatrixDisplay { margin: 0 0 1 2; }
    MatrixDisplay.-pending { color: $text-muted; }
    MatrixDisplay.-error { color: $error; }
    """

    def __init__(self, placeholder: str = "computing…", *, ascii: bool = False, id: str | None = None):
        super().__init__(id=id, classes="-pending")
        self.ascii = ascii
        self.view: MatrixView | None = None
        self.message = placeholder

    def text_at(self, width: int) -> Text:
        if self.view is not None:
            return Text(matrix_text(self.view, width, ascii=self.ascii))
        return Text("\n".join(textwrap.wrap(self.message, max(width, 10))))

    def show(self, view: MatrixView) -> None:
        self.set_classes("")
        self.view = view
        self.changed()

    def show_error(self, message: str) -> None:
        self.set_classes("-error")
        self.view, self.message = None, message
        self.changed()
