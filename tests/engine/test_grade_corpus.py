"""The grader against a corpus of answers built to fool it and right answers in unusual forms.

Every case must get exactly its verdict: no wrong answer accepted (false positive), no right one
refused (false negative), and a decimal with too few figures neither, but not counted.
"""

from __future__ import annotations

import re

import pytest

from tests.engine.grade_corpus import CORPUS, RIGHT, SHORT, WRONG
from tui_tutor.engine.service import grade_answer


def test_the_corpus_is_large_and_balanced():
    fooling, unusual = len(WRONG) + len(SHORT), len(RIGHT)
    assert len(CORPUS) >= 150
    assert abs(fooling - unusual) <= len(CORPUS) // 10, (fooling, unusual)


@pytest.mark.parametrize("expected, answer, kind, verdict", CORPUS, ids=lambda v: v if isinstance(v, str) else None)
def test_each_case_gets_its_verdict(expected, answer, kind, verdict):
    result = grade_answer(expected, answer, kind)
    got = "right" if result.correct else "wrong" if result.counted else "short"
    assert got == verdict, result.message
    if verdict == "right":
        assert result.message.startswith("Correct") and result.score == 1.0
    elif verdict == "wrong":
        assert result.message.startswith("Incorrect")
    else:
        assert result.diagnosis == "too_few_figures"
        assert "at least 3 significant figures" in result.message


@pytest.mark.parametrize("expected, answer, kind, verdict", CORPUS, ids=lambda v: v if isinstance(v, str) else None)
def test_no_message_contradicts_itself(expected, answer, kind, verdict):
    message = grade_answer(expected, answer, kind).message
    shapes = re.search(r"expected (.+?), but the answer is (.+?)\.", message)
    assert shapes is None or shapes.group(1) != shapes.group(2), message
