"""Lesson blocks: one ``kind: value`` entry each, read into :class:`~tui_tutor.content.model.Block`.

The block kinds and their data are documented in ``docs/content-format.md``; ``data`` is plain
Python (a string, a list, or a dict) so screens can draw it without knowing YAML.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tui_tutor.content.model import BLOCK_KINDS, Block, Source
from tui_tutor.content.schema import Fields, FileReader, read_maps, read_point
from tui_tutor.content.yamlnodes import line_of, scalar_text, suggest


def read_blocks(reader: FileReader, fields: Fields, key: str, *, required: bool = True) -> tuple[Block, ...]:
    """A list of blocks; a plain string is accepted as a single ``text`` block."""
    node = fields.value(key)
    if node is None:
        if required:
            fields.missing(key)
        return ()
    if isinstance(node, ScalarNode):
        text = scalar_text(node) or ""
        return (Block("text", text, Source(reader.display, line_of(node))),)
    blocks = []
    for child in fields.sequence(key, required=required):
        block = read_block(reader, child)
        if block is not None:
            blocks.append(block)
    return tuple(blocks)


def read_block(reader: FileReader, node: Node) -> Block | None:
    """One block: a mapping with exactly one key naming its kind (``- text: ...``)."""
    line = line_of(node)
    if not isinstance(node, MappingNode) or len(node.value) != 1:
        reader.error(line, f"a block is one 'kind: value' entry, kind one of {', '.join(BLOCK_KINDS)}")
        return None
    key, value = node.value[0]
    kind = key.value
    if kind not in BLOCK_KINDS:
        reader.error(line, f"unknown block '{kind}'{suggest(kind, BLOCK_KINDS)}; use one of {', '.join(BLOCK_KINDS)}")
        return None
    before = reader.count
    data = _BLOCK_READERS[kind](reader, value, kind)
    if reader.count != before:
        return None
    return Block(kind, data, reader.source(node))


def _text_block(reader: FileReader, node: Node, kind: str):
    text = scalar_text(node)
    if text is None or not text.strip():
        reader.error(line_of(node), f"{kind}: expected text")
    return text


def _list_block(reader: FileReader, node: Node, kind: str):
    if not isinstance(node, SequenceNode) or not node.value:
        reader.error(line_of(node), f"{kind}: expected a list of text")
        return []
    out = []
    for child in node.value:
        text = scalar_text(child)
        if text is None:
            reader.error(line_of(child), f"{kind}: each entry should be text")
        out.append(text)
    return out


def _note_block(reader: FileReader, node: Node, kind: str):
    if isinstance(node, ScalarNode):
        return {"text": _text_block(reader, node, kind)}
    fields = reader.fields(node, kind, ("title", "text"))
    if fields is None:
        return None
    data = {"text": fields.text("text")}
    if fields.has("title"):
        data["title"] = fields.text("title")
    return data


def _table_block(reader: FileReader, node: Node, kind: str):
    fields = reader.fields(node, kind, ("header", "rows"))
    if fields is None:
        return None
    header = list(fields.texts("header", required=True))
    rows = []
    for row in fields.sequence("rows", required=True):
        if not isinstance(row, SequenceNode):
            reader.error(line_of(row), "table: each row is a list of cells: [a, b, c]")
            continue
        cells = [scalar_text(cell) for cell in row.value]
        if any(cell is None for cell in cells):
            reader.error(line_of(row), "table: each cell should be text")
        elif header and len(cells) != len(header):
            reader.error(line_of(row), f"table: this row has {len(cells)} cells but the header has {len(header)}")
        rows.append(cells)
    return {"header": header, "rows": rows}


def _shape_table_block(reader: FileReader, node: Node, kind: str):
    fields = reader.fields(node, kind, ("general", "maps"))
    if fields is None:
        return None
    general = fields.flag("general", default=False)
    if general == fields.has("maps"):
        reader.error(fields.line, "shape_table: give either general: true or maps: [...]")
        return None
    return {"general": True} if general else {"maps": read_maps(fields)}


def _jacobian_block(reader: FileReader, node: Node, kind: str):
    fields = reader.fields(node, kind, ("maps", "layer", "composite", "at", "label"))
    if fields is None:
        return None
    maps = read_maps(fields)
    data: dict = {"maps": maps}
    composite = fields.flag("composite", default=False)
    if fields.has("layer") == composite:
        reader.error(fields.line, "jacobian: give either layer: k (1 = innermost) or composite: true")
    if fields.has("layer"):
        data["layer"] = fields.integer("layer", low=1, high=max(1, len(maps)))
    else:
        data["composite"] = True
    if fields.has("at"):
        data["at"] = read_point(fields, "at")
    if fields.has("label"):
        data["label"] = fields.text("label")
    return data


def _graph_block(reader: FileReader, node: Node, kind: str):
    fields = reader.fields(node, kind, ("nodes", "edges", "title", "under", "labels"))
    if fields is None:
        return None
    nodes = list(fields.texts("nodes", required=True))
    edges = list(fields.texts("edges", required=True))
    data = {"nodes": nodes, "edges": edges}
    if len(nodes) < 2 or len(edges) != len(nodes) - 1:
        reader.error(fields.line, f"graph: {len(nodes)} nodes need {max(len(nodes) - 1, 1)} edges, not {len(edges)}")
    if fields.has("title"):
        data["title"] = fields.text("title")
    # Captions under the nodes ("input", "hidden"); 'labels' is the model's older name for them.
    for key in ("under", "labels"):
        if fields.has(key):
            captions = list(fields.texts(key))
            if len(captions) != len(nodes):
                fields.error(key, f"one caption per node: {len(nodes)}, not {len(captions)}")
            data["under"] = captions
    return data


_BLOCK_READERS = {
    "text": _text_block,
    "math": _text_block,
    "expr": _text_block,
    "list": _list_block,
    "steps": _list_block,
    "note": _note_block,
    "table": _table_block,
    "shape_table": _shape_table_block,
    "jacobian": _jacobian_block,
    "graph": _graph_block,
}
