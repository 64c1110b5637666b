"""Maths as text: the course's LaTeX subset laid out as Unicode or ASCII for a terminal.

Lesson text, quiz items and the engine's results all reach the screen through this package, so
there is one look, one width rule and one ASCII table. It sits below everything else: no sympy,
no Textual, nothing else from tui_tutor, so the app imports it before sympy has loaded and the
engine can emit text in the same subset. The modules, in the order a formula goes through them:
``parse`` (into ``tree``), ``symbols``, ``layout``, ``spacing``, ``block``; ``render`` is the
public face re-exported here.
"""

from tui_tutor.mathtext.render import (
    MathTextError,
    render_display,
    render_inline,
    render_prose,
    split_inline,
    to_ascii,
    validate,
)

__all__ = [
    "MathTextError", "render_display", "render_inline", "render_prose", "split_inline", "to_ascii",
    "validate",
]
