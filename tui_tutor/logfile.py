"""Where tui-tutor's log goes: a small rotating file in the settings folder, never the terminal.

The terminal belongs to the app's screen. A log line written to stderr while Textual draws there
lands in the middle of the picture (a traceback over the quiz, a stray ``Tr▊``), so every handler
here writes to ``tui-tutor.log`` beside the progress file. The file is opened on the first record
(a run that logs nothing creates nothing), kept under 256 kB with one older copy, and a folder
that cannot be written loses the log silently rather than printing about it.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_FILE = "tui-tutor.log"
MAX_BYTES = 256_000
BACKUPS = 1
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _FileOnlyHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler that creates its folder and never reports its own failures.

    logging's default ``handleError`` prints "--- Logging error ---" and a traceback on stderr,
    which is the screen.
    """

    def _open(self):
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's API
        pass


def log_path(home: Path | None = None) -> Path:
    """The log file: ``tui-tutor.log`` in the settings folder."""
    if home is None:
        from tui_tutor.paths import home_dir

        home = home_dir()
    return home / LOG_FILE


def configure(home: Path | None = None) -> Path:
    """Send every log record (ours at INFO, libraries' at WARNING) to the log file only.

    Removes the root logger's handlers that write to stdout or stderr (and an earlier log file's), so
    nothing reaches the terminal, and routes
    ``warnings.warn`` there too. Returns the file's path (for messages that point to it).
    """
    path = log_path(home)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _FileOnlyHandler) or _writes_to_terminal(handler):
            root.removeHandler(handler)
            handler.close()
    handler = _FileOnlyHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("tui_tutor").setLevel(logging.INFO)
    logging.captureWarnings(True)
    return path


def _writes_to_terminal(handler: logging.Handler) -> bool:
    stream = getattr(handler, "stream", None)
    return type(handler) is logging.StreamHandler and stream in (
        sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__,
    )


__all__ = ["LOG_FILE", "configure", "log_path"]
