"""The engine's side of course content: verify an authored answer, compute a variant's answer.

Plain data in and out (strings, dicts, tuples), so these run in the bounded worker process
(``shared_worker().call("answers.verify_answer", ...)``) for ``tui-tutor check`` and for quiz
templates. A problem is returned as ``(field, message)`` pairs, where ``field`` is a dotted path
inside the item (``answer``, ``kind``, ``problem.maps.1``) that the caller turns into a file line.
"""

from __future__ import annotations

from typing import Sequence

import sympy

from tui_tutor import mathtext
from tui_tutor.engine import blocks
from tui_tutor.engine.chain import ChainError
from tui_tutor.engine.grade import grade, parse_shape
from tui_tutor.engine.layers import SPACE_LETTERS, OUTPUT_LETTER, input_letter, variable_names
from tui_tutor.engine.parse import MAX_MATRIX_DIM, ParseError, parse, parse_components, parse_point
from tui_tutor.engine.linetext import line_text
from tui_tutor.engine.problems import MESSAGES, expected_answer, mistakes, problem_from_dict
from tui_tutor.engine.texprint import tex

MAX_ANSWER_TEXT = 400  # characters: a variant's answer must be something a learner can type
Finding = tuple[str, str]  # (field, message)


def diagnosis_codes() -> list[str]:
    """The grader's diagnosis codes, which ``mistakes[].diagnosis`` in a lesson may name."""
    return sorted(MESSAGES)


def likely_mistakes(problem: dict, kind: str) -> list[str]:
    """The diagnosis codes an answer to ``problem`` (asked as ``kind``) can earn, sorted.

    The chain-rule mistakes the problem invites (:func:`problems.mistakes`: wrong order, outer at x,
    a missing path, the gradient as a row, a missing or extra transpose) and the forms the grader
    recognises in any answer of its shape: a square matrix or a shape can be transposed, and a
    shape miscounted. "My mistakes" uses this to choose questions aimed at a learner's mistakes.
    """
    parsed = problem_from_dict(problem)
    codes = {m.code for m in mistakes(parsed)}
    value = expected_answer(parsed)
    rows, cols = value.shape if isinstance(value, sympy.MatrixBase) else (1, 1)
    if kind == "shape":
        codes.add("shape_mismatch")
        if rows != cols:
            codes.add("transposed")
    elif kind == "matrix" and rows == cols > 1:
        codes.add("transposed")
    return sorted(codes)


def likely_mistakes_by_id(entries: Sequence[tuple[str, dict, str]]) -> dict[str, list[str]]:
    """:func:`likely_mistakes` for many (id, problem, kind) at once; an entry that cannot be worked
    gets no codes rather than failing the rest."""
    found: dict[str, list[str]] = {}
    for entry_id, problem, kind in entries:
        try:
            found[entry_id] = likely_mistakes(problem, kind)
        except (ValueError, TypeError, ParseError):
            found[entry_id] = []
    return found


def answer_names(variables: Sequence[str] = ()) -> list[str]:
    """Names an authored answer may use: every layer's variables (x1.., u1.., y1..) and ``variables``."""
    names = [*variables]
    for letter in (*SPACE_LETTERS, OUTPUT_LETTER):
        names.append(letter)
        names.extend(variable_names(letter, MAX_MATRIX_DIM))
    return names


def verify_answer(
    answer: str, kind: str, problem: dict | None = None, variables: Sequence[str] = ()
) -> list[Finding]:
    """Whether an authored answer reads, fits its kind, and (with a problem) is what the engine computes."""
    if kind == "choice":
        return []  # a letter; the loader has checked it against the choices
    if kind == "shape":
        return _verify_shape(answer, problem)
    try:
        parsed = parse(answer, allowed=answer_names(variables))
    except ParseError as err:
        return [("answer", parse_message(err))]
    misfit = kind_misfit(parsed.value, kind)
    if misfit:
        return [("kind", misfit)]
    if problem is None:
        return []
    expected, findings = _expected(problem)
    if findings:
        return findings
    misfit = kind_misfit(expected, kind)  # the grader refuses a kind that does not fit the expected answer
    if misfit:
        return [("kind", misfit.replace("the answer", "the problem's answer"))]
    verdict = grade(expected, parsed, kind, problem_from_dict(problem))
    if verdict.correct:
        return []
    shown = expected[0, 0] if isinstance(expected, sympy.MatrixBase) and expected.shape == (1, 1) else expected
    return [("answer", f"disagrees with the problem: the engine computes {line_text(shown)}; {verdict.message}")]


def variant_answer(problem: dict, kind: str) -> tuple[str, str, str]:
    """A template variant's answer: (text in answer syntax, kind, LaTeX for the solution).

    Raises ChainError (a ValueError) with a readable message when the variant is unusable: its
    maps do not read, the answer is not a finite real number, it is too long to type, or it does
    not read back as the same value.
    """
    answer, findings = check_variant(problem, kind)
    if findings:
        raise ChainError(findings[0][1])
    return answer


def check_variant(problem: dict, kind: str) -> tuple[tuple[str, str, str] | None, list[Finding]]:
    """:func:`variant_answer` for ``tui-tutor check``: the answer, or the fields that are wrong."""
    expected, findings = _expected(problem)
    if findings:
        return None, findings
    if kind == "shape":  # "what shape is ...?": the engine knows the shape of what it computed
        rows, cols = expected.shape if isinstance(expected, sympy.MatrixBase) else (1, 1)
        return (f"{rows}x{cols}", kind, f"{rows} \\times {cols}"), []
    misfit = kind_misfit(expected, kind)
    if misfit:
        return None, [("kind", misfit)]
    if kind == "scalar" and isinstance(expected, sympy.MatrixBase):
        expected = expected[0, 0]  # a 1×1 Jacobian is answered as a number
    for entry in list(expected) if isinstance(expected, sympy.MatrixBase) else [expected]:
        if entry.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            return None, [("problem", "the answer is undefined for this variant (a division by zero?)")]
        if not entry.free_symbols and entry.is_real is not True:
            return None, [("problem", f"the answer {line_text(entry)} is not a real number (outside the domain?)")]
    text = line_text(expected)
    if len(text) > MAX_ANSWER_TEXT:
        return None, [("problem", f"the answer is too long to type ({len(text)} characters; the limit is {MAX_ANSWER_TEXT})")]
    if not grade(expected, parse(text), kind).correct:  # what a learner types must grade as right
        return None, [("problem", f"the answer {text} does not read back as the same value")]
    return (text, kind, tex(expected)), []


def kind_misfit(value: sympy.Basic, kind: str) -> str:
    """Why a value does not fit an answer kind ('' when it does)."""
    if not isinstance(value, sympy.MatrixBase):
        return "" if kind in ("scalar", "vector") else f"kind is {kind} but the answer is a single value"
    rows, cols = value.shape
    if kind == "scalar" and (rows, cols) != (1, 1):
        return f"kind is scalar but the answer is a {rows}×{cols} matrix"
    if kind == "vector" and 1 not in (rows, cols):
        return f"kind is vector but the answer is a {rows}×{cols} matrix"
    return ""


def parse_message(err: ParseError) -> str:
    """A parse error as one line; the parser's list of every allowed name is too long to repeat."""
    text = err.reason
    if err.column and err.column > 1:
        text += f" at column {err.column}"
    if err.reason.startswith("unknown name") and "this uses" in err.hint:
        return text + "; answers use x1, x2, ... (u1.., v1.., y1..); declare other names under variables:"
    return f"{text}; {err.hint}" if err.hint else text


def _verify_shape(answer: str, problem: dict | None) -> list[Finding]:
    try:
        shape = parse_shape(answer)
    except ParseError as err:
        return [("answer", err.reason)]
    if problem is None:
        return []
    expected, findings = _expected(problem)
    if findings:
        return findings
    want = tuple(expected.shape) if isinstance(expected, sympy.MatrixBase) else (1, 1)
    if shape != want:
        return [("answer", f"disagrees with the problem: the engine's answer is {want[0]}×{want[1]}, not {answer}")]
    return []


def _expected(problem: dict) -> tuple[sympy.Basic | None, list[Finding]]:
    """The problem's answer, or the fields that stop the engine from computing it."""
    try:
        return expected_answer(problem_from_dict(problem)), []
    except ParseError as err:
        return None, locate(problem, "problem") or [("problem", parse_message(err))]
    except (ChainError, TypeError) as err:
        return None, [("problem", str(err))]


def locate(data: dict, prefix: str) -> list[Finding]:
    """Which map or point of a problem or block does not read (``problem.maps.1: ...``)."""
    for k, text in enumerate(data.get("maps") or []):
        letter = input_letter(k) if k < len(SPACE_LETTERS) else "x"
        try:
            parse_components(str(text), allowed=variable_names(letter, MAX_MATRIX_DIM))
        except ParseError as err:
            return [(f"{prefix}.maps.{k}", f"map {k + 1}: {parse_message(err)}")]
    for key in ("at", "dx", "seed"):
        if data.get(key) is not None:
            try:
                parse_point(",".join(str(v) for v in data[key]))
            except ParseError as err:
                return [(f"{prefix}.{key}", f"{key}: {parse_message(err)}")]
    return []


def verify_block(kind: str, data) -> list[Finding]:
    """Whether an engine-computed lesson block (expr, jacobian, shape_table) computes, exactly as
    the lesson screen will ask for it, into maths text the lesson's renderer reads."""
    written: list[str] = []
    try:
        if kind == "expr":
            written.append(blocks.expression_tex(data))
        elif kind == "jacobian":
            view = blocks.jacobian_view(
                list(data["maps"]), layer=data.get("layer"), composite=bool(data.get("composite")),
                at=data.get("at"),
            )
            written += [entry for row in view.entries for entry in row]
        elif kind == "shape_table" and data.get("maps"):
            for ascii in (False, True):
                blocks.shape_rows(list(data["maps"]), ascii=ascii)
    except ParseError as err:
        if kind == "expr":
            return [(kind, parse_message(err))]
        return locate(data, kind) or [(kind, parse_message(err))]
    except (ChainError, ValueError, TypeError) as err:
        return [(kind, str(err))]
    for text in written:
        try:
            mathtext.validate(text)
        except mathtext.MathTextError as err:  # the engine's printer wrote what the renderer cannot read
            return [(kind, f"the engine's result cannot be drawn ({err.message}): {text}")]
    return []


__all__ = [
    "answer_names", "check_variant", "diagnosis_codes", "kind_misfit", "locate", "parse_message",
    "variant_answer", "verify_answer", "verify_block",
]
