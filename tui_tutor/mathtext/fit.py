r"""Maths that fits the width it is given: the one width rule for every formula on the screen.

A display formula is tried in this order, and the first that fits is used:

1. drawn whole (stacked fractions, drawn matrices);
2. drawn, broken before its relations (``=``, ``≈``, ``→``) between whole pieces, each
   continuation line starting with its relation under the first one (and a new line after
   ``\quad``, which separates two statements);
3. on one line (matrices as ``[a, b; c, d]``, fractions as ``a/b``), whole, then broken the same
   way;
4. on one line, with a piece that is still too wide wrapped at its operators and commas.

A drawn matrix is never cut: a piece too wide to draw is written on one line instead. A matrix
whose entries arrive one by one (a Jacobian from the engine) is fitted by :func:`fit_matrix`:
entries on one line, entries wrapped inside their cells, or entry by entry. No sympy, no Textual.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Sequence

from tui_tutor.mathtext import layout, spacing
from tui_tutor.mathtext.block import Block, hstack, matrix_lines
from tui_tutor.mathtext.parse import Parser
from tui_tutor.mathtext.render import render_display, render_inline
from tui_tutor.mathtext.symbols import to_ascii
from tui_tutor.mathtext.tree import ALIGN_ENVS, CENTRED_ENVS, Env, Group, Node, Sym

HANG = 2  # the indent of a wrapped entry's or formula's continuation lines
MIN_CELL = 10  # a matrix column narrower than this is harder to read than the entries listed


class _Segment:
    """One piece of a row between relations (a plain class: a dataclass costs the first frame a
    millisecond to define)."""

    __slots__ = ("items", "rel", "new")

    def __init__(self, items: tuple, rel: bool, new: bool):
        self.items = items  # the nodes
        self.rel = rel  # starts with a relation: a continuation line may start with it
        self.new = new  # starts a new statement (after \quad): a fresh line at the left


# --- the public face -----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def fit_display(tex: str, width: int, *, ascii: bool = False, display: bool = True, lead: str = "") -> Block:
    """A formula laid out to be at most ``width`` columns wide (see the module docstring).

    ``display=False`` skips the drawn forms (for lines of a table, such as path tracing).
    ``lead`` is a label put before the first line (``via u₁:``); continuation lines line up
    under the formula's first relation. Only a formula with an unbreakable run of characters
    wider than ``width`` is ever wider. Never raises.
    """
    width = max(width, 1)
    try:
        rows = _rows(tex)
    except Exception:  # noqa: BLE001 - as render_display: a screen never crashes on maths
        return _wrapped_block(render_inline(tex, ascii=ascii), width, lead)
    if len(rows) > 1 and display:
        whole = render_display(tex, ascii=ascii)
        if len(lead) + whole.width <= width:
            return _with_lead(lead, whole)
    blocks: list[Block] = []
    column = None
    any_drawn = False
    memo: dict = {}  # the nodes stay alive while it is used, so their ids are theirs
    for k, items in enumerate(rows):
        segments = _segments(items)
        row_lead = lead if k == 0 else ""
        indent = column if (segments and segments[0].rel and column is not None) else 0
        # A row that starts with its relation lines up under the first row's; nearer the left
        # edge when it does not fit there.
        for start in sorted({indent, min(indent, 4), min(indent, HANG), 0}, reverse=True):
            block, first_column, drawn = _fit_row(segments, width, ascii, display, row_lead, start, memo)
            if block.width <= width:
                break
        if k == 0:
            column = first_column
        any_drawn = any_drawn or drawn
        blocks.append(block)
    return _stack(blocks, spaced=any_drawn)


def fit_matrix(entries: Sequence[Sequence[str]], width: int, *, ascii: bool = False) -> tuple[Block, bool]:
    """A matrix of LaTeX entries at most ``width`` wide, and whether it is drawn (True) or listed.

    Entries are written on one line each (``1/2``, not a stacked fraction: a Jacobian's rows stay
    one line tall where they can); entries too wide for their column are wrapped inside it at
    their operators; when even that leaves a column narrower than :data:`MIN_CELL`, or would cut
    an entry, the entries are listed one by one as ``(i,j)  entry``, each wrapped to the width.
    """
    return _fit_matrix(tuple(tuple(row) for row in entries), max(width, 1), ascii)


def wrap_text(text: str, width: int, *, hang: int = HANG) -> tuple[list[str], bool]:
    """One line of maths broken into lines of at most ``width``: before relations, after ``;``
    (between a matrix's rows), before ``+`` and ``−``, after commas, else at a space, preferring
    breaks outside brackets. Continuation lines are indented by ``hang``. Returns the lines and
    whether every break was clean: outside brackets, and no run cut for want of a space.
    """
    width = max(width, 1)
    lines: list[str] = []
    clean = True
    rest = text.strip()
    room = width
    while len(rest) > room:
        found = _best_break(rest, room)
        if found is None:
            at, clean = room, False
        else:
            at, depth = found
            clean = clean and depth == 0
        lines.append(rest[:at].rstrip())
        rest = rest[at:].lstrip()
        room = max(1, width - hang)
    lines.append(rest)
    return [lines[0]] + [" " * hang + line for line in lines[1:]], clean


# --- rows and segments ---------------------------------------------------------------------------


def _rows(tex: str) -> list[list[Node]]:
    """The lines a formula is written in: an aligned or gathered environment's rows (cells joined),
    rows separated by ``\\\\``, or the whole formula as one row."""
    root = Parser(tex).parse()
    if isinstance(root, Group) and not root.braces and len(root.items) == 1 and isinstance(root.items[0], Env):
        root = root.items[0]
    if isinstance(root, Env) and (root.name in ALIGN_ENVS or root.name in CENTRED_ENVS):
        return [[item for cell in row for item in cell.items] for row in layout._trimmed(root.rows)]
    return [root.items if isinstance(root, Group) and not root.braces else [root]]


def _is_rel(node) -> bool:
    return isinstance(node, Sym) and node.cls == "rel" or type(node).__name__ == "Arrow"


def _is_break_space(node) -> bool:
    return isinstance(node, Sym) and node.cls == "space" and len(node.uni) >= 2  # \quad, \qquad


def _segments(items: Sequence[Node]) -> list[_Segment]:
    """The row cut before each top-level relation; a \\quad starts a new statement."""
    segments: list[_Segment] = []
    current: list = []
    rel, new = False, False
    for node in items:
        if _is_break_space(node):
            if current:
                segments.append(_Segment(tuple(current), rel, new))
            current, rel, new = [], False, True
            continue
        if _is_rel(node) and any(not _is_space(n) for n in current):
            segments.append(_Segment(tuple(current), rel, new))
            current, new = [], False
        if not current:
            rel = _is_rel(node)
        current.append(node)
    if current:
        segments.append(_Segment(tuple(current), rel, new))
    return segments


def _is_space(node) -> bool:
    return isinstance(node, Sym) and node.cls == "space"


# --- rendering pieces ----------------------------------------------------------------------------


def _render(items: Sequence[Node], ascii: bool, display: bool, memo: dict | None = None) -> Block:
    """The nodes as a Block (drawn) or one line. ``memo`` remembers renderings within one fit:
    packing tries the same runs of segments again and again."""
    if memo is not None:
        key = (tuple(map(id, items)), display)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _render(items, ascii, display)
        return found
    ctx = layout.Ctx(ascii=ascii, display=display)
    if display:
        block = spacing.hjoin(layout.pieces(list(items), ctx))
        lines = tuple((to_ascii(line) if ascii else line).rstrip() for line in block.lines)
        return Block(lines, block.baseline)
    line = spacing.text(layout.pieces(list(items), ctx)).strip()
    return Block(((to_ascii(line) if ascii else line),), 0)


def _fit_row(segments: list[_Segment], width: int, ascii: bool, display: bool, lead: str,
             indent: int, memo: dict) -> tuple[Block, int | None, bool]:
    """One row in the first form that fits, the column its first relation is at, and whether it
    is drawn (taller than a line for a reason: fractions, matrices)."""
    if not segments:
        return _with_lead(lead, Block(("",), 0)), None, False
    items = [node for seg in segments for node in seg.items]
    for drawn in ((True, False) if display else (False,)):
        whole = _render(items, ascii, drawn, memo)
        if indent + len(lead) + whole.width <= width:
            block = _indent(_with_lead(lead, whole), indent)
            return block, _column(segments, ascii, drawn, indent + len(lead), memo), drawn and block.height > 1
        packed = _pack(segments, width, ascii, drawn, lead, indent, memo, wrap=False)
        if packed is not None:
            return packed, _column(segments, ascii, drawn, indent + len(lead), memo), drawn
    packed = _pack(segments, width, ascii, False, lead, indent, memo, wrap=True)
    return packed, _column(segments, ascii, False, indent + len(lead), memo), False


def _column(segments: Sequence[_Segment], ascii: bool, drawn: bool, start: int, memo: dict) -> int | None:
    """Where the first relation of a statement that starts at ``start`` is (continuation lines
    line up under it), or None when it has none."""
    if segments[0].rel:
        return start
    if len(segments) > 1 and segments[1].rel and not segments[1].new:
        return start + _render(segments[0].items, ascii, drawn, memo).width + 1
    return None


def _continuation(segments, statement: int, statement_start: int, width: int, render, ascii: bool,
                  drawn: bool, memo: dict) -> int:
    """The column every continuation line of a statement starts at: under its first relation when
    all of them fit there, else the widest indent that they all fit."""
    end = next((k for k in range(statement + 1, len(segments)) if segments[k].new), len(segments))
    # A segment too wide for any line is wrapped wherever it starts: it does not decide the indent.
    widths = [render([seg]).width for seg in segments[statement + 1:end]]
    widest = max((w for w in widths if w <= width), default=0)
    column = _column(segments[statement:end], ascii, drawn, statement_start, memo)
    for start in ((column,) if column is not None else ()) + (4, HANG):
        if start + widest <= width:
            return start
    return 0


def _pack(segments: list[_Segment], width: int, ascii: bool, drawn: bool, lead: str, indent: int,
          memo: dict, *, wrap: bool) -> Block | None:
    """Segments packed greedily into lines of at most ``width``; None when one does not fit on a
    line of its own (with ``wrap``, that segment's one-line form is wrapped instead)."""

    def render(segs: Sequence[_Segment]) -> Block:
        return _render([node for seg in segs for node in seg.items], ascii, drawn, memo)

    lines: list[Block] = []
    line: tuple[int, str, list[_Segment]] | None = None  # (start column, lead, segments)
    statement, statement_start = 0, indent + len(lead)  # where the current statement begins
    for k, seg in enumerate(segments):
        if line is not None and not seg.new:
            start, prefix, segs = line
            if start + len(prefix) + render(segs + [seg]).width <= width:
                segs.append(seg)
                continue
        if line is not None:
            lines.append(_indent(_with_lead(line[1], render(line[2])), line[0]))
            line = None
        if k == 0:
            start, prefix = indent, lead
        elif seg.new:
            start, prefix, statement, statement_start = 0, "", k, 0
        else:
            start, prefix = _continuation(segments, statement, statement_start, width, render, ascii, drawn, memo), ""
        if start + len(prefix) + render([seg]).width <= width:
            line = (start, prefix, [seg])
            continue
        if not wrap:
            return None
        text = _render(seg.items, ascii, False, memo).lines[0]
        pieces, _ = wrap_text(text, max(1, width - start - len(prefix)))
        pad = " " * start
        lines.append(Block(tuple(
            pad + (prefix if i == 0 else " " * len(prefix)) + piece for i, piece in enumerate(pieces)
        ), 0))
    if line is not None:
        lines.append(_indent(_with_lead(line[1], render(line[2])), line[0]))
    return _stack(lines, spaced=drawn)


# --- matrices ------------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _fit_matrix(entries: tuple[tuple[str, ...], ...], width: int, ascii: bool) -> tuple[Block, bool]:
    if not entries or not entries[0]:
        return Block(("[ ]",), 0), True
    texts = [[render_inline(e, ascii=ascii) for e in row] for row in entries]
    drawn = matrix_lines(texts, ascii=ascii)
    if drawn.width <= width:
        return drawn, True
    ncols = max(len(row) for row in texts)
    room = width - 2 - 3 * (ncols - 1)  # wrapped entries have spaces: matrix_lines sets them 3 apart
    natural = [max((len(row[c]) for row in texts if c < len(row)), default=0) for c in range(ncols)]
    cap = max(natural)
    while cap >= MIN_CELL and sum(min(n, cap) for n in natural) > room:
        cap -= 1
    if cap >= MIN_CELL:
        wrapped = [[wrap_text(text, cap) for text in row] for row in texts]
        if all(clean for row in wrapped for _, clean in row):
            # A wrapped entry is a left-aligned block as wide as its column, so its lines line up.
            widths = [max((len(line) for row in wrapped if c < len(row) for line in row[c][0]), default=0)
                      for c in range(ncols)]
            cells = [[Block(tuple(line.ljust(widths[c]) for line in lines), 0) for c, (lines, _) in enumerate(row)]
                     for row in wrapped]
            block = matrix_lines(cells, ascii=ascii)
            if block.width <= width:
                return block, True
    lines: list[str] = []
    for i, row in enumerate(texts, start=1):
        for j, text in enumerate(row, start=1):
            tag = f"({i},{j})  "
            wrapped, _ = wrap_text(text, width - len(tag), hang=0)
            lines += [tag + wrapped[0]] + [" " * len(tag) + line for line in wrapped[1:]]
    return Block(tuple(lines), 0), False


# --- breaking one line ---------------------------------------------------------------------------

_BEFORE = {" = ": 6, " ≈ ": 6, " → ": 6, " ~= ": 6, " -> ": 6, " + ": 4, " − ": 4, " - ": 4}
_AFTER = {"; ": 5, ", ": 3}
_OPEN, _CLOSE = "([{⟨", ")]}⟩"


def _best_break(text: str, room: int) -> tuple[int, int] | None:
    """Where to end the line that starts ``text`` (an index into it) and the bracket depth there,
    or None when no break fits. A break outside brackets beats any inside them."""
    candidates: list[tuple[int, int, int]] = []  # (score, index, depth)
    depth = 0
    for i, c in enumerate(text[: room + 1]):
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        if i == 0 or c != " ":
            continue
        score = 1
        for token, value in _BEFORE.items():
            if text.startswith(token, i):
                score = value
        for token, value in _AFTER.items():
            if text.startswith(token, i - len(token) + 1):
                score = max(score, value)
        candidates.append((score - 10 * depth, i, depth))
    if not candidates:
        return None
    # Not too early a break (a line of a few characters reads badly), unless that is all there is.
    good = [c for c in candidates if c[1] >= room // 3] or candidates
    score, index, depth = max(good)
    return index, depth


# --- stacking ------------------------------------------------------------------------------------


def _with_lead(lead: str, block: Block) -> Block:
    if not lead:
        return block
    return hstack([Block((lead,), 0), block]) if block.height > 1 else Block((lead + block.lines[0],), 0)


def _indent(block: Block, indent: int) -> Block:
    if indent <= 0:
        return block
    pad = " " * indent
    return Block(tuple(pad + line if line else line for line in block.lines), block.baseline)


def _stack(blocks: Sequence[Block], *, spaced: bool = True) -> Block:
    """Lines of a formula one under another; with ``spaced``, a blank line between drawn ones
    taller than a line, so the brackets of one never run into the next."""
    lines: list[str] = []
    baseline = 0
    for k, block in enumerate(blocks):
        if spaced and k and (block.height > 1 or blocks[k - 1].height > 1):
            lines.append("")
        if k == 0:
            baseline = block.baseline
        lines.extend(line.rstrip() for line in block.lines)
    return Block(tuple(lines), baseline)


def _wrapped_block(text: str, width: int, lead: str) -> Block:
    lines, _ = wrap_text(lead + text, width)
    return Block(tuple(lines), 0)


__all__ = ["HANG", "MIN_CELL", "fit_display", "fit_matrix", "wrap_text"]
