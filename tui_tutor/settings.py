"""What the command line decides about one run of the app: plain dataclasses, nothing else.

Screens read these (the scratchpad's maps, the quiz's count and seed) and the app holds them;
both import them from here, so a screen never imports the app that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ScratchArgs:
    """What ``tui-tutor scratch MAP... --at P --dx D`` fills in."""

    maps: list[str] = field(default_factory=list)
    at: str = ""
    dx: str = ""


@dataclass
class QuizArgs:
    """What ``tui-tutor quiz`` / ``review`` asks for."""

    count: int = 5
    minutes: float | None = None
    seed: int | None = None
    skill: str | None = None
    review: bool = False
    json: bool = False
    mistakes: bool = False  # a short set aimed at the learner's recorded mistakes (review --mistakes)
    out: Path | None = None  # write the summary here (quiz --out), kept current as the quiz goes
    name: str | None = None  # the learner's name in that summary (quiz --name)


@dataclass
class Settings:
    """Everything the command line decides about one run of the app."""

    content_dir: Path | None = None
    ascii: bool = False
    theme: str | None = None
    start: str | None = None  # lesson | scratch | quiz; None resumes where the learner left off
    section: int | None = None  # 1-based, for `lesson --section N`
    example: int | None = None  # 1-based, for `lesson --example N`
    scratch: ScratchArgs | None = None
    quiz: QuizArgs | None = None
