"""The course cache in the settings folder is untrusted input: JSON of plain dataclasses, never pickle.

A planted ``course-<key>.pickle`` used to be loaded with ``pickle.load`` at start-up and ran
whatever it named. The cache must not execute anything, and any bad cache is just a miss.
"""

from __future__ import annotations

import os
import pickle
import threading

from tests.content.helpers import VALID, make_pack
from tui_tutor.content import cache
from tui_tutor.content.loader import load_course


class _Planted:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):  # what an attacker's pickle does: call something on load
        return (open, (self.marker, "w"))


def _plant(home, key, payload: bytes) -> None:
    folder = home / cache.CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("pickle", "json"):
        (folder / f"course-{key}.{suffix}").write_bytes(payload)


def test_a_planted_pickle_is_never_run_and_the_course_still_loads(tmp_path):
    marker = tmp_path / "pwned"
    home = tmp_path / "home"
    _plant(home, cache._fingerprint(VALID), pickle.dumps(_Planted(str(marker))))
    course = cache.load_course_cached(VALID, home)
    assert not marker.exists()
    assert course == load_course(VALID)


def test_the_cache_round_trips_the_course_and_is_json(tmp_path):
    home = tmp_path / "home"
    first = cache.load_course_cached(VALID, home)
    (stored,) = (home / cache.CACHE_DIR).glob("course-*.json")
    assert stored.read_bytes().startswith(b"{")
    again = cache.load_course_cached(VALID, home)
    assert again == first
    assert [i.source.fields for i in again.concept().items] == [i.source.fields for i in first.concept().items]


def test_a_bad_cache_is_a_miss(tmp_path):
    home = tmp_path / "home"
    key = cache._fingerprint(VALID)
    expected = load_course(VALID)
    for payload in (b"", b"{", b'{"$class": "Popen", "fields": {}}', b'{"$class": "Course", "fields": {"x": 1}}',
                    b"[1, 2]", b'{"$class": "Course", "fields": {"concepts": 5}}'):
        _plant(home, key, payload)
        assert cache.load_course_cached(VALID, home) == expected, payload


def test_a_fifo_in_the_content_folder_neither_hangs_the_fingerprint_nor_the_load(tmp_path):
    root = make_pack(tmp_path)
    (root / "mini-chain" / "quiz.yaml").unlink()
    os.mkfifo(root / "mini-chain" / "quiz.yaml")
    done = []
    worker = threading.Thread(target=lambda: done.append(cache.load_course_cached(root, tmp_path / "home")), daemon=True)
    worker.start()
    worker.join(20)
    assert done, "loading a course with a FIFO in it hung"
    assert any("is not a regular file (a FIFO)" in p for p in done[0].problems)
