"""Remapping keys: ``keys.yaml`` in the settings folder maps binding ids to keys.

    # ~/.local/share/tui-tutor/keys.yaml (or $TUI_TUTOR_HOME/keys.yaml)
    lesson-next: j
    lesson-prev: k
    quiz-hint: ctrl+y

Every binding in the tutor has an id (the ``?`` screen lists them); Textual's keymap replaces the
key of the binding with that id. The file is read with the safe YAML loader; anything that is not a
mapping of short strings is reported, not obeyed.
"""

from __future__ import annotations

from pathlib import Path

KEYMAP_FILE = "keys.yaml"
MAX_BYTES = 20_000


def read_keymap(home: Path) -> tuple[dict[str, str], str | None]:
    """The keymap in ``home`` (empty when there is none) and a problem to show, if any."""
    path = home / KEYMAP_FILE
    if not path.is_file():
        return {}, None
    try:
        import yaml

        if path.stat().st_size > MAX_BYTES:
            return {}, f"{path} is too large to be a keymap; it was ignored"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        return {}, f"could not read {path}: {err}"
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        return {}, f"{path}{where}: not valid YAML; the keymap was ignored"
    if data is None:
        return {}, None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) < 40 for k, v in data.items()
    ):
        return {}, f"{path}: write one 'binding-id: key' per line; the keymap was ignored"
    return dict(data), None
