"""The bottom line: the keys that work right now, as one line of text.

Textual's Footer builds a widget per key and rebuilds them whenever the bindings change; on a
screen with a dozen keys that cost about 100 ms of start-up, a third of the first frame. The
tutor is keyboard-only, so one Static line drawn from the screen's active bindings does the same
job for a fraction of the cost (and never draws a glyph ASCII mode would have to replace).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class KeyBar(Static):
    """``n Next  p Prev  t Contents  1 Lesson ...`` for the bindings that are enabled now."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; width: 1fr; background: $panel; color: $text; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._draw()

    def _bindings_changed(self, screen) -> None:
        if screen is self.screen:
            self._draw()

    def _draw(self) -> None:
        app = self.app
        seen: set[str] = set()
        text = Text(no_wrap=True, overflow="ellipsis")
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            if text:
                text.append("  ")
            text.append(app.get_key_display(binding), style="bold reverse")
            text.append(" " + binding.description)
        self.update(text)
