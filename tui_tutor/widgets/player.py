"""The perturbation player: its clock and controls, and the widget that shows its panels.

:class:`PlayerClock` is the state behind the source lesson's ⏮ ◀◀ ▶ ▶▶, speed and zoom buttons —
plain Python, so every control can be tested without a screen. :class:`PlayerView` lays out one
:class:`~tui_tutor.widgets.perturbation_plot.PerturbationPlot` per space with a status line, a
caption and the numbers, and runs the clock with a timer of at most 20 frames a second that only
runs while playing. With ``TEXTUAL_ANIMATIONS=none`` nothing animates: play steps a stage at a
time, which stays usable over a slow SSH link.
"""

from __future__ import annotations

import math
import time

from rich.text import Text
from textual.containers import Grid, Vertical
from textual.widgets import Static

from tui_tutor.engine.player_results import PlayerModel
from tui_tutor.widgets.perturbation_plot import PerturbationPlot, Scene
from tui_tutor.widgets.player_frames import (
    caption,
    duration,
    legend_text,
    numbers_text,
    projection_count,
    stage_starts,
)

SPEEDS = (0.25, 0.5, 1.0, 2.0)
STEP = 0.25  # seconds of clock per ◀◀ / ▶▶
FPS = 20  # frames a second at most: smooth enough, and light on a remote terminal
PANEL_ASPECT = 2.2  # a panel reads best about this many times wider than tall (in cells)


class PanelGrid(Grid):
    """The panels' grid; it re-arranges them whenever its own size changes (shown, resized)."""

    def on_resize(self) -> None:
        if isinstance(self.parent, PlayerView):
            self.parent.arrange_panels()


class PlayerClock:
    """Clock t, play/pause, speed, zoom level, mode and projection of the player."""

    def __init__(self, *, zoom_levels: int = 1, duration: float = 1.0):
        self.t = 0.0
        self.playing = False
        self.speed_index = SPEEDS.index(1.0)
        self.zoom = 0  # index into the model's zoom levels
        self.zoom_levels = zoom_levels
        self.mode = "forward"
        self.projection = 0
        self.duration = duration

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    @property
    def at_end(self) -> bool:
        return self.t >= self.duration - 1e-9

    def restart(self) -> None:
        """⏮: back to t = 0 (still playing if it was)."""
        self.t = 0.0

    def step(self, direction: int) -> None:
        """◀◀ / ▶▶: pause and move the clock one step, on the grid of whole steps."""
        self.playing = False
        steps = self.t / STEP
        target = (math.floor(steps + 1e-9) + 1) if direction > 0 else (math.ceil(steps - 1e-9) - 1)
        self.t = min(self.duration, max(0.0, target * STEP))

    def toggle(self) -> None:
        """▶: play or pause; playing from the end starts again from the beginning."""
        if not self.playing and self.at_end:
            self.t = 0.0
        self.playing = not self.playing

    def next_stage(self, starts: list[float]) -> None:
        """Without animations, ▶ jumps to the start of the next stage (and wraps at the end)."""
        self.playing = False
        later = [s for s in starts if s > self.t + 1e-9]
        self.t = min(later) if later and not self.at_end else 0.0

    def advance(self, seconds: float) -> bool:
        """Move the clock on by ``seconds`` of real time at the current speed; True if t changed."""
        if not self.playing or seconds <= 0:
            return False
        before = self.t
        self.t = min(self.duration, self.t + seconds * self.speed)
        if self.at_end:
            self.playing = False
        return self.t != before

    def cycle_speed(self) -> None:
        self.speed_index = (self.speed_index + 1) % len(SPEEDS)

    def zoom_by(self, delta: int) -> bool:
        """+ / -: one zoom level in or out; False at the ends."""
        target = max(0, min(self.zoom_levels - 1, self.zoom + delta))
        changed = target != self.zoom
        self.zoom = target
        return changed

    def toggle_mode(self) -> None:
        """m: forward ↔ reverse; the new mode starts complete, so there is something to see."""
        self.mode = "reverse" if self.mode == "forward" else "forward"
        self.playing = False

    def status(self, zoom_factor: float, *, ascii: bool = False) -> str:
        """``t=1.25s  speed 1×  zoom ×4  forward  ▶ playing``."""
        times = "x" if ascii else "×"
        speed = f"{self.speed:g}"
        state = ("> playing" if ascii else "▶ playing") if self.playing else ("|| paused" if ascii else "⏸ paused")
        if self.at_end and not self.playing:
            state = "end (Space replays)"
        return f"t={self.t:.2f}s  speed {speed}{times}  zoom {times}{zoom_factor:g}  {self.mode}  {state}"


class PlayerView(Vertical, can_focus=True):
    """Status line, caption, one panel per space, numbers and legend.

    Focusable so Tab can reach it and Esc from a text field lands on it; the keys themselves are
    the screen's, so they work wherever the focus is outside a text field.
    """

    DEFAULT_CSS = """
    PlayerView { height: 1fr; }
    PlayerView #player-status { height: 1; color: $text-accent; text-style: bold; }
    PlayerView #player-caption { height: 1; color: $text-muted; }
    PlayerView #panels { height: 1fr; grid-gutter: 0 1; }
    PlayerView #player-numbers { height: auto; max-height: 4; }
    PlayerView #player-legend { height: 1; color: $text-muted; }
    PlayerView #player-empty { height: 1fr; color: $text-muted; content-align: center middle; }
    """

    def __init__(self, *, ascii: bool = False, clock=time.monotonic, id: str | None = None):
        super().__init__(id=id)
        self.ascii = ascii
        self.model: PlayerModel | None = None
        self.clock = PlayerClock()
        self._now = clock
        self._last = 0.0
        self._timer = None
        self._first_model = True
        self._panels: list[PerturbationPlot] = []
        self._texts: dict[str, str] = {}
        self.frames_drawn = 0  # redraws caused by the clock (tests check the frame budget)

    def compose(self):
        yield Static("", id="player-status")
        yield Static("", id="player-caption")
        yield Static(Text("Give a point in 'at' to play the perturbation."), id="player-empty")
        yield PanelGrid(id="panels")
        yield Static("", id="player-numbers")
        yield Static("", id="player-legend")

    def on_mount(self) -> None:
        self._timer = self.set_interval(1 / FPS, self._tick, pause=True)
        self.query_one("#panels").display = False

    # --- model -------------------------------------------------------------------------------------

    @property
    def panels(self) -> list[PerturbationPlot]:
        """The panels, x first (kept here: removed panels linger in the DOM for a moment)."""
        return self._panels

    def set_model(self, model: PlayerModel | None) -> None:
        """Show a new model (after an input change); keep the clock, mode and zoom if they fit."""
        self.model = model
        grid = self.query_one("#panels", Grid)
        self.query_one("#player-empty").display = model is None
        grid.display = model is not None
        if model is None:
            self._pause()
            return
        clock = self.clock
        clock.zoom_levels = len(model.zooms)
        clock.zoom = min(clock.zoom, clock.zoom_levels - 1)
        was_complete = clock.at_end or self._first_model  # the first picture starts complete
        self._first_model = False
        clock.duration = duration(model, clock.mode)
        clock.t = clock.duration if was_complete else min(clock.t, clock.duration)
        if len(self._panels) != len(model.spaces):
            grid.remove_children()
            self._panels = [PerturbationPlot(k, ascii=self.ascii) for k in range(len(model.spaces))]
            grid.mount_all(self._panels)
            self.arrange_panels()
        self.redraw()

    def arrange_panels(self) -> None:
        """Panels in the grid that makes the smallest of them as large as possible.

        A plot wants to be about twice as wide as tall in cells (cells are tall), so four panels
        at 80×24 go in one row of four rather than two rows of squashed ones.
        """
        count = len(self._panels)
        if not count:
            return
        grid = self.query_one("#panels", Grid)
        if not grid.size.area:
            return  # not laid out yet (hidden): PanelGrid calls again when it gets a size
        width, height = grid.size

        def fit(columns: int) -> float:
            rows = math.ceil(count / columns)
            return min(width / columns / PANEL_ASPECT, height / rows)

        def score(columns: int) -> float:  # empty grid cells count against a layout
            filled = count / (columns * math.ceil(count / columns))
            return fit(columns) * math.sqrt(filled)

        columns = max(range(1, count + 1), key=lambda c: (score(c), c))
        rows = math.ceil(count / columns)
        if (grid.styles.grid_size_columns, grid.styles.grid_size_rows) != (columns, rows):
            grid.styles.grid_size_columns = columns
            grid.styles.grid_size_rows = rows

    # --- drawing -----------------------------------------------------------------------------------

    def scene(self) -> Scene | None:
        if self.model is None:
            return None
        c = self.clock
        return Scene(self.model, c.mode, c.t, c.zoom, c.projection)

    def redraw(self) -> None:
        """Bring the panels and text up to date with the clock (panels repaint only if changed)."""
        scene = self.scene()
        if scene is None:
            return
        for panel in self.panels:
            panel.show(scene)
        model, clock, ascii = self.model, self.clock, self.ascii
        zoom_factor = model.zooms[clock.zoom].zoom
        self._set("#player-status", clock.status(zoom_factor, ascii=ascii))
        self._set("#player-caption", caption(model, clock.mode, clock.t, ascii=ascii))
        self._set("#player-numbers", numbers_text(model, clock.mode, clock.zoom, ascii=ascii))
        self._set("#player-legend", legend_text(clock.mode, ascii=ascii))

    def _set(self, selector: str, text: str) -> None:
        """Update a line only when its text changes (the numbers' height is auto: no relayout per frame)."""
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(Text(text))

    # --- the clock ---------------------------------------------------------------------------------

    @property
    def animated(self) -> bool:
        return self.app.animation_level != "none"

    def _tick(self) -> None:
        now = self._now()
        elapsed, self._last = now - self._last, now
        if self.clock.advance(elapsed):
            self.frames_drawn += 1
            self.redraw()
        if not self.clock.playing:
            self._pause()
            self.redraw()

    def _pause(self) -> None:
        if self._timer is not None:
            self._timer.pause()

    # --- controls (the screen's key bindings call these) -------------------------------------------

    def restart(self) -> None:
        self.clock.restart()
        self._last = self._now()
        self.redraw()

    def step(self, direction: int) -> None:
        self.clock.step(direction)
        self._pause()
        self.redraw()

    def play_pause(self) -> None:
        if self.model is None:
            return
        if not self.animated:
            self.clock.next_stage(stage_starts(self.model, self.clock.mode))
        else:
            self.clock.toggle()
            if self.clock.playing:
                self._last = self._now()
                self._timer.resume()
            else:
                self._pause()
        self.redraw()

    def cycle_speed(self) -> None:
        self.clock.cycle_speed()
        self.redraw()

    def zoom_by(self, delta: int) -> bool:
        changed = self.clock.zoom_by(delta)
        self.redraw()
        return changed

    def toggle_mode(self) -> None:
        self._pause()
        self.clock.toggle_mode()
        if self.model is not None:
            self.clock.duration = duration(self.model, self.clock.mode)
            self.clock.t = self.clock.duration
        self.redraw()

    def cycle_projection(self) -> bool:
        """Show the next pair of coordinates of the spaces with three or more; False if none."""
        if self.model is None or projection_count(self.model) < 2:
            return False
        self.clock.projection = (self.clock.projection + 1) % projection_count(self.model)
        self.redraw()
        return True
