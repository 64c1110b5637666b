"""The lesson's table of contents: a mark on every page read, tried or solved, and a legend.

A reading page (section, worked example, list) is marked *read* once its end has been on screen.
A practice page is never marked read: it is marked *tried* once it has an attempt and *solved*
once an answer to it earned credit (``progress.practice``), so a mark never claims more than the
learner did. One line under the pages says what the marks mean.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_tutor.mathtext import render_prose


@dataclass(frozen=True)
class Page:
    """One page of the lesson: a section, a worked example, a practice problem, a list."""

    id: str  # "section:tldr", "example:1", "practice:2", "takeaways", "mistakes", "overview"
    title: str
    group: str  # shown as a heading in the contents


# (read, tried, solved): distinct shapes, so the marks read the same without colour; ASCII too.
MARKS = {False: ("✓", "◐", "★"), True: ("+", "~", "*")}


def legend_text(ascii: bool = False) -> str:
    """``✓ read  ◐ tried  ★ solved``: one line saying what the marks mean."""
    read, tried, solved = MARKS[ascii]
    return f"{read} read  {tried} tried  {solved} solved"


def is_practice(page_id: str) -> bool:
    """Practice pages can be tried and solved, never merely read."""
    return page_id.startswith("practice:")


class TableOfContents(OptionList):
    """Pages grouped under headings; Enter opens one."""

    DEFAULT_CSS = """
    TableOfContents { width: 1fr; height: 1fr; border: none; padding: 0; }
    """

    def __init__(
        self, pages: list[Page], read: set[str], *, marks: dict[str, str] | None = None, ascii: bool = False,
        title_width: int = 21, id: str | None = None,
    ):  # fmt: skip
        self.pages = pages
        self.title_width = title_width
        self.read = set(read)
        self.marks = dict(marks or {})  # practice page id -> "tried" | "solved"
        self.ascii = ascii
        super().__init__(*self._options(), id=id)

    def _mark(self, page: Page) -> str:
        read, tried, solved = MARKS[self.ascii]
        if is_practice(page.id):
            state = self.marks.get(page.id)
            return f"{solved} " if state == "solved" else f"{tried} " if state == "tried" else "  "
        return f"{read} " if page.id in self.read else "  "

    def _prompt(self, page: Page) -> Text:
        # One line per page: a long title ends in an ellipsis rather than wrapping under the mark.
        title = render_prose(page.title, ascii=self.ascii)
        room = max(8, self.title_width)
        if len(title) > room:
            title = title[: room - 1].rstrip() + ("." if self.ascii else "…")
        return Text(self._mark(page) + title, no_wrap=True)

    def _options(self) -> list[Option]:
        options, group = [], None
        for page in self.pages:
            if page.group != group:
                group = page.group
                options.append(Option(Text(group.upper(), style="bold"), disabled=True))
            options.append(Option(self._prompt(page), id=page.id))
        return options

    def on_resize(self) -> None:
        # Titles are cut to the room there is (less when a scrollbar appears), never wrapped.
        room = max(8, self.scrollable_content_region.width - 3)
        if room != self.title_width:
            self.title_width = room
            for page in self.pages:
                self.replace_option_prompt(page.id, self._prompt(page))

    def mark_read(self, page_id: str) -> None:
        if page_id in self.read or is_practice(page_id):
            return
        self.read.add(page_id)
        self._redraw(page_id)

    def set_mark(self, page_id: str, state: str | None) -> None:
        """A practice page's mark: "tried", "solved" or None."""
        if self.marks.get(page_id) == state:
            return
        if state is None:
            self.marks.pop(page_id, None)
        else:
            self.marks[page_id] = state
        self._redraw(page_id)

    def _redraw(self, page_id: str) -> None:
        for page in self.pages:
            if page.id == page_id:
                self.replace_option_prompt(page_id, self._prompt(page))

    def select_page(self, page_id: str) -> None:
        """Move the highlight to a page without opening it again."""
        try:
            self.highlighted = self.get_option_index(page_id)
        except Exception:  # noqa: BLE001 - an unknown id simply leaves the highlight alone
            pass


class ContentsLegend(Static):
    """One line under the contents: what the marks mean."""

    DEFAULT_CSS = """
    ContentsLegend { height: 1; width: 1fr; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, ascii: bool = False, id: str | None = None):
        super().__init__(Text(legend_text(ascii), no_wrap=True), id=id)
