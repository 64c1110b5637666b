"""The perturbation player's model: arrows, true images, zoom, pullback and ∇ₓℓ·Δx = Δℓ."""

from __future__ import annotations

import math
import pickle
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_tutor.engine.perturb import ZOOMS, circle_planes, player_model
from tui_tutor.engine.scratch import work
from tui_tutor.engine.service import solve

EXAMPLE_1 = (["x1^2 + x2, x1*x2", "u1 + u2^2"], "1,2", "0.1,0")
EXAMPLE_2 = (["x1 + 2x2, x1 - x2", "u1^2 + 3u2"], "1,1", "0.01,-0.02")
PATHS = (["x1*x2, x2 + x3^2", "u1 + u2, u1*u2"], "1,2,3", "0,0.1,0.1")
NETWORK = (["x1 - x2, 2x1 + x2 - 1, x2 + 1", "sigma(u1), sigma(u2), sigma(u3)", "v1 - 2v2 + 0.5v3"], "0.5,-0.5", "0.2,0.2")
CASES = [EXAMPLE_1, EXAMPLE_2, PATHS, NETWORK]


@pytest.mark.parametrize("maps, at, dx", CASES)
def test_pushforward_arrows_are_the_jacobians_times_dx(maps, at, dx):
    model = player_model(maps, at, dx)
    solution = solve(maps, at, dx)
    step = np.array(model.dx)
    for k, space in enumerate(model.spaces):
        # Arrow k is the product of the layer Jacobians so far applied to Δx ...
        product = np.eye(len(step))
        for jac in solution.jacobians_at[:k]:
            product = np.array(jac.values) @ product
        assert np.allclose(space.delta, product @ step)
        # ... which is what the exact engine pushes forward, and it starts at the value of the space.
        assert np.allclose(space.delta, solution.pushforward[k])
        assert np.allclose(space.base, solution.values[k])


def test_worked_example_1_numbers():
    model = player_model(*EXAMPLE_1)
    x, u, y = model.spaces
    assert x.base == (1.0, 2.0) and u.base == (3.0, 2.0) and y.base == (7.0,)
    assert u.delta == pytest.approx((0.2, 0.2))
    assert y.delta == pytest.approx((1.0,))
    assert model.zooms[0].true_dy == pytest.approx((1.05,))  # ℓ(1.1, 2) = 3.21 + 2.2² = 8.05


@pytest.mark.parametrize("maps, at, dx", CASES)
def test_true_images_start_at_the_base_and_end_at_the_map_of_x0_plus_dx(maps, at, dx):
    model = player_model(maps, at, dx)
    for space in model.spaces:
        for z, segment in enumerate(model.spaces[0].segment):
            assert np.allclose(space.segment[z][0], space.base)
    x_end = np.array(model.spaces[0].base) + np.array(model.dx)
    end = solve(maps, ",".join(repr(float(v)) for v in x_end)).values[-1]
    assert np.allclose(model.spaces[-1].segment[0][-1], end)


@pytest.mark.parametrize("maps, at, dx", CASES)
def test_linearization_error_shrinks_quadratically_with_zoom(maps, at, dx):
    model = player_model(maps, at, dx)
    errors = [z.error for z in model.zooms]
    radii = [z.radius for z in model.zooms]
    assert [z.zoom for z in model.zooms] == list(ZOOMS)
    assert radii == pytest.approx([radii[0] / z for z in ZOOMS])
    ratios = [after / before for before, after in zip(errors, errors[1:]) if before > 1e-13]
    # Halving the radius quarters the error: at once for a quadratic map, in the limit otherwise
    # (third-order terms still show at zoom ×1 for the network's sigmoids).
    assert all(0.2 < r < 0.35 for r in ratios)
    assert not ratios or ratios[-1] == pytest.approx(0.25, abs=0.01)
    # Relative to the size of the step the true image approaches the linear one.
    relative = [e / r for e, r in zip(errors, radii)]
    assert relative[-1] < relative[0] / 16 or relative[0] < 1e-12


@pytest.mark.parametrize("maps, at, dx", [EXAMPLE_1, EXAMPLE_2, NETWORK])
def test_true_image_of_the_circle_approaches_the_ellipse(maps, at, dx):
    model = player_model(maps, at, dx)
    out = model.spaces[-1] if model.dims[-1] > 1 else model.spaces[1]
    gaps = []
    for z in range(len(ZOOMS)):
        true, linear = np.array(out.circle[z][0]), np.array(out.ellipse[z][0])
        gaps.append(np.max(np.linalg.norm(true - linear, axis=1)) / model.zooms[z].radius)
    assert all(b <= a * 0.6 + 1e-12 for a, b in zip(gaps, gaps[1:]))


def test_circle_lies_in_the_displayed_plane_at_radius_dx():
    model = player_model(*PATHS)
    assert model.planes == circle_planes(3) == ((0, 1), (0, 2), (1, 2))
    x = model.spaces[0]
    r = math.hypot(0.1, 0.1)
    for p, (a, b) in enumerate(model.planes):
        ring = np.array(x.circle[0][p]) - np.array(x.base)
        assert np.allclose(np.hypot(ring[:, a], ring[:, b]), r)
        other = [i for i in range(3) if i not in (a, b)]
        assert np.allclose(ring[:, other], 0)
    one_d = player_model(["x1^2"], "1", "0.5")
    assert one_d.planes == ((0, 0),)
    assert one_d.spaces[0].circle[0][0] == ((0.5,), (1.5,))  # the "circle" of a line: x0 ± r


@pytest.mark.parametrize("maps, at, dx", [EXAMPLE_1, EXAMPLE_2, NETWORK])
def test_pullback_equals_the_gradient(maps, at, dx):
    model = player_model(maps, at, dx)
    solution = solve(maps, at, dx)
    gradient = [row[0] for row in solution.gradient_at.values]
    assert np.allclose(model.spaces[0].gradient, gradient)
    assert model.spaces[-1].gradient == (1.0,)  # ∇yℓ = 1 for ℓ = y
    for k, space in enumerate(model.spaces):
        assert np.allclose(space.gradient, solution.pullback[k])


def test_pullback_of_a_seed_for_a_vector_output():
    maps, at, dx = PATHS
    model = player_model(maps, at, dx, seed="0,1")
    assert model.seed == (0.0, 1.0) and model.seed_given
    # ∇x(y2) is the second row of the composite Jacobian.
    solution = solve(maps, at, dx)
    assert np.allclose(model.spaces[0].gradient, solution.composite_at.values[1])
    default = player_model(maps, at, dx)
    assert default.seed == (1.0, 0.0) and not default.seed_given


def test_identity_numbers_of_worked_example_2():
    model = player_model(*EXAMPLE_2)
    assert model.spaces[0].gradient == pytest.approx((9.0, 9.0))
    numbers = model.zooms[0]
    assert numbers.grad_dot_dx == pytest.approx(-0.09)  # 9(0.01) + 9(-0.02), as in the lesson
    assert numbers.linear_dy == pytest.approx((-0.09,))
    assert numbers.true_dl == pytest.approx(8.9109 - 9)  # ℓ(1.01, 0.98) = 2.97² + 3(0.03)


@pytest.mark.parametrize("maps, at, dx", CASES)
def test_identity_linear_equals_seed_dot_pushforward_and_true_is_close(maps, at, dx):
    model = player_model(maps, at, dx)
    seed = np.array(model.seed)
    for numbers in model.zooms:
        assert numbers.grad_dot_dx == pytest.approx(float(seed @ np.array(numbers.linear_dy)))
        assert abs(numbers.true_dl - numbers.grad_dot_dx) <= numbers.error * np.linalg.norm(seed) + 1e-12


@settings(max_examples=25, deadline=None)
@given(
    a=st.lists(st.integers(-3, 3), min_size=4, max_size=4),
    b=st.lists(st.integers(-3, 3), min_size=2, max_size=2),
    x0=st.lists(st.integers(-2, 2), min_size=2, max_size=2),
    dx=st.lists(st.integers(-5, 5), min_size=2, max_size=2).filter(any),
)
def test_an_affine_map_has_no_linearization_error(a, b, x0, dx):
    layer = f"{a[0]}*x1 + {a[1]}*x2 + {b[0]}, {a[2]}*x1 + {a[3]}*x2 + {b[1]}"
    model = player_model([layer], ",".join(map(str, x0)), ",".join(str(d / 10) for d in dx))
    for numbers in model.zooms:
        assert numbers.error == pytest.approx(0, abs=1e-12)
    out = model.spaces[1]
    assert np.allclose(out.circle[0][0], out.ellipse[0][0])


def test_points_outside_the_domain_are_nan_not_errors():
    model = player_model(["sqrt(x1)"], "0.01", "0.1")  # the circle reaches x1 < 0
    values = [p[0] for p in model.spaces[1].circle[0][0]]
    assert any(math.isnan(v) for v in values) and any(math.isfinite(v) for v in values)


def test_scratch_work_points_at_the_field_and_column():
    assert work(["x1^2 + +"], "1", "").problem.field == "map1"
    assert work(["x1^2 + +"], "1", "").problem.column == 9  # just past the end: something is missing
    assert work(["x1 + ) + 2"], "1", "").problem.column == 6
    assert work(["x1", "u1 + u5"], "1", "").problem.field == "map2"
    assert work(["x1, x2"], "1,(2", "").problem.field == "at"
    assert work(["x1, x2"], "1,2", "1").problem.field == "dx"
    assert work(["x1, x2"], "1,2", "", entry="3,1").problem.field == "entry"
    assert work(["x1, x2"], "1,2", "", seed="1").problem.field == "seed"
    assert work(["", "u1"], "1", "").problem.field == "map1"
    assert work(["log(x1)"], "-1", "").problem.field == "at"


def test_scratch_work_fills_in_defaults():
    result = work(["x1^2 + x2, x1*x2", "u1 + u2^2", "", ""], "1,2", "")
    assert result.problem is None and result.dx_default
    assert result.player.dx == (0.1, 0.0)
    assert result.entry == (1, 1) and result.solution.path_entry == (1, 1)
    symbolic = work(["x1^2 + x2"], "", "")
    assert symbolic.player is None and symbolic.solution.composite is not None


def test_results_cross_to_a_process_without_sympy():
    """The app unpickles these: doing so must not import sympy (or numpy)."""
    results = [work(*EXAMPLE_1), work(["x1^2 + +"], "1", "")]
    payload = pickle.dumps(results)
    code = (
        "import pickle, sys; results = pickle.loads(sys.stdin.buffer.read()); "
        "assert results[0].player.spaces[1].base == (3.0, 2.0); assert results[1].problem.field == 'map1'; "
        "bad = [m for m in ('sympy', 'numpy') if m in sys.modules]; assert not bad, bad"
    )
    done = subprocess.run([sys.executable, "-c", code], input=payload, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
