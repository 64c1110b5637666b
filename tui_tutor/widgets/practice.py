"""A practice problem: prompt, tiered hints, an answer graded by the engine, the solution on request."""

from __future__ import annotations

import logging
import time

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from tui_tutor.mathtext import render_prose
from tui_tutor.engine.bounds import GRADE
from tui_tutor.content.model import PracticeProblem
from tui_tutor.engine.errors import ParseError
from tui_tutor.widgets.answer_box import AnswerBox
from tui_tutor.widgets.blocks import block_widget

log = logging.getLogger(__name__)


class PracticeView(Vertical):
    """One practice problem. ``i`` reveals the next hint, ``s`` the solution; Enter grades.

    Every graded answer is committed to the progress store at once, as a practice attempt scored
    like a quiz answer (``progress.practice``); ``Recorded`` tells the lesson to update its marks.
    """

    class Recorded(Message):
        """A graded answer (or a first look at the solution) was saved for ``problem_id``."""

        def __init__(self, problem_id: str) -> None:
            super().__init__()
            self.problem_id = problem_id

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
        self._since = time.monotonic()  # the clock of the current try
        self._last_wrong: str | None = None  # the last wrong answer, as typed (spaces folded)
        self._grading = False

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
        self._save(lambda store: store.record_hint(self.problem.id, self.hints_shown))
        return True

    def show_solution(self) -> None:
        from tui_tutor.progress.practice import record_solution_shown  # the scheduler loads on first use

        if not self.solution_shown:
            self._save(lambda store: record_solution_shown(store, self.problem, hints_used=self.hints_shown,
                                                           seconds=self._lap()))  # fmt: skip
            self.post_message(self.Recorded(self.problem.id))
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
        if self._grading:  # Enter pressed again while the first is being graded: one try, not two
            return
        if self._last_wrong is not None and " ".join(event.text.split()) == self._last_wrong:
            box.show_feedback("That is the answer you just tried; change it, or press i for a hint.", None)
            return  # the same wrong answer again is not another try
        self._grading = True
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
        finally:
            self._grading = False
        # An answer that was not judged (too few significant figures) is neither right nor wrong.
        if not verdict.counted:
            box.show_feedback(verdict.message, None)
            return
        note = self._record(event.text, verdict)
        self._last_wrong = None if verdict.correct else " ".join(event.text.split())
        box.show_feedback(f"{verdict.message} {note}".strip(), verdict.correct)

    # --- recording --------------------------------------------------------------------------------

    def _lap(self) -> float:
        now = time.monotonic()
        spent, self._since = now - self._since, now
        return spent

    def _save(self, work):
        """Run ``work(store)``; a store that cannot be opened or written costs a notice, not the lesson."""
        try:
            return work(self.app.ensure_store())
        except Exception as err:  # noqa: BLE001 - the answer was graded; say it was not saved
            log.warning("could not save practice progress", exc_info=True)
            self.notify(f"Could not save this: {err}", severity="error", timeout=10)
            return None

    def _record(self, answer: str, verdict) -> str:
        """Commit the graded answer now (a crash after this loses nothing); what it earned, in words."""
        from tui_tutor.progress.practice import record_practice  # the scheduler loads on first use

        saved = self._save(lambda store: record_practice(
            store, self.problem, answer, correct=bool(verdict.correct), partial=float(verdict.score),
            diagnosis=verdict.diagnosis, hints_used=self.hints_shown, solution_shown=self.solution_shown,
            seconds=self._lap(),
        ))  # fmt: skip
        self.post_message(self.Recorded(self.problem.id))
        return saved[1] if saved else ""
