"""The ``tui-tutor`` command for people and for scripts: solve, grade, exit codes, JSON, bad input.

Most tests call ``cli.main`` in this process (the engine still runs in its worker process, as it
does for the real command); a few run ``python -m tui_tutor`` for real, and the hostile-input
corpus runs in batched subprocesses that time every input on its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.engine.hostile_inputs import CORPUS
from tui_tutor import __version__, cli
from tui_tutor.engine.bounds import CLI

EXAMPLE_1 = ["x1^2 + x2, x1*x2", "u1 + u2^2"]
EXAMPLE_2 = ["x1 + 2x2, x1 - x2", "u1^2 + 3u2"]
EXAMPLE_3 = ["x1 x2, x2 + x3^2", "u1 + u2, u1 u2"]
# The CLI's bound is on the engine's CPU time (2 s), not the clock; the clock's last-resort bound
# is 30 s. An input that outlives that has hung the CLI (this is no measure of speed).
HUNG = CLI.wall + 10


@pytest.fixture(scope="module", autouse=True)
def _stop_the_shared_worker():
    yield
    from tui_tutor.engine.worker import shared_worker

    shared_worker().close()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:  # argparse's --help, --version and usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity, which are not JSON."""

    def refuse(name):
        raise ValueError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def python_m(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui_tutor", *argv], capture_output=True, text=True, timeout=timeout
    )


# --- --version and --help -------------------------------------------------------------------------


def test_version():
    result = python_m("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"tui-tutor {__version__}"


def _subcommands() -> list[str]:
    import argparse

    parser = cli.build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(action.choices)


def test_every_subcommand_is_listed():
    assert {"solve", "grade"} <= set(_subcommands())


@pytest.mark.parametrize("command", [None, *_subcommands()])
def test_help(capsys, command):
    argv = ["--help"] if command is None else [command, "--help"]
    code, out, err = run(capsys, *argv)
    assert code == 0
    assert out.startswith("usage: tui-tutor")
    assert not err


def test_help_through_python_m():
    result = python_m("solve", "--help")
    assert result.returncode == 0
    assert "--at P" in result.stdout and "--json" in result.stdout


# --- solve ----------------------------------------------------------------------------------------


def test_solve_json_for_worked_example_2(capsys):
    code, out, err = run(capsys, "solve", *EXAMPLE_2, "--at", "1,1", "--dx", "0.01,-0.02", "--json")
    assert code == 0, err
    data = strict_json(out)
    assert data["shapes"] == {
        "x": "2×1",
        "u = g(x)": "2×1",
        "y = f(u)": "1×1",
        "Dg(x)": "2×2",
        "Df(u)": "1×2",
        "D(f∘g)(x)": "1×2",
    }
    assert data["jacobian_at"] == [[9.0, 9.0]]
    assert data["gradient_at"] == [9.0, 9.0]
    assert data["pushforward"] == pytest.approx([-0.09], abs=1e-15)
    assert data["finite_difference_agrees"] is True


def test_solve_json_gradient_at_1_2_is_10_5(capsys):
    code, out, _ = run(capsys, "solve", *EXAMPLE_1, "--at", "1,2", "--json")
    data = strict_json(out)
    assert code == 0
    assert data["gradient_at"] == [10.0, 5.0]
    assert data["pushforward"] is None  # no --dx


def test_solve_json_for_a_vector_output(capsys):
    code, out, _ = run(capsys, "solve", *EXAMPLE_3, "--at", "1,2,3", "--dx", "0.1,0,0", "--json")
    data = strict_json(out)
    assert code == 0
    assert data["gradient_at"] is None  # p = 2
    jacobian = data["jacobian_at"]
    assert len(jacobian) == 2 and all(len(row) == 3 for row in jacobian)  # p×n
    assert all(isinstance(v, float) for row in jacobian for v in row)
    assert jacobian[1][2] == 12.0  # ∂y2/∂x3 = 2 x1 x2 x3
    assert len(data["pushforward"]) == 2  # p floats


def test_solve_plain_report(capsys):
    code, out, _ = run(capsys, "solve", *EXAMPLE_1, "--at", "1,2")
    assert code == 0
    assert "Shape check: (1×2)(2×2) = (1×2)" in out
    assert "∇h(x₀) = ⎡10⎤" in out
    assert "agrees" in out


def test_solve_ascii_before_or_after_the_subcommand(capsys):
    for argv in (["--ascii", "solve", *EXAMPLE_1, "--at", "1,2"], ["solve", *EXAMPLE_1, "--at", "1,2", "--ascii"]):
        code, out, _ = run(capsys, *argv)
        assert code == 0
        assert out.isascii(), argv
        assert "grad h(x0) = [10]" in out


def test_solve_path_terms(capsys):
    code, out, _ = run(capsys, "solve", *EXAMPLE_3, "--entry", "2,3")
    assert code == 0
    # Each path as its factors, their product, the term: aligned at the first =.
    assert "  via u₁:  ∂y₂/∂u₁ · ∂u₁/∂x₃ = u₂ · 0 = 0" in out
    assert "  via u₂:  ∂y₂/∂u₂ · ∂u₂/∂x₃ = u₁ · 2x₃ = 2x₁x₂x₃" in out
    assert "  sum: ∂y₂/∂x₃ = 2x₁x₂x₃" in out


# --- grade ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, code, diagnosis",
    [
        (["--expected", "-9/100", "--answer", "-0.09"], 0, None),
        (["--expected", "sigma(a)(1 - sigma(a))", "--answer", "exp(-a)/(1+exp(-a))^2"], 0, None),
        (["--expected", "[10; 5]", "--answer", "[10, 5]", "--kind", "vector"], 0, None),
        (["--expected", "[10; 5]", "--answer", "[10, 5]", "--kind", "matrix"], 1, "transposed"),
        (["--expected", "x1 - x2", "--answer", "x2 - x1"], 1, "sign"),
        (["--expected", "x^2", "--answer", "x^3"], 1, None),
        (["--expected", "[1, 2; 3, 4]", "--answer", "[1, 2]", "--kind", "matrix"], 1, "shape_mismatch"),
        (["--maps", "x1 + x2^2, x1 x2", "u1 u2, u1 + u2", "--at", "1,2", "--answer", "[6, 9; 5, 11]", "--kind", "matrix"], 1, "wrong_order"),
        (["--maps", *EXAMPLE_1, "--ask", "gradient", "--at", "1,2", "--answer", "[10, 5]"], 1, "gradient_as_row"),
        (["--maps", *EXAMPLE_1, "--ask", "gradient", "--at", "1,2", "--answer", "[10; 5]"], 0, None),
    ],
)
def test_grade_exit_codes_and_json(capsys, argv, code, diagnosis):
    got, out, err = run(capsys, "grade", *argv, "--json")
    assert got == code, (out, err)
    data = strict_json(out)
    assert data["correct"] is (code == 0)
    assert data["diagnosis"] == diagnosis
    assert isinstance(data["message"], str) and data["message"]
    assert not err
    plain_code, plain_out, _ = run(capsys, "grade", *argv)
    assert plain_code == code
    assert plain_out.strip() == data["message"]


def test_grade_unreadable_answer(capsys):
    code, out, err = run(capsys, "grade", "--expected", "x", "--answer", "2 + foo")
    assert code == 2
    assert not out
    assert err == "tui-tutor grade: unknown name 'foo' at column 5\n"


def test_grade_unreadable_answer_json(capsys):
    code, out, err = run(capsys, "grade", "--expected", "x", "--answer", "2 + foo", "--json")
    assert code == 2
    data = strict_json(out)
    assert data["correct"] is False and "column 5" in data["message"]
    assert err.count("\n") == 1 and "column 5" in err  # scripts read stdout, people read stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["solve", "x1 +"],
        ["solve", "x1 + x2", "--at", "1"],
        ["solve", "x1, x2", "u1 + u3"],
        ["solve", "log(x1)", "--at", "0"],
        ["solve", "x1", "--at", "one"],
        ["solve", "x1", "--entry", "2"],
        ["solve"],
        ["grade", "--answer", "1"],
        ["grade", "--expected", "1"],
        ["grade", "--expected", "1", "--answer", "1", "--kind", "tensor"],
        ["grade", "--expected", "sin(", "--answer", "1"],
        ["grade", "--maps", "x1", "--ask", "entry", "--answer", "1"],
        ["frobnicate"],
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in out + err
    assert err.startswith("tui-tutor")


def test_exit_codes_through_python_m():
    assert python_m("grade", "--expected", "-9/100", "--answer", "-0.09").returncode == 0
    wrong = python_m("grade", "--expected", "1", "--answer", "2")
    assert (wrong.returncode, wrong.stdout.strip()) == (1, "Incorrect.")
    bad = python_m("solve", "x1 + foo")
    assert bad.returncode == 2
    assert bad.stderr.strip() == "tui-tutor solve: map 1 (f): unknown name 'foo' at column 6; this map's variables are x1, x2, ..."
    assert not bad.stdout


# --- the hostile corpus through the CLI ---------------------------------------------------------------

_RUNNER = textwrap.dedent(
    """
    import contextlib, io, json, sys, time, traceback
    from tui_tutor import cli
    from tui_tutor.engine.worker import shared_worker

    cases = json.loads(sys.stdin.read())
    shared_worker().start()  # a fresh CLI process pays this too; see test_timeout_through_python_m
    results = []
    for argv in cases:
        out, err = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as exit_:
                code = exit_.code
            except BaseException:
                code = "crashed"
                err.write(traceback.format_exc())
        seconds = time.perf_counter() - started
        results.append({"argv": argv, "code": code, "out": out.getvalue(), "err": err.getvalue(), "seconds": seconds})
    shared_worker().close()
    sys.stdout.write(json.dumps(results))
    """
)


def _forms(text: str) -> list[list[str]]:
    forms = [
        ["solve", text],
        ["grade", "--expected", "x", "--answer", text],
        ["grade", "--expected", text, "--answer", "1", "--json"],
    ]
    if text.strip():  # an empty --at means "no point"
        forms.append(["solve", "x1^2", "--at", text])
    return forms


@pytest.fixture(scope="module")
def corpus_results(tmp_path_factory):
    """Every corpus input in every CLI form, run in two batches in parallel subprocesses."""
    marker = tmp_path_factory.mktemp("hostile") / "pwned"
    cases = [(item.id, argv) for item in CORPUS for argv in _forms(item.with_marker(str(marker)))]
    batches = [cases[0::2], cases[1::2]]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in batches
    ]
    results = []
    for process, batch in zip(processes, batches):
        out, err = process.communicate(json.dumps([argv for _, argv in batch]), timeout=600)
        assert process.returncode == 0, err
        for (item_id, _), result in zip(batch, json.loads(out)):
            results.append((item_id, result))
    return marker, results


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("item", CORPUS, ids=[h.id for h in CORPUS])
def test_hostile_input_through_the_cli(corpus_results, item):
    marker, results = corpus_results
    mine = [result for item_id, result in results if item_id == item.id]
    assert mine
    for result in mine:
        form = " ".join(a if len(a) < 40 else a[:37] + "..." for a in result["argv"][:1] + result["argv"][1:2])
        assert result["code"] in (1, 2), f"{form}: exit {result['code']}: {result['out'][:200]}"
        assert "Traceback" not in result["out"] + result["err"], result["err"]
        message = result["err"] if result["code"] == 2 else result["out"]
        assert message.strip(), f"{form}: no message"
        if result["code"] == 2:
            assert result["err"].count("\n") == 1, result["err"]
        assert result["seconds"] < HUNG, f"{form}: hung for {result['seconds']:.2f} s"
    assert not marker.exists(), "injected code ran"


def test_timeout_through_python_m():
    """The slowest honest case end to end: start, import the engine, compute for 2 s of CPU, stop."""
    result = python_m("solve", "(x1 + x2 + x3 + x4 + x5 + x6)^1000", timeout=HUNG)
    assert result.returncode == 2
    assert result.stderr == (
        "tui-tutor solve: this took too long (more than 2 s of computation) and was stopped; try a simpler input\n"
    )


@pytest.mark.parametrize("item", [h for h in CORPUS if h.id in ("import-os-system", "subclasses", "lambda-call", "exec-open")], ids=lambda h: h.id)
def test_injection_through_python_m_runs_nothing(item, tmp_path):
    marker = tmp_path / "pwned"
    text = item.with_marker(str(marker))
    for argv in (["solve", text], ["grade", "--expected", "1", "--answer", text]):
        result = python_m(*argv)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not marker.exists()


# --- typed text that Python itself refuses (issue 12) ----------------------------------------------

NINES = "9" * 5000


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["grade", "--kind", "shape", "--expected", "2x3", "--answer", "²x3"], "at column 1"),
        (["grade", "--kind", "shape", "--expected", "2x3", "--answer", NINES + "x3"], "at column 1"),
        (["grade", "--kind", "shape", "--expected", "2x3", "--answer", "2x٣"], "at column 3"),
        (["solve", "x1^999", "--at", "9999999999"], "too large to show"),
        (["solve", "x1^999", "--at", "9" * 59, "--json"], "too large to show"),
        (["solve", "x1^400", "u1^400", "--at", "3"], "too large to show"),
        (["solve", "9^999*9^999*9^999*9^999*9^999*x1"], "number is too large"),
        (["grade", "--expected", "9^999*9^999*9^999*9^999*9^999", "--answer", "1"], "number is too large"),
        (["solve", "x1^2", "--at", NINES], "too long"),
        (["solve", "x1, x2", "u1", "--entry", "1," + NINES], "--entry: a number here has at most 4 digits at column 3"),
    ],
    ids=lambda v: v[-1][:24] if isinstance(v, list) else None,
)
def test_what_python_cannot_turn_into_a_number_is_one_line_not_its_error(capsys, argv, expected):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and expected in err, err
    assert "int()" not in err and "Exceeds the limit" not in err and "set_int_max_str_digits" not in err


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["quiz", "--minutes", "1e308"], "expected minutes from 0.5 to 600, not '1e308'"),
        (["quiz", "--minutes", "nan"], "not 'nan'"),
        (["quiz", "--minutes", "inf"], "not 'inf'"),
        (["quiz", "--minutes", "-1"], "not '-1'"),
        (["quiz", "--count", "100000000"], "expected a whole number from 1 to 100, not '100000000'"),
        (["review", "--count", "0"], "from 1 to 100"),
        (["quiz", "--seed", "9" * 5000], "from 0 to 999999999, not '999999999999999999999...'"),
        (["lesson", "--section", "0"], "from 1 to 1000"),
        (["quiz", "--count", "\x1b]0;title\x07"], "not '\\x1b]0;title\\x07'"),
        (["grade", "--expected", "1", "--answer", "1", "--kind", "\x1b[?1049l"], "invalid choice: '\\x1b[?1049l'"),
    ],
    ids=lambda v: v[-1][:16] if isinstance(v, list) else None,
)
def test_numbers_on_the_command_line_are_checked_before_anything_starts(capsys, argv, expected):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and expected in err, err
    assert "\x1b" not in err and "\x07" not in err


def test_help_says_the_ranges(capsys):
    code, out, _ = run(capsys, "quiz", "--help")
    assert code == 0
    assert "1-100" in out and "0.5-600" in out and "0-999999999" in out
