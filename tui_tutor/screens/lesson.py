"""The lesson: contents beside a reading pane; worked examples stepped from the keyboard.

Thin by design: pages come from the course, each block becomes a widget (widgets/blocks.py),
and the screen only decides which page is shown and remembers where the learner was.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static

from tui_tutor.mathtext import render_inline, render_prose
from tui_tutor.widgets.blocks import block_widget, item_list
from tui_tutor.widgets.concept_panel import BeforeAfter, before_after_text
from tui_tutor.widgets.key_bar import KeyBar
from tui_tutor.widgets.mathview import Prose
from tui_tutor.widgets.note import NoteBox
from tui_tutor.widgets.relayout import relayout_later
from tui_tutor.widgets.toc import ContentsLegend, Page, TableOfContents, is_practice

if TYPE_CHECKING:
    from tui_tutor.widgets.practice import PracticeView
    from tui_tutor.widgets.stepper import WorkedExampleView

log = logging.getLogger(__name__)

NARROW = 70  # below this width the contents start hidden: the page needs the room (t shows them)


class ReadingPane(VerticalScroll, inherit_bindings=False):
    """The page being read. Only vertical scrolling keys: ←/→/Home belong to worked examples."""

    BINDINGS = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("end", "scroll_end", "End", show=False),
        Binding("ctrl+home", "scroll_home", "Top", show=False),
    ]


def _unlocks_title(unlocked: bool | None) -> str:
    if unlocked is None:
        return "What this unlocks"
    state = "unlocked: you have mastered every skill" if unlocked else "locked until every skill is mastered in the quiz"
    return f"What this unlocks ({state})"


def lesson_pages(concept) -> list[Page]:
    """Every page of a concept in reading order."""
    pages = [Page("overview", "Overview", "Start")]
    pages += [Page(f"section:{s.id}", s.title, "Lesson") for s in concept.sections]  # titles are prose
    pages += [Page(f"example:{i}", f"{i}. {e.title}", "Worked examples") for i, e in enumerate(concept.examples, 1)]
    pages += [
        Page(f"practice:{i}", f"{p.level.capitalize()}: {p.title}", "Practice")
        for i, p in enumerate(concept.practice, 1)
    ]
    if concept.takeaways:
        pages.append(Page("takeaways", "Key takeaways", "Review"))
    if concept.mistakes:
        pages.append(Page("mistakes", "Common mistakes", "Review"))
    return pages


class LessonScreen(Screen):
    """Read the lesson; step through worked examples; try the practice problems."""

    CSS_PATH = "lesson.tcss"

    BINDINGS = [
        Binding("n,right_square_bracket", "page(1)", "Next", tooltip="next page", id="lesson-next"),
        Binding("p,left_square_bracket", "page(-1)", "Prev", tooltip="previous page", id="lesson-prev"),
        Binding("right,l", "step(1)", "Step", tooltip="worked example: reveal the next step", id="example-next"),
        Binding("left,h", "step(-1)", "Back", tooltip="worked example: hide the last step", id="example-back"),
        Binding("home", "restart", "Restart", tooltip="worked example: start again", id="example-restart"),
        Binding("i", "hint", "Hint", tooltip="practice: the next hint", id="practice-hint"),
        Binding("a", "answer", "Answer", tooltip="practice: type an answer (Enter checks it)", id="practice-answer"),
        Binding("s", "solution", "Solution", tooltip="practice: show the full solution", id="practice-solution"),
        Binding("t", "toggle_contents", "Contents", tooltip="show or hide the contents", id="lesson-contents"),
        # From the contents list: Esc goes back to the page, and the page keys scroll the page.
        Binding("escape", "leave", "Back to the page", id="lesson-leave-contents"),
        Binding("pagedown", "scroll_page(1)", "Page down", show=False, priority=True, id="lesson-page-down"),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False, priority=True, id="lesson-page-up"),
    ]

    def __init__(self):
        super().__init__()
        self.page_id: str | None = None
        self.pages: list[Page] = []
        self.unlocked: bool | None = None  # the mastery gate; read once the first frame is up

    # --- layout ----------------------------------------------------------------------------------

    def compose(self):
        app = self.app
        course = app.course
        if course is None:
            with VerticalScroll(id="reader"):
                yield Static(Text(f"The course could not be loaded.\n\n{app.course_error}"), id="load-error")
            yield KeyBar()
            return
        concept = course.concept()
        self.concept = concept
        self.pages = lesson_pages(concept)
        read = set(app.get_setting("lesson_read", []) or [])
        with Horizontal(id="lesson-body"):
            with Vertical(id="sidebar"):
                yield TableOfContents(self.pages, read, marks=self._practice_marks(), ascii=app.ascii_mode, id="toc")
                yield ContentsLegend(ascii=app.ascii_mode, id="toc-legend")
                yield BeforeAfter(self._before_after(), id="before-after")
            # The first page is composed with the screen, so it is in the very first frame.
            self.page_id = self._start_page()
            first = next(p for p in self.pages if p.id == self.page_id)
            with ReadingPane(id="reader"):
                yield from self._page_widgets(first)
        yield KeyBar()

    def _practice_marks(self, only: str | None = None) -> dict[str, str]:
        """Practice page id -> "tried" | "solved", from the attempts in the progress store."""
        from tui_tutor.progress.practice import practice_marks

        # Page "practice:N" shows the course's N-th practice problem (lesson_pages).
        pages = {p.id: self.concept.practice[int(p.id.partition(":")[2]) - 1].id for p in self.pages if is_practice(p.id)}
        try:
            store = self.app.ensure_store()
            attempts = store.attempts(item_id=pages[only]) if only else store.attempts()
        except Exception:  # noqa: BLE001 - marks are a view; the lesson opens without them
            log.warning("could not read practice attempts", exc_info=True)
            return {}
        found = practice_marks(attempts, pages.values())
        return {page: found[problem] for page, problem in pages.items() if problem in found}

    def on_practice_view_recorded(self, event: PracticeView.Recorded) -> None:
        """A practice answer was saved: its page's mark in the contents follows (by name, so the
        practice widget is imported only when a practice page is first shown)."""
        if is_practice(self.page_id or ""):
            self.query_one(TableOfContents).set_mark(self.page_id, self._practice_marks(only=self.page_id).get(self.page_id))

    def _before_after(self) -> str:
        return before_after_text(self.app.course, self.concept, unlocked=self.unlocked, ascii=self.app.ascii_mode)

    def _refresh_gate(self) -> None:
        """Read the mastery gate (after the first frame: it needs the progress history)."""
        checker = getattr(self.app, "concept_mastered", None)
        self.unlocked = bool(checker()) if checker else False
        panel = self.query_one(BeforeAfter)
        panel.update(Text(self._before_after()))
        relayout_later(panel)
        for box in self.query(".unlocks"):
            box.border_title = _unlocks_title(self.unlocked)

    def _start_page(self) -> str:
        """The page asked for on the command line, else where the learner was, else the first.

        A section or example the course does not have is said (once the screen is up), not
        silently replaced by another page."""
        settings = self.app.settings
        start = None
        self._missing: str | None = None
        if settings.example:
            start = f"example:{settings.example}"
            count = sum(p.id.startswith("example:") for p in self.pages)
            if not any(p.id == start for p in self.pages):
                self._missing = f"There is no worked example {settings.example}: this lesson has {count} (--example 1 to {count})."
        elif settings.section:
            sections = [p for p in self.pages if p.id.startswith("section:")]
            if 1 <= settings.section <= len(sections):
                start = sections[settings.section - 1].id
            else:
                self._missing = (
                    f"There is no section {settings.section}: this lesson has {len(sections)} "
                    f"(--section 1 to {len(sections)})."
                )
        if start is None or not any(p.id == start for p in self.pages):
            saved = self.app.get_setting("lesson_page")
            start = saved if any(p.id == saved for p in self.pages) else self.pages[0].id
        return start

    def on_mount(self) -> None:
        if not self.pages:
            return
        if self.app.size.width < NARROW:
            self.query_one("#sidebar").display = False
        self.query_one(TableOfContents).select_page(self.page_id)
        self.app.set_setting("lesson_page", self.page_id)
        self.refresh_bindings()
        self.call_after_refresh(self._check_read)
        reader = self.query_one("#reader", ReadingPane)
        # However the page moves (keys, mouse, a revealed step), its end may have come into view.
        self.watch(reader, "scroll_y", lambda _: self._check_read(), init=False)
        reader.focus()
        if getattr(self, "_missing", None):
            self.notify(self._missing + " Showing the page you were on.", severity="warning", timeout=8)

    # --- pages -----------------------------------------------------------------------------------

    def show_page(self, page_id: str) -> None:
        """Replace the reading pane's content with one page."""
        page = next(p for p in self.pages if p.id == page_id)
        self.page_id = page_id
        reader = self.query_one("#reader", ReadingPane)
        reader.remove_children()
        reader.mount_all(self._page_widgets(page))
        reader.scroll_home(animate=False)
        self.query_one(TableOfContents).select_page(page_id)
        self.app.set_setting("lesson_page", page_id)
        self.refresh_bindings()
        self.call_after_refresh(self._check_read)

    def _page_widgets(self, page: Page) -> list:
        ascii = self.app.ascii_mode
        concept = self.concept
        title = Static(Text(render_prose(page.title, ascii=ascii)), classes="page-title")
        kind, _, key = page.id.partition(":")
        if kind == "section":
            section = next(s for s in concept.sections if s.id == key)
            return [title, *(block_widget(b, ascii=ascii) for b in section.blocks)]
        if kind == "example":
            example = concept.examples[int(key) - 1]
            from tui_tutor.widgets.stepper import WorkedExampleView  # imported when first needed: start-up

            return [title, WorkedExampleView(example, ascii=ascii)]
        if kind == "practice":
            from tui_tutor.widgets.practice import PracticeView  # (an answer box, the engine's client)

            return [title, PracticeView(concept.practice[int(key) - 1], ascii=ascii)]
        if kind == "takeaways":
            return [title, Static(item_list(concept.takeaways, ascii=ascii), classes="block-list takeaways")]
        if kind == "mistakes":
            widgets = [title]
            for mistake in concept.mistakes:
                code = f"  (the grader calls this: {mistake.diagnosis})" if mistake.diagnosis else ""
                widgets.append(NoteBox(mistake.text + code, title=mistake.title, ascii=ascii, classes="mistake"))
            return widgets
        return [title, *self._overview(ascii)]

    def _overview(self, ascii: bool) -> list:
        concept, course = self.concept, self.app.course
        stars = "*" * concept.difficulty + "." * (5 - concept.difficulty) if ascii else "★" * concept.difficulty + "☆" * (5 - concept.difficulty)
        widgets = [
            Static(Text(f"{concept.title}   difficulty {stars}"), classes="concept-title"),
            Prose(concept.summary, ascii=ascii),
        ]
        for heading, ids in (("What you need first", concept.prerequisites), ("What this unlocks", concept.unlocks)):
            lines = []
            for concept_id in ids:
                related = course.describe(concept_id)
                if related is None:
                    lines.append(concept_id)
                    continue
                tag = " (summary)" if related.summary_only else ""
                lines.append(f"{related.title}{tag}: {render_prose(related.summary.strip(), ascii=ascii)}")
            if heading == "What this unlocks":
                # A class, not an id: a page may be rebuilt before the old one is removed.
                widgets.append(
                    NoteBox("\n\n".join(lines), title=_unlocks_title(self.unlocked), ascii=ascii, classes="unlocks")
                )
            else:
                widgets.append(NoteBox("\n\n".join(lines), title=heading, ascii=ascii))
        if concept.symbols:
            symbol_lines = [f"{render_inline(s.symbol, ascii=ascii)}  {render_prose(s.meaning, ascii=ascii)}" for s in concept.symbols]
            widgets.append(NoteBox("\n".join(symbol_lines), title="Key symbols and notation", ascii=ascii))
        widgets.append(
            Prose(
                "How to move around: n / p for the next and previous page, t for the contents, "
                "1 / 2 / 3 for lesson, scratchpad and quiz, ? for every key.",
                ascii=ascii,
                classes="help-line",
            )
        )
        return widgets

    def _move(self, delta: int) -> None:
        ids = [p.id for p in self.pages]
        index = ids.index(self.page_id) if self.page_id in ids else 0
        target = max(0, min(len(ids) - 1, index + delta))
        if target != index:
            self.show_page(ids[target])
            return
        self.app.clear_notifications()  # pressing n again should not pile them up
        if delta > 0:
            self.notify("This is the last page of the lesson. 3 opens the quiz; t the contents.", timeout=4)
        else:
            self.notify("This is the first page of the lesson.", timeout=4)

    # --- reading progress ------------------------------------------------------------------------

    def _check_read(self) -> None:
        """A page counts as read once its end has been on screen."""
        if self.page_id is None or is_practice(self.page_id):  # practice pages are tried or solved, not read
            return
        reader = self.query_one("#reader", ReadingPane)
        if reader.max_scroll_y == 0 or reader.scroll_y >= reader.max_scroll_y - 1:
            toc = self.query_one(TableOfContents)
            if self.page_id not in toc.read:
                toc.mark_read(self.page_id)
                self.app.set_setting("lesson_read", sorted(toc.read))

    def on_screen_resume(self) -> None:
        # Also on coming back from a quiz: the concept may just have been mastered.
        if self.pages:
            self.call_after_refresh(self._refresh_gate)

    def on_resize(self, event) -> None:
        # Narrow terminals give the whole width to the text; t brings the contents back.
        if self.pages:
            self.query_one("#sidebar").display = event.size.width >= NARROW

    # --- events and actions ----------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#toc")
    def _open_from_contents(self, event: OptionList.OptionSelected) -> None:
        if event.option_id:
            self.show_page(event.option_id)
            self.query_one("#reader").focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Show only the keys that work on the current page."""
        kind = (self.page_id or "").partition(":")[0]
        if action in ("step", "restart"):
            return kind == "example"
        if action in ("hint", "answer", "solution"):
            return kind == "practice"
        if action == "leave":  # in a text field the app's Esc (leave the field) is the one shown
            return isinstance(self.focused, TableOfContents)
        return True

    def action_page(self, delta: int) -> None:
        self._move(delta)

    def _example(self) -> WorkedExampleView | None:
        found = self.query("WorkedExampleView")
        return found.first() if found else None

    def _practice(self) -> PracticeView | None:
        found = self.query("PracticeView")
        return found.first() if found else None

    def action_step(self, delta: int) -> None:
        example = self._example()
        if example is None:
            return
        changed = example.next_step() if delta > 0 else example.previous_step()
        if changed:
            self.call_after_refresh(lambda: self._reveal(example))
        else:
            self.app.bell()

    def _reveal(self, example: WorkedExampleView) -> None:
        self.query_one("#reader", ReadingPane).scroll_to_widget(example.latest(), animate=False, top=True)
        self._check_read()

    def action_restart(self) -> None:
        example = self._example()
        if example is not None:
            example.restart()
            self.query_one("#reader", ReadingPane).scroll_home(animate=False)

    def action_hint(self) -> None:
        practice = self._practice()
        if practice is not None and not practice.show_hint():
            self.notify("No more hints: press s for the full solution.")

    def action_answer(self) -> None:
        practice = self._practice()
        if practice is not None:
            practice.focus_answer()

    def action_solution(self) -> None:
        practice = self._practice()
        if practice is not None:
            practice.show_solution()
            self.call_after_refresh(
                lambda: self.query_one("#reader", ReadingPane).scroll_to_widget(practice.query_one("#solution"), animate=False)
            )

    def action_leave(self) -> None:
        """Esc in the contents list: back to the page (the list stays open)."""
        self.leave_field()

    def action_scroll_page(self, direction: int) -> None:
        """PgDn / PgUp scroll the page, from the contents list too (the list keeps ↑ ↓ Enter)."""
        reader = self.query_one("#reader", ReadingPane)
        if direction > 0:
            reader.scroll_page_down(animate=False)
        else:
            reader.scroll_page_up(animate=False)

    def action_toggle_contents(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display
        (self.query_one("#toc") if sidebar.display else self.query_one("#reader")).focus()

    def leave_field(self) -> None:
        """Esc from the answer box: back to the reading pane."""
        self.query_one("#reader").focus()
