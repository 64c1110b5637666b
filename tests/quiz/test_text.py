"""What the quiz's widgets say, checked without a screen."""

from __future__ import annotations

from types import SimpleNamespace

from tui_tutor.quiz.progress_view import Gate, SkillBar
from tui_tutor.widgets.answer_box import preview_text
from tui_tutor.widgets.mastery_bars import bar_text, bars_text, gate_text
from tui_tutor.widgets.question_view import entries_grid, fit_shape, guide_text, typed_form
from tui_tutor.widgets.store_notice import notice_text

KEYS = {"hint": "^t", "solution": "^o", "next": "^n", "answer": "a"}


def test_preview_puts_the_value_beside_its_shape():
    # On one line where it fits, as typed; drawn beside the description when one line is too long.
    assert preview_text("read as: 1×2 row vector", r"\begin{bmatrix} 1 & 4 \end{bmatrix}", 80) == "read as: 1×2 row vector  [1, 4]"
    column = r"\begin{bmatrix} 10 \\ 5 \end{bmatrix}"
    assert preview_text("read as: 2×1 column vector", column, 80) == "read as: 2×1 column vector  [10; 5]"
    lines = preview_text("read as: 2×1 column vector", column, 34).splitlines()
    assert lines == ["read as: 2×1 column vector  ⎡10⎤", " " * 28 + "⎣ 5⎦"]


def test_answers_are_shown_as_typed():
    assert typed_form("[[63], [15]]") == "[63; 15]"
    assert typed_form("[[1, sin(x1)], [(x2 + 1)*2, 4]]") == "[1, sin(x1); (x2 + 1)*2, 4]"
    assert typed_form("2*x1") == "2*x1"


def test_wrong_entries_are_marked_in_the_answers_shape():
    assert entries_grid((1, 2), [(1, 2)]) == ["✓  ✗"]
    assert entries_grid((2, 2), [(2, 1)], ascii=True) == ["ok  ok", "XX  ok"]
    assert fit_shape((1, 2), [(2, 1)]) == (2, 1)  # a vector read the other way round
    assert fit_shape(None, [(1, 1)]) is None


def test_the_guide_follows_the_question_and_the_focus():
    fresh = SimpleNamespace(correct=False, solution_shown=False, attempts=[], hints_left=2)
    assert guide_text(fresh, last=False, keys=KEYS) == "Type your answer and press Enter. Stuck? ^t for a hint (2 left)."
    letters = {"hint": "h", "solution": "s", "next": "n", "answer": "a"}
    assert guide_text(fresh, last=False, keys=letters, typing=False).startswith("To answer, press a.")
    tried = SimpleNamespace(correct=False, solution_shown=False, attempts=[1], hints_left=0)
    assert "^o for the worked solution" in guide_text(tried, last=False, keys=KEYS)
    done = SimpleNamespace(correct=True, solution_shown=False, attempts=[1], hints_left=0)
    assert guide_text(done, last=True, keys=KEYS) == "Press Enter to see your results."


def _gate(levels, mastered=False):
    bars = tuple(SkillBar(f"s{i}", f"Skill {i}", level, 3 if level else 0, level >= 0.8) for i, level in enumerate(levels))
    return Gate("Chain Rule", 0.8, bars, mastered, ("Backpropagation",))


def test_bars_mark_the_threshold_and_the_gate_names_what_it_unlocks():
    gate = _gate([0.5, 1.0, 0.0])
    assert bar_text(gate.bars[0], 0.8, width=10) == "█████··│··"
    assert bar_text(gate.bars[1], 0.8, width=10) == "██████████"
    assert bar_text(gate.bars[0], 0.8, width=10, ascii=True) == "#####..|.."
    text = bars_text(gate).plain
    assert "Skill 1" in text and "100%" in text and "not tried" in text
    assert gate_text(gate) == "1 of 3 skills mastered (80% each). Backpropagation: locked until all are."
    opened = _gate([0.9, 1.0], mastered=True)
    assert gate_text(opened) == "Chain Rule mastered: every skill is at 80% or more. Unlocked: Backpropagation."
    assert bars_text(opened, ascii=True).plain.isascii()


def test_the_notice_says_when_nothing_is_saved():
    assert notice_text(None) == ""
    assert notice_text(SimpleNamespace(notice=None, read_only=False)) == ""
    saved_nowhere = SimpleNamespace(notice="Progress is not being saved: /x is read-only.", read_only=True)
    assert notice_text(saved_nowhere, ascii=True) == "! Progress is not being saved: /x is read-only."
    odd = SimpleNamespace(notice="Something odd.", read_only=True)
    assert notice_text(odd).endswith("Something odd. Progress is not being saved.")
