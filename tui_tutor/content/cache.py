"""A cache of the loaded course, so the app's first screen does not wait for YAML parsing.

Parsing and validating the course takes a noticeable part of start-up; the result only changes
when the files do. The cache file is keyed by a hash of every content file's bytes and of the
tutor's version, and lives in the settings folder (the only place the tutor writes). Any problem
with the cache — missing, stale, unreadable, a read-only folder — silently falls back to loading
the YAML; the cache is never the only copy of anything.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from pathlib import Path

from tui_tutor import __version__
from tui_tutor.content.model import Course

log = logging.getLogger(__name__)

CACHE_DIR = "cache"


def _fingerprint(root: Path) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.yaml")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def load_course_cached(root: Path | None, home: Path) -> Course:
    """The course under ``root`` (default: the shipped one), from the cache when it is current."""
    from tui_tutor.paths import shipped_content_dir

    folder = Path(root) if root is not None else shipped_content_dir()
    try:
        key = _fingerprint(folder)
    except OSError:
        key = None
    cached = home / CACHE_DIR / f"course-{key}.pickle" if key else None
    if cached is not None and cached.is_file():
        try:
            with open(cached, "rb") as handle:
                course = pickle.load(handle)
            if isinstance(course, Course):
                return course
        except Exception:  # noqa: BLE001 - a bad cache is just a cache miss
            log.info("course cache unreadable; loading the YAML", exc_info=True)
    from tui_tutor.content.loader import load_course

    course = load_course(folder)
    if cached is not None:
        _store(course, cached)
    return course


def _store(course: Course, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for old in target.parent.glob("course-*.pickle"):
            old.unlink(missing_ok=True)
        temporary = target.with_suffix(".tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(course, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except Exception:  # noqa: BLE001 - e.g. a read-only folder: run without a cache
        log.info("course cache not written", exc_info=True)
