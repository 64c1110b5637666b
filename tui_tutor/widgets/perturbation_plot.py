"""One panel of the perturbation player: a space (x, u, ..., y) drawn with plotext.

A plane for 2-D, a line for 1-D (a value line for a scalar output), a chosen pair of coordinates
for 3-D and up. The panel is told the scene (model, mode, t, zoom, projection); it works out its
frame for its own size (:func:`~tui_tutor.widgets.player_frames.panel_frame`) and repaints only
when that frame changed, and it caches the built plot so a repaint for any other reason is free.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import plotext._utility as plotext_utility
from rich.style import Style
from rich.text import Text
from textual_plotext import PlotextPlot

from tui_tutor.engine.player_results import PlayerModel
from tui_tutor.widgets.player_frames import PanelFrame, panel_frame

log = logging.getLogger(__name__)

MIN_WIDTH, MIN_HEIGHT = 12, 6  # below this a plot shows nothing worth the space
Y_LABELS, X_CHROME, Y_CHROME = 6, 2, 4  # cells taken by tick labels, frame and title

# plotext draws its frame with box-drawing characters; under --ascii they become ASCII here, at
# the source, so the plot reads as intended instead of relying on the app-wide filter.
_ASCII_FRAME = str.maketrans({c: "+" for c in "┌┐└┘├┤┬┴┼"} | {"│": "|", "─": "-"})


@dataclass(frozen=True)
class Scene:
    """What every panel of the player shows: one model at one instant, in one mode and zoom."""

    model: PlayerModel
    mode: str  # "forward" or "reverse"
    t: float
    zoom: int  # index into model.zooms
    projection: int


class PerturbationPlot(PlotextPlot):
    """A plotext panel showing one space of the player."""

    DEFAULT_CSS = """
    PerturbationPlot { width: 1fr; height: 1fr; min-height: 3; }
    """

    def __init__(self, space: int, *, ascii: bool = False, id: str | None = None):
        super().__init__(id=id)
        self.space = space
        self.ascii = ascii
        self.scene: Scene | None = None
        self.frame: PanelFrame | None = None
        self._frame_size: tuple[int, int] | None = None
        self._built: tuple[tuple, Text] | None = None
        self.builds = 0  # how many times plotext drew this panel (tests check redraw economy)

    # --- what to show ------------------------------------------------------------------------------

    def canvas(self) -> tuple[int, int]:
        """The plot area inside plotext's frame, ticks and title, in cells."""
        width, height = self.size
        return max(1, width - Y_LABELS - X_CHROME), max(1, height - Y_CHROME)

    def show(self, scene: Scene) -> bool:
        """Show a scene; repaint only if this panel's picture changed. Returns whether it did."""
        self.scene = scene
        frame = self._compute()
        if frame == self.frame:
            return False
        self.frame = frame
        self.refresh()
        return True

    def _compute(self) -> PanelFrame | None:
        scene = self.scene
        if scene is None or self.space >= len(scene.model.spaces):
            return None
        self._frame_size = tuple(self.size)
        return panel_frame(
            scene.model,
            self.space,
            mode=scene.mode,
            t=scene.t,
            zoom=scene.zoom,
            projection=scene.projection,
            canvas=self.canvas(),
            ascii=self.ascii,
        )

    def on_resize(self) -> None:
        if self.scene is not None:
            self.frame = self._compute()

    # --- drawing -----------------------------------------------------------------------------------

    def render(self):
        width, height = self.size
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            return Text("(too small)", style="dim")
        if self.frame is None or self._frame_size != (width, height):
            self.frame = self._compute()
        if self.frame is None:
            return Text("")
        theme = self._get_plotext_theme_name(self.app.theme)
        key = (width, height, theme, self.frame)
        if self._built is not None and self._built[0] == key:
            return self._built[1]
        try:
            text = self._build(self.frame, width, height, theme)
        except Exception:  # noqa: BLE001 - a plotting glitch must not take the screen down
            log.warning("plot could not be drawn", exc_info=True)
            text = Text("(this plot could not be drawn)", style="dim")
        self._built = (key, text)
        return text

    def _build(self, frame: PanelFrame, width: int, height: int, theme: str) -> Text:
        # Under NO_COLOR Textual turns colours into greys, some too dark to read on the plot's
        # background; the marks differ by shape (lines, dots, blocks), so draw them uncoloured.
        plain = bool(getattr(self.app, "no_color", False))
        text = build_plot(self.plt, frame, width, height, theme, ascii=self.ascii, plain=plain)
        self.builds += 1
        return text


def draw_frame(plt, frame: PanelFrame, width: int, height: int, theme: str, *, plain: bool = False) -> None:
    """Put a frame on a plotext figure (without building it)."""
    # clear_data, not clear_figure: re-creating the figure costs more than drawing it. What
    # clear_data keeps (size, theme, limits, title) is set again below; hidden y ticks cannot be
    # switched back on, so only a line turning into a plane starts a fresh figure.
    if getattr(plt, "_tui_one_d", False) and not frame.one_d:
        plt.clear_figure()
    else:
        plt.clear_data()
    plt._tui_one_d = frame.one_d
    plt.plotsize(width, height)
    plt._set_size(width, height)  # see PlotextPlot.render: plotsize alone does not always stick
    plt.theme(theme)
    for series in frame.series:
        if series.xs:
            draw = plt.plot if series.lines else plt.scatter
            draw(list(series.xs), list(series.ys), marker=series.marker, color="default" if plain else series.color)
    plt.xlim(*frame.xlim)
    plt.ylim(*frame.ylim)
    plt.title(frame.title)
    if frame.one_d:
        # A line has no second coordinate: its rows are named instead (linear, true, ...).
        plt.yticks([y for y, _ in frame.rows], [label for _, label in frame.rows])


def build_plot(
    plt, frame: PanelFrame, width: int, height: int, theme: str, *, ascii: bool = False, plain: bool = False
) -> Text:
    """Draw a frame with plotext and return the picture as Rich Text (``plain``: no colours)."""
    draw_frame(plt, frame, width, height, theme, plain=plain)
    return matrix_text(plt, ascii=ascii)


def matrix_text(plt, *, ascii: bool = False) -> Text:
    """plotext's picture as Rich Text, read straight from its character matrix.

    The same characters and colours as ``Text.from_ansi(plt.build())``, without plotext writing an
    ANSI escape per cell and Rich parsing them back: with a full-colour theme that round trip was
    two thirds of the time of a frame (see benchmarks/bench_frame.py).
    """
    plt._set_sizes()
    plt._build_matrix()  # what plt.build() does before it writes the ANSI string
    matrix = plt.monitor.matrix
    text = Text(no_wrap=True, end="")
    append = text.append
    for row in range(matrix.rows - 1, -1, -1):  # plotext's row 0 is the bottom
        markers, fore, style, back = matrix.marker[row], matrix.fullground[row], matrix.style[row], matrix.background[row]
        col, cols = 0, matrix.cols
        while col < cols:
            key = (fore[col], style[col], back[col])
            end = col + 1
            while end < cols and fore[end] == key[0] and style[end] == key[1] and back[end] == key[2]:
                end += 1
            run = "".join(markers[col:end])
            append(run.translate(_ASCII_FRAME) if ascii else run, _rich_style(key))
            col = end
        if row:
            append("\n")
    return text


_STYLES: dict[str, Style] = {}


def _rich_style(colors: tuple) -> Style:
    """The Rich style of plotext's (foreground, style, background) — plotext's own ANSI, parsed once."""
    key = repr(colors)
    style = _STYLES.get(key)
    if style is None:
        parsed = Text.from_ansi(plotext_utility.colors_to_ansi(*colors) + "x")
        style = Style.combine([span.style for span in parsed.spans]) if parsed.spans else Style()
        _STYLES[key] = style
    return style
