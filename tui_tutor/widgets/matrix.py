"""A matrix from the engine, with its label and shape: ``Dg(x) = [...]  2×2``."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui_tutor.widgets.relayout import relayout_later

from tui_tutor.engine.render import shape_text
from tui_tutor.engine.results import MatrixView


def matrix_text(view: MatrixView, *, ascii: bool = False) -> str:
    """``Dg(x)  2×2`` on a line of its own, then the bracketed matrix below it.

    The heading sits above rather than beside the matrix so a wide matrix never pushes its
    shape off a narrow terminal.
    """
    shape = shape_text(view.rows, view.cols, ascii=ascii)
    body = "\n".join("  " + line.rstrip() for line in view.lines)
    return f"{view.label}  {shape}\n{body}"


class MatrixDisplay(Static):
    """Shows a :class:`MatrixView` (or a message while it is being computed)."""

    DEFAULT_CSS = """
    MatrixDisplay { width: 1fr; height: auto; margin: 0 0 1 2; text-wrap: nowrap; }
    MatrixDisplay.-pending { color: $text-muted; }
    MatrixDisplay.-error { color: $error; }
    """

    def __init__(self, placeholder: str = "computing…", *, ascii: bool = False, id: str | None = None):
        super().__init__(Text(placeholder), id=id, classes="-pending")
        self.ascii = ascii

    def show(self, view: MatrixView) -> None:
        self.set_classes("")
        self.update(Text(matrix_text(view, ascii=self.ascii), no_wrap=True))
        relayout_later(self)

    def show_error(self, message: str) -> None:
        self.set_classes("-error")
        self.update(Text(message))
        relayout_later(self)
