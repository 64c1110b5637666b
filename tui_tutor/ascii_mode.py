"""``--ascii``: every character the tutor puts on the screen is ASCII.

The tutor renders ASCII natively where it can (math, matrices, tables, plots are drawn with ASCII
by their own code, which reads better than any after-the-fact substitution). This module is the
guarantee underneath: a Textual line filter that replaces whatever non-ASCII character is left —
a border, a scrollbar glyph, an icon in a built-in widget — with an ASCII look-alike of the same
width, so no terminal ever shows mojibake.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

# Characters with a well-known ASCII spelling. Anything else falls back by Unicode category.
_TABLE = {
    "→": ">", "←": "<", "↑": "^", "↓": "v", "⟶": ">", "⟵": "<", "↦": ">", "⇒": ">", "▶": ">",
    "◀": "<", "▲": "^", "▼": "v", "►": ">", "◄": "<", "⏵": ">", "⏴": "<", "⏮": "|", "⏭": "|",
    "•": "*", "·": "*", "⋅": "*", "×": "x", "÷": "/", "−": "-", "–": "-", "—": "-", "…": ".",
    "“": '"', "”": '"', "‘": "'", "’": "'", "≈": "~", "≤": "<", "≥": ">", "≠": "#", "∞": "8",
    "✓": "v", "✔": "v", "✗": "x", "✘": "x", "○": "o", "●": "*", "◯": "O", "⭘": "O", "□": "#",
    "■": "#", "▪": "#", "⏎": "/", "⌫": "<", "°": "o", "²": "2", "³": "3", "¹": "1", "ⁿ": "n",
    "ᵀ": "T", "∘": "o", "∂": "d", "∇": "V", "Σ": "E", "Δ": "D", "σ": "s", "ℓ": "l", "ℝ": "R",
    "∈": "e", "√": "V", "π": "p", "θ": "0", "∑": "E", "⋯": ".", "⋮": ":", "⋱": "\\", "‖": "|",
    "⎡": "[", "⎢": "[", "⎣": "[", "⎤": "]", "⎥": "]", "⎦": "]", "⎛": "(", "⎜": "(", "⎝": "(",
    "⎞": ")", "⎟": ")", "⎠": ")", "╲": "\\", "╱": "/", "▏": "|", "▕": "|", "▔": "-", "▁": "_",
    "\u00a0": " ", "\u2009": " ", "\u200b": " ",
}


@lru_cache(maxsize=4096)
def to_ascii(char: str) -> str:
    """An ASCII string of the same display width as ``char``."""
    if char.isascii():
        return char
    width = cell_len(char)
    if width == 0:
        return ""  # combining marks and zero-width characters
    if char in _TABLE:
        return _TABLE[char].ljust(width)[:width] if width > 1 else _TABLE[char]
    code = ord(char)
    if 0x2500 <= code <= 0x257F:  # box drawing
        name = unicodedata.name(char, "")
        if "HORIZONTAL" in name and "VERTICAL" not in name and "AND" not in name:
            out = "-"
        elif "VERTICAL" in name and "HORIZONTAL" not in name and "AND" not in name:
            out = "|"
        elif "DASH" in name and "HORIZONTAL" in name:
            out = "-"
        else:
            out = "+"
    elif 0x2580 <= code <= 0x259F:  # block elements
        out = "#"
    elif 0x2800 <= code <= 0x28FF:  # braille (plots)
        out = "." if code != 0x2800 else " "
    else:
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if c.isascii() and c.isprintable())
        out = base[:1] if base else "?"
    return (out * width)[:width] if out in "-#" else out.ljust(width)


def ascii_text(text: str) -> str:
    """``text`` with every non-ASCII character replaced by a same-width ASCII look-alike."""
    if text.isascii():
        return text
    return "".join(to_ascii(c) for c in text)


class AsciiFilter(LineFilter):
    """A Textual line filter that makes every rendered character ASCII."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            seg if seg.control or seg.text.isascii() else Segment(ascii_text(seg.text), seg.style, seg.control)
            for seg in segments
        ]


ASCII_KEYS = {"↑": "up", "↓": "down", "←": "left", "→": "right", "⏎": "enter", "⌫": "bksp"}
