"""The scratchpad: type any composition and see the chain rule work on it, or watch Δx travel.

Thin by design: the inputs are sent, debounced, to one engine call (``scratch.work``) off the UI
thread; the answer goes to the results view (widgets/solution_view.py) and to the perturbation
player (widgets/player.py), which animates it without asking the engine again. Newer typing
abandons the computation for older typing (the engine stops it), a result that arrives after newer
typing anyway is dropped, and a parse error is pointed at while the last results that worked stay
on screen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, Label, Static

from tui_tutor.mathtext import render_prose
from tui_tutor.engine.bounds import SCRATCH
from tui_tutor.engine.notation import notation
from tui_tutor.engine.player_results import InputProblem, ScratchResult
from tui_tutor.engine.worker import EngineSuperseded
from tui_tutor.widgets.key_bar import KeyBar
from tui_tutor.widgets.player import PlayerView
from tui_tutor.widgets.player_frames import projection_count
from tui_tutor.widgets.solution_view import SolutionView

log = logging.getLogger(__name__)

SHORT = 20  # rows below which the player hides the inputs and the caption to make room
DEBOUNCE = 0.25  # seconds of quiet typing before the inputs are worked
MAP_FIELDS = ("map1", "map2", "map3", "map4")
PLAYER_ACTIONS = {"play", "restart", "step", "speed", "zoom", "mode", "projection"}


@dataclass(frozen=True)
class Preset:
    """A composition to load with one key."""

    title: str
    maps: tuple[str, ...]
    at: str
    dx: str
    entry: str = ""


# The seed lesson's worked examples and practice problems, and its tiny network
# a = Wx + b, h = σ(a), ℓ = cᵀh with W = [1 -1; 2 1; 0 1], b = (0, -1, 1), c = (1, -2, 0.5).
# Used as they are when the course is not loaded; otherwise they supply the point and Δx that
# the course's problems leave out.
BUILTIN_PRESETS = (
    Preset("Worked example 1: 2 -> 2 -> 1, the gradient", ("x1^2 + x2, x1*x2", "u1 + u2^2"), "1,2", "0.1,0"),
    Preset("Worked example 2: pushforward and pullback", ("x1 + 2x2, x1 - x2", "u1^2 + 3u2"), "1,1", "0.01,-0.02"),
    Preset("Worked example 3: path tracing", ("x1*x2, x2 + x3^2", "u1 + u2, u1*u2"), "1,2,3", "0,0,0.1", "2,3"),
    Preset("Practice (easy): a 3-D middle", ("x1, x1*x2, x2^2", "2u1 - u2 + u3"), "1,2", "0.1,0.1"),
    Preset("Practice (hard): a diagonal Jacobian", ("x1^2, sin(x2)", "u1*u2"), "1,1", "0.1,0.1"),
    Preset(
        "Tiny network: a = Wx + b, h = sigma(a), l = c^T h",
        ("x1 - x2, 2x1 + x2 - 1, x2 + 1", "sigma(u1), sigma(u2), sigma(u3)", "v1 - 2v2 + 0.5v3"),
        "0.5,-0.5",
        "0.2,0.2",
    ),
)
NETWORK = BUILTIN_PRESETS[-1]


def presets(course, *, ascii: bool = False) -> list[Preset]:
    """Worked examples and practice problems from the course (those with maps), then the network."""
    if course is None:
        return list(BUILTIN_PRESETS)
    found = []
    try:
        concept = course.concept()
        items = [("Worked example", e) for e in concept.examples] + [(f"Practice ({p.level})", p) for p in concept.practice]
    except Exception:  # noqa: BLE001 - a course without these still has the built-in presets
        log.warning("could not read presets from the course", exc_info=True)
        return list(BUILTIN_PRESETS)
    for kind, item in items:
        problem = item.problem or {}
        maps = tuple(problem.get("maps") or ())
        if not maps:
            continue  # e.g. a question about shapes only
        known = next((p for p in BUILTIN_PRESETS if p.maps == maps), None)
        at = ",".join(str(v) for v in problem["at"]) if problem.get("at") else (known.at if known else "")
        dx = ",".join(str(v) for v in problem["dx"]) if problem.get("dx") else (known.dx if known else "")
        entry = ",".join(str(v) for v in problem["entry"]) if problem.get("entry") else (known.entry if known else "")
        found.append(Preset(f"{kind}: {render_prose(item.title, ascii=ascii)}", maps, at, dx, entry))
    return found + [NETWORK] if found else list(BUILTIN_PRESETS)


class ScratchpadScreen(Screen):
    """Try any composition of 1-4 maps; results as you type; the perturbation player."""

    CSS_PATH = "scratchpad.tcss"

    # Player keys first (the footer lists them in this order), named as the source's buttons.
    BINDINGS = [
        Binding("space", "play", "Play", id="player-play"),
        Binding("home", "restart", "⏮", tooltip="⏮ back to t=0", id="player-restart"),
        Binding("left", "step(-1)", "◀◀", tooltip="◀◀ step back", id="player-back"),
        Binding("right", "step(1)", "▶▶", tooltip="▶▶ step forward", id="player-step"),
        Binding("s", "speed", "Speed", id="player-speed"),
        Binding("plus,equals_sign", "zoom(1)", "Zoom", id="player-zoom-in"),
        Binding("minus", "zoom(-1)", "Zoom out", show=False, id="player-zoom-out"),
        Binding("m", "mode", "Fwd/Rev", id="player-mode"),
        Binding("c", "projection", "Coords", id="player-projection"),
        Binding("v", "toggle_view", "View", id="scratch-view"),
        Binding("p", "preset", "Preset", id="scratch-preset"),
        Binding("i", "edit", "Edit", show=False, id="scratch-edit"),
    ]

    # What the key bar says while a field has focus (letters type there; these keys still work).
    FIELD_KEYS = (("enter", "Update now"), ("tab", "Next field"), ("escape", "Leave field"))

    def __init__(self):
        super().__init__()
        self.view = "results"
        self.result: ScratchResult | None = None  # the last result shown (with a problem or not)
        self.shown: ScratchResult | None = None  # the last result without a problem
        self.preset_index = -1
        self.edited = False  # the maps were changed by typing since the preset was loaded
        self._version = 0  # bumped by every change of the inputs; older answers are dropped
        self._timer: Timer | None = None
        self.computing = False

    # --- layout ----------------------------------------------------------------------------------

    def compose(self):
        ascii = self.app.ascii_mode
        with Vertical(id="inputs"):
            with Horizontal(classes="input-row"):
                for k, letter in enumerate("xu"):
                    yield Label(f"{letter}{'->' if ascii else '→'}", classes="field-label")
                    yield _field(_MAP_HINTS[k], MAP_FIELDS[k])
            with Horizontal(classes="input-row"):
                for k, letter in ((2, "v"), (3, "w")):
                    yield Label(f"{letter}{'->' if ascii else '→'}", classes="field-label")
                    yield _field(_MAP_HINTS[k], MAP_FIELDS[k])
            with Horizontal(classes="input-row"):
                yield Label("at", classes="field-label")
                yield _field("1,2", "at")
                # "Delta x" in ASCII (never dx, which reads as a differential) needs its room.
                yield Label(f"{notation(ascii).delta}x", classes="field-label wide" if ascii else "field-label")
                yield _field("0.1,0", "dx")
                yield Label("entry", classes="field-label wide")
                yield _field("i,j", "entry")
                yield Label("seed", classes="field-label wide")
                yield _field("1", "seed")
        yield Static("", id="problem")
        yield Static("", id="viewbar")
        with ContentSwitcher(initial="results", id="views"):
            yield SolutionView(ascii=ascii, id="results")
            yield PlayerView(ascii=ascii, id="player")
        yield KeyBar()

    def on_mount(self) -> None:
        args = self.app.settings.scratch
        if args is not None and args.maps:
            self._fill(args.maps, args.at, args.dx, "")
        else:
            self.preset_index = 0
            preset = self._presets()[0]
            self._fill(preset.maps, preset.at, preset.dx, preset.entry)
        # Filled in, the screen opens on the results, not in a field: a key pressed next (3, q, or
        # 2 again) means what the key bar says rather than being typed into map 1. i edits.
        self.query_one("#results").focus()
        self._update_viewbar()
        self._compute()

    def on_screen_resume(self) -> None:
        # Coming back (2 from another screen) lands outside the fields too, for the same reason.
        if isinstance(self.focused, Input):
            self.call_after_refresh(lambda: self.query_one(f"#{self.view}").focus())

    # --- inputs ----------------------------------------------------------------------------------

    def _fill(self, maps, at: str, dx: str, entry: str, seed: str = "") -> None:
        """Put values in the fields without each one triggering its own computation."""
        values = dict(zip(MAP_FIELDS, list(maps) + [""] * (4 - len(maps))))
        values.update(at=at, dx=dx, entry=entry, seed=seed)
        with self.prevent(Input.Changed):
            for name, value in values.items():
                self.query_one(f"#{name}", Input).value = value

    def fields(self) -> dict[str, str]:
        return {name: self.query_one(f"#{name}", Input).value for name in (*MAP_FIELDS, "at", "dx", "entry", "seed")}

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if not self.edited:
            self.edited = True  # no longer the preset the header names
            self._update_viewbar()
        self._version += 1
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._compute)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._compute()

    def _compute(self) -> None:
        self._version += 1
        self.computing = True
        if self.shown is None:  # nothing shown yet: say it is coming, not "type a map"
            self.query_one(SolutionView).waiting(any(self.fields()[name].strip() for name in MAP_FIELDS))
        self._update_viewbar()
        self.run_worker(self._work(self.fields(), self._version), group="scratch-compute", exclusive=True)

    async def _work(self, fields: dict[str, str], version: int) -> None:
        maps = [fields[name] for name in MAP_FIELDS]
        try:
            # On the "scratch" channel: this edit abandons the computation of the one before, even
            # mid-way, so a light edit after a heavy one is answered at once (issue 9).
            result = await self.app.compute(
                "scratch.work", maps, fields["at"], fields["dx"], entry=fields["entry"], seed=fields["seed"],
                ascii=self.app.ascii_mode, cache=False, bound=SCRATCH, channel="scratch",
            )
        except EngineSuperseded:
            return  # a newer edit is being worked instead
        except Exception as err:  # noqa: BLE001 - a timeout or a dead worker is shown, not raised
            log.warning("scratchpad computation failed", exc_info=True)
            result = ScratchResult(problem=InputProblem(None, str(err)))
        if version != self._version:
            return  # the learner kept typing: a newer answer is on its way
        self.computing = False
        self.show_result(result)

    def show_result(self, result: ScratchResult) -> None:
        """Show an engine answer: new results, or the problem beside the last results that worked."""
        self.result = result
        for name in (*MAP_FIELDS, "at", "dx", "entry", "seed"):
            self.query_one(f"#{name}", Input).set_class(result.problem is not None and result.problem.field == name, "-invalid")
        problem = self.query_one("#problem", Static)
        if result.problem is not None:
            problem.update(self._problem_text(result.problem))
            problem.display = True
        else:
            problem.update("")
            problem.display = False
            self.shown = result
            self.query_one(SolutionView).show(result.solution, result.notes)
            self.query_one(PlayerView).set_model(result.player)
        self._update_viewbar()
        self.refresh_bindings()

    def _problem_text(self, problem: InputProblem) -> Text:
        """The message, and the field's text with a caret under the column the problem is at."""
        ascii = self.app.ascii_mode
        text = Text(("! " if ascii else "✗ ") + problem.message, style="bold")
        if problem.field is not None:
            value = self.query_one(f"#{problem.field}", Input).value
            label = problem.field.replace("map", "map ")
            text.append(f"\n  {label}: {value}", style="")
            if problem.column is not None:
                text.append("\n  " + " " * (len(label) + 2 + max(0, problem.column - 1)) + "^", style="bold")
        if self.shown is not None:
            text.append("\n  (the results below are the last ones that worked)", style="dim")
        return text

    # --- view bar and views ----------------------------------------------------------------------

    def _update_viewbar(self) -> None:
        ascii = self.app.ascii_mode
        sep = " | " if ascii else " │ "
        tabs = Text()
        for name, title in (("results", "Results"), ("player", "Player")):
            tabs.append(f" {title} ", style="reverse bold" if name == self.view else "dim")
            if name == "results":
                tabs.append(sep, style="dim")
        tabs.append("  v switches", style="dim")
        presets = self._presets()
        if 0 <= self.preset_index < len(presets) and not self.edited:
            tabs.append(f"   preset {self.preset_index + 1}/{len(presets)}: {presets[self.preset_index].title}", style="dim")
        if self.computing:
            tabs.append("   working..." if ascii else "   working…", style="dim italic")
        self.query_one("#viewbar", Static).update(tabs)

    def _presets(self) -> list[Preset]:
        if not hasattr(self, "_preset_list"):
            self._preset_list = presets(self.app.course, ascii=self.app.ascii_mode)
        return self._preset_list

    def on_resize(self, event: events.Resize) -> None:
        # A short terminal gives the player all the rows it can: see scratchpad.tcss.
        self.set_class(event.size.height < SHORT, "-short")

    def show_view(self, view: str) -> None:
        self.view = view
        self.set_class(view == "player", "-player-view")
        self.query_one("#views", ContentSwitcher).current = view
        if not isinstance(self.focused, Input):
            self.query_one(f"#{view}").focus()
        self._update_viewbar()
        self.refresh_bindings()

    def leave_field(self) -> None:
        """Esc in a text field: back to the results or the player, where the letter keys work."""
        self.query_one(f"#{self.view}").focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Show (and allow) only the keys that work now: False hides a key in Textual 8."""
        typing = isinstance(self.focused, Input)
        if action in PLAYER_ACTIONS:
            player = self.query_one(PlayerView)
            if typing or self.view != "player" or player.model is None:
                return False
            if action == "projection" and projection_count(player.model) < 2:
                return False
            return True
        if action in ("toggle_view", "preset", "edit"):
            return not typing
        return True

    # --- actions ---------------------------------------------------------------------------------

    def action_toggle_view(self) -> None:
        self.show_view("player" if self.view == "results" else "results")

    def action_edit(self) -> None:
        if self.has_class("-short") and self.view == "player":
            self.show_view("results")  # the inputs are hidden under the player in a short terminal
        self.query_one("#map1", Input).focus()

    def action_preset(self) -> None:
        presets = self._presets()
        self.preset_index = (self.preset_index + 1) % len(presets)
        preset = presets[self.preset_index]
        self._fill(preset.maps, preset.at, preset.dx, preset.entry)
        self.edited = False
        if self._timer is not None:
            self._timer.stop()
        self.query_one(SolutionView).scroll_home(animate=False)  # a new composition starts at its top
        self._compute()
        self.app.clear_notifications()  # pressing p repeatedly should not pile them up
        self.notify(preset.title, title=f"Preset {self.preset_index + 1} of {len(presets)}", timeout=3)

    def action_play(self) -> None:
        self.query_one(PlayerView).play_pause()

    def action_restart(self) -> None:
        self.query_one(PlayerView).restart()

    def action_step(self, direction: int) -> None:
        self.query_one(PlayerView).step(direction)

    def action_speed(self) -> None:
        self.query_one(PlayerView).cycle_speed()

    def action_zoom(self, delta: int) -> None:
        if not self.query_one(PlayerView).zoom_by(delta):
            self.app.bell()

    def action_mode(self) -> None:
        self.query_one(PlayerView).toggle_mode()

    def action_projection(self) -> None:
        self.query_one(PlayerView).cycle_projection()


def _field(placeholder: str, name: str) -> Input:
    # The cursor goes to the end rather than selecting everything: i then a key adds to a map
    # instead of replacing it.
    return Input(placeholder=placeholder, compact=True, id=name, select_on_focus=False)


_MAP_HINTS = (
    "map 1 of x, e.g. x1^2 + x2, x1*x2",
    "map 2 of u (optional), e.g. u1 + u2^2",
    "map 3 of v (optional)",
    "map 4 of w (optional)",
)

