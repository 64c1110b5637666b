"""The LaTeX subset of lesson math, read into a :mod:`~tui_tutor.mathtext.tree` tree.

A tokenizer and a recursive-descent :class:`Parser`. The parser never raises: every problem (an
unknown command, an unbalanced brace, ``\\begin`` without ``\\end``) is collected with its
character offset and parsing carries on, so a screen can still show the formula while
``tui-tutor check`` reports the first problem (:func:`find_problems`). What each command draws is
in :mod:`tui_tutor.mathtext.symbols`. No sympy, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui_tutor.mathtext.symbols import (
    ACCENTS,
    BIG,
    BLACKBOARD,
    CHAR_SYMS,
    DELIM_CHARS,
    DELIM_COMMANDS,
    FONTS,
    IGNORED,
    RAW_CLASSES,
    SPACES,
    SUB_REVERSE,
    SUP_REVERSE,
    SYMBOLS,
    TEXT_COMMANDS,
    to_ascii,
)
from tui_tutor.mathtext.tree import (
    KNOWN_ENVS,
    Accent,
    Arrow,
    Env,
    Fenced,
    Frac,
    Group,
    Node,
    Scripts,
    Sqrt,
    Sym,
)


@dataclass(frozen=True)
class _Tok:
    kind: str  # cmd, char, space, row (\\), { } ^ _ & '
    text: str
    pos: int


def _tokenize(tex: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(tex)
    while i < n:
        c = tex[i]
        if c == "\\":
            j = i + 1
            if j < n and tex[j].isascii() and tex[j].isalpha():
                while j < n and tex[j].isascii() and tex[j].isalpha():
                    j += 1
                toks.append(_Tok("cmd", tex[i + 1:j], i))
            elif j < n and tex[j] == "\\":
                toks.append(_Tok("row", "\\\\", i))
                j += 1
            elif j < n:
                toks.append(_Tok("cmd", tex[j], i))
                j += 1
            else:
                toks.append(_Tok("cmd", "", i))
            i = j
        elif c.isspace():
            j = i
            while j < n and tex[j].isspace():
                j += 1
            toks.append(_Tok("space", " ", i))
            i = j
        else:
            toks.append(_Tok(c if c in "{}^_&" else "char", c, i))
            i += 1
    return toks


def _key(tok: _Tok) -> str:
    if tok.kind == "cmd":
        return "\\" + tok.text
    if tok.kind == "char":
        return "char:" + tok.text
    return tok.kind


_STRUCTURE = frozenset({"&", "row", "\\end", "}"})


class Parser:
    """Recursive descent over tokens; problems are collected, never raised, so rendering degrades."""

    def __init__(self, tex: str):
        self.tex = tex
        self.toks = _tokenize(tex)
        self.i = 0
        self.errors: list[tuple[int, str]] = []

    def error(self, pos: int, message: str) -> None:
        self.errors.append((pos, message))

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def skip_space(self) -> None:
        while self.i < len(self.toks) and self.toks[self.i].kind == "space":
            self.i += 1

    def parse(self) -> Node:
        rows = self.rows(None, 0)
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else Env("", rows)

    def rows(self, env: str | None, begin: int) -> list[list[Group]]:
        rows: list[list[Group]] = [[]]
        cell: list = []
        while True:
            items, stop = self.items({"&", "row", "\\end"})
            cell.extend(items)
            if stop is None:
                if env is not None:
                    self.error(begin, f"\\begin{{{env}}} is never closed (add \\end{{{env}}})")
                rows[-1].append(Group(cell))
                return rows
            if stop.kind == "cmd":  # \end
                name = self.raw_argument(stop)
                if env is None:
                    self.error(stop.pos, f"\\end{{{name}}} without a \\begin{{{name}}}")
                    cell.append(Sym(f"\\end{{{name}}}", f"\\end{{{name}}}"))  # shown, not lost
                    continue
                if name != env:
                    self.error(stop.pos, f"\\end{{{name}}} does not match \\begin{{{env}}}")
                rows[-1].append(Group(cell))
                return rows
            if stop.kind == "&" and env is None:
                self.error(stop.pos, "& outside an environment (put it inside \\begin{aligned} or a matrix)")
            rows[-1].append(Group(cell))
            cell = []
            if stop.kind == "row":
                rows.append([])

    def items(self, stops: set[str], soft: frozenset[str] = frozenset()) -> tuple[list, _Tok | None]:
        """Nodes up to a stop token (consumed and returned) or a soft stop / the end (None)."""
        items: list = []
        while (tok := self.peek()) is not None:
            key = _key(tok)
            if key in soft and key not in stops:
                return items, None
            self.i += 1
            if key in stops:
                return items, tok
            if tok.kind == "{":
                inner, stop = self.items({"}"})
                if stop is None:
                    self.error(tok.pos, "unclosed { (add a matching })")
                items.append(Group(inner))
            elif tok.kind == "}":
                self.error(tok.pos, "unmatched } (no { opens it)")
            elif tok.kind in "^_":
                self.attach(items, tok.kind == "^", self.argument(tok), tok.pos)
            elif tok.kind in ("&", "row"):
                self.error(tok.pos, f"{tok.text} must be at the top level of an environment, not in braces")
            elif tok.kind == "char":
                self.char(tok, items)
            elif tok.kind == "cmd":
                node = self.command(tok)
                if node is not None:
                    items.append(node)
        return items, None

    def attach(self, items: list, sup: bool, arg: Group, pos: int) -> None:
        base = items.pop() if items else None
        if not isinstance(base, Scripts):
            base = Scripts(base)
        slot = "sup" if sup else "sub"
        if getattr(base, slot) is not None:
            mark = "^" if sup else "_"
            self.error(pos, f"double {'super' if sup else 'sub'}script: write x{mark}{{ab}}, not x{mark}a{mark}b")
            arg = Group(getattr(base, slot).items + arg.items)
        setattr(base, slot, arg)
        items.append(base)

    def char(self, tok: _Tok, items: list) -> None:
        c = tok.text
        if c.isdigit() and c.isascii():
            # A number is one symbol (so 0.01 needs no brackets in a fraction).
            number = c
            while (t := self.peek()) is not None and t.kind == "char" and (
                (t.text.isdigit() and t.text.isascii())
                or (t.text == "." and self.i + 1 < len(self.toks) and self.toks[self.i + 1].text.isdigit())
            ):
                number += t.text
                self.i += 1
            items.append(Sym(number, number))
            return
        table = SUP_REVERSE if c in SUP_REVERSE else SUB_REVERSE if c in SUB_REVERSE else None
        if table is not None:  # x₁ or ℝⁿ typed as Unicode: the same as x_1, \mathbb{R}^n
            run = [Sym(table[c], table[c])]
            while (t := self.peek()) is not None and t.kind == "char" and t.text in table:
                run.append(self.char_sym(table[t.text]))
                self.i += 1
            self.attach(items, table is SUP_REVERSE, Group(run), tok.pos)
            return
        if c == "$":
            self.error(tok.pos, "$ inside a formula (write \\$ for a dollar sign)")
        items.append(self.char_sym(c))

    @staticmethod
    def char_sym(c: str) -> Sym:
        if c in CHAR_SYMS:
            return CHAR_SYMS[c]
        if c.isascii():
            return Sym(c, c)
        return Sym(c, to_ascii(c), RAW_CLASSES.get(c, "ord"), diff=c == "∂")

    def argument(self, tok: _Tok) -> Group:
        """One argument: a {group}, one character or one command (with its own arguments)."""
        self.skip_space()
        t = self.peek()
        what = "^" if tok.kind == "^" else "_" if tok.kind == "_" else "\\" + tok.text
        if t is None or t.kind in ("}", "&", "row", "^", "_"):
            self.error(tok.pos, f"{what} is missing its argument")
            return Group([])
        self.i += 1
        if t.kind == "{":
            inner, stop = self.items({"}"})
            if stop is None:
                self.error(t.pos, "unclosed { (add a matching })")
            return Group(inner)
        if t.kind == "cmd":
            node = self.command(t)
            return Group([node] if node is not None else [])
        return Group([self.char_sym(t.text)])

    def raw_argument(self, tok: _Tok) -> str:
        """The source text of a {group}, for \\text, \\operatorname and environment names."""
        self.skip_space()
        t = self.peek()
        if t is None or t.kind != "{":
            if t is not None and t.kind == "char":
                self.i += 1
                return t.text
            self.error(tok.pos, f"\\{tok.text} is missing its {{argument}}")
            return ""
        depth = 0
        for j in range(self.i, len(self.toks)):
            kind = self.toks[j].kind
            depth += (kind == "{") - (kind == "}")
            if depth == 0:
                self.i = j + 1
                return self.tex[t.pos + 1:self.toks[j].pos]
        self.error(t.pos, "unclosed { (add a matching })")
        self.i = len(self.toks)
        return self.tex[t.pos + 1:]

    def optional(self) -> Group | None:
        save = self.i
        self.skip_space()
        t = self.peek()
        if t is not None and t.kind == "char" and t.text == "[":
            self.i += 1
            inner, stop = self.items({"char:]"}, soft=_STRUCTURE)
            if stop is None:
                self.error(t.pos, "unclosed [ (add a matching ])")
            return Group(inner)
        self.i = save
        return None

    def delimiter(self, tok: _Tok) -> Sym | None:
        self.skip_space()
        t = self.peek()
        found = None
        if t is not None and t.kind == "char":
            found = DELIM_CHARS.get(t.text)
        elif t is not None and t.kind == "cmd":
            found = DELIM_COMMANDS.get(t.text)
        if found is None:
            self.error(tok.pos, f"\\{tok.text} needs a delimiter after it, such as ( [ | or .")
            return None
        self.i += 1
        return Sym(*found)

    def command(self, tok: _Tok) -> Node | None:
        name = tok.text
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in SPACES:
            return Sym(SPACES[name], SPACES[name], "space")
        if name in IGNORED:
            return None
        if name in FONTS:  # bold and roman can't show in a terminal; the letters can
            return self.argument(tok)
        if name == "mathbb":
            arg = self.argument(tok)
            return Group([Sym(BLACKBOARD[s.uni], s.asc) if isinstance(s, Sym) and s.uni in BLACKBOARD
                          else s for s in arg.items])
        if name in TEXT_COMMANDS:
            words = _unescape(self.raw_argument(tok))
            return Sym(words, to_ascii(words), "text")
        if name == "operatorname":
            words = _unescape(self.raw_argument(tok))
            return Sym(words, to_ascii(words), "fn")
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            return Frac(self.argument(tok), self.argument(tok))
        if name == "sqrt":
            index = self.optional()
            return Sqrt(self.argument(tok), index)
        if name in ACCENTS:
            return Accent(ACCENTS[name], self.argument(tok))
        if name in ("xrightarrow", "xleftarrow"):
            self.optional()
            return Arrow(self.argument(tok), leftward=name == "xleftarrow")
        if name == "left":
            opening = self.delimiter(tok)
            body, stop = self.items({"\\right"}, soft=_STRUCTURE)
            if stop is None:
                self.error(tok.pos, "\\left without a matching \\right")
            return Fenced(opening, Group(body), self.delimiter(stop) if stop else None)
        if name == "right":
            self.error(tok.pos, "\\right without a \\left before it")
            return self.delimiter(tok)
        if name in BIG:
            return self.delimiter(tok)
        if name == "begin":
            env = self.raw_argument(tok).strip()
            if env not in KNOWN_ENVS or not env:
                known = ", ".join(sorted(e for e in KNOWN_ENVS if e))
                self.error(tok.pos, f"unknown environment {env!r} (known: {known})")
            return Env(env, self.rows(env, tok.pos))
        if name == "end":
            env = self.raw_argument(tok)
            self.error(tok.pos, f"\\end{{{env}}} without a matching \\begin")
            return Sym(f"\\end{{{env}}}", f"\\end{{{env}}}")
        if name == "":
            self.error(tok.pos, "a lone \\ at the end")
            return Sym("\\", "\\")
        self.error(tok.pos, f"unknown command \\{name}")
        shown = Sym("\\" + name, "\\" + name, "fn")  # "fn": kept apart from letters, as in TeX
        if (t := self.peek()) is not None and t.kind == "{":
            self.i += 1
            inner, stop = self.items({"}"})
            if stop is None:
                self.error(t.pos, "unclosed { (add a matching })")
            return Group([shown, Group(inner, braces=True)])
        return shown


def _unescape(words: str) -> str:
    out, i = "", 0
    while i < len(words):
        if words[i] == "\\" and i + 1 < len(words) and words[i + 1] in "{}$%&_#\\ ":
            out += words[i + 1]
            i += 2
        else:
            out += " " if words[i] == "~" else words[i]
            i += 1
    return out


def find_problems(tex: str) -> list[tuple[int, str]]:
    """Every problem in a formula as (character offset, message); empty when it is fine."""
    parser = Parser(tex)
    try:
        parser.parse()
    except RecursionError:
        return [(0, "formula nested too deeply")]
    return parser.errors
