"""The Textual application: three screens (lesson, scratchpad, quiz), global keys and settings.

The app never imports sympy. Course text is loaded from YAML at start-up and drawn at once; the
maths engine starts in a worker process in the background, and widgets that need it (a computed
Jacobian, a graded answer) ask it through :meth:`TutorApp.compute` without blocking the screen.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui_tutor.ascii_mode import ASCII_KEYS, AsciiFilter, ascii_text
from tui_tutor.settings import QuizArgs, ScratchArgs, Settings

log = logging.getLogger(__name__)

SCREENS = ("lesson", "scratch", "quiz")


class TutorApp(App):
    """tui-tutor: learn the multivariable chain rule in a terminal."""

    TITLE = "tui-tutor"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("1", "open('lesson')", "Lesson", id="screen-lesson"),
        Binding("2", "open('scratch')", "Scratch", id="screen-scratch"),
        Binding("3", "open('quiz')", "Quiz", id="screen-quiz"),
        Binding("question_mark", "keys", "Keys", id="keys"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("escape", "leave_field", "Leave field", show=False, id="leave-field"),
    ]

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        course: Any = None,
        store: Any = None,
        engine: Any = None,
    ):
        self.settings = settings or Settings()
        self.ascii_mode = self.settings.ascii
        super().__init__()
        if self.ascii_mode:
            self._ascii_filter = AsciiFilter()
            self.add_class("-ascii")
        self._course = course
        self.course_error: str | None = None
        self.store = store
        self.engine = engine
        self._cache: dict[Any, Any] = {}
        self.results: dict | None = None  # a quiz summary, printed by `quiz --json` on exit
        for name in SCREENS:
            self.add_mode(name, self._screen_factory(name))

    # --- services --------------------------------------------------------------------------------

    @property
    def course(self):
        """The loaded course (loaded on first use); None with ``course_error`` set if it failed."""
        if self._course is None and self.course_error is None:
            from tui_tutor.content.cache import load_course_cached
            from tui_tutor.content.errors import ContentLoadError
            from tui_tutor.paths import home_dir

            try:
                self._course = load_course_cached(self.settings.content_dir, home_dir())
            except ContentLoadError as err:
                self.course_error = str(err)
            except OSError as err:
                self.course_error = f"cannot read the course: {err}"
        return self._course

    def ensure_store(self):
        """The progress store, opened on first use."""
        if self.store is None:
            from tui_tutor.progress.store import ProgressStore

            self.store = ProgressStore()
        return self.store

    def ensure_engine(self):
        if self.engine is None:
            from tui_tutor.engine.worker import shared_worker

            self.engine = shared_worker(warm=True)
        return self.engine

    async def compute(
        self, name: str, *args: Any, bound: Any, cache: bool = True, channel: str | None = None, **kwargs: Any
    ) -> Any:
        """Run engine function ``name`` (e.g. ``"blocks.jacobian_view"``) off the UI thread.

        ``bound`` is the row of :mod:`tui_tutor.engine.bounds` the computation falls under. A newer
        call on the same ``channel`` (say, the scratchpad after another edit) abandons this one at
        once, and so does cancelling the task awaiting it: either way this raises
        EngineSuperseded or CancelledError, and the engine is free for what is wanted now.
        Results of content blocks are cached, so revisiting a page is instant.
        """
        key = (name, _freeze(args), _freeze(kwargs)) if cache else None
        if key is not None and key in self._cache:
            return self._cache[key]
        engine = self.ensure_engine()
        ticket = engine.ticket(channel)  # taken here, in call order, not when a thread gets to it
        try:
            result = await asyncio.to_thread(engine.call, name, *args, bound=bound, ticket=ticket, **kwargs)
        except asyncio.CancelledError:
            engine.cancel(ticket)
            raise
        if key is not None:
            self._cache[key] = result
        return result

    def concept_mastered(self) -> bool:
        """Whether every skill of the course's concept clears its mastery threshold (the gate).

        The lesson shows what the concept unlocks as open once this is True.
        """
        course = self.course
        if course is None:
            return False
        try:
            from tui_tutor.quiz.progress_view import gate

            return gate(self.ensure_store(), course).mastered
        except Exception:  # noqa: BLE001 - the gate is a view; an unreadable store keeps it shut
            log.warning("could not read mastery", exc_info=True)
            return False

    def get_setting(self, key: str, default: Any = None) -> Any:
        try:
            return self.ensure_store().get_setting(key, default)
        except Exception:  # noqa: BLE001 - settings are a convenience, never a crash
            log.warning("could not read setting %s", key, exc_info=True)
            return default

    def set_setting(self, key: str, value: Any) -> None:
        try:
            self.ensure_store().set_setting(key, value)
        except Exception:  # noqa: BLE001
            log.warning("could not save setting %s", key, exc_info=True)

    # --- life cycle ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from tui_tutor.keymap import read_keymap
        from tui_tutor.paths import home_dir

        keymap, problem = read_keymap(home_dir())
        if keymap:
            self.set_keymap(keymap)
        if problem:
            self.notify(problem, severity="warning", timeout=10)
        if self.settings.theme:
            self.theme = self.settings.theme
        else:
            saved = self.get_setting("theme")
            if saved in self.available_themes:
                self.theme = saved
        # The engine (and sympy) start once the first screen is drawn, not before.
        self.call_after_refresh(lambda: self.ensure_engine().start_in_background())
        start = self.settings.start or self.get_setting("last_screen", "lesson")
        if start not in SCREENS:
            start = "lesson"
        self.switch_mode(start)
        store = self.store
        if store is not None and getattr(store, "notice", None):
            self.notify(store.notice, severity="warning", timeout=10)
        self.call_after_refresh(self._announce_course_problems)
        self._close_on_sigterm()

    # `kill PID` (SIGTERM) used to end the process where it stood, leaving the learner's terminal
    # on the app's screen with mouse reporting on. Now it closes the app the way `q` does.
    TERMINATED = 128 + signal.SIGTERM

    def _close_on_sigterm(self) -> None:
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._terminated)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no such signal here
            return
        self._sigterm_handled = True

    def _terminated(self) -> None:
        log.info("SIGTERM: closing the app")
        self.exit(return_code=self.TERMINATED)

    def on_unmount(self) -> None:
        if getattr(self, "_sigterm_handled", False):
            try:
                asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
            except (RuntimeError, ValueError):
                pass

    def _announce_course_problems(self) -> None:
        """Entries with problems are left out of the course; say so instead of leaving them silently out."""
        course = self.course
        problems = getattr(course, "problems", None) if course is not None else None
        if problems:
            self.notify(
                f"{len(problems)} problem(s) in the course files; what they affect was left out. "
                f"First: {problems[0]}. tui-tutor check lists them all.",
                title="Course content", severity="warning", timeout=20,
            )

    def watch_theme(self, theme: str) -> None:
        if self.is_mounted and self.settings.theme is None:
            self.set_setting("theme", theme)

    def _screen_factory(self, name: str):
        def make() -> Screen:
            if name == "lesson":
                from tui_tutor.screens.lesson import LessonScreen

                return LessonScreen()
            if name == "scratch":
                from tui_tutor.screens.scratchpad import ScratchpadScreen

                return ScratchpadScreen()
            from tui_tutor.screens.quiz import QuizScreen

            return QuizScreen()

        return make

    # --- actions ---------------------------------------------------------------------------------

    def action_open(self, name: str) -> None:
        """Switch to the lesson, scratchpad or quiz screen."""
        if name in SCREENS and self.current_mode != name:
            self.switch_mode(name)
            self.set_setting("last_screen", name)

    def action_keys(self) -> None:
        from tui_tutor.screens.keys import KeysScreen

        if not isinstance(self.screen, KeysScreen):
            self.push_screen(KeysScreen())

    def action_leave_field(self) -> None:
        """Esc: leave a text field so single-letter keys work again."""
        from textual.widgets import Input

        if isinstance(self.focused, Input):
            leave = getattr(self.screen, "leave_field", None)
            if leave is not None:
                leave()
            else:
                self.set_focus(None)

    # --- a last line of defence ------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        # The traceback goes to the log file; Textual's own handling (return code, tests' re-raise) stays.
        log.error("the tutor stopped on an unexpected error", exc_info=(type(error), error, error.__traceback__))
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        # Textual prints a rich traceback (with local variables) on the terminal as the app exits;
        # a learner gets one line and where the details are instead.
        from rich.text import Text

        from tui_tutor.logfile import log_path

        self.bell()
        self._exit_renderables.append(
            Text(f"tui-tutor stopped on an unexpected error; the details are in {log_path()}")
        )
        self._close_messages_no_wait()

    # --- presentation ----------------------------------------------------------------------------

    def get_line_filters(self):
        filters = list(super().get_line_filters())
        if self.ascii_mode:
            filters.append(self._ascii_filter)
        return filters

    def get_key_display(self, binding: Binding) -> str:
        display = super().get_key_display(binding)
        if self.ascii_mode:
            display = ascii_text("".join(ASCII_KEYS.get(c, c) for c in display))
        return display

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Lesson", "Read the lesson (key 1)", lambda: self.action_open("lesson"))
        yield SystemCommand("Scratchpad", "Try any composition and watch Δx travel (key 2)", lambda: self.action_open("scratch"))
        yield SystemCommand("Quiz", "Take a quick quiz (key 3)", lambda: self.action_open("quiz"))
        yield SystemCommand("Keys", "Show every key binding (?)", self.action_keys)
        # Textual's own "Keys" (its help panel) would be a second entry of that name: ours is the one.
        yield from (command for command in super().get_system_commands(screen) if command.title != "Keys")


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


def make_app(settings: Settings | None = None, **kwargs: Any) -> TutorApp:
    """The one way to build the app: used by the command line and by the tests."""
    return TutorApp(settings, **kwargs)


# The settings are re-exported for make_app's callers (the command line, the tests); screens take
# them from tui_tutor.settings, never from here.
__all__ = ["QuizArgs", "ScratchArgs", "Settings", "TutorApp", "make_app"]
