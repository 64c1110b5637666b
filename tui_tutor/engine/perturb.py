"""The perturbation player's model: what happens to Δx, a circle around x0 and a gradient.

Forward: a perturbation Δx at x0 is pushed through every layer twice — linearly, by the
Jacobians (Δu = Dg Δx, Δy = Df Δu), and truly, by evaluating the maps along the segment
x0 + sΔx. A circle of perturbations of radius |Δx| is pushed the same two ways: its linear image
is an ellipse, its true image a bent loop. Zoom levels shrink the radius (×1, ×½, ×¼, ...) so the
true image can be seen approaching the linear one: the error falls like radius².

Reverse: the gradient at the output (1 for a scalar output, a seed otherwise) is pulled back through
the transposes to every space, and ∇ₓℓ·Δx — the linear Δℓ — is set beside the true Δℓ.

The Jacobians come from the exact chain (sympy) and everything else is numpy, so the model is
cheap enough to recompute on every keystroke; the app animates it without calling the engine again.
"""

from __future__ import annotations

import itertools
from typing import Sequence

import numpy as np
import sympy

from tui_tutor.engine.chain import Chain, ChainError
from tui_tutor.engine.parse import parse_point
from tui_tutor.engine.player_results import PlayerModel, SpaceTrack, ZoomNumbers

ZOOMS = (1, 2, 4, 8, 16, 32)  # magnifications: the perturbation is Δx/zoom
SEGMENT_SAMPLES = 33  # points along x0 + sΔx, enough for a smooth curve in a terminal cell grid
CIRCLE_POINTS = 48  # points around the circle (the first is repeated at the end to close it)
PLANE_COORDINATES = 4  # circles are computed for the planes of the first four x coordinates


def player_model(
    maps: Sequence[str],
    at: str | Sequence[object],
    dx: str | Sequence[object],
    *,
    seed: str | Sequence[object] | None = None,
    zooms: Sequence[float] = ZOOMS,
) -> PlayerModel:
    """The player's model for maps typed as text (innermost first), a point and a perturbation.

    Raises ParseError or ChainError with a message a person can act on.
    """
    point = _parse(at)
    chain = Chain.from_texts(list(maps), input_dim=len(point))
    return perturbation_model(chain, point, _parse(dx), None if seed in (None, "") else _parse(seed), zooms=zooms)


def perturbation_model(
    chain: Chain,
    point: Sequence[object],
    dx: Sequence[object],
    seed: Sequence[object] | None = None,
    *,
    zooms: Sequence[float] = ZOOMS,
) -> PlayerModel:
    """The player's model for a built chain at ``point`` with perturbation ``dx``.

    ``seed`` is the output gradient to pull back; by default 1 for a scalar output and the first
    unit vector e1 for a vector output (ℓ = y1).
    """
    exact_point = chain.point(point)
    if len(dx) != chain.input_dim:
        raise ChainError(f"Δx has {len(dx)} coordinates but x has {chain.input_dim}")
    x0 = np.array([_real(v) for v in exact_point])
    step = np.array([_real(v) for v in dx])
    jacobians = [_real_matrix(j) for j in chain.jacobians_at(exact_point)]
    seed_vec = _seed(chain, seed)
    layers = [chain.numeric_map(k) for k in range(chain.depth)]

    def propagate(points: np.ndarray) -> list[np.ndarray]:
        """Points of x (rows) through every layer: one array of rows per space."""
        spaces = [points]
        with np.errstate(all="ignore"):
            for layer in layers:
                columns = layer(*(points[:, i] for i in range(points.shape[1])))
                points = np.column_stack(columns) if columns else np.empty((len(points), 0))
                spaces.append(points)
        return spaces

    base = [p[0] for p in propagate(x0[None, :])]
    cumulative = [np.eye(chain.input_dim)]  # D(layers so far) at x0: I, Dg, Df·Dg, ...
    for jac in jacobians:
        cumulative.append(jac @ cumulative[-1])
    delta = [c @ step for c in cumulative]
    gradients = [seed_vec]
    for jac in reversed(jacobians):
        gradients.append(jac.T @ gradients[-1])
    gradients.reverse()

    planes = circle_planes(chain.input_dim)
    radius = float(np.linalg.norm(step))
    segments, circles, ellipses, numbers = [], [], [], []
    s = np.linspace(0.0, 1.0, SEGMENT_SAMPLES)[:, None]
    for zoom in zooms:
        zoom = float(zoom)
        along = propagate(x0 + s * (step / zoom))
        segments.append(along)
        rings = [_circle(x0, radius / zoom, plane) for plane in planes]
        true_rings = [propagate(ring) for ring in rings]
        circles.append(true_rings)
        ellipses.append([[base[k] + (ring - x0) @ cumulative[k].T for k in range(len(base))] for ring in rings])
        linear_dy = delta[-1] / zoom
        true_dy = along[-1][-1] - base[-1]
        numbers.append(
            ZoomNumbers(
                zoom=zoom,
                radius=radius / zoom,
                linear_dy=_point(linear_dy),
                true_dy=_point(true_dy),
                error=float(np.linalg.norm(true_dy - linear_dy)),
                grad_dot_dx=float(gradients[0] @ (step / zoom)),
                true_dl=float(seed_vec @ true_dy),
            )
        )

    spaces = []
    for k, letter in enumerate(chain.letters):
        spaces.append(
            SpaceTrack(
                letter=letter,
                dim=chain.dims[k],
                base=_point(base[k]),
                delta=_point(delta[k]),
                gradient=_point(gradients[k]),
                segment=tuple(_curve(seg[k]) for seg in segments),
                circle=tuple(tuple(_curve(ring[k]) for ring in per_zoom) for per_zoom in circles),
                ellipse=tuple(tuple(_curve(ring[k]) for ring in per_zoom) for per_zoom in ellipses),
            )
        )
    return PlayerModel(
        letters=tuple(chain.letters),
        names=tuple(chain.names),
        dims=tuple(chain.dims),
        dx=_point(step),
        seed=_point(seed_vec),
        seed_given=seed is not None,
        planes=planes,
        zooms=tuple(numbers),
        spaces=tuple(spaces),
    )


def circle_planes(n: int) -> tuple[tuple[int, int], ...]:
    """The coordinate planes of x that circles are drawn in: (0, 0) stands for the line of 1-D x."""
    if n == 1:
        return ((0, 0),)
    return tuple(itertools.combinations(range(min(n, PLANE_COORDINATES)), 2))


# --- helpers --------------------------------------------------------------------------------------


def _circle(x0: np.ndarray, radius: float, plane: tuple[int, int]) -> np.ndarray:
    """Points at distance ``radius`` from x0 in a coordinate plane; for 1-D x, the pair x0 ± r."""
    a, b = plane
    if a == b:
        return x0 + radius * np.array([[-1.0], [1.0]])
    theta = np.linspace(0.0, 2 * np.pi, CIRCLE_POINTS + 1)
    ring = np.repeat(x0[None, :], len(theta), axis=0)
    ring[:, a] += radius * np.cos(theta)
    ring[:, b] += radius * np.sin(theta)
    return ring


def _seed(chain: Chain, seed: Sequence[object] | None) -> np.ndarray:
    if seed is None:
        vec = np.zeros(chain.output_dim)
        vec[0] = 1.0  # ℓ = y for a scalar output, ℓ = y1 otherwise
        return vec
    if len(seed) != chain.output_dim:
        raise ChainError(f"the output gradient needs {chain.output_dim} entries, not {len(seed)}")
    return np.array([_real(v) for v in seed])


def _parse(value: str | Sequence[object]) -> list[sympy.Expr]:
    text = value if isinstance(value, str) else ",".join(str(v) for v in value)
    return parse_point(text)


def _real(value: object) -> float:
    number = complex(sympy.N(value, 17)) if isinstance(value, sympy.Basic) else complex(value)
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
        raise ChainError(f"{value} is not a real number here (outside the domain?)")
    return number.real


def _real_matrix(matrix: sympy.MatrixBase) -> np.ndarray:
    return np.array([[_real(e) for e in row] for row in matrix.tolist()], dtype=float).reshape(matrix.shape)


def _point(values: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in np.ravel(values))


def _curve(points: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(row) for row in np.asarray(points, dtype=float).tolist())


__all__ = ["ZOOMS", "circle_planes", "perturbation_model", "player_model"]
