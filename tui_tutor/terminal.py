"""Whether this process has a terminal the tutor can draw on, and pointing the app at it.

Textual 8 reads keys from standard input, draws on ``sys.__stderr__`` (file descriptor 2) and
sizes the screen from standard output (``shutil.get_terminal_size`` asks fd 1). So:

- standard input must be a terminal. Without one (``echo | tui-tutor``, a cron job, ``ssh host
  tui-tutor`` without ``-t``) Textual draws anyway and spins at full CPU waiting for keys that
  never come; the tutor refuses instead.
- ``TERM`` must name a terminal that moves the cursor. ``dumb`` (Emacs' shell, some IDE consoles)
  and an unset ``TERM`` get a line saying so. Textual does not consult terminfo: any other name
  gets the xterm control sequences every terminal emulator in use today understands.
- a driver named in ``TEXTUAL_DRIVER`` (the web driver that ``tui-tutor serve web`` uses, on
  pipes) owns the streams: none of the above applies.
- while the app runs, stdout and stderr that are redirected (``--json > out.json``,
  ``2> err.txt``) are pointed at the terminal, so the screen is drawn where the learner looks and
  sized to it; they are restored when the app exits, so the JSON summary and any last message
  still go where the command line sent them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterator

UNUSABLE_TERMS = ("", "dumb", "unknown")
# Set by whoever runs the tutor with a driver of its own (``tui-tutor serve web`` through
# textual-serve: the web driver speaks over pipes). Then there is no terminal to check or find.
DRIVER_VARIABLE = "TEXTUAL_DRIVER"
PLAIN_COMMANDS = "solve, grade, check and progress print plain text and work without one"


def terminal_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why the tutor cannot draw here (one line), or None when it can."""
    environ = os.environ if environ is None else environ
    if environ.get(DRIVER_VARIABLE):
        return None  # a driver that is not a terminal's (textual-serve's web driver, on pipes)
    if not _isatty(0):
        return (
            "standard input is not a terminal, and the tutor reads its keys from one; run it in a "
            f"terminal (over SSH: ssh -t). The commands {PLAIN_COMMANDS}."
        )
    if sys.platform != "win32":  # Windows consoles set no TERM; Textual drives them its own way
        term = environ.get("TERM", "")
        if term.strip().lower() in UNUSABLE_TERMS:
            shown = f"TERM={term}" if term else "TERM is not set"
            return (
                f"this terminal cannot show the tutor ({shown}): it needs one that moves the cursor, "
                f"such as TERM=xterm-256color. The commands {PLAIN_COMMANDS}."
            )
    fd = _terminal_fd()
    if fd is None:
        return f"no terminal to draw on. The commands {PLAIN_COMMANDS}."
    if fd not in (0, 1, 2):
        os.close(fd)
    return None


@contextlib.contextmanager
def streams_on_terminal() -> Iterator[None]:
    """While the app runs, point a redirected stdout or stderr at the terminal; restore after."""
    if os.environ.get(DRIVER_VARIABLE):  # the driver talks over these streams: leave them be
        yield
        return
    redirected = [fd for fd in (1, 2) if not _isatty(fd)]
    source = _terminal_fd() if redirected else None
    if source is None:
        yield
        return
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in redirected}
    try:
        for fd in redirected:
            os.dup2(source, fd)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, copy in saved.items():
            os.dup2(copy, fd)
            os.close(copy)
        if source not in (0, 1, 2):
            os.close(source)


def _terminal_fd() -> int | None:
    """A file descriptor that writes to the terminal: stderr's or stdout's, else one opened anew."""
    for fd in (2, 1):
        if _isatty(fd):
            return fd
    try:
        return os.open(os.ttyname(0), os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except (OSError, AttributeError):
        return None


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


__all__ = ["terminal_problem", "streams_on_terminal"]
