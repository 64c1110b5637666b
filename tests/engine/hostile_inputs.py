"""The hostile-input corpus: text that must never execute, hang or crash the engine.

Each entry says what the parser alone must do with it: ``refused`` (ParseError) or ``value``
(it is well-formed maths that reads quickly; any expensive work on it is bounded by the worker).
Through the CLI every entry must end with exit status 1 or 2, a message and no traceback, within
3 s. ``{pwned}`` is replaced by a path in the test's tmp folder: if anything ran the injected
code, that file would exist.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hostile:
    id: str
    text: str
    parse: str = "refused"  # or "value"
    argv_safe: bool = True  # can be passed as a command-line argument (no NUL, no lone surrogate)

    def with_marker(self, marker: str) -> str:
        return self.text.replace("{pwned}", marker)


def _matrix(rows: int, cols: int, entry) -> str:
    return "[" + "; ".join(", ".join(entry(i, j) for j in range(cols)) for i in range(rows)) + "]"


CORPUS: list[Hostile] = [
    # code injection and Python syntax
    Hostile("subclasses", "().__class__.__bases__[0].__subclasses__()"),
    Hostile("import-os-system", "__import__('os').system('touch {pwned}')"),
    Hostile("import-os-system-dq", '__import__("os").system("touch {pwned}")'),
    Hostile("lambda-call", "(lambda: __import__('os').system('touch {pwned}'))()"),
    Hostile("exec-open", "exec(\"open('{pwned}', 'w')\")"),
    Hostile("eval", "eval('2 + 2')"),
    Hostile("open-write", "open('{pwned}', 'w').write('x')"),
    Hostile("compile", "compile('1', 'f', 'eval')"),
    Hostile("getattr-dunder", "getattr(x, '__class__')"),
    Hostile("dunder-attribute", "x.__class__.__mro__"),
    Hostile("dunder-name", "__builtins__"),
    Hostile("globals", "globals()"),
    Hostile("lambda", "lambda: 1"),
    Hostile("lambda-args", "lambda x: x + 1"),
    Hostile("walrus", "(y := 1)"),
    Hostile("comprehension", "[x for x in range(10)]"),
    Hostile("dict", "{1: 2}"),
    Hostile("fstring", 'f"{x}"'),
    Hostile("conditional", "x if 1 else 2"),
    Hostile("statement", "x; import os"),
    Hostile("import", "import os"),
    Hostile("string-single", "'a string'"),
    Hostile("string-double", '"double quoted"'),
    Hostile("backticks", "`touch {pwned}`"),
    Hostile("shell-substitution", "$(touch {pwned})"),
    Hostile("sql", "'; DROP TABLE attempts; --"),
    Hostile("format-string", "%(x)s {0}"),
    Hostile("matmul", "a @ b"),
    Hostile("modulo", "x % 2"),
    Hostile("floordiv", "x // 2"),
    Hostile("shift", "x << 2"),
    Hostile("invert", "~x"),
    Hostile("comparison", "1 == 1"),
    Hostile("sympy-call", "Symbol('x')"),
    Hostile("sympify-integer", "Integer(2)**Integer(10)"),
    # huge powers and numbers
    Hostile("tower-10", "10^10^10"),
    Hostile("tower-9", "9**9**9**9"),
    Hostile("factorial", "factorial(10^9)"),
    Hostile("factorial-bang", "(10^9)!"),
    Hostile("tower-2", "2^(2^(2^(2^10)))"),
    Hostile("tower-2-flat", "2^2^2^2^2^2^2^2^2^2"),
    Hostile("x-million", "x^1000000"),
    Hostile("x-power-of-power", "x^(10^6)"),
    Hostile("exp-exp-exp", "exp(exp(exp(100)))"),
    Hostile("e-tower", "e^e^e^e^e^e^e"),
    Hostile("exp-huge", "exp(10^100)"),
    Hostile("sin-huge", "sin(10^50)"),
    Hostile("power-of-e-power", "(e^1000)^1000"),
    Hostile("exponent-closed-form", "2^(e^10)"),
    Hostile("near-one-rational", "((1000001/1000000)^1000)^1000"),
    Hostile("near-one-decimal", "(0.999999^1000)^1000"),
    Hostile("big-base", "99999999999999999999^1000"),
    Hostile("sci-huge", "1e101"),
    Hostile("sci-tiny", "1e-101"),
    Hostile("sci-power", "1e100^1000"),
    Hostile("literal-61-digits", "9" * 61),
    Hostile("literal-1999-digits", "9" * 1999),
    Hostile(
        "matrix-12x12-huge-powers",
        _matrix(12, 12, lambda i, j: f"{i + j + 2}^999"),
        parse="value",
    ),
    Hostile("matrix-13x13", _matrix(13, 13, lambda i, j: "1")),
    Hostile("matrix-ragged", "[[1, 2], [3]]"),
    Hostile("polynomial-blowup", "(x1 + x2 + x3 + x4 + x5 + x6)^1000", parse="value"),
    # nesting and size
    Hostile("parens-10000", "(" * 10_000 + "x" + ")" * 10_000),
    Hostile("parens-999", "(" * 999 + "x" + ")" * 999),
    Hostile("parens-41", "(" * 41 + "x" + ")" * 41),
    Hostile("brackets-100", "[" * 100 + "1" + "]" * 100),
    Hostile("minus-5000", "-" * 5000 + "x"),
    Hostile("minus-1000", "-" * 1000 + "x"),
    Hostile("sin-nested-50", "sin(" * 50 + "x" + ")" * 50),
    Hostile("power-chain-500", "x" + "^x" * 500),
    Hostile("sum-100kB", "x+" * 34_000 + "x"),
    Hostile("digits-100kB", "1" * 100_000),
    Hostile("letters-100kB", "x" * 100_000),
    # bytes and characters that are not maths
    Hostile("nul", "\x00", argv_safe=False),
    Hostile("nul-inside", "x\x00+1", argv_safe=False),
    Hostile("escape-sequence", "x\x1b[2J"),
    Hostile("bell", "x\x07"),
    Hostile("backspace", "x\x08\x08y"),
    Hostile("rtl-override", "x\u202ey"),
    Hostile("zero-width-space", "x\u200b+1"),
    Hostile("lone-surrogate", "x\ud800", argv_safe=False),
    Hostile("math-italic", "\U0001d465 + 1"),
    Hostile("fullwidth-letter", "\uff58 + 1"),
    # undefined values
    Hostile("divide-by-zero", "1/0"),
    Hostile("divide-by-difference", "1/(x - x)"),
    Hostile("zero-negative-power", "0^-1"),
    Hostile("log-zero", "log(0)"),
    Hostile("tan-pole", "tan(pi/2)"),
    # empty and broken
    Hostile("empty", ""),
    Hostile("blank", "   \t  "),
    Hostile("only-commas", ",,,"),
    Hostile("unclosed", "sin(x"),
    Hostile("stray-closer", "x)"),
]
