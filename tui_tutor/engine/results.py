"""Plain results the engine hands to screens and the CLI.

These dataclasses hold only strings, numbers and lists, and this module imports nothing heavy,
so results can cross from the engine's worker process into the app without the app importing
sympy (unpickling a class imports the module that defines it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Verdict:
    """The outcome of grading one answer."""

    correct: bool
    message: str  # "Correct...", "Incorrect..." or, when not counted, what to do ("Give at least 3 ...")
    diagnosis: str | None = None  # a code from problems.MESSAGES, "too_few_figures", or None
    score: float = 0.0  # partial credit in [0, 1]
    wrong_entries: tuple[tuple[int, int], ...] = ()  # 1-based (row, col) of wrong matrix entries
    method: str = "symbolic"  # "symbolic", "numeric" or "tolerance": how equality was decided
    # False when the answer was not judged (a decimal with too few significant figures): like an
    # unreadable answer it is not an attempt, so the quiz does not record it and the CLI exits 2.
    counted: bool = True

    def to_dict(self) -> dict:
        data = asdict(self)
        data["wrong_entries"] = [list(e) for e in self.wrong_entries]
        return data


@dataclass(frozen=True)
class Preview:
    """How an answer was read, before it is submitted (the way STACK validates input)."""

    ok: bool
    text: str  # "read as: 1×2 row vector" or the error message
    tex: str = ""  # the value as read, in the course's LaTeX subset (decimals as typed)
    column: int | None = None  # where the problem is, 1-based, when not ok
    shape: tuple[int, int] | None = None  # None for a scalar
    warning: str = ""  # readable, but e.g. a decimal has too few significant figures to be judged


@dataclass(frozen=True)
class MatrixView:
    """A matrix ready to lay out: its label and entries in the course's LaTeX subset, its shape,
    and (when numeric) its floats. The app draws it for the width it has (tui_tutor.mathtext)."""

    label: str  # e.g. "Dg(\\mathbf{x})", "\\nabla h(\\mathbf{x}_0)"
    rows: int
    cols: int
    entries: tuple[tuple[str, ...], ...]
    values: tuple[tuple[float, ...], ...] | None = None


@dataclass(frozen=True)
class PathFactorView:
    """One local factor of a path, in the LaTeX subset: ∂u₂/∂x₃, its expression, its value."""

    name: str  # "\\partial u_{2}/\\partial x_{3}"
    expr: str  # "2 x_{3}"
    value: str | None = None  # at the point, when one is given and the expression is not a number


@dataclass(frozen=True)
class PathTermView:
    """One path of ∂y_i/∂x_j: its factors (outer first, as the lesson writes them), their product
    in the input variables, and its value at the point."""

    via: tuple[str, ...]  # intermediate coordinates, LaTeX: ("u_{2}", "v_{1}")
    factors: tuple[PathFactorView, ...]
    product: str  # LaTeX
    value: float | None
    zero: bool = False  # the product is identically 0 (some factor is 0)


@dataclass(frozen=True)
class ShapeRowView:
    name: str
    meaning: str
    shape: str


@dataclass
class Solution:
    """Everything the chain rule says about one composition at one point."""

    maps: list[str]
    names: list[str]  # map names, innermost first (g, f)
    letters: list[str]  # space letters, input first (x, u, y)
    dims: list[int]
    shapes: list[ShapeRowView]
    shape_check: str  # "(1×2)(2×2) = (1×2)"
    jacobians: list[MatrixView]  # symbolic, per layer
    jacobians_at: list[MatrixView] = field(default_factory=list)  # at the point, per layer
    composite: MatrixView | None = None  # symbolic chain-rule product
    composite_at: MatrixView | None = None
    values: list[list[float]] = field(default_factory=list)  # x0, u0, ..., y0
    gradient: MatrixView | None = None  # symbolic, scalar output only
    gradient_at: MatrixView | None = None
    pushforward: list[list[float]] | None = None  # Δx, Δu, ..., Δy
    pullback: list[list[float]] | None = None  # ∇x, ∇u, ..., ∇y
    finite_difference: list[list[float]] | None = None
    finite_difference_error: float | None = None  # the largest |numeric - exact| over the entries
    finite_difference_allowance: list[list[float]] | None = None  # per entry (Chain.finite_difference_check)
    no_derivative: str | None = None  # why the Jacobian does not exist at the point (abs at its corner)
    path_entry: tuple[int, int] | None = None  # 1-based (i, j)
    path_terms: list[PathTermView] = field(default_factory=list)
    path_total: str | None = None  # LaTeX of ∂y_i/∂x_j in the input variables

    @property
    def finite_difference_agrees(self) -> bool | None:
        """Whether the finite-difference check matches the exact Jacobian: every entry within its
        allowance, which scales with the step's truncation error and the rounding of the values
        (see Chain.finite_difference_check). The one rule for ``solve`` and the scratchpad."""
        if (
            self.finite_difference is None or self.finite_difference_allowance is None
            or self.composite_at is None or not self.composite_at.values
        ):
            return None
        return all(
            abs(numeric - exact) <= allowed
            for fd_row, exact_row, allowed_row in zip(
                self.finite_difference, self.composite_at.values, self.finite_difference_allowance
            )
            for numeric, exact, allowed in zip(fd_row, exact_row, allowed_row)
        )

    def to_json(self) -> dict:
        """The machine-readable form printed by ``tui-tutor solve --json``."""
        p, n = self.dims[-1], self.dims[0]
        return {
            "maps": self.maps,
            "dims": self.dims,
            "shapes": {row.name: row.shape for row in self.shapes},
            "shape_check": self.shape_check,
            "jacobians": [[list(row) for row in jac.entries] for jac in self.jacobians],
            "jacobian_at": [list(r) for r in self.composite_at.values] if self.composite_at else None,
            "layer_jacobians_at": [[list(r) for r in j.values] for j in self.jacobians_at] or None,
            "values": self.values or None,
            "gradient_at": [r[0] for r in self.gradient_at.values] if self.gradient_at else None,
            "pushforward": self.pushforward[-1] if self.pushforward else None,
            "pushforward_layers": self.pushforward,
            "pullback": self.pullback,
            "finite_difference": self.finite_difference,
            "finite_difference_error": self.finite_difference_error,
            "finite_difference_agrees": self.finite_difference_agrees,
            "finite_difference_allowance": self.finite_difference_allowance,
            "no_derivative": self.no_derivative,
            "output_dim": p,
            "input_dim": n,
        }
