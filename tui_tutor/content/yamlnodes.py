"""Safe YAML for course content: composed nodes (with their lines), never constructed objects.

PyYAML's ``compose`` stops before construction, so no tag can run code: ``!!python/object/apply``
is just a node with an odd tag, which :func:`read_yaml` reports as an error at its line. Every node
keeps ``start_mark.line``, so each field the schema reads can be traced to the line a teacher wrote.
Sizes are bounded before anything is read further (a pack may come from anyone).
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tui_tutor.safefile import read_regular_file
from tui_tutor.safetext import first_control, visible
from tui_tutor.safetext import name as control_name

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


def read_yaml(path: Path, root: Path | None = None) -> tuple[Node | None, list[Problem]]:
    """Compose one YAML file into nodes, or report why it cannot be used.

    Errors here are fatal for the file (not a regular file inside ``root``, size, a control
    character, syntax, a non-data tag, an alias): the schema is not read when any are found.
    """
    raw, problem = read_regular_file(path, root, MAX_FILE_BYTES)
    if problem is not None:
        return None, [Problem(None, problem)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [Problem(line, "the file is not UTF-8 text; save it as UTF-8")]
    controls = control_problems(text)
    if controls:
        return None, controls
    try:
        node = yaml.compose(text, Loader=NodeLoader)
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_problem(err, text)]
    except yaml.reader.ReaderError as err:  # a character YAML refuses, found by offset: say its line
        line = text[: err.position].count("\n") + 1 if isinstance(err.position, int) else None
        return None, [Problem(line, f"character U+{err.character if isinstance(err.character, int) else 0:04X} is not allowed in YAML text")]
    except yaml.YAMLError as err:
        return None, [Problem(None, f"YAML syntax error: {visible(' '.join(str(err).split()), 200)}")]
    except RecursionError:
        return None, [Problem(None, f"nested too deeply (the limit is {MAX_DEPTH} levels)")]
    if node is None:
        return None, [Problem(1, "the file is empty")]
    problems: list[Problem] = []
    _screen(node, problems)
    return (None if problems else node), problems


def control_problems(text: str, limit: int = 20) -> list[Problem]:
    """One problem per line of ``text`` that holds a control character (ESC, BEL, bidi overrides...).

    They would reach the terminal raw: ``ESC ] 0 ;`` retitles the window, ``ESC [ ? 1049 l`` breaks
    the screen. Reported by line (PyYAML itself would stop at the first with a character offset).
    """
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        index = first_control(line.removesuffix("\r"))
        if index is not None:
            problems.append(Problem(number, f"{control_name(line[index])} in the text (column {index + 1}); "
                                            "course text cannot hold control characters"))
            if len(problems) >= limit:
                break
    return problems


def _syntax_problem(err: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = (err.problem or err.context or "syntax error").strip()
    context = (err.context or "").strip()
    if "end of stream" in problem and "quoted scalar" in context and err.context_mark is not None:
        # The parser only notices at the end of the file; the mistake is where the quote opened.
        return Problem(err.context_mark.line + 1, "YAML syntax error: the quote that opens here is never closed")
    runaway = _runaway_quote(text, line)
    if runaway is not None:
        return runaway
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


_KEY_LINE = re.compile(r"\n\s*(?:- )?[A-Za-z_][\w-]*:(?:\s|$)")


def _runaway_quote(text: str, error_line: int | None) -> Problem | None:
    """A quote left open that swallowed the lines after it, up to the next quote character.

    YAML only notices where that string finally ends (``prompt: "ok"`` three lines further on),
    so its own error points at the wrong line; the mistake is where the quote opened.
    """
    if error_line is None:
        return None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line + 1 > error_line:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ("'", '"')
                    and token.start_mark.line != token.end_mark.line
                    and _KEY_LINE.search(text[token.start_mark.index: token.end_mark.index])):
                # The first quoted string that ran over lines that look like keys is where it started.
                return Problem(token.start_mark.line + 1, "YAML syntax error: the quote that opens here is not "
                                                          f"closed on its line; it runs on to line {token.end_mark.line + 1}")
    except yaml.YAMLError:
        pass
    return None


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
            index = first_control(node.value)
            if index is not None:  # written as an escape ("\e", "\x1b") in a quoted string
                line = line_of(node) + (node.value[:index].count("\n") if node.style in (None, "|") else 0)
                problems.append(Problem(line, f"{control_name(node.value[index])} in the text; "
                                              "course text cannot hold control characters"))
                continue
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
            if isinstance(key, ScalarNode) and first_control(key.value) is not None:
                problems.append(Problem(line_of(key), "a key holds a control character; course text cannot hold them"))
                continue
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
