r"""Lesson math, written in a LaTeX subset, as readable terminal text (Unicode, or ASCII for --ascii).

Content authors write what a maths teacher already knows: ``$f \circ g$``, ``x_1``,
``\frac{\partial y_2}{\partial x_3}``, ``\begin{bmatrix} ... \end{bmatrix}``. This module is the
public face: it renders that subset as one line (:func:`render_inline`, for prose) or as a
multi-line :class:`~tui_tutor.mathtext.block.Block` (:func:`render_display`, with stacked
fractions, drawn matrices and aligned equations), splits prose at ``$...$`` and validates it. The
work is done by its neighbours in the package, in the order a formula goes through them:

    tree     the parsed tree (Sym, Frac, Env ...) and the environment names
    symbols  what each symbol looks like in Unicode and ASCII; to_ascii, script_text
    parse    the LaTeX tokenizer and parser, which collects problems instead of raising
    layout   each node as text or a Block: scripts, fractions, brackets, matrices, rows
    spacing  where the spaces go between the rendered pieces (TeX's classes, simplified)
    block    Block, hstack and the one matrix drawing

Rendering never raises: an unknown command is shown as written (``\foo``) so a screen never
crashes on a typo. :func:`validate` is the strict side, for ``tui-tutor check``: it raises
:class:`MathTextError` with the character offset of the first problem.

No sympy and no Textual: the app imports this before sympy has loaded.

Spacing follows TeX, simplified for a terminal: one space around relations (= ≈ → ∈) and binary
+ −, one after a comma; none around · × ∘ / (so ``1\times m`` reads 1×m, a shape), none inside
sub/superscripts. ``\,`` ``\;`` ``\ `` ``~`` are one space, ``\quad`` two, ``\qquad`` four.

ASCII (``ascii=True``): every character is ASCII, and still reads as maths. The choices:

    LaTeX               Unicode      ASCII
    x_1, x_i, x_{ij}    x₁ xᵢ xᵢⱼ     x1 x_i x_(ij)  digits join a single letter, as people type;
                                                    a longer script is bracketed, never dropped
    x_y, \nabla_\ell    x₍y₎ ∇₍ℓ₎ℓ    x_y grad_l l   a subscript with no small letters for it (y, ℓ, θ,
                                                    a word) goes in the small brackets ₍ ₎, whole
    x^2, h^{(1)}        x² h⁽¹⁾      x^2 h^(1)      (Unicode too falls back to x^(..) when a
                                                    character has no superscript form)
    A^\top, \top        Aᵀ           A^T
    \mathbb{R}^n        ℝⁿ           R^n
    \mathbb{R}^{3\times 2} ℝ³ˣ²       R^(3x2)
    f \circ g           f∘g          f o g
    \partial            ∂            d              ∂y/∂x -> dy/dx, Leibniz as on paper
    \Delta              Δ            Delta          a finite change: "Delta x", never mistaken for d
    \delta              δ            delta
    \nabla              ∇            grad
    \sum, \prod         ∑ ∏          sum prod       (\Sigma, \Pi the letters: Sigma, Pi)
    \ell                ℓ            l
    Greek letters       σ θ Φ        sigma theta Phi   (capital name for a capital; \varphi is phi)
    \hat{y}             ŷ            y_hat          also _bar _tilde _dot _vec
    \cdot, \times       · ×          * x            shapes read 2x3, as in engine.render
    \to, \xrightarrow{g}  → ─g→      -> -g->
    \mapsto, \Rightarrow  ↦ ⇒        |-> =>
    \approx, \equiv     ≈ ≡          ~= ==
    \le \ge \ne         ≤ ≥ ≠        <= >= !=
    \in, \notin         ∈ ∉          in, not in
    \pm, \odot          ± ⊙          +/- (.)
    \infty              ∞            inf
    \|x\|               ‖x‖          ||x||
    \sqrt{x}, \sqrt{x+1}  √x √(x + 1)  sqrt(x) sqrt(x + 1)
    \frac{a}{b}         a/b          a/b            display mode: stacked over ─ (ASCII -)
    \ldots, \cdots      … ⋯          ...
    \vdots, \ddots      ⋮ ⋱          :  \
    -, '                − ′          -  '
    \bmatrix inline     [a, b; c, d] [a, b; c, d]   the scratchpad's answer syntax

:func:`to_ascii` applies the same table to Unicode typed directly (prose, or math pasted as
Unicode), plus typography: curly quotes, dashes (– -, — --), ellipsis, non-breaking spaces.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from tui_tutor.mathtext import layout, spacing
from tui_tutor.mathtext.block import Block
from tui_tutor.mathtext.parse import Parser, find_problems
from tui_tutor.mathtext.symbols import to_ascii
from tui_tutor.mathtext.tree import Group, Node

__all__ = [
    "MathTextError", "render_inline", "render_display", "split_inline", "render_prose",
    "validate", "to_ascii",
]

_log = logging.getLogger(__name__)

# --- public API -------------------------------------------------------------------------------------


class MathTextError(ValueError):
    """A problem in lesson math: ``.position`` is the 0-based character offset, ``.message`` says what."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


def _top_items(root: Node) -> list:
    return root.items if isinstance(root, Group) and not root.braces else [root]


@lru_cache(maxsize=4096)
def render_inline(tex: str, *, ascii: bool = False) -> str:
    """A formula on one line: ``x_1`` -> ``x₁``, ``\\frac{\\partial y}{\\partial x}`` -> ``∂y/∂x``.

    Matrices become ``[a, b; c, d]``, aligned rows are joined with ``;``. ``ascii=True`` gives
    pure ASCII (see the module table). Never raises: unknown commands show as written.
    """
    try:
        root = Parser(tex).parse()
        out = spacing.text(layout.pieces(_top_items(root), layout.Ctx(ascii=ascii))).strip()
    except Exception:  # a screen must never crash on lesson text; `check` reports the cause
        _log.exception("could not render inline math %r", tex)
        out = tex
    return to_ascii(out) if ascii else out


@lru_cache(maxsize=1024)
def render_display(tex: str, *, ascii: bool = False) -> Block:
    """A display formula as lines: stacked fractions, drawn matrices, aligned ``align*`` rows.

    The Block's baseline is the row that lines up with neighbouring text (the fraction rule, the
    middle of a matrix). Never raises.
    """
    try:
        root = Parser(tex).parse()
        block = spacing.hjoin(layout.pieces(_top_items(root), layout.Ctx(ascii=ascii, display=True)))
    except Exception:  # as in render_inline: degrade to the source, log the detail
        _log.exception("could not render display math %r", tex)
        block = Block((tex,), 0)
    lines = tuple((to_ascii(line) if ascii else line).rstrip() for line in block.lines)
    return Block(lines, block.baseline)


def _scan(text: str) -> tuple[list[tuple[str, bool, int]], list[int]]:
    """Prose split at $...$ / $$...$$: (segment, is_math, offset of its first character), and the
    offsets of ``$`` signs that open nothing."""
    segments: list[tuple[str, bool, int]] = []
    unclosed: list[int] = []
    prose, prose_start = "", 0
    i, n = 0, len(text)
    while i < n:
        if text.startswith("\\$", i):
            prose += "$"
            i += 2
            continue
        if text[i] != "$":
            prose += text[i]
            i += 1
            continue
        delim = "$$" if text.startswith("$$", i) else "$"
        start = i + len(delim)
        end = _closing(text, start, delim)
        if end is None:
            unclosed.append(i)
            prose += "$"
            i += 1
            continue
        if prose:
            segments.append((prose, False, prose_start))
        segments.append((text[start:end], True, start))
        prose, i = "", end + len(delim)
        prose_start = i
    if prose:
        segments.append((prose, False, prose_start))
    return segments, unclosed


def _closing(text: str, start: int, delim: str) -> int | None:
    j = start
    while j < len(text):
        if text[j] == "\\":
            j += 2  # \$ and friends inside math are escapes, not the end of it
        elif text.startswith(delim, j):
            return j
        else:
            j += 1
    return None


def split_inline(text: str) -> list[tuple[str, bool]]:
    """Prose with ``$...$`` (or ``$$...$$``) math as ``(segment, is_math)`` pairs, in order.

    ``\\$`` in prose is a literal dollar (unescaped in the segment); inside math it stays ``\\$``
    for the math renderer. A ``$`` that never closes is kept as prose. No empty segments.
    """
    return [(segment, is_math) for segment, is_math, _ in _scan(text)[0]]


def render_prose(text: str, *, ascii: bool = False) -> str:
    """A paragraph with its inline math rendered; prose is left as written.

    With ``ascii=True`` the prose is transliterated too (quotes, dashes, ×, →, …), so the whole
    paragraph is pure ASCII.
    """
    out = []
    for segment, is_math in split_inline(text):
        if is_math:
            out.append(render_inline(segment, ascii=ascii))
        else:
            out.append(to_ascii(segment) if ascii else segment)
    return "".join(out)


def validate(text: str, *, prose: bool = False) -> None:
    """Raise :class:`MathTextError` at the first problem in a formula (or, with ``prose=True``, in a
    paragraph with ``$...$`` math): unknown command or environment, unbalanced braces, ``\\begin``
    without ``\\end``, ``\\left`` without ``\\right``, a missing argument, an unclosed ``$``.
    """
    problems: list[tuple[int, str]] = []
    if prose:
        segments, unclosed = _scan(text)
        problems += [(pos, "$ opens math that never closes (write \\$ for a dollar sign)") for pos in unclosed]
        for segment, is_math, start in segments:
            if is_math:
                problems += [(start + pos, message) for pos, message in find_problems(segment)]
    else:
        problems = find_problems(text)
    if problems:
        position, message = min(problems)
        raise MathTextError(message, position)
