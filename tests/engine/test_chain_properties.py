"""Property tests: the chain rule as the engine computes it against sympy's Jacobian of the composite.

Random maps (polynomials, sin, cos, exp of small expressions in x1.. / u1.. / v1..) are built as
sympy expressions, written out with the engine's own ``line_text`` and read back through
``Chain.from_texts`` — so the parser is exercised too — and the engine's answers are checked
against an independent computation: substitute the layers into each other by hand and let
``sympy.Matrix.jacobian`` differentiate the result.
"""

from __future__ import annotations

import math

import numpy as np
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tui_tutor.engine.chain import Chain
from tui_tutor.engine.parse import symbol
from tui_tutor.engine.linetext import line_text

LETTERS = ("x", "u", "v")
PROPERTY = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
POINT = st.floats(min_value=-1.5, max_value=1.5, allow_nan=False).map(lambda v: round(v, 3))


def variables(letter: str, count: int) -> list[sympy.Symbol]:
    return [symbol(f"{letter}{i}") for i in range(1, count + 1)]


def expressions(names: list[sympy.Symbol], trig: bool) -> st.SearchStrategy:
    """Small expression trees over ``names`` with integer coefficients in [-3, 3]."""
    leaves = st.one_of(st.sampled_from(names), st.integers(-3, 3).map(sympy.Integer))

    def extend(children):
        pairs = st.tuples(children, children)
        options = [
            pairs.map(lambda p: p[0] + p[1]),
            pairs.map(lambda p: p[0] - p[1]),
            pairs.map(lambda p: p[0] * p[1]),
            st.tuples(children, st.integers(2, 3)).map(lambda p: p[0] ** p[1]),
        ]
        if trig:  # of non-constant arguments only: exp(exp(exp(3))) is refused by the parser's limits
            for func in (sympy.sin, sympy.cos, sympy.exp):
                options.append(children.map(lambda e, f=func: f(e) if e.free_symbols else e))
        return st.one_of(*options)

    return st.recursive(leaves, extend, max_leaves=5)


@st.composite
def chains(draw, trig: bool = True, scalar: bool = False, layers: tuple[int, ...] = (2, 3)):
    """(maps as sympy expressions per layer, their texts, input dimension)."""
    depth = draw(st.sampled_from(layers))
    dims = [draw(st.integers(1, 3)) for _ in range(depth + 1)]
    if scalar:
        dims[-1] = 1
    maps = []
    for k in range(depth):
        names = variables(LETTERS[k], dims[k])
        maps.append([draw(expressions(names, trig)) for _ in range(dims[k + 1])])
    texts = [", ".join(line_text(e) for e in layer) for layer in maps]
    return maps, texts, dims[0]


def composite_by_hand(maps) -> list[sympy.Expr]:
    """The layers substituted into each other, innermost first, without the engine."""
    current = list(maps[0])
    for k, layer in enumerate(maps[1:], start=1):
        env = dict(zip(variables(LETTERS[k], len(current)), current))
        current = [e.xreplace(env) for e in layer]
    return current


def numeric(matrix: sympy.MatrixBase, names, point) -> np.ndarray:
    func = sympy.lambdify(names, matrix, "mpmath")
    return np.array(func(*point).tolist(), dtype=complex)


def assert_close(left: np.ndarray, right: np.ndarray, rtol: float) -> None:
    scale = max(1.0, float(np.max(np.abs(right), initial=0.0)))
    assert np.max(np.abs(left - right), initial=0.0) <= rtol * scale, (left, right)


@PROPERTY
@given(chains(trig=False))
def test_polynomial_chain_rule_equals_jacobian_of_composite_exactly(case):
    maps, texts, n = case
    chain = Chain.from_texts(texts, input_dim=n)
    xs = variables("x", n)
    direct = sympy.Matrix(composite_by_hand(maps)).jacobian(xs)
    difference = (chain.composite_jacobian() - direct).applyfunc(sympy.expand)
    assert difference == sympy.zeros(*direct.shape)


@PROPERTY
@given(chains(trig=True), st.lists(POINT, min_size=3, max_size=3))
def test_trigonometric_chain_rule_equals_jacobian_of_composite(case, coordinates):
    maps, texts, n = case
    chain = Chain.from_texts(texts, input_dim=n)
    xs = variables("x", n)
    direct = sympy.Matrix(composite_by_hand(maps)).jacobian(xs)
    point = coordinates[:n]
    expected = numeric(direct, xs, point)
    assume(np.all(np.isfinite(expected)) and np.max(np.abs(expected), initial=0) < 1e12)
    # symbolic product evaluated at the point, and the product of the Jacobians at the point
    assert_close(numeric(chain.composite_jacobian(), xs, point), expected, 1e-9)
    exact_point = [sympy.Rational(repr(p)) for p in point]
    at_point = np.array(chain.composite_jacobian_at(exact_point).evalf(30).tolist(), dtype=complex)
    assert_close(at_point, expected, 1e-9)


@PROPERTY
@given(chains(trig=True, scalar=True), st.lists(st.integers(-2, 2), min_size=3, max_size=3),
       st.lists(st.integers(-5, 5), min_size=3, max_size=3))
def test_gradient_dot_dx_equals_pushforward_for_scalar_output(case, point, dx):
    maps, texts, n = case
    chain = Chain.from_texts(texts, input_dim=n)
    point, dx = point[:n], [sympy.Rational(d, 100) for d in dx[:n]]
    gradient = chain.gradient_at(point)
    pushed = chain.pushforward(point, dx)[-1]
    dot = (gradient.T * sympy.Matrix(dx))[0]
    scale = max(1.0, abs(complex(sympy.N(dot, 30))))
    assert abs(complex(sympy.N(dot - pushed[0], 30))) <= 1e-20 * scale, (dot, pushed[0])
    # the pullback from the output gives the same gradient, layer by layer
    assert chain.pullback(point)[0] == gradient


@PROPERTY
@given(chains(trig=True), st.lists(POINT, min_size=3, max_size=3))
def test_finite_differences_agree_with_the_exact_jacobian(case, coordinates):
    maps, texts, n = case
    chain = Chain.from_texts(texts, input_dim=n)
    point = coordinates[:n]
    exact = np.array(chain.composite_jacobian_at([sympy.Rational(repr(p)) for p in point]).evalf(20).tolist(), dtype=float)
    assume(np.all(np.isfinite(exact)) and np.max(np.abs(exact), initial=0) < 1e6)
    values = np.array([float(sympy.N(v)) for v in chain.forward([sympy.Rational(repr(p)) for p in point])[-1]])
    assume(np.max(np.abs(values), initial=0) < 1e6)
    fd = chain.finite_difference_jacobian(point)
    scale = max(1.0, float(np.max(np.abs(exact), initial=0)), float(np.max(np.abs(values), initial=0)))
    assert np.max(np.abs(fd - exact), initial=0) <= 1e-5 * scale, (fd, exact)


@settings(max_examples=25)
@given(chains(trig=True, layers=(2,)))
def test_path_terms_add_up_to_each_entry(case):
    maps, texts, n = case
    chain = Chain.from_texts(texts, input_dim=n)
    jacobian = chain.composite_jacobian()
    for i in range(chain.output_dim):
        for j in range(chain.input_dim):
            total = sum((t.product for t in chain.path_terms(i, j)), sympy.Integer(0))
            assert sympy.simplify(total - jacobian[i, j]) == 0 or math.isclose(
                abs(complex(sympy.N((total - jacobian[i, j]).subs({s: 0.3 for s in total.free_symbols})))), 0,
                abs_tol=1e-9,
            )
