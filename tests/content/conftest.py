"""Fixtures for the content tests (helpers live in :mod:`tests.content.helpers`)."""

from __future__ import annotations

import pytest

from tests.content.helpers import make_pack


@pytest.fixture
def pack(tmp_path):
    """``pack(files)`` -> a fresh content folder (see :func:`make_pack`)."""
    count = iter(range(1000))
    return lambda files=None: make_pack(tmp_path, files, name=f"pack{next(count)}")
