"""The tree that lesson math is parsed into, shared by the parser and the layout.

:mod:`tui_tutor.mathtext.parse` builds it from the LaTeX subset;
:mod:`tui_tutor.mathtext.layout` turns it into text or a :class:`~tui_tutor.mathtext.block.Block`.
Plain data only: one dataclass per kind of node, plus the environment names the subset knows
(``bmatrix``, ``aligned``, ``cases`` ...). No sympy, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Sym:
    """One symbol: how it looks in Unicode and in ASCII, and its spacing class.

    Classes follow TeX: ord, bin (binary operator), rel (relation), open, close, punct, colon,
    op (big operator), fn (named function such as sin), text (author's words), space.
    """

    uni: str
    asc: str
    cls: str = "ord"
    script: str | None = None  # its form inside a superscript (\top is "T", which becomes ᵀ)
    limits: bool = False  # big operator whose limits go above and below in display mode
    diff: bool = False  # ∂ or d: "∂x" counts as one unit in a denominator


@dataclass
class Group:
    items: list
    braces: bool = False  # an unknown command's argument: show the braces, hide nothing


@dataclass
class Scripts:
    base: object | None
    sub: Group | None = None
    sup: Group | None = None


@dataclass
class Frac:
    num: Group
    den: Group


@dataclass
class Sqrt:
    body: Group
    index: Group | None = None


@dataclass
class Accent:
    kind: str  # hat, bar, tilde, dot, ddot, vec
    body: Group


@dataclass
class Arrow:
    label: Group
    leftward: bool = False


@dataclass
class Fenced:
    """``\\left( ... \\right)``: brackets that grow with their content in display mode."""

    open: Sym | None
    body: Group
    close: Sym | None


@dataclass
class Env:
    """``\\begin{name} ... \\end{name}``; name "" is rows written without an environment."""

    name: str
    rows: list[list[Group]]


Node = Union[Sym, Group, Scripts, Frac, Sqrt, Accent, Arrow, Fenced, Env]

MATRIX_DELIMS = {
    "matrix": ("", ""), "smallmatrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"),
    "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"),
}
ALIGN_ENVS = {"align", "align*", "aligned", "split"}
CENTRED_ENVS = {"gather", "gather*", "gathered", "equation", "equation*", ""}
CASES_ENVS = {"cases"}
KNOWN_ENVS = set(MATRIX_DELIMS) | ALIGN_ENVS | CENTRED_ENVS | CASES_ENVS
