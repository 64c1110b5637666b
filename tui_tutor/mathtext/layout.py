"""Layout of parsed lesson math: one line of text (inline) or a :class:`Block` of lines (display).

:mod:`tui_tutor.mathtext.parse` parses the LaTeX subset into the tree of
:mod:`tui_tutor.mathtext.tree`; this module decides how each node looks: sub/superscripts,
fractions, roots, accents, growing brackets, matrices and aligned rows. Matrices are drawn by
:func:`tui_tutor.mathtext.block.matrix_lines`, the project's one matrix renderer, so a ``bmatrix``
in lesson text looks exactly like a Jacobian the engine computed. No sympy, no Textual.

Rendering works in two steps. Every node becomes a list of
:class:`~tui_tutor.mathtext.spacing.Piece` s (a string, or a Block in display mode, plus a
TeX-like spacing class); :func:`~tui_tutor.mathtext.spacing.join` then decides where a space
goes between neighbours (:mod:`tui_tutor.mathtext.spacing`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Sequence

from tui_tutor.mathtext.block import Block, hstack, matrix_lines
from tui_tutor.mathtext.spacing import Piece, classify, hjoin, text
from tui_tutor.mathtext.symbols import (
    COMBINING,
    SUPERSCRIPTS,
    convert_script,
    script_text,
    wrapped,
)
from tui_tutor.mathtext.tree import (
    ALIGN_ENVS,
    CASES_ENVS,
    MATRIX_DELIMS,
    Accent,
    Arrow,
    Env,
    Fenced,
    Frac,
    Group,
    Node,
    Scripts,
    Sqrt,
    Sym,
)

# Growing brackets: (top, middle, bottom) pieces, Unicode and ASCII.
_TALL = {
    "(": ("⎛", "⎜", "⎝"), ")": ("⎞", "⎟", "⎠"), "[": ("⎡", "⎢", "⎣"), "]": ("⎤", "⎥", "⎦"),
    "|": ("│", "│", "│"), "‖": ("‖", "‖", "‖"),
}
_TALL_ASCII = {
    "(": ("/", "|", "\\"), ")": ("\\", "|", "/"), "[": ("[", "[", "["), "]": ("]", "]", "]"),
    "|": ("|", "|", "|"), "‖": ("||", "||", "||"), "⟨": ("<", "<", "<"), "⟩": (">", ">", ">"),
}
_DELIM_ASCII = {"‖": "||", "⟨": "<", "⟩": ">"}


# --- rendering context ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ctx:
    """How to render: the output alphabet and where we are (display, inside a script)."""

    ascii: bool = False
    display: bool = False  # fractions stack, matrices are drawn, brackets grow
    script: bool = False  # inside a sub/superscript: no spacing, \top is "T"


def _is_word(text: str) -> bool:
    return len(text) > 1 and text.isalpha()


def _merge(pieces: list[Piece], ctx: Ctx) -> Piece:
    """Several pieces as one ord piece (the content of a group, the base of a script)."""
    if len(pieces) == 1:
        p = pieces[0]
        return replace(p, cls="ord") if p.cls in ("bin", "rel", "punct", "colon", "space") else p
    if ctx.display and any(p.block is not None for p in pieces):
        return Piece(block=hjoin(pieces))
    return Piece(text(pieces, spaced=not ctx.script))


# --- nodes to pieces --------------------------------------------------------------------------------


def pieces(nodes: Sequence[Node], ctx: Ctx) -> list[Piece]:
    """The pieces of a sequence of nodes."""
    out: list[Piece] = []
    for node in nodes:
        out.extend(node_pieces(node, ctx))
    return out


def node_pieces(node: Node, ctx: Ctx) -> list[Piece]:
    """The pieces of one node (a Block piece for tall things in display mode)."""
    if isinstance(node, Sym):
        t = node.script if ctx.script and node.script is not None else (node.asc if ctx.ascii else node.uni)
        return [Piece(t, node.cls, word=_is_word(t) and node.cls != "text", diff=node.diff,
                      atomic=node.cls == "ord" or (node.cls == "text" and " " not in t))]
    if isinstance(node, Group):
        inner = pieces(node.items, ctx)
        if node.braces:
            return [Piece("{" + text(inner, spaced=not ctx.script) + "}")]
        return [_merge(inner, ctx)] if inner else []
    if isinstance(node, Scripts):
        return [_scripts(node, ctx)]
    if isinstance(node, Frac):
        return [_frac(node, ctx)]
    if isinstance(node, Sqrt):
        return [_sqrt(node, ctx)]
    if isinstance(node, Accent):
        return [_accent(node, ctx)]
    if isinstance(node, Arrow):
        label = text(pieces(node.label.items, replace(ctx, display=False, script=True)), spaced=False)
        if ctx.ascii:
            t = f"<-{label}-" if node.leftward else f"-{label}->"
        else:
            t = f"←{label}─" if node.leftward else f"─{label}→"
        return [Piece(t, "rel")]
    if isinstance(node, Fenced):
        return [_fenced(node, ctx)]
    if isinstance(node, Env):
        return [_env(node, ctx)]
    return [Piece(str(node))]  # not reached: the parser builds only the nodes above


def _scripts(node: Scripts, ctx: Ctx) -> Piece:
    base_pieces = node_pieces(node.base, ctx) if node.base is not None else []
    base = _merge(base_pieces, ctx) if base_pieces else Piece()
    sctx = replace(ctx, script=True, display=False)
    sub_pieces = pieces(node.sub.items, sctx) if node.sub else []
    sup_pieces = pieces(node.sup.items, sctx) if node.sup else []
    sub, sup = text(sub_pieces, spaced=False), text(sup_pieces, spaced=False)
    one_sub = len(sub_pieces) == 1 and sub_pieces[0].atomic
    one_sup = len(sup_pieces) == 1 and sup_pieces[0].atomic
    words = any(p.cls == "text" and len(p.text) > 1 for p in sub_pieces + sup_pieces)
    if ctx.display and isinstance(node.base, Sym) and node.base.limits:
        # Display-style limits: the "k=1" under the ∑ and the "m" over it, in ordinary letters.
        rows = ([sup] if sup else []) + [base.text] + ([sub] if sub else [])
        width = max(len(r) for r in rows)
        return Piece(block=Block(tuple(_centre(r, width) for r in rows), 1 if sup else 0), cls="op")
    if base.block is not None and base.block.height > 1:
        tall = base.block
        sup_t = script_text("", sup, sup=True, ascii=ctx.ascii, single=one_sup)[0]
        sub_t = script_text("", sub, sup=False, ascii=ctx.ascii, single=one_sub)[0]
        column = [""] * tall.height
        column[0], column[-1] = sup_t, sub_t
        return Piece(block=hstack([tall, Block(tuple(column), tall.baseline)]), cls=base.cls)
    base_text = base.text if base.block is None else base.block.lines[0]
    sub_t, flat_sub = script_text(base_text, sub, sup=False, ascii=ctx.ascii, single=one_sub,
                                  convert=not words)
    sup_t, flat_sup = script_text(base_text, sup, sup=True, ascii=ctx.ascii, single=one_sup,
                                  convert=not words)
    full = base_text + sub_t + sup_t
    return Piece(full, base.cls, word=base.word, sep_after=(flat_sub or flat_sup) and full[-1:].isalnum(),
                 atomic=base.atomic)


def _centre(line: str, width: int) -> str:
    pad = width - len(line)
    return " " * ((pad + 1) // 2) + line + " " * (pad // 2)


def _frac(node: Frac, ctx: Ctx) -> Piece:
    if ctx.display and not ctx.script:
        num, den = hjoin(pieces(node.num.items, ctx)), hjoin(pieces(node.den.items, ctx))
        # A fraction of tall things gets a longer rule, so the main bar stands out from inner ones.
        width = max(num.width, den.width, 1) + (2 if max(num.height, den.height) > 1 else 0)
        rule = ("-" if ctx.ascii else "─") * width
        lines = _centre_block(num, width) + [rule] + _centre_block(den, width)
        return Piece(block=Block(tuple(lines), num.height), cls="inner")
    num, den = pieces(node.num.items, ctx), pieces(node.den.items, ctx)
    num_t, den_t = text(num, spaced=not ctx.script), text(den, spaced=not ctx.script)
    if _compound(num):
        num_t = f"({num_t})"
    if not _simple_denominator(den, den_t):
        den_t = f"({den_t})"
    return Piece(f"{num_t}/{den_t}", frac=True)


def _centre_block(block: Block, width: int) -> list[str]:
    left = (width - block.width + 1) // 2
    return [" " * left + line for line in block.lines]


def _compound(ps: list[Piece]) -> bool:
    """A numerator with + − = (or spaces) at its top level needs parentheses inline."""
    return any(c in ("bin", "rel", "op", "space", "text") for c in classify(ps))


def _simple_denominator(ps: list[Piece], t: str) -> bool:
    if len(ps) == 1 and (ps[0].atomic or wrapped(t)):
        return True
    return len(ps) == 2 and (ps[0].diff or ps[0].text == "d") and ps[1].atomic


def _sqrt(node: Sqrt, ctx: Ctx) -> Piece:
    ictx = replace(ctx, display=False)
    body = pieces(node.body.items, ictx)
    t = text(body, spaced=not ctx.script)
    index = text(pieces(node.index.items, replace(ictx, script=True)), spaced=False) if node.index else ""
    if ctx.ascii:
        return Piece(f"root({index}, {t})" if index else f"sqrt({t})", word=True)
    if index and convert_script(index, SUPERSCRIPTS) is None:
        return Piece(f"root({index}, {t})", word=True)
    radical = (convert_script(index, SUPERSCRIPTS) or "") + "√"
    simple = len(body) == 1 and body[0].atomic
    return Piece(radical + (t if simple else f"({t})"), atomic=simple)


def _accent(node: Accent, ctx: Ctx) -> Piece:
    body = pieces(node.body.items, replace(ctx, display=False))
    t = text(body, spaced=not ctx.script)
    single = len(body) == 1 and body[0].atomic and t[:1].isalpha()
    if ctx.ascii:
        return Piece(f"{t}_{node.kind}" if single else f"{node.kind}({t})", word=True, atomic=True)
    if single:
        # Precomposed where Unicode has it (ŷ), else a combining mark on the letter (θ̂).
        return Piece(unicodedata.normalize("NFC", t[0] + COMBINING[node.kind]) + t[1:], atomic=True)
    return Piece(f"{node.kind}({t})", atomic=True)


def tall_delimiter(delim: str, height: int, ascii: bool) -> list[str]:
    """A bracket ``height`` rows tall (one row: the character itself)."""
    if delim in ("", "."):
        return [""] * height
    if height == 1:
        return [_DELIM_ASCII.get(delim, delim) if ascii else delim]
    if delim in "{}":
        top, mid, bottom, fill = (
            ("/", "<", "\\", "|") if delim == "{" and ascii else ("\\", ">", "/", "|") if ascii
            else ("⎧", "⎨", "⎩", "⎪") if delim == "{" else ("⎫", "⎬", "⎭", "⎪")
        )
        if height == 2:
            return [top, bottom]
        rows = [top] + [fill] * (height - 2) + [bottom]
        rows[(height - 1) // 2] = mid
        return rows
    table = _TALL_ASCII if ascii else _TALL
    top, mid, bottom = table.get(delim, (delim,) * 3)
    return [top] + [mid] * (height - 2) + [bottom]


def _delim_text(sym: Sym | None, ctx: Ctx) -> str:
    if sym is None:
        return ""
    return sym.asc if ctx.ascii else sym.uni


def _fenced(node: Fenced, ctx: Ctx) -> Piece:
    left, right = _delim_text(node.open, ctx), _delim_text(node.close, ctx)
    if ctx.display and not ctx.script:
        body = hjoin(pieces(node.body.items, ctx))
        if body.height > 1:
            lo = tall_delimiter(node.open.uni if node.open else "", body.height, ctx.ascii)
            hi = tall_delimiter(node.close.uni if node.close else "", body.height, ctx.ascii)
            return Piece(block=hstack([Block(tuple(lo), body.baseline), body,
                                       Block(tuple(hi), body.baseline)]))
        return Piece(left + body.lines[0] + right, atomic=True)
    return Piece(left + text(pieces(node.body.items, ctx), spaced=not ctx.script) + right, atomic=True)


# --- environments -----------------------------------------------------------------------------------


def _trimmed(rows: list[list[Group]]) -> list[list[Group]]:
    # A trailing \\ (common in hand-written LaTeX) makes an empty last row; TeX ignores it too.
    if len(rows) > 1 and len(rows[-1]) == 1 and not rows[-1][0].items:
        return rows[:-1]
    return rows


def _env(node: Env, ctx: Ctx) -> Piece:
    rows = _trimmed(node.rows)
    if not (ctx.display and not ctx.script):
        return Piece(_env_inline(node.name, rows, ctx), atomic=node.name in MATRIX_DELIMS)
    if node.name in MATRIX_DELIMS:
        return Piece(block=_matrix(node.name, rows, ctx))
    if node.name in CASES_ENVS:
        grid = _grid([[hjoin(pieces(c.items, ctx)) for c in row] for row in rows], "l", lambda c: "  ")
        brace = tall_delimiter("{", grid.height, ctx.ascii)
        return Piece(block=hstack([Block(tuple(brace), grid.baseline), Block((" ",), 0), grid]))
    if node.name in ALIGN_ENVS:
        cells = [
            [hjoin(pieces(c.items, ctx), lead=k % 2 == 1, trail=k % 2 == 0 and k + 1 < len(row))
             for k, c in enumerate(row)]
            for row in rows
        ]
        return Piece(block=_grid(cells, "rl", lambda c: "" if c % 2 == 0 else "    "))
    # gather, equation, rows without an environment, and unknown environments (shown, not lost)
    lines = [hjoin(pieces([i for c in row for i in c.items], ctx)) for row in rows]
    return Piece(block=_grid([[b] for b in lines], "c", lambda c: ""))


def _env_inline(name: str, rows: list[list[Group]], ctx: Ctx) -> str:
    def cell(g: Group) -> str:
        return text(pieces(g.items, ctx), spaced=not ctx.script)

    if name in MATRIX_DELIMS or name in CASES_ENVS:
        # [a, b; c, d] is also what the scratchpad's answer parser reads, so it can be copied.
        body = "; ".join(", ".join(cell(c) for c in row) for row in rows)
        left, right = MATRIX_DELIMS.get(name, ("{", "}"))
        if not left:
            left, right = "[", "]"
        if ctx.ascii:
            left, right = _DELIM_ASCII.get(left, left), _DELIM_ASCII.get(right, right)
        return left + body + right
    return "; ".join(cell(Group([i for c in row for i in c.items])) for row in rows)


def _matrix(name: str, rows: list[list[Group]], ctx: Ctx) -> Block:
    cells = [[hjoin(pieces(c.items, ctx)) for c in row] for row in rows]
    ncols = max(len(row) for row in cells)
    cells = [row + [Block(("",), 0)] * (ncols - len(row)) for row in cells]  # ragged rows
    block = matrix_lines(cells, ascii=ctx.ascii)
    left, right = MATRIX_DELIMS[name]
    if (left, right) == ("[", "]"):
        return block
    # matrix_lines draws [ ]; other environments keep its layout and swap the bracket columns.
    lo = tall_delimiter(left, block.height, ctx.ascii)
    hi = tall_delimiter(right, block.height, ctx.ascii)
    return Block(tuple(a + line[1:-1] + b for a, line, b in zip(lo, block.lines, hi)), block.baseline)


def _pad(block: Block, width: int, align: str) -> Block:
    shift = {"l": 0, "r": width - block.width, "c": (width - block.width + 1) // 2}[align]
    return Block(tuple((" " * shift + line).ljust(width) for line in block.lines), block.baseline)


def _grid(rows: list[list[Block]], aligns: str, gap) -> Block:
    """Rows of cells in columns (aligned by ``aligns``, cycling), a blank line between tall rows."""
    ncols = max(len(row) for row in rows)
    rows = [row + [Block(("",), 0)] * (ncols - len(row)) for row in rows]
    widths = [max(row[c].width for row in rows) for c in range(ncols)]
    tall = any(cell.height > 1 for row in rows for cell in row)
    lines: list[str] = []
    for r, row in enumerate(rows):
        parts: list[Block] = []
        for c, cell in enumerate(row):
            parts.append(_pad(cell, widths[c], aligns[c % len(aligns)]))
            if c + 1 < ncols and gap(c):
                parts.append(Block((gap(c),), 0))
        lines.extend(hstack(parts).lines)
        if tall and r + 1 < len(rows):
            lines.append("")
    # An align whose left column is empty everywhere would start every line with a space.
    indent = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    lines = [line[indent:].rstrip() for line in lines]
    return Block(tuple(lines), (len(lines) - 1) // 2)
