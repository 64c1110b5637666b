"""A cache of the loaded course, so the app's first screen does not wait for YAML parsing.

Parsing and validating the shipped course takes about 110 ms; reading it back from the cache
about 15 ms. The cache lives in the settings folder (the only place the tutor writes) and is
keyed by the tutor's version and the ``stat`` of every file under the content folder (size,
modification and change times, inode): a fingerprint that reads no file, so a FIFO or a link to
``/dev/zero`` in a course pack cannot hang or exhaust it.

The cache is untrusted input like any file in the settings folder. It is JSON holding only the
course's plain dataclasses, rebuilt from a fixed list of classes — never pickle, which runs code
named in the file. Anything wrong with it (missing, stale, malformed, an unknown class, a
read-only folder) is a cache miss: the YAML is loaded, and the cache is never the only copy.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import functools
import hashlib
import json
import logging
import os
import types
import typing
from pathlib import Path
from typing import Any, Callable

from tui_tutor import __version__
from tui_tutor.content import model
from tui_tutor.content.model import Course

log = logging.getLogger(__name__)

CACHE_DIR = "cache"
MAX_CACHE_BYTES = 20_000_000
MAX_FINGERPRINT_ENTRIES = 20_000  # a content folder with more files than this is not cached
FORMAT = 2  # bump when the encoding below or the model's classes change

# The only classes a cache file can name.
_CLASSES = {
    cls.__name__: cls
    for cls in vars(model).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__
}


def _fingerprint(root: Path) -> str | None:
    """A hash of every path under ``root`` with its stat; None when the folder cannot be listed."""
    digest = hashlib.sha256(f"{__version__}/{FORMAT}".encode())
    count = 0
    for folder, dirs, files in os.walk(root, onerror=_raise):  # links to folders are not followed
        dirs.sort()
        for name in sorted(files + dirs):
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)  # follows a link (to see its target change), never opens
            except OSError:
                info = os.lstat(path)
            digest.update(os.path.relpath(path, root).encode("utf-8", "surrogateescape"))
            digest.update(f"|{info.st_mode}|{info.st_size}|{info.st_mtime_ns}|{info.st_ctime_ns}|{info.st_ino}\n".encode())
            count += 1
            if count > MAX_FINGERPRINT_ENTRIES:
                return None
    return digest.hexdigest()[:32]


def _raise(err: OSError) -> None:
    raise err


def load_course_cached(root: Path | None, home: Path) -> Course:
    """The course under ``root`` (default: the shipped one), from the cache when it is current."""
    from tui_tutor.paths import shipped_content_dir

    folder = Path(root) if root is not None else shipped_content_dir()
    try:
        key = _fingerprint(folder)
    except OSError:
        key = None
    cached = home / CACHE_DIR / f"course-{key}.json" if key else None
    if cached is not None:
        course = _read(cached)
        if course is not None:
            return course
    from tui_tutor.content.loader import load_course

    course = load_course(folder)
    if cached is not None:
        _store(course, cached)
    return course


def _read(path: Path) -> Course | None:
    """The course in the cache file ``path``, or None (a miss) for any problem at all."""
    from tui_tutor.safefile import read_regular_file

    if not (path.exists() or path.is_symlink()):
        return None
    raw, problem = read_regular_file(path, path.parent, MAX_CACHE_BYTES)
    if problem is not None:
        log.info("course cache %s not used: %s", path, problem)
        return None
    try:
        course = decode(json.loads(raw))
    except Exception:  # noqa: BLE001 - malformed, truncated, hand-edited: just a miss
        log.info("course cache %s unreadable; loading the YAML", path, exc_info=True)
        return None
    return course if isinstance(course, Course) else None


def _store(course: Course, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for old in (*target.parent.glob("course-*.json"), *target.parent.glob("course-*.pickle")):
            old.unlink(missing_ok=True)
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(encode(course), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, target)
    except Exception:  # noqa: BLE001 - e.g. a read-only folder: run without a cache
        log.info("course cache not written", exc_info=True)


# --- the encoding: JSON with tagged dataclasses, tuples and non-string-keyed mappings -------------


def encode(value: Any) -> Any:
    """``value`` (the course's dataclasses, tuples, lists, dicts, scalars) as plain JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$class": type(value).__name__, "fields": fields}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode(data: Any) -> Any:
    """The inverse of :func:`encode`; raises ValueError on anything it did not write."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, dict):
        if set(data) == {"$tuple"}:
            return tuple(decode(v) for v in _list(data["$tuple"]))
        if set(data) == {"$map"}:
            return {_key(decode(k)): decode(v) for k, v in (_pair(p) for p in _list(data["$map"]))}
        if set(data) == {"$class", "fields"}:
            cls = _CLASSES.get(data["$class"]) if isinstance(data["$class"], str) else None
            if cls is None or not isinstance(data["fields"], dict):
                raise ValueError(f"unknown class in the cache: {str(data['$class'])[:40]!r}")
            names = {f.name for f in dataclasses.fields(cls)}
            if not set(data["fields"]) <= names:
                raise ValueError(f"unknown fields for {cls.__name__}")
            values = {k: decode(v) for k, v in data["fields"].items()}
            hints = _hints(cls)
            for key, value in values.items():
                if not _fits(value, hints[key]):
                    raise ValueError(f"{cls.__name__}.{key} does not hold what it should")
            return cls(**values)
        raise ValueError("unknown object in the cache")
    if data is None or isinstance(data, (str, int, float, bool)):
        return data
    raise ValueError("unknown value in the cache")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _fits(value: Any, hint: Any) -> bool:
    """Whether ``value`` is of the annotated type ``hint``: a cache holding a number where the
    course has a list of concepts would be loaded and then crash the app; it is a miss instead."""
    return _checker(hint)(value)


@functools.cache
def _checker(hint: Any) -> Callable[[Any], bool]:
    """A test for values of type ``hint``, built once per annotation (decoding checks thousands)."""
    if hint is Any:
        return lambda value: True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [_checker(a) for a in args]
        return lambda value: any(check(value) for check in options)
    if hint is type(None):
        return lambda value: value is None
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _checker(args[0])
            return lambda value: isinstance(value, tuple) and all(item(v) for v in value)
        items = [_checker(a) for a in args]
        return lambda value: (isinstance(value, tuple) and len(value) == len(items)
                              and all(check(v) for check, v in zip(items, value)))
    if origin is list:
        item = _checker(args[0]) if args else (lambda value: True)
        return lambda value: isinstance(value, list) and all(item(v) for v in value)
    if origin in (dict, collections.abc.Mapping) or hint in (dict, collections.abc.Mapping):
        if not args:
            return lambda value: isinstance(value, dict)
        key, item = _checker(args[0]), _checker(args[1])
        return lambda value: isinstance(value, dict) and all(key(k) and item(v) for k, v in value.items())
    if hint is float:
        return lambda value: isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    return lambda value: isinstance(value, hint)


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise ValueError("malformed cache")
    return value


def _pair(value: Any) -> tuple[Any, Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("malformed cache")
    return value[0], value[1]


def _key(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        raise ValueError("malformed cache")
    return value
