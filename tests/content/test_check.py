"""``tui-tutor check``: the maths of the content, through the engine, every error at its line."""

from __future__ import annotations

import io
import json
import re
import textwrap

import pytest

from tests.content.helpers import CONCEPT, FIXTURES, VALID, line_of, where
from tui_tutor import cli
from tui_tutor.content import check as check_module
from tui_tutor.content.check import check, run_check

QUIZ = f"{CONCEPT}/quiz.yaml"
LESSON = f"{CONCEPT}/lesson.yaml"
BROKEN = FIXTURES / "broken"


@pytest.fixture(scope="module")
def wrong_answers(tmp_path_factory):
    """The pack with the quiz of wrong answers and the lesson of bad blocks, checked once."""
    from tests.content.helpers import make_pack

    root = make_pack(tmp_path_factory.mktemp("check"), {QUIZ: BROKEN / "quiz-wrong-answers.yaml", LESSON: BROKEN / "lesson-bad.yaml"})
    return root, {(e.path, e.line): e.message for e in check(root)}


def test_the_valid_pack_is_clean():
    assert check(VALID) == []


def expect(found: dict, root, relative: str, snippet: str, message: str, occurrence: int = 1) -> None:
    line = line_of(root / relative, snippet, occurrence)
    assert found.get((where(root, relative), line)) == message, f"line {line}: {found}"


def test_a_wrong_answer_key_is_an_error_at_its_answer_line(wrong_answers):
    root, found = wrong_answers
    expect(found, root, QUIZ, "answer: '[10, 6]'",
           "answer: disagrees with the problem: the engine computes [[10, 5]]; Incorrect. Entry (1, 2) is wrong.")
    expect(found, root, QUIZ, "answer: '[18, 6]'",
           "answer: disagrees with the problem: the engine computes [[18], [6]]; Incorrect: that is the 1×n row Dh; "
           "the gradient is its transpose, an n×1 column.")
    expect(found, root, QUIZ, "answer: 2x1", "answer: disagrees with the problem: the engine's answer is 1×2, not 2x1")


def test_an_unknown_name_in_an_answer(wrong_answers):
    root, found = wrong_answers
    expect(found, root, QUIZ, "answer: '[2x1 + q, 1]'",
           "answer: unknown name 'q' at column 8; answers use x1, x2, ... (u1.., v1.., y1..); declare other names under variables:")


def test_code_injection_is_refused_and_runs_nothing(wrong_answers, monkeypatch):
    root, found = wrong_answers
    expect(found, root, QUIZ, "answer: \"__import__", "answer: unexpected '_'")
    expect(found, root, QUIZ, "- \"__import__('os').system('touch pwned-by-map')\"", "problem: map 1: unexpected '_'")
    for name in ("pwned-by-answer", "pwned-by-map"):
        assert not (root / name).exists() and not (root.parent / name).exists()


def test_kind_and_math(wrong_answers):
    root, found = wrong_answers
    expect(found, root, QUIZ, "answer: '[1, 2]'", None)  # the kind is what is wrong, at the kind line
    expect(found, root, QUIZ, "kind: scalar", "kind: kind is scalar but the answer is a 1×2 matrix", 3)
    expect(found, root, QUIZ, r"prompt: 'Compute $\fracc", r"prompt: unknown command \fracc (near 'Compute $\fracc{1}{2}')")
    expect(found, root, QUIZ, "An unclosed $x_1",
           r"hints: $ opens math that never closes (write \$ for a dollar sign) (near 'An unclosed $x_1 dollar.')")


def test_a_template_that_divides_by_zero_for_some_seeds(wrong_answers):
    root, found = wrong_answers
    expect(found, root, QUIZ, "problem: {maps: ['1/(x1 - {{a}})']",
           "problem: the answer is undefined for this variant (a division by zero?) (template variant seed 0, and 6 more of 20)")


def test_computed_blocks_and_diagnoses(wrong_answers):
    root, found = wrong_answers
    expect(found, root, LESSON, "'u1 + u3^2'], layer: 1}", "jacobian: map 2 (f) uses u3, but map 1 (g) has only 2 outputs")
    expect(found, root, LESSON, "- 'z1^2 + x2, x1*x2'", "jacobian: map 1: unknown name 'z1'")
    expect(found, root, LESSON, "shape_table: {maps: ['x1 +* x2']}", "shape_table: map 1: unexpected '*' at column 5")
    expect(found, root, LESSON, "expr: 'sin(x1'", "expr: '(' is never closed at column 4")
    expect(found, root, LESSON, r"\end{matrix}", r"math: \end{matrix} does not match \begin{bmatrix} (near 'trix} a & b \end{matrix}')")
    expect(found, root, LESSON, "diagnosis: forgot_everything",
           "diagnosis: unknown code 'forgot_everything'; the grader knows gradient_as_row, missing_term, "
           "missing_transpose, outer_at_x, rounding, shape_mismatch, sign, transposed, used_transpose, wrong_order")


def test_nothing_else_is_reported(wrong_answers):
    _, found = wrong_answers
    assert len(found) == 16  # the ones asserted above, and no noise


def test_loader_errors_come_through_check(pack):
    root = pack({QUIZ: BROKEN / "quiz-bad-ranges.yaml"})
    messages = [e.message for e in check(root)]
    assert "range: a: low 5 is greater than high 1" in messages


def test_the_engine_time_bound_turns_a_runaway_expression_into_an_error(pack):
    # Expanding (x1 + ... + x6)^40 would take minutes; with a 1 s bound it is an error at its line.
    root = pack({QUIZ: textwrap.dedent("""\
        templates:
          - id: too-slow
            skills: [chain-product]
            params:
              n: {choices: [40]}
            prompt: 'Expand a big power.'
            kind: scalar
            problem: {maps: ['(x1 + x2 + x3 + x4 + x5 + x6)^{{n}}'], ask: entry, entry: [1, 1]}
            solution: 'Never reached.'
        """)})
    result = run_check(root, timeout=1.0)
    line = line_of(root / QUIZ, "problem: {maps:")
    assert [str(e) for e in result.errors] == [
        f"{where(root, QUIZ)}:{line}: problem: the engine took longer than 1 s of computation on this and was stopped; "
        "simplify it (template variant seed 0, and 19 more of 20)"
    ]  # and it took about 1 s, not 20: identical variants are computed once


# --- the command ----------------------------------------------------------------------------------


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(["check", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_command_clean(capsys):
    code, out, err = run_cli(capsys, VALID)
    assert code == 0 and err == ""
    assert out.startswith("OK: 1 concept(s), 1 sections, 1 examples, 1 practice problems, 4 quiz items, 1 templates (20 variants)")


def test_command_with_errors_prints_each_then_a_count(capsys, pack):
    root = pack({QUIZ: BROKEN / "quiz-missing-answer.yaml"})
    code, out, _ = run_cli(capsys, root)
    line = line_of(root / QUIZ, "id: no-answer-here")
    assert code == 1
    assert out.splitlines() == [f"{where(root, QUIZ)}:{line}: quiz item has no 'answer'", "1 error"]


def test_command_json(capsys, pack):
    root = pack({QUIZ: BROKEN / "quiz-missing-answer.yaml"})
    code, out, _ = run_cli(capsys, root, "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert report["errors"] == [{"file": where(root, QUIZ), "line": line_of(root / QUIZ, "id: no-answer-here"),
                                 "message": "quiz item has no 'answer'"}]
    assert report["counts"]["errors"] == 1 and report["counts"]["concepts"] == 1


def test_command_missing_folder(capsys, tmp_path):
    code, out, err = run_cli(capsys, tmp_path / "nowhere")
    assert code == 2 and out == "" and err.startswith("tui-tutor check: no such folder")


def test_command_never_shows_a_traceback(capsys, pack, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(check_module, "run_check", explode)
    code, out, err = run_cli(capsys, pack())
    assert code == 2 and "Traceback" not in out + err and err.startswith("tui-tutor: boom (details in ")
    assert err.count("\n") == 1 and "tui-tutor.log" in err


def test_run_works_without_the_cli_main(capsys):
    from tui_tutor.cli import build_parser

    assert check_module.run(build_parser().parse_args(["check", str(VALID), "--json"])) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


# --- a bounded run, with progress and the slow items named (issue 12) ------------------------------


def test_progress_is_reported_item_by_item_with_file_and_line():
    seen = []
    result = run_check(VALID, seeds=2, progress=lambda done, total, where: seen.append((done, total, where)))
    assert result.ok
    assert [d for d, _, _ in seen] == list(range(1, len(seen) + 1)) and seen[-1][0] == seen[-1][1]
    assert all(re.fullmatch(r"valid/mini-chain/\w+\.yaml:\d+", where) for _, _, where in seen)


def test_the_whole_run_is_bounded_and_what_was_left_is_said_at_its_line():
    result = run_check(VALID, seeds=2, total_timeout=0.0)
    (error,) = result.errors
    assert error.message.startswith("not checked: the check stopped after 0 s with ")
    assert re.fullmatch(r"valid/mini-chain/\w+\.yaml", error.path) and error.line
    assert result.counts["engine_calls"] == 0


def test_slow_items_are_named_by_file_and_line(monkeypatch, capsys):
    monkeypatch.setattr(check_module, "SLOW_SECONDS", 0.0)
    result = run_check(VALID, seeds=1)
    assert result.slow and all(re.fullmatch(r"valid/mini-chain/\w+\.yaml:\d+", w) for w, _ in result.slow)
    code, out, _ = run_cli(capsys, VALID)
    assert code == 0 and re.search(r"^valid/mini-chain/\w+\.yaml:\d+: slow: the engine needed \d+\.\d s", out, re.M)


def test_the_progress_line_is_drawn_in_place_on_a_terminal_only():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        line = check_module._ProgressLine(stream)
        line.show(1, 2, "pack/c/quiz.yaml:3")
        line.show(2, 2, "pack/c/quiz.yaml:9")
        line.clear()
    assert pipe.getvalue() == ""
    assert "\rchecking 1/2  pack/c/quiz.yaml:3" in terminal.getvalue() and terminal.getvalue().endswith("\r")
