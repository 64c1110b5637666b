"""The lesson-math renderer: LaTeX subset -> Unicode / ASCII text and display Blocks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui_tutor.mathtext import (
    MathTextError,
    render_display,
    render_inline,
    render_prose,
    split_inline,
    to_ascii,
    validate,
)
from tui_tutor.mathtext.block import Block

# (LaTeX, Unicode, ASCII). Every supported command appears at least once.
TABLE = [
    (r"x_1", "x₁", "x1"),
    (r"x_i", "xᵢ", "x_i"),
    (r"x_{ij}", "xᵢⱼ", "x_(ij)"),
    (r"x_{12}", "x₁₂", "x12"),
    (r"x^2", "x²", "x^2"),
    (r"x_1^2", "x₁²", "x1^2"),
    (r"h^{(1)}", "h⁽¹⁾", "h^(1)"),
    (r"e^{-a}", "e⁻ᵃ", "e^(-a)"),
    (r"x^{ab}", "xᵃᵇ", "x^(ab)"),
    (r"x_y", "x₍y₎", "x_y"),
    (r"\mathbb{R}^n", "ℝⁿ", "R^n"),
    (r"\mathbb{R}^{m}", "ℝᵐ", "R^m"),
    (r"\mathbb{N}", "ℕ", "N"),
    (r"Dg(\mathbf{x})^\top", "Dg(x)ᵀ", "Dg(x)^T"),
    (r"A^T", "Aᵀ", "A^T"),
    (r"J^{\top}", "Jᵀ", "J^T"),
    (r"\top", "ᵀ", "^T"),
    (r"f \circ g", "f∘g", "f o g"),
    (r"(f\circ g)(\mathbf{x})", "(f∘g)(x)", "(f o g)(x)"),
    (r"\partial h_i/\partial x_j", "∂hᵢ/∂xⱼ", "dh_i/dx_j"),
    (r"\frac{\partial y_2}{\partial x_3}", "∂y₂/∂x₃", "dy2/dx3"),
    (r"\frac{a}{b}", "a/b", "a/b"),
    (r"\frac{a+b}{c}", "(a + b)/c", "(a + b)/c"),
    (r"\frac{1}{2x}", "1/(2x)", "1/(2x)"),
    (r"\frac{1}{2}x", "(1/2)x", "(1/2)x"),
    (r"\frac{dy}{dx}", "dy/dx", "dy/dx"),
    (r"\frac12", "1/2", "1/2"),
    (r"\sum_{k=1}^{m} a_k", "∑ₖ₌₁ᵐ aₖ", "sum_(k=1)^m a_k"),
    (r"\prod_{i} x_i", "∏ᵢ xᵢ", "prod_i x_i"),
    (r"\int_0^1 f", "∫₀¹ f", "int_0^1 f"),
    (r"\lim_{h \to 0}", "lim₍h→0₎", "lim_(h->0)"),
    (r"\nabla f", "∇f", "grad f"),
    (r"\nabla_{\mathbf{y}}\ell", "∇₍y₎ℓ", "grad_y l"),
    (r"\nabla_{\theta}\ell", "∇₍θ₎ℓ", "grad_theta l"),
    (r"\Delta \mathbf{x}", "Δx", "Delta x"),
    (r"\delta x", "δx", "delta x"),
    (r"\ell", "ℓ", "l"),
    (r"\sigma(a)", "σ(a)", "sigma(a)"),
    (r"\alpha\beta\gamma", "αβγ", "alpha beta gamma"),
    (r"\Gamma \Theta \Lambda \Xi \Pi \Sigma \Phi \Psi \Omega", "ΓΘΛΞΠΣΦΨΩ", "Gamma Theta Lambda Xi Pi Sigma Phi Psi Omega"),
    (r"\epsilon, \varepsilon, \phi, \varphi", "ϵ, ε, ϕ, φ", "epsilon, epsilon, phi, phi"),
    (r"\hat{y}", "ŷ", "y_hat"),
    (r"\hat{\mathbf{y}}", "ŷ", "y_hat"),
    (r"\hat{\theta}", "θ̂", "theta_hat"),
    (r"\bar{x}", "x̄", "x_bar"),
    (r"\tilde{x}", "x̃", "x_tilde"),
    (r"\vec{v}", "v⃗", "v_vec"),
    (r"\dot{x}", "ẋ", "x_dot"),
    (r"a \cdot b", "a·b", "a*b"),
    (r"2\cdot 3", "2·3", "2*3"),
    (r"p \times m", "p×m", "pxm"),
    (r"x \to y", "x → y", "x -> y"),
    (r"x \xrightarrow{g} u", "x ─g→ u", "x -g-> u"),
    (r"u \xleftarrow{g} x", "u ←g─ x", "u <-g- x"),
    (r"x \mapsto x^2", "x ↦ x²", "x |-> x^2"),
    (r"a \approx b", "a ≈ b", "a ~= b"),
    (r"x \in S", "x ∈ S", "x in S"),
    (r"x \notin S", "x ∉ S", "x not in S"),
    (r"a \le b", "a ≤ b", "a <= b"),
    (r"a \leq b", "a ≤ b", "a <= b"),
    (r"a \ge b", "a ≥ b", "a >= b"),
    (r"a \ne b", "a ≠ b", "a != b"),
    (r"a \neq b", "a ≠ b", "a != b"),
    (r"P \Rightarrow Q", "P ⇒ Q", "P => Q"),
    (r"a \equiv b", "a ≡ b", "a == b"),
    (r"a \pm b", "a ± b", "a +/- b"),
    (r"u \odot v", "u ⊙ v", "u (.) v"),
    (r"a\quad b", "a  b", "a  b"),
    (r"a\qquad b", "a    b", "a    b"),
    (r"a\,b", "a b", "a b"),
    (r"a\;b", "a b", "a b"),
    (r"a\ b", "a b", "a b"),
    (r"a\!b", "ab", "ab"),
    (r"a~b", "a b", "a b"),
    (r"\text{for all } x", "for all x", "for all x"),
    (r"x \text{ is } 1", "x is 1", "x is 1"),
    (r"\operatorname{Diag}(\mathbf{s})", "Diag(s)", "Diag(s)"),
    (r"\sin x", "sin x", "sin x"),
    (r"\sin(x_2)", "sin(x₂)", "sin(x2)"),
    (r"\cos^2 x", "cos² x", "cos^2 x"),
    (r"\log x", "log x", "log x"),
    (r"\exp(x)", "exp(x)", "exp(x)"),
    (r"\left( \frac{a}{b} \right)", "(a/b)", "(a/b)"),
    (r"\bigl(a+b\bigr)", "(a + b)", "(a + b)"),
    (r"\left\| x \right\|", "‖x‖", "||x||"),
    (r"\|x\|", "‖x‖", "||x||"),
    (r"\langle u, v \rangle", "⟨u, v⟩", "<u, v>"),
    (r"\left. x \right|", "x|", "x|"),
    (r"a, \ldots, z", "a, …, z", "a, ..., z"),
    (r"a + \cdots + z", "a + ⋯ + z", "a + ... + z"),
    (r"\vdots", "⋮", ":"),
    (r"\ddots", "⋱", '\\'),
    (r"\dots", "…", "..."),
    (r"f'(x)", "f′(x)", "f'(x)"),
    (r"f''(x)", "f′′(x)", "f''(x)"),
    (r"f^{\prime}", "f′", "f'"),
    (r"\infty", "∞", "inf"),
    (r"\sqrt{x}", "√x", "sqrt(x)"),
    (r"\sqrt{x+1}", "√(x + 1)", "sqrt(x + 1)"),
    (r"\sqrt{2}", "√2", "sqrt(2)"),
    (r"\sqrt[3]{x}", "³√x", "root(3, x)"),
    (r"\{1, 2\}", "{1, 2}", "{1, 2}"),
    (r"\{ x \}", "{x}", "{x}"),
    (r"\mathbf{x}", "x", "x"),
    (r"\boldsymbol{\theta}", "θ", "theta"),
    (r"\mathrm{d}x", "dx", "dx"),
    (r"\mathit{ab}", "ab", "ab"),
    (r"\mathcal{L}", "L", "L"),
    (r"{a}{b}", "ab", "ab"),
    (r"-1", "−1", "-1"),
    (r"a - b", "a − b", "a - b"),
    (r"a = -b", "a = −b", "a = -b"),
    (r"(-x)", "(−x)", "(-x)"),
    (r"3.14", "3.14", "3.14"),
    (r"\$5", "$5", "$5"),
    (r"50\%", "50%", "50%"),
    (r"x = y", "x = y", "x = y"),
    (r"a < b", "a < b", "a < b"),
    (r"\begin{bmatrix} 2x_1 & 1 \\ x_2 & x_1 \end{bmatrix}", "[2x₁, 1; x₂, x₁]", "[2x1, 1; x2, x1]"),
    (r"\begin{pmatrix} a \\ b \end{pmatrix}", "(a; b)", "(a; b)"),
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}", "|a, b; c, d|", "|a, b; c, d|"),
    (r"\begin{aligned} a &= b \\ &= c \end{aligned}", "a = b; = c", "a = b; = c"),
    (r"\begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}", "{1, x > 0; 0, else}", "{1, x > 0; 0, else}"),
    (r"\foo", '\\foo', '\\foo'),
    (r"\foo{x} + 1", '\\foo{x} + 1', '\\foo{x} + 1'),
    (r"\displaystyle x", "x", "x"),
    (r"\colon", ":", ":"),
    (r"f\colon A \to B", "f: A → B", "f: A -> B"),
    (r"x \in \mathbb{R}^n", "x ∈ ℝⁿ", "x in R^n"),
]

# Formulas of the seed lesson (shared/seed/multivariable-chain-rule.txt), with the \, and \\ that
# the text extraction dropped put back.
SEED = [
    r"h = f \circ g",
    r"g: \mathbb{R}^n \to \mathbb{R}^m",
    r"D(f \circ g)(\mathbf{x}) = Df(g(\mathbf{x}))\, Dg(\mathbf{x}).",
    r"\nabla h(\mathbf{x}) = Dg(\mathbf{x})^\top \nabla f(g(\mathbf{x}))",
    r"h'(x) = f'(g(x))\, g'(x)",
    r"(p\times m)\,(m\times n) = (p\times n).",
    r"\Delta \mathbf{y} \approx Df(g(\mathbf{x}))\, Dg(\mathbf{x})\, \Delta \mathbf{x}.",
    r"Df(\mathbf{u}) \text{ is } 1\times m, \qquad \nabla f(\mathbf{u}) \text{ is } m\times 1.",
    r"g(\mathbf{x} + \Delta \mathbf{x}) \approx g(\mathbf{x}) + L\,\Delta \mathbf{x}",
    r"\|\Delta \mathbf{x}\|",
    r"g(\mathbf{x}) = \begin{bmatrix} g_1(\mathbf{x}) \\ \vdots \\ g_m(\mathbf{x}) \end{bmatrix}",
    r"""Dg(\mathbf{x}) = \begin{bmatrix}
\frac{\partial g_1}{\partial x_1} & \cdots & \frac{\partial g_1}{\partial x_n} \\
\vdots & \ddots & \vdots \\
\frac{\partial g_m}{\partial x_1} & \cdots & \frac{\partial g_m}{\partial x_n}
\end{bmatrix}.""",
    r"(f\circ g)(\mathbf{x}+\Delta\mathbf{x}) \approx (f\circ g)(\mathbf{x}) + \bigl(Df(g(\mathbf{x}))\,Dg(\mathbf{x})\bigr)\,\Delta\mathbf{x}.",
    r"\frac{\partial h_i}{\partial x_j}(\mathbf{x}) = \sum_{k=1}^{m} \frac{\partial f_i}{\partial u_k}(\mathbf{u})\,\frac{\partial g_k}{\partial x_j}(\mathbf{x}),\quad \mathbf{u}=g(\mathbf{x}).",
    r"D_{\mathbf{x}}\mathbf{y} = Df\,Dg.",
    r"\nabla_{\mathbf{x}}\ell = Dg(\mathbf{x})^\top\,Df(\mathbf{u})^\top\,\nabla_{\mathbf{y}}\ell.",
    r"""\begin{align*}
\nabla (f\circ g)(\mathbf{x})
&= D(f\circ g)(\mathbf{x})^\top \\
&= \bigl(Df(\mathbf{u})\,Dg(\mathbf{x})\bigr)^\top \\
&= Dg(\mathbf{x})^\top\,Df(\mathbf{u})^\top \\
&= Dg(\mathbf{x})^\top\,\nabla f(\mathbf{u}).
\end{align*}""",
    r"\mathbf{x} \xrightarrow{g} \mathbf{u} \xrightarrow{f} \mathbf{v} \xrightarrow{r} \mathbf{y}",
    r"\mathbf{x} \to \mathbf{h}^{(1)} \to \mathbf{h}^{(2)} \to \cdots \to \hat{\mathbf{y}} \to \ell.",
    r"\nabla_{\theta}\ell",
    r"\ell = \mathbf{c}^\top \mathbf{h}",
    r"D_{\mathbf{a}}\mathbf{h} = \operatorname{Diag}(\sigma'(\mathbf{a}))",
    r"""\begin{align*}
\Delta \mathbf{a} &\approx W\,\Delta \mathbf{x} \\
\Delta \mathbf{h} &\approx \operatorname{Diag}(\sigma'(\mathbf{a}))\,\Delta \mathbf{a} \\
\Delta \ell &\approx \mathbf{c}^\top\,\Delta \mathbf{h}.
\end{align*}""",
    r"\nabla_{\text{input}}\ell = J^\top\,\nabla_{\text{output}}\ell.",
    r"g(x_1,x_2) = \begin{bmatrix} u_1 \\ u_2 \end{bmatrix} = \begin{bmatrix} x_1^2 + x_2 \\ x_1x_2 \end{bmatrix}, \qquad f(u_1,u_2)= u_1 + u_2^2.",
    r"Df(\mathbf{u}) = \begin{bmatrix} \partial f/\partial u_1 & \partial f/\partial u_2 \end{bmatrix} = \begin{bmatrix} 1 & 2u_2 \end{bmatrix}.",
    r"""\begin{align*}
Dh(\mathbf{x})
&= \begin{bmatrix} 1 & 2x_1x_2 \end{bmatrix}
\begin{bmatrix} 2x_1 & 1 \\ x_2 & x_1 \end{bmatrix} \\
&= \begin{bmatrix}
1\cdot 2x_1 + (2x_1x_2)\cdot x_2 \;,\; 1\cdot 1 + (2x_1x_2)\cdot x_1
\end{bmatrix} \\
&= \begin{bmatrix}
2x_1 + 2x_1x_2^2 \;,\; 1 + 2x_1^2x_2
\end{bmatrix}.
\end{align*}""",
    r"\nabla h(1,2)=\begin{bmatrix}2\cdot 1 + 2\cdot 1\cdot 2^2 \\ 1 + 2\cdot 1^2\cdot 2\end{bmatrix}=\begin{bmatrix}2+8\\1+4\end{bmatrix}=\begin{bmatrix}10\\5\end{bmatrix}.",
    r"\Delta \mathbf{u} \approx Dg\,\Delta \mathbf{x} = \begin{bmatrix} 1 & 2 \\ 1 & -1 \end{bmatrix}\begin{bmatrix} 0.01 \\ -0.02 \end{bmatrix} = \begin{bmatrix} 0.01-0.04 \\ 0.01+0.02 \end{bmatrix} = \begin{bmatrix} -0.03 \\ 0.03 \end{bmatrix}.",
    r"\Delta \ell \approx Df\,\Delta \mathbf{u} = \begin{bmatrix}6 & 3\end{bmatrix}\begin{bmatrix}-0.03\\0.03\end{bmatrix} = 6(-0.03)+3(0.03) = -0.18+0.09 = -0.09.",
    r"\frac{\partial y_2}{\partial x_3} = \sum_{k=1}^{2}\frac{\partial y_2}{\partial u_k}\frac{\partial u_k}{\partial x_3}.",
    r"\frac{\partial y_2}{\partial u_1} = \frac{\partial (u_1u_2)}{\partial u_1} = u_2",
    r"""\begin{align*}
\frac{\partial y_2}{\partial x_3}
&= \left(\frac{\partial y_2}{\partial u_1}\right)\left(\frac{\partial u_1}{\partial x_3}\right) + \left(\frac{\partial y_2}{\partial u_2}\right)\left(\frac{\partial u_2}{\partial x_3}\right) \\
&= (u_2)(0) + (u_1)(2x_3) \\
&= 2x_3\,u_1 \\
&= 2x_3\,(x_1x_2).
\end{align*}""",
    r"g(x_1,x_2)=(x_1,\; x_1x_2,\; x_2^2)",
    r"\nabla (f\circ g)=Dg^\top\nabla f",
    r"\nabla_{\mathbf{x}}\ell = Dg(\mathbf{x})^\top\,\nabla_{\mathbf{u}}\ell = \begin{bmatrix}2x_1 & 0\\0 & \cos(x_2)\end{bmatrix}\begin{bmatrix}u_2\\u_1\end{bmatrix} = \begin{bmatrix}2x_1\sin(x_2)\\x_1^2\cos(x_2)\end{bmatrix}.",
    r"\nabla \ell = (D\ell)^\top",
    r"u_2=\sin(x_2)",
    r"\nabla f(\mathbf{u}) = \begin{bmatrix}2\\-1\\1\end{bmatrix}",
]


def _is_ascii(text: str) -> bool:
    return all(ord(c) < 128 for c in text)


# --- inline -----------------------------------------------------------------------------------------


def test_table_is_big_enough():
    assert len(TABLE) >= 60


@pytest.mark.parametrize(("tex", "unicode", "ascii_"), TABLE, ids=[row[0] for row in TABLE])
def test_inline_unicode(tex, unicode, ascii_):
    assert render_inline(tex) == unicode


@pytest.mark.parametrize(("tex", "unicode", "ascii_"), TABLE, ids=[row[0] for row in TABLE])
def test_inline_ascii(tex, unicode, ascii_):
    out = render_inline(tex, ascii=True)
    assert out == ascii_
    assert _is_ascii(out)


@pytest.mark.parametrize("tex", [row[0] for row in TABLE] + SEED)
def test_ascii_mode_is_pure_ascii_inline_and_display(tex):
    assert _is_ascii(render_inline(tex, ascii=True))
    assert _is_ascii(render_display(tex, ascii=True).text())


@pytest.mark.parametrize("tex", SEED)
def test_seed_formulas_validate_and_render_every_command(tex):
    validate(tex)
    # Nothing of the seed is shown as a raw command: every construct is understood.
    assert "\\" not in render_inline(tex)
    assert "\\" not in "".join(render_display(tex).lines)


def test_delta_and_partial_stay_distinguishable_in_ascii():
    assert render_inline(r"\Delta x \ne \partial x \ne \delta x", ascii=True) == "Delta x != dx != delta x"


def test_a_letter_after_an_inline_fraction_gets_brackets_but_arguments_do_not():
    assert render_inline(r"\frac{1}{2}x") == "(1/2)x"
    assert render_inline(r"\frac{\partial f}{\partial x}(\mathbf{x})") == "∂f/∂x(x)"
    assert render_inline(r"\frac{a}{b}\frac{c}{d}") == "a/b c/d"


def test_unicode_script_falls_back_as_a_whole_never_half_converted():
    # q has no subscript form: the whole script is written out rather than mixing forms, in the
    # small subscript brackets, so it still reads as a subscript (and never as x times iq).
    assert render_inline("x_{iq}") == "x₍iq₎"
    assert render_inline(r"\sum_{i \in S}^{n} x_i") == "∑₍i∈S₎ⁿ xᵢ"
    assert render_inline(r"\sum_{i \in S} x_i", ascii=True) == "sum_(i in S) x_i"


def test_unicode_typed_directly_reads_like_its_latex():
    assert render_inline("x₁² ∈ ℝⁿ") == "x₁² ∈ ℝⁿ"
    assert render_inline("x₁² ∈ ℝⁿ", ascii=True) == "x1^2 in R^n"
    assert render_inline("Δx→0", ascii=True) == "Delta x -> 0"


# --- display ----------------------------------------------------------------------------------------


def test_display_bmatrix_equation():
    tex = r"Dg(\mathbf{x}) = \begin{bmatrix} 2x_1 & 1 \\ x_2 & x_1 \end{bmatrix}."
    assert render_display(tex).text() == "Dg(x) = ⎡2x₁   1⎤.\n        ⎣ x₂  x₁⎦"
    assert render_display(tex, ascii=True).text() == "Dg(x) = [2x1   1].\n        [ x2  x1]"


def test_display_fraction_is_stacked_over_a_rule_on_the_baseline():
    block = render_display(r"\frac{\partial y_2}{\partial x_3}")
    assert block == Block(("∂y₂", "───", "∂x₃"), 1)
    assert render_display(r"\frac{\partial y_2}{\partial x_3}", ascii=True).lines == ("dy2", "---", "dx3")


def test_display_sum_of_fractions_with_limits():
    tex = r"\frac{\partial y_2}{\partial x_3} = \sum_{k=1}^{2}\frac{\partial y_2}{\partial u_k}\frac{\partial u_k}{\partial x_3}."
    assert render_display(tex).text() == (
        "∂y₂    2  ∂y₂ ∂uₖ\n"
        "─── =  ∑  ─── ───.\n"
        "∂x₃   k=1 ∂uₖ ∂x₃"
    )
    assert render_display(tex, ascii=True).text() == (
        "dy2    2   dy2 du_k\n"
        "--- = sum ---- ----.\n"
        "dx3   k=1 du_k  dx3"
    )


def test_display_compound_fraction_centres_and_keeps_signs():
    tex = r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}"
    assert render_display(tex).text() == (
        "    −b ± √(b² − 4ac)\n"
        "x = ────────────────\n"
        "           2a"
    )


def test_display_align_block():
    tex = next(t for t in SEED if t.startswith(r"\begin{align*}" + "\n" + r"\nabla"))
    assert render_display(tex).text() == (
        "∇(f∘g)(x) = D(f∘g)(x)ᵀ\n"
        "          = (Df(u) Dg(x))ᵀ\n"
        "          = Dg(x)ᵀ Df(u)ᵀ\n"
        "          = Dg(x)ᵀ ∇f(u)."
    )
    assert render_display(tex, ascii=True).text() == (
        "grad(f o g)(x) = D(f o g)(x)^T\n"
        "               = (Df(u) Dg(x))^T\n"
        "               = Dg(x)^T Df(u)^T\n"
        "               = Dg(x)^T grad f(u)."
    )


def test_display_align_with_growing_brackets_separates_tall_rows():
    tex = next(t for t in SEED if r"\left(" in t)
    assert render_display(tex).text() == (
        "∂y₂   ⎛∂y₂⎞⎛∂u₁⎞   ⎛∂y₂⎞⎛∂u₂⎞\n"
        "─── = ⎜───⎟⎜───⎟ + ⎜───⎟⎜───⎟\n"
        "∂x₃   ⎝∂u₁⎠⎝∂x₃⎠   ⎝∂u₂⎠⎝∂x₃⎠\n"
        "\n"
        "    = (u₂)(0) + (u₁)(2x₃)\n"
        "\n"
        "    = 2x₃ u₁\n"
        "\n"
        "    = 2x₃ (x₁x₂)."
    )
    assert render_display(tex, ascii=True).lines[:3] == (
        "dy2   /dy2\\/du1\\   /dy2\\/du2\\",
        "--- = |---||---| + |---||---|",
        "dx3   \\du1/\\dx3/   \\du2/\\dx3/",
    )


def test_display_jacobian_with_fractions_in_cells():
    tex = next(t for t in SEED if r"\ddots" in t)
    assert render_display(tex).text() == (
        "        ⎡∂g₁     ∂g₁⎤\n"
        "        ⎢───  ⋯  ───⎥\n"
        "        ⎢∂x₁     ∂xₙ⎥\n"
        "        ⎢           ⎥\n"
        "Dg(x) = ⎢ ⋮   ⋱   ⋮ ⎥.\n"
        "        ⎢           ⎥\n"
        "        ⎢∂gₘ     ∂gₘ⎥\n"
        "        ⎢───  ⋯  ───⎥\n"
        "        ⎣∂x₁     ∂xₙ⎦"
    )


def test_display_matrices_side_by_side_and_numbers():
    tex = next(t for t in SEED if "0.01-0.04" in t)
    assert render_display(tex).text() == (
        "Δu ≈ Dg Δx = ⎡1   2⎤⎡ 0.01⎤ = ⎡0.01 − 0.04⎤ = ⎡−0.03⎤.\n"
        "             ⎣1  −1⎦⎣−0.02⎦   ⎣0.01 + 0.02⎦   ⎣ 0.03⎦"
    )


def test_display_other_matrix_environments_and_transpose():
    assert render_display(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}^\top").lines == ("⎛a  b⎞ᵀ", "⎝c  d⎠")
    assert render_display(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}^\top", ascii=True).lines == (
        "/a  b\\^T", "\\c  d/")
    assert render_display(r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}").lines == ("│a  b│", "│c  d│")
    assert render_display(r"\begin{matrix} a & b \\ c & d \end{matrix}").lines == ("a  b", "c  d")


def test_display_nested_matrix_and_fraction_in_a_cell():
    tex = r"\begin{bmatrix} \begin{bmatrix} a \\ b \end{bmatrix} & \frac{1}{2} \\ c & d \end{bmatrix}"
    assert render_display(tex).text() == "⎡     1⎤\n⎢⎡a⎤  ─⎥\n⎢⎣b⎦  2⎥\n⎢      ⎥\n⎣ c   d⎦"


def test_display_nested_fraction_has_the_longer_main_rule():
    assert render_display(r"\frac{\frac{1}{x}}{y}") == Block((" 1", " ─", " x", "───", " y"), 3)


def test_display_cases():
    tex = r"f(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}"
    assert render_display(tex).text() == "f(x) = ⎧ x  x > 0\n       ⎩ 0  otherwise"


def test_display_of_plain_text_is_one_line():
    assert render_display(r"h = f \circ g") == Block(("h = f∘g",), 0)


def test_display_ragged_and_empty_matrices_do_not_crash():
    assert render_display(r"\begin{bmatrix} 1 & 2 \\ 3 \end{bmatrix}").lines == ("⎡1  2⎤", "⎣3   ⎦")
    assert render_display(r"\begin{bmatrix}\end{bmatrix}").lines == ("[]",)
    assert render_display(r"\begin{bmatrix} a \\ b \\ \end{bmatrix}").lines == ("⎡a⎤", "⎣b⎦")


# --- degrading, never raising -----------------------------------------------------------------------

BAD = [
    r"\foo", r"\foo{x}", r"x^{2", r"x}", r"\begin{foo} a \end{foo}", r"\begin{bmatrix} a",
    r"\left( x", r"x \right)", r"\frac{a}", r"a & b", "x^2^3", "$x$", "\\", r"\end{bmatrix}",
    r"\text{abc", r"\left", "^", "_", "{" * 3000 + "x", r"\begin{bmatrix} \left( a & b \right) \end{bmatrix}",
]


@pytest.mark.parametrize("tex", BAD)
def test_rendering_bad_input_degrades_instead_of_raising(tex):
    assert isinstance(render_inline(tex), str)
    assert _is_ascii(render_inline(tex, ascii=True))
    assert isinstance(render_display(tex), Block)
    assert _is_ascii(render_display(tex, ascii=True).text())


def test_unknown_commands_are_shown_as_written():
    assert render_inline(r"a \foo b") == r"a \foo b"
    assert render_inline(r"\foo{x}") == r"\foo{x}"
    assert render_inline(r"\end{bmatrix}") == r"\end{bmatrix}"


def test_every_prefix_of_every_seed_formula_renders():
    # Truncations are the typos a content author makes: unclosed braces, half a command.
    for tex in SEED[::4]:
        for end in range(len(tex) + 1):
            render_inline.__wrapped__(tex[:end])
            assert _is_ascii(render_display.__wrapped__(tex[:end], ascii=True).text())


# --- validate ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tex", "position", "words"),
    [
        (r"x + \foo", 4, "unknown command \\foo"),
        (r"a^{2", 2, "unclosed {"),
        (r"a}", 1, "unmatched }"),
        (r"\begin{tabular} a \end{tabular}", 0, "unknown environment 'tabular'"),
        (r"x = \begin{bmatrix} a", 4, "never closed"),
        (r"\begin{bmatrix} a \end{pmatrix}", 18, "does not match"),
        (r"\end{bmatrix}", 0, "without a \\begin"),
        (r"(\left( x", 1, "\\left without a matching \\right"),
        (r"x \right)", 2, "\\right without a \\left"),
        (r"\frac{a}", 0, "\\frac is missing its argument"),
        (r"x^", 1, "^ is missing its argument"),
        ("a & b", 2, "& outside an environment"),
        ("x^2^3", 3, "double superscript"),
        ("costs $5", 6, "$ inside a formula"),
        ("x \\", 2, "lone \\"),
        ("{" * 3000, 0, "nested too deeply"),
    ],
)
def test_validate_reports_the_first_problem_and_where(tex, position, words):
    with pytest.raises(MathTextError) as caught:
        validate(tex)
    assert caught.value.position == position
    assert words in caught.value.message
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_validate_accepts_good_formulas():
    for tex, _, _ in TABLE:
        if "foo" not in tex:
            validate(tex)


def test_validate_prose_checks_dollars_and_offsets_math_errors():
    validate(r"It costs \$5 and $x_1$ is fine.", prose=True)
    with pytest.raises(MathTextError) as caught:
        validate("one $x$ and $y never closes", prose=True)
    assert caught.value.position == 12
    assert "never closes" in caught.value.message
    with pytest.raises(MathTextError) as caught:
        validate(r"ok $a + \foo$", prose=True)
    assert caught.value.position == 8


# --- prose ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", []),
        ("no math here", [("no math here", False)]),
        ("a $x$ b", [("a ", False), ("x", True), (" b", False)]),
        ("$x$", [("x", True)]),
        ("$a$$b$", [("a", True), ("b", True)]),
        ("$$x$$ y", [("x", True), (" y", False)]),
        (r"cost \$5 and $x_1$", [("cost $5 and ", False), ("x_1", True)]),
        (r"$\$5$", [(r"\$5", True)]),
        ("unclosed $x", [("unclosed $x", False)]),
        ("$$", [("$$", False)]),
        ("a$", [("a$", False)]),
        (r"$\text{a}$, then $\{1\}$.", [(r"\text{a}", True), (", then ", False), (r"\{1\}", True), (".", False)]),
    ],
)
def test_split_inline(text, segments):
    assert split_inline(text) == segments


def test_render_prose_renders_math_and_leaves_prose():
    text = "For $f: \\mathbb{R}^m \\to \\mathbb{R}^p$ it’s $p \\times m$ — “rows by columns”."
    assert render_prose(text) == "For f: ℝᵐ → ℝᵖ it’s p×m — “rows by columns”."
    assert render_prose(text, ascii=True) == 'For f: R^m -> R^p it\'s pxm -- "rows by columns".'


def test_render_prose_ascii_is_pure_for_seed_like_paragraphs():
    paragraph = (
        "In 1D, composition looks like $h(x) = f(g(x))$ and the chain rule says "
        "$h'(x) = f'(g(x))\\, g'(x)$. Interpretation: a small input perturbation $\\Delta \\mathbf{x}$ "
        "is pushed forward by $Dg$ … gradients pull back: ∇h = Dgᵀ∇f. Difficulty: ★★★☆☆, naïve × 2 → ok"
    )
    out = render_prose(paragraph, ascii=True)
    assert _is_ascii(out)
    assert "Delta x" in out and "grad h = Dg^T grad f" in out and "naive x 2 -> ok" in out


def test_to_ascii_table():
    assert to_ascii("Δx ∈ ℝⁿ, x₁, h⁽¹⁾, ŷ, θ̂, σ′, f∘g, ‖x‖, ≈ ≤ ≥ ≠ ⋯ ∞ …") == (
        "Delta x in R^n, x1, h^(1), y_hat, theta_hat, sigma', f o g, ||x||, ~= <= >= != ... inf ..."
    )
    assert to_ascii("☃") == "[U+2603]"  # unknown symbols stay visible


def test_importing_the_renderer_loads_neither_sympy_nor_textual_nor_the_rest_of_the_tutor():
    code = (
        "import sys, tui_tutor.mathtext as m; m.render_display(r'\\frac{a}{b}');"
        "assert 'sympy' not in sys.modules and 'textual' not in sys.modules, sorted(sys.modules);"
        "mine = sorted(n for n in sys.modules if n.startswith('tui_tutor.') and not n.startswith('tui_tutor.mathtext'));"
        "assert not mine, mine"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_one_subscript_convention_where_unicode_has_no_small_letter():
    # The gradients a learner meets: a letter with a subscript form, then those without one.
    assert render_inline(r"\nabla_{\mathbf{x}}\ell") == "∇ₓℓ"
    assert render_inline(r"\nabla_{\mathbf{y}}\ell") == "∇₍y₎ℓ"
    assert render_inline(r"\nabla_\ell \ell") == "∇₍ℓ₎ℓ"
    assert render_inline(r"\nabla_{\text{input}} \ell = J^\top \nabla_{\text{output}} \ell") == "∇₍input₎ℓ = Jᵀ∇₍output₎ℓ"
    # ASCII writes every subscript with an underscore.
    assert render_inline(r"\nabla_\ell \ell", ascii=True) == "grad_l l"
    assert render_inline(r"\nabla_{\text{input}} \ell", ascii=True) == "grad_input l"


def test_a_shape_as_a_superscript_and_a_fraction_before_brackets():
    assert render_inline(r"W \in \mathbb{R}^{3 \times 2}") == "W ∈ ℝ³ˣ²"
    assert render_inline(r"W \in \mathbb{R}^{3 \times 2}", ascii=True) == "W in R^(3x2)"
    # 1/100(−1, 1) would read as 1/(100·(−1, 1)).
    assert render_inline(r"\Delta\mathbf{x} = \frac{1}{100}(-1, 1)") == "Δx = (1/100)(−1, 1)"
    assert render_inline(r"\frac{\partial f}{\partial x}(x)") == "∂f/∂x(x)"


def test_a_superscript_with_scripts_of_its_own_is_bracketed():
    # e^x₃² would read as (e^x₃)².
    assert render_inline(r"e^{x_3^2}") == "e^(x₃²)"
    assert render_inline(r"e^{x_3^2}", ascii=True) == "e^(x3^2)"
    assert render_inline(r"x^\theta", ascii=True) == "x^theta"
