"""The chain-rule engine against the lesson: the seed's worked examples, practice, and a tiny network."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from sympy import ImmutableMatrix, Rational

from tui_tutor.engine.chain import Chain, ChainError
from tui_tutor.engine.parse import ParseError, symbol
from tui_tutor.engine.service import solve
from tui_tutor.mathtext import render_inline

x1, x2, x3, u1, u2 = (symbol(n) for n in ("x1", "x2", "x3", "u1", "u2"))

EXAMPLE_1 = ["x1^2 + x2, x1*x2", "u1 + u2^2"]
EXAMPLE_2 = ["x1 + 2x2, x1 - x2", "u1^2 + 3u2"]
EXAMPLE_3 = ["x1 x2, x2 + x3^2", "u1 + u2, u1 u2"]
PRACTICE_EASY = ["x1, x1 x2, x2^2", "2u1 - u2 + u3"]
PRACTICE_HARD = ["x1^2, sin(x2)", "u1 u2"]


def column(*entries) -> ImmutableMatrix:
    return ImmutableMatrix([[e] for e in entries])


def is_zero(matrix) -> bool:
    return all(sympy.simplify(e) == 0 for e in matrix)


# --- worked example 1: 2 -> 2 -> 1, shape check and gradient ------------------------------------------


def test_example_1_layer_jacobians_and_product():
    chain = Chain.from_texts(EXAMPLE_1)
    dg, df = chain.jacobians()
    assert dg == ImmutableMatrix([[2 * x1, 1], [x2, x1]])
    assert df == ImmutableMatrix([[1, 2 * u2]])
    assert chain.composite_jacobian() == ImmutableMatrix([[2 * x1 + 2 * x1 * x2**2, 1 + 2 * x1**2 * x2]])
    assert chain.gradient() == column(2 * x1 + 2 * x1 * x2**2, 1 + 2 * x1**2 * x2)
    assert chain.shape_check() == [(1, 2), (2, 2)]


def test_example_1_gradient_at_1_2_is_10_5():
    chain = Chain.from_texts(EXAMPLE_1)
    assert chain.gradient_at([1, 2]) == column(10, 5)
    solution = solve(EXAMPLE_1, "1,2")
    assert solution.gradient_at.values == ((10.0,), (5.0,))
    assert solution.composite_at.values == ((10.0, 5.0),)
    assert solution.shape_check == "(1×2)(2×2) = (1×2)"


# --- worked example 2: pushforward and pullback at (1, 1) -------------------------------------------


def test_example_2_forward_values():
    chain = Chain.from_texts(EXAMPLE_2)
    x0, u0, l0 = chain.forward([1, 1])
    assert u0 == column(3, 0)
    assert l0 == column(9)


def test_example_2_pushforward_is_exact():
    chain = Chain.from_texts(EXAMPLE_2)
    dx, du, dl = chain.pushforward([1, 1], "0.01, -0.02")
    assert dx == column(Rational(1, 100), Rational(-2, 100))
    assert du == column(Rational(-3, 100), Rational(3, 100))
    assert dl == column(Rational(-9, 100))


def test_example_2_pullback_and_the_consistency_check():
    chain = Chain.from_texts(EXAMPLE_2)
    grad_x, grad_u, grad_l = chain.pullback([1, 1])
    assert grad_l == column(1)
    assert grad_u == column(6, 3)
    assert grad_x == column(9, 9)
    assert chain.jacobians_at([1, 1]) == [ImmutableMatrix([[1, 2], [1, -1]]), ImmutableMatrix([[6, 3]])]
    dx = column(Rational(1, 100), Rational(-2, 100))
    delta_l = chain.pushforward([1, 1], dx)[-1]
    assert (grad_x.T * dx)[0] == delta_l[0] == Rational(-9, 100)


def test_example_2_through_solve():
    solution = solve(EXAMPLE_2, "1,1", "0.01,-0.02")
    assert solution.values == [[1.0, 1.0], [3.0, 0.0], [9.0]]
    assert solution.gradient_at.values == ((9.0,), (9.0,))
    assert solution.pushforward[1] == pytest.approx([-0.03, 0.03])
    assert solution.pushforward[-1] == pytest.approx([-0.09])
    assert solution.pullback == [[9.0, 9.0], [6.0, 3.0], [1.0]]


# --- worked example 3: path tracing ------------------------------------------------------------------


def test_example_3_dy2_dx3_as_a_sum_over_paths():
    chain = Chain.from_texts(EXAMPLE_3)
    assert chain.composite_jacobian()[1, 2] == 2 * x1 * x2 * x3
    via_u1, via_u2 = chain.path_terms(1, 2)
    assert via_u1.via == ("u1",) and via_u2.via == ("u2",)
    # input side first: du_k/dx3, then dy2/du_k
    assert [(f.numerator, f.denominator, f.expr) for f in via_u1.factors] == [("u1", "x3", 0), ("y2", "u1", u2)]
    assert [(f.numerator, f.denominator, f.expr) for f in via_u2.factors] == [
        ("u2", "x3", 2 * x3),
        ("y2", "u2", u1),
    ]
    assert via_u1.product == 0
    assert via_u2.product == 2 * x1 * x2 * x3
    assert via_u1.product + via_u2.product == chain.composite_jacobian()[1, 2]


def test_example_3_paths_at_a_point():
    chain = Chain.from_texts(EXAMPLE_3)
    via_u1, via_u2 = chain.path_terms(1, 2, [1, 2, 3])
    assert via_u1.value == 0
    assert via_u2.value == 12
    solution = solve(EXAMPLE_3, "1,2,3", entry=(2, 3))
    assert [t.value for t in solution.path_terms] == [0.0, 12.0]
    assert render_inline(solution.path_total) == "2x₁x₂x₃"
    assert render_inline(solve(EXAMPLE_3, entry=(2, 3)).path_total, ascii=True) == "2x1 x2 x3"


def test_path_terms_outside_the_jacobian_are_refused():
    with pytest.raises(ChainError, match=r"entry \(3, 1\) is outside the 2×3 Jacobian"):
        Chain.from_texts(EXAMPLE_3).path_terms(2, 0)


# --- practice ------------------------------------------------------------------------------------


def test_practice_easy_gradient():
    chain = Chain.from_texts(PRACTICE_EASY)
    assert chain.jacobian(0) == ImmutableMatrix([[1, 0], [x2, x1], [0, 2 * x2]])
    assert chain.gradient() == column(2 - x2, -x1 + 2 * x2)


@pytest.mark.parametrize("n, m, p", [(3, 2, 4), (2, 3, 1), (1, 1, 1), (4, 1, 2)])
def test_practice_medium_shapes(n, m, p):
    inner = ", ".join(" + ".join(f"x{j}" for j in range(1, n + 1)) + f" * {k}" for k in range(1, m + 1))
    outer = ", ".join(" + ".join(f"u{k}" for k in range(1, m + 1)) + f" * {i}" for i in range(1, p + 1))
    chain = Chain.from_texts([inner, outer])
    assert chain.dims == (n, m, p)
    assert chain.composite_jacobian().shape == (p, n)
    assert chain.shape_check() == [(p, m), (m, n)]
    shapes = {row.name: (row.rows, row.cols) for row in chain.shape_rows()}
    assert shapes["x"] == (n, 1)
    assert shapes["u = g(x)"] == (m, 1)
    assert shapes["y = f(u)"] == (p, 1)
    assert shapes["Dg(x)"] == (m, n)
    assert shapes["Df(u)"] == (p, m)
    assert shapes["D(f∘g)(x)"] == (p, n)
    if p == 1:
        assert chain.gradient().shape == (n, 1)
    else:
        with pytest.raises(ChainError, match="needs a scalar output"):
            chain.gradient()


def test_practice_hard_gradient():
    chain = Chain.from_texts(PRACTICE_HARD)
    assert chain.jacobian(0) == ImmutableMatrix([[2 * x1, 0], [0, sympy.cos(x2)]])
    assert chain.gradient() == column(2 * x1 * sympy.sin(x2), x1**2 * sympy.cos(x2))


# --- the tiny network: a = Wx + b, h = sigma(a), l = c^T h -------------------------------------------------

W = np.array([[1.0, -1.0], [2.0, 1.0], [0.0, 1.0]])
B = np.array([0.0, -1.0, 1.0])
C = np.array([1.0, -2.0, 0.5])
NETWORK = ["x1 - x2, 2x1 + x2 - 1, x2 + 1", "sigma(u1), sigma(u2), sigma(u3)", "v1 - 2v2 + 0.5v3"]


def _logistic(z):
    return 1.0 / (1.0 + np.exp(-z))


@pytest.mark.parametrize("point", [(0.5, -0.5), (0.0, 0.0), (1.5, 2.0), (-2.0, 0.25)])
def test_network_gradient_is_wt_diag_sigma_prime_c(point):
    chain = Chain.from_texts(NETWORK)
    assert chain.dims == (2, 3, 3, 1)
    assert [j.shape for j in chain.jacobians()] == [(3, 2), (3, 3), (1, 3)]
    x0 = np.array(point)
    a = W @ x0 + B
    s = _logistic(a)
    expected = W.T @ np.diag(s * (1 - s)) @ C
    exact = np.array([float(v) for v in chain.gradient_at([sympy.Rational(repr(p)) for p in point])])
    np.testing.assert_allclose(exact, expected, rtol=1e-12, atol=1e-12)
    fd = chain.finite_difference_jacobian(list(point))[0]
    np.testing.assert_allclose(fd, expected, rtol=1e-6, atol=1e-8)
    # the row Jacobian c^T Diag(sigma'(a)) W is the gradient's transpose
    row = np.array([float(v) for v in chain.composite_jacobian_at(list(point))])
    np.testing.assert_allclose(row, exact, rtol=1e-12)


def test_network_pullback_passes_through_each_layer():
    chain = Chain.from_texts(NETWORK)
    grad_x, grad_a, grad_h, grad_l = chain.pullback([0, 0])
    assert grad_h == column(1, -2, Rational(1, 2))
    s = _logistic(W @ np.zeros(2) + B)
    np.testing.assert_allclose([float(v) for v in grad_a], s * (1 - s) * C, rtol=1e-12)


# --- longer chains, errors -----------------------------------------------------------------------


def test_four_layers_multiply_outermost_on_the_left():
    chain = Chain.from_texts(["x1 + x2, x1 x2", "u1^2, u2", "v1 + v2", "w1^3"])
    assert chain.letters == ("x", "u", "v", "w", "y")
    composite = chain.composite()[0]
    direct = ImmutableMatrix([composite]).jacobian([x1, x2])
    assert is_zero(chain.composite_jacobian() - direct)


def test_a_layer_that_uses_more_outputs_than_exist_is_refused():
    with pytest.raises(ChainError, match=r"map 2 \(f\) uses u3, but map 1 \(g\) has only 2 outputs"):
        Chain.from_texts(["x1, x2", "u1 + u3"])


def test_a_layer_in_the_wrong_letters_is_refused_naming_the_layer():
    with pytest.raises(ParseError, match=r"map 2 \(f\): unknown name 'x1'"):
        Chain.from_texts(["x1, x2", "x1 + u2"])


def test_point_dimension_is_checked():
    with pytest.raises(ChainError, match="the point has 3 coordinates but x has 2"):
        Chain.from_texts(EXAMPLE_1).forward([1, 2, 3])
    with pytest.raises(ChainError, match="uses x2 but the point has 1 coordinate"):
        Chain.from_texts(EXAMPLE_1, input_dim=1)


@pytest.mark.parametrize("count", [0, 5])
def test_chains_have_one_to_four_layers(count):
    with pytest.raises(ChainError):
        Chain.from_texts(["x1"] * count)


def test_finite_differences_agree_with_the_exact_jacobian_for_the_seed():
    for maps, point in [(EXAMPLE_1, [1, 2]), (EXAMPLE_2, [1, 1]), (EXAMPLE_3, [1, 2, 3]), (PRACTICE_HARD, [0.3, 1.1])]:
        chain = Chain.from_texts(maps)
        exact = np.array(chain.composite_jacobian_at(point).tolist(), dtype=float)
        np.testing.assert_allclose(chain.finite_difference_jacobian(point), exact, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(
    "maps, at, message",
    [
        (["log(x1)"], "0", "undefined at this point"),
        (["x1/x2"], "1,0", "undefined at this point"),
        (["exp(x1)"], "1000", "too large to show as a number"),
        (["sqrt(x1)"], "-1", "not a real number here"),
    ],
)
def test_solve_refuses_a_point_outside_the_domain(maps, at, message):
    with pytest.raises(ChainError, match=message):
        solve(maps, at)


def test_finite_difference_check_is_judged_relative_to_the_jacobian():
    solution = solve(["x1^3"], "1000")
    assert solution.finite_difference_error > 1e-5  # central differences lose digits at this size
    assert solution.finite_difference_agrees
