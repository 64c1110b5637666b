"""Widgets: one per module, each drawing one kind of thing the course shows."""
