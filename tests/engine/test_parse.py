"""The one safe parser: what it reads, how it says no, and that hostile text is refused fast."""

from __future__ import annotations

import time

import pytest
import sympy
from sympy import E, ImmutableMatrix, Rational, pi

from tests.engine.hostile_inputs import CORPUS
from tui_tutor.engine.chain import Chain
from tui_tutor.engine.functions import sigma
from tui_tutor.engine.parse import (
    MAX_LENGTH,
    ParseError,
    parse,
    parse_components,
    parse_point,
    parse_scalar,
    symbol,
)

x, y, a, b, c, d = (symbol(n) for n in "xyabcd")
x1, x2, x3, u1, u2 = (symbol(n) for n in ("x1", "x2", "x3", "u1", "u2"))
theta = symbol("theta")


def same(left, right) -> bool:
    """Equal as mathematics (the parser may build an equivalent but differently-shaped tree)."""
    if isinstance(left, sympy.MatrixBase) or isinstance(right, sympy.MatrixBase):
        return (
            isinstance(left, sympy.MatrixBase)
            and isinstance(right, sympy.MatrixBase)
            and left.shape == right.shape
            and all(sympy.simplify(p - q) == 0 for p, q in zip(left, right))
        )
    return sympy.simplify(left - right) == 0


# --- what it reads --------------------------------------------------------------------------------

ACCEPTED = [
    # numbers
    ("7", sympy.Integer(7)),
    ("3.25", Rational(13, 4)),
    ("0.09", Rational(9, 100)),
    (".5", Rational(1, 2)),
    ("1e-3", Rational(1, 1000)),
    ("2.5E2", sympy.Integer(250)),
    # names
    ("x", x),
    ("y", y),
    ("a", a),
    ("x1", x1),
    ("u2", u2),
    ("theta", theta),
    # operators
    ("x + y", x + y),
    ("x - y", x - y),
    ("x * y", x * y),
    ("x / y", x / y),
    ("x ^ 2", x**2),
    ("x ** 2", x**2),
    ("2^3^2", sympy.Integer(512)),  # right-associative, as in mathematics
    ("-x^2", -(x**2)),
    ("2^-x", 2 ** (-x)),
    ("x^-1", 1 / x),
    ("(x + 1)(x - 1)", (x + 1) * (x - 1)),
    # implicit multiplication
    ("2x1", 2 * x1),
    ("2 x1 x2", 2 * x1 * x2),
    ("2x1(1 + x2^2)", 2 * x1 * (1 + x2**2)),
    ("x1 sin(x2)", x1 * sympy.sin(x2)),
    ("x1x2", x1 * x2),
    ("6e^2.25", 6 * sympy.exp(Rational(9, 4))),
    ("2(3)", sympy.Integer(6)),
    ("sigma(a)(1 - sigma(a))", sigma(a) * (1 - sigma(a))),
    # every function
    ("sin(x)", sympy.sin(x)),
    ("cos(x)", sympy.cos(x)),
    ("tan(x)", sympy.tan(x)),
    ("exp(x)", sympy.exp(x)),
    ("log(x)", sympy.log(x)),
    ("ln(x)", sympy.log(x)),
    ("sqrt(x)", sympy.sqrt(x)),
    ("abs(x)", sympy.Abs(x)),
    ("sinh(x)", sympy.sinh(x)),
    ("cosh(x)", sympy.cosh(x)),
    ("tanh(x)", sympy.tanh(x)),
    ("asin(x)", sympy.asin(x)),
    ("acos(x)", sympy.acos(x)),
    ("atan(x)", sympy.atan(x)),
    ("sigma(x)", sigma(x)),
    ("sin^2(x)", sympy.sin(x) ** 2),
    # constants
    ("pi", pi),
    ("e", E),
    ("e^x", sympy.exp(x)),
    ("2pi", 2 * pi),
    # Unicode a person pastes
    ("2·x", 2 * x),
    ("2×x", 2 * x),
    ("x − y", x - y),
    ("x²", x**2),
    ("x³", x**3),
    ("x₁ + x₂", x1 + x2),
    ("√x", sympy.sqrt(x)),
    ("√(x + 1)", sympy.sqrt(x + 1)),
    ("π", pi),
    ("2π", 2 * pi),
    ("θ", theta),
    ("σ(a)", sigma(a)),
    ("sin²(x)", sympy.sin(x) ** 2),
    ("x\u00a0+\u2009y", x + y),  # no-break and thin spaces
]


@pytest.mark.parametrize("text, expected", ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_reads(text, expected):
    assert same(parse(text).value, expected)


MATRICES = [
    ("[[a, b], [c, d]]", [[a, b], [c, d]]),
    ("[a, b; c, d]", [[a, b], [c, d]]),
    ("[a; b]", [[a], [b]]),
    ("[[a, b]]", [[a, b]]),
    ("[a, b]", [[a, b]]),
    ("(a, b)", [[a], [b]]),
    ("a, b", [[a], [b]]),
    ("[a; b]^T", [[a, b]]),
    ("[a; b]ᵀ", [[a, b]]),
    ("[1, 2; 3, 4][1; 1]", [[3], [7]]),
    ("2[1, 2]", [[2, 4]]),
    ("[2x1 + 2x1 x2^2; 1 + 2x1^2 x2]", [[2 * x1 + 2 * x1 * x2**2], [1 + 2 * x1**2 * x2]]),
]


@pytest.mark.parametrize("text, rows", MATRICES, ids=[t for t, _ in MATRICES])
def test_reads_matrices_and_vectors(text, rows):
    parsed = parse(text)
    assert parsed.is_matrix
    assert parsed.shape == (len(rows), len(rows[0]))
    assert same(parsed.value, ImmutableMatrix(rows))


def test_decimals_are_exact_and_flagged():
    parsed = parse("-0.09")
    assert parsed.value == Rational(-9, 100)
    assert parsed.has_decimal
    assert not parse("-9/100").has_decimal
    assert parse("1e-3").has_decimal  # scientific notation is a decimal too


def test_variables_are_real_symbols_shared_with_the_engine():
    assert parse("x1").value == symbol("x1")
    assert symbol("x1").is_real


def test_scalar_and_components_and_point():
    assert parse_scalar("x1 + 1") == x1 + 1
    assert parse_components("x1^2 + x2, x1 x2") == [x1**2 + x2, x1 * x2]
    assert parse_point("1, 2") == [1, 2]
    assert parse_point("(0.01, -0.02)") == [Rational(1, 100), Rational(-1, 50)]
    assert parse_point("[1; 2]") == [1, 2]
    assert parse_point([1, "2.5"]) == [1, Rational(5, 2)]


# --- how it says no -------------------------------------------------------------------------------

ERRORS = [
    # text, the start of the message, column
    ("2 + foo", "unknown name 'foo'", 5),
    ("x +", "something is missing at the end", 4),
    ("sin(x", "'(' is never closed", 4),
    ("(x + 1))", "unexpected ')'", 8),
    ("2 $ 3", "unexpected '$'", 3),
    ("x = 2", "type only the answer's value, without '='", 3),
    ("|x|", "write abs(...) for an absolute value", 1),
    ("3!", "factorials are not supported", 2),
    ("1/0", "division by zero", 2),
    ("sin x", "sin needs parentheses", 1),
    ("sin(x, y)", "sin takes one argument", 6),
    ("x 2", "number '2' follows without an operator", 3),
    ("'x'", "unexpected quote mark", 1),
    ("[1, 2; 3]", "row 2 has 1 entry but row 1 has 2", 1),
    ("[1, 2] + 1", "cannot add a matrix and a number", 8),
    ("[1, 2] [3, 4]", "cannot multiply a 1×2 matrix and a 1×2 matrix", 8),
    ("x\x00", "unexpected character U+0000", 2),
    ("xy", "unknown name 'xy'", 1),
    ("10^10^10", "exponent is larger than 1000", 3),
    ("exp(exp(exp(100)))", "the number inside exp(...) is too large", 5),
    ("", "nothing to read", None),
]


@pytest.mark.parametrize("text, message, column", ERRORS, ids=[repr(t) for t, _, _ in ERRORS])
def test_errors_are_one_line_with_the_column(text, message, column):
    with pytest.raises(ParseError) as caught:
        parse(text)
    err = caught.value
    assert str(err).startswith(message)
    assert err.column == column
    if column is not None:
        assert f"at column {column}" in str(err)
    assert "\n" not in str(err)


def test_unknown_name_message_exactly():
    with pytest.raises(ParseError) as caught:
        parse("2 + foo")
    assert str(caught.value) == "unknown name 'foo' at column 5"


def test_two_letter_name_hints_at_a_product():
    with pytest.raises(ParseError) as caught:
        parse("xy")
    assert caught.value.hint == "for a product write x*y"


def test_allowed_names_restrict_the_variables_and_say_which_are_known():
    with pytest.raises(ParseError) as caught:
        parse("x1 + x3", allowed=["x1", "x2"])
    assert caught.value.reason == "unknown name 'x3'"
    assert caught.value.column == 6
    assert "x1, x2" in caught.value.hint


def test_component_errors_point_into_the_whole_map():
    with pytest.raises(ParseError) as caught:
        parse_components("x1^2, 2 + foo")
    assert caught.value.column == 11
    with pytest.raises(ParseError) as caught:
        Chain.from_texts(["x1 + x2, x1 + foo"])
    assert caught.value.column == 15
    assert str(caught.value).startswith("map 1 (f): unknown name 'foo'")


def test_a_scalar_is_required_where_one_is_expected():
    with pytest.raises(ParseError, match="expected a single expression, got a 2×1 matrix"):
        parse_scalar("[1; 2]")


def test_a_point_must_be_numbers():
    with pytest.raises(ParseError):
        parse_point("1, x")
    with pytest.raises(ParseError, match="a point is a list of numbers, not a 2×2 matrix"):
        parse_point("[1, 2; 3, 4]")


def test_error_survives_pickling_with_its_fields():
    import pickle

    err = ParseError("unknown name 'foo'", 5, "check the spelling")
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.reason, copy.column, copy.hint, str(copy)) == (err.reason, err.column, err.hint, str(err))


# --- limits ---------------------------------------------------------------------------------------


def test_limits_are_generous_for_real_work():
    assert parse("2^1000").value == 2**1000
    assert parse("x^1000").value == x**1000
    assert parse("e^1000").value == sympy.exp(1000)
    assert parse("(" * 30 + "x" + ")" * 30).value == x
    assert parse("1" * 60).value == int("1" * 60)
    assert parse("+".join(["x"] * 300)).value == 300 * x


def test_length_limit_is_stated():
    with pytest.raises(ParseError, match=f"the limit is {MAX_LENGTH}"):
        parse("x" * (MAX_LENGTH + 1))


# --- the hostile corpus, in process ----------------------------------------------------------------


@pytest.mark.parametrize("item", CORPUS, ids=[h.id for h in CORPUS])
def test_hostile_input_is_refused_or_bounded(item, tmp_path):
    marker = tmp_path / "pwned"
    text = item.with_marker(str(marker))
    started = time.perf_counter()
    if item.parse == "refused":
        with pytest.raises(ParseError) as caught:
            parse(text)
        message = str(caught.value)
        assert message and "\n" not in message
        assert "Traceback" not in message
    else:
        parsed = parse(text)
        assert isinstance(parsed.value, (sympy.Basic, sympy.MatrixBase))
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{item.id} took {elapsed:.2f} s to parse"
    assert not marker.exists()


def test_the_injection_payload_is_live_code(tmp_path):
    """Control: the corpus's payload really would create the file if Python evaluated it."""
    import subprocess
    import sys

    marker = tmp_path / "pwned"
    payload = next(h for h in CORPUS if h.id == "import-os-system").with_marker(str(marker))
    subprocess.run([sys.executable, "-c", f"eval({payload!r})"], check=True, timeout=30)
    assert marker.exists()
