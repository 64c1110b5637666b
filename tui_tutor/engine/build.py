"""Building sympy objects from parsed pieces, with every size bounded.

The parser (:mod:`tui_tutor.engine.parse`) decides what the text says; these functions build it
and refuse what would exhaust the machine: a constant exponent over 1000, a constant result over
2000 digits, a constant function argument over 10^6, matrices over 12×12, division by zero.
Each error carries the column of the operator or function that caused it.
"""

from __future__ import annotations

import math

import sympy
from sympy import ImmutableMatrix

from tui_tutor.engine.errors import ParseError
from tui_tutor.engine.functions import sigma

MAX_POWER_EXPONENT = 1000  # |q| in base^q when q is a constant
MAX_RESULT_DIGITS = 2000  # digits of an integer produced by folding number^number
MAX_MATRIX_DIM = 12  # rows or columns
MAX_CONSTANT_ARGUMENT = 1e6  # |a| in exp(a), sin(a) ... when a is a constant
_LOG10_2 = math.log10(2)

FUNCTIONS: dict[str, object] = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "exp": sympy.exp,
    "log": sympy.log,
    "ln": sympy.log,
    "sqrt": sympy.sqrt,
    "abs": sympy.Abs,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
    "asin": sympy.asin,
    "acos": sympy.acos,
    "atan": sympy.atan,
    "arcsin": sympy.asin,
    "arccos": sympy.acos,
    "arctan": sympy.atan,
    "sigma": sigma,
}

CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "e": sympy.E}


def build_matrix(rows: list[list[object]], col: int) -> ImmutableMatrix:
    """A matrix from rows of entries; rows must be equally long and at most 12×12."""
    width = len(rows[0])
    for r, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ParseError(
                f"row {r} has {len(row)} {'entry' if len(row) == 1 else 'entries'} "
                f"but row 1 has {width}",
                col,
            )
        for entry in row:
            if is_matrix(entry):
                raise ParseError("a matrix entry must be a number or expression, not a matrix", col)
    if len(rows) > MAX_MATRIX_DIM or width > MAX_MATRIX_DIM:
        raise ParseError(f"matrices are limited to {MAX_MATRIX_DIM}×{MAX_MATRIX_DIM}", col)
    return ImmutableMatrix(rows)

def column_vector(items: list[object], col: int) -> ImmutableMatrix:
    """A column vector, as ``(a, b)`` and a top-level ``a, b`` are read."""
    return build_matrix([[item] for item in items], col)

def is_matrix(value: object) -> bool:
    return isinstance(value, sympy.MatrixBase)

def combine(left: object, op: str, right: object, col: int) -> object:
    """``left op right`` for op in + - * /, with matrix shapes and division by zero checked."""
    left_m, right_m = is_matrix(left), is_matrix(right)
    try:
        if op == "+":
            if left_m != right_m:
                raise ParseError("cannot add a matrix and a number", col)
            return left + right
        if op == "-":
            if left_m != right_m:
                raise ParseError("cannot subtract a matrix and a number", col)
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            if right_m:
                raise ParseError("cannot divide by a matrix", col)
            if right == 0:
                raise ParseError("division by zero", col)
            return left * sympy.Pow(right, -1) if not left_m else left / right
    except sympy.ShapeError:
        raise ParseError(
            f"cannot {'add' if op in '+-' else 'multiply'} "
            f"{_shape_text(left)} and {_shape_text(right)}",
            col,
        ) from None
    raise AssertionError(op)

def negate(value: object) -> object:
    return -value

def power(base: object, exponent: object, col: int) -> object:
    """``base^exponent`` with a constant exponent and a constant result bounded in size."""
    if is_matrix(base) or is_matrix(exponent):
        raise ParseError("powers of matrices are not supported (use ^T to transpose)", col)
    if exponent.free_symbols:
        return sympy.Pow(base, exponent)
    # A constant exponent (2, 1/2, pi, e^3): bound it, and bound the size of a constant result.
    size = abs(exponent) if exponent.is_Number else _magnitude(exponent)
    if size > MAX_POWER_EXPONENT:
        raise ParseError(f"exponent is larger than {MAX_POWER_EXPONENT}", col)
    if not base.free_symbols and base != 0:
        if base.is_Rational:
            # Digits of numerator and denominator, not log10 of the value: (1000001/1000000)^1000
            # is close to 1 but has 6000-digit parts, and raising it again would never finish.
            digits = max(base.p.bit_length(), base.q.bit_length()) * _LOG10_2
        else:  # an irrational constant: (e^1000)^1000 is e^1000000
            magnitude = _magnitude(base)
            digits = abs(math.log10(magnitude)) if magnitude > 0 else 0.0
        if digits * float(size) > MAX_RESULT_DIGITS:
            raise ParseError(f"number is too large (over {MAX_RESULT_DIGITS} digits)", col)
    if base == 0 and exponent.is_negative:
        raise ParseError("division by zero", col)
    return sympy.Pow(base, exponent)

def apply(name: str, argument: object, col: int) -> object:
    """A whitelisted function applied to a scalar; a huge constant argument is refused."""
    if is_matrix(argument):
        raise ParseError(f"{name} applies to a number or expression, not a matrix", col)
    # exp(exp(exp(100))) is a closed form whose value no one can compute: bound constant arguments.
    if not argument.free_symbols and _magnitude(argument) > MAX_CONSTANT_ARGUMENT:
        raise ParseError(f"the number inside {name}(...) is too large (over 10^6)", col)
    result = FUNCTIONS[name](argument)
    if result.has(sympy.zoo, sympy.nan) or result in (sympy.oo, -sympy.oo):
        raise ParseError(f"{name} is undefined there", col)
    return result


def _magnitude(value: sympy.Expr) -> float:
    """|value| of a closed-form number to a few digits; inf when it is too large for a float or undefined."""
    try:
        size = abs(complex(sympy.N(value, 8)))
    except (TypeError, ValueError):
        return math.inf
    return size if math.isfinite(size) else math.inf


def _shape_text(value: object) -> str:
    if isinstance(value, sympy.MatrixBase):
        return f"a {value.shape[0]}×{value.shape[1]} matrix"
    return "a number"
