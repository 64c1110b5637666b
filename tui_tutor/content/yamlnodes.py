"""Safe YAML for course content: composed nodes (with their lines), never constructed objects.

PyYAML's ``compose`` stops before construction, so no tag can run code: ``!!python/object/apply``
is just a node with an odd tag, which :func:`read_yaml` reports as an error at its line. Every node
keeps ``start_mark.line``, so each field the schema reads can be traced to the line a teacher wrote.
Sizes are bounded before anything is read further (a pack may come from anyone).
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_FILE_BYTES = 1_000_000
MAX_STRING = 20_000  # characters in one scalar
MAX_LIST = 500  # entries in one list, or keys in one mapping
MAX_DEPTH = 16  # nesting of lists and mappings
MAX_NODES = 100_000  # in one file

_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
MAP, SEQ, TIMESTAMP = _TAG + "map", _TAG + "seq", _TAG + "timestamp"
_SCALAR_TAGS = {STR, INT, FLOAT, BOOL, NULL, TIMESTAMP}  # an unquoted date is read as its text
_ALLOWED_TAGS = {ScalarNode: _SCALAR_TAGS, SequenceNode: {SEQ}, MappingNode: {MAP}}
_KEY_TAGS = {STR, INT, FLOAT, BOOL, NULL}

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~5x faster


class NodeLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, used only to compose: nodes keep ``start_mark.line`` for every value."""


_constructor = yaml.constructor.SafeConstructor()  # for int/float/bool scalars only


@dataclass
class Problem:
    """An error found while reading a file: 1-based line (or None) and message."""

    line: int | None
    message: str


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_mark.line + 1


def read_yaml(path: Path) -> tuple[Node | None, list[Problem]]:
    """Compose one YAML file into nodes, or report why it cannot be used.

    Errors here are fatal for the file (syntax, size, a non-data tag, an alias): the schema is not
    read when any are found.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(None, f"file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})")]
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        return None, [Problem(None, f"cannot read the file: {err.strerror or err}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(None, f"file is too large (the limit is {MAX_FILE_BYTES} bytes)")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [Problem(line, "the file is not UTF-8 text; save it as UTF-8")]
    try:
        node = yaml.compose(text, Loader=NodeLoader)
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_problem(err, text)]
    except yaml.YAMLError as err:
        return None, [Problem(None, f"YAML syntax error: {err}")]
    except RecursionError:
        return None, [Problem(None, f"nested too deeply (the limit is {MAX_DEPTH} levels)")]
    if node is None:
        return None, [Problem(1, "the file is empty")]
    problems: list[Problem] = []
    _screen(node, problems)
    return (None if problems else node), problems


def _syntax_problem(err: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = (err.problem or err.context or "syntax error").strip()
    context = (err.context or "").strip()
    if "end of stream" in problem and "quoted scalar" in context and err.context_mark is not None:
        # The parser only notices at the end of the file; the mistake is where the quote opened.
        return Problem(err.context_mark.line + 1, "YAML syntax error: the quote that opens here is never closed")
    # Our own words for the common mistakes: the same with libyaml and with pure-Python PyYAML.
    lines = text.splitlines()
    source_line = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())]:
        return Problem(line, "YAML syntax error: a tab in the indentation; indent with spaces")
    if "mapping values are not allowed" in problem:
        return Problem(line, "YAML syntax error: unexpected ': '; put text that contains ': ' in quotes")
    if "cannot start any token" in problem and mark is not None and mark.column < len(source_line):
        char = source_line[mark.column]
        return Problem(line, f"YAML syntax error: a value cannot start with '{char}'; put this text in quotes")
    hint = ""
    if "expected ',' or '}'" in problem or "expected ',' or ']'" in problem:
        hint = "; text that starts with { or [ (such as {{a}}) must be in quotes"
    return Problem(line, f"YAML syntax error: {problem}{hint}")


def _screen(root: Node, problems: list[Problem]) -> None:
    """Refuse what content never needs: non-data tags, aliases, huge or deep structures."""
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            problems.append(Problem(line_of(node), "anchors and aliases (&name, *name) are not supported; write the value out"))
            continue
        seen.add(id(node))
        count += 1
        if count > MAX_NODES:
            problems.append(Problem(None, f"the file has too many values (the limit is {MAX_NODES})"))
            return
        if depth > MAX_DEPTH:
            problems.append(Problem(line_of(node), f"nested too deeply (the limit is {MAX_DEPTH} levels)"))
            continue
        if node.tag not in _ALLOWED_TAGS[type(node)]:
            problems.append(Problem(line_of(node), f"tag {_tag_name(node.tag)} is not allowed: content is plain data"))
            continue
        if isinstance(node, ScalarNode):
            if len(node.value) > MAX_STRING:
                problems.append(Problem(line_of(node), f"text is too long ({len(node.value)} characters; the limit is {MAX_STRING})"))
            continue
        if len(node.value) > MAX_LIST:
            size = f"list has {len(node.value)} entries" if isinstance(node, SequenceNode) else f"mapping has {len(node.value)} keys"
            problems.append(Problem(line_of(node), f"{size}; the limit is {MAX_LIST}"))
            continue
        if isinstance(node, SequenceNode):
            stack.extend((child, depth + 1) for child in reversed(node.value))
            continue
        keys: set[str] = set()
        for key, value in node.value:
            if not isinstance(key, ScalarNode) or key.tag not in _KEY_TAGS:
                problems.append(Problem(line_of(key), "a key must be a plain word; put text such as {{a}} in quotes"))
                continue
            if key.value in keys:
                problems.append(Problem(line_of(key), f"duplicate key '{key.value}'"))
            keys.add(key.value)
            stack.append((value, depth + 1))


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


# --- reading values -------------------------------------------------------------------------------


def is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and node.tag == NULL)


def scalar_text(node: Node) -> str | None:
    """A scalar's text as written (``3`` stays "3", ``yes`` stays "yes"); None for lists/maps/null."""
    if isinstance(node, ScalarNode) and node.tag != NULL:
        return node.value
    return None


def scalar_value(node: ScalarNode):
    """A scalar as Python data: str, int, float, bool or None (timestamps stay text)."""
    if node.tag == INT:
        return _constructor.construct_yaml_int(node)
    if node.tag == FLOAT:
        return _constructor.construct_yaml_float(node)
    if node.tag == BOOL:
        return _constructor.construct_yaml_bool(node)
    if node.tag == NULL:
        return None
    return node.value


def field_lines(node: Node, prefix: str = "", out: dict[str, int] | None = None) -> dict[str, int]:
    """Dotted paths inside a node -> line: ``answer``, ``hints.2``, ``problem.maps.0``.

    A mapping entry maps to its key's line (where ``answer:`` is written); a list entry to its own.
    """
    out = {} if out is None else out
    if isinstance(node, MappingNode):
        for key, value in node.value:
            path = f"{prefix}{key.value}"
            out[path] = line_of(key)
            field_lines(value, path + ".", out)
    elif isinstance(node, SequenceNode):
        for index, child in enumerate(node.value):
            path = f"{prefix}{index}"
            out[path] = line_of(child)
            field_lines(child, path + ".", out)
    return out


def suggest(word: str, choices) -> str:
    """``; did you mean 'answer'?`` when a close match exists."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f"; did you mean '{close[0]}'?" if close else ""


def display_path(path: Path, root: Path) -> str:
    """``content/multivariable-chain-rule/quiz.yaml``: relative to the content root's parent."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return os.fspath(path)
