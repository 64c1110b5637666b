"""Prose with inline maths, and display maths, rendered from the course's LaTeX subset."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui_tutor.content.mathtext import render_display, render_inline, render_prose


class Prose(Static):
    """A paragraph: prose with ``$inline math$`` rendered to Unicode (or ASCII)."""

    DEFAULT_CSS = """
    Prose { width: 1fr; height: auto; margin: 0 0 1 0; }
    """

    def __init__(self, text: str, *, ascii: bool = False, classes: str | None = None):
        super().__init__(Text(render_prose(text, ascii=ascii)), classes=classes)


class DisplayMath(Static):
    """A display formula, drawn in two dimensions; falls back to one wrapped line when too wide."""

    DEFAULT_CSS = """
    DisplayMath { width: 1fr; height: auto; margin: 0 0 1 2; }
    """

    def __init__(self, tex: str, *, ascii: bool = False):
        self.tex = tex
        self.ascii = ascii
        self.block = render_display(tex, ascii=ascii)
        super().__init__(Text(self.block.text(), no_wrap=True))

    def on_resize(self) -> None:
        width = self.size.width
        if width and self.block.width > width:
            self.update(Text(render_inline(self.tex, ascii=self.ascii)))
        else:
            self.update(Text(self.block.text(), no_wrap=True))
