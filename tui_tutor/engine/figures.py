"""Significant figures: what a typed decimal claims, and the rule a decimal answer is held to.

A decimal such as ``0.393`` claims three significant figures: the value it stands for lies within
half a unit of its last place (0.3925 ≤ v ≤ 0.3935). A decimal answer counts as right when it has
at least :data:`MIN_FIGURES` figures and the exact value, rounded to the answer's own figures,
gives the answer — or when the decimal *is* the exact value (0.5 for 1/2, -0.09 for -9/100). A
decimal with fewer figures that is right as far as it goes is not judged at all: the learner is
asked for more figures. See the README, "How answers are graded".

The parser keeps every decimal literal it reads (:class:`DecimalLiteral`); a literal's figures are
counted from the text as typed, so ``0.390`` has three and ``0.39`` two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import sympy

MIN_FIGURES = 3


@dataclass(frozen=True)
class DecimalLiteral:
    """One decimal number as typed, e.g. ``0.0901`` (3 figures, ±0.00005)."""

    text: str
    column: int  # 1-based, in the typed text
    value: sympy.Rational  # exact: 0.0901 is 901/10000
    figures: int  # significant figures as typed; leading zeros do not count, trailing ones do
    half_unit: sympy.Rational  # half a unit in the last typed place: how far rounding may have moved it
    symbol: sympy.Symbol  # stands for this literal in :meth:`Parsed.parametric`


def placeholder(index: int) -> sympy.Symbol:
    """The symbol standing for the ``index``-th decimal of a text; no typed name can equal it."""
    return sympy.Symbol(f"_decimal{index}", real=True)  # the parser drops '_' from typed names


def read_literal(text: str, column: int, value: sympy.Rational, index: int) -> DecimalLiteral:
    """The figures and rounding range of a decimal literal (``0.39``, ``.5``, ``1.50e3``, ``1e-3``)."""
    mantissa, _, exponent = text.lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    figures = len((whole + fraction).lstrip("0"))
    last_place = (int(exponent) if exponent else 0) - len(fraction)
    half_unit = sympy.Rational(1, 2) * sympy.Rational(10) ** last_place
    return DecimalLiteral(text, column, value, figures, half_unit, placeholder(index))


def short_literals(literals: Iterable[DecimalLiteral]) -> list[DecimalLiteral]:
    """The literals with fewer figures than an answer needs."""
    return [lit for lit in literals if lit.figures < MIN_FIGURES]


def figures_text(literals: Iterable[DecimalLiteral]) -> str:
    """``0.39 has 2`` / ``0.5 has 1 and 0.39 has 2``: which decimals are short, for a message."""
    parts = [f"{lit.text} has {lit.figures}" for lit in literals]
    if len(parts) > 3:
        parts = parts[:3] + [f"{len(parts) - 3} more are short"]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def preview_warning(literals: Iterable[DecimalLiteral]) -> str:
    """What the answer box says before Enter when a decimal is short ('' when none is)."""
    short = short_literals(literals)
    if not short:
        return ""
    return (
        f"give at least {MIN_FIGURES} significant figures ({figures_text(short)}), "
        "unless the decimal is the exact value"
    )


__all__ = ["MIN_FIGURES", "DecimalLiteral", "figures_text", "placeholder", "preview_warning", "read_literal", "short_literals"]
