"""Grading: is a typed answer equal to the expected one, and if not, what went wrong?

Each entry is compared by :mod:`tui_tutor.engine.equivalence`: exactly when no decimal was typed
(10^20 + 1 is not 10^20), to the answer's own significant figures when one was (3.14 is π, 3.15
is not), and only where both sides are real, at points of both signs and many scales, so an
answer that agrees on a half-line or inside a box is wrong. A decimal with fewer than three
significant figures that is right as far as it goes (-4.7 for 5cos(3.5) = -4.682...) is not judged:
the verdict asks for more figures and is not counted as an attempt (``Verdict.counted``).

A wrong answer gets a diagnosis when its form is recognised: ``shape_mismatch``, ``transposed``,
``sign``, ``rounding`` and — when the problem is known — the chain-rule mistakes from
:mod:`tui_tutor.engine.problems`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import ImmutableMatrix

from tui_tutor.engine.equivalence import Typed, equivalent, match
from tui_tutor.engine.figures import MIN_FIGURES, DecimalLiteral, figures_text
from tui_tutor.engine.parse import Parsed, parse
from tui_tutor.engine.problems import MESSAGES, Problem, expected_answer, mistakes
from tui_tutor.engine.render import shape_text
from tui_tutor.engine.results import Verdict
from tui_tutor.engine.shapes import parse_shape

KINDS = ("scalar", "vector", "matrix")
TOO_FEW_FIGURES = "too_few_figures"  # the diagnosis of an answer that is not judged


@dataclass(frozen=True)
class _Value:
    """An answer as the grader sees it: always a matrix (scalars are 1×1), and the decimals typed
    in it with the same matrix written with a placeholder for each decimal (see Typed)."""

    matrix: ImmutableMatrix
    scalar: bool
    parametric: ImmutableMatrix | None = None
    literals: tuple[DecimalLiteral, ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.matrix.shape)

    def entry(self, i: int, j: int) -> Typed:
        """Entry (i, j), 0-based."""
        parametric = None if self.parametric is None else self.parametric[i, j]
        return Typed(self.matrix[i, j], self.literals, parametric)

    def reshaped(self, rows: int, cols: int) -> _Value:
        parametric = None if self.parametric is None else self.parametric.reshape(rows, cols)
        return _Value(self.matrix.reshape(rows, cols), self.scalar, parametric, self.literals)


def _value(item: str | Parsed | sympy.Basic) -> _Value:
    parametric, literals = None, ()
    if isinstance(item, str):
        item = parse(item)
    if isinstance(item, Parsed):
        parametric, literals = item.parametric(), item.decimals
        item = item.value
    scalar = not isinstance(item, sympy.MatrixBase)
    return _Value(_as_matrix(item), scalar, None if parametric is None else _as_matrix(parametric), literals)


def default_kind(expected: str | Parsed | sympy.Basic, problem: Problem | None = None) -> str:
    """The kind to grade with when none is given: the problem's, else the expected answer's shape
    (a single value is a scalar; anything else is a matrix, its shape strict)."""
    if problem is not None:
        return problem.kind()
    return "scalar" if _value(expected).shape == (1, 1) else "matrix"


def grade(
    expected: str | Parsed | sympy.Basic,
    answer: str | Parsed | sympy.Basic,
    kind: str = "scalar",
    problem: Problem | None = None,
) -> Verdict:
    """Grade ``answer`` against ``expected``. Raises ParseError when either cannot be read, and
    ValueError when ``kind`` does not fit the expected answer (a scalar kind for a vector).

    ``kind`` is "scalar", "vector" (orientation-free: a row or a column of the right length) or
    "matrix" (shape strict). With ``problem``, chain-rule mistakes are recognised.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    want = _value(expected)
    got = _value(answer)
    if kind == "scalar" and want.shape != (1, 1):
        raise ValueError(
            f"the expected answer is {_shape_name(want)}, not a single value: grade it as a vector or matrix"
        )
    shaped = _reshape_for_kind(want, got, kind)
    if shaped is None:
        return _shape_verdict(want, got, problem, _applicable(problem))
    want_m, got = shaped

    compared = _compare(want_m, got)
    total = want_m.rows * want_m.cols
    if not compared.wrong and not compared.short:
        return Verdict(True, "Correct" + compared.note + ".", None, 1.0, (), compared.method)
    if not compared.wrong:
        return _too_few_figures(compared)

    wrong = compared.wrong
    score = (total - len(wrong) - len(compared.short)) / total if total > 1 else 0.0
    diagnosis, message = _diagnose(want_m, got, compared, kind, problem, _applicable(problem))
    where = ""
    if total > 1 and len(wrong) < total:
        where = f" {_entries_text(wrong)} {'is' if len(wrong) == 1 else 'are'} wrong."
    if compared.short:
        where += f" Give {_entries_text(compared.short).lower()} at least {MIN_FIGURES} significant figures."
    text = "Incorrect" + (f": {message}." if message else ".") + where
    return Verdict(False, text, diagnosis, score, tuple(wrong), compared.method)


def _too_few_figures(compared: _Compared) -> Verdict:
    """Right as far as its figures go, but too few of them: say so, and do not count it."""
    literals = {lit.text: lit for lit in compared.short_literals}.values()
    message = (
        f"Give at least {MIN_FIGURES} significant figures: {figures_text(literals)}. "
        "This try was not counted."
    )
    return Verdict(False, message, TOO_FEW_FIGURES, 0.0, tuple(compared.short), "tolerance", counted=False)


# --- comparing entry by entry ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Compared:
    wrong: list[tuple[int, int]]  # 1-based positions of wrong entries
    short: list[tuple[int, int]]  # entries right to their figures, but too few of them
    short_literals: list[DecimalLiteral]
    near: bool  # every wrong entry is a number with a rounding slip in its last figure
    method: str
    note: str  # for "Correct": how it was checked

    @property
    def matches(self) -> bool:
        """Equal, allowing for decimals with too few figures (for recognising a mistake's form)."""
        return not self.wrong


def _compare(want: ImmutableMatrix, got: _Value) -> _Compared:
    wrong, short, short_literals, results = [], [], [], []
    for i in range(want.rows):
        for j in range(want.cols):
            result = match(want[i, j], got.entry(i, j))
            results.append(result)
            if result.short:
                short.append((i + 1, j + 1))
                short_literals.extend(result.short)
            elif not result.equal:
                wrong.append((i + 1, j + 1))
    methods = {r.method for r in results}
    method = "numeric" if "numeric" in methods else "tolerance" if "tolerance" in methods else "symbolic"
    note = ""
    if "tolerance" in methods:
        note = " (right to the figures given)"
    elif any(r.points for r in results):
        note = " (checked at several points)"
    near = bool(wrong) and all(results[(i - 1) * want.cols + j - 1].near for i, j in wrong)
    return _Compared(wrong, short, short_literals, near, method, note)


def _matches(want, got: _Value) -> bool:
    want = _as_matrix(want)
    return want.shape == got.shape and _compare(want, got).matches


# --- shapes ---------------------------------------------------------------------------------------


def _reshape_for_kind(want: _Value, got: _Value, kind: str) -> tuple[ImmutableMatrix, _Value] | None:
    """Both of one shape (the expected matrix, the answer), or None when they cannot be compared."""
    w, g = want.matrix, got.matrix
    if kind == "scalar":
        return (w, got) if w.shape == (1, 1) and g.shape == (1, 1) else None
    if kind == "vector":
        if w.shape == g.shape:
            return w, got
        if len(w) == len(g) and 1 in w.shape and 1 in g.shape:
            return w, got.reshaped(*w.shape)
        return None
    return (w, got) if w.shape == g.shape else None


def _shape_verdict(want: _Value, got: _Value, problem: Problem | None, known) -> Verdict:
    w = want.matrix
    flipped = got.shape == w.T.shape and _matches(w.T, got)
    if flipped and w.cols == 1 and problem is not None and problem.ask in ("gradient", "pullback"):
        return Verdict(False, f"Incorrect: {MESSAGES['gradient_as_row']}.", "gradient_as_row", 0.0)
    if flipped:
        jacobian = problem.ask in ("jacobian", "layer_jacobian") if problem is not None else 1 not in want.shape
        if jacobian:
            message = MESSAGES["transposed"]
        else:  # a vector written the other way round: no talk of a Jacobian's rows and columns
            message = f"the entries are right but written as {_shape_name(got)}; the answer is {_shape_name(want)}"
        return Verdict(False, f"Incorrect: {message}.", "transposed", 0.0)
    for mistake in known:
        candidate = _as_matrix(mistake.value)
        if candidate.shape == got.shape and _matches(candidate, got):
            return Verdict(False, f"Incorrect: {mistake.message}.", mistake.code, 0.0)
    message = f"expected {_shape_name(want)}, but the answer is {_shape_name(got)}"
    return Verdict(False, f"Incorrect: {message}.", "shape_mismatch", 0.0)


def _shape_name(value: _Value) -> str:
    rows, cols = value.shape
    if value.scalar:
        return "a single value"
    kind = "column vector" if cols == 1 and rows > 1 else "row vector" if rows == 1 and cols > 1 else "matrix"
    return f"a {shape_text(rows, cols)} {kind}"


def _entries_text(wrong: list[tuple[int, int]]) -> str:
    shown = [f"({i}, {j})" for i, j in wrong[:4]]
    more = f" and {len(wrong) - 4} more" if len(wrong) > 4 else ""
    label = "Entry" if len(wrong) == 1 else "Entries"
    if len(shown) > 1 and not more:
        return f"{label} {', '.join(shown[:-1])} and {shown[-1]}"
    return f"{label} {', '.join(shown)}{more}"


# --- diagnosis ------------------------------------------------------------------------------------


def _diagnose(want, got: _Value, compared: _Compared, kind, problem, known) -> tuple[str | None, str]:
    wrong = compared.wrong
    if _matches(-want, got):
        return "sign", MESSAGES["sign"]
    for mistake in known:
        candidate = _as_matrix(mistake.value)
        if kind == "vector" and len(candidate) == len(got.matrix):
            candidate = candidate.reshape(*got.shape)
        if candidate.shape == got.shape and _matches(candidate, got):
            return mistake.code, mistake.message
    if problem is not None and want.rows * want.cols > 1 and _missing_paths_explain(got, wrong, problem, known):
        return "missing_term", MESSAGES["missing_term"]
    if want.shape[0] == want.shape[1] and want.rows > 1 and _matches(want.T, got):
        return "transposed", MESSAGES["transposed"]
    # Some entries right and every wrong one only off by its sign: a dropped minus somewhere.
    if len(wrong) < want.rows * want.cols and all(
        match(-want[i - 1, j - 1], got.entry(i - 1, j - 1)).equal for i, j in wrong
    ):
        return "sign", "the wrong entries differ from the right ones only in sign; check the minus signs there"
    if compared.near:
        return "rounding", MESSAGES["rounding"]
    return None, ""


def _missing_paths_explain(got: _Value, wrong, problem, known) -> bool:
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
        any(match(value, got.entry(i - 1, j - 1)).equal for value in alternatives.get((i, j), []))
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


__all__ = [
    "KINDS", "TOO_FEW_FIGURES", "default_kind", "equivalent", "expected_answer", "grade", "grade_choice",
    "grade_shape", "parse_shape",
]
