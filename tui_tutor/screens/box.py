"""A box over the screen underneath: the look the keys, mastery and My mistakes boxes share."""

from __future__ import annotations

from textual.screen import ModalScreen


class Box(ModalScreen):
    """A modal box: centred, at most 76 columns wide, its content in one VerticalScroll."""

    DEFAULT_CSS = """
    Box { align: center middle; }
    Box > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
