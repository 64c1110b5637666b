"""A :class:`~tui_tutor.engine.results.Solution` as plain text, for ``tui-tutor solve``.

No sympy here: the solution arrives already rendered, so this only arranges it.
"""

from __future__ import annotations

from tui_tutor.engine.notation import notation
from tui_tutor.engine.render import format_number, table_lines
from tui_tutor.engine.results import MatrixView, Solution
from tui_tutor.mathtext.block import Block, labelled, matrix_lines


def _vector(values: list[float], ascii: bool) -> Block:
    return matrix_lines([[format_number(v)] for v in values], ascii=ascii)


def _matrix(view: MatrixView, ascii: bool) -> list[str]:
    shape = f"{view.rows}{'x' if ascii else '×'}{view.cols}"
    label = view.label if not ascii else view.label.replace("∇", "grad ")
    block = Block(view.lines, view.baseline)
    return list(labelled(f"{label} = ", block, suffix=f"   {shape}").lines)


def report_lines(solution: Solution, *, ascii: bool = False) -> list[str]:
    """The human-readable report: shapes, Jacobians, the product, gradient, pushforward, check."""
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
        out += _matrix(view, ascii)
        out.append("")
    if solution.composite is not None and len(solution.names) > 1:
        out.append("Chain-rule product (outer Jacobian on the left):")
        out += _matrix(solution.composite, ascii)
        out.append("")
    if solution.gradient is not None:
        out += _matrix(solution.gradient, ascii)
        out.append("")
    if solution.values:
        out.append("At the point:")
        for letter, values in zip(solution.letters, solution.values):
            out += list(labelled(f"{letter}0 = ", _vector(values, ascii)).lines)
        out.append("")
        for view in solution.jacobians_at:
            out += _matrix(view, ascii)
        if solution.composite_at is not None and len(solution.names) > 1:  # one map: it is Df(x0)
            out += _matrix(solution.composite_at, ascii)
        if solution.gradient_at is not None:
            out += _matrix(solution.gradient_at, ascii)
        out.append("")
    if solution.pushforward:
        n = notation(ascii)
        out.append("Pushforward of the perturbation (J times the perturbation, layer by layer):")
        for k, (letter, values) in enumerate(zip(solution.letters, solution.pushforward)):
            relation = "=" if k == 0 else n.approx  # the perturbation itself is given, not estimated
            out += list(labelled(f"{n.delta}{letter} {relation} ", _vector(values, ascii)).lines)
        out.append("")
    if solution.pullback:
        n = notation(ascii)
        out.append("Pullback of the output gradient (transposes, right to left):")
        for letter, values in reversed(list(zip(solution.letters, solution.pullback))):
            out += list(labelled(f"{n.grad(letter, of='')} = ", _vector(values, ascii)).lines)
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
        d = notation(ascii).partial
        out.append("")
        out.append(f"Path tracing for {d}y{i}/{d}x{j} = {solution.path_total}:")
        for term in solution.path_terms:
            via = ", ".join(term.via) or "direct"
            numeric = term.product.lstrip("-").replace(".", "", 1).isdigit()
            value = "" if term.value is None or numeric else f"  = {format_number(term.value)}"
            out.append(f"  via {via}: {'  *  '.join(term.factors)}   ->  {term.product}{value}")
    return out
