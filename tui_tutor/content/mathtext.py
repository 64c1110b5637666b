r"""Lesson math, written in a LaTeX subset, as readable terminal text (Unicode, or ASCII for --ascii).

Content authors write what a maths teacher already knows: ``$f \circ g$``, ``x_1``,
``\frac{\partial y_2}{\partial x_3}``, ``\begin{bmatrix} ... \end{bmatrix}``. This module parses
that subset and renders it as one line (:func:`render_inline`, for prose) or as a multi-line
:class:`~tui_tutor.engine.render.Block` (:func:`render_display`, with stacked fractions, drawn
matrices and aligned equations; layout lives in :mod:`tui_tutor.content.mathlayout`).

Rendering never raises: an unknown command is shown as written (``\foo``) so a screen never
crashes on a typo. :func:`validate` is the strict side, for ``tui-tutor check``: it raises
:class:`MathTextError` with the character offset of the first problem.

No sympy and no Textual: the app imports this before sympy has loaded.

Spacing follows TeX, simplified for a terminal: one space around relations (= ≈ → ∈) and binary
+ −, one after a comma; none around · × ∘ / (so ``1\times m`` reads 1×m, a shape), none inside
sub/superscripts. ``\,`` ``\;`` ``\ `` ``~`` are one space, ``\quad`` two, ``\qquad`` four.

ASCII (``ascii=True``): every character is ASCII, and still reads as maths. The choices:

    LaTeX               Unicode      ASCII
    x_1, x_i, x_{ij}    x₁ xᵢ xᵢⱼ     x1 x_i x_(ij)  digits join a single letter, as people type;
                                                    a longer script is bracketed, never dropped
    x^2, h^{(1)}        x² h⁽¹⁾      x^2 h^(1)      (Unicode too falls back to x^(..) when a
                                                    character has no superscript form)
    A^\top, \top        Aᵀ           A^T
    \mathbb{R}^n        ℝⁿ           R^n
    f \circ g           f∘g          f o g
    \partial            ∂            d              ∂y/∂x -> dy/dx, Leibniz as on paper
    \Delta              Δ            Delta          a finite change: "Delta x", never mistaken for d
    \delta              δ            delta
    \nabla              ∇            grad
    \sum, \prod         ∑ ∏          sum prod       (\Sigma, \Pi the letters: Sigma, Pi)
    \ell                ℓ            l
    Greek letters       σ θ Φ        sigma theta Phi   (capital name for a capital; \varphi is phi)
    \hat{y}             ŷ            y_hat          also _bar _tilde _dot _vec
    \cdot, \times       · ×          * x            shapes read 2x3, as in engine.render
    \to, \xrightarrow{g}  → ─g→      -> -g->
    \mapsto, \Rightarrow  ↦ ⇒        |-> =>
    \approx, \equiv     ≈ ≡          ~= ==
    \le \ge \ne         ≤ ≥ ≠        <= >= !=
    \in, \notin         ∈ ∉          in, not in
    \pm, \odot          ± ⊙          +/- (.)
    \infty              ∞            inf
    \|x\|               ‖x‖          ||x||
    \sqrt{x}, \sqrt{x+1}  √x √(x + 1)  sqrt(x) sqrt(x + 1)
    \frac{a}{b}         a/b          a/b            display mode: stacked over ─ (ASCII -)
    \ldots, \cdots      … ⋯          ...
    \vdots, \ddots      ⋮ ⋱          :  \
    -, '                − ′          -  '
    \bmatrix inline     [a, b; c, d] [a, b; c, d]   the scratchpad's answer syntax

:func:`to_ascii` applies the same table to Unicode typed directly (prose, or math pasted as
Unicode), plus typography: curly quotes, dashes (– -, — --), ellipsis, non-breaking spaces.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tui_tutor.content import mathlayout as layout
from tui_tutor.content.mathlayout import (
    KNOWN_ENVS, SUBSCRIPTS, SUPERSCRIPTS, Accent, Arrow, Env, Fenced, Frac, Group, Node, Scripts,
    Sqrt, Sym,
)
from tui_tutor.engine.render import Block

__all__ = [
    "MathTextError", "render_inline", "render_display", "split_inline", "render_prose",
    "validate", "to_ascii",
]

_log = logging.getLogger(__name__)

# --- vocabulary -------------------------------------------------------------------------------------

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    # Capitals that look different from Latin ones (TeX has no \Alpha).
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
_ORD = {
    "partial": ("∂", "d"), "nabla": ("∇", "grad"), "ell": ("ℓ", "l"), "infty": ("∞", "inf"),
    "ldots": ("…", "..."), "dots": ("…", "..."), "cdots": ("⋯", "..."), "vdots": ("⋮", ":"),
    "ddots": ("⋱", "\\"), "cdot": ("·", "*"), "times": ("×", "x"), "circ": ("∘", " o "),
    "prime": ("′", "'"), "|": ("‖", "||"), "Vert": ("‖", "||"), "vert": ("|", "|"),
    "forall": ("∀", "for all"), "exists": ("∃", "exists"), "emptyset": ("∅", "{}"),
    "neg": ("¬", "not "), "backslash": ("\\", "\\"), "%": ("%", "%"), "$": ("$", "$"),
    "&": ("&", "&"), "#": ("#", "#"), "_": ("_", "_"),
}
_REL = {
    "to": ("→", "->"), "rightarrow": ("→", "->"), "leftarrow": ("←", "<-"), "gets": ("←", "<-"),
    "leftrightarrow": ("↔", "<->"), "mapsto": ("↦", "|->"), "Rightarrow": ("⇒", "=>"),
    "implies": ("⇒", "=>"), "Leftarrow": ("⇐", "<="), "iff": ("⇔", "<=>"),
    "Leftrightarrow": ("⇔", "<=>"), "approx": ("≈", "~="), "sim": ("∼", "~"),
    "simeq": ("≃", "~="), "equiv": ("≡", "=="), "propto": ("∝", "~"), "in": ("∈", "in"),
    "notin": ("∉", "not in"), "subset": ("⊂", "subset"), "subseteq": ("⊆", "subseteq"),
    "le": ("≤", "<="), "leq": ("≤", "<="), "ge": ("≥", ">="), "geq": ("≥", ">="),
    "ne": ("≠", "!="), "neq": ("≠", "!="), "ll": ("≪", "<<"), "gg": ("≫", ">>"),
}
_BIN = {
    "pm": ("±", "+/-"), "mp": ("∓", "-/+"), "ast": ("∗", "*"), "div": ("÷", "/"),
    "cup": ("∪", "union"), "cap": ("∩", "intersect"), "setminus": ("∖", "\\"),
    "oplus": ("⊕", "(+)"), "otimes": ("⊗", "(x)"), "odot": ("⊙", "(.)"),
    "wedge": ("∧", "and"), "land": ("∧", "and"), "vee": ("∨", "or"), "lor": ("∨", "or"),
}
_OPS = {"sum": ("∑", "sum"), "prod": ("∏", "prod"), "int": ("∫", "int")}
_LIMIT_NAMES = ("lim", "max", "min", "sup", "inf", "argmax", "argmin")
_FUNCTIONS = (
    "sin cos tan sec csc cot sinh cosh tanh arcsin arccos arctan exp log ln det dim ker arg deg "
    "gcd Pr"
).split()
_SPACES = {",": " ", ":": " ", ";": " ", " ": " ", "quad": "  ", "qquad": "    ", "!": "",
           "enspace": " ", "thinspace": " "}
_IGNORED = {"displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "nonumber", "notag"}
_FONTS = {"mathbf", "boldsymbol", "bm", "pmb", "mathrm", "mathit", "mathsf", "mathtt", "mathcal",
          "mathscr", "mathfrak", "mathnormal"}
_TEXT_COMMANDS = {"text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox"}
_ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde",
            "widetilde": "tilde", "dot": "dot", "ddot": "ddot", "vec": "vec"}
_BIG = {"big", "Big", "bigg", "Bigg", "bigl", "Bigl", "biggl", "Biggl", "bigr", "Bigr", "biggr",
        "Biggr", "bigm", "Bigm"}
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ"}

# Delimiters after \left, \right, \bigl ...: (unicode, ascii, class).
_DELIM_CHARS = {"(": ("(", "(", "open"), ")": (")", ")", "close"), "[": ("[", "[", "open"),
                "]": ("]", "]", "close"), "|": ("|", "|", "ord"), ".": ("", "", "open"),
                "/": ("/", "/", "ord"), "<": ("⟨", "<", "open"), ">": ("⟩", ">", "close")}
_DELIM_COMMANDS = {"{": ("{", "{", "open"), "}": ("}", "}", "close"), "|": ("‖", "||", "ord"),
                   "lbrace": ("{", "{", "open"), "rbrace": ("}", "}", "close"),
                   "langle": ("⟨", "<", "open"), "rangle": ("⟩", ">", "close"),
                   "lvert": ("|", "|", "open"), "rvert": ("|", "|", "close"), "vert": ("|", "|", "ord"),
                   "lVert": ("‖", "||", "open"), "rVert": ("‖", "||", "close"),
                   "Vert": ("‖", "||", "ord")}


def _build_symbols() -> dict[str, Sym]:
    table: dict[str, Sym] = {}
    for name, uni in _GREEK.items():
        table[name] = Sym(uni, name.removeprefix("var"))  # \varepsilon is still epsilon
    for name, (uni, asc) in _ORD.items():
        table[name] = Sym(uni, asc, diff=name == "partial")
    for source, cls in ((_REL, "rel"), (_BIN, "bin")):
        for name, (uni, asc) in source.items():
            table[name] = Sym(uni, asc, cls)
    for name, (uni, asc) in _OPS.items():
        table[name] = Sym(uni, asc, "op", limits=name != "int")
    for name in _LIMIT_NAMES:
        table[name] = Sym(name, name, "op", limits=True)
    for name in _FUNCTIONS:
        table[name] = Sym(name, name, "fn")
    for name, (uni, asc, cls) in _DELIM_COMMANDS.items():
        table.setdefault(name, Sym(uni, asc, cls))
    # \top is the transpose here: ᵀ on its own, and "T" inside a superscript (A^\top -> Aᵀ, A^T).
    table["top"] = table["intercal"] = Sym("ᵀ", "^T", script="T")
    table["colon"] = Sym(":", ":", "colon")
    return table


_SYMBOLS = _build_symbols()

# Plain characters in math mode. "-" is drawn as a real minus sign.
_CHAR_SYMS = {
    "+": Sym("+", "+", "bin"), "-": Sym("−", "-", "bin"), "*": Sym("*", "*", "bin"),
    "=": Sym("=", "=", "rel"), "<": Sym("<", "<", "rel"), ">": Sym(">", ">", "rel"),
    "(": Sym("(", "(", "open"), "[": Sym("[", "[", "open"), ")": Sym(")", ")", "close"),
    "]": Sym("]", "]", "close"), ",": Sym(",", ",", "punct"), ";": Sym(";", ";", "punct"),
    ":": Sym(":", ":", "colon"), "~": Sym(" ", " ", "space"), "'": Sym("′", "'"),
}
# Unicode typed directly into math keeps the spacing its LaTeX twin would get.
_RAW_CLASSES = {**{c: "rel" for c in "→←↦⇒⇔≈≤≥≠∈∉≡∼"}, **{c: "bin" for c in "±∓−"}}

# --- ASCII transliteration --------------------------------------------------------------------------

_TYPOGRAPHY = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "′": "'", "″": "''",
    "–": "-", "—": "--", "―": "--", "‐": "-", "‑": "-", "−": "-", "…": "...", "•": "*",
    "⋅": "*", "×": "x", "÷": "/", "★": "*", "☆": ".", "°": " deg", "\u00a0": " ", "\u2009": " ",
    "\u202f": " ", "\u2002": " ", "\u2003": " ", "\u200a": " ", "\u200b": "", "\u2060": "",
    "⟶": "-->", "∑": "sum", "∏": "prod", "ᵀ": "^T", "⊤": "^T", "√": "sqrt", "ℓ": "l",
    "ŷ": "y_hat", "ȳ": "y_bar", "ẋ": "x_dot", "ẏ": "y_dot",
}
_CHAR_ASCII: dict[str, str] = {}
for _sym in list(_SYMBOLS.values()) + list(_CHAR_SYMS.values()):
    if len(_sym.uni) == 1 and not _sym.uni.isascii():
        _CHAR_ASCII.setdefault(_sym.uni, _sym.asc)
_CHAR_ASCII.update({v: k for k, v in _BLACKBOARD.items()})
_CHAR_ASCII.update(_TYPOGRAPHY)
_SUP_REVERSE: dict[str, str] = {}
for _k, _v in SUPERSCRIPTS.items():
    if _v != "′":
        _SUP_REVERSE.setdefault(_v, _k)
_SUB_REVERSE: dict[str, str] = {}
for _k, _v in SUBSCRIPTS.items():
    _SUB_REVERSE.setdefault(_v, _k)
_ACCENT_SUFFIX = {mark: "_" + name for name, mark in layout.COMBINING.items()}


def _char_ascii(c: str) -> str:
    if c in _CHAR_ASCII:
        return _CHAR_ASCII[c]
    if c in _ACCENT_SUFFIX:
        return _ACCENT_SUFFIX[c]
    if unicodedata.combining(c):
        return ""  # a mark the table doesn't name: the letter alone still reads
    decomposed = unicodedata.normalize("NFKD", c)
    if decomposed != c:
        # Precomposed letters are prose (naïve, é): drop the accent. Maths marks arrive as
        # combining characters (θ̂) and keep their name above; ŷ and friends are in the table.
        return to_ascii("".join(ch for ch in decomposed if not unicodedata.combining(ch)))
    return f"[U+{ord(c):04X}]"  # visible and searchable, never a silent "?"


def to_ascii(text: str) -> str:
    """Any text as pure ASCII: the module table for maths symbols, plus typography.

    Names are kept apart from letters (``Δx`` -> ``Delta x``, ``x∈S`` -> ``x in S``) and runs of
    sub/superscript characters become ``x1``, ``x_i``, ``R^n``, ``h^(1)``.
    """
    out = ""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isascii():
            out += c
            i += 1
            continue
        table = _SUP_REVERSE if c in _SUP_REVERSE else _SUB_REVERSE if c in _SUB_REVERSE else None
        if table is not None:
            j = i
            while j < n and text[j] in table:
                j += 1
            base = out[-1] if out[-1:].isalpha() and not out[-2:-1].isalnum() else ""
            out += layout.script_text(base, "".join(table[ch] for ch in text[i:j]),
                                      sup=table is _SUP_REVERSE, ascii=True)[0]
            i = j
            continue
        rep = _char_ascii(c)
        core = rep.strip()
        if len(core) > 1 and core.replace(" ", "").isalpha():
            rep = (" " if out[-1:].isalnum() else "") + core + (" " if text[i + 1:i + 2].isalnum() else "")
        elif rep.startswith(" ") and out.endswith(" "):
            rep = rep.lstrip()
        out += rep
        i += 1
    return out


# --- tokens and parser ------------------------------------------------------------------------------


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


class _Parser:
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
        table = _SUP_REVERSE if c in _SUP_REVERSE else _SUB_REVERSE if c in _SUB_REVERSE else None
        if table is not None:  # x₁ or ℝⁿ typed as Unicode: the same as x_1, \mathbb{R}^n
            run = [Sym(table[c], table[c])]
            while (t := self.peek()) is not None and t.kind == "char" and t.text in table:
                run.append(self.char_sym(table[t.text]))
                self.i += 1
            self.attach(items, table is _SUP_REVERSE, Group(run), tok.pos)
            return
        if c == "$":
            self.error(tok.pos, "$ inside a formula (write \\$ for a dollar sign)")
        items.append(self.char_sym(c))

    @staticmethod
    def char_sym(c: str) -> Sym:
        if c in _CHAR_SYMS:
            return _CHAR_SYMS[c]
        if c.isascii():
            return Sym(c, c)
        return Sym(c, to_ascii(c), _RAW_CLASSES.get(c, "ord"), diff=c == "∂")

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
            found = _DELIM_CHARS.get(t.text)
        elif t is not None and t.kind == "cmd":
            found = _DELIM_COMMANDS.get(t.text)
        if found is None:
            self.error(tok.pos, f"\\{tok.text} needs a delimiter after it, such as ( [ | or .")
            return None
        self.i += 1
        return Sym(*found)

    def command(self, tok: _Tok) -> Node | None:
        name = tok.text
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _SPACES:
            return Sym(_SPACES[name], _SPACES[name], "space")
        if name in _IGNORED:
            return None
        if name in _FONTS:  # bold and roman can't show in a terminal; the letters can
            return self.argument(tok)
        if name == "mathbb":
            arg = self.argument(tok)
            return Group([Sym(_BLACKBOARD[s.uni], s.asc) if isinstance(s, Sym) and s.uni in _BLACKBOARD
                          else s for s in arg.items])
        if name in _TEXT_COMMANDS:
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
        if name in _ACCENTS:
            return Accent(_ACCENTS[name], self.argument(tok))
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
        if name in _BIG:
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


# --- public API -------------------------------------------------------------------------------------


class MathTextError(ValueError):
    """A problem in lesson math: ``.position`` is the 0-based character offset, ``.message`` says what."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


def _top_items(root: Node) -> list:
    return root.items if isinstance(root, Group) and not root.braces else [root]


@lru_cache(maxsize=4096)
def render_inline(tex: str, *, ascii: bool = False) -> str:
    """A formula on one line: ``x_1`` -> ``x₁``, ``\\frac{\\partial y}{\\partial x}`` -> ``∂y/∂x``.

    Matrices become ``[a, b; c, d]``, aligned rows are joined with ``;``. ``ascii=True`` gives
    pure ASCII (see the module table). Never raises: unknown commands show as written.
    """
    try:
        root = _Parser(tex).parse()
        out = layout.text(layout.pieces(_top_items(root), layout.Ctx(ascii=ascii))).strip()
    except Exception:  # a screen must never crash on lesson text; `check` reports the cause
        _log.exception("could not render inline math %r", tex)
        out = tex
    return to_ascii(out) if ascii else out


@lru_cache(maxsize=1024)
def render_display(tex: str, *, ascii: bool = False) -> Block:
    """A display formula as lines: stacked fractions, drawn matrices, aligned ``align*`` rows.

    The Block's baseline is the row that lines up with neighbouring text (the fraction rule, the
    middle of a matrix). Never raises.
    """
    try:
        root = _Parser(tex).parse()
        block = layout.hjoin(layout.pieces(_top_items(root), layout.Ctx(ascii=ascii, display=True)))
    except Exception:  # as in render_inline: degrade to the source, log the detail
        _log.exception("could not render display math %r", tex)
        block = Block((tex,), 0)
    lines = tuple((to_ascii(line) if ascii else line).rstrip() for line in block.lines)
    return Block(lines, block.baseline)


def _scan(text: str) -> tuple[list[tuple[str, bool, int]], list[int]]:
    """Prose split at $...$ / $$...$$: (segment, is_math, offset of its first character), and the
    offsets of ``$`` signs that open nothing."""
    segments: list[tuple[str, bool, int]] = []
    unclosed: list[int] = []
    prose, prose_start = "", 0
    i, n = 0, len(text)
    while i < n:
        if text.startswith("\\$", i):
            prose += "$"
            i += 2
            continue
        if text[i] != "$":
            prose += text[i]
            i += 1
            continue
        delim = "$$" if text.startswith("$$", i) else "$"
        start = i + len(delim)
        end = _closing(text, start, delim)
        if end is None:
            unclosed.append(i)
            prose += "$"
            i += 1
            continue
        if prose:
            segments.append((prose, False, prose_start))
        segments.append((text[start:end], True, start))
        prose, i = "", end + len(delim)
        prose_start = i
    if prose:
        segments.append((prose, False, prose_start))
    return segments, unclosed


def _closing(text: str, start: int, delim: str) -> int | None:
    j = start
    while j < len(text):
        if text[j] == "\\":
            j += 2  # \$ and friends inside math are escapes, not the end of it
        elif text.startswith(delim, j):
            return j
        else:
            j += 1
    return None


def split_inline(text: str) -> list[tuple[str, bool]]:
    """Prose with ``$...$`` (or ``$$...$$``) math as ``(segment, is_math)`` pairs, in order.

    ``\\$`` in prose is a literal dollar (unescaped in the segment); inside math it stays ``\\$``
    for the math renderer. A ``$`` that never closes is kept as prose. No empty segments.
    """
    return [(segment, is_math) for segment, is_math, _ in _scan(text)[0]]


def render_prose(text: str, *, ascii: bool = False) -> str:
    """A paragraph with its inline math rendered; prose is left as written.

    With ``ascii=True`` the prose is transliterated too (quotes, dashes, ×, →, …), so the whole
    paragraph is pure ASCII.
    """
    out = []
    for segment, is_math in split_inline(text):
        if is_math:
            out.append(render_inline(segment, ascii=ascii))
        else:
            out.append(to_ascii(segment) if ascii else segment)
    return "".join(out)


def validate(text: str, *, prose: bool = False) -> None:
    """Raise :class:`MathTextError` at the first problem in a formula (or, with ``prose=True``, in a
    paragraph with ``$...$`` math): unknown command or environment, unbalanced braces, ``\\begin``
    without ``\\end``, ``\\left`` without ``\\right``, a missing argument, an unclosed ``$``.
    """
    problems: list[tuple[int, str]] = []
    if prose:
        segments, unclosed = _scan(text)
        problems += [(pos, "$ opens math that never closes (write \\$ for a dollar sign)") for pos in unclosed]
        for segment, is_math, start in segments:
            if is_math:
                problems += [(start + pos, message) for pos, message in _problems(segment)]
    else:
        problems = _problems(text)
    if problems:
        position, message = min(problems)
        raise MathTextError(message, position)


def _problems(tex: str) -> list[tuple[int, str]]:
    parser = _Parser(tex)
    try:
        parser.parse()
    except RecursionError:
        return [(0, "formula nested too deeply")]
    return parser.errors
