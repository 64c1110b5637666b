"""Prose with inline maths, and maths laid out for the width the widget is given.

:class:`FittedText` is the base of every widget that shows maths in two dimensions: Textual asks
it for its height at a width and then for its lines at that width, and it lays its maths out for
exactly that width (:mod:`tui_tutor.mathtext.fit`), so a formula is never wrapped by the terminal
and a matrix is never torn across lines.
"""

from __future__ import annotations

import logging

from rich.text import Text
from textual.content import Content
from textual.strip import Strip
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import Static

from tui_tutor.mathtext import render_prose
from tui_tutor.mathtext.fit import fit_display
from tui_tutor.widgets.relayout import relayout_later

log = logging.getLogger(__name__)


class Prose(Static):
    """A paragraph: prose with ``$inline math$`` rendered to Unicode (or ASCII)."""

    DEFAULT_CSS = """
    Prose { width: 1fr; height: auto; margin: 0 0 1 0; }
    """

    def __init__(self, text: str, *, ascii: bool = False, classes: str | None = None):
        super().__init__(Text(render_prose(text, ascii=ascii)), classes=classes)


class _FittedVisual(Visual):
    """Asks the widget for its text at each width Textual lays it out at."""

    def __init__(self, widget: FittedText):
        self.widget = widget

    def _content(self, width: int) -> Content:
        return self.widget.content_at(width)

    def __str__(self) -> str:
        # Its text unbroken, as str() of a Static's render gives: one line per line of the layout.
        return self._content(10_000).plain

    def render_strips(self, width: int, height: int | None, style, options: RenderOptions) -> list[Strip]:
        return self._content(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules, container_width: int) -> int:
        return self._content(container_width).get_optimal_width(rules, container_width)

    def get_height(self, rules, width: int) -> int:
        return self._content(width).get_height(rules, width)


class FittedText(Widget):
    """Text that is laid out again for every width it is given: subclasses say how
    (:meth:`text_at`). Lines never wrap: the layout itself keeps them within the width."""

    DEFAULT_CSS = """
    FittedText { width: 1fr; height: auto; text-wrap: nowrap; text-overflow: clip; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._at: dict[int, Content] = {}

    def text_at(self, width: int) -> Text:
        """The text to show in ``width`` columns."""
        raise NotImplementedError

    def content_at(self, width: int) -> Content:
        width = max(1, width)
        content = self._at.get(width)
        if content is None:
            if len(self._at) > 8:  # a resize storm should not keep every width ever seen
                self._at.clear()
            try:
                text = self.text_at(width)
            except Exception:  # noqa: BLE001 - a layout bug must not take the screen down
                log.exception("could not lay out %s for %d columns", type(self).__name__, width)
                text = Text("(this could not be laid out; the details are in the log)", style="dim")
            content = self._at[width] = Content.from_rich_text(text, console=self.app.console)
        return content

    def lines_at(self, width: int) -> list[str]:
        """What the widget shows in ``width`` columns, as plain lines (for tests and checks)."""
        return self.content_at(width).plain.split("\n")

    def changed(self) -> None:
        """The text changed: lay it out again."""
        self._at.clear()
        self.refresh(layout=True)
        relayout_later(self)

    def render(self) -> Visual:
        return _FittedVisual(self)


class DisplayMath(FittedText):
    """A display formula, drawn in two dimensions where it fits, else broken before its relations,
    else on one line (see :func:`tui_tutor.mathtext.fit.fit_display`)."""

    DEFAULT_CSS = """
    DisplayMath { margin: 0 0 1 2; }
    """

    def __init__(self, tex: str, *, ascii: bool = False, classes: str | None = None):
        super().__init__(classes=classes)
        self.tex = tex
        self.ascii = ascii

    def text_at(self, width: int) -> Text:
        return Text(fit_display(self.tex, width, ascii=self.ascii).text())

    def show(self, tex: str) -> None:
        self.tex = tex
        self.changed()
