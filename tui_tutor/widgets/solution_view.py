"""The scratchpad's results: everything the chain rule says about the composition typed in.

Shapes with the dimension check, each layer's Jacobian (symbolic and at the point), the chain-rule
product, the gradient for a scalar output, the pushforward, the pullback, the finite-difference
check and the path-tracing sum of one entry. The solution arrives as maths text; this lays it out
for the width the pane has (tui_tutor.mathtext): pieces side by side where they fit and one under
another where they do not, matrices drawn, wrapped inside their cells or listed entry by entry,
never cut by the terminal.
"""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.containers import VerticalScroll

from tui_tutor.engine.notation import notation
from tui_tutor.engine.render import format_number, table_lines
from tui_tutor.engine.report import matrix_block, number_tex, path_lines, vector_block
from tui_tutor.engine.results import MatrixView, Solution
from tui_tutor.mathtext import render_inline, to_ascii
from tui_tutor.mathtext.block import Block, hstack, labelled
from tui_tutor.mathtext.fit import wrap_text
from tui_tutor.widgets.mathview import FittedText

GAP = 4  # columns between pieces set side by side
EMPTY = "Type a map above (innermost first) to see its Jacobians."
WORKING = "Working out the results…"


def solution_text(solution: Solution, notes: Sequence[str], width: int, *, ascii: bool = False) -> Text:
    """The results in at most ``width`` columns, top to bottom, as styled text."""
    n = notation(ascii)
    d, approx, T = n.delta, n.approx, n.transpose
    letters, names = solution.letters, solution.names
    out = Text(no_wrap=True)

    def line(text: str = "", style: str = "") -> None:
        out.append(text + "\n", style=style)

    def lines(block_lines: Sequence[str], style: str = "") -> None:
        for row in block_lines:
            line(row.rstrip(), style)

    def heading(text: str) -> None:
        line()
        lines(wrap_text(text, width, hang=2)[0], "bold")

    def row(blocks: Sequence[Block | None]) -> None:
        lines(side_by_side([b for b in blocks if b is not None], width))

    for note in notes:  # the engine's notes are plain text, Unicode included (ℓ = y1)
        lines(wrap_text(to_ascii(note) if ascii else note, width, hang=2)[0], "dim")

    arrow = " -> " if ascii else " → "
    heading(f"Shapes: {arrow.join(letters)}")
    lines(_shape_table(solution, width, ascii))
    lines(wrap_text(f"dimension check: {solution.shape_check}", width, hang=2)[0])

    heading("Each layer's Jacobian: symbolic, and at the point")
    for k, view in enumerate(solution.jacobians):
        at = solution.jacobians_at[k] if k < len(solution.jacobians_at) else None
        row([_matrix(view, width, ascii), _matrix(at, width, ascii)])

    if solution.composite is not None and len(names) > 1:
        product = (" " if ascii else "·").join(f"D{name}" for name in reversed(names))
        heading(f"Chain-rule product: Dh = {product} (outer Jacobian on the left)")
        row([_matrix(solution.composite, width, ascii), _matrix(solution.composite_at, width, ascii)])

    if solution.gradient is not None:
        heading(f"Gradient (scalar output): {n.nabla}h = Dh{T}")
        row([_matrix(solution.gradient, width, ascii), _matrix(solution.gradient_at, width, ascii)])

    if solution.values:
        heading("Values at the point")
        row([labelled(f"{_at(letter, ascii)} = ", vector_block(v, ascii=ascii)) for letter, v in zip(letters, solution.values)])

    if solution.pushforward:
        heading(f"Pushforward: {d}x pushed through the Jacobians, layer by layer")
        blocks = []
        for k, (letter, values) in enumerate(zip(letters, solution.pushforward)):
            how = f"{d}x = " if k == 0 else f"{d}{letter} {approx} D{names[k - 1]} {d}{letters[k - 1]} = "
            blocks.append(labelled(how, vector_block(values, ascii=ascii)))
        row(blocks)

    if solution.pullback:
        heading("Pullback: the output gradient through the transposes, right to left")
        blocks = []
        last = len(letters) - 1
        for k in range(last, -1, -1):
            grad = n.grad(letters[k], of="")
            how = f"{grad} = " if k == last else f"{grad} = D{names[k]}{T} {n.grad(letters[k + 1], of='')} = "
            blocks.append(labelled(how, vector_block(solution.pullback[k], ascii=ascii)))
        row(blocks)

    if solution.no_derivative:
        heading("No derivative at this point")
        lines(wrap_text(solution.no_derivative + ".", width, hang=0)[0])
    if solution.finite_difference is not None:
        err = solution.finite_difference_error or 0.0
        verdict = "agrees" if solution.finite_difference_agrees else "DISAGREES"  # the engine's one rule
        heading("Finite-difference check (central differences, independent of the chain rule)")
        numeric = MatrixView(
            "\\text{numeric } Dh(\\mathbf{x}_0)", len(solution.finite_difference), len(solution.finite_difference[0]),
            tuple(tuple(number_tex(v) for v in r) for r in solution.finite_difference),
        )
        row([_matrix(numeric, width, ascii), Block((f"largest difference {format_number(err, 3)}: {verdict}",), 0)])

    if solution.path_entry:
        i, j = solution.path_entry
        entry = render_inline(f"\\partial y_{{{i}}}/\\partial x_{{{j}}}", ascii=ascii)
        heading(f"Path tracing: {entry} = sum over the paths through the middle")
        lines(path_lines(solution, width, ascii=ascii))
    out.rstrip()
    return out


def side_by_side(blocks: Sequence[Block], width: int, gap: int = GAP) -> list[str]:
    """Blocks in rows, as many side by side as fit in ``width`` (aligned on their baselines)."""
    out: list[str] = []
    current: list[Block] = []
    for block in blocks:
        trial = current + [block]
        if current and sum(b.width for b in trial) + gap * (len(trial) - 1) > width:
            out += hstack(current, sep=" " * gap).lines
            current = [block]
        else:
            current = trial
    if current:
        out += hstack(current, sep=" " * gap).lines
    return [line.rstrip() for line in out]


def _shape_table(solution: Solution, width: int, ascii: bool) -> list[str]:
    """The shape table; without its Meaning column when the pane is too narrow for it."""
    rows = [[r.name, r.meaning, r.shape] for r in solution.shapes]
    table = table_lines(["Object", "Meaning", "Shape"], rows, ascii=ascii)
    if max(len(t) for t in table) <= width:
        return table
    return table_lines(["Object", "Shape"], [[r[0], r[2]] for r in rows], ascii=ascii)


def _matrix(view: MatrixView | None, width: int, ascii: bool) -> Block | None:
    """``Dg(x) = [...]   2×2``, as ``tui-tutor solve`` prints it, in at most ``width`` columns."""
    return None if view is None else matrix_block(view, width, ascii=ascii)


def _at(letter: str, ascii: bool) -> str:
    """``x₀``: the point, and the values there."""
    return render_inline(f"{letter}_0", ascii=ascii)




class SolutionBody(FittedText):
    """The results, laid out again for every width the pane is given."""

    def __init__(self, *, ascii: bool = False, id: str | None = None):
        super().__init__(id=id)
        self.ascii = ascii
        self.solution: Solution | None = None
        self.notes: tuple[str, ...] = ()
        self.working = False  # maps are filled in and the first results are being worked out

    def text_at(self, width: int) -> Text:
        if self.solution is None:
            message = (WORKING.replace("…", "...") if self.ascii else WORKING) if self.working else EMPTY
            return Text("\n".join(wrap_text(message, width, hang=0)[0]), style="dim")
        return solution_text(self.solution, self.notes, width, ascii=self.ascii)

    def show(self, solution: Solution, notes: Sequence[str] = ()) -> None:
        self.solution, self.notes = solution, tuple(notes)
        self.changed()


class SolutionView(VerticalScroll):
    """Scrollable results of the scratchpad."""

    DEFAULT_CSS = """
    SolutionView { height: 1fr; padding: 0 1; }
    """

    def __init__(self, *, ascii: bool = False, id: str | None = None):
        super().__init__(id=id)
        self.ascii = ascii
        self.solution: Solution | None = None

    def compose(self):
        yield SolutionBody(ascii=self.ascii, id="solution-body")

    def show(self, solution: Solution, notes: Sequence[str] = ()) -> None:
        self.solution = solution
        self.query_one(SolutionBody).show(solution, notes)

    def waiting(self, working: bool) -> None:
        """Before the first results: whether they are being worked out (maps are filled in)."""
        body = self.query_one(SolutionBody)
        if body.working != working:
            body.working = working
            body.changed()
