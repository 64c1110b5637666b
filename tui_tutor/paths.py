"""Where tui-tutor reads its course and keeps its settings and progress.

Everything the tutor writes lives in one folder: ``$TUI_TUTOR_HOME`` when set, otherwise
platformdirs' user data directory. Nothing is written anywhere else.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP_NAME = "tui-tutor"
HOME_ENV = "TUI_TUTOR_HOME"


def home_dir() -> Path:
    """The settings-and-progress folder (not created here; the store creates it when it writes)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # imported late: only needed when no override is set

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def shipped_content_dir() -> Path:
    """The course that ships with the package.

    From an installed wheel it is the package data ``tui_tutor/_content``; from a source checkout
    (including an editable install) it is the ``content/`` folder beside the package.
    """
    packaged = resources.files("tui_tutor") / "_content"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "content"
    return checkout
