"""My mistakes (``x`` on the mastery screen): each recurring mistake, how often, when last, where to reread.

Returns the learner's choice to whoever opened it: ``("section", page_id)`` to reread the section
that explains the highlighted mistake, ``("practise", None)`` for a short set aimed at them, or
None when closed.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_tutor.screens.box import Box
from tui_tutor.progress.mistakes import Explained
from tui_tutor.progress.when import ago


def mistake_prompt(entry: Explained, now: datetime, *, ascii: bool = False) -> Text:
    """Two lines: ``transposed ×3  Swapping the rows...`` then when last and where to reread."""
    times = "x" if ascii else "×"
    m = entry.mistake
    text = Text()
    text.append(f"{m.code} {times}{m.count}", style="bold")
    text.append(f"  {entry.title}\n")
    where = (f"reread section {entry.section_number}: {entry.section_title}" if entry.section_title
             else "see Lesson > Common mistakes")  # fmt: skip
    text.append(f"   last {ago(m.last, now)}  {'-' if ascii else '·'}  {where}", style="dim")
    return text


def mistakes_help(count: int) -> str:
    if not count:
        return "No mistakes recorded yet: the grader names one when an answer shows it. Esc closes."
    return "Enter: reread the section of the highlighted mistake\np: practise them, a short set aimed at these   Esc: back"


class MistakesScreen(Box):
    """The learner's recurring mistakes, most frequent first."""

    DEFAULT_CSS = """
    MistakesScreen OptionList, MistakesScreen OptionList:focus { height: auto; max-height: 16; border: none; padding: 0; }
    MistakesScreen #mistakes-help { color: $text-muted; margin: 1 0 0 0; }
    """

    BINDINGS = [
        Binding("escape,q,x", "close", "Close", id="mistakes-close"),
        Binding("p", "practise", "Practise them", id="mistakes-practise"),
    ]

    def __init__(self, mistakes: list[Explained], now: datetime, *, ascii: bool = False):
        super().__init__()
        self.mistakes = mistakes
        self.now = now
        self.ascii = ascii

    def compose(self):
        with VerticalScroll() as scroll:
            scroll.border_title = "My mistakes"
            if self.mistakes:
                yield OptionList(
                    *(Option(mistake_prompt(e, self.now, ascii=self.ascii), id=f"m{i}") for i, e in enumerate(self.mistakes)),
                    id="mistakes-list",
                )  # fmt: skip
            yield Static(Text(mistakes_help(len(self.mistakes))), id="mistakes-help")

    def on_mount(self) -> None:
        if self.mistakes:
            self.query_one(OptionList).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return bool(self.mistakes) if action == "practise" else True

    @on(OptionList.OptionSelected, "#mistakes-list")
    def _reread(self, event: OptionList.OptionSelected) -> None:
        entry = self.mistakes[int((event.option_id or "m0")[1:])]
        page = f"section:{entry.section_id}" if entry.section_id else "mistakes"
        self.dismiss(("section", page))

    def action_practise(self) -> None:
        self.dismiss(("practise", None))

    def action_close(self) -> None:
        self.dismiss(None)
