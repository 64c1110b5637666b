"""The one width rule: a display formula laid out to fit the width it is given, never torn."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_tutor.mathtext.fit import fit_display, fit_matrix, wrap_text

PUSH = (
    r"\Delta \mathbf{u} \approx Dg\,\Delta\mathbf{x} = \begin{bmatrix} 1 & 2 \\ 1 & -1 \end{bmatrix}"
    r"\begin{bmatrix} 0.01 \\ -0.02 \end{bmatrix} = \begin{bmatrix} 0.01 - 0.04 \\ 0.01 + 0.02 \end{bmatrix}"
    r" = \begin{bmatrix} -0.03 \\ 0.03 \end{bmatrix}"
)
NETWORK_ENTRY = (
    r"\left(1 - \sigma(x_{1} - x_{2})\right) \sigma(x_{1} - x_{2}) - 4 \left(1 - \sigma(2 x_{1} + x_{2} - 1)\right)"
    r" \sigma(2 x_{1} + x_{2} - 1) + \frac{\left(1 - \sigma(x_{2} + 1)\right) \sigma(x_{2} + 1)}{2}"
)


def brackets_whole(lines) -> bool:
    """Every drawn bracket column runs from its top piece to its bottom piece with nothing else."""
    pairs = {"⎡": ("⎢", "⎣"), "⎤": ("⎥", "⎦"), "⎛": ("⎜", "⎝"), "⎞": ("⎟", "⎠")}
    for r, line in enumerate(lines):
        for c, ch in enumerate(line):
            if ch not in pairs:
                continue
            middle, bottom = pairs[ch]
            k = r + 1
            while k < len(lines) and c < len(lines[k]) and lines[k][c] == middle:
                k += 1
            if not (k < len(lines) and c < len(lines[k]) and lines[k][c] == bottom):
                return False
    return True


def test_a_formula_that_fits_is_drawn_whole():
    block = fit_display(PUSH, 80)
    assert block.lines == (
        "Δu ≈ Dg Δx = ⎡1   2⎤⎡ 0.01⎤ = ⎡0.01 − 0.04⎤ = ⎡−0.03⎤",
        "             ⎣1  −1⎦⎣−0.02⎦   ⎣0.01 + 0.02⎦   ⎣ 0.03⎦",
    )


def test_too_narrow_it_breaks_before_a_relation_between_whole_matrices():
    # The lesson pane at 80×24 with the contents showing: about 46 columns.
    block = fit_display(PUSH, 46)
    assert block.width <= 46
    assert block.lines == (
        "Δu ≈ Dg Δx = ⎡1   2⎤⎡ 0.01⎤ = ⎡0.01 − 0.04⎤",
        "             ⎣1  −1⎦⎣−0.02⎦   ⎣0.01 + 0.02⎦",
        "",
        "   = ⎡−0.03⎤",  # under the first relation
        "     ⎣ 0.03⎦",
    )


@pytest.mark.parametrize("ascii", [False, True])
@pytest.mark.parametrize("width", [80, 60, 46, 40, 30, 24, 20, 16])
def test_at_any_width_it_fits_and_no_matrix_is_torn(width, ascii):
    block = fit_display(PUSH, width, ascii=ascii)
    assert block.width <= width, block.text()
    assert brackets_whole(block.lines), block.text()
    if ascii:
        assert all(line.isascii() for line in block.lines)
        # An ASCII matrix line has both brackets or is not a matrix line at all.
        assert all(line.count("[") == line.count("]") for line in block.lines), block.text()


def test_too_narrow_to_draw_a_matrix_it_falls_back_to_one_line_forms():
    block = fit_display(PUSH, 14)  # even a one-line form is too wide: wrapped, nothing lost
    assert block.width <= 14 and brackets_whole(block.lines)
    assert "".join(block.text().split()).startswith("Δu≈DgΔx=[1,2;1,−1][0.01;−0.02]=")


def test_an_aligned_derivation_keeps_its_columns_or_breaks_row_by_row():
    tex = r"\begin{aligned} a &= b + c \\ &= d \end{aligned}"
    assert fit_display(tex, 40).lines == ("a = b + c", "  = d")
    long = r"\begin{aligned} \frac{\partial y}{\partial x} &= " + " + ".join(["u_1 u_2"] * 8) + r" \\ &= 0 \end{aligned}"
    block = fit_display(long, 30)
    assert block.width <= 30 and brackets_whole(block.lines)


def test_a_quad_starts_a_new_statement_on_a_new_line():
    tex = r"g(x) = \begin{bmatrix} x_1 \\ x_2 \end{bmatrix}, \qquad f(u) = \begin{bmatrix} u_1 \\ u_2 \end{bmatrix}"
    wide = fit_display(tex, 80)  # side by side, as written, where there is room
    assert wide.height == 2 and "f(u) = " in wide.lines[0]
    narrow = fit_display(tex, 20)
    assert narrow.width <= 20 and narrow.lines[-2].startswith("f(u) = ")


def test_lead_label_and_continuation_under_the_first_equals():
    tex = r"a \cdot b = x_1 + x_2 = y_1 + y_2 = z_1 + z_2 = 3"
    block = fit_display(tex, 32, display=False, lead="via u:  ")
    assert block.lines == ("via u:  a·b = x₁ + x₂ = y₁ + y₂", "            = z₁ + z₂ = 3")


def test_a_wide_matrix_wraps_its_entries_inside_their_cells_then_lists_them():
    column = [[NETWORK_ENTRY], [NETWORK_ENTRY.replace("- 4", "- 2")]]
    block, drawn = fit_matrix(column, 68)
    assert drawn and block.width <= 68 and brackets_whole(block.lines)
    assert block.lines[1].startswith("⎢  + ")  # the continuation of a wrapped entry is indented
    row = [[NETWORK_ENTRY, NETWORK_ENTRY]]
    block, drawn = fit_matrix(row, 60)
    assert not drawn and block.width <= 60
    assert block.lines[0].startswith("(1,1)  (1 − σ(x₁ − x₂))σ(x₁ − x₂)")
    assert any(line.startswith("(1,2)  ") for line in block.lines)
    assert "…" not in block.text()  # nothing cut off


def test_entries_stay_on_one_line_where_they_fit():
    block, drawn = fit_matrix([["x_{1}^{2}", "1"], [r"\frac{1}{2}", r"\sigma(u_{1})"]], 40)
    assert drawn and block.lines == ("⎡x₁²    1  ⎤", "⎣1/2  σ(u₁)⎦")


def test_wrapping_one_line_prefers_breaks_outside_brackets():
    lines, clean = wrap_text("a + (b + c + d + e) + f", 12)
    assert lines[0] == "a + (b + c" or lines[0].endswith(")")
    lines, clean = wrap_text("(1 − σ(x₁))σ(x₁) − 4(1 − σ(u))σ(u)", 20)
    assert lines == ["(1 − σ(x₁))σ(x₁)", "  − 4(1 − σ(u))σ(u)"] and clean
    lines, clean = wrap_text("abcdefghijklmnop", 5)
    assert not clean and all(len(line) <= 5 for line in lines) and "".join(s.strip() for s in lines) == "abcdefghijklmnop"


PIECES = [
    r"x_1", r"\frac{\partial y_2}{\partial x_3}", r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}",
    r"\begin{bmatrix} 0.01 \\ -0.02 \end{bmatrix}", r"\sigma(u_1)(1 - \sigma(u_1))", r"\nabla_{\mathbf{y}}\ell",
    r"\mathbb{R}^{3 \times 2}", r"\sum_{k=1}^{m} a_k", r"\text{for every input}", r"\sqrt{x_1^2 + 1}",
    r"\left( \frac{1}{2} \right)", r"e^{-x_1}", r"\Delta \mathbf{x}", "a + b + c + d + e + f",
]
SEPARATORS = [" = ", r" \approx ", " + ", r" \cdot ", r", \qquad ", r" \to ", " "]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=7),
    st.lists(st.sampled_from(SEPARATORS), min_size=6, max_size=6),
    st.integers(min_value=4, max_value=120),
    st.booleans(),
    st.booleans(),
)
def test_any_formula_at_any_width_fits_unless_a_single_symbol_cannot(pieces, separators, width, ascii, aligned):
    tex = "".join(p + (separators[k] if k < len(pieces) - 1 else "") for k, p in enumerate(pieces))
    if aligned:
        tex = r"\begin{aligned} " + tex.replace(" = ", r" &= ", 1) + r" \\ &= 0 \end{aligned}"
    block = fit_display(tex, width, ascii=ascii)  # never raises
    assert brackets_whole(block.lines), block.text()
    # Wider only where one unbreakable run (a word, a number, ∂y₂/∂x₃) is wider than the width.
    longest_run = max(len(word) for line in fit_display(tex, 10_000, ascii=ascii, display=False).lines for word in line.split())
    assert block.width <= max(width, longest_run + 2 * 4), (width, block.text())
    if ascii:
        assert all(line.isascii() for line in block.lines)
