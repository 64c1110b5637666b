"""Generated answers built to fool a grader, and right answers in unusual forms.

Each family takes a ``random.Random`` and returns a :class:`Case`: the expected answer, the typed
answer (both as text, as a learner or the CLI gives them), the kind and whether the answer is
right. A wrong case carries a *witness*: a point where both sides are real and differ, checked
here with sympy's own evaluation (independent of the grader's evaluator), so a case that is not
really wrong is never counted against the grader. Used by the hypothesis tests in
``test_grade_fooling.py`` and by ``benchmarks/redteam_grade.py``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Callable

import sympy

from tui_tutor.engine.functions import sigma
from tui_tutor.engine.parse import parse
from tui_tutor.engine.linetext import line_text

X1, X2 = sympy.Symbol("x1", real=True), sympy.Symbol("x2", real=True)


@dataclass(frozen=True)
class Case:
    family: str
    expected: str
    answer: str
    right: bool
    kind: str = "scalar"


class Unusable(Exception):
    """This draw did not give a valid case (e.g. the 'wrong' answer happened to be right)."""


# --- random expressions defined on the whole plane ------------------------------------------------

_UNARY: list[Callable[[sympy.Expr], sympy.Expr]] = [
    sympy.sin, sympy.cos, sympy.tanh, sigma, sympy.atan,
    lambda u: u**2, lambda u: u**3, lambda u: sympy.sqrt(1 + u**2), lambda u: sympy.log(1 + u**2),
    lambda u: 1 / (1 + u**2), lambda u: sympy.exp(u / 3),
]


def expression(rng: random.Random, depth: int = 2, variables=(X1, X2)) -> sympy.Expr:
    """A random expression defined (real, finite) everywhere, in ``variables``."""
    if depth == 0 or rng.random() < 0.2:
        atom = rng.choice(variables)
        return atom if rng.random() < 0.7 else rng.randint(2, 5) * atom
    shape = rng.random()
    if shape < 0.45:
        return rng.choice(_UNARY)(expression(rng, depth - 1, variables))
    a, b = expression(rng, depth - 1, variables), expression(rng, depth - 1, variables)
    if shape < 0.7:
        return a + b
    if shape < 0.85:
        return a - b
    return a * b


def odd_in_x1(rng: random.Random) -> sympy.Expr:
    """An expression that changes when x1 changes sign (so |x1| for x1 is wrong)."""
    for _ in range(50):
        e = expression(rng)
        if X1 in e.free_symbols and differ(e, e.xreplace({X1: -X1}), {X1: sympy.Rational(-7, 10), X2: sympy.Rational(3, 10)}):
            return e
    raise Unusable("no expression odd in x1")


def text(expr: sympy.Expr) -> str:
    return line_text(expr)


# --- independent checks ---------------------------------------------------------------------------


def real_value(expr: sympy.Expr, point: dict) -> sympy.Float | None:
    """sympy's value at the point, when it is a finite real number (evaluated in the complex plane)."""
    value = sympy.N(expr.subs(point), 60)
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    re, im = value.as_real_imag()
    if abs(im) > sympy.Float(10) ** -40 * max(1, abs(re)):
        return None
    return re


def differ(a: sympy.Expr, b: sympy.Expr, point: dict) -> bool:
    va, vb = real_value(a, point), real_value(b, point)
    if va is None or vb is None:
        return False
    return abs(sympy.N((a - b).subs(point), 60)) > sympy.Float(10) ** -45 * max(1, abs(va))


def _wrong(family: str, expected: str, answer: str, witness: dict, kind: str = "scalar") -> Case:
    """A wrong case, after checking that it is wrong at the witness point."""
    e, a = parse(expected).value, parse(answer).value
    if isinstance(e, sympy.MatrixBase):
        if not any(differ(x, y, witness) for x, y in zip(e, a)):
            raise Unusable(f"{family}: not wrong at the witness")
    elif not differ(e, a, witness):
        raise Unusable(f"{family}: not wrong at the witness")
    return Case(family, expected, answer, False, kind)


def _right(family: str, expected: str, answer: str, kind: str = "scalar") -> Case:
    """A right case, after checking it at a few points (where the expected answer is defined)."""
    e, a = parse(expected).value, parse(answer).value
    pairs = list(zip(e, a)) if isinstance(e, sympy.MatrixBase) else [(e, a)]
    for point in ({X1: sympy.Rational(3, 7), X2: sympy.Rational(5, 9)}, {X1: sympy.Rational(13, 5), X2: sympy.Rational(11, 4)}):
        for x, y in pairs:
            vx = real_value(x, point)
            if vx is not None and differ(x, y, point):
                if parse(answer).has_decimal:
                    continue  # decimals are right to their figures, not exactly
                raise Unusable(f"{family}: not right at {point}")
    return Case(family, expected, answer, True, kind)


# --- wrong answers built to fool a sampler ---------------------------------------------------------


def abs_for_x1(rng):
    """|x1| in place of x1: agrees on the half-line x1 > 0."""
    e = odd_in_x1(rng)
    return _wrong("half-line: abs(x1) for x1", text(e), text(e.xreplace({X1: sympy.Abs(X1)})), {X1: -0.7, X2: 0.3})


def sqrt_square_for_x1(rng):
    """sqrt(x1^2) typed in place of x1."""
    e = odd_in_x1(rng)
    return _wrong(
        "half-line: sqrt(x1^2) for x1", text(e), text(e).replace("x1", "sqrt(x1^2)"), {X1: -0.7, X2: 0.3}
    )


def sign_dropped(rng):
    """sqrt(E^2) = |E| for E, or E·|x1|/x1: right where E > 0 or x1 > 0."""
    e = odd_in_x1(rng)
    if rng.random() < 0.5:
        return _wrong("half-line: sqrt(E^2) for E", text(e), f"sqrt(({text(e)})^2)", _negative_point(e))
    return _wrong("half-line: E*abs(x1)/x1", text(e), f"({text(e)})*abs(x1)/x1", {X1: -0.7, X2: 0.3})


def _negative_point(e):
    for x in (-0.7, -1.9, 0.6, 2.3, -5.1):
        for y in (0.3, -1.1, 2.6):
            point = {X1: sympy.Float(x), X2: sympy.Float(y)}
            value = real_value(e, point)
            if value is not None and value < -1e-6:
                return point
    raise Unusable("E is never negative")


def outside_a_box(rng):
    """Right inside a box, wrong outside: E + |x - c| + x - c is E for x ≤ c."""
    e = expression(rng)
    c = rng.choice([1.5, 2, 3, 5, 8, 12, 20, 25])
    var, other = rng.choice([("x1", X2), ("x2", X1)])
    symbol = X1 if var == "x1" else X2
    if rng.random() < 0.5:
        answer = f"{text(e)} + abs({var} - {c}) + {var} - {c}"
        witness = {symbol: c + 1.5, other: 0.4}
    else:
        answer = f"{text(e)} + abs({var} + {c}) - {var} - {c}"
        witness = {symbol: -c - 1.5, other: 0.4}
    if rng.random() < 0.3:  # hidden in a factor instead of a term
        answer = f"({text(e)})*(1 + ({answer[len(text(e)) + 3:]})^2)"
    return _wrong("outside a box", text(e), answer, witness)


def tail_box(rng):
    """A relative change where the expected value is tiny: E·(1 + box) with E = σ(kx1), e^(-x1²), ...
    differs from E by a large factor beyond the box, but by a tiny absolute amount."""
    k = rng.randint(1, 6)
    e = rng.choice([f"sigma({k}*x1)", f"exp(-{k}*x1^2)", f"1/(1 + x1^2)^{k}", f"exp({k}*x1)", f"sigma(-{k}*x1)"])
    c = rng.choice([2, 5, 12, 40, 150, 600])
    side = rng.choice([("x1 + {c}", "- x1 - {c}", -c - 2), ("x1 - {c}", "+ x1 - {c}", c + 2)])
    box = f"abs({side[0]}) {side[1]}".format(c=c)
    witness = {X1: sympy.Float(side[2]), X2: sympy.Float(0.5)}
    return _wrong("tail: E*(1 + box) where E is tiny", e, f"({e})*(1 + ({box})^2)", witness)


def negative_half_only(rng):
    """Differs only for negative x1: E + (x1 - |x1|)·k."""
    e = expression(rng)
    k = rng.choice(["1", "2", "sin(x2)^2 + 1", "1/1000"])
    return _wrong("half-line: E + k(x1 - abs(x1))", text(e), f"{text(e)} + ({k})*(x1 - abs(x1))", {X1: -1.3, X2: 0.4})


def tiny_exact(rng):
    """Off by an exact amount far below any float tolerance."""
    k = rng.randint(7, 40)
    choice = rng.randrange(7)
    if choice == 0:
        n = rng.randint(12, 40)
        return _wrong("tiny exact: N vs N+1", f"10^{n} + 1", f"10^{n}", {})
    if choice == 1:
        n = rng.randint(30, 60)
        return _wrong("tiny exact: 2^n vs 2^n + 1", f"2^{n}", str(2**n + rng.choice([1, -1])), {})
    if choice == 2:
        return _wrong("tiny exact: exp(-k) vs 0", f"exp(-{k})", "0", {})
    e = expression(rng)
    extra = [f"1/10^{k}", f"x1^2/10^{k}", f"sin(x1)/10^{k}", f"exp(-{k})"][choice - 3]
    return _wrong("tiny exact: E + tiny", text(e), f"{text(e)} + {extra}", {X1: 0.9, X2: -0.4})


def big_plus_small(rng):
    """A large term hides a small one: 10^6·x1 + sin(x1) for 10^6·x1."""
    n = rng.randint(4, 12)
    small = rng.choice(["sin(x1)", "1", "x2", "cos(x2)/7", "sigma(x1)"])
    return _wrong("tiny relative: 10^n x1 + small", f"10^{n}*x1", f"10^{n}*x1 + {small}", {X1: 0.9, X2: -0.4})


def taylor(rng):
    """A Taylor polynomial for a function: agrees near 0 to a few digits."""
    u = rng.choice([X1, X2 / 2, X1 * X2])
    pairs = [
        (sympy.sin(u), u - u**3 / 6 + u**5 / 120),
        (sympy.exp(u), 1 + u + u**2 / 2 + u**3 / 6 + u**4 / 24),
        (sigma(u), sympy.Rational(1, 2) + u / 4 - u**3 / 48),
        (sympy.tanh(u), u - u**3 / 3 + 2 * u**5 / 15),
        (sympy.log(1 + u**2), u**2 - u**4 / 2 + u**6 / 3),
    ]
    e, approx = rng.choice(pairs)
    g = expression(rng, 1)
    return _wrong("Taylor approximation", text(e + g), text(approx + g), {X1: 1.7, X2: 1.3})


def domain_half(rng):
    """Defined and right on a half-line or a quadrant only, where the expected answer is defined on both sides."""
    g = text(expression(rng, 1))
    options = [
        ("log(x1^2)", "2log(x1)", {X1: -1.5, X2: 0.3}),
        ("(x1^2)^(1/3)", "x1^(2/3)", {X1: -1.5, X2: 0.3}),
        ("log(x1*x2)", "log(x1) + log(x2)", {X1: -1.5, X2: -0.5}),
        ("sqrt(x1*x2)", "sqrt(x1)*sqrt(x2)", {X1: -1.5, X2: -0.5}),
        ("atan(x1)", "acos(1/sqrt(1 + x1^2))", {X1: -1.5, X2: 0.3}),
        ("x1/sqrt(1 + x1^2)", "sqrt(x1^2/(1 + x1^2))", {X1: -1.5, X2: 0.3}),
        ("log(1 + x1^2)", "2log(sqrt(1 + x1^2)) + 2log(x1) - log(x1^2)", {X1: -1.5, X2: 0.3}),
    ]
    e, a, witness = rng.choice(options)
    witness_ok = real_value(parse(a).value, witness) is None  # the answer is not even defined there
    case = Case("domain: right on a half-line only", f"{e} + {g}", f"{a} + {g}", False)
    if witness_ok:
        return case
    return _wrong(case.family, case.expected, case.answer, witness)


def nudged_coefficient(rng):
    """An integer coefficient changed by a small exact fraction."""
    e = expression(rng)
    k = rng.choice([1000, 10**6, 10**9])
    return _wrong("nudged coefficient", f"3*({text(e)})", f"(3 + 1/{k})*({text(e)})", {X1: 0.9, X2: -0.4})


# --- decimals ---------------------------------------------------------------------------------------

_CONSTANTS = [
    "pi", "e", "sqrt(2)", "sqrt(3)", "5cos(3.5)", "2sigma(1)(1 - sigma(1))", "log(7)", "exp(-3/2)",
    "sigma(1)", "tanh(1/2)", "atan(2)", "1/3", "2/7", "-5/9", "sin(1)", "100pi", "exp(5)", "1/(7pi)",
    "-3sqrt(5)", "sigma(2)(1 - sigma(2))", "cos(2)^2", "log(2)/1000",
]


def constant(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(_CONSTANTS)
    a, b, c = rng.randint(-9, 9) or 1, rng.randint(1, 5), rng.randint(2, 9)
    return rng.choice([f"{a}sin({b})", f"{a}exp(-{b})/{c}", f"{a}*sigma({b})/{c}", f"{a}/{c} + sqrt({b})"])


def rounded(value: sympy.Expr, figures: int, nudge: int = 0) -> str:
    """``value`` correctly rounded to ``figures`` significant figures, moved ``nudge`` units in the last place."""
    exact = Decimal(str(sympy.N(value, 50)))
    if exact == 0:
        return "0"
    place = exact.adjusted() - figures + 1
    unit = Decimal(1).scaleb(place)
    result = exact.quantize(unit, rounding=ROUND_HALF_EVEN) + nudge * unit
    return _plain(result)


def _plain(d: Decimal) -> str:
    """A decimal as typed: 0.000393 rather than 3.93E-4, and always with a point (a decimal)."""
    text_form = format(d, "f")
    return text_form if "." in text_form else text_form + "."


def two_figures(rng):
    """The value rounded to 1 or 2 significant figures (not exact)."""
    expected = constant(rng)
    value = parse(expected).value
    answer = rounded(value, rng.choice([1, 2]))
    if parse(answer).value == value:
        raise Unusable("exact")
    return _wrong("figures: only 1-2 significant figures", expected, answer, {})


def last_figure_off(rng):
    """Three to six figures, the last one off by 1 or 2."""
    expected = constant(rng)
    answer = rounded(parse(expected).value, rng.randint(3, 6), rng.choice([1, -1, 2, -2]))
    return _wrong("figures: last figure off", expected, answer, {})


def truncated(rng):
    """Truncated instead of rounded (wrong where rounding goes up)."""
    expected = constant(rng)
    value = parse(expected).value
    figures = rng.randint(3, 5)
    exact = Decimal(str(sympy.N(value, 50)))
    unit = Decimal(1).scaleb(exact.adjusted() - figures + 1)
    answer = _plain(exact.quantize(unit, rounding="ROUND_DOWN"))
    if answer == rounded(value, figures) or answer == _plain(exact):
        raise Unusable("truncation equals rounding here")
    return _wrong("figures: truncated, not rounded", expected, answer, {})


def decimal_coefficient(rng):
    """A coefficient like 1/3 typed as 0.33 (too few figures) or 0.334 (wrong last figure)."""
    q = rng.choice([3, 7, 9, 11, 13, 17])
    p = rng.randint(1, q - 1)
    if math.gcd(p, q) != 1:
        raise Unusable("not in lowest terms")
    g = text(expression(rng, 1))
    figures = rng.choice([1, 2, 3, 4])
    nudge = 0 if figures < 3 else rng.choice([1, -1])
    coefficient = rounded(sympy.Rational(p, q), figures, nudge)
    return _wrong(
        "figures: decimal coefficient", f"{p}*x1/{q} + {g}", f"{coefficient}*x1 + {g}", {X1: 2.9, X2: 0.4}
    )


def matrix_with_one_fooled_entry(rng):
    """A 2×2 matrix, three entries right, one fooled by another family."""
    inner = rng.choice([abs_for_x1, outside_a_box, tiny_exact, taylor, two_figures, last_figure_off])
    case = inner(rng)
    entries = [text(expression(rng, 1)) for _ in range(3)]
    k = rng.randrange(4)
    want = entries[:k] + [case.expected] + entries[k:]
    got = entries[:k] + [case.answer] + entries[k:]
    expected = f"[{want[0]}, {want[1]}; {want[2]}, {want[3]}]"
    answer = f"[{got[0]}, {got[1]}; {got[2]}, {got[3]}]"
    return Case("matrix: one fooled entry (" + case.family + ")", expected, answer, False, "matrix")


WRONG_FAMILIES = [
    abs_for_x1, sqrt_square_for_x1, sign_dropped, outside_a_box, tail_box, negative_half_only, tiny_exact,
    big_plus_small, taylor, domain_half, nudged_coefficient, two_figures, last_figure_off, truncated,
    decimal_coefficient, matrix_with_one_fooled_entry,
]


# --- right answers in unusual forms -------------------------------------------------------------------


def identity(rng):
    """A subexpression rewritten by an identity the learner might use."""
    u = expression(rng, 1)
    g = expression(rng, 1)
    pairs = [
        ("sin(2*({u}))", "2sin({u})cos({u})"),
        ("cos(2*({u}))", "1 - 2sin({u})^2"),
        ("cos(2*({u}))", "cos({u})^2 - sin({u})^2"),
        ("tanh({u})", "2sigma(2*({u})) - 1"),
        ("tanh({u})", "(exp(2*({u})) - 1)/(exp(2*({u})) + 1)"),
        ("sigma({u})*(1 - sigma({u}))", "exp(-({u}))/(1 + exp(-({u})))^2"),
        ("sigma(-({u}))", "1 - sigma({u})"),
        ("exp({u} + {g})", "exp({u})*exp({g})"),
        ("{g}", "({g})*(sin({u})^2 + cos({u})^2)"),
        ("{g}", "({g})*(cosh({u})^2 - sinh({u})^2)"),
        ("abs({u})", "sqrt(({u})^2)"),
        ("log(exp({u}))", "{u}"),
        ("(1 + ({u})^2)^2", "exp(2log(1 + ({u})^2))"),
        ("1 - tanh({u})^2", "1/cosh({u})^2"),
        ("atan({u})", "asin(({u})/sqrt(1 + ({u})^2))"),
    ]
    e, a = rng.choice(pairs)
    return _right("identity", e.format(u=text(u), g=text(g)), a.format(u=text(u), g=text(g)))


def algebra(rng):
    """The same polynomial or rational function, expanded, factored or put over one denominator."""
    p = sympy.expand(sum(rng.randint(-4, 4) * X1**i * X2**j for i in range(3) for j in range(3)))
    q = rng.choice([1, 1 + X1**2, (X1 + X2) ** 2 + 1])
    e = p / q
    forms = [sympy.factor(e), sympy.expand(e), sympy.together(e), sympy.apart(e, X2) if q != 1 else sympy.expand(e)]
    if e == 0:
        raise Unusable("zero")
    return _right("algebra", text(e), text(rng.choice(forms)))


def right_decimal(rng):
    """The value correctly rounded to 3-8 figures."""
    expected = constant(rng)
    return _right("decimal: correctly rounded", expected, rounded(parse(expected).value, rng.randint(3, 8)))


def exact_decimal(rng):
    """A fraction whose decimal expansion ends, typed as that decimal (any number of figures)."""
    q = rng.choice([2, 4, 5, 8, 10, 16, 20, 25, 40, 100])
    p = rng.randint(-99, 99) or 7
    value = sympy.Rational(p, q)
    answer = _plain(Decimal(p) / Decimal(q))
    if rng.random() < 0.3:
        answer = f"{Decimal(p) / Decimal(q):e}"
    return _right("decimal: exact", f"{p}/{q}", answer)


def decimal_coefficient_right(rng):
    """A coefficient like 1/3 typed to 3-6 correctly rounded figures."""
    q = rng.choice([3, 7, 9, 11, 13])
    p = rng.randint(1, q - 1)
    g = text(expression(rng, 1))
    coefficient = rounded(sympy.Rational(p, q), rng.randint(3, 6))
    return _right("decimal: coefficient", f"{p}*x1/{q} + {g}", f"{coefficient}*x1 + {g}")


def domain_compromise(rng):
    """The documented compromise: where the expected answer is defined only for positive values,
    an answer defined more widely is compared there."""
    g = text(expression(rng, 1))
    pairs = [
        ("2log(x1)", "log(x1^2)"),
        ("log(x1) + log(x2)", "log(x1*x2)"),
        ("x1^(3/2)", "x1*sqrt(x1)"),
        ("sqrt(x1)*sqrt(x2)", "sqrt(x1*x2)"),
        ("log(x1)", "log(abs(x1))"),
        ("x1^(2/3)", "(x1^2)^(1/3)"),
    ]
    e, a = rng.choice(pairs)
    return Case("domain: compromise", f"{e} + {g}", f"{a} + {g}", True)


def syntax(rng):
    """Matrix syntaxes, transposes, Unicode and implicit multiplication."""
    a, b, c, d = (rng.randint(-9, 9) for _ in range(4))
    options = [
        (f"[{a}, {b}; {c}, {d}]", f"[[{a}, {b}], [{c}, {d}]]", "matrix"),
        (f"[{a}, {b}; {c}, {d}]", f"[{a}, {c}; {b}, {d}]^T", "matrix"),
        (f"[{a}, {b}; {c}, {d}]", f"[[{a}, {c}], [{b}, {d}]]ᵀ", "matrix"),
        (f"[{a}; {b}]", f"({a}, {b})", "matrix"),
        (f"[{a}; {b}]", f"[{a}, {b}]^T", "matrix"),
        (f"[{a}; {b}]", f"[{a}, {b}]", "vector"),
        ("2*x1*x2^2 - 3*x1", "2x₁x₂² − 3x₁", "scalar"),
        ("x1*sqrt(x2)", "x1 √x2", "scalar"),
        ("sigma(x1)*(1 - sigma(x1))", "σ(x₁)(1 − σ(x₁))", "scalar"),
        ("pi*x1^2", "π·x1²", "scalar"),
        ("2*x1*(1 + x2^2)", "2x1(1 + x2^2)", "scalar"),
    ]
    e, a_text, kind = rng.choice(options)
    return _right("syntax", e, a_text, kind)


RIGHT_FAMILIES = [
    identity, algebra, right_decimal, exact_decimal, decimal_coefficient_right, domain_compromise, syntax,
]


def draw(families, rng: random.Random) -> Case:
    """One valid case from a random family (draws again when a draw is unusable)."""
    for _ in range(100):
        family = rng.choice(families)
        try:
            return family(rng)
        except Unusable:
            continue
    raise RuntimeError("no usable case in 100 draws")


__all__ = ["Case", "RIGHT_FAMILIES", "WRONG_FAMILIES", "differ", "draw", "expression", "real_value", "rounded"]
