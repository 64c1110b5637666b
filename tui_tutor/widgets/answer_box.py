"""An answer field that shows how the answer was read before it is submitted.

As the learner types, the engine reads the text (debounced, off the UI thread) and the line below
says ``read as: 1×2 row vector  [1, 4]`` with the value as it was typed beside it (decimals stay
decimals; drawn in two dimensions only when one line is too narrow) — or where the text stops
making sense. Submitting an unreadable answer costs nothing: it is pointed out, not graded. The
preview and the verdict are scrolled into view when they appear.
"""

from __future__ import annotations

import logging

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
from tui_tutor.mathtext import render_inline
from tui_tutor.mathtext.block import labelled
from tui_tutor.mathtext.fit import fit_display, wrap_text
from tui_tutor.widgets.mathview import FittedText

log = logging.getLogger(__name__)

PREVIEW_DELAY = 0.15  # seconds of quiet typing before the answer is read


class AnswerInput(Input):
    """The text field of an answer box."""

    FIELD_KEYS = (("enter", "Check"), ("escape", "Leave field"))  # what the key bar says while typing


class PreviewLine(FittedText):
    """``read as: ...`` and the value, laid out for the width there is; or what cannot be read."""

    def __init__(self, *, ascii: bool = False, id: str | None = None):
        super().__init__(id=id)
        self.ascii = ascii
        self.message, self.tex, self.warning = "", "", ""

    def set(self, message: str, tex: str = "", warning: str = "") -> None:
        self.message, self.tex, self.warning = message, tex, warning
        self.display = bool(message)
        self.changed()

    def text_at(self, width: int) -> Text:
        shown = preview_text(self.message, self.tex, width, ascii=self.ascii) if self.tex else _wrap(self.message, width)
        return Text(shown + ("\n" + _wrap(self.warning, width) if self.warning else ""))


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
        preview = PreviewLine(ascii=self.ascii, id="preview")
        feedback = Static("", id="feedback")
        for line in (preview, feedback):
            line.display = False  # until there is something to say
            yield line

    @property
    def input(self) -> Input:
        return self.query_one(AnswerInput)

    def focus_input(self) -> None:
        self.input.focus()

    @property
    def preview(self) -> PreviewLine:
        return self.query_one(PreviewLine)

    def clear(self) -> None:
        self.input.value = ""
        self.preview.set("")
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
        if not text.strip():
            self.preview.set("")
            self._readable = False
            return False
        ok, message, tex = await self._read(text)
        if version != self._typed_version:  # the learner kept typing; a newer preview will come
            return ok
        self._readable = ok
        # Remember what was read, unless the engine failed to answer: then Enter must try again.
        self._previewed = None if self._engine_failed else text
        self._show_preview(ok, message, tex)
        self.post_message(self.Read(self, text))
        return ok

    def _show_preview(self, ok: bool, message: str, tex: str) -> None:
        preview = self.preview
        preview.set_class(not ok or bool(self._warning), "-error")
        preview.set(message, tex if ok else "", self._warning if ok else "")
        self._reveal(preview)

    def _reveal(self, line) -> None:
        """Scroll what just appeared into view, at any size: the box first, then the line itself
        (in a short window the line wins), once the layout has made room for it."""

        def reveal() -> None:
            if self.is_attached and line.display:
                self.scroll_visible(animate=False, immediate=True)
                line.scroll_visible(animate=False, immediate=True)

        self.call_after_refresh(lambda: self.call_after_refresh(reveal))

    async def _read(self, text: str) -> tuple[bool, str, str]:
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
            return False, "", ""  # newer text is being read; this answer is never shown
        except Exception as err:  # noqa: BLE001 - a timeout or a dead worker is shown, not raised
            log.warning("preview failed", exc_info=True)
            self._engine_failed = True
            return False, f"could not read this: {err}", ""
        self.last_shape = result.shape if result.ok else None
        self._warning = result.warning if result.ok else ""
        return result.ok, result.text, result.tex

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
            self._show_preview(ok, message, "")
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
        feedback.update(Text(message))
        feedback.display = bool(message)  # an empty line takes no room (no gap under the field)
        if message:
            self._reveal(feedback)


def preview_text(message: str, tex: str, width: int, *, ascii: bool = False) -> str:
    """The description with the value as it was typed, in ``width`` columns: on one line where it
    fits (``read as: 2×1 column vector  [0.01; −0.02]``), else drawn beside the description, else
    under it."""
    value = render_inline(tex, ascii=ascii)
    one_line = f"{message}  {value}"
    if len(one_line) <= width:
        return one_line
    head = f"{message}  "
    drawn = fit_display(tex, width - len(head), ascii=ascii)
    if drawn.width <= width - len(head) and drawn.height <= 7:
        return labelled(head, drawn).text()
    below = fit_display(tex, width - 2, ascii=ascii)
    return "\n".join([_wrap(message, width), *("  " + line if line else "" for line in below.lines)])


def _wrap(message: str, width: int) -> str:
    lines, _ = wrap_text(message, width, hang=0)
    return "\n".join(lines)


def _placeholder(kind: str) -> str:
    return {
        "scalar": "a number or expression, e.g. 2x1 + 1",
        "vector": "a vector, e.g. [10; 5] or (10, 5)",
        "matrix": "a matrix, e.g. [1, 2; 3, 4] (rows split by ;)",
        "shape": "a shape, e.g. 2x3",
        "choice": "a letter, e.g. b",
    }.get(kind, "your answer")


def _read_shape(text: str, ascii: bool) -> tuple[bool, str, str]:
    try:
        rows, cols = parse_shape(text)
    except ParseError as err:
        return False, str(err), ""
    times = "x" if ascii else "×"
    return True, f"read as: shape {rows}{times}{cols} (rows {times} columns)", ""


def _read_choice(text: str, choices: tuple[str, ...]) -> tuple[bool, str, str]:
    key = text.strip().lower().rstrip(").")
    if len(key) == 1 and key.isalpha() and 0 <= ord(key) - ord("a") < len(choices):
        return True, f"read as: choice {key}", ""
    letters = ", ".join(chr(ord("a") + i) for i in range(len(choices)))
    return False, f"answer with one letter: {letters}", ""
