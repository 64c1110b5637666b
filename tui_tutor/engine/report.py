"""A :class:`~tui_tutor.engine.results.Solution` as plain text: ``tui-tutor solve``'s report, and the
pieces the scratchpad shares with it (a labelled matrix, the path-tracing lines).

No sympy here: the solution arrives as maths text in the course's LaTeX subset, and
:mod:`tui_tutor.mathtext` lays it out for the width there is, in Unicode or ASCII.
"""

from __future__ import annotations

import shutil
from typing import Sequence

from tui_tutor.engine import render
from tui_tutor.engine.notation import notation
from tui_tutor.engine.render import format_number, shape_text, table_lines
from tui_tutor.engine.results import MatrixView, PathTermView, Solution
from tui_tutor.mathtext import render_inline
from tui_tutor.mathtext.block import Block, labelled, matrix_lines
from tui_tutor.mathtext.fit import fit_display, fit_matrix, wrap_text


def matrix_block(view: MatrixView, width: int, *, ascii: bool = False, heading: bool = False) -> Block:
    """``Dg(x) = [...]   2×2`` in at most ``width`` columns.

    When the matrix does not fit beside its label (or ``heading`` asks for it), the label and
    shape go on a line of their own and the matrix, or its entries one by one, below it.
    """
    label = render_inline(view.label, ascii=ascii)
    shape = shape_text(view.rows, view.cols, ascii=ascii)
    if not heading:
        head, tail = f"{label} = ", f"   {shape}"
        block, drawn = fit_matrix(view.entries, width - len(head) - len(tail), ascii=ascii)
        if drawn:
            return labelled(head, block, suffix=tail)
    block, drawn = fit_matrix(view.entries, width - 2, ascii=ascii)
    title, _ = wrap_text(f"{label}  {shape}" + ("" if drawn else ", entry by entry:"), width)
    return Block((*title, *("  " + line for line in block.lines)), 0)


def path_lines(solution: Solution, width: int, *, ascii: bool = False) -> list[str]:
    """The paths of ∂y_i/∂x_j, one per line: factors · factors = their product = its value.

    Lines line up at their first ``=``; a line too long continues under it. Two or more paths
    that are 0 (a factor is 0) share one line, so a network's many empty paths do not bury the
    ones that count.
    """
    terms = solution.path_terms
    zeros = [t for t in terms if t.zero]
    shown = [t for t in terms if not t.zero or len(zeros) < 2]
    vias = [_via(t, ascii) for t in shown]
    lead = max((len(v) for v in vias), default=0) + 2
    out: list[str] = []
    for term, via in zip(shown, vias):
        out += fit_display(_path_tex(term), width, ascii=ascii, display=False, lead=("  " + via).ljust(lead + 2)).lines
    if len(zeros) >= 2:
        routes = "; ".join(", ".join(render_inline(v, ascii=ascii) for v in t.via) for t in zeros)
        text = f"{len(zeros)} more paths are 0, each through a factor that is 0: via {routes}"
        lines, _ = wrap_text(text, width - 2, hang=4)
        out += ["  " + line for line in lines]
    i, j = solution.path_entry or (1, 1)
    total = f"\\partial y_{{{i}}}/\\partial x_{{{j}}} = {solution.path_total}"
    values = [t.value for t in terms]
    if terms and all(v is not None for v in values):
        total += f" = {number_tex(sum(values))}"
    out += fit_display(total, width, ascii=ascii, display=False, lead="  sum: ").lines
    return out


def _via(term: PathTermView, ascii: bool) -> str:
    return "via " + (", ".join(render_inline(v, ascii=ascii) for v in term.via) or "direct") + ":"


def _path_tex(term: PathTermView) -> str:
    """``∂y/∂u · ∂u/∂x = u₁ · 2x₃ = 2x₁x₂x₃ = 2 · 6 = 12`` for one path, in the LaTeX subset."""
    dot = " \\,\\cdot\\, "  # spaced: the factors of a path are read one by one
    names = dot.join(f.name for f in term.factors)
    exprs = dot.join(_factor(f.expr, k) for k, f in enumerate(term.factors))
    parts = [names, exprs]
    if term.product != exprs:
        parts.append(term.product)
    if term.value is not None and term.product != number_tex(term.value):
        numbers = dot.join(_factor(f.value or f.expr, k) for k, f in enumerate(term.factors))
        if numbers not in parts:
            parts.append(numbers)
        value = number_tex(term.value)
        if value != parts[-1]:
            parts.append(value)
    return " = ".join(parts)


def _factor(tex: str, position: int) -> str:
    """A factor of a product: a sum in parentheses, and a negative one too after the first."""
    depth, top_sum = 0, False
    for k, c in enumerate(tex):
        depth += (c in "({[") - (c in ")}]")
        if depth == 0 and c in "+-" and k > 0 and tex[k - 1] == " ":
            top_sum = True
    if top_sum or (position > 0 and tex.startswith("-")):
        return f"({tex})"
    return tex


def number_tex(value: float) -> str:
    """A float written out for the maths renderer (``1.06e-10`` kept as it is, not e times ...)."""
    return render.number_tex(format_number(value))


def number_matrix(rows: Sequence[Sequence[float]], *, ascii: bool = False) -> Block:
    """Numbers in brackets, with real minus signs (−0.5; -0.5 in ASCII)."""
    return matrix_lines([[render_inline(number_tex(v), ascii=ascii) for v in row] for row in rows], ascii=ascii)


def vector_block(values: Sequence[float], *, ascii: bool = False) -> Block:
    """A column of numbers: a vector at the point, a pushforward, a pullback."""
    return number_matrix([[v] for v in values], ascii=ascii)


def _matrix(view: MatrixView, width: int, ascii: bool) -> list[str]:
    return list(matrix_block(view, width, ascii=ascii).lines)


def report_lines(solution: Solution, *, ascii: bool = False, width: int | None = None) -> list[str]:
    """The human-readable report: shapes, Jacobians, the product, gradient, pushforward, check.

    ``width`` defaults to the terminal's (100 columns when there is none)."""
    if width is None:
        width = max(40, shutil.get_terminal_size((100, 24)).columns)
    arrow = "->" if ascii else "→"
    out: list[str] = []
    chain = f" {arrow} ".join(solution.letters)
    out.append(f"Composition: {chain}   (maps {', '.join(solution.names)}, innermost first)")
    out.append("")
    out += table_lines(
        ["Object", "Meaning", "Shape"],
        [[r.name, r.meaning, r.shape] for r in solution.shapes],
        ascii=ascii,
    )
    out.append(f"Shape check: {solution.shape_check}")
    out.append("")
    out.append("Jacobians (symbolic):")
    for view in solution.jacobians:
        out += _matrix(view, width, ascii)
        out.append("")
    if solution.composite is not None and len(solution.names) > 1:
        out.append("Chain-rule product (outer Jacobian on the left):")
        out += _matrix(solution.composite, width, ascii)
        out.append("")
    if solution.gradient is not None:
        out += _matrix(solution.gradient, width, ascii)
        out.append("")
    if solution.values:
        out.append("At the point:")
        for letter, values in zip(solution.letters, solution.values):
            out += list(labelled(f"{render_inline(letter + '_0', ascii=ascii)} = ", vector_block(values, ascii=ascii)).lines)
        out.append("")
        for view in solution.jacobians_at:
            out += _matrix(view, width, ascii)
        if solution.composite_at is not None and len(solution.names) > 1:  # one map: it is Df(x0)
            out += _matrix(solution.composite_at, width, ascii)
        if solution.gradient_at is not None:
            out += _matrix(solution.gradient_at, width, ascii)
        out.append("")
    if solution.pushforward:
        n = notation(ascii)
        out.append("Pushforward of the perturbation (J times the perturbation, layer by layer):")
        for k, (letter, values) in enumerate(zip(solution.letters, solution.pushforward)):
            relation = "=" if k == 0 else n.approx  # the perturbation itself is given, not estimated
            out += list(labelled(f"{n.delta}{letter} {relation} ", vector_block(values, ascii=ascii)).lines)
        out.append("")
    if solution.pullback:
        n = notation(ascii)
        out.append("Pullback of the output gradient (transposes, right to left):")
        for letter, values in reversed(list(zip(solution.letters, solution.pullback))):
            out += list(labelled(f"{n.grad(letter, of='')} = ", vector_block(values, ascii=ascii)).lines)
        out.append("")
    if solution.no_derivative:
        out.append(f"No derivative at this point: {solution.no_derivative}.")
    elif solution.finite_difference is not None:
        err = solution.finite_difference_error or 0.0
        out.append(
            f"Finite-difference check (central differences): largest difference {format_number(err, 3)}"
            + ("  - agrees" if solution.finite_difference_agrees else "  - DISAGREES")
        )
    elif solution.values:
        out.append("Finite-difference check: not available here (the nearby values overflow)")
    if solution.path_entry:
        i, j = solution.path_entry
        entry = render_inline(f"\\partial y_{{{i}}}/\\partial x_{{{j}}}", ascii=ascii)
        out.append("")
        out.append(f"Path tracing for {entry}, a sum over the paths through the middle:")
        out += path_lines(solution, width, ascii=ascii)
    return out
