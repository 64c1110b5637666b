"""A worked example revealed one step at a time, with a ``step 2/5`` counter and the insight last."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from tui_tutor.mathtext import render_prose
from tui_tutor.content.model import WorkedExample
from tui_tutor.widgets.blocks import block_widget
from tui_tutor.widgets.note import NoteBox


class StepCounter(Static):
    """``step 2/5`` and what the keys do."""

    DEFAULT_CSS = """
    StepCounter { width: 1fr; height: auto; margin: 0 0 1 0; color: $text-accent; text-style: bold; }
    """


class WorkedExampleView(Vertical):
    """The statement, then steps revealed with Right / l, hidden with Left / h, restarted with Home."""

    DEFAULT_CSS = """
    WorkedExampleView { width: 1fr; height: auto; }
    WorkedExampleView .step { width: 1fr; height: auto; display: none; margin: 0 0 1 0; }
    WorkedExampleView .step.-shown { display: block; }
    WorkedExampleView .step-title { text-style: bold; margin: 0 0 1 0; }
    WorkedExampleView NoteBox.insight { display: none; }
    WorkedExampleView NoteBox.insight.-shown { display: block; }
    """

    revealed: reactive[int] = reactive(0)

    def __init__(self, example: WorkedExample, *, ascii: bool = False, revealed: int = 0):
        super().__init__()
        self.example = example
        self.ascii = ascii
        self.total = len(example.steps)
        self.set_reactive(WorkedExampleView.revealed, max(0, min(revealed, self.total)))

    def compose(self):
        for block in self.example.statement:
            yield block_widget(block, ascii=self.ascii)
        yield StepCounter(self._counter_text(), id="step-counter")
        for number, step in enumerate(self.example.steps, start=1):
            with Vertical(classes="step", id=f"step-{number}"):
                yield Static(Text(f"Step {number}. " + render_prose(step.title, ascii=self.ascii)), classes="step-title")
                for block in step.blocks:
                    yield block_widget(block, ascii=self.ascii)
        yield NoteBox(self.example.insight, title="Insight", ascii=self.ascii, classes="insight")

    def on_mount(self) -> None:
        self._apply()

    def _counter_text(self) -> str:
        arrow_r, arrow_l = ("->", "<-") if self.ascii else ("→", "←")
        if self.revealed == 0:
            return f"step 0/{self.total}   press {arrow_r} or l to reveal the first step"
        if self.revealed == self.total:
            return f"step {self.total}/{self.total}   all steps shown; {arrow_l}/h hides, Home restarts"
        return f"step {self.revealed}/{self.total}   {arrow_r}/l next, {arrow_l}/h back, Home restart"

    def watch_revealed(self, revealed: int) -> None:
        if self.is_mounted:
            self._apply()

    def _apply(self) -> None:
        for number in range(1, self.total + 1):
            self.query_one(f"#step-{number}").set_class(number <= self.revealed, "-shown")
        self.query_one(".insight").set_class(self.revealed == self.total, "-shown")
        self.query_one(StepCounter).update(Text(self._counter_text()))

    def next_step(self) -> bool:
        """Reveal the next step; False when every step is already shown."""
        if self.revealed >= self.total:
            return False
        self.revealed += 1
        return True

    def previous_step(self) -> bool:
        if self.revealed <= 0:
            return False
        self.revealed -= 1
        return True

    def restart(self) -> None:
        self.revealed = 0

    def latest(self):
        """The widget to scroll to after a change: the newest step, or the insight at the end."""
        if self.revealed == self.total:
            return self.query_one(".insight")
        if self.revealed == 0:
            return self.query_one(StepCounter)
        return self.query_one(f"#step-{self.revealed}")
