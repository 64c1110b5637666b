"""``tui-tutor quiz --out FILE``: the quiz's JSON summary in a file, for the teacher's ``report``.

The file is rewritten after every graded answer, when the summary is shown (finished, or out of
time), and when the tutor closes for any reason it can see: quitting, Ctrl+C, the terminal
closing (SIGHUP) or SIGTERM. Each write is atomic (a temporary file beside it, flushed to disk,
then renamed over it), so the teacher's ``report`` never reads half a file, and a tutor killed
outright leaves the summary of its last answer.

Beyond the quiz summary (``QuizSession.summary``) the file says what ``report`` needs to tell
whether two files are the same quiz: ``format``, ``learner``, ``tutor_version``, and ``course``
(its id, title and a fingerprint of the question bank: the same fingerprint and seed give the
same questions with the same numbers).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui_tutor import __version__

log = logging.getLogger(__name__)

FORMAT = "tui-tutor quiz summary"
FORMAT_VERSION = 1
NAME_LIMIT = 60
_UMASK = os.umask(0o022)  # read once, at import, to give the file the mode any new file would get
os.umask(_UMASK)


def bank_fingerprint(concept: Any) -> str:
    """A short hash of everything that decides a quiz's questions: items and templates as written.

    Hints and solutions are left out (rewording a hint does not change what was asked).
    """
    bank = {
        "items": [
            [i.id, list(i.skills), i.kind, i.prompt, i.answer, list(i.choices), _plain(i.problem)]
            for i in sorted(concept.items, key=lambda i: i.id)
        ],
        "templates": [
            [t.id, list(t.skills), t.kind, t.prompt, _plain(t.problem),
             [[p.name, p.low, p.high, list(p.exclude), list(p.choices)] for p in t.params]]
            for t in sorted(concept.templates, key=lambda t: t.id)
        ],  # fmt: skip
    }
    text = json.dumps(bank, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def learner_name(given: str | None, home: Path | None = None) -> str:
    """The learner's name for the summary: ``--name``, else the folder of a hosted class learner
    (``DIR/learners/NAME``), else the login name."""
    from tui_tutor.safetext import visible

    if given and given.strip():
        return visible(" ".join(given.split()), limit=NAME_LIMIT)
    if home is not None and home.parent.name == "learners" and home.name:
        return visible(home.name, limit=NAME_LIMIT)
    try:
        return visible(getpass.getuser(), limit=NAME_LIMIT)
    except Exception:  # noqa: BLE001 - no login name (a container without passwd entry)
        return "unknown"


def stamped(summary: dict[str, Any], *, learner: str, concept: Any) -> dict[str, Any]:
    """``summary`` with what identifies the quiz and the learner, as the file holds it."""
    head = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "learner": learner,
        "tutor_version": __version__,
        "course": {"id": concept.id, "title": concept.title, "fingerprint": bank_fingerprint(concept)},
    }
    return {**head, **summary}


def write_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON to ``path`` so a reader sees the old file or the new one, never half."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp's 0600 would hide it from a teacher collecting files
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_target(path: Path) -> str | None:
    """Why ``--out`` cannot be written (checked before the quiz starts), or None."""
    path = Path(path)
    if path.is_dir():
        return f"{path} is a folder; give a file name, e.g. {path / 'alice.json'}"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"the folder {folder} does not exist"
    if not os.access(folder, os.W_OK):
        return f"the folder {folder} cannot be written"
    return None


class SummaryFile:
    """The summary file of the running quiz: ``update`` with the latest summary, ``close`` at the end.

    ``latest`` is asked for a fresh summary when the tutor is closing (quit, Ctrl+C, hang-up):
    the time taken up to that moment, not up to the last answer.
    """

    def __init__(self, path: Path, *, learner: str, concept: Any, latest: Callable[[], dict[str, Any] | None]):
        self.path = Path(path)
        self.learner = learner
        self.concept = concept
        self.latest = latest
        self.problem: str | None = None  # why the last write failed, for the screen to say once

    def update(self, summary: dict[str, Any] | None) -> bool:
        """Write ``summary`` (stamped) now; False if it could not be written (``problem`` says why)."""
        if summary is None:
            return True
        try:
            write_atomic(self.path, stamped(summary, learner=self.learner, concept=self.concept))
        except OSError as err:
            log.warning("could not write the quiz summary to %s", self.path, exc_info=True)
            self.problem = f"could not write {self.path}: {err.strerror or err}"
            return False
        self.problem = None
        return True

    def close(self, ended: str) -> None:
        """The last write, as the tutor closes: an unfinished quiz says how it ended (``ended``)."""
        try:
            summary = self.latest()
        except Exception:  # noqa: BLE001 - closing must not fail; the last written summary stands
            log.warning("could not build the closing summary", exc_info=True)
            return
        if summary is not None and summary.get("ended") in (None, "in progress"):
            summary = {**summary, "ended": ended}
        self.update(summary)


# The summary file of the quiz running in this process, for the signal handlers below.
_active: SummaryFile | None = None


def activate(summary_file: SummaryFile | None) -> None:
    """Make ``summary_file`` the one written when this process is interrupted or hung up on."""
    global _active
    _active = summary_file


def close_active(ended: str) -> None:
    """Write the running quiz's summary one last time (from the CLI's exit paths)."""
    if _active is not None:
        _active.close(ended)


def install_signal_handlers() -> None:
    """On SIGHUP (terminal closed) and SIGTERM, write the summary, then die of the signal as before.

    Dying of the signal keeps what happens to the app and its engine exactly what it was without
    ``--out``; only the summary is saved first.
    """

    def on_signal(signum: int, _frame: Any) -> None:
        close_active("hangup" if signum == signal.SIGHUP else "terminated")
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    for signum in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(signum, on_signal)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


__all__ = [
    "FORMAT", "FORMAT_VERSION", "SummaryFile", "activate", "bank_fingerprint", "check_target", "close_active",
    "install_signal_handlers", "learner_name", "stamped", "write_atomic",
]  # fmt: skip
