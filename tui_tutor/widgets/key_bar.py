"""The bottom line: the keys that work right now, as one line of text.

Textual's Footer builds a widget per key and rebuilds them whenever the bindings change; on a
screen with a dozen keys that cost about 100 ms of start-up, a third of the first frame. The
tutor is keyboard-only, so one line drawn from the screen's active bindings does the same job for
a fraction of the cost (and never draws a glyph ASCII mode would have to replace).

In a text field the letter keys type, so the line shows the field's own keys instead: what Enter
does there, Esc to leave the field, and Ctrl+Q. When the line is too long for the window, the
keys that switch screens go first and ``? Keys`` (which lists everything) stays.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input, Static

# Keys in a text field: Enter's meaning comes from the field (FIELD_KEYS) or its screen.
FIELD_KEYS = (("enter", "Submit"), ("escape", "Leave field"))
QUIT_ANYWHERE = ("ctrl+q", "Quit")
DROPPED_FIRST = ("open", "quit")  # screen switches and q: also on the ? screen and in Ctrl+P
KEEP = "keys"


class KeyBar(Static):
    """``n Next  p Prev  t Contents  1 Lesson ...`` for the bindings that are enabled now."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; width: 1fr; background: $panel; color: $text; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _bindings_changed(self, screen) -> None:
        if screen is self.screen:
            self._draw()

    def entries(self) -> list[tuple[str, str, str]]:
        """Every key the line would show with room enough: (key as shown, description, action)."""
        app = self.app
        out: list[tuple[str, str, str]] = []
        focused = self.screen.focused
        if isinstance(focused, Input):
            keys = getattr(focused, "FIELD_KEYS", None) or getattr(self.screen, "FIELD_KEYS", None) or FIELD_KEYS
            for key, description in keys:
                out.append((app.get_key_display(Binding(key, "", description)), description, "field"))
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((app.get_key_display(binding), binding.description, binding.action))
        if isinstance(focused, Input):
            key, description = QUIT_ANYWHERE
            out.append((app.get_key_display(Binding(key, "quit", description)), description, "quit"))
        return out

    def _draw(self) -> None:
        entries = self.entries()
        room = max(0, self.content_size.width) or 10_000
        # Drop screen switches, then q, until the line fits; '? Keys' lists all of them anyway.
        for prefix in DROPPED_FIRST:
            while _width(entries) > room:
                drop = next((e for e in reversed(entries) if e[2].startswith(prefix) and e[2] != KEEP), None)
                if drop is None:
                    break
                entries.remove(drop)
        gap = "  "
        if _width(entries) > room:
            gap = " "  # keys are drawn reversed, so one space still keeps them apart
        while _width(entries, len(gap)) > room and len(entries) > 1:
            # Still too long (a very narrow window): the last keys but '? Keys' go.
            drop = next((e for e in reversed(entries) if e[2] != KEEP), None)
            if drop is None:
                break
            entries.remove(drop)
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, description, _action in entries:
            if text:
                text.append(gap)
            text.append(key, style="bold reverse")
            text.append(" " + description)
        self.update(text)

    def plain(self) -> str:
        """The line as text, with room for every key (for tests and the README's table)."""
        return "  ".join(f"{key} {description}" for key, description, _ in self.entries())


def _width(entries, gap: int = 2) -> int:
    return sum(len(key) + 1 + len(description) for key, description, _ in entries) + gap * max(0, len(entries) - 1)
