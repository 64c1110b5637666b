"""A practice problem: prompt, tiered hints, an answer graded by the engine, the solution on request."""

from __future__ import annotations

import logging

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.widgets import Static

from tui_tutor.mathtext import render_prose
from tui_tutor.engine.bounds import GRADE
from tui_tutor.content.model import PracticeProblem
from tui_tutor.engine.errors import ParseError
from tui_tutor.widgets.answer_box import AnswerBox
from tui_tutor.widgets.blocks import block_widget

log = logging.getLogger(__name__)


class PracticeView(Vertical):
    """One practice problem. ``i`` reveals the next hint, ``s`` the solution; Enter grades."""

    DEFAULT_CSS = """
    PracticeView { width: 1fr; height: auto; }
    PracticeView .level { color: $text-accent; text-style: bold; margin: 0 0 1 0; }
    PracticeView #hints { height: auto; margin: 0 0 1 0; }
    PracticeView .hint { height: auto; margin: 0 0 0 2; color: $text-warning; }
    PracticeView #solution { height: auto; display: none; border: round $success; padding: 0 1; }
    PracticeView #solution.-shown { display: block; }
    PracticeView .keys { color: $text-muted; margin: 0 0 1 0; }
    """

    def __init__(self, problem: PracticeProblem, *, ascii: bool = False):
        super().__init__()
        self.problem = problem
        self.ascii = ascii
        self.hints_shown = 0

    def compose(self):
        p = self.problem
        yield Static(Text(f"Practice ({p.level})"), classes="level")
        for block in p.prompt:
            yield block_widget(block, ascii=self.ascii)
        yield Static(Text(self._keys_text()), classes="keys", id="practice-keys")
        yield Vertical(id="hints")
        yield AnswerBox(p.kind, choices=p.choices, ascii=self.ascii, id="practice-answer")
        with Vertical(id="solution") as solution:
            solution.border_title = "Solution"
            for block in p.solution:
                yield block_widget(block, ascii=self.ascii)

    def _keys_text(self) -> str:
        left = len(self.problem.hints) - self.hints_shown
        hint = f"i: hint ({left} left)" if left else "no more hints"
        return f"a: type an answer (Enter checks)   {hint}   s: show the solution"

    def show_hint(self) -> bool:
        """Reveal the next hint; False when none are left."""
        if self.hints_shown >= len(self.problem.hints):
            return False
        text = self.problem.hints[self.hints_shown]
        self.hints_shown += 1
        hint = Static(Text(f"Hint {self.hints_shown}: " + render_prose(text, ascii=self.ascii)), classes="hint")
        self.query_one("#hints").mount(hint)
        self.query_one("#practice-keys", Static).update(Text(self._keys_text()))
        return True

    def show_solution(self) -> None:
        self.query_one("#solution").add_class("-shown")

    @property
    def solution_shown(self) -> bool:
        return self.query_one("#solution").has_class("-shown")

    def focus_answer(self) -> None:
        self.query_one(AnswerBox).focus_input()

    @on(AnswerBox.Submitted)
    async def _grade(self, event: AnswerBox.Submitted) -> None:
        event.stop()
        p = self.problem
        box = event.box
        try:
            if p.problem:
                verdict = await self.app.compute(
                    "service.grade_problem", dict(p.problem), event.text, p.kind, cache=False, bound=GRADE
                )
            else:
                verdict = await self.app.compute(
                    "service.grade_answer", p.answer, event.text, p.kind, None, list(p.choices), cache=False, bound=GRADE
                )
        except ParseError:  # Enter grades at once, so the grader is what finds it unreadable
            box.show_unreadable()
            return
        except Exception as err:  # noqa: BLE001 - a timeout or a dead worker is shown, not raised
            log.warning("grading failed", exc_info=True)
            box.show_feedback(f"Could not grade this: {err}", None)
            return
        # An answer that was not judged (too few significant figures) is neither right nor wrong.
        box.show_feedback(verdict.message, verdict.correct if verdict.counted else None)
