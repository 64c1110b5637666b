"""Chain-rule problems: what is asked, the answer the engine computes, and the likely mistakes.

A :class:`Problem` names the maps (innermost first), optionally a point and a perturbation, and
what is asked. :func:`expected_answer` computes the answer, so content never has to be trusted
for it. :func:`mistakes` derives, from the same problem, the wrong answers the lesson warns about
— the product in the wrong order, the outer Jacobian evaluated at x instead of g(x), a path left
out of a sum, the gradient written as a row, a missing transpose — so the grader can recognise
them without anyone listing them per question.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import ImmutableMatrix

from tui_tutor.engine.asks import ASKS
from tui_tutor.engine.chain import Chain, ChainError, tidy
from tui_tutor.engine.parse import parse_point


@dataclass(frozen=True)
class Problem:
    """A question about a composition; all numbers exact (texts parsed by the safe parser)."""

    maps: tuple[str, ...]
    ask: str = "jacobian"
    at: tuple[str, ...] | None = None
    dx: tuple[str, ...] | None = None
    layer: int | None = None  # 1-based, for layer_jacobian
    entry: tuple[int, int] | None = None  # 1-based (i, j), for entry
    space: int | None = None  # 0 = x, for pullback and value
    seed: tuple[str, ...] | None = None  # output gradient for pullback when p > 1

    def __post_init__(self):
        if self.ask not in ASKS:
            raise ChainError(f"unknown ask '{self.ask}'; use one of {', '.join(ASKS)}")

    def chain(self) -> Chain:
        input_dim = len(self.at) if self.at else None
        return Chain.from_texts(list(self.maps), input_dim=input_dim)

    def point(self) -> list[sympy.Expr] | None:
        return None if self.at is None else parse_point(",".join(self.at))

    def kind(self) -> str:
        """The answer kind the grader should use for this problem."""
        if self.ask in ("entry",):
            return "scalar"
        if self.ask == "pushforward":
            return "vector"
        if self.ask == "value":
            return "vector"
        return "matrix"


@dataclass(frozen=True)
class Mistake:
    """A wrong answer a learner is likely to give, and what it means."""

    code: str
    value: sympy.Basic
    message: str
    entry: tuple[int, int] | None = None  # for entry-level mistakes (1-based)


MESSAGES = {
    "transposed": "this is the transpose of the right answer: rows are outputs, columns are inputs",
    "shape_mismatch": "the shape is wrong",
    "sign": "the sign is flipped; check each minus sign",
    "wrong_order": (
        "the factors are in the wrong order: the outer map's Jacobian goes on the left, "
        "D(f∘g)(x) = Df(g(x))·Dg(x)"
    ),
    "outer_at_x": (
        "the outer Jacobian was evaluated at x instead of at u = g(x); "
        "substitute the inner map's value before evaluating it"
    ),
    "missing_term": "a path is missing from the sum over intermediate coordinates",
    "gradient_as_row": (
        "that is the 1×n row Dh; the gradient is its transpose, an n×1 column"
    ),
    "rounding": (
        "close, but the last figure is off: round the exact value to the figures you give "
        "(keep more digits in the steps before), or give more figures"
    ),
    "missing_transpose": "gradients pull back through the transpose: use Dgᵀ, not Dg",
    "used_transpose": "perturbations push forward through J itself, not Jᵀ",
}


def expected_answer(problem: Problem) -> sympy.Basic:
    """The answer to a problem, computed by the engine (exact)."""
    chain = problem.chain()
    point = problem.point()
    ask = problem.ask
    if ask == "jacobian":
        return chain.composite_jacobian() if point is None else chain.composite_jacobian_at(point)
    if ask == "gradient":
        return chain.gradient() if point is None else chain.gradient_at(point)
    if ask == "layer_jacobian":
        layer = _layer_index(problem, chain)
        if point is None:
            return chain.jacobian(layer)
        return chain.jacobians_at(point)[layer]
    if ask == "entry":
        i, j = _entry(problem, chain)
        if point is None:
            return chain.composite_jacobian()[i, j]
        return chain.composite_jacobian_at(point)[i, j]
    if ask == "pushforward":
        _need(point, problem, "a point (at)")
        _need(problem.dx, problem, "a perturbation (dx)")
        return chain.pushforward(point, parse_point(",".join(problem.dx)))[-1]
    if ask == "pullback":
        _need(point, problem, "a point (at)")
        space = _space(problem, chain)
        return chain.pullback(point, _seed(problem))[space]
    if ask == "value":
        _need(point, problem, "a point (at)")
        return chain.forward(point)[_space(problem, chain)]
    raise ChainError(f"unknown ask '{ask}'")


def mistakes(problem: Problem) -> list[Mistake]:
    """The chain-rule mistakes that apply to this problem, each with the value it would give."""
    chain = problem.chain()
    point = problem.point()
    ask = problem.ask
    found: list[Mistake] = []
    if ask in ("jacobian", "gradient", "entry"):
        correct = chain.composite_jacobian()
        for code, product in _wrong_products(chain):
            value = _at(product, chain, point)
            if ask == "gradient":
                value = value.T
            elif ask == "entry":
                i, j = _entry(problem, chain)
                if value.shape != correct.shape:
                    continue
                value = value[i, j]
            found.append(Mistake(code, value, MESSAGES[code]))
        found.extend(_missing_terms(problem, chain, point))
        if ask == "gradient":
            row = _at(correct, chain, point)
            found.append(Mistake("gradient_as_row", row, MESSAGES["gradient_as_row"]))
    if ask == "pushforward" and point is not None and problem.dx:
        dx = ImmutableMatrix(parse_point(",".join(problem.dx)))
        for code, product in _wrong_products(chain):
            value = _at(product, chain, point)
            if value.shape[1] == dx.shape[0]:
                found.append(Mistake(code, value * dx, MESSAGES[code]))
        jacs = chain.jacobians_at(point)
        delta = dx
        transposed_ok = True
        for jac in jacs:
            if jac.shape[0] != jac.shape[1]:
                transposed_ok = False
                break
            delta = jac.T * delta
        if transposed_ok:
            found.append(Mistake("used_transpose", delta, MESSAGES["used_transpose"]))
    if ask == "pullback" and point is not None:
        space = _space(problem, chain)
        jacs = chain.jacobians_at(point)
        grad = ImmutableMatrix([_exact(s) for s in _seed(problem) or [1]])
        # The transpose can only be forgotten where the shapes allow it: a square Jacobian. A
        # non-square one (always the last, for a scalar output) must be transposed to multiply.
        square = False
        for jac in reversed(jacs[space:]):
            square |= jac.shape[0] == jac.shape[1]
            grad = (jac if jac.shape[0] == jac.shape[1] else jac.T) * grad
        if square:
            found.append(Mistake("missing_transpose", grad, MESSAGES["missing_transpose"]))
    return found


# --- mistake generators ---------------------------------------------------------------------------


def _wrong_products(chain: Chain) -> list[tuple[str, ImmutableMatrix]]:
    """Symbolic (in x) wrong versions of the chain-rule product."""
    out = []
    along = chain.jacobians_along()  # Dg(x), Df(g(x)), ... input side first
    # Wrong order: multiply inner-to-outer from the left, when the shapes allow it.
    product = along[0]
    ok = True
    for jac in along[1:]:
        if product.shape[1] != jac.shape[0]:
            ok = False
            break
        product = product * jac
    if ok and chain.depth > 1:
        out.append(("wrong_order", ImmutableMatrix(product.applyfunc(tidy))))
    # Outer at x: an outer layer's Jacobian evaluated at x (its letter swapped for x).
    x_vars = chain.variables(0)
    for k in range(1, chain.depth):
        own = chain.variables(k)
        if len(own) > len(x_vars):
            continue
        swapped = chain.jacobian(k).xreplace(dict(zip(own, x_vars)))
        factors = list(along)
        factors[k] = swapped
        product = factors[0]
        for jac in factors[1:]:
            product = jac * product
        out.append(("outer_at_x", ImmutableMatrix(product.applyfunc(tidy))))
    return out


def _missing_terms(problem: Problem, chain: Chain, point) -> list[Mistake]:
    """For each entry, the value with one path dropped (only paths that are not zero)."""
    if chain.depth < 2:
        return []
    out = []
    correct = chain.composite_jacobian() if point is None else chain.composite_jacobian_at(point)
    entries = [_entry(problem, chain)] if problem.ask == "entry" else [
        (i, j) for i in range(chain.output_dim) for j in range(chain.input_dim)
    ]
    for i, j in entries:
        for term in chain.path_terms(i, j, point):
            value = term.product if point is None else term.value
            if value == 0:
                continue
            wrong = tidy(correct[i, j] - value)
            message = (
                f"∂{chain.coordinate(chain.depth, i)}/∂{chain.coordinate(0, j)} is missing the path "
                f"through {', '.join(term.via)}: add up every intermediate coordinate"
            )
            if problem.ask == "entry":
                out.append(Mistake("missing_term", wrong, message))
            else:
                matrix = correct.as_mutable()
                matrix[i, j] = wrong
                value_matrix = ImmutableMatrix(matrix)
                if problem.ask == "gradient":
                    value_matrix = value_matrix.T
                out.append(Mistake("missing_term", value_matrix, message, entry=(i + 1, j + 1)))
    return out


# --- small helpers --------------------------------------------------------------------------------


def _at(matrix: ImmutableMatrix, chain: Chain, point) -> ImmutableMatrix:
    if point is None:
        return matrix
    env = dict(zip(chain.variables(0), point))
    return ImmutableMatrix(matrix.xreplace(env).applyfunc(tidy))


def _need(value, problem: Problem, what: str) -> None:
    if value is None:
        raise ChainError(f"ask '{problem.ask}' needs {what}")


def _layer_index(problem: Problem, chain: Chain) -> int:
    layer = problem.layer if problem.layer is not None else 1
    if not 1 <= layer <= chain.depth:
        raise ChainError(f"layer must be 1 to {chain.depth}, not {layer}")
    return layer - 1


def _entry(problem: Problem, chain: Chain) -> tuple[int, int]:
    if problem.entry is None:
        raise ChainError("ask 'entry' needs entry: [i, j]")
    i, j = problem.entry
    if not (1 <= i <= chain.output_dim and 1 <= j <= chain.input_dim):
        raise ChainError(
            f"entry [{i}, {j}] is outside the {chain.output_dim}×{chain.input_dim} Jacobian"
        )
    return i - 1, j - 1


def _space(problem: Problem, chain: Chain) -> int:
    space = problem.space if problem.space is not None else 0
    if not 0 <= space <= chain.depth:
        raise ChainError(f"space must be 0 (x) to {chain.depth} (output), not {space}")
    return space


def _seed(problem: Problem) -> list[sympy.Expr] | None:
    return None if problem.seed is None else parse_point(",".join(problem.seed))


def _exact(value) -> sympy.Expr:
    return value if isinstance(value, sympy.Basic) else sympy.Integer(value)


def problem_from_dict(data: dict) -> Problem:
    """A Problem from plain data (YAML or JSON): lists of strings or numbers become tuples."""

    def texts(value):
        if value is None:
            return None
        if isinstance(value, (str, int, float)):
            value = [value] if not isinstance(value, str) else [v for v in value.split(",")]
        return tuple(str(v).strip() for v in value)

    maps = data.get("maps")
    if not maps or not isinstance(maps, (list, tuple)):
        raise ChainError("a problem needs maps: a list with one entry per layer, innermost first")
    entry = data.get("entry")
    return Problem(
        maps=tuple(str(m) for m in maps),
        ask=str(data.get("ask", "jacobian")),
        at=texts(data.get("at")),
        dx=texts(data.get("dx")),
        layer=data.get("layer"),
        entry=tuple(entry) if entry is not None else None,
        space=data.get("space"),
        seed=texts(data.get("seed")),
    )


__all__ = ["ASKS", "MESSAGES", "Mistake", "Problem", "expected_answer", "mistakes", "problem_from_dict"]
