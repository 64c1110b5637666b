"""The lesson's table of contents, with a mark on every page already read."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui_tutor.mathtext import render_prose


@dataclass(frozen=True)
class Page:
    """One page of the lesson: a section, a worked example, a practice problem, a list."""

    id: str  # "section:tldr", "example:1", "practice:2", "takeaways", "mistakes", "overview"
    title: str
    group: str  # shown as a heading in the contents


class TableOfContents(OptionList):
    """Pages grouped under headings; Enter opens one."""

    DEFAULT_CSS = """
    TableOfContents { width: 1fr; height: 1fr; border: none; padding: 0; }
    """

    def __init__(
        self, pages: list[Page], read: set[str], *, ascii: bool = False, title_width: int = 21, id: str | None = None
    ):
        self.pages = pages
        self.title_width = title_width
        self.read = set(read)
        self.ascii = ascii
        super().__init__(*self._options(), id=id)

    def _mark(self, page: Page) -> str:
        if page.id in self.read:
            return "* " if self.ascii else "✓ "
        return "  "

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
        if page_id in self.read:
            return
        self.read.add(page_id)
        for page in self.pages:
            if page.id == page_id:
                self.replace_option_prompt(page_id, self._prompt(page))

    def select_page(self, page_id: str) -> None:
        """Move the highlight to a page without opening it again."""
        try:
            self.highlighted = self.get_option_index(page_id)
        except Exception:  # noqa: BLE001 - an unknown id simply leaves the highlight alone
            pass
