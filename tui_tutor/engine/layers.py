"""The one place that knows how the layers of a composition are named.

A chain of 1–4 maps is written innermost first. Layer k reads the variables of space k and
writes space k+1; the spaces are lettered x, u, v, w and the final output is y. The maps are named
the way the lesson names them: g then f for two layers, g, f, r for three (h = r∘f∘g).

This module has no sympy import: the app uses it to label things before sympy has loaded.
"""

from __future__ import annotations

MAX_LAYERS = 4
SPACE_LETTERS = ("x", "u", "v", "w")
OUTPUT_LETTER = "y"

_MAP_NAMES = {
    1: ("f",),
    2: ("g", "f"),
    3: ("g", "f", "r"),
    4: ("g", "f", "r", "s"),
}


def map_names(layers: int) -> tuple[str, ...]:
    """Names of the maps of a chain with ``layers`` layers, innermost first."""
    if layers not in _MAP_NAMES:
        raise ValueError(f"a chain has 1 to {MAX_LAYERS} layers, not {layers}")
    return _MAP_NAMES[layers]


def space_letters(layers: int) -> tuple[str, ...]:
    """Letters of the spaces of a chain, input first and output last: x, u, ..., y."""
    map_names(layers)
    return SPACE_LETTERS[:layers] + (OUTPUT_LETTER,)


def input_letter(layer: int) -> str:
    """Letter of the variables layer ``layer`` (0-based) reads."""
    return SPACE_LETTERS[layer]


def variable_names(letter: str, count: int) -> list[str]:
    """``x1 .. xn`` for letter ``x`` and count ``n``."""
    return [f"{letter}{i}" for i in range(1, count + 1)]


def composite_name(layers: int, *, ascii: bool = False) -> str:
    """How the lesson writes the whole composition: f, f∘g, r∘f∘g ... (``f o g`` in ASCII)."""
    return (" o " if ascii else "∘").join(reversed(map_names(layers)))
