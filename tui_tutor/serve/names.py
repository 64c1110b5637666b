"""Learner names: what a learner types as the SSH user name or in the browser.

A name becomes a folder name (``DIR/learners/<name>``), so only a small, safe alphabet is
accepted: no path separators, no dots, no Unicode look-alikes, nothing a shell or a log would
misread. ASCII capitals are folded to lower case so that ``Alice`` and ``alice`` are one learner.
"""

from __future__ import annotations

import re

MAX_LENGTH = 32
_NAME = re.compile(r"[a-z][a-z0-9_-]{0,%d}" % (MAX_LENGTH - 1))

RULE = f"1-{MAX_LENGTH} letters a-z, digits, '-' or '_', starting with a letter"


def learner_name(raw: str) -> str | None:
    """The learner name ``raw`` stands for, or None when it is not an acceptable name."""
    if not raw.isascii():
        return None
    name = raw.lower()
    return name if _NAME.fullmatch(name) else None


def loggable(raw: str) -> str:
    """A rejected name as it may appear in a log: printable ASCII, short, never the raw bytes.

    A person sometimes types a password where a user name belongs; a long or odd name is logged
    only by its length.
    """
    if learner_name(raw) is not None:
        return raw.lower()
    return f"(not a learner name, {len(raw)} characters)"
