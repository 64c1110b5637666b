"""Lesson content: loading and validating the YAML course, and rendering its math as text."""
