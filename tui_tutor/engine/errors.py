"""The engine's errors a person can act on, in a module that imports nothing heavy.

They are raised in the worker process and unpickled in the caller's; unpickling an exception
imports the module that defines its class. Defined in the parser or in the chain module, a
ParseError arriving in the app would import sympy there — half a second's stall on the first typo,
in the process that must never load sympy. :mod:`tui_tutor.engine.parse` and
:mod:`tui_tutor.engine.chain` re-export them under their old names.
"""

from __future__ import annotations


class ParseError(ValueError):
    """Input that cannot be read. ``str()`` is one line a person can act on."""

    def __init__(self, message: str, column: int | None = None, hint: str = ""):
        self.reason = message
        self.column = column
        self.hint = hint
        text = message if column is None else f"{message} at column {column}"
        super().__init__(f"{text}; {hint}" if hint else text)

    def __reduce__(self):  # keep the fields when the error crosses from the worker process
        return (type(self), (self.reason, self.column, self.hint))


class ChainError(ValueError):
    """A composition that does not fit together; the message says which layer and why."""
