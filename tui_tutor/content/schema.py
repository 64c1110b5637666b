"""Reading composed YAML nodes field by field, reporting every problem at its line.

:class:`FileReader` collects the errors of one file; :class:`Fields` reads one mapping and knows
which keys it may have, so a typo (``answr:``) is reported with a suggestion instead of being
silently ignored. Readers never stop at the first problem: a bad value is reported and replaced
by a default so the rest of the file is still read (and checked).

Also here: the shared pieces of the format — problems, maps, points — that several files use
(blocks are in :mod:`tui_tutor.content.block_schema`).
No sympy: expressions are only checked for shape here; ``check.py`` sends them to the engine.
"""

from __future__ import annotations

import re
from typing import Sequence

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tui_tutor.content.errors import ContentError
from tui_tutor.content.model import Source
from tui_tutor.content.yamlnodes import (
    BOOL,
    FLOAT,
    INT,
    field_lines,
    is_null,
    line_of,
    scalar_text,
    scalar_value,
    suggest,
)

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}\Z")
VARIABLE_PATTERN = re.compile(r"[A-Za-z]{1,8}[0-9]{0,2}\Z")
MAX_LAYERS = 4  # as in engine.layers; repeated here because that module is the engine's


class FileReader:
    """The errors of one file, and :class:`Source` objects pointing into it."""

    def __init__(self, display: str, errors: list[ContentError]):
        self.display = display
        self.errors = errors
        self.count = 0  # errors reported by this reader; compare before/after to see if a part was clean

    def error(self, line: int | None, message: str) -> None:
        self.count += 1
        self.errors.append(ContentError(self.display, line, message))

    def source(self, node: Node) -> Source:
        return Source(self.display, line_of(node), field_lines(node))

    def fields(self, node: Node | None, what: str, known: Sequence[str]) -> Fields | None:
        """A mapping's fields, or None (with an error) when the node is not a mapping."""
        if not isinstance(node, MappingNode):
            line = line_of(node) if node is not None else None
            self.error(line, f"{what} should be a mapping of 'key: value' lines")
            return None
        return Fields(self, node, what, known)


class Fields:
    """One YAML mapping, read key by key. Unknown keys are reported when it is created."""

    def __init__(self, reader: FileReader, node: MappingNode, what: str, known: Sequence[str]):
        self.reader = reader
        self.node = node
        self.what = what
        self.items = {key.value: (key, value) for key, value in node.value}
        for name, (key, _) in self.items.items():
            if name not in known:
                reader.error(line_of(key), f"{what}: unknown key '{name}'{suggest(name, known)}")

    @property
    def line(self) -> int:
        return line_of(self.node)

    def has(self, key: str) -> bool:
        return key in self.items and not is_null(self.items[key][1])

    def line_of(self, key: str) -> int:
        return line_of(self.items[key][0]) if key in self.items else self.line

    def value(self, key: str) -> Node | None:
        return self.items[key][1] if self.has(key) else None

    def error(self, key: str, message: str) -> None:
        self.reader.error(self.line_of(key), f"{key}: {message}")

    def missing(self, key: str) -> None:
        self.reader.error(self.line, f"{self.what} has no '{key}'")

    # --- scalars ---------------------------------------------------------------------------------

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        """Text as written; a plain number or yes/no is taken as its text ("3", "yes")."""
        node = self.value(key)
        if node is None:
            if required:
                self.missing(key)
            return default
        text = scalar_text(node)
        if text is None:
            self.error(key, "expected text, not a list or mapping (put it in quotes?)")
            return default
        if required and not text.strip():
            self.error(key, "is empty")
        return text

    def ident(self, key: str = "id") -> str:
        value = self.text(key)
        if value and not ID_PATTERN.match(value):
            self.error(key, f"'{value}' is not a usable id: letters, digits, '-', '_' or '.', at most 80")
        return value

    def integer(self, key: str, *, default: int | None = None, low: int | None = None,
                high: int | None = None, required: bool = False) -> int | None:
        node = self.value(key)
        if node is None:
            if required:
                self.missing(key)
            return default
        value = as_int(node)
        if value is None:
            self.error(key, "expected a whole number")
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(key, f"must be {_range_text(low, high)}, not {value}")
            return default
        return value

    def number(self, key: str, *, default: float, low: float, high: float) -> float:
        node = self.value(key)
        if node is None:
            return default
        if not isinstance(node, ScalarNode) or node.tag not in (INT, FLOAT):
            self.error(key, "expected a number")
            return default
        value = float(scalar_value(node))
        if not low < value <= high:
            self.error(key, f"must be greater than {low:g} and at most {high:g}, not {value:g}")
            return default
        return value

    def flag(self, key: str, *, default: bool) -> bool:
        node = self.value(key)
        if node is None:
            return default
        if not isinstance(node, ScalarNode) or node.tag != BOOL:
            self.error(key, "expected true or false")
            return default
        return bool(scalar_value(node))

    def choice(self, key: str, options: Sequence[str], *, default: str | None = None) -> str:
        value = self.text(key, required=default is None, default=default or "")
        if value and value not in options:
            self.error(key, f"'{value}' is not one of {', '.join(options)}{suggest(value, options)}")
            return default or ""
        return value

    # --- lists -----------------------------------------------------------------------------------

    def sequence(self, key: str, *, required: bool = False) -> list[Node]:
        node = self.value(key)
        if node is None:
            if required:
                self.missing(key)
            return []
        if not isinstance(node, SequenceNode):
            self.error(key, "expected a list (lines starting with '- ', or [a, b])")
            return []
        if required and not node.value:
            self.error(key, "is an empty list")
        return list(node.value)

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        out = []
        for child in self.sequence(key, required=required):
            text = scalar_text(child)
            if text is None or not text.strip():
                self.reader.error(line_of(child), f"{key}: each entry should be text")
                continue
            out.append(text)
        return tuple(out)

    def idents(self, key: str) -> tuple[str, ...]:
        out = []
        for value in self.texts(key):
            if ID_PATTERN.match(value):
                out.append(value)
            else:
                self.error(key, f"'{value}' is not a usable id")
        return tuple(out)

    def variables(self, key: str = "variables") -> tuple[str, ...]:
        out = []
        for value in self.texts(key):
            if VARIABLE_PATTERN.match(value):
                out.append(value)
            else:
                self.error(key, f"'{value}' is not a variable name (a letter or word, then up to two digits)")
        return tuple(out)


def as_int(node: Node) -> int | None:
    if isinstance(node, ScalarNode) and node.tag == INT:
        return int(scalar_value(node))
    return None


def _range_text(low, high) -> str:
    if low is not None and high is not None:
        return f"{low} to {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


# --- problems -------------------------------------------------------------------------------------

PROBLEM_KEYS = ("maps", "ask", "at", "dx", "seed", "layer", "entry", "space")


def read_maps(fields: Fields) -> list[str]:
    """``maps:``: one text per layer, innermost first (1 to 4 layers)."""
    maps = list(fields.texts("maps", required=True))
    if len(maps) > MAX_LAYERS:
        fields.error("maps", f"a composition has 1 to {MAX_LAYERS} maps, not {len(maps)}")
    return maps


def read_point(fields: Fields, key: str) -> list[str]:
    """A point as texts, exactly as written (``0.1`` stays "0.1", so it is read as 1/10)."""
    node = fields.value(key)
    if node is None:
        return []
    if isinstance(node, ScalarNode):
        text = scalar_text(node) or ""
        return [part.strip() for part in text.split(",")]
    out = []
    for child in fields.sequence(key):
        text = scalar_text(child)
        if text is None:
            fields.reader.error(line_of(child), f"{key}: each coordinate should be a number")
            continue
        out.append(text)
    return out


def read_problem(reader: FileReader, fields: Fields, key: str = "problem") -> dict | None:
    """``problem:`` as the plain dict :func:`engine.problems.problem_from_dict` reads."""
    node = fields.value(key)
    if node is None:
        return None
    inner = reader.fields(node, key, PROBLEM_KEYS)
    if inner is None:
        return None
    problem: dict = {"maps": read_maps(inner), "ask": inner.text("ask", required=False, default="jacobian")}
    for name in ("at", "dx", "seed"):
        if inner.has(name):
            problem[name] = read_point(inner, name)
    for name, low in (("layer", 1), ("space", 0)):
        if inner.has(name):
            problem[name] = inner.integer(name, low=low)
    if inner.has("entry"):
        entry = [as_int(child) for child in inner.sequence("entry")]
        if len(entry) != 2 or any(v is None or v < 1 for v in entry):
            inner.error("entry", "expected [i, j]: output i, input j, both counted from 1")
        else:
            problem["entry"] = entry
    return problem
