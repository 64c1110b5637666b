"""What you need first and what comes next: the concept's prerequisites and what it unlocks."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def before_after_text(course, concept, *, unlocked: bool, ascii: bool = False) -> str:
    """Two short lines: ``Before: Gradients, Derivative Rules`` / ``Next: Backpropagation``."""

    def title(concept_id: str) -> str:
        related = course.describe(concept_id)
        return related.title if related else concept_id

    before = ", ".join(title(c) for c in concept.prerequisites) or "nothing"
    state = ("unlocked" if unlocked else "locked") if not ascii else ("unlocked" if unlocked else "locked")
    after = ", ".join(title(c) for c in concept.unlocks) or "nothing"
    return f"Before: {before}\nNext: {after} ({state})"


class BeforeAfter(Static):
    """A two-line panel under the contents; the Overview page has the full summaries."""

    DEFAULT_CSS = """
    BeforeAfter { height: auto; border-top: solid $panel-lighten-2; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, text: str, id: str | None = None):
        super().__init__(Text(text), id=id)
