"""Mastery at a glance (``m`` / ctrl+g on the quiz screen): a bar per skill and the concept gate.

``x`` opens My mistakes; its choice (reread a section, practise them) is handed back to whoever
opened this screen, as this screen's result.
"""

from __future__ import annotations

from datetime import datetime, timezone

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui_tutor.screens.box import Box
from tui_tutor.quiz.progress_view import Gate
from tui_tutor.widgets.mastery_bars import MasteryBars


class MasteryScreen(Box):
    """A box over the quiz with the mastery bars; any of Esc, m, ctrl+g, q closes it."""

    DEFAULT_CSS = """
    MasteryScreen #mastery-help { color: $text-muted; margin: 1 0 0 0; }
    """

    BINDINGS = [
        Binding("escape,m,ctrl+g,q,enter", "close", "Close", id="mastery-close"),
        Binding("x", "mistakes", "My mistakes", id="mastery-mistakes"),
    ]

    def __init__(self, gate: Gate | None, *, mistakes: list | None = None, now: datetime | None = None,
                 ascii: bool = False):  # fmt: skip
        super().__init__()
        self.gate = gate
        self.mistakes = list(mistakes or [])
        self.now = now or datetime.now(timezone.utc)
        self.ascii = ascii

    def compose(self):
        with VerticalScroll() as scroll:
            scroll.border_title = "Mastery" if self.gate is None else f"Mastery: {self.gate.concept_title}"
            yield MasteryBars(self.gate, ascii=self.ascii, id="mastery-bars")
            made = len(self.mistakes)
            mistakes = f"x: my mistakes ({made} kind{'s' if made != 1 else ''})" if made else "x: my mistakes (none yet)"
            yield Static(
                Text(f"Each bar is your recent, hint-discounted credit on that skill.\n{mistakes}   Esc: close"),
                id="mastery-help",
            )

    def action_mistakes(self) -> None:
        from tui_tutor.screens.mistakes import MistakesScreen

        def chosen(choice) -> None:
            if choice is not None:
                self.dismiss(choice)

        self.app.push_screen(MistakesScreen(self.mistakes, self.now, ascii=self.ascii), chosen)

    def action_close(self) -> None:
        self.dismiss(None)
