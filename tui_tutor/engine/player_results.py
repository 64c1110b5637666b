"""Plain results for the scratchpad and its perturbation player.

Only floats, strings, tuples and the plain :class:`~tui_tutor.engine.results.Solution`: these
cross from the engine's worker process into the app, and unpickling a class imports the module
that defines it, so nothing here (or in results.py) may import sympy or numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui_tutor.engine.results import Solution

Point = tuple[float, ...]  # one point of a space, all of its coordinates
Curve = tuple[Point, ...]


@dataclass(frozen=True)
class SpaceTrack:
    """One space of the chain (x, u, v, w or y) as the player draws it.

    ``segment[z]`` is the true image of the segment x0 + sΔx/zoom (s from 0 to 1) at zoom level
    ``z``; its first point is ``base``. ``circle[z][p]`` is the true image of the circle of
    perturbations at zoom ``z`` lying in x-plane ``p`` (see :attr:`PlayerModel.planes`), and
    ``ellipse[z][p]`` its linear image base + J·(x - x0). Coordinates may be NaN where a map leaves
    its domain; draw around them.
    """

    letter: str
    dim: int
    base: Point
    delta: Point  # the linear pushforward of the full Δx: Δx, Dg Δx, Df Dg Δx, ...
    gradient: Point | None  # the output gradient pulled back to this space (None without one)
    segment: tuple[Curve, ...]
    circle: tuple[tuple[Curve, ...], ...]
    ellipse: tuple[tuple[Curve, ...], ...]


@dataclass(frozen=True)
class ZoomNumbers:
    """The numbers of one zoom level: the perturbation is Δx/zoom."""

    zoom: float
    radius: float  # |Δx| / zoom
    linear_dy: Point  # J·Δx/zoom
    true_dy: Point  # h(x0 + Δx/zoom) - h(x0)
    error: float  # |true - linear|: shrinks like 1/zoom² for a smooth map
    grad_dot_dx: float  # ∇ₓℓ·Δx/zoom, the linear Δℓ
    true_dl: float  # ℓ(x0 + Δx/zoom) - ℓ(x0), with ℓ = seed·y


@dataclass(frozen=True)
class PlayerModel:
    """Everything the perturbation player animates, computed once per input change."""

    letters: tuple[str, ...]  # x, u, ..., y
    names: tuple[str, ...]  # g, f, ...
    dims: tuple[int, ...]
    dx: Point
    seed: Point  # the output gradient pulled back in reverse mode (1 for a scalar output)
    seed_given: bool  # False when the seed is the default (1, or e1 for a vector output)
    planes: tuple[tuple[int, int], ...]  # x-coordinate pairs the circles lie in; (0, 0) for 1-D x
    zooms: tuple[ZoomNumbers, ...]
    spaces: tuple[SpaceTrack, ...]

    @property
    def layers(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class InputProblem:
    """Why the scratchpad's inputs could not be worked, and which field to point at.

    ``field`` is "map1".."map4", "at", "dx", "entry", "seed" or None; ``column`` is 1-based in
    that field's text when the parser knows it.
    """

    field: str | None
    message: str
    column: int | None = None


@dataclass(frozen=True)
class ScratchResult:
    """One engine answer for one state of the scratchpad: results, player model, or a problem."""

    solution: Solution | None = None
    player: PlayerModel | None = None
    problem: InputProblem | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. which defaults were used
    dx_default: bool = False
    entry: tuple[int, int] | None = None  # the path-tracing entry actually used (1-based)
