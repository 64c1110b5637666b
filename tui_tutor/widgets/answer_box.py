"""An answer field that shows how the answer was read before it is submitted.

As the learner types, the engine reads the text (debounced, off the UI thread) and the line below
says ``read as: 1×2 row vector  [1  4]`` with the pretty-printed value beside it — or where the
text stops making sense. Submitting an unreadable answer costs nothing: it is pointed out, not
graded.
"""

from __future__ import annotations

import logging
import re

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from tui_tutor.engine.bounds import PREVIEW
from tui_tutor.engine.errors import ParseError
from tui_tutor.engine.shapes import parse_shape
from tui_tutor.engine.worker import EngineSuperseded
from tui_tutor.widgets.relayout import relayout_later

log = logging.getLogger(__name__)

PREVIEW_DELAY = 0.15  # seconds of quiet typing before the answer is read


class AnswerInput(Input):
    """The text field of an answer box."""


class AnswerBox(Vertical):
    """Input + live preview + feedback. Posts :class:`AnswerBox.Submitted` with readable text."""

    DEFAULT_CSS = """
    AnswerBox { width: 1fr; height: auto; margin: 0 0 1 0; }
    AnswerBox #preview { color: $text-muted; height: auto; margin: 0 0 0 1; }
    AnswerBox #preview.-error { color: $warning; }
    AnswerBox #feedback { height: auto; margin: 1 0 0 1; }
    AnswerBox #feedback.-correct { color: $success; }
    AnswerBox #feedback.-incorrect { color: $error; }
    """

    class Read(Message):
        """A preview finished reading ``text`` (``box.last_shape`` is its shape)."""

        def __init__(self, box: "AnswerBox", text: str):
            super().__init__()
            self.box = box
            self.text = text

    class Submitted(Message):
        """A readable answer was submitted."""

        def __init__(self, box: "AnswerBox", text: str):
            super().__init__()
            self.box = box
            self.text = text

    def __init__(self, kind: str = "scalar", *, placeholder: str = "", choices: tuple[str, ...] = (), ascii: bool = False, id: str | None = None):
        super().__init__(id=id)
        self.kind = kind
        self.choices = choices
        self.ascii = ascii
        self.placeholder = placeholder or _placeholder(kind)
        self._timer: Timer | None = None
        self._readable = False
        self._previewed: str | None = None  # the text the last finished preview read
        self._engine_failed = False
        self._typed_version = 0
        self.last_shape: tuple[int, int] | None = None  # (rows, cols) of the last readable preview
        self._warning = ""  # readable, but not gradable as typed (a decimal with too few figures)

    def compose(self):
        yield AnswerInput(placeholder=self.placeholder, id="answer")
        for name in ("preview", "feedback"):
            line = Static("", id=name)
            line.display = False  # until there is something to say
            yield line

    @property
    def input(self) -> Input:
        return self.query_one(AnswerInput)

    def focus_input(self) -> None:
        self.input.focus()

    def clear(self) -> None:
        self.input.value = ""
        _show(self.query_one("#preview", Static), "")
        self.show_feedback("", None)

    @on(Input.Changed, "#answer")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._typed_version += 1
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREVIEW_DELAY, self._start_preview)

    def _start_preview(self) -> None:
        self.run_worker(self._preview(self.input.value, self._typed_version), exclusive=True, group="preview")

    async def _preview(self, text: str, version: int) -> bool:
        preview = self.query_one("#preview", Static)
        if not text.strip():
            _show(preview, "")
            self._readable = False
            return False
        ok, message, lines = await self._read(text)
        if version != self._typed_version:  # the learner kept typing; a newer preview will come
            return ok
        self._readable = ok
        # Remember what was read, unless the engine failed to answer: then Enter must try again.
        self._previewed = None if self._engine_failed else text
        self._show_preview(ok, message, lines)
        self.post_message(self.Read(self, text))
        return ok

    def _show_preview(self, ok: bool, message: str, lines: tuple[str, ...]) -> None:
        preview = self.query_one("#preview", Static)
        preview.set_class(not ok or bool(self._warning), "-error")
        shown = preview_text(message, lines) if ok else message
        _show(preview, shown + "\n" + self._warning if ok and self._warning else shown)
        relayout_later(preview)

    async def _read(self, text: str) -> tuple[bool, str, tuple[str, ...]]:
        self.last_shape = None
        self._warning = ""
        self._engine_failed = False
        if self.kind == "shape":
            return _read_shape(text, self.ascii)
        if self.kind == "choice":
            return _read_choice(text, self.choices)
        try:
            # One channel per box: reading newer text abandons reading older text at once.
            result = await self.app.compute(
                "service.preview", text, ascii=self.ascii, cache=False, bound=PREVIEW, channel=f"preview-{id(self)}"
            )
        except EngineSuperseded:
            return False, "", ()  # newer text is being read; this answer is never shown
        except Exception as err:  # noqa: BLE001 - a timeout or a dead worker is shown, not raised
            log.warning("preview failed", exc_info=True)
            self._engine_failed = True
            return False, f"could not read this: {err}", ()
        self.last_shape = result.shape if result.ok else None
        self._warning = result.warning if result.ok else ""
        return result.ok, result.text, tuple(result.lines)

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter: hand the answer over for grading at once.

        Grading reads the text itself, so waiting for a fresh preview first only delays the
        verdict (by the preview's debounce and its engine call) and, with it, the moment the
        attempt is committed: a kill in that gap lost the answer. The preview still catches what
        it already knows cannot be read, and is brought up to date beside the verdict.
        """
        event.stop()
        text = self.input.value
        if self._timer is not None:
            self._timer.stop()
        self._typed_version += 1
        if not text.strip():
            self.show_feedback("Type an answer first.", None)
            return
        if self.kind in ("shape", "choice"):  # read here, in no time: no engine call to wait for
            ok, message, _ = _read_shape(text, self.ascii) if self.kind == "shape" else _read_choice(text, self.choices)
            self._show_preview(ok, message, ())
            self._previewed = text
        elif self._previewed != text:
            self.run_worker(self._preview(text, self._typed_version), exclusive=True, group="preview")
            ok = True  # the grader reads it; an unreadable answer comes back as an error, not counted
        else:
            ok = self._readable
        if not ok:
            self.show_unreadable()
            return
        self.post_message(self.Submitted(self, text))

    def show_unreadable(self) -> None:
        """Say that the answer was not graded because it cannot be read (the preview says why)."""
        self.show_feedback("This answer can't be read yet (see above); it was not counted.", None)

    def show_feedback(self, message: str, correct: bool | None) -> None:
        feedback = self.query_one("#feedback", Static)
        feedback.set_class(correct is True, "-correct")
        feedback.set_class(correct is False, "-incorrect")
        _show(feedback, message)


def _show(line: Static, message: str) -> None:
    """Update a line of the box; an empty line takes no room (no gap under the field)."""
    line.update(Text(message))
    line.display = bool(message)


# "read as: 2×1 column vector" — the engine's description, before its one-line value.
_LABEL = re.compile(r"read as: (?:number|expression|\S+ (?:matrix|column vector|row vector))")


def preview_text(message: str, lines: tuple[str, ...] | list[str]) -> str:
    """The description with the pretty-printed value beside it, on the value's middle line::

        read as: 2×1 column vector  ⎡10⎤
                                    ⎣ 5⎦
    """
    label = _LABEL.match(message)
    if not lines:
        return message
    if label is None:
        return message + "\n" + "\n".join(lines)
    head = label.group(0)
    middle = len(lines) // 2  # the baseline of a power (2 lines) or a fraction's bar (3 lines)
    pad = " " * (len(head) + 2)
    return "\n".join((head + "  " if i == middle else pad) + line.rstrip() for i, line in enumerate(lines))


def _placeholder(kind: str) -> str:
    return {
        "scalar": "a number or expression, e.g. 2x1 + 1",
        "vector": "a vector, e.g. [10; 5] or (10, 5)",
        "matrix": "a matrix, e.g. [1, 2; 3, 4] (rows split by ;)",
        "shape": "a shape, e.g. 2x3",
        "choice": "a letter, e.g. b",
    }.get(kind, "your answer")


def _read_shape(text: str, ascii: bool) -> tuple[bool, str, tuple[str, ...]]:
    try:
        rows, cols = parse_shape(text)
    except ParseError as err:
        return False, str(err), ()
    times = "x" if ascii else "×"
    return True, f"read as: shape {rows}{times}{cols} (rows {times} columns)", ()


def _read_choice(text: str, choices: tuple[str, ...]) -> tuple[bool, str, tuple[str, ...]]:
    key = text.strip().lower().rstrip(").")
    if len(key) == 1 and key.isalpha() and 0 <= ord(key) - ord("a") < len(choices):
        return True, f"read as: choice {key}", ()
    letters = ", ".join(chr(ord("a") + i) for i in range(len(choices)))
    return False, f"answer with one letter: {letters}", ()
