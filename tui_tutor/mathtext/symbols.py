"""The alphabet of lesson math: what every symbol looks like in Unicode and in ASCII.

The LaTeX vocabulary the subset knows (Greek letters, operators, relations, delimiters, and the
command families the parser treats alike: fonts, spaces, accents, ``\\big``), the sub/superscript
character maps, and the transliteration of any Unicode text to ASCII (:func:`to_ascii`, the
``--ascii`` mode). The choices are tabulated in :mod:`tui_tutor.mathtext`. Tables and the
two text functions that read them (:func:`script_text`, :func:`to_ascii`); no parsing, no layout,
no sympy, no Textual.
"""

from __future__ import annotations

import unicodedata

from tui_tutor.mathtext.tree import Sym

# --- sub/superscript characters ---------------------------------------------------------------------

# Only characters that common terminal fonts draw; a script with any other character falls back to
# x_(...) / x^(...) as a whole, so a half-converted script never hides what was written.
SUPERSCRIPTS = dict(zip(
    "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUWβγδθφχ′×",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁᵂᵝᵞᵟᶿᵠᵡ′ˣ",  # ℝ³ˣ², as written on the web
))
SUBSCRIPTS = dict(zip(
    "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
    "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
))
SCRIPT_CHARS = (set(SUPERSCRIPTS.values()) | set(SUBSCRIPTS.values())) - {"′"}
# And back: ⁿ -> n, ᵢ -> i (Unicode scripts typed into math or prose).
SUP_REVERSE: dict[str, str] = {}
for _k, _v in SUPERSCRIPTS.items():
    if _v != "′":
        SUP_REVERSE.setdefault(_v, _k)
SUB_REVERSE: dict[str, str] = {}
for _k, _v in SUBSCRIPTS.items():
    SUB_REVERSE.setdefault(_v, _k)

COMBINING = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "dot": "\u0307",
             "ddot": "\u0308", "vec": "\u20d7"}

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
SPACES = {",": " ", ":": " ", ";": " ", " ": " ", "quad": "  ", "qquad": "    ", "!": "",
           "enspace": " ", "thinspace": " "}
IGNORED = {"displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "nonumber", "notag"}
FONTS = {"mathbf", "boldsymbol", "bm", "pmb", "mathrm", "mathit", "mathsf", "mathtt", "mathcal",
          "mathscr", "mathfrak", "mathnormal"}
TEXT_COMMANDS = {"text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox"}
ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde",
            "widetilde": "tilde", "dot": "dot", "ddot": "ddot", "vec": "vec"}
BIG = {"big", "Big", "bigg", "Bigg", "bigl", "Bigl", "biggl", "Biggl", "bigr", "Bigr", "biggr",
        "Biggr", "bigm", "Bigm"}
BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ"}

# Delimiters after \left, \right, \bigl ...: (unicode, ascii, class).
DELIM_CHARS = {"(": ("(", "(", "open"), ")": (")", ")", "close"), "[": ("[", "[", "open"),
                "]": ("]", "]", "close"), "|": ("|", "|", "ord"), ".": ("", "", "open"),
                "/": ("/", "/", "ord"), "<": ("⟨", "<", "open"), ">": ("⟩", ">", "close")}
DELIM_COMMANDS = {"{": ("{", "{", "open"), "}": ("}", "}", "close"), "|": ("‖", "||", "ord"),
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
    for name, (uni, asc, cls) in DELIM_COMMANDS.items():
        table.setdefault(name, Sym(uni, asc, cls))
    # \top is the transpose here: ᵀ on its own, and "T" inside a superscript (A^\top -> Aᵀ, A^T).
    table["top"] = table["intercal"] = Sym("ᵀ", "^T", script="T")
    table["colon"] = Sym(":", ":", "colon")
    return table


SYMBOLS = _build_symbols()

# Plain characters in math mode. "-" is drawn as a real minus sign.
CHAR_SYMS = {
    "+": Sym("+", "+", "bin"), "-": Sym("−", "-", "bin"), "*": Sym("*", "*", "bin"),
    "=": Sym("=", "=", "rel"), "<": Sym("<", "<", "rel"), ">": Sym(">", ">", "rel"),
    "(": Sym("(", "(", "open"), "[": Sym("[", "[", "open"), ")": Sym(")", ")", "close"),
    "]": Sym("]", "]", "close"), ",": Sym(",", ",", "punct"), ";": Sym(";", ";", "punct"),
    ":": Sym(":", ":", "colon"), "~": Sym(" ", " ", "space"), "'": Sym("′", "'"),
}
# Unicode typed directly into math keeps the spacing its LaTeX twin would get.
RAW_CLASSES = {**{c: "rel" for c in "→←↦⇒⇔≈≤≥≠∈∉≡∼"}, **{c: "bin" for c in "±∓−"}}

# --- sub/superscripts as text -----------------------------------------------------------------------


def convert_script(script: str, table: dict[str, str]) -> str | None:
    if all(c in table for c in script):
        return "".join(table[c] for c in script)
    return None


def wrapped(s: str) -> bool:
    """``(…)`` as one bracketed unit (so ``^(1)`` needs no second pair)."""
    if not (s.startswith("(") and s.endswith(")")):
        return False
    depth = 0
    for i, c in enumerate(s):
        depth += (c == "(") - (c == ")")
        if depth == 0 and i < len(s) - 1:
            return False
    return True


def script_text(base: str, script: str, *, sup: bool, ascii: bool, single: bool = False,
                convert: bool = True) -> tuple[str, bool]:
    """What a sub/superscript adds after ``base``, and whether it was flattened to ``_x``/``^x``.

    ``single``: the script is one symbol (θ in ASCII is "theta"), so it needs no brackets.
    ``convert=False`` keeps words in letters: ∇₍input₎ℓ reads better than ∇ᵢₙₚᵤₜℓ.

    The one convention for a subscript Unicode has no small letters for (y, ℓ, θ, a word): it is
    written in the small subscript brackets, ``∇₍y₎ℓ``, ``∇₍ℓ₎ℓ``, ``∇₍input₎ℓ``, so it still reads
    as a subscript beside ``∇ₓℓ`` and never as a product or a call. ASCII writes every subscript
    with an underscore, as people type them: ``grad_y l``, ``grad_x l`` (and ``x1`` for ``x₁``).
    """
    if not script:
        return "", False
    if not ascii and convert:
        converted = convert_script(script, SUPERSCRIPTS if sup else SUBSCRIPTS)
        if converted is not None:
            return converted, False
    if not ascii and not sup:
        return f"₍{script}₎", False
    if sup and all(c in "'′" for c in script):
        return script, False
    if not sup and ascii and script.isdigit() and len(base) == 1 and base.isalpha():
        return script, True  # x_1 -> x1: how people type it, and how the answer parser reads it
    marker = "^" if sup else "_"
    # One symbol needs no brackets (x^theta), unless it carries scripts of its own: e^x₃² and
    # e^x3^2 would read as (e^x₃)², so they are e^(x₃²), e^(x3^2).
    nested = any(c in SCRIPT_CHARS or c in "^_" for c in script)
    if (single and not nested) or len(script) == 1 or script.isdigit() or wrapped(script):
        return marker + script, True
    return f"{marker}({script})", True


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
for _sym in list(SYMBOLS.values()) + list(CHAR_SYMS.values()):
    if len(_sym.uni) == 1 and not _sym.uni.isascii():
        _CHAR_ASCII.setdefault(_sym.uni, _sym.asc)
_CHAR_ASCII.update({v: k for k, v in BLACKBOARD.items()})
_CHAR_ASCII.update(_TYPOGRAPHY)
_ACCENT_SUFFIX = {mark: "_" + name for name, mark in COMBINING.items()}


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
    """Any text as pure ASCII: the maths symbol tables above, plus typography.

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
        table = SUP_REVERSE if c in SUP_REVERSE else SUB_REVERSE if c in SUB_REVERSE else None
        if table is not None:
            j = i
            while j < n and text[j] in table:
                j += 1
            base = out[-1] if out[-1:].isalpha() and not out[-2:-1].isalnum() else ""
            out += script_text(base, "".join(table[ch] for ch in text[i:j]),
                               sup=table is SUP_REVERSE, ascii=True)[0]
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
