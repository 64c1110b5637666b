"""Evaluate an expression as a real function: its value at a point, or "not defined there".

The grader compares answers only where both sides have a real value, so it must know where an
expression is defined on the real line — and evaluating in the complex plane hides that:
(√x + 1)(√x − 1) is −5 at x = −4 there, although √(−4) is not a real number. sympy's ``evalf``
and ``lambdify`` both work in the complex plane, so this small evaluator walks the expression
once, builds a closure per node (fast to call at many points) and computes with mpmath at the
precision asked for, raising :class:`Undefined` at the first node without a real value:
log of a number ≤ 0, an even or fractional root of a negative number, asin/acos outside
[−1, 1], a division by zero. Non-integer powers of negative numbers are undefined (the principal
branch, as in sympy), so x^(1/3) is defined for x ≥ 0 only.

mpmath numbers do not overflow, so exp(1000) is an ordinary value; an argument so large that no
precision would do (exp(10^20)) raises :class:`TooLarge` instead of running for ever. Each value
comes with a bound on its rounding error, carried node by node (a running error analysis), so the
grader can tell a real difference from rounding noise.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import mpmath
import sympy
from mpmath import mp, mpf

from tui_tutor.engine.functions import sigma

HUGE_ARGUMENT = mpf(10) ** 15  # exp, sinh, cosh of more, or sin, cos, tan of more: TooLarge
NONLINEAR_LIMIT = mpf(10) ** -6  # relative error of a non-linear function's input beyond which its bound is void

Env = dict  # sympy.Symbol -> mpf (exact: a sample point's coordinates are binary fractions)
Compiled = Callable[[Env], "tuple[mpf, mpf]"]
_INFINITE = mpmath.inf
_LOG10_2 = 0.30103


class Undefined(ArithmeticError):
    """The expression has no real value at this point."""


class TooLarge(ArithmeticError):
    """The value cannot be computed at any sensible precision (an argument over 10^15)."""


class Unsupported(ValueError):
    """The expression contains a node this evaluator does not know."""


class _Rounding:
    unit = mpf(10) ** -29  # relative rounding error of one operation at the working precision
    needed = 0  # digits a sum's terms span (largest over smallest), or an exact constant has


def evaluate(expr: sympy.Expr, env: Env, digits: int = 30) -> mpf:
    """The real value of ``expr`` with ``env``'s values for its symbols, to about ``digits`` digits.

    Raises Undefined, TooLarge or Unsupported.
    """
    return evaluate_with_error(expr, env, digits)[0]


def evaluate_with_error(expr: sympy.Expr, env: Env, digits: int = 30) -> tuple[mpf, mpf, int]:
    """The value, a bound on its rounding error and the precision that would lose nothing.

    The bound is first order, each operation off by up to ten units in its last digit (infinite
    where a non-linear step makes the first order meaningless). The precision is the largest
    number of digits spanned by the terms of a sum (x + 10^-100 spans 100) or held by an exact
    constant (10^40 + 1 holds 41): below it, a small term may have been rounded away. The grader
    uses both to tell a real difference from rounding noise: 1 − σ(143) is 0 to 60 digits although
    σ(−143) is 10^-62, and that 0 is inside its bound, while the terms span 62 digits.
    """
    func = compiled(expr)
    with mp.workdps(digits):
        _Rounding.unit = mpf(10) ** (1 - digits)
        _Rounding.needed = 0
        value, error = func(env)
        if not mpmath.isfinite(value):
            raise Undefined("not finite")
        return +value, error, _Rounding.needed


@lru_cache(maxsize=2048)
def compiled(expr: sympy.Expr) -> Compiled:
    """A closure computing ``(value, error bound)`` of ``expr`` from mpf values (cached per expression)."""
    return _compile(expr)


def _rounded(value: mpf) -> tuple[mpf, mpf]:
    return value, abs(value) * _Rounding.unit


def _compile(expr: sympy.Basic) -> Compiled:
    if expr.is_Symbol:
        zero = mpf(0)
        return lambda env: (env[expr], zero)
    if expr.is_Integer or expr.is_Rational:
        p, q = int(expr.p), int(expr.q)
        digits = int((abs(p).bit_length() + q.bit_length()) * _LOG10_2) + 1

        def constant(env):
            _Rounding.needed = max(_Rounding.needed, digits)
            return _rounded(mpf(p) / q)

        return constant
    if expr.is_Float:
        value = expr._mpf_
        return lambda env: _rounded(mpf(value))
    if expr is sympy.pi:
        return lambda env: _rounded(+mp.pi)
    if expr is sympy.E:
        return lambda env: _rounded(+mp.e)
    if expr in (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or expr is sympy.I:
        return _undefined
    if expr.is_Add:
        return _sum([_compile(a) for a in expr.args])
    if expr.is_Mul:
        return _product([_compile(a) for a in expr.args])
    if expr.is_Pow:
        return _power(expr)
    function = _FUNCTIONS.get(type(expr)) or _FUNCTIONS.get(expr.func)
    if function is not None and len(expr.args) == 1:
        inner = _compile(expr.args[0])
        return lambda env: function(*inner(env))
    raise Unsupported(f"cannot evaluate {type(expr).__name__}")


def _undefined(env: Env):
    raise Undefined("undefined constant")


def _sum(parts):
    def add(env):
        values = [p(env) for p in parts]
        value = mpmath.fsum(v for v, _ in values)  # exactly rounded
        sizes = [mpmath.mag(v) for v, _ in values if v]
        if len(sizes) > 1:
            _Rounding.needed = max(_Rounding.needed, int((max(sizes) - min(sizes)) * _LOG10_2) + 1)
        return value, mpmath.fsum(e for _, e in values) + abs(value) * _Rounding.unit

    return add


def _product(parts):
    def multiply(env):
        values = [p(env) for p in parts]
        value = mpmath.fprod(v for v, _ in values)
        error = abs(value) * _Rounding.unit * len(values)
        for i, (_, e) in enumerate(values):
            if e:
                error += e * mpmath.fprod(abs(v) + f for j, (v, f) in enumerate(values) if j != i)
        return value, error

    return multiply


def _relative(value: mpf, error: mpf) -> mpf:
    """The relative error of a non-linear function's input; infinite when too large for first order."""
    if not error:
        return mpf(0)
    if not value:
        return _INFINITE
    return _capped(error / abs(value))


def _power(expr: sympy.Pow) -> Compiled:
    base = _compile(expr.base)
    exponent = expr.exp
    if exponent.is_Integer:
        n = int(exponent)

        def integer_power(env):
            b, e = base(env)
            if not b and n < 0:
                raise Undefined("division by zero")
            value = b**n
            if n > 0 and not b:
                return value, e**n
            return value, abs(value) * (abs(n) * _relative(b, e) + _Rounding.unit)

        return integer_power
    if exponent.is_Rational and exponent.q == 2:  # square roots, the commonest case, exactly rounded
        p = int(exponent.p)

        def half_power(env):
            b, e = base(env)
            if b < 0 or (not b and p < 0):
                raise Undefined("root of a negative number")
            value = mpmath.sqrt(b) ** p
            if not b:
                return value, mpmath.sqrt(e) ** p if e else mpf(0)
            return value, abs(value) * (abs(p) * _relative(b, e) / 2 + _Rounding.unit)

        return half_power
    power = _compile(exponent)

    def real_power(env):
        (b, eb), (x, ex) = base(env), power(env)
        if b > 0:
            log_b = mpmath.log(b)
            if abs(x * log_b) > HUGE_ARGUMENT:
                raise TooLarge("power too large")
            value = mpmath.power(b, x)
            relative = abs(x) * _relative(b, eb) + abs(log_b) * ex
            return value, abs(value) * (_capped(relative) + _Rounding.unit)
        if not b and x > 0:
            return mpf(0), eb ** x if eb else mpf(0)
        raise Undefined("power of a negative number or of zero")

    return real_power


def _capped(relative: mpf) -> mpf:
    return relative if relative <= NONLINEAR_LIMIT else _INFINITE


def _check(a: mpf) -> None:
    if abs(a) > HUGE_ARGUMENT:
        raise TooLarge("argument too large")


def _exp(a, e):
    _check(a)
    value = mpmath.exp(a)
    return value, abs(value) * (_capped(e) + _Rounding.unit)  # exp(a ± e) = exp(a)(1 ± e)


def _log(a, e):
    if a <= 0:
        raise Undefined("log of a number <= 0")
    value = mpmath.log(a)
    return value, _relative(a, e) + abs(value) * _Rounding.unit


def _lipschitz(func, bound=1):
    """A function whose slope is at most ``bound`` everywhere (sin, cos, tanh, atan, σ)."""

    def call(a, e):
        _check(a)
        value = func(a)
        return value, e * bound + abs(value) * _Rounding.unit

    return call


def _hyperbolic(func):
    """sinh or cosh: the slope is at most cosh(a), valid to first order only."""

    def call(a, e):
        _check(a)
        value = func(a)
        return value, _capped(e) * mpmath.cosh(a) + abs(value) * _Rounding.unit

    return call


def _arc(func):
    def call(a, e):
        if abs(a) > 1:
            raise Undefined("outside [-1, 1]")
        value = func(a)
        room = 1 - abs(a)  # the slope 1/sqrt(1 - a^2) is unbounded at the ends
        error = e / mpmath.sqrt(room * (1 + abs(a))) if room > e else (_INFINITE if e else mpf(0))
        return value, _capped(error) + abs(value) * _Rounding.unit

    return call


def _tan(a, e):
    _check(a)
    c = mpmath.cos(a)
    if not c:
        raise Undefined("tan at a pole")
    value = mpmath.sin(a) / c
    return value, _capped(e) * (1 + value**2) + abs(value) * _Rounding.unit


# mpmath's sinh, cosh and tanh drop e^-|a| for large |a| (tanh(2064) is 1 even at 1800 digits,
# where 1 - 2e^-4128 is representable), so outside [-1, 1] they are computed from exp, exactly
# rounded, and their error stays within the bound.
def _sinh_value(a):
    if abs(a) < 1:
        return mpmath.sinh(a)
    return (mpmath.exp(a) - mpmath.exp(-a)) / 2


def _cosh_value(a):
    return (mpmath.exp(a) + mpmath.exp(-a)) / 2


def _tanh_value(a):
    if abs(a) < 1:
        return mpmath.tanh(a)
    return mpmath.sign(a) * (1 - 2 / (mpmath.exp(2 * abs(a)) + 1))


def _sigma_value(a):
    if a >= 0:
        return 1 / (1 + mpmath.exp(-a))
    t = mpmath.exp(a)  # no huge intermediate for very negative a
    return t / (1 + t)


def _sign(a, e):
    if e and abs(a) <= e:
        return mpmath.sign(a), _INFINITE  # too close to 0 to know the sign
    return mpmath.sign(a), mpf(0)


def _sigma(a, e):
    """σ, with its local slope σ(1 − σ): in the tails σ(−500) is 10^-218 and a global bound of 1/4
    would swamp it (hiding that σ(5x)·(1 + ...) is not σ(5x) there)."""
    _check(a)
    value = _sigma_value(a)
    slope = value * (1 - value) * (1 + 2 * e) if e <= NONLINEAR_LIMIT else mpf(1) / 4
    return value, e * slope + value * _Rounding.unit


_FUNCTIONS = {
    sympy.exp: _exp,
    sympy.log: _log,
    sympy.sin: _lipschitz(mpmath.sin),
    sympy.cos: _lipschitz(mpmath.cos),
    sympy.tan: _tan,
    sympy.sinh: _hyperbolic(_sinh_value),
    sympy.cosh: _hyperbolic(_cosh_value),
    sympy.tanh: _lipschitz(_tanh_value),
    sympy.asin: _arc(mpmath.asin),
    sympy.acos: _arc(mpmath.acos),
    sympy.atan: _lipschitz(mpmath.atan),
    sympy.Abs: lambda a, e: (abs(a), e),
    sympy.sign: _sign,
    sigma: _sigma,
}


__all__ = ["TooLarge", "Undefined", "Unsupported", "compiled", "evaluate", "evaluate_with_error"]
