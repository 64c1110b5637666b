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
precision would do (exp(10^20)) raises :class:`TooLarge` instead of running for ever.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import mpmath
import sympy
from mpmath import mp, mpf

from tui_tutor.engine.functions import sigma

HUGE_ARGUMENT = mpf(10) ** 15  # exp, sinh, cosh of more, or sin, cos, tan of more: TooLarge

Env = dict  # sympy.Symbol -> mpf
Compiled = Callable[[Env], mpf]


class Undefined(ArithmeticError):
    """The expression has no real value at this point."""


class TooLarge(ArithmeticError):
    """The value cannot be computed at any sensible precision (an argument over 10^15)."""


class Unsupported(ValueError):
    """The expression contains a node this evaluator does not know."""


def evaluate(expr: sympy.Expr, env: Env, digits: int = 30) -> mpf:
    """The real value of ``expr`` with ``env``'s values for its symbols, to about ``digits`` digits.

    Raises Undefined, TooLarge or Unsupported.
    """
    func = compiled(expr)
    with mp.workdps(digits):
        value = func(env)
        if not mpmath.isfinite(value):
            raise Undefined("not finite")
        return +value  # rounded to the working precision


@lru_cache(maxsize=2048)
def compiled(expr: sympy.Expr) -> Compiled:
    """A closure computing ``expr`` from an environment of mpf values (cached per expression)."""
    return _compile(expr)


def _compile(expr: sympy.Basic) -> Compiled:
    if expr.is_Symbol:
        return lambda env: env[expr]
    if expr.is_Integer:
        n = int(expr)
        return lambda env: mpf(n)
    if expr.is_Rational:
        p, q = int(expr.p), int(expr.q)
        return lambda env: mpf(p) / q
    if expr.is_Float:
        value = expr._mpf_
        return lambda env: mpf(value)
    if expr is sympy.pi:
        return lambda env: +mp.pi
    if expr is sympy.E:
        return lambda env: +mp.e
    if expr in (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or expr is sympy.I:
        return _undefined
    if expr.is_Add:
        parts = [_compile(a) for a in expr.args]
        return lambda env: mpmath.fsum(p(env) for p in parts)
    if expr.is_Mul:
        parts = [_compile(a) for a in expr.args]
        return lambda env: mpmath.fprod(p(env) for p in parts)
    if expr.is_Pow:
        return _power(expr)
    function = _FUNCTIONS.get(type(expr)) or _FUNCTIONS.get(expr.func)
    if function is not None and len(expr.args) == 1:
        inner = _compile(expr.args[0])
        return lambda env: function(inner(env))
    raise Unsupported(f"cannot evaluate {type(expr).__name__}")


def _undefined(env: Env) -> mpf:
    raise Undefined("undefined constant")


def _power(expr: sympy.Pow) -> Compiled:
    base = _compile(expr.base)
    exponent = expr.exp
    if exponent.is_Integer:
        n = int(exponent)

        def integer_power(env):
            b = base(env)
            if not b and n < 0:
                raise Undefined("division by zero")
            return b**n

        return integer_power
    if exponent.is_Rational and exponent.q == 2:  # square roots, the commonest case, exactly rounded
        p = int(exponent.p)

        def half_power(env):
            b = base(env)
            if b < 0 or (not b and p < 0):
                raise Undefined("root of a negative number")
            return mpmath.sqrt(b) ** p

        return half_power
    power = _compile(exponent)

    def real_power(env):
        b, e = base(env), power(env)
        if b > 0:
            if abs(e * mpmath.log(b)) > HUGE_ARGUMENT:
                raise TooLarge("power too large")
            return mpmath.power(b, e)
        if not b and e > 0:
            return mpf(0)
        raise Undefined("power of a negative number or of zero")

    return real_power


def _bounded(func):
    def call(a):
        if abs(a) > HUGE_ARGUMENT:
            raise TooLarge("argument too large")
        return func(a)

    return call


def _log(a):
    if a <= 0:
        raise Undefined("log of a number <= 0")
    return mpmath.log(a)


def _arc(func):
    def call(a):
        if abs(a) > 1:
            raise Undefined("outside [-1, 1]")
        return func(a)

    return call


def _tan(a):
    if abs(a) > HUGE_ARGUMENT:
        raise TooLarge("argument too large")
    c = mpmath.cos(a)
    if not c:
        raise Undefined("tan at a pole")
    return mpmath.sin(a) / c


def _sigma(a):
    if abs(a) > HUGE_ARGUMENT:
        raise TooLarge("argument too large")
    if a >= 0:
        return 1 / (1 + mpmath.exp(-a))
    t = mpmath.exp(a)  # no huge intermediate for very negative a
    return t / (1 + t)


_FUNCTIONS = {
    sympy.exp: _bounded(mpmath.exp),
    sympy.log: _log,
    sympy.sin: _bounded(mpmath.sin),
    sympy.cos: _bounded(mpmath.cos),
    sympy.tan: _tan,
    sympy.sinh: _bounded(mpmath.sinh),
    sympy.cosh: _bounded(mpmath.cosh),
    sympy.tanh: mpmath.tanh,
    sympy.asin: _arc(mpmath.asin),
    sympy.acos: _arc(mpmath.acos),
    sympy.atan: mpmath.atan,
    sympy.Abs: abs,
    sympy.sign: mpmath.sign,
    sigma: _sigma,
}


__all__ = ["TooLarge", "Undefined", "Unsupported", "compiled", "evaluate"]
