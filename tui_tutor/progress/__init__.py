"""The learner's progress: attempts on disk, mastery per skill, and the spaced-review schedule.

Pure Python (sqlite3 + fsrs), no Textual: screens and the CLI both build on it. Import the
submodules (store, records, mastery, review, report, command) directly; this package imports
nothing, so opening the store at start-up does not load the scheduler.
"""
