"""Lesson content: loading and validating the YAML course (its maths is drawn by tui_tutor.mathtext)."""
