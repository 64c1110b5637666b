"""Make sure a block that filled in after the page was laid out gets its new height.

Seen with Textual 8.2: a Static below the visible part of a scrolling pane, updated from a worker
with a taller renderable, sometimes keeps its old one-line height until something else lays the
page out again — the page then ends early. Asking for one more layout after the next refresh
fixes it; the cost is one extra layout pass per computed block.
"""

from __future__ import annotations

from textual.widget import Widget


def relayout_later(widget: Widget) -> None:
    """Request a layout of ``widget`` once the current refresh has happened."""
    widget.call_after_refresh(widget.refresh, layout=True)
