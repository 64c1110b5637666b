"""Text in, plain results out: the engine functions that screens and the CLI call.

Each function takes what a person typed, works it through the parser and the calculus modules,
and returns a dataclass from :mod:`tui_tutor.engine.results` (strings, floats, lists) that a
widget can draw or the CLI can print. They are what the worker process runs, so the same code
serves ``tui-tutor solve`` and the scratchpad, ``tui-tutor grade`` and the quiz.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import sympy

from tui_tutor.engine.chain import Chain, ChainError, PathTerm
from tui_tutor.engine.figures import preview_warning
from tui_tutor.engine.grade import default_kind, grade, grade_choice, grade_shape
from tui_tutor.engine.parse import ParseError, parse, parse_point
from tui_tutor.engine.linetext import describe_shape, line_text, value_text
from tui_tutor.engine.problems import expected_answer, problem_from_dict
from tui_tutor.engine.render import shape_product_text, shape_text
from tui_tutor.engine.results import (
    MatrixView,
    PathFactorView,
    PathTermView,
    Preview,
    ShapeRowView,
    Solution,
    Verdict,
)
from tui_tutor.engine.texprint import entries_tex, number_tex, tex


def solve(
    maps: Sequence[str],
    at: str | Sequence[object] | None = None,
    dx: str | Sequence[object] | None = None,
    *,
    entry: tuple[int, int] | None = None,
    seed: str | Sequence[object] | None = None,
    ascii: bool = False,
) -> Solution:
    """Work a composition: shapes, Jacobians, the chain-rule product and, at a point, its numbers.

    ``maps`` are one text per layer, innermost first. ``entry`` (1-based) asks for the path-tracing
    terms of ∂y_i/∂x_j. ``seed`` is the output gradient to pull back when the output is a vector.
    Raises ParseError or ChainError with a message a person can act on.
    """
    point = None if at is None or at == "" else _point(at)
    chain = Chain.from_texts(list(maps), input_dim=len(point) if point else None)
    names, letters = chain.names, chain.letters
    solution = Solution(
        maps=list(maps),
        names=list(names),
        letters=list(letters),
        dims=list(chain.dims),
        shapes=[
            ShapeRowView(r.name, r.meaning, shape_text(r.rows, r.cols, ascii=ascii))
            for r in chain.shape_rows(ascii=ascii)
        ],
        shape_check=shape_product_text(chain.shape_check(), ascii=ascii),
        jacobians=[_view(_label(names[k], letters[k]), jac) for k, jac in enumerate(chain.jacobians())],
    )
    composite_name = "h" if chain.depth > 1 else names[0]
    solution.composite = _view(_label(composite_name, "x"), chain.composite_jacobian())
    if chain.is_scalar:
        solution.gradient = _view(_label("h", "x", gradient=True), chain.gradient())
    if point is not None:
        values = chain.forward(point)
        solution.values = [_floats(v) for v in values]
        solution.no_derivative = _no_derivative(chain, point, ascii)
        if solution.no_derivative is None:
            _at_point(solution, chain, point, dx, seed, composite_name)
    if entry is not None:
        i, j = entry
        # At a corner of abs the local derivatives have no value, so the paths are shown symbolically.
        terms = chain.path_terms(i - 1, j - 1, None if solution.no_derivative else point)
        solution.path_entry = (i, j)
        solution.path_terms = [_path_view(t) for t in terms]
        solution.path_total = tex(chain.composite_jacobian()[i - 1, j - 1])
    return solution


def _at_point(solution: Solution, chain: Chain, point, dx, seed, composite_name: str) -> None:
    """The Jacobians at the point, the gradient, pushforward, pullback and finite-difference check."""
    names, letters = chain.names, chain.letters
    at_jacs = chain.jacobians_at(point)
    solution.jacobians_at = [
        _view(_label(names[k], letters[k], at=True), jac, numeric=True) for k, jac in enumerate(at_jacs)
    ]
    composite_at = chain.composite_jacobian_at(point)
    solution.composite_at = _view(_label(composite_name, "x", at=True), composite_at, numeric=True)
    if chain.is_scalar:
        solution.gradient_at = _view(_label("h", "x", at=True, gradient=True), composite_at.T, numeric=True)
    if dx is not None and dx != "":
        solution.pushforward = [_floats(d) for d in chain.pushforward(point, _point(dx))]
    if chain.is_scalar or seed:
        grads = chain.pullback(point, None if not seed else _point(seed))
        solution.pullback = [_floats(g) for g in grads]
    fd, allowance = chain.finite_difference_check(point)
    if np.all(np.isfinite(fd)) and np.all(np.isfinite(allowance)):  # near an overflow: no numbers to offer
        solution.finite_difference = fd.tolist()
        solution.finite_difference_allowance = allowance.tolist()
        exact = np.array(solution.composite_at.values, dtype=float)
        solution.finite_difference_error = float(np.max(np.abs(fd - exact))) if fd.size else 0.0


def _no_derivative(chain: Chain, point, ascii: bool) -> str | None:
    """Why the chain rule has no Jacobian to offer at the point (abs at its corner), or None."""
    corners = chain.corners(point)
    if not corners:
        return None
    layer, inside = corners[0]
    name, letter = chain.names[layer], chain.letters[layer]
    where = line_text(inside, ascii=ascii)
    return (
        f"D{name}({letter}0) does not exist, because abs({where}) has a corner where {where} = 0; "
        "the Jacobian, the chain-rule product and the finite-difference check have no value here"
    )


def grade_answer(
    expected: str,
    answer: str,
    kind: str | None = "scalar",
    problem: dict | None = None,
    choices: Sequence[str] | None = None,
) -> Verdict:
    """Grade typed text. ``kind`` may also be "shape" or "choice"; None takes the problem's kind,
    else the expected answer's (see :func:`grade.default_kind`). Raises ParseError when unreadable."""
    if kind == "shape":
        return grade_shape(expected, answer)
    if kind == "choice":
        return grade_choice(expected, answer, list(choices or []))
    parsed_problem = problem_from_dict(problem) if problem else None
    want = parse(expected)
    return grade(want, answer, kind or default_kind(want, parsed_problem), parsed_problem)


def grade_problem(problem: dict, answer: str, kind: str | None = None) -> Verdict:
    """Grade an answer to a problem whose expected answer the engine computes."""
    parsed = problem_from_dict(problem)
    return grade(expected_answer(parsed), answer, kind or parsed.kind(), parsed)


def preview(text: str, *, ascii: bool = False, allowed: Sequence[str] | None = None) -> Preview:
    """How an answer reads before it is submitted: pretty-printed with its shape, or the problem."""
    if not text.strip():
        return Preview(False, "type an answer", column=None)
    try:
        parsed = parse(text, allowed=allowed)
    except ParseError as err:
        return Preview(False, str(err), column=err.column)
    value = parsed.value
    warning = preview_warning(parsed.decimals)
    # The value as typed: each decimal literal stands in its place rather than its exact fraction.
    shown = parsed.parametric() if parsed.decimals else None
    written = tex(value if shown is None else shown, {lit.symbol: lit.text for lit in parsed.decimals})
    shape = tuple(value.shape) if parsed.is_matrix else None
    return Preview(True, f"read as: {describe_shape(value, ascii=ascii)}", written, shape=shape, warning=warning)


# --- helpers --------------------------------------------------------------------------------------


def _point(value: str | Sequence[object]) -> list[sympy.Expr]:
    if isinstance(value, str):
        return parse_point(value)
    return parse_point(",".join(str(v) for v in value))


def _floats(matrix: sympy.MatrixBase) -> list[float]:
    return [_float(e) for e in matrix]


def _float(expr: sympy.Expr) -> float:
    value = complex(sympy.N(expr, 17))
    if not (math.isfinite(value.real) and math.isfinite(value.imag)):
        # log(0), x1/x2 at x2 = 0, exp(1000): no number to show (and NaN is not valid JSON).
        if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise ChainError("a value is undefined at this point (a division by zero or log(0)?); try another point")
        raise ChainError(f"{_short(expr)} is too large to show as a number here; try another point")
    if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        raise ChainError(f"{_short(expr)} is not a real number here (outside the domain?)")
    return value.real


def _short(expr: sympy.Expr, limit: int = 40) -> str:
    """A value quoted in a one-line message: 2^999 has 301 digits, and a message is not the place.

    x1^999 at 9999999999 is an integer of 9990 digits, which Python refuses to turn into text
    at all (its limit is 4300): such a value is described, not printed.
    """
    try:
        text = line_text(expr)
    except ValueError:
        return "a value with thousands of digits"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _label(name: str, letter: str, *, at: bool = False, gradient: bool = False) -> str:
    """``Dg(\\mathbf{x})``, ``Dh(\\mathbf{x}_0)``, ``\\nabla h(\\mathbf{x})``: a Jacobian's label in the subset."""
    point = f"\\mathbf{{{letter}}}" + ("_0" if at else "")
    return f"\\nabla {name}({point})" if gradient else f"D{name}({point})"


def _view(label: str, matrix: sympy.MatrixBase, numeric: bool = False) -> MatrixView:
    # Floats only for what is shown as numbers: a symbolic view shows e^1000 as e^1000, so its
    # value need not fit a float (and 'too large to show' would refuse what is not shown). Numbers
    # first: a value too large to show is refused here, before it is written out.
    values = tuple(tuple(_float(e) for e in row) for row in matrix.tolist()) if numeric else None
    return MatrixView(label, matrix.rows, matrix.cols, entries_tex(matrix, numeric=numeric), values)


def _coordinate(name: str) -> str:
    """``u2`` -> ``u_{2}``: a coordinate's name in the subset."""
    letters = name.rstrip("0123456789")
    return f"{letters}_{{{name[len(letters):]}}}" if letters != name else name


def _path_view(term: PathTerm) -> PathTermView:
    factors = []
    for f in reversed(term.factors):  # outer factor first, as the lesson writes the sum
        value = None
        if f.value is not None and f.expr.free_symbols:
            value = number_tex(value_text(f.value))
        name = f"\\partial {_coordinate(f.numerator)}/\\partial {_coordinate(f.denominator)}"
        factors.append(PathFactorView(name, tex(f.expr), value))
    value = None if term.value is None else _float(term.value)
    zero = term.product == 0
    return PathTermView(tuple(_coordinate(v) for v in term.via), tuple(factors), tex(term.product), value, zero)


__all__ = ["ChainError", "ParseError", "grade_answer", "grade_problem", "preview", "solve"]
