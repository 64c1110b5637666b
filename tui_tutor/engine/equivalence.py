"""Is a typed entry equal to the expected one? Exactly when no decimal was typed; to its figures when one was.

Without a typed decimal the answer must be *exactly* right: 10^20 + 1 is not 10^20 and
1000000·x1 + sin(x1) is not 1000000·x1. Equality is proved symbolically where that is cheap
(sympy cancels the difference to 0, or it is a polynomial that expands to 0); otherwise the
difference is evaluated at sample points with a bound on its rounding error, at 30 significant
digits and, when it is within its noise there, again at 60 or as many as its terms and constants
span (exp(x + 10^-100) needs 130): a difference well outside its bound is a real value, so the
answer is wrong; one inside it at both precisions is rounding noise around an exact 0.

Sample points have both signs and magnitudes from 0.05 to 3000 in every variable (each sign
beyond ±1449 at least once), mixed across variables, so an answer that agrees only on a
half-line (|x1| for x1) or inside a box (sin(x1) + |x1 − 2| + x1 − 2 for sin(x1)) is caught. A point counts only where the expected answer is defined (real and finite,
every step of it; see :mod:`tui_tutor.engine.realeval`), and there the answer must be defined
too: √(x1²/(1 + x1²)) is not x1/√(1 + x1²), since the two differ at every negative x1. Where the
expected answer is not defined, the answer is not asked to be — so log(x²) is accepted for
2·log(x), whose domain is x > 0 (the compromise the README states), but 2·log(x) is not accepted
for log(x²), which is defined for negative x too. At least :data:`MIN_USABLE` points must count
before "equal" is said; an expected answer defined almost nowhere falls back to sympy's simplify.

With a typed decimal (see :mod:`tui_tutor.engine.figures`), each decimal may be off by half a unit
in its last place: at every point the answer may differ from the expected value by as much as
moving each decimal within its rounding range moves the answer, and no more. For a plain number
that is exactly "the exact value, correctly rounded to the answer's figures".
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import sympy
from mpmath import mpf

from tui_tutor.engine.figures import DecimalLiteral, short_literals
from tui_tutor.engine.functions import elementary
from tui_tutor.engine.realeval import TooLarge, Undefined, Unsupported, evaluate, evaluate_with_error

BANDS = ((0.05, 0.5), (0.5, 2.0), (2.0, 8.0), (8.0, 30.0), (30.0, 150.0), (150.0, 700.0), (700.0, 3000.0))
POINTS_PER_BATCH = 28  # four per band: in every variable, each sign once in each half of the band
MIN_USABLE = 6  # points where both sides are defined, before "equal" is said
PRECISIONS = (30, 60)  # significant digits of the exactness test (the second at least)
MAX_DIGITS = 2100  # beyond this a point is skipped (the parser's numbers have at most 2000 digits)
TRUSTED = 1000  # a difference counts when over this many times its rounding-error bound
NOTHING_HIDES = 12  # digits spanned below which a 30-digit result within its noise is an exact 0
MAX_EXPANDED_POWER = 40  # polynomials of higher degree are sampled, not expanded
NEAR = 3  # a number within 3 half-units of its last place is a rounding slip (last figure ±1)


@dataclass(frozen=True)
class Typed:
    """One entry of an answer as typed: its exact value, its decimals and the entry with each
    decimal as a placeholder symbol (``parametric``), so each can be moved within its rounding."""

    value: sympy.Expr
    literals: tuple[DecimalLiteral, ...] = ()
    parametric: sympy.Expr | None = None


@dataclass(frozen=True)
class Match:
    """How one typed entry compares with the expected one."""

    equal: bool
    method: str  # "symbolic" (proved), "numeric" (evaluated) or "tolerance" (within a decimal's rounding)
    points: int = 0  # sample points compared (0 for numbers)
    short: tuple[DecimalLiteral, ...] = ()  # right as far as these go, but under 3 figures: not judged
    near: bool = False  # a typed number off by a rounding slip in its last figure


def equivalent(a: sympy.Expr, b: sympy.Expr) -> tuple[bool, str]:
    """Whether two scalar expressions are exactly equal, and how that was decided."""
    result = match(a, Typed(b))
    return result.equal, result.method


def match(expected: sympy.Expr, typed: Typed) -> Match:
    """Compare one typed entry with the expected one (see the module's docstring for the rule)."""
    answer = typed.value
    diff = expected - answer
    if diff == 0:
        return Match(True, "symbolic")
    literals = ()
    if typed.parametric is not None:  # only this entry's decimals (a matrix shares one list)
        literals = tuple(lit for lit in typed.literals if lit.symbol in typed.parametric.free_symbols)
    symbols = _variables(expected, answer)
    if not literals:
        if diff.is_Number:
            return Match(False, "symbolic")
        if symbols and _small_polynomial(diff, symbols):
            return Match(sympy.expand(diff) == 0, "symbolic")
    try:
        return _Sampling(expected, typed, diff, symbols, literals).run()
    except Unsupported:  # a function the real evaluator does not know: prove it or refuse it
        return Match(_simplifies_to_zero(diff), "symbolic")


# --- sampling -------------------------------------------------------------------------------------


class _Sampling:
    """Compare at sample points; see :func:`match`."""

    def __init__(self, expected, typed: Typed, diff, symbols, literals: Sequence[DecimalLiteral]):
        self.expected, self.typed, self.diff = expected, typed, diff
        self.symbols = symbols
        self.literals = list(literals)
        self.moves = _moves(typed, self.literals) if self.literals else []
        self.usable = 0
        self.inexact = False  # some point differs, within the decimals' rounding
        self.near = True

    def run(self) -> Match:
        batches = range(len(_BATCHES)) if self.symbols else [None]
        for batch in batches:
            points = [{}] if batch is None else _points(len(self.symbols), batch)
            for values in points:
                env = dict(zip(self.symbols, values))
                verdict = self.at(env)
                if verdict is not None:
                    return verdict
            if batch is None or self.usable >= MIN_USABLE:
                break
        if self.usable == 0 or (self.symbols and self.usable < MIN_USABLE):
            # Defined at too few points to judge by numbers: only a proof will do.
            equal = not self.literals and _simplifies_to_zero(self.diff)
            return Match(equal, "symbolic")
        count = self.usable if self.symbols else 0
        if not self.inexact:
            return Match(True, "numeric" if self.symbols else "symbolic", count)
        short = tuple(short_literals(self.literals))
        if short:
            return Match(False, "tolerance", count, short=short)
        return Match(True, "tolerance", count)

    def at(self, env: dict) -> Match | None:
        """Compare at one point: a Match when this point decides it (unequal), else None."""
        try:
            want = evaluate(self.expected, env)
        except Undefined:
            return None  # outside the expected answer's domain: nothing to compare
        except TooLarge:
            return self.beyond_reach(env)
        try:
            got = evaluate(self.typed.value, env)
        except Undefined:
            return self.unequal()  # the answer is undefined where the expected answer is defined
        except TooLarge:
            return self.beyond_reach(env)
        try:
            gap = self.difference(env, want, got)
        except TooLarge:
            return None  # would need more digits than is sensible: other points decide
        self.usable += 1
        if not gap:
            return None
        if not self.literals:
            return self.unequal()
        allowance = self.allowance(env)
        if abs(gap) <= allowance:
            self.inexact = True
            return None
        self.near = self.near and not self.symbols and len(self.literals) == 1 and abs(gap) <= NEAR * allowance
        return self.unequal()

    def beyond_reach(self, env: dict) -> Match | None:
        """A side too large to evaluate here (exp(exp(40))): the difference may still be within
        reach — exp(exp(x1)) + |x1 - 40| + x1 - 40 differs from exp(exp(x1)) by what is left after
        sympy cancels the common part — and a real difference there makes the answer wrong."""
        if self.literals:
            return None
        try:
            gap = _exact_difference(self.diff, env)
        except (Undefined, TooLarge):
            return None
        return self.unequal() if gap else None

    def unequal(self) -> Match:
        method = "tolerance" if self.literals else "numeric" if self.symbols else "symbolic"
        return Match(False, method, self.usable, near=bool(self.literals) and self.near)

    def difference(self, env: dict, want: mpf, got: mpf) -> mpf:
        """expected − answer at the point, or 0 when it is 0 up to rounding (see the module docstring)."""
        try:
            return _exact_difference(self.diff, env)
        except Undefined:
            # The difference simplified into something undefined here although both sides are
            # defined: fall back to the two values, judged at the precision they were computed at.
            gap = want - got
            return gap if abs(gap) > mpf(10) ** -25 * max(abs(want), abs(got)) else mpf(0)

    def allowance(self, env: dict) -> mpf:
        """How far the answer moves when each decimal moves within its rounding (half a unit in
        its last place), summed over the decimals."""
        total = mpf(0)
        for moves in self.moves:
            worst = mpf(0)
            for move in moves:
                try:
                    worst = max(worst, abs(_exact_difference(move, env)))
                except (Undefined, TooLarge):
                    continue
            total += worst
        return total * (1 + mpf(10) ** -20)  # a value exactly halfway may be rounded either way


def _moves(typed: Typed, literals: Sequence[DecimalLiteral]) -> list[tuple[sympy.Expr, sympy.Expr]]:
    """For each decimal, how the answer changes when that decimal moves up or down by half a unit
    in its last place (the others as typed), as expressions: sympy cancels what does not change,
    so exp(x/3) + 0.667x is compared as 0.0005x however large exp(x/3) is."""
    exact = {lit.symbol: lit.value for lit in literals}
    moves = []
    for lit in literals:
        changed = [
            typed.parametric.xreplace({**exact, lit.symbol: lit.value + sign * lit.half_unit}) - typed.value
            for sign in (1, -1)
        ]
        moves.append(tuple(changed))
    return moves


def _exact_difference(diff: sympy.Expr, env: dict) -> mpf:
    """The difference at the point, or 0 when it is within rounding noise of 0 at every precision tried.

    A value counts only when it is larger than a thousand times its error bound (see
    :func:`realeval.evaluate_with_error`). It is computed at 30 digits, then at 60 or at as many
    as the terms and constants span, plus 30 — so a difference hidden below the first precision
    shows (sin(2x) − 2 sin x cos x + 10^-40 at 70 digits, exp(x + 10^-100) − exp(x) at 130); an
    exact 0 reached through cancellation (1 − σ(143) against σ(−143), cosh² − sinh² at 90) stays
    inside its bound. A point that would need over MAX_DIGITS digits is skipped (TooLarge).
    """
    value, error, needed = evaluate_with_error(diff, env, PRECISIONS[0])
    if abs(value) > TRUSTED * error:
        return value
    if needed <= NOTHING_HIDES:
        # No term or constant spans more digits than this, so nothing smaller than the noise of
        # a 30-digit sum can be in it: a difference within the noise is no difference.
        return mpf(0)
    digits = max(PRECISIONS[1], needed + PRECISIONS[0])
    if digits > MAX_DIGITS:
        raise TooLarge(f"needs {digits} digits")
    value, error, _ = evaluate_with_error(diff, env, digits)
    return value if abs(value) > TRUSTED * error else mpf(0)


_BATCHES = (
    ("both signs, 0.05 to 120", BANDS, True),
    ("both signs, small", ((0.01, 0.05), (0.05, 0.1), (0.1, 0.3), (0.3, 0.6), (0.6, 1.0), (1.0, 1.3), (1.3, 1.6)), True),
    ("positive", ((0.01, 0.3), (0.3, 3.0), (3.0, 30.0), (30.0, 300.0), (300.0, 1000.0), (1.0, 5.0), (5.0, 10.0)), False),
)


@lru_cache(maxsize=64)
def _points(count: int, batch: int) -> tuple[tuple[mpf, ...], ...]:
    """Sample points for ``count`` variables: in every band, two positive and two negative values
    of each variable (shuffled independently per variable, so sign patterns mix). Fixed seeds:
    the same answer always gets the same verdict."""
    _, bands, both_signs = _BATCHES[batch]
    rng = random.Random(20260101 + 7919 * batch + count)
    columns = []
    for _ in range(count):
        column = []
        for low, high in bands:
            # (sign, half of the band): both signs in both halves, so every variable is beyond
            # ±sqrt(low·high) somewhere, e.g. past ±1449 in the top band.
            slots = [(1, 0), (1, 1), (-1, 0), (-1, 1)] if both_signs else [(1, 0), (1, 1), (1, 0), (1, 1)]
            for sign, half in slots:
                fraction = (half + rng.random()) / 2  # log-uniform within that half
                column.append(mpf(sign * low * (high / low) ** fraction))
        # Shuffled per variable, so a point mixes magnitudes and signs: x1 large with x2 small
        # (where -x1 + 4x2^2 + x2 is negative) as well as both alike.
        rng.shuffle(column)
        columns.append(column)
    return tuple(zip(*columns))


def _variables(*exprs) -> list[sympy.Symbol]:
    names = set().union(*(e.free_symbols for e in exprs))
    return sorted((s for s in names if not s.name.startswith("_")), key=lambda s: s.name)


def _small_polynomial(diff: sympy.Expr, symbols) -> bool:
    """A polynomial cheap enough to expand ((x1 + x2)^1000 is not)."""
    if not diff.is_polynomial(*symbols):
        return False
    powers = [p.exp for p in diff.atoms(sympy.Pow) if p.exp.is_Integer]
    return max(powers, default=1) <= MAX_EXPANDED_POWER


def _simplifies_to_zero(diff: sympy.Expr) -> bool:
    return sympy.simplify(elementary(diff)) == 0


__all__ = ["MIN_USABLE", "Match", "Typed", "equivalent", "match"]
