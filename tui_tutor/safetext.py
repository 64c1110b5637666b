"""Text from outside (course files, settings, the command line) made safe to show on a terminal.

An ESC in a quiz prompt is the start of a control sequence: ``ESC ] 0 ; ... BEL`` retitles the
window, ``ESC [ ? 1049 l`` leaves the alternate screen and breaks the app's picture. Such
characters are found (to be refused with their line) and, wherever outside text is quoted in a
message, shown as escapes (``\\x1b``) instead of being sent to the terminal.
"""

from __future__ import annotations

import unicodedata

# Bidirectional overrides and isolates reorder what is shown (a "Trojan Source" prompt).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = frozenset("\n\t")  # in multi-line course text


def is_control(ch: str) -> bool:
    """A character that does something to a terminal instead of showing: C0/C1 controls, DEL, bidi."""
    return unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS


def first_control(text: str, allowed: frozenset[str] = ALLOWED_CONTROLS) -> int | None:
    """The index of the first control character not in ``allowed``, or None."""
    for index, ch in enumerate(text):
        if ch not in allowed and is_control(ch):
            return index
    return None


def name(ch: str) -> str:
    """``ESC (U+001B)``: how a message names a control character."""
    short = {"\x1b": "ESC", "\x07": "BEL", "\x08": "backspace", "\r": "carriage return", "\x7f": "DEL",
             "\x9b": "CSI", "\x00": "NUL"}.get(ch)
    code = f"U+{ord(ch):04X}"
    return f"{short} ({code})" if short else f"control character {code}"


def visible(text: str, limit: int | None = None) -> str:
    """``text`` with every control character written as an escape (``\\x1b``), cut to ``limit``."""
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 3)] + "..."
    return "".join(_escape(ch) if is_control(ch) else ch for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


__all__ = ["ALLOWED_CONTROLS", "first_control", "is_control", "name", "visible"]
