"""``tui-tutor grade`` gives the verdict the app gives, with and without ``--kind``.

For every shipped quiz item's answer key (template variants included, three seeds each) and for a
wrong answer of each diagnosis the engine knows for that item, the command's exit status (and,
with ``--json``, its verdict) must match what the quiz's own grading call returns. Also: the kind
follows the expected answer, too few significant figures is exit 2 like unreadable input, and no
message contradicts itself.
"""

from __future__ import annotations

import json

import pytest
import sympy

from tests.engine.fooling import rounded
from tui_tutor import cli
from tui_tutor.content.loader import load_course
from tui_tutor.content.templates import complete_variant, variants
from tui_tutor.engine import service
from tui_tutor.engine.answers import variant_answer
from tui_tutor.engine.parse import parse
from tui_tutor.engine.linetext import line_text
from tui_tutor.engine.problems import expected_answer, mistakes, problem_from_dict
from tui_tutor.quiz.engine_calls import grade_call


@pytest.fixture(scope="module", autouse=True)
def _stop_the_shared_worker():
    yield
    from tui_tutor.engine.worker import shared_worker

    shared_worker().close()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shipped_items():
    """Every quiz item but multiple choice (graded by letter against its list of choices, which
    the command has no option for), and three variants of every template."""
    concept = load_course().concept()
    items = [item for item in concept.items if item.kind != "choice"]
    for template in concept.templates:
        for variant in variants(template, 3, quiz_seed=11):
            text, _, tex = variant_answer(dict(variant.problem), variant.kind)
            items.append(complete_variant(variant, text, tex))
    return items


def problem_argv(problem: dict | None) -> list[str]:
    if not problem:
        return []
    argv = ["--maps", *[str(m) for m in problem["maps"]], "--ask", str(problem.get("ask", "jacobian"))]
    for key in ("at", "dx", "seed"):
        if problem.get(key) is not None:
            argv += [f"--{key}", ",".join(str(v) for v in problem[key])]
    for key in ("layer", "space"):
        if problem.get(key) is not None:
            argv += [f"--{key}", str(problem[key])]
    if problem.get("entry") is not None:
        argv += ["--entry", ",".join(str(v) for v in problem["entry"])]
    return argv


def wrong_answers(item) -> list[str]:
    """A wrong answer for each diagnosis that applies: the problem's mistakes, a sign slip, a
    transpose, a shape mismatch, a rounding slip and too few figures."""
    if item.kind == "shape":
        return ["1x1", "".join(reversed(item.answer))]
    key = parse(item.answer).value
    answers = [line_text(-key)]
    if isinstance(key, sympy.MatrixBase):
        if key.T.shape != key.shape or key.T != key:
            answers.append(line_text(key.T))
        answers.append(line_text(sympy.Matrix([list(key) + [1]])))
    else:
        answers.append(f"[{item.answer}, 1]")
    if item.problem:
        answers += [line_text(m.value) for m in mistakes(problem_from_dict(dict(item.problem)))]
    first = key[0] if isinstance(key, sympy.MatrixBase) else key
    if not first.free_symbols and first != 0:
        answers.append(rounded(first, 3, 1) if not isinstance(key, sympy.MatrixBase) else None)
        answers.append(rounded(first, 2) if not isinstance(key, sympy.MatrixBase) else None)
    return [a for a in answers if a]


def app_verdict(item, answer):
    name, args = grade_call(item, answer)
    return getattr(service, name.split(".")[1])(*args)


def cli_argv(item, answer, with_kind: bool) -> list[str]:
    argv = ["grade", "--answer", answer, "--json"]
    if item.answer is not None:
        argv += ["--expected", item.answer]
    if item.kind == "shape":
        return argv + ["--kind", item.kind]  # a shape is never inferred: 2x3 reads as 2·x3
    argv += problem_argv(item.problem)
    return argv + (["--kind", item.kind] if with_kind else [])


ITEMS = shipped_items()


def test_every_item_and_template_is_covered():
    assert len(ITEMS) >= 35
    assert {item.template for item in ITEMS if item.template} == {t.id for t in load_course().concept().templates}


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.id)
def test_grade_agrees_with_the_app_with_and_without_kind(capsys, item):
    for answer in [item.answer, *wrong_answers(item)]:
        want = app_verdict(item, answer)
        expected_code = 0 if want.correct else 1 if want.counted else 2
        for with_kind in (True, False):
            if not with_kind and item.kind == "shape":
                continue
            code, out, _ = run(capsys, *cli_argv(item, answer, with_kind))
            got = json.loads(out)
            where = f"{item.id}: answer {answer!r}, {'with' if with_kind else 'without'} --kind: {got['message']}"
            assert code == expected_code, where
            assert got["correct"] is want.correct, where
            if with_kind:
                assert got["diagnosis"] == want.diagnosis, where
    assert app_verdict(item, item.answer).correct, f"{item.id}: the answer key is not graded correct"


def test_each_diagnosis_is_exercised_somewhere():
    seen = set()
    for item in ITEMS:
        for answer in wrong_answers(item):
            seen.add(app_verdict(item, answer).diagnosis)
    assert {
        "sign", "transposed", "shape_mismatch", "wrong_order", "outer_at_x", "missing_term",
        "gradient_as_row", "rounding", "too_few_figures",
    } <= seen  # missing_transpose: every shipped pullback's square Jacobian is symmetric


# --- the kind follows the expected answer ------------------------------------------------------------


@pytest.mark.parametrize(
    "expected, answer, code",
    [
        ("[10; 5]", "[10; 5]", 0),
        ("[10; 5]", "(10, 5)", 0),
        ("[10; 5]", "[10, 5]", 1),  # shape strict without --kind vector
        ("[1, 2; 3, 4]", "[[1, 2], [3, 4]]", 0),
        ("7", "7", 0),
        ("7", "[7, 7]", 1),
    ],
)
def test_without_kind_the_kind_follows_the_expected_answer(capsys, expected, answer, code):
    got, out, err = run(capsys, "grade", "--expected", expected, "--answer", answer)
    assert got == code, out + err
    assert "but the answer is" not in out or out.split("expected ")[1].split(",")[0] not in out.split("answer is ")[1]


def test_a_vector_the_wrong_way_round_is_not_told_about_jacobian_rows(capsys):
    code, out, _ = run(capsys, "grade", "--expected", "[10; 5]", "--answer", "[10, 5]")
    assert code == 1
    assert out.strip() == "Incorrect: the entries are right but written as a 1×2 row vector; the answer is a 2×1 column vector."


def test_a_scalar_kind_for_a_vector_is_a_usage_error(capsys):
    code, out, err = run(capsys, "grade", "--expected", "[10; 5]", "--answer", "[10; 5]", "--kind", "scalar")
    assert code == 2 and not out
    assert err == (
        "tui-tutor grade: the expected answer is a 2×1 column vector, not a single value: "
        "grade it as a vector or matrix\n"
    )


def test_a_pullback_answered_as_a_row_is_gradient_as_row(capsys):
    argv = ["--maps", "x1 + 2x2, x1 - x2", "u1^2 + 3u2", "--ask", "pullback", "--at", "1,1", "--space", "0"]
    code, out, _ = run(capsys, "grade", *argv, "--answer", "[9, 9]", "--json")
    data = json.loads(out)
    assert code == 1 and data["diagnosis"] == "gradient_as_row"
    assert "rows are outputs" not in data["message"]
    assert run(capsys, "grade", *argv, "--answer", "[9; 9]")[0] == 0


# --- significant figures ---------------------------------------------------------------------------


def test_too_few_figures_is_not_judged_exit_2(capsys):
    code, out, err = run(capsys, "grade", "--expected", "5cos(3.5)", "--answer", "-4.7")
    assert code == 2 and not out
    assert err == "tui-tutor grade: Give at least 3 significant figures: 4.7 has 2. This try was not counted.\n"
    code, out, _ = run(capsys, "grade", "--expected", "5cos(3.5)", "--answer", "-4.7", "--json")
    data = json.loads(out)
    assert code == 2
    assert (data["correct"], data["counted"], data["diagnosis"]) == (False, False, "too_few_figures")


@pytest.mark.parametrize(
    "answer, code",
    [("3.14", 0), ("3.1416", 0), ("3.13", 1), ("3.15", 1), ("3.1", 2), ("3", 1), ("355/113", 1)],
)
def test_pi_to_its_own_figures(capsys, answer, code):
    assert run(capsys, "grade", "--expected", "pi", "--answer", answer)[0] == code


def test_an_exact_short_decimal_is_right(capsys):
    assert run(capsys, "grade", "--expected", "1/2", "--answer", "0.5")[0] == 0
    assert run(capsys, "grade", "--expected", "-9/100", "--answer", "-0.09")[0] == 0


@pytest.mark.parametrize(
    "expected, answer",
    [("10^20 + 1", "10^20"), ("2^40", "1099511627777"), ("exp(-40)", "0"), ("1000000*x1 + sin(x1)", "1000000*x1")],
)
def test_exact_answers_are_decided_exactly(capsys, expected, answer):
    assert run(capsys, "grade", "--expected", expected, "--answer", answer)[0] == 1


ENTRY_HOW = "write the entry as two whole numbers i,j (row i of y, column j of x), like 2,3"


@pytest.mark.parametrize(
    "entry, problem",
    [("1", "the input ends too early at column 2"), ("٣,1", "unexpected '٣' at column 1")],
)
def test_the_entry_option_needs_two_integers(capsys, entry, problem):
    """Read by the same reader as solve --entry: an Arabic-Indic '٣' is not row 3 (int() said it was)."""
    code, _, err = run(capsys, "grade", "--maps", "x1*x2", "--ask", "entry", "--entry", entry, "--answer", "x2")
    assert code == 2 and err == f"tui-tutor grade: --entry: {problem}; {ENTRY_HOW}\n"


def test_expected_answer_matches_the_problem_through_the_new_options():
    problem = {"maps": ["x1*x2, x2 + x3^2", "u1 + u2, u1*u2"], "ask": "entry", "entry": [1, 2]}
    assert expected_answer(problem_from_dict(problem)) == parse("x1 + 1").value
