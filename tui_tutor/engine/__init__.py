"""The mathematics of the tutor: parse, differentiate, grade, render. No UI, no file I/O.

Submodules import sympy; importing this package alone does not, so the app can start drawing
before sympy has loaded.
"""
