"""The one safe parser: text a person typed (or a content author wrote) -> sympy objects.

Nothing here hands text to ``eval``, ``exec``, ``sympify`` or ``parse_expr``: sympy's own docs warn
that those run Python. Instead a small tokenizer and a recursive-descent parser build sympy objects
node by node from a whitelist of names, so the only things that can come out are numbers, symbols,
the listed functions, arithmetic and matrices. Sizes are bounded (length, nesting depth, digits,
exponents, matrix size) so a hostile input is refused quickly instead of exhausting the machine.

Syntax, in brief: ``+ - * / ^ **``; implicit multiplication (``2x1``, ``x1 sin(x2)``); functions
sin cos tan exp log ln sqrt abs sinh cosh tanh asin acos atan sigma; constants pi and e; matrices
``[[a, b], [c, d]]`` or ``[a, b; c, d]``; column vectors ``[a; b]`` or ``(a, b)``; ``^T`` / ``ᵀ``
transposes a matrix; pasted Unicode such as ``· × − ² x₁ √ π`` reads as its ASCII meaning.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import sympy
from sympy import ImmutableMatrix

from tui_tutor.engine import build
from tui_tutor.engine.build import CONSTANTS, FUNCTIONS, MAX_MATRIX_DIM
from tui_tutor.engine.errors import ParseError
from tui_tutor.engine.figures import DecimalLiteral, placeholder, read_literal
from tui_tutor.engine.tokens import Token, tokenize

MAX_LENGTH = 2000  # characters in one input
MAX_DEPTH = 40  # nesting of brackets, unary signs and powers
_LOG10_2 = math.log10(2)

GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron rho tau "
    "upsilon phi chi psi omega"
).split()

_VARIABLE = re.compile(r"[A-Za-z][0-9]*\Z")
_INDEXED_RUN = re.compile(r"(?:[A-Za-z][0-9]+)+\Z")
_INDEXED_PIECE = re.compile(r"[A-Za-z][0-9]+")


@dataclass(frozen=True)
class Parsed:
    """What a piece of text was read as."""

    value: sympy.Expr | ImmutableMatrix
    decimals: tuple[DecimalLiteral, ...] = ()  # every decimal literal, in the order typed
    text: str = ""
    allowed: frozenset[str] | None = None

    def parametric(self) -> sympy.Expr | ImmutableMatrix | None:
        """The value with each decimal literal replaced by its placeholder symbol (None if no decimal).

        The grader moves each decimal within its rounding range to see how far the answer may
        be from the exact value; the literal's place in the expression is kept this way even
        where sympy would fold it into a constant (2*0.333 is 333/500).
        """
        if not self.decimals:
            return None
        parser = _Parser(self.text, tokenize(self.text), self.allowed, parametric=True)
        try:
            value = parser.parse_top()
        except (ParseError, RecursionError):  # read once already; a second reading should not fail
            return None
        return ImmutableMatrix(value) if isinstance(value, sympy.MatrixBase) else value

    @property
    def has_decimal(self) -> bool:
        """A decimal literal was typed, so the answer is judged to its figures, not exactly."""
        return bool(self.decimals)

    @property
    def is_matrix(self) -> bool:
        return isinstance(self.value, sympy.MatrixBase)

    @property
    def shape(self) -> tuple[int, int] | None:
        return tuple(self.value.shape) if self.is_matrix else None


def symbol(name: str) -> sympy.Symbol:
    """The sympy symbol for a variable name; every part of the engine uses this one constructor."""
    return sympy.Symbol(name, real=True)


# --- grammar --------------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the token list; builds sympy objects as it goes."""

    def __init__(self, text: str, tokens: list[Token], allowed: frozenset[str] | None, parametric: bool = False):
        self.text = text
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.allowed = allowed
        self.decimals: list[Token] = []
        self.parametric = parametric  # decimals read as placeholder symbols (see Parsed.parametric)

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, kind: str, what: str) -> Token:
        if self.tok.kind != kind:
            raise self.unexpected(f"expected {what}")
        return self.advance()

    def unexpected(self, hint: str = "") -> ParseError:
        tok = self.tok
        if tok.kind == "end":
            return ParseError("the input ends too early", tok.col, hint)
        return ParseError(f"unexpected '{tok.text}'", tok.col, hint)

    def unclosed(self, open_tok: Token) -> ParseError:
        if self.tok.kind == "end":
            return ParseError(f"'{open_tok.text}' is never closed", open_tok.col)
        closer = ")" if open_tok.text == "(" else "]"
        return ParseError(
            f"unexpected '{self.tok.text}'", self.tok.col,
            f"expected '{closer}' to close the '{open_tok.text}' at column {open_tok.col}",
        )

    def number(self, tok: Token) -> object:
        """A numeric literal's value; decimals are remembered (and, parametric, stand as symbols)."""
        value, is_decimal = tok.value
        if not is_decimal:
            return value
        self.decimals.append(tok)
        return placeholder(len(self.decimals) - 1) if self.parametric else value

    def nest(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"nested more than {MAX_DEPTH} levels deep", col)

    def unnest(self) -> None:
        self.depth -= 1

    # entry point
    def parse_top(self) -> object:
        if self.tok.kind == "end":
            raise ParseError("nothing to read: the input is empty")
        first = self.parse_sum()
        if self.tok.kind == ",":
            items = [first]
            while self.tok.kind == ",":
                self.advance()
                items.append(self.parse_sum())
            value = build.column_vector(items, 1)
        else:
            value = first
        if self.tok.kind != "end":
            hint = "no bracket is open here" if self.tok.kind in ")]" else ""
            raise self.unexpected(hint)
        return value

    # expression levels
    def parse_sum(self) -> object:
        left = self.parse_product()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.advance()
            right = self.parse_product()
            left = build.combine(left, op.text, right, op.col)
        return left

    def parse_product(self) -> object:
        left = self.parse_unary()
        while True:
            tok = self.tok
            if tok.kind == "op" and tok.text in "*/":
                self.advance()
                right = self.parse_unary()
                left = build.combine(left, tok.text, right, tok.col)
            elif tok.kind in ("name", "(", "[", "sqrt"):
                # Implicit multiplication: 2x1, x1 sin(x2), 2(x + 1), sigma(a)(1 - sigma(a)).
                right = self.parse_power()
                left = build.combine(left, "*", right, tok.col)
            elif tok.kind == "num":
                raise ParseError(
                    f"number '{tok.text}' follows without an operator", tok.col, "add * between them"
                )
            else:
                return left

    def parse_unary(self) -> object:
        tok = self.tok
        if tok.kind == "op" and tok.text in "+-":
            self.advance()
            self.nest(tok.col)
            operand = self.parse_unary()
            self.unnest()
            if tok.text == "-":
                return build.negate(operand)
            return operand
        return self.parse_power()

    def parse_power(self) -> object:
        base = self.parse_postfix()
        tok = self.tok
        if tok.kind == "op" and tok.text == "^":
            self.advance()
            if self.tok.kind == "name" and self.tok.text == "T" and build.is_matrix(base):
                self.advance()
                return base.T
            self.nest(tok.col)
            exponent = self.parse_unary()  # right-associative, allows 2^-x
            self.unnest()
            return build.power(base, exponent, tok.col)
        return base

    def parse_postfix(self) -> object:
        value = self.parse_atom()
        while self.tok.kind in ("sup", "T"):
            tok = self.advance()
            if tok.kind == "T":
                if not build.is_matrix(value):
                    raise ParseError("ᵀ (transpose) applies to a matrix or vector", tok.col)
                value = value.T
            else:
                value = build.power(value, self.superscript_value(tok), tok.col)
        return value

    def superscript_value(self, tok: Token) -> sympy.Rational:
        text = tok.value
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise ParseError(f"cannot read the superscript '{tok.text}'", tok.col)
        return sympy.Integer(int(text))

    def parse_atom(self) -> object:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return self.number(tok)
        if tok.kind == "name":
            return self.parse_name()
        if tok.kind == "(":
            self.advance()
            self.nest(tok.col)
            inner = self.parse_sum()
            if self.tok.kind == ",":
                items = [inner]
                while self.tok.kind == ",":
                    self.advance()
                    items.append(self.parse_sum())
                inner = build.column_vector(items, tok.col)
            if self.tok.kind != ")":
                raise self.unclosed(tok)
            self.advance()
            self.unnest()
            return inner
        if tok.kind == "[":
            return self.parse_matrix()
        if tok.kind == "sqrt":
            self.advance()
            self.nest(tok.col)
            operand = self.parse_postfix()
            self.unnest()
            return build.apply("sqrt", operand, tok.col)
        if tok.kind == "end":
            raise ParseError("something is missing at the end", tok.col)
        raise self.unexpected()

    def parse_name(self) -> object:
        tok = self.advance()
        name = tok.text.replace("_", "")
        if name in FUNCTIONS:
            return self.parse_call(name, tok)
        if name in CONSTANTS:
            return CONSTANTS[name]
        pieces = self.variable_pieces(name, tok)
        product: object = sympy.Integer(1)
        for piece in pieces:
            product = product * symbol(piece)
        return product

    def variable_pieces(self, name: str, tok: Token) -> list[str]:
        if _VARIABLE.match(name) or name in GREEK or name == "ell":
            pieces = [name]
        elif _INDEXED_RUN.match(name):
            pieces = _INDEXED_PIECE.findall(name)  # x1x2 reads as x1*x2
        else:
            hint = ""
            if len(name) == 2 and name.isalpha():
                hint = f"for a product write {name[0]}*{name[1]}"
            raise ParseError(f"unknown name '{tok.text}'", tok.col, hint)
        if self.allowed is not None:
            for piece in pieces:
                if piece not in self.allowed:
                    known = ", ".join(sorted(self.allowed, key=_natural_key)) or "no variables"
                    raise ParseError(f"unknown name '{piece}'", tok.col, f"this uses {known}")
        return pieces

    def parse_call(self, name: str, tok: Token) -> object:
        # sin^2(x) and sin²(x) mean (sin x)^2, as in textbooks.
        power = None
        if self.tok.kind == "sup":
            sup = self.advance()
            power = (self.superscript_value(sup), sup.col)
        elif self.tok.kind == "op" and self.tok.text == "^" and self.tokens[self.pos + 1].kind == "num":
            caret = self.advance()
            power = (self.number(self.advance()), caret.col)
        if self.tok.kind != "(":
            raise ParseError(f"{name} needs parentheses", tok.col, f"write {name}(x)")
        open_tok = self.advance()
        self.nest(open_tok.col)
        argument = self.parse_sum()
        if self.tok.kind == ",":
            raise ParseError(f"{name} takes one argument", self.tok.col)
        if self.tok.kind != ")":
            raise self.unclosed(open_tok)
        self.advance()
        self.unnest()
        result = build.apply(name, argument, tok.col)
        if power is not None:
            result = build.power(result, power[0], power[1])
        return result

    def parse_matrix(self) -> ImmutableMatrix:
        open_tok = self.advance()
        self.nest(open_tok.col)
        if self.tok.kind == "[":
            rows = [self.parse_matrix_row_list()]
            while self.tok.kind == ",":
                self.advance()
                rows.append(self.parse_matrix_row_list())
        else:
            rows = [self.parse_row_entries()]
            while self.tok.kind == ";":
                self.advance()
                rows.append(self.parse_row_entries())
        if self.tok.kind != "]":
            raise self.unclosed(open_tok)
        self.advance()
        self.unnest()
        return build.build_matrix(rows, open_tok.col)

    def parse_matrix_row_list(self) -> list[object]:
        open_tok = self.expect("[", "'[' to start a row")
        self.nest(open_tok.col)
        entries = self.parse_row_entries()
        if self.tok.kind == ";":
            raise ParseError("mix of [[...]] rows and ';' — use one style", self.tok.col)
        if self.tok.kind != "]":
            raise self.unclosed(open_tok)
        self.advance()
        self.unnest()
        return entries

    def parse_row_entries(self) -> list[object]:
        entries = [self.parse_sum()]
        while self.tok.kind == ",":
            self.advance()
            entries.append(self.parse_sum())
        return entries


def _natural_key(name: str) -> tuple:
    head = name.rstrip("0123456789")
    tail = name[len(head):]
    return (head, int(tail) if tail else -1)


# --- public API -----------------------------------------------------------------------------------


def parse(text: str, *, allowed: Iterable[str] | None = None) -> Parsed:
    """Read one expression, vector or matrix. Raises ParseError with a column on bad input.

    ``allowed``, when given, restricts the variable names (e.g. to x1, x2 for a problem in x).
    """
    if not isinstance(text, str):
        raise ParseError("expected text")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    tokens = tokenize(text)
    allowed = frozenset(allowed) if allowed is not None else None
    parser = _Parser(text, tokens, allowed)
    try:
        value = parser.parse_top()
    except RecursionError:
        raise ParseError(f"nested more than {MAX_DEPTH} levels deep") from None
    _check_number_sizes(value)
    if isinstance(value, sympy.MatrixBase):
        value = ImmutableMatrix(value)
        if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise ParseError("the value is undefined (a division by zero?)")
    elif value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ParseError("the value is undefined (a division by zero?)")
    decimals = tuple(
        read_literal(tok.text, tok.col, tok.value[0], k) for k, tok in enumerate(parser.decimals)
    )
    return Parsed(value, decimals, text, allowed)


def _check_number_sizes(value: object) -> None:
    """Refuse a constant of more than MAX_RESULT_DIGITS digits that a product of bounded ones built.

    Each power is bounded as it is built, but 9^999*9^999*9^999*9^999*9^999 multiplies five
    954-digit numbers into one of 4770, which Python then refuses to print (its limit is 4300).
    """
    for number in value.atoms(sympy.Rational):
        bits = max(number.p.bit_length(), number.q.bit_length())
        if bits * _LOG10_2 > build.MAX_RESULT_DIGITS:
            raise ParseError(f"number is too large (over {build.MAX_RESULT_DIGITS} digits)")


def parse_scalar(text: str, *, allowed: Iterable[str] | None = None) -> sympy.Expr:
    """Read one scalar expression; a vector or matrix is refused."""
    parsed = parse(text, allowed=allowed)
    if parsed.is_matrix:
        rows, cols = parsed.shape
        raise ParseError(f"expected a single expression, got a {rows}×{cols} matrix")
    return parsed.value


def split_top_level(text: str) -> list[tuple[str, int]]:
    """Split at commas outside brackets; each piece with its 1-based starting column."""
    pieces: list[tuple[str, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            pieces.append((text[start:i], start + 1))
            start = i + 1
    pieces.append((text[start:], start + 1))
    return pieces


def parse_components(text: str, *, allowed: Iterable[str] | None = None) -> list[sympy.Expr]:
    """Read a map's components written ``expr, expr, ...`` (one per output)."""
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    components = []
    pieces = split_top_level(text)
    for index, (piece, offset) in enumerate(pieces):
        if not piece.strip():
            raise ParseError("empty component (two commas in a row?)", offset)
        try:
            components.append(parse_scalar(piece, allowed=allowed))
        except ParseError as err:
            column = None if err.column is None else err.column + offset - 1
            reason = err.reason
            if index < len(pieces) - 1 and reason in ("something is missing at the end", "the input ends too early"):
                # 'x1 + , x2': the gap is before a comma, not at the end of what was typed.
                reason, column = "something is missing before this comma", offset + len(piece)
            raise ParseError(reason, column) from None
    if len(components) > MAX_MATRIX_DIM:
        raise ParseError(f"at most {MAX_MATRIX_DIM} components")
    return components


def parse_point(text: str | Sequence[object]) -> list[sympy.Expr]:
    """Read a point or a perturbation: ``1,2`` / ``(1, 2)`` / ``[0.01; -0.02]`` -> exact numbers."""
    if not isinstance(text, str):
        text = ",".join(str(item) for item in text)
    stripped = text.strip()
    if stripped[:1] in "([" and stripped[-1:] in ")]":
        parsed = parse(stripped, allowed=())
        if parsed.is_matrix and 1 not in parsed.shape:
            rows, cols = parsed.shape
            raise ParseError(f"a point is a list of numbers, not a {rows}×{cols} matrix")
        values = list(parsed.value) if parsed.is_matrix else [parsed.value]
    else:
        values = parse_components(stripped, allowed=())
    for value in values:
        if value.free_symbols or not value.is_real:
            raise ParseError(f"'{value}' is not a real number")
    return values
