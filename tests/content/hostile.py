"""A hostile course corpus: packs that each attack the loader one way, built fresh for a test.

FIFOs, device links and links out of the folder cannot live in git, so each case is a function
that turns a copy of the valid fixture pack into the hostile one. ``expect`` is what the refusal
says and ``line`` the line it must point at (None: the whole file is refused, "file: message").
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tests.content.helpers import CONCEPT, make_pack

QUIZ = f"{CONCEPT}/quiz.yaml"
LESSON = f"{CONCEPT}/lesson.yaml"
ESC_PROMPT = "    prompt: \"Title \x1b]0;pwned\x07 and \x1b[?1049l gone\"\n"


@dataclass(frozen=True)
class Hostile:
    id: str
    build: Callable[[Path], None]  # makes the pack hostile (given its root)
    file: str  # the file the refusal names, relative to the pack
    expect: str  # part of the refusal's message
    line: int | None  # the line it names


def _replace(relative: str, link_to: str | None = None, text: str | None = None, fifo: bool = False):
    def build(root: Path) -> None:
        target = root / relative
        target.unlink()
        if link_to is not None:
            target.symlink_to(link_to)
        elif fifo:
            os.mkfifo(target)
        else:
            target.write_text(text or "", encoding="utf-8")

    return build


def _insert(relative: str, after: int, text: str):
    def build(root: Path) -> None:
        path = root / relative
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[after:after] = [text]
        path.write_text("".join(lines), encoding="utf-8")

    return build


def _secret(root: Path) -> str:
    secret = root.parent / "secret.yaml"
    secret.write_text("items: []\n", encoding="utf-8")
    return str(secret)


def _symlink_out(root: Path) -> None:
    _replace(QUIZ, link_to=_secret(root))(root)


def _folder_out(root: Path) -> None:
    outside = root.parent / "elsewhere"
    outside.mkdir(exist_ok=True)
    (root / "stolen").symlink_to(outside, target_is_directory=True)


BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)

CORPUS = [
    Hostile("symlink-out", _symlink_out, QUIZ, "outside the content folder", None),
    Hostile("folder-symlink-out", _folder_out, "stolen", "outside the content folder", None),
    Hostile("dev-zero", _replace(QUIZ, link_to="/dev/zero"), QUIZ, "outside the content folder", None),
    Hostile("fifo", _replace(QUIZ, fifo=True), QUIZ, "is not a regular file (a FIFO)", None),
    Hostile("escape-sequences", _insert(QUIZ, 2, ESC_PROMPT), QUIZ, "ESC (U+001B) in the text", 3),
    Hostile("yaml-escape", _replace(QUIZ, text='items:\n  - id: esc\n    prompt: "clear \\e[2J screen"\n'), QUIZ,
            "ESC (U+001B) in the text", 3),
    Hostile("bidi-override", _insert(LESSON, 0, "# \u202e reversed\n"), LESSON, "control character U+202E", 1),
    Hostile("huge-file", _replace(QUIZ, text="items:\n" + "  # padding\n" * 500_000), QUIZ, "file is too large", None),
    Hostile("alias-bomb", _replace(QUIZ, text=BILLION_LAUGHS), QUIZ, "anchors and aliases", 1),
    Hostile("deep-nesting", _replace(QUIZ, text="items: " + "[" * 200 + "]" * 200 + "\n"), QUIZ, "nested too deeply", 1),
    Hostile("unclosed-quote", _insert(QUIZ, 3, "    hints: ['never closed\n"), QUIZ, "the quote that opens here", 4),
]


def build(tmp_path: Path, case: Hostile) -> Path:
    root = make_pack(tmp_path, name=f"pack-{case.id}")
    case.build(root)
    return root
