"""Where the spaces go in lesson math: rendered pieces joined by TeX's spacing rules, simplified.

:mod:`tui_tutor.mathtext.layout` turns every node of the tree into :class:`Piece` s (a string,
or a Block in display mode, plus a TeX-like spacing class); :func:`join` then decides where a space
goes between neighbours: around relations and binary operators, after a big operator, never inside
sub/superscripts. :func:`text` and :func:`hjoin` give the joined pieces as one line or as a Block.
No sympy, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from tui_tutor.mathtext.block import Block, hstack


@dataclass(frozen=True)
class Piece:
    """A rendered node, with what :func:`join` needs to decide the spaces around it."""

    text: str = ""
    cls: str = "ord"
    block: Block | None = None
    word: bool = False  # a multi-letter name (sin, sigma, grad): keep it apart from letters
    sep_after: bool = False  # ends in a flattened script (x1, grad_y): keep apart from a letter
    atomic: bool = False  # one symbol (x, x₁, 0.5, ŷ): needs no parentheses in a fraction
    diff: bool = False  # ∂ or d, the first half of a one-unit denominator "∂x"
    frac: bool = False  # an inline a/b: parenthesise if a letter follows


def classify(pieces: Sequence[Piece]) -> list[str]:
    """Spacing classes in context: a binary operator with no left operand is a sign (−1, = −x)."""
    classes = [p.cls for p in pieces]
    real = [i for i, p in enumerate(pieces) if p.cls != "space"]
    for k, i in enumerate(real):
        if classes[i] != "bin":
            continue
        before = classes[real[k - 1]] if k > 0 else None
        after = classes[real[k + 1]] if k + 1 < len(real) else None
        if before in (None, "bin", "rel", "open", "punct", "colon", "op", "fn") or after in (
            None, "rel", "close", "punct",
        ):
            classes[i] = "ord"
    return classes


def _gap(a: Piece, b: Piece, ca: str, cb: str, spaced: bool) -> bool:
    """Whether a space goes between neighbours a and b (of classes ca, cb)."""
    if ca == "space" or cb == "space" or a.text[-1:].isspace() or b.text[:1].isspace():
        return False
    end, start = a.text[-1:], b.text[:1]
    # Words and flattened scripts must not run into letters ("sigma x", "x1 x2"), even in scripts.
    if (a.word or a.sep_after or ca == "fn") and start.isalnum():
        return True
    if (b.word or cb == "fn") and end.isalnum():
        return True
    if not spaced:
        return False
    if a.frac and b.frac:  # "∂y/∂u ∂u/∂x", not "∂y/∂u∂u/∂x"
        return True
    if cb == "rel":
        return ca != "open"
    if ca == "rel":
        return cb not in ("close", "punct")
    if "bin" in (ca, cb) or ca == "colon":
        return True
    if ca == "punct":  # "g(x₁, x₂)", "a, …, z": TeX's thin space after a comma
        return cb not in ("close", "punct")
    if ca in ("op", "inner") and cb in ("ord", "op", "inner", "fn"):
        return not start or start not in ".,;:!?"  # the full stop after a display fraction hugs it
    return cb in ("op", "inner") and ca in ("ord", "close", "inner")


def _wrap_fracs(pieces: list[Piece]) -> list[Piece]:
    # "1/2x" reads as 1/(2x); write "(1/2)x". So does "1/100(−1, 1)": "(1/100)(−1, 1)". But
    # "∂f/∂x(x)" stays: that is how people write a derivative at a point.
    out = list(pieces)
    for i, p in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if p.frac and nxt is not None and nxt.cls != "space" and not nxt.frac:
            if nxt.text[:1].isalnum() or nxt.word or (nxt.text[:1] == "(" and p.text[-1:].isdigit()):
                out[i] = replace(p, text=f"({p.text})", frac=False, atomic=True)
    return out


def join(pieces: Sequence[Piece], *, spaced: bool = True, lead: bool = False,
         trail: bool = False) -> list[str | Block]:
    """Pieces with spaces decided, adjacent strings merged.

    ``lead``/``trail`` say something invisible stands before/after (the other side of an ``&``),
    so a relation at the edge keeps its space.
    """
    ps = ([Piece()] if lead else []) + list(pieces) + ([Piece()] if trail else [])
    ps = _wrap_fracs(ps)
    classes = classify(ps)
    out: list[str | Block] = []
    for k, p in enumerate(ps):
        if k and _gap(ps[k - 1], p, classes[k - 1], classes[k], spaced):
            out.append(" ")
        out.append(p.block if p.block is not None else p.text)
    merged: list[str | Block] = []
    for item in out:
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] += item
        elif item != "":
            merged.append(item)
    return merged


def text(pieces: Sequence[Piece], *, spaced: bool = True) -> str:
    """One line (for inline contexts, where no piece is a Block)."""
    return "".join(i if isinstance(i, str) else " ".join(i.lines) for i in join(pieces, spaced=spaced))


def hjoin(pieces: Sequence[Piece], **kw) -> Block:
    """Display mode: pieces side by side on a common baseline."""
    items = join(pieces, **kw)
    blocks = [Block((i,), 0) if isinstance(i, str) else i for i in items]
    if not blocks:
        return Block(("",), 0)
    return blocks[0] if len(blocks) == 1 else hstack(blocks)
