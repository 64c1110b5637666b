"""What is wrong with a piece of course content, and where: ``quiz.yaml:42: answer: ...``."""

from __future__ import annotations

from tui_tutor.safetext import visible


class ContentError(ValueError):
    """One problem in the content, at a file and line a person can open.

    ``path`` is for display (relative to the content root's parent, so it reads
    ``content/multivariable-chain-rule/quiz.yaml``); ``line`` is 1-based, or None when the problem
    is about a whole file or folder.
    """

    def __init__(self, path: str, line: int | None, message: str):
        # Both may quote a course file (a value, a file name): never a raw control character,
        # which would act on the terminal that shows the error.
        self.path = visible(path)
        self.line = line
        self.message = visible(message)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def __reduce__(self):
        return (type(self), (self.path, self.line, self.message))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ContentError):
            return NotImplemented
        return (self.path, self.line, self.message) == (other.path, other.line, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.line, self.message))

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.message)

    def to_dict(self) -> dict:
        """The ``--json`` form: ``{"file", "line", "message"}``."""
        return {"file": self.path, "line": self.line, "message": self.message}


class ContentLoadError(RuntimeError):
    """The content could not be loaded (strict mode, or nothing usable at all)."""

    def __init__(self, errors: list[ContentError]):
        self.errors = list(errors)
        shown = "\n".join(str(e) for e in self.errors[:10])
        more = f"\n... and {len(self.errors) - 10} more" if len(self.errors) > 10 else ""
        super().__init__(f"{len(self.errors)} problem(s) in the course content:\n{shown}{more}")
