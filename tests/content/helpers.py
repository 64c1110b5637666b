"""Helpers for the content tests: a copy of the valid fixture pack with one file replaced.

Broken fixtures are whole YAML files under ``fixtures/broken/``; a test drops one into a copy of
``fixtures/valid/`` so that the only problems found are the ones the fixture was written to have.
Expected lines are looked up by a snippet of the line, so editing a fixture does not break them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
CONCEPT = "mini-chain"
BROKEN_QUIZ = FIXTURES / "broken" / "quiz-syntax-error.yaml"


def make_pack(tmp_path: Path, files: dict[str, str | Path] | None = None, name: str = "pack") -> Path:
    """A copy of the valid pack at ``tmp_path/name``; ``files`` maps a path inside it to new text
    (or to a fixture file to copy). A value of ``None`` deletes that file."""
    root = tmp_path / name
    shutil.copytree(VALID, root)
    for relative, content in (files or {}).items():
        target = root / relative
        if content is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def line_of(path: Path, snippet: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of ``path`` containing ``snippet``."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if snippet in line]
    assert len(hits) >= occurrence, f"{snippet!r} is not in {path}"
    return hits[occurrence - 1]


def where(root: Path, relative: str) -> str:
    """How an error names a file of the pack: relative to the pack's parent folder."""
    return f"{root.name}/{relative}"
