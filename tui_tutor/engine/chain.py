"""Compositions of 1–4 maps and everything the chain rule says about them.

A :class:`Chain` holds the layers innermost first. Layer k reads the variables of space k
(x1.., u1.., v1.., w1..; see :mod:`tui_tutor.engine.layers`) and its components are the
coordinates of space k+1. From that alone it computes each layer's Jacobian, the chain-rule
product D(f∘g)(x) = Df(g(x))·Dg(x), the gradient pulled back through transposes, the pushforward
of a perturbation, the path-tracing terms of one entry and a finite-difference check.

Everything here is exact sympy arithmetic except :meth:`Chain.finite_difference_check`, which is
deliberately independent (numpy, central differences) so screens can quote it as a check.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import sympy
from sympy import ImmutableMatrix

from tui_tutor.engine import layers as naming
from tui_tutor.engine.errors import ChainError
from tui_tutor.engine.functions import elementary
from tui_tutor.engine.parse import ParseError, parse_components, parse_point, symbol

MAX_PATHS = 512  # path-tracing lists every path; beyond this the table would be unreadable


@dataclass(frozen=True)
class PathFactor:
    """One local partial derivative on a path, e.g. ∂u2/∂x3 = 2*x3."""

    numerator: str  # e.g. "u2"
    denominator: str  # e.g. "x3"
    expr: sympy.Expr  # in the variables of the layer it belongs to
    value: sympy.Expr | None  # at the point, when one is given


@dataclass(frozen=True)
class PathTerm:
    """One path from x_j to y_i through one coordinate of each intermediate space."""

    via: tuple[str, ...]  # intermediate coordinates, e.g. ("u2",)
    factors: tuple[PathFactor, ...]  # input side first: ∂u_k/∂x_j, then ∂y_i/∂u_k
    product: sympy.Expr  # the term in terms of x
    value: sympy.Expr | None  # at the point


@dataclass(frozen=True)
class ShapeRow:
    """A row of the shape table: an object, what it is, its shape."""

    name: str
    meaning: str
    rows: int
    cols: int


class Chain:
    """A composition of 1–4 maps, innermost first."""

    def __init__(self, components: Sequence[Sequence[sympy.Expr]], input_dim: int | None = None):
        if not 1 <= len(components) <= naming.MAX_LAYERS:
            raise ChainError(f"a chain has 1 to {naming.MAX_LAYERS} layers, not {len(components)}")
        self.layers: tuple[tuple[sympy.Expr, ...], ...] = tuple(tuple(c) for c in components)
        self.names = naming.map_names(len(self.layers))
        self.letters = naming.space_letters(len(self.layers))
        self.dims = self._check_dims(input_dim)

    @classmethod
    def from_texts(cls, maps: Sequence[str], input_dim: int | None = None) -> Chain:
        """Build a chain from one text per layer, e.g. ``["x1^2 + x2, x1*x2", "u1 + u2^2"]``.

        Raises ParseError (naming the layer) or ChainError.
        """
        if not 1 <= len(maps) <= naming.MAX_LAYERS:
            raise ChainError(f"give 1 to {naming.MAX_LAYERS} maps, not {len(maps)}")
        layers = []
        for k, text in enumerate(maps):
            letter = naming.input_letter(k)
            try:
                layers.append(parse_components(text, allowed=_layer_vocabulary(letter)))
            except ParseError as err:
                name = naming.map_names(len(maps))[k]
                raise ParseError(
                    f"map {k + 1} ({name}): {err.reason}", err.column, err.hint or _letter_hint(letter)
                ) from None
        return cls(layers, input_dim)

    def _check_dims(self, input_dim: int | None) -> tuple[int, ...]:
        dims = []
        for k, layer in enumerate(self.layers):
            letter = naming.input_letter(k)
            used = _indices_used(layer, letter)
            if k == 0:
                n = max(used, default=0)
                if input_dim is not None:
                    if input_dim < n:
                        raise ChainError(
                            f"map 1 ({self.names[0]}) uses {letter}{n} but the point has "
                            f"{input_dim} coordinate{'s' if input_dim != 1 else ''}"
                        )
                    n = input_dim
                if n == 0:
                    n = 1
                dims.append(n)
            else:
                available = dims[-1]
                if used and max(used) > available:
                    raise ChainError(
                        f"map {k + 1} ({self.names[k]}) uses {letter}{max(used)}, but map {k} "
                        f"({self.names[k - 1]}) has only {available} output{'s' if available != 1 else ''}"
                    )
            if not layer:
                raise ChainError(f"map {k + 1} ({self.names[k]}) has no components")
            dims.append(len(layer))
        return tuple(dims)

    # --- structure -------------------------------------------------------------------------------

    @property
    def depth(self) -> int:
        return len(self.layers)

    @property
    def input_dim(self) -> int:
        return self.dims[0]

    @property
    def output_dim(self) -> int:
        return self.dims[-1]

    @property
    def is_scalar(self) -> bool:
        return self.output_dim == 1

    def variables(self, space: int) -> list[sympy.Symbol]:
        """Symbols of space ``space`` (0 = x); the output space uses y1.."""
        return [symbol(name) for name in naming.variable_names(self.letters[space], self.dims[space])]

    def coordinate(self, space: int, index: int) -> str:
        """Name of coordinate ``index`` (0-based) of a space, e.g. "u2"."""
        return f"{self.letters[space]}{index + 1}"

    # --- symbolic --------------------------------------------------------------------------------

    def jacobian(self, layer: int) -> ImmutableMatrix:
        """Jacobian of one layer in its own variables (rows: outputs, columns: inputs)."""
        return ImmutableMatrix(
            [[sympy.diff(c, v) for v in self.variables(layer)] for c in self.layers[layer]]
        )

    def jacobians(self) -> list[ImmutableMatrix]:
        return [self.jacobian(k) for k in range(self.depth)]

    def substitutions(self) -> list[dict[sympy.Symbol, sympy.Expr]]:
        """For each space, its variables written in terms of x (space 0 maps to itself)."""
        subs = [{v: v for v in self.variables(0)}]
        for k, layer in enumerate(self.layers[:-1]):
            inner = subs[-1]
            values = [c.xreplace(inner) for c in layer]
            subs.append(dict(zip(self.variables(k + 1), values)))
        return subs

    def composite(self) -> list[sympy.Expr]:
        """Components of the whole composition in terms of x."""
        subs = self.substitutions()[-1]
        return [c.xreplace(subs) for c in self.layers[-1]]

    def jacobians_along(self) -> list[ImmutableMatrix]:
        """Each layer's Jacobian evaluated along the chain, in terms of x: Df(g(x)), Dg(x), ..."""
        subs = self.substitutions()
        return [self.jacobian(k).xreplace(subs[k]) for k in range(self.depth)]

    def composite_jacobian(self) -> ImmutableMatrix:
        """D(h)(x) by the chain rule: the product of the layer Jacobians, outermost on the left."""
        product = None
        for jac in self.jacobians_along():
            product = jac if product is None else jac * product
        return ImmutableMatrix(product.applyfunc(tidy))

    def gradient(self) -> ImmutableMatrix:
        """∇h(x) as a column, for scalar output: the transpose of the 1×n Jacobian."""
        self._require_scalar("a gradient")
        return self.composite_jacobian().T

    # --- at a point ------------------------------------------------------------------------------

    def point(self, values: Sequence[object] | str) -> list[sympy.Expr]:
        """Check and convert a point for the input space."""
        point = parse_point(values) if isinstance(values, str) else [_exact(v) for v in values]
        if len(point) != self.input_dim:
            raise ChainError(
                f"the point has {len(point)} coordinate{'s' if len(point) != 1 else ''} "
                f"but {self.letters[0]} has {self.input_dim}"
            )
        return point

    def forward(self, point: Sequence[object]) -> list[ImmutableMatrix]:
        """The value in every space at the point: [x0, u0 = g(x0), ..., y0]."""
        values = [ImmutableMatrix(self.point(point))]
        for k, layer in enumerate(self.layers):
            env = dict(zip(self.variables(k), values[-1]))
            values.append(ImmutableMatrix([_evaluate(c, env) for c in layer]))
        return values

    def jacobians_at(self, point: Sequence[object]) -> list[ImmutableMatrix]:
        """Each layer's Jacobian at its own input: Dg(x0), Df(u0), ..."""
        values = self.forward(point)
        return [
            ImmutableMatrix(self.jacobian(k).applyfunc(lambda e: _evaluate(e, dict(zip(self.variables(k), values[k])))))
            for k in range(self.depth)
        ]

    def composite_jacobian_at(self, point: Sequence[object]) -> ImmutableMatrix:
        """The chain-rule product at the point: Df(u0)·Dg(x0)."""
        product = None
        for jac in self.jacobians_at(point):
            product = jac if product is None else jac * product
        return ImmutableMatrix(product.applyfunc(tidy))

    def gradient_at(self, point: Sequence[object]) -> ImmutableMatrix:
        self._require_scalar("a gradient")
        return self.composite_jacobian_at(point).T

    def pushforward(self, point: Sequence[object], dx: Sequence[object]) -> list[ImmutableMatrix]:
        """Δx pushed through every layer: [Δx, Δu = Dg Δx, ..., Δy]."""
        delta = self.point(dx)
        deltas = [ImmutableMatrix(delta)]
        for jac in self.jacobians_at(point):
            deltas.append(ImmutableMatrix((jac * deltas[-1]).applyfunc(tidy)))
        return deltas

    def pullback(
        self, point: Sequence[object], seed: Sequence[object] | None = None
    ) -> list[ImmutableMatrix]:
        """A gradient at the output pulled back through the transposes: [∇x, ∇u, ..., ∇y].

        For scalar output the seed defaults to 1 (the output differentiated by itself).
        """
        if seed is None:
            self._require_scalar("a pullback without a seed gradient")
            seed = [1]
        seed_vec = [_exact(s) for s in seed]
        if len(seed_vec) != self.output_dim:
            raise ChainError(f"the output gradient needs {self.output_dim} entries, not {len(seed_vec)}")
        grads = [ImmutableMatrix(seed_vec)]
        for jac in reversed(self.jacobians_at(point)):
            grads.append(ImmutableMatrix((jac.T * grads[-1]).applyfunc(tidy)))
        return list(reversed(grads))

    # --- path tracing ----------------------------------------------------------------------------

    def path_terms(self, i: int, j: int, point: Sequence[object] | None = None) -> list[PathTerm]:
        """∂y_i/∂x_j as a sum over paths (0-based i, j), every path listed, zero ones included."""
        if not (0 <= i < self.output_dim and 0 <= j < self.input_dim):
            raise ChainError(
                f"entry ({i + 1}, {j + 1}) is outside the {self.output_dim}×{self.input_dim} Jacobian"
            )
        middle = [range(d) for d in self.dims[1:-1]]
        count = 1
        for d in self.dims[1:-1]:
            count *= d
        if count > MAX_PATHS:
            raise ChainError(f"{count} paths are too many to list (limit {MAX_PATHS})")
        jacs = self.jacobians()
        subs = self.substitutions()
        at = None
        if point is not None:
            values = self.forward(point)
            envs = [dict(zip(self.variables(k), values[k])) for k in range(self.depth)]
            at = [jac.applyfunc(lambda e, env=env: _evaluate(e, env)) for jac, env in zip(jacs, envs)]
        terms = []
        for via in itertools.product(*middle):
            route = (j, *via, i)  # coordinate index in each space, input first
            factors = []
            product = sympy.Integer(1)
            value = sympy.Integer(1) if at is not None else None
            for k in range(self.depth):
                row, col = route[k + 1], route[k]
                local = jacs[k][row, col]
                factors.append(
                    PathFactor(
                        numerator=self.coordinate(k + 1, row),
                        denominator=self.coordinate(k, col),
                        expr=local,
                        value=None if at is None else at[k][row, col],
                    )
                )
                product = product * local.xreplace(subs[k])
                if at is not None:
                    value = value * at[k][row, col]
            terms.append(
                PathTerm(
                    via=tuple(self.coordinate(k + 1, route[k + 1]) for k in range(self.depth - 1)),
                    factors=tuple(factors),
                    product=tidy(product),
                    value=None if value is None else tidy(value),
                )
            )
        return terms

    # --- shapes ----------------------------------------------------------------------------------

    def shape_rows(self, *, ascii: bool = False) -> list[ShapeRow]:
        """The shape table: every space as a column vector, every Jacobian, the composite."""
        rows = []
        letters, names, dims = self.letters, self.names, self.dims
        for s, letter in enumerate(letters):
            if s == 0:
                rows.append(ShapeRow(letter, "input", dims[0], 1))
            else:
                meaning = "output" if s == len(letters) - 1 else "intermediate"
                rows.append(ShapeRow(f"{letter} = {names[s - 1]}({letters[s - 1]})", meaning, dims[s], 1))
        for k, name in enumerate(names):
            rows.append(
                ShapeRow(f"D{name}({letters[k]})", f"Jacobian of {name} at {letters[k]}", dims[k + 1], dims[k])
            )
        if self.depth > 1:
            composite = naming.composite_name(self.depth, ascii=ascii)
            rows.append(
                ShapeRow(f"D({composite})(x)", "Jacobian of the composition", dims[-1], dims[0])
            )
        return rows

    def shape_check(self) -> list[tuple[int, int]]:
        """The factors of the chain-rule product, outermost first, as (rows, cols)."""
        return [(self.dims[k + 1], self.dims[k]) for k in reversed(range(self.depth))]

    # --- numeric check ---------------------------------------------------------------------------

    def finite_difference_jacobian(self, point: Sequence[object], step: float = 1e-6) -> np.ndarray:
        """The composite Jacobian by central differences, independent of the symbolic product."""
        return self.finite_difference_check(point, step)[0]

    def finite_difference_check(self, point: Sequence[object], step: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
        """The central-difference Jacobian and, entry by entry, how far from the exact one it may be.

        With step h in coordinate j the difference (f(x + h) - f(x - h)) / 2h is off by its
        truncation error, about h^2/6 times the third derivative, and by the rounding of the two values, about
        eps |f| / h (eps the float precision). The truncation is estimated from the same difference
        with step 2h, whose error is four times larger, so the allowance follows how fast the
        Jacobian varies (x1^3 at x1 = 1000, sin(x1^4) at 10) instead of being a fixed threshold.
        The allowance is ten times the two together; ``solve`` and the scratchpad call an entry
        outside it a disagreement (see Solution.finite_difference_agrees).
        """
        x0 = np.array([float(v) for v in self.point(point)], dtype=float)
        func = sympy.lambdify(self.variables(0), [elementary(c) for c in self.composite()], "numpy")
        jac = np.empty((self.output_dim, self.input_dim))
        allowance = np.empty_like(jac)
        with np.errstate(all="ignore"):  # an overflow shows as inf/nan in the result, not on stderr
            for j in range(self.input_dim):
                h = step * max(1.0, abs(x0[j]))
                values = {}
                for k in (-2, -1, 1, 2):
                    moved = x0.copy()
                    moved[j] += k * h
                    values[k] = np.array(func(*moved), dtype=float)
                near = (values[1] - values[-1]) / (2 * h)
                far = (values[2] - values[-2]) / (4 * h)
                size = np.max(np.abs(np.stack(list(values.values()))), axis=0)
                rounding = 16 * np.finfo(float).eps * size / h
                jac[:, j] = near
                allowance[:, j] = 10 * (np.abs(far - near) / 3 + rounding)
        return jac, allowance

    def corners(self, point: Sequence[object]) -> list[tuple[int, sympy.Expr]]:
        """Where a layer has no derivative at the point: (layer, x) for each abs(x) with x = 0 there.

        The Jacobian of abs is sign(x), and sympy's sign(0) is 0, which would report a Jacobian of 0
        and a finite difference that agrees. A corner matters only if the Jacobian depends on
        which side of it one stands: abs(x1)^3 has a derivative (0) at x1 = 0, abs(x1) has none.
        """
        if not any(c.has(sympy.Abs) for layer in self.layers for c in layer):
            return []  # sign(...) comes only from abs: nothing to look for
        values = self.forward(point)
        found = []
        for k in range(self.depth):
            env = dict(zip(self.variables(k), values[k]))
            jacobian = self.jacobian(k)
            at_zero = [s for s in jacobian.atoms(sympy.sign) if s.args[0].xreplace(env) == 0]
            if not at_zero:
                continue
            sides = {s: sympy.Dummy(f"side{n}") for n, s in enumerate(at_zero)}
            evaluated = jacobian.xreplace(sides).xreplace(env)
            for s, side in sides.items():
                if side in evaluated.free_symbols:
                    found.append((k, s.args[0]))
        return found

    def numeric_map(self, layer: int | None = None):
        """A numpy function for one layer (or the whole composition when None): R^in -> R^out."""
        if layer is None:
            args, comps = self.variables(0), self.composite()
        else:
            args, comps = self.variables(layer), list(self.layers[layer])
        func = sympy.lambdify(args, [elementary(c) for c in comps], "numpy")

        def apply(*coords):
            out = func(*coords)
            return [np.broadcast_to(np.asarray(v, dtype=float), np.shape(coords[0])) for v in out]

        return apply

    def _require_scalar(self, what: str) -> None:
        if not self.is_scalar:
            raise ChainError(f"{what} needs a scalar output, but y has {self.output_dim} components")


# --- helpers --------------------------------------------------------------------------------------


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """Collect a polynomial result into its plainest form; leave anything else as computed."""
    if isinstance(expr, sympy.Expr) and expr.free_symbols and expr.is_polynomial():
        return sympy.expand(expr)
    return expr


def _evaluate(expr: sympy.Expr, env: dict) -> sympy.Expr:
    return tidy(expr.xreplace(env)) if env else expr


def _exact(value: object) -> sympy.Expr:
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, bool):
        raise ChainError("a coordinate must be a number")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.Rational(repr(value)) if np.isfinite(value) else _not_number(value)
    return parse_point(str(value))[0]


def _not_number(value: object):
    raise ChainError(f"{value!r} is not a finite number")


def _indices_used(layer: Sequence[sympy.Expr], letter: str) -> set[int]:
    used = set()
    for comp in layer:
        for sym in comp.free_symbols:
            name = sym.name
            if name.startswith(letter) and name[len(letter):].isdigit():
                used.add(int(name[len(letter):]))
    return used


def _layer_vocabulary(letter: str) -> list[str]:
    return naming.variable_names(letter, 12)


def _letter_hint(letter: str) -> str:
    return f"this map's variables are {letter}1, {letter}2, ..."
