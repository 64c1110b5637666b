"""A composition drawn as boxes and arrows, with the Jacobians on the arrows: x →(Dg)→ u →(Df)→ y."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.widgets import Static


def graph_lines(
    nodes: Sequence[str], edges: Sequence[str], *, under: Sequence[str] = (), ascii: bool = False
) -> list[str]:
    """Three text rows: edge labels above the arrows, boxed nodes joined by arrows, notes below."""
    if ascii:
        tl, tr, bl, br, h, v, head = "+", "+", "+", "+", "-", "|", ">"
    else:
        tl, tr, bl, br, h, v, head = "┌", "┐", "└", "┘", "─", "│", "▶"
    tops, mids, bots, notes = [], [], [], []
    for index, node in enumerate(nodes):
        width = len(node) + 2
        tops.append(f"{tl}{h * width}{tr}")
        mids.append(f"{v} {node} {v}")
        bots.append(f"{bl}{h * width}{br}")
        notes.append(under[index] if index < len(under) else "")
    arrows = []
    for edge in edges:
        length = max(len(edge) + 2, 5)
        arrows.append((edge.center(length), h * (length - 1) + head))
    rows = ["", "", "", "", ""]
    for index in range(len(nodes)):
        box_width = len(tops[index])
        rows[0] += " " * box_width
        rows[1] += tops[index]
        rows[2] += mids[index]
        rows[3] += bots[index]
        rows[4] += notes[index].center(box_width)[:box_width] if notes[index] else " " * box_width
        if index < len(arrows):
            label, arrow = arrows[index]
            gap = len(arrow) + 2
            rows[0] += " " + label + " "
            rows[1] += " " * gap
            rows[2] += " " + arrow + " "
            rows[3] += " " * gap
            rows[4] += " " * gap
    # The edge labels sit on the row above the boxes, centred over each arrow.
    rows[1], rows[0] = _merge(rows[0], rows[1]), ""
    out = [rows[1], rows[2], rows[3]]
    if any(notes):
        out.append(rows[4])
    return [line.rstrip() for line in out]


def _merge(labels: str, boxes: str) -> str:
    width = max(len(labels), len(boxes))
    labels, boxes = labels.ljust(width), boxes.ljust(width)
    return "".join(b if b != " " else l for l, b in zip(labels, boxes))


def compact_lines(nodes: Sequence[str], edges: Sequence[str], width: int, *, ascii: bool = False) -> list[str]:
    """The same graph without boxes, ``x ──W──▶ a ──...``, broken onto more lines when narrow."""
    h, head = ("-", ">") if ascii else ("─", "▶")
    lines, line = [], nodes[0] if nodes else ""
    for edge, node in zip(edges, nodes[1:]):
        piece = f" {h}{h}{edge}{h}{h}{head} {node}"
        if len(line) + len(piece) > width and line.strip():
            lines.append(line)
            line = "  " + piece.lstrip()
        else:
            line += piece
    lines.append(line)
    return lines


class CompositionGraph(Static):
    """x → u → y with the Jacobian of each map on its arrow; boxes when there is room."""

    DEFAULT_CSS = """
    CompositionGraph { width: 1fr; height: auto; margin: 0 0 1 2; text-wrap: nowrap; }
    """

    def __init__(self, nodes: Sequence[str], edges: Sequence[str], *, under: Sequence[str] = (), ascii: bool = False):
        self.nodes, self.edges, self.under, self.ascii = list(nodes), list(edges), list(under), ascii
        self.boxed = graph_lines(nodes, edges, under=under, ascii=ascii)
        super().__init__(Text("\n".join(self.boxed), no_wrap=True))

    def on_resize(self) -> None:
        width = self.size.width
        if not width or max((len(line) for line in self.boxed), default=0) <= width:
            self.update(Text("\n".join(self.boxed), no_wrap=True))
        else:
            self.update(Text("\n".join(compact_lines(self.nodes, self.edges, width, ascii=self.ascii)), no_wrap=True))
