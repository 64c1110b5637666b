"""Screens: thin layouts that wire widgets to the engine, the course and the progress store."""
