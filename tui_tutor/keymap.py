"""Remapping keys: ``keys.yaml`` in the settings folder maps binding ids to keys.

    # ~/.local/share/tui-tutor/keys.yaml (or $TUI_TUTOR_HOME/keys.yaml)
    lesson-next: j
    lesson-prev: k
    quiz-hint: ctrl+y

Every binding in the tutor has an id (the ``?`` screen lists them); Textual's keymap replaces the
key of the binding with that id. The file is settings, and settings are untrusted input like course
files: it is read only if it is a small regular file, with the safe YAML loader, and every line is
checked before it is obeyed. A line is refused, with its line number, when its key is not a key
name (a key name is shown on screen, so an ESC in one would reach the terminal), when its id is no
binding's, when it gives a key that another binding on the same screen already answers to, or
when it takes Ctrl+Q, which always quits: binding every key to ``q`` cannot trap anyone.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

KEYMAP_FILE = "keys.yaml"
MAX_BYTES = 20_000
MAX_KEY_LENGTH = 40
QUIT_KEY = "ctrl+q"  # Textual's own priority binding: quits from anywhere, a text field included
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# Where the tutor's bindings are declared, screen by screen (app-wide bindings join every screen).
SCREEN_MODULES = (
    "tui_tutor.screens.lesson", "tui_tutor.screens.scratchpad", "tui_tutor.screens.quiz",
    "tui_tutor.screens.mastery", "tui_tutor.screens.keys",
)  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One ``id: keys`` line of keys.yaml."""

    binding_id: str
    keys: str
    line: int


def read_keymap(home: Path) -> tuple[dict[str, str], str | None]:
    """The keymap in ``home`` (empty when there is none) and a problem to show, if any.

    Every line is checked: its form and key name (:func:`read_lines`), then its id and whether its
    key collides with another binding (:func:`check_keymap`, which imports the screens to know
    their bindings: only done when there is a keys.yaml).
    """
    lines, problems = read_lines(home)
    keymap: dict[str, str] = {}
    if lines:
        keymap, more = check_keymap(lines)
        problems += more
    return keymap, summary(home, problems)


def read_lines(home: Path) -> tuple[list[Line], list[str]]:
    """The well-formed lines of keys.yaml, and one ``keys.yaml:N: ...`` problem per refused line."""
    from tui_tutor.content.yamlnodes import NodeLoader
    from tui_tutor.safefile import read_regular_file
    from tui_tutor.safetext import first_control, visible

    path = home / KEYMAP_FILE
    if not (path.exists() or path.is_symlink()):
        return [], []
    raw, problem = read_regular_file(path, None, MAX_BYTES)
    if problem is not None:
        return [], [f"{KEYMAP_FILE}: {problem}; the keymap was ignored"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [f"{KEYMAP_FILE}: not UTF-8 text; the keymap was ignored"]
    import yaml
    from yaml.nodes import MappingNode, ScalarNode

    index = first_control(text)
    if index is not None:
        line = text[:index].count("\n") + 1
        return [], [f"{KEYMAP_FILE}:{line}: a control character; the keymap was ignored"]
    try:
        root = yaml.compose(text, Loader=NodeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        return [], [f"{KEYMAP_FILE}{where}: not valid YAML; the keymap was ignored"]
    if root is None:
        return [], []
    if not isinstance(root, MappingNode):
        return [], [f"{KEYMAP_FILE}: write one 'binding-id: key' per line; the keymap was ignored"]
    lines: list[Line] = []
    problems: list[str] = []
    for key_node, value_node in root.value:
        number = key_node.start_mark.line + 1
        if not (isinstance(key_node, ScalarNode) and isinstance(value_node, ScalarNode)):
            problems.append(f"{KEYMAP_FILE}:{number}: write 'binding-id: key'")
            continue
        binding_id, keys = key_node.value.strip(), value_node.value.strip()
        if any(first_control(v) is not None for v in (key_node.value, value_node.value)):
            problems.append(f"{KEYMAP_FILE}:{number}: a control character")
            continue
        bad = key_problem(keys)
        if bad:
            problems.append(f"{KEYMAP_FILE}:{number}: {visible(binding_id, 40)}: {bad}")
            continue
        lines.append(Line(binding_id, keys, number))
    return lines, problems


def key_problem(keys: str) -> str | None:
    """Why ``keys`` (``j`` or ``ctrl+y`` or ``n,right``) is not a list of key names, or None."""
    from textual.keys import Keys, key_to_character

    from tui_tutor.safetext import visible

    if not keys or len(keys) > MAX_KEY_LENGTH:
        return f"give a key (at most {MAX_KEY_LENGTH} characters), such as j or ctrl+y"
    named = {k.value for k in Keys}
    for key in (k.strip() for k in keys.split(",")):
        *mods, base = key.split("+") if len(key) > 1 else [key]
        if not base or any(m not in MODIFIERS for m in mods):
            return f"'{visible(key, 40)}' is not a key name; use forms like j, ctrl+y, shift+tab, f5"
        single = len(base) == 1 and base.isprintable() and not base.isspace()
        # Long names of characters ("question_mark", "plus") stand for a key on the keyboard;
        # Unicode would also accept any character's name ("banana" is U+1F34C).
        spelled = key_to_character(base) if base.isascii() and len(base) > 1 else None
        if not (single or base in named or (spelled is not None and spelled.isascii())):
            return f"'{visible(key, 40)}' is not a key name; use forms like j, ctrl+y, shift+tab, f5"
        if key.lower() == QUIT_KEY:
            return f"{QUIT_KEY} is kept for quitting (it always quits, so no keymap can trap you)"
    return None


def binding_scopes() -> dict[str, dict[str, str]]:
    """For each screen, its bindings with ids (the app's own included): ``{screen: {id: keys}}``."""
    from textual.binding import Binding

    from tui_tutor.app import TutorApp

    def ids(classes) -> dict[str, str]:
        out: dict[str, str] = {}
        for cls in classes:
            for binding in getattr(cls, "BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    out[binding.id] = binding.key
        return out

    app_bindings = ids([TutorApp])
    scopes = {"everywhere": app_bindings}
    for name in SCREEN_MODULES:
        module = importlib.import_module(name)
        classes = [c for c in vars(module).values() if isinstance(c, type) and c.__module__ == name]
        scopes[name.rsplit(".", 1)[1]] = {**app_bindings, **ids(classes)}
    return scopes


def check_keymap(lines: list[Line], scopes: dict[str, dict[str, str]] | None = None) -> tuple[dict[str, str], list[str]]:
    """The lines that may be obeyed, and a problem for each refused line (unknown id, conflict)."""
    from textual.keys import _character_to_key

    from tui_tutor.safetext import visible

    scopes = binding_scopes() if scopes is None else scopes
    known = {binding_id for scope in scopes.values() for binding_id in scope}
    problems: list[str] = []
    wanted: dict[str, Line] = {}
    for line in lines:
        if line.binding_id not in known:
            problems.append(f"{KEYMAP_FILE}:{line.line}: no binding has the id '{visible(line.binding_id, 40)}' "
                            "(the ? screen lists them)")
        else:
            wanted[line.binding_id] = line

    def normal(keys: str) -> set[str]:
        return {_character_to_key(k) if len(k) == 1 else k.lower() for k in (k.strip() for k in keys.split(","))}

    refused: set[str] = set()
    changed = True
    while changed:  # refusing one line can bring back a default key that another line collides with
        changed = False
        for scope, bindings in scopes.items():
            current = {i: (wanted[i].keys if i in wanted and i not in refused else keys) for i, keys in bindings.items()}
            owners: dict[str, list[str]] = {}
            for binding_id, keys in current.items():
                for key in normal(keys):
                    owners.setdefault(key, []).append(binding_id)
            for key, ids in owners.items():
                remapped = [i for i in ids if i in wanted and i not in refused]
                if len(ids) > 1 and remapped:
                    for binding_id in remapped:
                        others = ", ".join(sorted(i for i in ids if i != binding_id))
                        refused.add(binding_id)
                        problems.append(f"{KEYMAP_FILE}:{wanted[binding_id].line}: {binding_id}: "
                                        f"'{visible(key, 40)}' is already {others}'s key on the {scope} screen; "
                                        "this line was not used")
                    changed = True
    keymap = {i: line.keys for i, line in wanted.items() if i not in refused}
    return keymap, list(dict.fromkeys(problems))


def summary(home: Path, problems: list[str]) -> str | None:
    """One notice for the problems of keys.yaml (the first few, and how many)."""
    if not problems:
        return None
    head = "; ".join(problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    from tui_tutor.safetext import visible

    return f"{visible(str(home / KEYMAP_FILE), 80)}: {len(problems)} problem(s), not used: {head}{more}"
