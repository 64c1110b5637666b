"""An insight or note box: a bordered paragraph with a title."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui_tutor.mathtext import render_prose


class NoteBox(Static):
    """A boxed note, like the lesson's "insight" panels."""

    DEFAULT_CSS = """
    NoteBox {
        width: 1fr; height: auto; margin: 0 0 1 0; padding: 0 1;
        border: round $accent; border-title-color: $accent;
    }
    """

    def __init__(self, text: str, *, title: str = "Note", ascii: bool = False, classes: str | None = None):
        super().__init__(Text(render_prose(text, ascii=ascii)), classes=classes)
        self.border_title = title
