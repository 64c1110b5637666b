"""The scratchpad's results: everything the chain rule says about the composition typed in.

Shapes with the dimension check, each layer's Jacobian (symbolic and at the point), the chain-rule
product, the gradient for a scalar output, the pushforward, the pullback, the finite-difference
check and the path-tracing sum of one entry. The solution arrives rendered (strings), so this
only arranges it; side-by-side pieces wrap onto new lines when the window is narrow.
"""

from __future__ import annotations

from typing import Sequence

from rich.columns import Columns
from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui_tutor.engine.notation import notation
from tui_tutor.engine.render import format_number, shape_text
from tui_tutor.engine.results import MatrixView, Solution
from tui_tutor.mathtext.block import Block, labelled, matrix_lines
from tui_tutor.widgets.relayout import relayout_later
from tui_tutor.widgets.shape_table import shape_table


def solution_renderables(solution: Solution, notes: Sequence[str] = (), *, ascii: bool = False) -> list:
    """The results as Rich renderables, top to bottom."""
    n = notation(ascii)
    d, grad, approx, T, partial = n.delta, n.nabla, n.approx, n.transpose, n.partial
    letters, names = solution.letters, solution.names
    out: list = [Text(n, style="dim") for n in notes]
    arrow = " -> " if ascii else " → "

    out.append(_heading(f"Shapes: {arrow.join(letters)}"))
    rows = [(r.name, r.meaning, r.shape) for r in solution.shapes]
    out.append(shape_table(rows, ascii=ascii, check=f"dimension check: {solution.shape_check}"))

    out.append(_heading("Each layer's Jacobian: symbolic, and at the point"))
    for k, view in enumerate(solution.jacobians):
        at = solution.jacobians_at[k] if k < len(solution.jacobians_at) else None
        out.append(_side_by_side([_matrix(view, ascii), _matrix(at, ascii) if at else None]))

    if solution.composite is not None and len(names) > 1:
        product = "·".join(f"D{n}" for n in reversed(names)) if not ascii else " ".join(f"D{n}" for n in reversed(names))
        out.append(_heading(f"Chain-rule product: Dh = {product} (outer Jacobian on the left)"))
        out.append(_side_by_side([_matrix(solution.composite, ascii), _matrix(solution.composite_at, ascii)]))

    if solution.gradient is not None:
        out.append(_heading(f"Gradient (scalar output): {grad}h = Dh{T}"))
        out.append(_side_by_side([_matrix(solution.gradient, ascii), _matrix(solution.gradient_at, ascii)]))

    if solution.values:
        vectors = [labelled(f"{letter}0 = ", _column(v, ascii)) for letter, v in zip(letters, solution.values)]
        out.append(_heading("Values at the point"))
        out.append(_side_by_side([Text(b.text(), no_wrap=True) for b in vectors]))

    if solution.pushforward:
        out.append(_heading(f"Pushforward: {d}x pushed through the Jacobians, layer by layer"))
        blocks = []
        for k, (letter, values) in enumerate(zip(letters, solution.pushforward)):
            how = f"{d}x = " if k == 0 else f"{d}{letter} {approx} D{names[k - 1]} {d}{letters[k - 1]} = "
            blocks.append(Text(labelled(how, _column(values, ascii)).text(), no_wrap=True))
        out.append(_side_by_side(blocks))

    if solution.pullback:
        out.append(_heading("Pullback: the output gradient through the transposes, right to left"))
        blocks = []
        last = len(letters) - 1
        for k in range(last, -1, -1):
            how = f"{grad}{letters[k]} = " if k == last else f"{grad}{letters[k]} = D{names[k]}{T} {grad}{letters[k + 1]} = "
            blocks.append(Text(labelled(how, _column(solution.pullback[k], ascii)).text(), no_wrap=True))
        out.append(_side_by_side(blocks))

    if solution.no_derivative:
        out.append(_heading("No derivative at this point"))
        out.append(Text(solution.no_derivative + "."))
    if solution.finite_difference is not None:
        err = solution.finite_difference_error or 0.0
        verdict = "agrees" if solution.finite_difference_agrees else "DISAGREES"  # the engine's one rule
        out.append(_heading("Finite-difference check (central differences, independent of the chain rule)"))
        fd = Block(matrix_lines([[format_number(v, 6) for v in row] for row in solution.finite_difference], ascii=ascii).lines)
        fd_text = labelled("numeric Dh(x0) = ", Block(fd.lines, (len(fd.lines) - 1) // 2)).text()
        out.append(_side_by_side([Text(fd_text, no_wrap=True), Text(f"largest difference {format_number(err, 3)}: {verdict}")]))

    if solution.path_entry:
        i, j = solution.path_entry
        out.append(_heading(f"Path tracing: {partial}y{i}/{partial}x{j} = sum over the paths through the middle"))
        total = 0.0
        has_values = all(t.value is not None for t in solution.path_terms)
        times = " * " if ascii else " · "
        for term in solution.path_terms:
            via = ", ".join(term.via) or "direct"
            value = "" if term.value is None or _is_number(term.product) else f" = {format_number(term.value)}"
            out.append(Text(f"  via {via}: {times.join(term.factors)}{arrow}{term.product}{value}"))
            total += term.value or 0.0
        summary = f"  sum: {partial}y{i}/{partial}x{j} = {solution.path_total}"
        if has_values and solution.path_terms:
            summary += f" = {format_number(total)} at the point"
        out.append(Text(summary, style="bold"))
    return out


def _is_number(text: str) -> bool:
    try:
        float(text.replace("−", "-"))
    except ValueError:
        return False
    return True


def _heading(text: str) -> Text:
    return Text("\n" + text, style="bold")


def _matrix(view: MatrixView | None, ascii: bool):
    """``Dg(x) = [...]   2×2`` on the matrix's middle line, as ``tui-tutor solve`` prints it.

    Side by side with its value at the point; the columns wrap when the window is narrow.
    """
    if view is None:
        return None
    label = view.label.replace("∇", "grad ") if ascii else view.label
    shape = shape_text(view.rows, view.cols, ascii=ascii)
    block = labelled(f"{label} = ", Block(tuple(view.lines), view.baseline), suffix=f"   {shape}")
    return Text(block.text(), no_wrap=True)


def _column(values: Sequence[float], ascii: bool) -> Block:
    return matrix_lines([[format_number(v)] for v in values], ascii=ascii)


def _side_by_side(items: list) -> Columns:
    return Columns([i for i in items if i is not None], padding=(0, 4))


class SolutionView(VerticalScroll):
    """Scrollable results of the scratchpad."""

    DEFAULT_CSS = """
    SolutionView { height: 1fr; padding: 0 1; }
    SolutionView #solution-body { height: auto; }
    """

    def __init__(self, *, ascii: bool = False, id: str | None = None):
        super().__init__(id=id)
        self.ascii = ascii
        self.solution: Solution | None = None

    def compose(self):
        yield Static(Text("Type a map above (innermost first) to see its Jacobians.", style="dim"), id="solution-body")

    def show(self, solution: Solution, notes: Sequence[str] = ()) -> None:
        self.solution = solution
        body = Group(*solution_renderables(solution, notes, ascii=self.ascii))
        target = self.query_one("#solution-body", Static)
        target.update(body)
        relayout_later(target)
