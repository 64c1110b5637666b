"""The end of a quiz: score, time, results per skill, the mistakes made, and the mastery bars."""

from __future__ import annotations

from typing import Any, Mapping

from rich.table import Table
from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from tui_tutor.quiz.progress_view import Gate
from tui_tutor.quiz.session import ENDED_EARLY, ENDED_TIME, MODE_NAMES, clock_text
from tui_tutor.widgets.mastery_bars import MasteryBars

_ENDINGS = {ENDED_TIME: "Time is up", ENDED_EARLY: "Ended early"}


def headline(summary: Mapping[str, Any]) -> str:
    """``Quiz finished``, ``Review finished``, ``Time is up``..."""
    what = MODE_NAMES.get(summary["mode"], "Quiz")
    return _ENDINGS.get(summary["ended"] or "", f"{what} finished")


def score_text(summary: Mapping[str, Any]) -> str:
    """The first-try score as the headline, "eventually right" beside it, then the details."""
    total = summary["total"]
    right = summary.get("eventually_right", summary["correct"])
    lines = [
        f"First-try score {number_text(summary['score'])} of {total} ({summary['percent']}%)   "
        f"eventually right {right} of {total}   time {clock_text(summary['seconds'])}"
    ]
    extra = [f"{summary['first_try']} right at the first try"]
    if summary["answered"] < total:
        extra.append(f"{total - summary['answered']} not answered")
    if summary["hints"]:
        extra.append(f"{summary['hints']} hint{'s' if summary['hints'] != 1 else ''}")
    if summary["solutions"]:
        extra.append(f"{summary['solutions']} solution{'s' if summary['solutions'] != 1 else ''} shown")
    lines.append(", ".join(extra) + ". A retry earns half or less; a named mistake earns nothing.")
    return "\n".join(lines)


def number_text(value: float) -> str:
    """A score as people write it: ``3``, ``3.5``, ``3.25``."""
    return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0")


def replay_text(summary: Mapping[str, Any]) -> str:
    """How to get the same quiz again (for a class to share)."""
    if summary["mode"] != "quiz":
        return f"{MODE_NAMES.get(summary['mode'], 'Review')} seed {summary['seed']}."
    parts = [f"tui-tutor quiz --count {summary['total']} --seed {summary['seed']}"]
    if summary.get("skill"):
        parts.append(f"--skill {summary['skill']}")
    if summary.get("minutes"):
        parts.append(f"--minutes {summary['minutes']:g}")
    return f"Seed {summary['seed']}. The same quiz again: {' '.join(parts)}"


def skills_table(summary: Mapping[str, Any]) -> Table:
    """One row per skill the quiz asked about: questions, right first time, right eventually, score."""
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold", expand=False)
    table.add_column("Skill", overflow="ellipsis", no_wrap=True, max_width=34)
    table.add_column("asked", justify="right")
    table.add_column("1st try", justify="right")
    table.add_column("right", justify="right")
    table.add_column("score", justify="right")
    for row in summary["skills"].values():
        table.add_row(row["title"], str(row["questions"]), str(row.get("first_try", "")), str(row["correct"]),
                      number_text(row["score"]))  # fmt: skip
    return table


def mistakes_text(summary: Mapping[str, Any], titles: Mapping[str, str], *, ascii: bool = False) -> Text:
    """Each diagnosed mistake with how often it was made and the lesson's name for it."""
    times = "x" if ascii else "×"
    text = Text()
    if not summary["mistakes"]:
        text.append("No recognised mistakes." if summary["answered"] else "Nothing was answered.")
        return text
    for i, (code, count) in enumerate(summary["mistakes"].items()):
        if i:
            text.append("\n")
        text.append(f"{code} {times}{count}", style="bold")
        if code in titles:
            text.append(f"  {titles[code]}")
    return text


class QuizSummary(Vertical):
    """Everything the end of a quiz shows; ``gate`` may be None if progress cannot be read."""

    DEFAULT_CSS = """
    QuizSummary { width: 1fr; height: auto; }
    QuizSummary #s-head { text-style: bold; color: $text-accent; }
    QuizSummary .s-title { text-style: bold; margin: 1 0 0 0; }
    QuizSummary #s-replay { color: $text-muted; }
    QuizSummary #s-guide { color: $text-muted; margin: 1 0 0 0; }
    """

    def __init__(self, summary: Mapping[str, Any], gate: Gate | None, *, mistake_titles: Mapping[str, str] | None = None, guide: str = "", ascii: bool = False):
        super().__init__(id="summary")
        self.summary = summary
        self.gate = gate
        self.mistake_titles = mistake_titles or {}
        self.guide = guide
        self.ascii = ascii

    def compose(self):
        s = self.summary
        yield Static(Text(headline(s)), id="s-head")
        yield Static(Text(score_text(s)), id="s-score")
        yield Static(Text(replay_text(s)), id="s-replay")
        if s["skills"]:
            yield Static(Text("By skill"), classes="s-title")
            yield Static(skills_table(s), id="s-skills")
        yield Static(Text("Mistakes"), classes="s-title")
        yield Static(mistakes_text(s, self.mistake_titles, ascii=self.ascii), id="s-mistakes")
        yield Static(Text("Mastery"), classes="s-title")
        yield MasteryBars(self.gate, ascii=self.ascii, id="s-mastery")
        if self.guide:
            yield Static(Text(self.guide), id="s-guide")
