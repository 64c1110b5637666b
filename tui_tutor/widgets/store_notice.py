"""A line that stays on screen while progress is not being saved, or after a damaged file was replaced.

A toast fades after seconds; a learner who looked away would answer a whole quiz believing it was
saved. This line stays for as long as the screen shows.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static


def notice_text(store: Any, *, ascii: bool = False) -> str:
    """The store's notice (with "not being saved" made explicit when read-only), or ''."""
    if store is None:
        return ""
    text = getattr(store, "notice", None) or ""
    if getattr(store, "read_only", False) and "not being saved" not in text:
        text = (text + " " if text else "") + "Progress is not being saved."
    return (("! " if ascii else "⚠ ") + text) if text else ""


class StoreNotice(Static):
    """Hidden while all is well; otherwise the store's notice, in the warning colour."""

    DEFAULT_CSS = """
    StoreNotice { dock: top; height: auto; padding: 0 1; background: $warning-muted; color: $text-warning; text-style: bold; }
    """

    def show(self, store: Any, *, ascii: bool = False) -> None:
        text = notice_text(store, ascii=ascii)
        self.update(Text(text))
        self.display = bool(text)
