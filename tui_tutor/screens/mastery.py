"""Mastery at a glance (``m`` / ctrl+g on the quiz screen): a bar per skill and the concept gate."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_tutor.quiz.progress_view import Gate
from tui_tutor.widgets.mastery_bars import MasteryBars


class MasteryScreen(ModalScreen):
    """A box over the quiz with the mastery bars; any of Esc, m, ctrl+g, q closes it."""

    DEFAULT_CSS = """
    MasteryScreen { align: center middle; }
    MasteryScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    MasteryScreen #mastery-help { color: $text-muted; margin: 1 0 0 0; }
    """

    BINDINGS = [Binding("escape,m,ctrl+g,q,enter", "close", "Close", id="mastery-close")]

    def __init__(self, gate: Gate | None, *, ascii: bool = False):
        super().__init__()
        self.gate = gate
        self.ascii = ascii

    def compose(self):
        with VerticalScroll() as scroll:
            scroll.border_title = "Mastery" if self.gate is None else f"Mastery: {self.gate.concept_title}"
            yield MasteryBars(self.gate, ascii=self.ascii, id="mastery-bars")
            yield Static(
                Text("Each bar is your recent, hint-discounted success on that skill. Esc closes."),
                id="mastery-help",
            )

    def action_close(self) -> None:
        self.dismiss()
