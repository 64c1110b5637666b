"""Prose with inline maths, and display maths, rendered from the course's LaTeX subset."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui_tutor.mathtext import render_display, render_inline, render_prose


class Prose(Static):
    """A paragraph: prose with ``$inline math$`` rendered to Unicode (or ASCII)."""

    DEFAULT_CSS = """
    Prose { width: 1fr; height: auto; margin: 0 0 1 0; }
    """

    def __init__(self, text: str, *, ascii: bool = False, classes: str | None = None):
        super().__init__(Text(render_prose(text, ascii=ascii)), classes=classes)


class DisplayMath(Static):
    """A display formula drawn in two dimensions.

    When the pane is too narrow for the whole formula, each line of a multi-line (aligned)
    formula is drawn on its own; only a line that still does not fit falls back to one
    wrapped line of inline maths.
    """

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
        if not width or self.block.width <= width:
            self.update(Text(self.block.text(), no_wrap=True))
            return
        pieces = []
        for row in _rows(self.tex):
            block = render_display(row, ascii=self.ascii)
            pieces.append(block.text() if block.width <= width else render_inline(row, ascii=self.ascii))
        self.update(Text("\n".join(pieces)))


def _rows(tex: str) -> list[str]:
    """The lines of an aligned formula (``&`` dropped), or the formula itself.

    Splits at ``\\\\`` only outside inner environments, so a matrix inside a line stays whole.
    """
    import re

    outer = re.compile(r"\\(begin|end)\{(aligned|align\*?|split|gather\*?)\}")
    body = outer.sub("", tex)
    rows, row, depth, i = [], [], 0, 0
    while i < len(body):
        if body.startswith("\\begin{", i):
            depth += 1
        elif body.startswith("\\end{", i):
            depth -= 1
        elif depth == 0 and body.startswith("\\\\", i):
            rows.append("".join(row))
            row, i = [], i + 2
            continue
        elif depth == 0 and body[i] == "&":
            row.append(" ")
            i += 1
            continue
        row.append(body[i])
        i += 1
    rows.append("".join(row))
    cleaned = [r.strip() for r in rows]
    return [r for r in cleaned if r] or [tex]
