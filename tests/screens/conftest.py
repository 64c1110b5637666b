"""Fixtures for screen tests: a private home folder and a quiet, deterministic app."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Every test gets its own settings-and-progress folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("TUI_TUTOR_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home
