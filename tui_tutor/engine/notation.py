"""The symbols of the course's notation, in Unicode and in the ASCII spelling ``--ascii`` uses.

The same spelling as the lesson's LaTeX renderer (``tui_tutor.mathtext``): Δx is
``Delta x`` (so it never reads like the differential dx), ∂ is ``d``, ∇ is ``grad``, ᵀ is ``^T``.
The CLI report, the scratchpad and the player all take their symbols from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui_tutor.mathtext import render_inline


@dataclass(frozen=True)
class Notation:
    delta: str  # a small change: Δx
    nabla: str  # a gradient: ∇h
    partial: str  # a partial derivative: ∂y/∂x
    approx: str
    transpose: str
    dot: str  # a product of numbers
    ell: str  # the scalar loss ℓ
    arrow: str

    def grad(self, letter: str, of: str | None = None) -> str:
        """The gradient of ``of`` (ℓ by default) with respect to a space: ∇ₓℓ, ∇₍y₎ℓ, ``grad_x l``.

        Drawn by the lesson's renderer, so its subscripts follow the one convention (see
        :func:`tui_tutor.mathtext.symbols.script_text`)."""
        of_tex = "\\ell" if of is None else of
        return render_inline(f"\\nabla_{{{letter}}} {of_tex}", ascii=self.nabla != "∇")


UNICODE = Notation(delta="Δ", nabla="∇", partial="∂", approx="≈", transpose="ᵀ", dot="·", ell="ℓ", arrow="→")
ASCII = Notation(delta="Delta ", nabla="grad ", partial="d", approx="~=", transpose="^T", dot="*", ell="l", arrow="->")


def notation(ascii: bool) -> Notation:
    """The notation for a Unicode or an ASCII screen."""
    return ASCII if ascii else UNICODE
