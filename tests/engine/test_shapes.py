"""The shape reader: every typed shape is read or refused in one line with a column, never raises.

``'²'.isdigit()`` is True in Python, so a reader that trusted it passed ``'²'`` to ``int()`` and
crashed the whole app from a shape answer box; a 5000-digit shape hit ``int()``'s digit limit.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_tutor.engine.errors import ParseError
from tui_tutor.engine.shapes import parse_shape


@pytest.mark.parametrize(
    "text, shape",
    [("2x3", (2, 3)), ("2 × 3", (2, 3)), ("2 by 3", (2, 3)), ("(4, 1)", (4, 1)), ("[1,2]", (1, 2)),
     ("2X3", (2, 3)), ("2*3", (2, 3)), ("  3 x 1 ", (3, 1))],
)
def test_shapes_a_person_writes(text, shape):
    assert parse_shape(text) == shape


@pytest.mark.parametrize(
    "text, column",
    [("²x3", 1), ("2x³", 3), ("٣x3", 1), ("𝟗x3", 1), ("₂by2", 1), ("2x", 3), ("x3", 1), ("2x3x4", 4),
     ("9" * 5000 + "x3", 1), ("2x" + "9" * 5000, 3), ("2\x1bx3", 2)],
    ids=lambda v: repr(v)[:20] if isinstance(v, str) else str(v),
)
def test_anything_else_is_one_line_with_a_column(text, column):
    with pytest.raises(ParseError) as caught:
        parse_shape(text)
    assert caught.value.column == column
    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message and len(message) < 200
    assert "like 2x3" in message


@given(st.text(max_size=40))
def test_no_text_makes_the_reader_raise_anything_but_a_parse_error(text):
    try:
        rows, cols = parse_shape(text)
    except ParseError as err:
        assert err.column is None or 1 <= err.column <= len(text) + 1
    else:
        assert 0 <= rows < 10_000 and 0 <= cols < 10_000


# --- an entry of a Jacobian, "i,j": the scratchpad's entry field and solve --entry ----------------

from tui_tutor.engine.scratch import work  # noqa: E402
from tui_tutor.engine.shapes import parse_entry  # noqa: E402


@pytest.mark.parametrize("text, entry", [("2,3", (2, 3)), ("(2, 3)", (2, 3)), ("2 3", (2, 3)), ("1;1", (1, 1))])
def test_entries_a_person_writes(text, entry):
    assert parse_entry(text) == entry


@pytest.mark.parametrize("text, column", [("²,1", 1), ("٣,1", 1), ("1," + "9" * 5000, 3), ("1,1,1", 4), ("x", 1)],
                         ids=lambda v: repr(v)[:12] if isinstance(v, str) else str(v))
def test_the_scratchpads_entry_field_says_what_is_wrong_and_where(text, column):
    result = work(["x1^2 + x2, x1*x2", "u1 + u2^2"], "1,2", "", entry=text)
    problem = result.problem
    assert problem is not None and problem.field == "entry" and problem.column == column
    assert "int()" not in problem.message and "Exceeds" not in problem.message
