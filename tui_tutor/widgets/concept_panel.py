"""What you need first and what comes next: the concept's prerequisites and what it unlocks."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def before_after_text(course, concept, *, unlocked: bool | None, ascii: bool = False) -> str:
    """``Before: Gradients, Derivative Rules`` / ``Next: Backpropagation`` and whether it is unlocked."""

    def title(concept_id: str) -> str:
        related = course.describe(concept_id)
        return related.title if related else concept_id

    before = ", ".join(title(c) for c in concept.prerequisites) or "nothing"
    after = ", ".join(title(c) for c in concept.unlocks) or "nothing"
    # The state has a line of its own so the panel keeps its height when it is filled in.
    state = "…" if unlocked is None else ("unlocked" if unlocked else "locked until mastered")
    if ascii and unlocked is None:
        state = "..."
    return f"Before: {before}\nNext: {after}\n  {state}"


class BeforeAfter(Static):
    """A two-line panel under the contents; the Overview page has the full summaries."""

    DEFAULT_CSS = """
    BeforeAfter { height: auto; border-top: solid $panel-lighten-2; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, text: str, id: str | None = None):
        super().__init__(Text(text), id=id)
