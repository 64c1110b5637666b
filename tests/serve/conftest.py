"""The hosting tests need the 'serve' extra (and the end-to-end ones the OpenSSH client)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("asyncssh", reason="pip install '.[test]' brings asyncssh")

from tests.serve.helpers import authorize, make_key  # noqa: E402


@pytest.fixture
def keyed_class(tmp_path: Path):
    """A class folder with keys for alice and bob (and a stranger's key that is not listed)."""
    class_dir = tmp_path / "class"
    keys = tmp_path / "keys"
    keys.mkdir()
    found = {name: make_key(keys, name) for name in ("alice", "bob", "mallory")}
    authorize(class_dir, "alice", found["alice"])
    authorize(class_dir, "bob", found["bob"])
    return class_dir, found
