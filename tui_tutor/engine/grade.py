"""Grading: is a typed answer equal to the expected one, and if not, what went wrong?

Equality is decided the way a careful teacher would: exactly when that is cheap and certain
(polynomials expand; numbers compare), otherwise by evaluating both sides at several random points
(so σ(a)(1 − σ(a)) equals e^(−a)/(1 + e^(−a))², and tanh x equals (e^(2x) − 1)/(e^(2x) + 1)).
A typed decimal is accepted within a relative tolerance (three significant figures), so −0.09
equals −9/100 and 0.333 equals 1/3.

A wrong answer gets a diagnosis when its form is recognised: ``shape_mismatch``, ``transposed``,
``sign``, and — when the problem is known — the chain-rule mistakes from
:mod:`tui_tutor.engine.problems`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import sympy
from sympy import ImmutableMatrix

from tui_tutor.engine.functions import elementary
from tui_tutor.engine.parse import Parsed, parse
from tui_tutor.engine.problems import MESSAGES, Problem, expected_answer, mistakes
from tui_tutor.engine.render import shape_text
from tui_tutor.engine.results import Verdict
from tui_tutor.engine.shapes import parse_shape

KINDS = ("scalar", "vector", "matrix")

DECIMAL_RTOL = 5e-3  # a typed decimal right to three significant figures is right
EXACT_RTOL = 1e-9  # numeric evaluation noise only
SAMPLE_POINTS = 6
MIN_VALID_POINTS = 3


@dataclass(frozen=True)
class _Value:
    """An answer as the grader sees it: always a matrix (scalars are 1×1), plus how it was typed."""

    matrix: ImmutableMatrix
    decimal: bool
    scalar: bool

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.matrix.shape)


def _value(item: str | Parsed | sympy.Basic, decimal: bool = False) -> _Value:
    if isinstance(item, str):
        item = parse(item)
    if isinstance(item, Parsed):
        decimal, item = item.has_decimal, item.value
    if isinstance(item, sympy.MatrixBase):
        return _Value(ImmutableMatrix(item), decimal, False)
    return _Value(ImmutableMatrix([[item]]), decimal, True)


def grade(
    expected: str | Parsed | sympy.Basic,
    answer: str | Parsed | sympy.Basic,
    kind: str = "scalar",
    problem: Problem | None = None,
) -> Verdict:
    """Grade ``answer`` against ``expected``. Raises ParseError when either cannot be read.

    ``kind`` is "scalar", "vector" (orientation-free: a row or a column of the right length) or
    "matrix" (shape strict). With ``problem``, chain-rule mistakes are recognised.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    want = _value(expected)
    got = _value(answer)
    tol = DECIMAL_RTOL if got.decimal else EXACT_RTOL

    shaped = _reshape_for_kind(want, got, kind)
    if shaped is None:
        return _shape_verdict(want, got, problem, _applicable(problem), tol)
    want_m, got_m = shaped

    wrong, method = _compare(want_m, got_m, tol)
    total = want_m.rows * want_m.cols
    if not wrong:
        note = "" if method == "symbolic" else {
            "numeric": " (checked at several random points)",
            "tolerance": " (within rounding)",
        }[method]
        return Verdict(True, "Correct" + note + ".", None, 1.0, (), method)

    score = (total - len(wrong)) / total if total > 1 else 0.0
    diagnosis, message = _diagnose(want_m, got_m, wrong, kind, problem, _applicable(problem), tol)
    where = ""
    if total > 1 and len(wrong) < total:
        where = f" {_entries_text(wrong)} {'is' if len(wrong) == 1 else 'are'} wrong."
    text = "Incorrect" + (f": {message}." if message else ".") + where
    return Verdict(False, text, diagnosis, score, tuple(wrong), method)


# --- shapes ---------------------------------------------------------------------------------------


def _reshape_for_kind(want: _Value, got: _Value, kind: str):
    """Both as matrices of one shape, or None when the shapes cannot be compared."""
    w, g = want.matrix, got.matrix
    if kind == "scalar":
        return (w, g) if w.shape == (1, 1) and g.shape == (1, 1) else None
    if kind == "vector":
        if w.shape == g.shape:
            return w, g
        if len(w) == len(g) and 1 in w.shape and 1 in g.shape:
            return w, g.reshape(*w.shape)
        return None
    return (w, g) if w.shape == g.shape else None


def _shape_verdict(want: _Value, got: _Value, problem: Problem | None, known, tol: float) -> Verdict:
    w, g = want.matrix, got.matrix
    if problem is not None and problem.ask == "gradient" and g.shape == w.T.shape:
        if not _compare(w.T, g, tol)[0]:
            return Verdict(False, f"Incorrect: {MESSAGES['gradient_as_row']}.", "gradient_as_row", 0.0)
    if g.shape == w.T.shape and not _compare(w.T, g, tol)[0]:
        return Verdict(False, f"Incorrect: {MESSAGES['transposed']}.", "transposed", 0.0)
    for mistake in known:
        candidate = _as_matrix(mistake.value)
        if candidate.shape == g.shape and not _compare(candidate, g, tol)[0]:
            return Verdict(False, f"Incorrect: {mistake.message}.", mistake.code, 0.0)
    message = f"expected {_shape_name(want)}, but the answer is {_shape_name(got)}"
    return Verdict(False, f"Incorrect: {message}.", "shape_mismatch", 0.0)


def _shape_name(value: _Value) -> str:
    rows, cols = value.shape
    if value.scalar:
        return "a single value"
    kind = "column vector" if cols == 1 else "row vector" if rows == 1 else "matrix"
    return f"a {shape_text(rows, cols)} {kind}"


def _entries_text(wrong: list[tuple[int, int]]) -> str:
    shown = [f"({i}, {j})" for i, j in wrong[:4]]
    more = f" and {len(wrong) - 4} more" if len(wrong) > 4 else ""
    label = "Entry" if len(wrong) == 1 else "Entries"
    if len(shown) > 1 and not more:
        return f"{label} {', '.join(shown[:-1])} and {shown[-1]}"
    return f"{label} {', '.join(shown)}{more}"


# --- diagnosis ------------------------------------------------------------------------------------


def _diagnose(want, got, wrong, kind, problem, known, tol) -> tuple[str | None, str]:
    if not _compare(-want, got, tol)[0]:
        return "sign", MESSAGES["sign"]
    for mistake in known:
        candidate = _as_matrix(mistake.value)
        if kind == "vector" and len(candidate) == len(got):
            candidate = candidate.reshape(*got.shape)
        if candidate.shape == got.shape and not _compare(candidate, got, tol)[0]:
            return mistake.code, mistake.message
    if problem is not None and want.rows * want.cols > 1 and _missing_paths_explain(got, wrong, problem, known, tol):
        return "missing_term", MESSAGES["missing_term"]
    if want.shape[0] == want.shape[1] and want.rows > 1 and not _compare(want.T, got, tol)[0]:
        return "transposed", MESSAGES["transposed"]
    # Some entries right and every wrong one only off by its sign: a dropped minus somewhere.
    if len(wrong) < want.rows * want.cols and all(
        equivalent(-want[i - 1, j - 1], got[i - 1, j - 1], tol)[0] for i, j in wrong
    ):
        return "sign", "the wrong entries differ from the right ones only in sign; check the minus signs there"
    return None, ""


def _missing_paths_explain(got, wrong, problem, known, tol) -> bool:
    """True when every wrong entry equals that entry with one path left out of its sum."""
    alternatives: dict[tuple[int, int], list] = {}
    for mistake in known:
        if mistake.code != "missing_term" or mistake.entry is None:
            continue
        candidate = _as_matrix(mistake.value)
        if candidate.shape != got.shape:
            continue
        i, j = mistake.entry if problem.ask != "gradient" else mistake.entry[::-1]
        alternatives.setdefault((i, j), []).append(candidate[i - 1, j - 1])
    return all(
        any(equivalent(value, got[i - 1, j - 1], tol)[0] for value in alternatives.get((i, j), []))
        for i, j in wrong
    )


def _applicable(problem: Problem | None) -> list:
    """The problem's likely mistakes; none when there is no problem or it cannot be worked."""
    if problem is None:
        return []
    try:
        return mistakes(problem)
    except (ValueError, TypeError):
        return []


def _as_matrix(value) -> ImmutableMatrix:
    return ImmutableMatrix(value) if isinstance(value, sympy.MatrixBase) else ImmutableMatrix([[value]])


# --- equality -------------------------------------------------------------------------------------


def _compare(want, got, tol: float) -> tuple[list[tuple[int, int]], str]:
    """1-based positions of unequal entries, and the strongest method used to decide."""
    if not isinstance(want, sympy.MatrixBase):
        want, got = ImmutableMatrix([[want]]), ImmutableMatrix([[got]])
    wrong = []
    methods = set()
    for i in range(want.rows):
        for j in range(want.cols):
            equal, method = equivalent(want[i, j], got[i, j], tol)
            methods.add(method)
            if not equal:
                wrong.append((i + 1, j + 1))
    method = "numeric" if "numeric" in methods else "tolerance" if "tolerance" in methods else "symbolic"
    return wrong, method


def equivalent(a: sympy.Expr, b: sympy.Expr, rtol: float = EXACT_RTOL) -> tuple[bool, str]:
    """Whether two scalar expressions are equal, and how that was decided."""
    diff = a - b
    if diff == 0:
        return True, "symbolic"
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    if not symbols:
        return _constants_close(a, b, rtol), ("tolerance" if rtol > EXACT_RTOL else "symbolic")
    if diff.is_polynomial(*symbols) and rtol == EXACT_RTOL:
        return sympy.expand(diff) == 0, "symbolic"
    verdict = _numeric_equal(a, b, symbols, rtol)
    if verdict is not None:
        return verdict, "numeric"
    return sympy.simplify(elementary(diff)) == 0, "symbolic"


def _numeric_equal(a, b, symbols, rtol) -> bool | None:
    rng = random.Random(20260101)  # fixed: the same answer always gets the same verdict
    positive_only = any(
        isinstance(node, (sympy.log, sympy.asin, sympy.acos)) or (node.is_Pow and not node.exp.is_Integer)
        for expr in (a, b)
        for node in sympy.preorder_traversal(expr)
    )
    valid = 0
    for _ in range(SAMPLE_POINTS * 2):
        point = {}
        for s in symbols:
            magnitude = rng.uniform(0.25, 1.75)
            point[s] = magnitude if positive_only or rng.random() < 0.5 else -magnitude
        try:
            va, vb = _complex(a, point), _complex(b, point)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            continue
        if not (_finite(va) and _finite(vb)):
            continue
        if not _close(va, vb, rtol):
            return False
        valid += 1
        if valid >= SAMPLE_POINTS:
            break
    return True if valid >= MIN_VALID_POINTS else None


def _constants_close(a: sympy.Expr, b: sympy.Expr, rtol: float) -> bool:
    """Two closed-form numbers compared in sympy's floats, which do not overflow as Python's do.

    (In Python floats exp(1000) is inf, and inf is "close" to every other number.)
    """
    va, vb = sympy.N(elementary(a), 20), sympy.N(elementary(b), 20)
    if not (va.is_number and vb.is_number) or va.has(*_UNDEFINED) or vb.has(*_UNDEFINED):
        return False
    scale = max(sympy.Abs(va), sympy.Abs(vb))
    return bool(sympy.Abs(va - vb) <= rtol * scale + 1e-12)


_UNDEFINED = (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)


def _complex(expr: sympy.Expr, point: dict | None = None) -> complex:
    value = elementary(expr).evalf(20, subs=point) if point else sympy.N(elementary(expr), 20)
    return complex(value)


def _finite(z: complex) -> bool:
    return z == z and abs(z) != float("inf")


def _close(x: complex, y: complex, rtol: float) -> bool:
    scale = max(abs(x), abs(y))
    return abs(x - y) <= rtol * scale + 1e-12


# --- answers that are not expressions -------------------------------------------------------------


def grade_shape(expected: str, answer: str) -> Verdict:
    """A shape such as ``2×3``, ``2x3`` or ``2 by 3``; a transposed shape is diagnosed."""
    want, got = parse_shape(expected), parse_shape(answer)
    if want == got:
        return Verdict(True, "Correct.", None, 1.0)
    if got == (want[1], want[0]):
        return Verdict(False, "Incorrect: rows and columns are swapped; rows count outputs.", "transposed", 0.0)
    # Do not give the shape away: say how to count it.
    return Verdict(
        False,
        "Incorrect: count the rows (one per output) and the columns (one per input) again.",
        "shape_mismatch",
        0.0,
    )


def grade_choice(expected: str, answer: str, choices: list[str] | None = None) -> Verdict:
    """A multiple-choice answer: a letter (a, b, ...) or the choice's text."""
    key = answer.strip().lower().rstrip(").")
    want = expected.strip().lower()
    if choices and len(key) == 1 and key.isalpha():
        index = ord(key) - ord("a")
        if 0 <= index < len(choices):
            key = choices[index].strip().lower()
    if choices and len(want) == 1 and want.isalpha():
        want = choices[ord(want) - ord("a")].strip().lower()
    if key == want:
        return Verdict(True, "Correct.", None, 1.0)
    return Verdict(False, "Incorrect.", None, 0.0)


__all__ = ["KINDS", "equivalent", "expected_answer", "grade", "grade_choice", "grade_shape", "parse_shape"]
