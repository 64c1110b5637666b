"""Every key that works, in one place (the ``?`` key)."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui_tutor.screens.box import Box

NARROW = 70  # columns below which each key's id goes under its description

TEXT_FIELD_KEYS = (
    ("Enter", "check / submit what you typed"),
    ("Esc", "leave the text field, so single-letter keys work again"),
    ("Tab / Shift+Tab", "move between fields and panes"),
)


class KeysScreen(Box):
    """A list of the bindings of the screen underneath, the app's global keys and text-field keys."""

    BINDINGS = [
        Binding("escape,question_mark,q,enter", "close", "Close", id="keys-close"),
    ]

    def compose(self):
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            yield Static(self._table())

    def _table(self) -> Table:
        app = self.app
        ascii = getattr(app, "ascii_mode", False)
        # In a narrow window columns would squeeze the descriptions to a word a line: each key is
        # one line instead, its description after it and its id (for keys.yaml) after that.
        narrow = app.size.width < NARROW
        table = Table(box=box.ASCII if ascii else box.SIMPLE, expand=True, show_header=False)
        if narrow:
            table.add_column("Key and what it does")
        else:
            table.add_column("Key", no_wrap=True, style="bold")
            table.add_column("What it does", ratio=1)  # what is left after the keys
            table.add_column("id (for keys.yaml)", style="dim", no_wrap=True)

        def add(key, what, ident: str = "") -> None:
            if not narrow:
                table.add_row(key, what, ident)
            elif key.startswith("[u]"):
                table.add_row(Text.from_markup(key))
            else:
                table.add_row(Text.assemble((key, "bold"), "  " if key else "", what, ("  " + ident, "dim") if ident else ""))

        below = app.screen_stack[-2] if len(app.screen_stack) > 1 else None
        sections = []
        if below is not None:
            sections.append(("On this screen", _bindings(below)))
            focused = below.focused
            if focused is not None:
                sections.append(("In the focused pane", _bindings(focused)))
        sections.append(("Everywhere", _bindings(app)))
        seen = set()
        for title, bindings in sections:
            rows = [(_keys_text(app, b), _what(b), b.id or "") for b in bindings if b.description]
            rows = [r for r in rows if r not in seen]
            if not rows:
                continue
            add(f"[u]{title}[/u]", "")
            for row in rows:
                seen.add(row)
                add(*row)
        add("[u]In a text field[/u]", "")
        for row in TEXT_FIELD_KEYS:
            add(*row)
        add("", "")
        add("Ctrl+P", "command palette: every command by name")
        add("Ctrl+Q", "quit, from anywhere (even a text field); keys.yaml cannot take it")
        add("", "Remap any key in keys.yaml in the settings folder: 'id: key' per line.")
        return table

    def action_close(self) -> None:
        self.dismiss()


def _what(binding: Binding) -> str:
    """The footer's short word, and the longer explanation when there is one."""
    if binding.tooltip and binding.tooltip.lower() != binding.description.lower():
        return f"{binding.description} - {binding.tooltip}"
    return binding.description


def _keys_text(app, binding: Binding) -> str:
    """``n / ]`` for a binding with several keys."""
    keys = [k.strip() for k in binding.key.split(",") if k.strip()]
    return " / ".join(app.get_key_display(Binding(k, binding.action, binding.description)) for k in keys)


def _bindings(node) -> list[Binding]:
    """The bindings declared on a node (keymap-remapped keys included)."""
    keymap = node.app._keymap if hasattr(node, "app") else {}
    out = []
    for key, bindings in node._bindings.key_to_bindings.items():
        for binding in bindings:
            shown = keymap.get(binding.id, key) if binding.id else key
            out.append(Binding(shown, binding.action, binding.description, tooltip=binding.tooltip, id=binding.id))
    # One row per action: join alternative keys ("n" and "]").
    merged: dict[tuple, list[str]] = {}
    order = []
    for binding in out:
        ident = (binding.action, binding.description, binding.tooltip)
        if ident not in merged:
            merged[ident] = []
            order.append(ident)
        if binding.key not in merged[ident]:
            merged[ident].append(binding.key)
    ids = {(b.action, b.description, b.tooltip): b.id for b in out}
    return [Binding(",".join(merged[i]), i[0], i[1], tooltip=i[2], id=ids.get(i)) for i in order]
