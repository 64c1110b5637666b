"""One quiz question on screen: prompt, hints, the answer box with its preview, feedback, solution.

The view only draws; the quiz screen decides what happens (grading, recording, moving on) and
calls ``add_hint``, ``show_verdict``, ``show_solution`` and ``set_guide``.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.widgets import Static

from tui_tutor.mathtext import render_prose
from tui_tutor.content.model import QuizItem
from tui_tutor.widgets.answer_box import AnswerBox

# Shown beside "Incorrect" so the learner can find the lesson's page about the mistake.
_MISTAKE_PAGE = "Lesson > Common mistakes"


def entries_grid(shape: tuple[int, int], wrong: list[tuple[int, int]] | tuple, *, ascii: bool = False) -> list[str]:
    """Rows of ✓/✗ marks, one per entry of a ``shape`` answer, ✗ where ``wrong`` (1-based)."""
    right_mark, wrong_mark = ("ok", "XX") if ascii else ("✓", "✗")
    bad = {tuple(e) for e in wrong}
    return ["  ".join(wrong_mark if (r, c) in bad else right_mark for c in range(1, shape[1] + 1)) for r in range(1, shape[0] + 1)]


def fit_shape(shape: tuple[int, int] | None, wrong: list | tuple) -> tuple[int, int] | None:
    """The answer's shape as the grader indexed it (a vector may have been read transposed)."""
    if shape is None or not wrong:
        return shape
    rows = max(e[0] for e in wrong)
    cols = max(e[1] for e in wrong)
    if rows <= shape[0] and cols <= shape[1]:
        return shape
    flipped = (shape[1], shape[0])
    return flipped if rows <= flipped[0] and cols <= flipped[1] else None


def typed_form(answer: str) -> str:
    """An answer as a learner types it: the engine's nested ``[[1, 2], [3, 4]]`` as ``[1, 2; 3, 4]``."""
    text = answer.strip()
    if not (text.startswith("[[") and text.endswith("]]")):
        return text
    rows, depth, start = [], 0, 1
    for i, char in enumerate(text[1:-1], 1):
        if char in "[(":
            depth += 1
            if depth == 1 and char == "[":
                start = i + 1
        elif char in "])":
            depth -= 1
            if depth == 0 and char == "]":
                rows.append(text[start:i].strip())
    return "[" + "; ".join(rows) + "]" if rows else text


def guide_text(question: Any, *, last: bool, keys: dict[str, str], typing: bool = True) -> str:
    """What the learner can do next, in words, with the keys that work now (``typing``: in the field).

    ``keys`` names the keys for ``hint``, ``solution``, ``next`` and ``answer`` (back to the field).
    """
    stuck = (
        f"{keys['hint']} for a hint ({question.hints_left} left)" if question.hints_left
        else f"{keys['solution']} for the worked solution"
    )  # fmt: skip
    go = "Enter" if typing else keys["next"]
    answer = "press Enter" if typing else f"press {keys['answer']} to answer"
    if question.correct:
        return f"Press {go} to see your results." if last else f"Press {go} for the next question."
    if question.solution_shown:
        return f"Now try it yourself (it no longer counts for the score), or {keys['next']} to move on."
    if question.attempts:
        return f"Change your answer and {answer} to try again, or {stuck}."
    return f"Type your answer and {answer}. Stuck? {stuck}." if typing else f"To answer, press {keys['answer']}. Stuck? {stuck}."


class QuestionView(Vertical):
    """The question being asked. ``number`` is 1-based; ``reason`` says why a review asks it."""

    DEFAULT_CSS = """
    QuestionView { width: 1fr; height: auto; }
    QuestionView #q-head { color: $text-accent; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; }
    QuestionView #q-reason { color: $text-muted; }
    QuestionView #q-prompt { margin: 1 0 1 0; }
    QuestionView #q-choices { margin: 0 0 1 2; height: auto; }
    QuestionView #q-hints { height: auto; }
    QuestionView .hint { height: auto; margin: 0 0 1 0; padding: 0 1; border-left: thick $warning; }
    QuestionView #q-more { height: auto; margin: 0 0 0 1; }
    QuestionView #q-solution { height: auto; display: none; border: round $success; padding: 0 1; border-title-color: $success; }
    QuestionView #q-solution.-shown { display: block; }
    QuestionView #q-guide { color: $text-muted; margin: 1 0 0 1; height: auto; }
    """

    def __init__(self, item: QuizItem, number: int, total: int, *, skill_titles: str = "", reason: str = "", ascii: bool = False):
        super().__init__(id="question")
        self.item = item
        self._verdict: tuple[str, Any, str | None, str] | None = None  # (answer, verdict, mistake title, note) shown
        self.number = number
        self.total = total
        self.skill_titles = skill_titles
        self.reason = reason
        self.ascii = ascii

    def compose(self):
        dot = "-" if self.ascii else "·"
        head = f"Question {self.number} of {self.total}"
        if self.skill_titles:
            head += f"  {dot}  {self.skill_titles}"
        yield Static(Text(head), id="q-head")
        if self.reason:
            yield Static(Text(f"Why now: {self.reason}"), id="q-reason")
        yield Static(Text(render_prose(self.item.prompt.strip(), ascii=self.ascii)), id="q-prompt")
        if self.item.choices:
            choices = Table.grid(padding=(0, 1))  # a wrapped choice stays under its own text
            choices.add_column(no_wrap=True)
            choices.add_column()
            for i, choice in enumerate(self.item.choices):
                choices.add_row(f"{chr(ord('a') + i)})", Text(render_prose(choice, ascii=self.ascii)))
            yield Static(choices, id="q-choices")
        yield Vertical(id="q-hints")
        yield AnswerBox(self.item.kind, choices=self.item.choices, ascii=self.ascii, id="q-answer")
        more = Static("", id="q-more")
        more.display = False
        yield more
        solution = Static("", id="q-solution")
        solution.border_title = "Worked solution"
        yield solution
        yield Static("", id="q-guide")

    @property
    def answer_box(self) -> AnswerBox:
        return self.query_one(AnswerBox)

    def add_hint(self, tier: int, text: str) -> Static:
        """Show hint ``tier`` (1 = gentlest) under the earlier ones."""
        of = len(self.item.hints)
        hint = Static(Text(f"Hint {tier} of {of}: " + render_prose(text.strip(), ascii=self.ascii)), classes="hint")
        self.query_one("#q-hints").mount(hint)
        return hint

    def show_solution(self, item: QuizItem) -> Static:
        """Reveal the worked solution of ``item`` (the question's item, its variant's answer filled in)."""
        self.item = item
        solution = self.query_one("#q-solution", Static)
        body = render_prose(item.solution.strip(), ascii=self.ascii) or "No worked solution was written for this question."
        if item.answer:
            # In answer syntax, so the learner sees exactly what would have been accepted.
            body += f"\n\nThe answer, as you would type it: {typed_form(item.answer)}"
        solution.update(Text(body))
        solution.add_class("-shown")
        return solution

    def show_verdict(self, verdict: Any, *, mistake_title: str | None = None, note: str = "") -> None:
        """``Correct`` / ``Incorrect: diagnosis``, what the try earned (``note``) and which entries are wrong."""
        box = self.answer_box
        self._verdict = (box.input.value, verdict, mistake_title, note)
        box.show_feedback(verdict.message, bool(verdict.correct))
        more = Text(note)
        wrong = list(verdict.wrong_entries or ())
        if not verdict.correct and 0 < verdict.score < 1:
            shape = fit_shape(box.last_shape, wrong)
            if shape is not None and shape[0] * shape[1] > 1:
                grid = entries_grid(shape, wrong, ascii=self.ascii)
                lead = "Your entries: "
                for i, row in enumerate(grid):
                    more.append(("\n" if more else "") + (lead if i == 0 else " " * len(lead)) + row)
        if not verdict.correct and mistake_title:
            if more:
                more.append("\n")
            more.append(f"A common mistake: {mistake_title} (see {_MISTAKE_PAGE}).", style="italic")
        self._set_more(more)

    @on(AnswerBox.Read)
    def _answer_read(self, event: AnswerBox.Read) -> None:
        # Enter grades without waiting for the preview; the grid of wrong entries needs the
        # answer's shape, which the preview brings. Redraw the verdict when it comes.
        event.stop()
        shown = self._verdict
        if shown is not None and shown[0] == event.text:
            self.show_verdict(shown[1], mistake_title=shown[2], note=shown[3])

    def clear_answer(self) -> None:
        """Empty the field, its preview and the feedback, for another try."""
        self.answer_box.clear()
        self._set_more(Text())

    def _set_more(self, text: Text) -> None:
        more = self.query_one("#q-more", Static)
        more.update(text)
        more.display = bool(text.plain)

    def set_guide(self, text: str) -> None:
        """The line under the question saying what can be done next."""
        for guide in self.query("#q-guide").results(Static):  # none while the view is being removed
            guide.update(Text(text))
