"""The learner's progress: attempts on disk, mastery per skill, and the spaced-review schedule.

Pure Python (sqlite3 + fsrs), no Textual: screens and the CLI both build on it.
"""

from tui_tutor.progress.mastery import SkillMastery, concept_mastered, mastery_by_skill
from tui_tutor.progress.records import Attempt, HintReveal, ReviewCard
from tui_tutor.progress.review import (
    DueReview,
    due,
    record_and_schedule,
    schedule_after_attempt,
)
from tui_tutor.progress.store import ProgressStore

__all__ = [
    "Attempt",
    "DueReview",
    "HintReveal",
    "ProgressStore",
    "ReviewCard",
    "SkillMastery",
    "concept_mastered",
    "due",
    "mastery_by_skill",
    "record_and_schedule",
    "schedule_after_attempt",
]
