"""Turn a content block into the widget that shows it.

Blocks the course states (prose, display math, lists, tables, notes, graphs) are drawn at once.
Blocks the engine computes (a Jacobian, a shape table for given maps, an expression) appear with a
placeholder and fill in when the worker answers — the page never waits for sympy.
"""

from __future__ import annotations

import logging
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from tui_tutor.content.model import Block
from tui_tutor.engine.bounds import BLOCK
from tui_tutor.engine.render import shape_product_text, shape_text
from tui_tutor.mathtext import render_inline, render_prose
from tui_tutor.widgets.graph import CompositionGraph
from tui_tutor.widgets.mathview import DisplayMath, Prose
from tui_tutor.widgets.matrix import MatrixDisplay
from tui_tutor.widgets.note import NoteBox
from tui_tutor.widgets.shape_table import ShapeTable

log = logging.getLogger(__name__)

# The lesson's general table; names in the LaTeX subset, shapes as (rows, cols).
GENERAL_SHAPES = (
    (r"\mathbf{x}", "input", ("n", "1")),
    (r"\mathbf{u} = g(\mathbf{x})", "intermediate", ("m", "1")),
    (r"\mathbf{y} = f(\mathbf{u})", "output", ("p", "1")),
    (r"Dg(\mathbf{x})", "Jacobian of g at x", ("m", "n")),
    (r"Df(\mathbf{u})", "Jacobian of f at u", ("p", "m")),
    (r"D(f \circ g)(\mathbf{x})", "Jacobian of the composition", ("p", "n")),
)


def block_widget(block: Block, *, ascii: bool = False) -> Widget:
    """The widget for one block (an error line for an unknown kind, never an exception)."""
    kind, data = block.kind, block.data
    if kind == "text":
        return Prose(data, ascii=ascii)
    if kind == "math":
        return DisplayMath(data, ascii=ascii)
    if kind in ("list", "steps"):
        return Static(item_list(data, numbered=kind == "steps", ascii=ascii), classes="block-list")
    if kind == "note":
        if isinstance(data, str):
            return NoteBox(data, ascii=ascii)
        return NoteBox(data.get("text", ""), title=data.get("title", "Note"), ascii=ascii)
    if kind == "table":
        return Static(_table(data, ascii), classes="block-table")
    if kind == "graph":
        nodes = [render_inline(str(n), ascii=ascii) for n in data.get("nodes", [])]
        edges = [render_inline(str(e), ascii=ascii) for e in data.get("edges", [])]
        under = [render_inline(str(u), ascii=ascii) for u in data.get("under", [])]
        return CompositionGraph(nodes, edges, under=under, ascii=ascii)
    if kind == "shape_table":
        if data.get("general") or not data.get("maps"):
            rows = [
                (render_inline(name, ascii=ascii), meaning, shape_text(*shape, ascii=ascii))
                for name, meaning, shape in GENERAL_SHAPES
            ]
            check = shape_product_text([("p", "m"), ("m", "n")], ascii=ascii)
            return ShapeTable(rows, ascii=ascii, check=check)
        return ComputedShapeTable(data["maps"], ascii=ascii)
    if kind == "jacobian":
        return ComputedJacobian(data, ascii=ascii)
    if kind == "expr":
        return ComputedExpression(str(data), ascii=ascii)
    return Static(Text(f"[unknown block '{kind}']"), classes="block-error")


def item_list(items: Any, *, numbered: bool = False, ascii: bool = False) -> Table:
    """Bullets or numbers in a column of their own, so wrapped lines hang under the text."""
    bullet = "-" if ascii else "•"
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column()
    for index, item in enumerate(items or [], start=1):
        grid.add_row(f"{index}." if numbered else bullet, render_prose(str(item), ascii=ascii))
    return grid


def _table(data: dict, ascii: bool) -> Table:
    table = Table(box=box.ASCII if ascii else box.ROUNDED, expand=False)
    for head in data.get("header", []):
        table.add_column(render_prose(str(head), ascii=ascii))
    for row in data.get("rows", []):
        table.add_row(*(render_prose(str(cell), ascii=ascii) for cell in row))
    return table


class ComputedJacobian(MatrixDisplay):
    """A Jacobian block: the engine computes it from the block's maps."""

    def __init__(self, data: dict, *, ascii: bool = False):
        super().__init__("computing the Jacobian…" if not ascii else "computing the Jacobian...", ascii=ascii)
        self.data = data

    def on_mount(self) -> None:
        self.run_worker(self._load(), exclusive=True)

    async def _load(self) -> None:
        data = self.data
        try:
            view = await self.app.compute(
                "blocks.jacobian_view",
                list(data["maps"]),
                layer=data.get("layer"),
                composite=bool(data.get("composite")),
                at=data.get("at"),
                label=data.get("label") or None,
                bound=BLOCK,
            )
        except Exception as err:  # noqa: BLE001 - shown in place, logged in full
            log.warning("jacobian block failed", exc_info=True)
            self.show_error(f"could not compute this Jacobian: {err}")
            return
        self.show(view)


class ComputedShapeTable(ShapeTable):
    """A shape table for concrete maps, computed by the engine."""

    def __init__(self, maps: list[str], *, ascii: bool = False):
        super().__init__((), ascii=ascii)
        self.maps = maps

    def on_mount(self) -> None:
        self.run_worker(self._load(), exclusive=True)

    async def _load(self) -> None:
        try:
            rows, check = await self.app.compute("blocks.shape_rows", list(self.maps), ascii=self.ascii, bound=BLOCK)
        except Exception as err:  # noqa: BLE001
            log.warning("shape table failed", exc_info=True)
            self.remove_class("-pending")
            self.update(Text(f"could not compute the shapes: {err}"))
            return
        self.show([(r.name, r.meaning, r.shape) for r in rows], check)


class ComputedExpression(DisplayMath):
    """An expression block: the engine writes it in the course's LaTeX subset, laid out like
    the lesson's own display maths."""

    DEFAULT_CSS = """
    ComputedExpression.-pending { color: $text-muted; }
    """

    def __init__(self, text: str, *, ascii: bool = False):
        super().__init__("\\ldots", ascii=ascii, classes="-pending")
        self.text = text

    def on_mount(self) -> None:
        self.run_worker(self._load(), exclusive=True)

    async def _load(self) -> None:
        try:
            tex = await self.app.compute("blocks.expression_tex", self.text, bound=BLOCK)
        except Exception as err:  # noqa: BLE001 - shown in place, logged in full
            log.warning("expression block failed", exc_info=True)
            tex = f"\\text{{could not read this expression: {_tex_escape(str(err))}}}"
        self.remove_class("-pending")
        self.show(tex)


def _tex_escape(text: str) -> str:
    return "".join("\\" + c if c in "{}$%&_#\\" else c for c in text)
