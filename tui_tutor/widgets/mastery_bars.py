"""A bar per skill and the mastery gate: how far along each skill is, and what that unlocks.

    Shapes and dimensions        ████████▌···│·  67%  3 tries
    Computing a single Jacobian  ██████████████ 100%  ✓
    ...
    2 of 9 skills mastered (each needs 80%). Backpropagation: locked.

The ``│`` marks the threshold a skill must reach; fill, marker and percentage follow one rule
(``progress.levels``), so a bar at 74 % stops short of the 80 % marker at every width. Everything
is drawn as text, so ``--ascii`` and NO_COLOR read the same (``#``, ``.``, ``|``, ``*``).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui_tutor.progress.levels import bar, percent
from tui_tutor.quiz.progress_view import Gate, SkillBar

BAR_WIDTH = 14
TITLE_WIDTH = 30  # titles are cut to this on narrow terminals
_PARTS = {False: ("█", "·", "│", "✓", "…"), True: ("#", ".", "|", "*", ".")}


def bar_text(skill: SkillBar, threshold: float, *, ascii: bool = False, width: int = BAR_WIDTH) -> str:
    """``████████····│·`` for one skill, with the threshold marked."""
    full, empty, mark, _, _ = _PARTS[ascii]
    return bar(skill.level, threshold, width, (full, empty, mark))


def gate_text(gate: Gate, *, ascii: bool = False) -> str:
    """One or two sentences: how many skills are mastered, and whether the next concept is open."""
    need = round(100 * gate.threshold)
    unlocks = ", ".join(gate.unlocks) or "the next concept"
    if gate.mastered:
        return f"{gate.concept_title} mastered: every skill is at {need}% or more. Unlocked: {unlocks}."
    done, total = gate.skills_mastered, len(gate.bars)
    return f"{done} of {total} skills mastered ({need}% each). {unlocks}: locked until all are."


def bars_text(gate: Gate, *, ascii: bool = False, width: int = 80) -> Text:
    """Every skill's bar, then the gate; titles shortened to fit ``width`` columns."""
    _, _, _, tick, dots = _PARTS[ascii]
    title_width = max(8, min(TITLE_WIDTH, width - BAR_WIDTH - 16, max((len(b.title) for b in gate.bars), default=8)))
    bar_width = BAR_WIDTH if width >= 40 else max(4, width - title_width - 12)
    text = Text()
    for skill in gate.bars:
        title = skill.title if len(skill.title) <= title_width else skill.title[: title_width - 1] + dots
        text.append(f"{title:<{title_width}} ")
        style = "green" if skill.mastered else ("yellow" if skill.attempts else "dim")
        text.append(bar_text(skill, gate.threshold, ascii=ascii, width=bar_width), style=style)
        text.append(f" {percent(skill.level):3d}%  ")
        if skill.mastered:
            text.append(tick, style="green")
        elif skill.attempts:
            text.append(f"{skill.attempts} {'try' if skill.attempts == 1 else 'tries'}", style="dim")
        else:
            text.append("not tried", style="dim")
        text.append("\n")
    text.append(gate_text(gate, ascii=ascii), style="bold green" if gate.mastered else "")
    return text


class MasteryBars(Static):
    """The bars and the gate, redrawn to fit whenever the gate changes or the widget resizes."""

    DEFAULT_CSS = """
    MasteryBars { width: 1fr; height: auto; }
    """

    def __init__(self, gate: Gate | None = None, *, ascii: bool = False, id: str | None = None):
        super().__init__("", id=id)
        self.gate = gate
        self.ascii = ascii

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def show(self, gate: Gate) -> None:
        """Draw ``gate`` (the bars after the latest attempt)."""
        self.gate = gate
        self._draw()

    def _draw(self) -> None:
        if self.gate is None:
            self.update("Mastery could not be read.")
            return
        self.update(bars_text(self.gate, ascii=self.ascii, width=self.size.width or 80))
