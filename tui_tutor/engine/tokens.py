"""Tokens: the first step of the one safe parser (see :mod:`tui_tutor.engine.parse`).

Turns text into a list of tokens with 1-based columns, reading pasted Unicode (``· × − ² x₁ √ π``)
as its ASCII meaning, numbers as exact rationals (0.09 is 9/100) and refusing anything outside
the grammar's alphabet with a message that points at the character.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from tui_tutor.engine.errors import ParseError

MAX_TOKENS = 800
MAX_DIGITS = 60  # digits in one numeric literal
MAX_SCI_EXPONENT = 100  # |n| in 1e<n>

# Unicode a person pastes, mapped to what it means here.
UNICODE_OPERATORS = {
    "·": "*", "⋅": "*", "×": "*", "∗": "*", "•": "*", "∙": "*",
    "÷": "/", "∕": "/",
    "−": "-", "–": "-", "‐": "-", "‑": "-", "﹣": "-", "－": "-", "＋": "+",
}
GREEK_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "ρ": "rho", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega", "π": "pi", "σ": "sigma", "ℓ": "ell",
}
SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+"))
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
SPACES = " \t\r\n\u00a0\u2009\u202f\u2002\u2003"


@dataclass(frozen=True)
class Token:
    kind: str  # num name op ( ) [ ] , ; sup sqrt T end
    text: str
    col: int  # 1-based column in the original text
    value: object = None  # num: (Rational, is_decimal); sup: exponent text


def _describe(ch: str) -> str:
    if ch in "'\"`":
        return "quote mark (text in quotes is not maths)"
    if ch.isprintable() and not ch.isspace():
        return f"'{ch}'"
    return f"character U+{ord(ch):04X}"


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an ``end`` token; raises ParseError on a stray character."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        col = i + 1
        if ch in SPACES:
            i += 1
            continue
        if ch.isdigit() and ch.isascii() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            j = i
            while j < n and text[j].isascii() and text[j].isdigit():
                j += 1
            is_decimal = False
            if j < n and text[j] == ".":
                is_decimal = True
                j += 1
                while j < n and text[j].isascii() and text[j].isdigit():
                    j += 1
            if j < n and text[j] in "eE":
                k = j + 1
                if k < n and text[k] in "+-":
                    k += 1
                if k < n and text[k].isascii() and text[k].isdigit():
                    while k < n and text[k].isascii() and text[k].isdigit():
                        k += 1
                    is_decimal = True
                    j = k
            literal = text[i:j]
            tokens.append(Token("num", literal, col, (number(literal, col), is_decimal)))
            i = j
            continue
        if ch.isascii() and ch.isalpha() or ch in GREEK_LETTERS:
            j = i
            name = []
            while j < n:
                c = text[j]
                if c.isascii() and (c.isalnum() or c == "_"):
                    name.append(c)
                elif c in SUBSCRIPTS:
                    name.append(SUBSCRIPTS[c])
                elif c in GREEK_LETTERS and j == i:
                    name.append(GREEK_LETTERS[c])
                else:
                    break
                j += 1
            tokens.append(Token("name", "".join(name), col))
            i = j
            continue
        if ch in SUPERSCRIPTS:
            j = i
            while j < n and text[j] in SUPERSCRIPTS:
                j += 1
            exponent = "".join(SUPERSCRIPTS[c] for c in text[i:j])
            tokens.append(Token("sup", text[i:j], col, exponent))
            i = j
            continue
        if ch == "ᵀ":
            tokens.append(Token("T", ch, col))
            i += 1
            continue
        if ch == "√":
            tokens.append(Token("sqrt", ch, col))
            i += 1
            continue
        if text.startswith("**", i):
            tokens.append(Token("op", "^", col))
            i += 2
            continue
        op = UNICODE_OPERATORS.get(ch, ch)
        if op in "+-*/^":
            tokens.append(Token("op", op, col))
        elif op in "()[],;":
            tokens.append(Token(op, op, col))
        elif op == "|":
            raise ParseError("write abs(...) for an absolute value, not |...|", col)
        elif op == "!":
            raise ParseError("factorials are not supported", col)
        elif op == "=":
            raise ParseError("type only the answer's value, without '='", col)
        else:
            raise ParseError(f"unexpected {_describe(ch)}", col)
        i += 1
        if len(tokens) > MAX_TOKENS:
            raise ParseError(f"input is too long (more than {MAX_TOKENS} symbols)")
    tokens.append(Token("end", "", n + 1))
    return tokens


def number(literal: str, col: int) -> sympy.Rational:
    """An exact rational for a numeric literal (decimals stay exact: 0.09 is 9/100)."""
    mantissa, _, exponent = literal.lower().partition("e")
    digits = mantissa.replace(".", "")
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise ParseError(f"number has more than {MAX_DIGITS} digits", col)
    whole, _, frac = mantissa.partition(".")
    value = sympy.Rational(int(whole or "0") * 10 ** len(frac) + int(frac or "0"), 10 ** len(frac))
    if exponent:
        power = int(exponent)
        if abs(power) > MAX_SCI_EXPONENT:
            raise ParseError(f"exponent in '{literal}' is larger than {MAX_SCI_EXPONENT}", col)
        value = value * sympy.Rational(10) ** power
    return value
