"""Reading a file that came from someone else (a course pack, the settings folder) without trusting it.

Only a regular file is read, never a FIFO (which would block for ever) or a device (``/dev/zero``
never ends), optionally only inside a given folder, and never more than a given size. No YAML or
other heavy import here: the app reads its course cache through this before its first frame.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tui_tutor.safetext import visible


def read_regular_file(path: Path, root: Path | None, limit: int) -> tuple[bytes, str | None]:
    """The bytes of ``path`` if it is a regular file (inside ``root``, when given) of at most ``limit`` bytes.

    Course packs and settings come from anyone: a ``*.yaml`` that is a symlink to ``/dev/zero`` would be read
    until memory ran out, and a FIFO would block the reader forever. So a link out of the content
    folder is refused, the file is opened without blocking and checked with ``fstat`` (on the open
    file, so it cannot be swapped in between), and its size is checked before a byte is read.
    """
    try:
        if root is not None:
            real, inside = path.resolve(), Path(root).resolve()
            if real != inside and inside not in real.parents:
                return b"", (f"is a link to {visible(str(real), 120)}, outside the content folder; "
                             "course files must be inside it")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags)
    except (OSError, RuntimeError) as err:  # RuntimeError: a symlink loop (Python < 3.13)
        return b"", f"cannot read the file: {getattr(err, 'strerror', None) or err}"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return b"", f"is not a regular file ({_file_kind(info.st_mode)}); course files must be plain files"
        if info.st_size > limit:
            return b"", f"file is too large ({info.st_size} bytes; the limit is {limit})"
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        return b"", f"cannot read the file: {err.strerror or err}"
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:  # it grew while being read
        return b"", f"file is too large (the limit is {limit} bytes)"
    return raw, None


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return kind
    return "not a plain file"


__all__ = ["read_regular_file"]
