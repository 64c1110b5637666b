"""Bar, marker and percentage tell one story at every width: nothing looks mastered before it is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_tutor.progress.levels import bar, filled_cells, marker_cell, percent, reaches
from tui_tutor.quiz.progress_view import Gate, SkillBar
from tui_tutor.widgets.mastery_bars import bars_text

WIDTHS = (4, 5, 7, 10, 14, 20, 33, 60)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("level", [0.72, 0.74, 0.79, 0.7999])
def test_74_percent_stops_short_of_the_80_percent_marker(width, level):
    drawn = bar(level, 0.8, width)
    mark = marker_cell(0.8, width)
    assert drawn[mark] == "│"  # the marker is still there: not reached
    assert "│" not in drawn[:mark] and "█" not in drawn[mark:]
    assert percent(level) < 80


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("level", [0.8, 0.8000000001, 0.81, 0.95, 1.0])
def test_at_the_threshold_the_marker_is_covered(width, level):
    drawn = bar(level, 0.8, width)
    assert "│" not in drawn and drawn[marker_cell(0.8, width)] == "█"
    assert percent(level) >= 80


@given(st.floats(0, 1), st.floats(0.05, 1), st.integers(2, 120))
def test_fill_never_claims_more_than_the_level_below_the_threshold(level, threshold, width):
    filled = filled_cells(level, threshold, width)
    assert 0 <= filled <= width
    covered = filled > marker_cell(threshold, width)
    assert covered == reaches(level, threshold)  # the marker is covered exactly when the gate says so
    if not reaches(level, threshold):
        assert filled <= level * width + 1e-9  # rounded down, never up
        assert percent(level) < 100 * threshold  # the number is rounded down too


@pytest.mark.parametrize("columns", [30, 40, 60, 76, 120])
def test_the_mastery_box_draws_74_percent_short_of_the_marker_at_every_width(columns):
    gate = Gate("Chain Rule", 0.8, (SkillBar("s", "Shapes", 0.74, 5, False), SkillBar("t", "Trees", 0.8, 5, True)),
                False, ())  # fmt: skip
    lines = bars_text(gate, width=columns).plain.splitlines()
    short, full = lines[0], lines[1]
    assert "│" in short and " 74%" in short and short.index("│") > short.rindex("█")
    assert "│" not in full and " 80%" in full
