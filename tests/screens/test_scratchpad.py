"""The scratchpad and its perturbation player, driven from the keyboard as a learner would."""

from __future__ import annotations

import asyncio
import math
import time

import pytest

from tests.screens.helpers import screen_text
from tui_tutor.app import ScratchArgs, Settings, make_app
from tui_tutor.engine.player_results import InputProblem, ScratchResult
from tui_tutor.screens.scratchpad import BUILTIN_PRESETS, ScratchpadScreen, presets
from tui_tutor.widgets.perturbation_plot import MIN_WIDTH, PerturbationPlot
from tui_tutor.widgets.player import FPS, SPEEDS, PlayerView
from tui_tutor.widgets.solution_view import SolutionView

EXAMPLE = ["x1^2 + x2, x1*x2", "u1 + u2^2"]


def scratch_app(maps=EXAMPLE, at="1,2", dx="0.1,0", **settings):
    return make_app(Settings(start="scratch", scratch=ScratchArgs(list(maps), at, dx), **settings))


async def ready(pilot, timeout: float = 30.0) -> ScratchpadScreen:
    """Wait until the engine's answer for the current inputs is on screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, ScratchpadScreen) and screen.result is not None and not screen.computing:
            await pilot.pause()
            return screen
    raise AssertionError("the scratchpad's results did not arrive")


def results_text(screen: ScratchpadScreen, width: int = 100) -> str:
    """All of the results view laid out for ``width`` columns, also the part scrolled out of sight."""
    return "\n".join(screen.query_one("#solution-body").lines_at(width))


def player(screen) -> PlayerView:
    return screen.query_one(PlayerView)


async def open_player(pilot) -> PlayerView:
    screen = await ready(pilot)
    await pilot.press("v")
    await pilot.pause()
    return player(screen)


# --- results --------------------------------------------------------------------------------------


async def test_opens_filled_in_with_every_result():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        assert screen.fields()["map1"] == EXAMPLE[0] and screen.fields()["at"] == "1,2"
        text = results_text(screen)
        for expected in (
            "dimension check: (1×2)(2×2) = (1×2)",  # the shape table and its check
            "Dg(x) = ", "Dg(x₀) = ",  # each layer, symbolic and at the point
            "Df(u) = ", "Df(u₀) = ",
            "Chain-rule product", "Dh(x₀) = [10  5]",  # the composite
            "Gradient (scalar output)", "∇h(x₀) = ",
            "Δu ≈ Dg Δx = ", "Δy ≈ Df Δu = [1]",  # pushforward
            "∇ₓ = Dgᵀ ∇ᵤ = ",  # pullback
            "largest difference", "agrees",  # finite differences
            "Path tracing: ∂y₁/∂x₁", "via u₁:", "via u₂:", "sum: ∂y₁/∂x₁",
        ):
            assert expected in text, expected
        assert app.focused is screen.query_one(SolutionView)


async def test_entry_field_chooses_the_path_tracing_entry():
    app = scratch_app(["x1*x2, x2 + x3^2", "u1 + u2, u1*u2"], "1,2,3", "")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        screen.query_one("#entry").focus()
        await pilot.press(*"2,3")
        await pilot.pause(0.4)
        screen = await ready(pilot)
        text = results_text(screen, width=140)
        assert "Path tracing: ∂y₂/∂x₃" in text
        # factors · factors = the term in x = the numbers = the value, aligned at the first =
        assert "  via u₂:  ∂y₂/∂u₂ · ∂u₂/∂x₃ = u₁ · 2x₃ = 2x₁x₂x₃ = 2 · 6 = 12" in text
        assert "  via u₁:  ∂y₂/∂u₁ · ∂u₁/∂x₃ = u₂ · 0 = 0" in text
        assert "  sum: ∂y₂/∂x₃ = 2x₁x₂x₃ = 12" in text


async def test_typing_a_bad_map_shows_the_error_inline_and_keeps_the_last_results():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        good = screen.shown
        field = screen.query_one("#map2")
        field.focus()
        field.cursor_position = len(field.value)
        await pilot.press("space", "+", "right_parenthesis")
        await pilot.pause(0.4)
        screen = await ready(pilot)
        assert screen.result.problem is not None and screen.result.problem.field == "map2"
        problem = screen.query_one("#problem")
        assert problem.display
        lines = str(problem.content).splitlines()
        caret_line = next(line for line in lines if line.strip() == "^")
        echo = next(line for line in lines if line.strip().startswith("map 2:"))
        # The caret sits under the character the parser stopped at.
        assert echo[caret_line.index("^")] == ")"
        assert "map 2 (f)" in lines[0]
        assert field.has_class("-invalid")
        # The last results that worked stay, for both views.
        assert screen.shown is good
        assert screen.query_one(SolutionView).solution is good.solution
        assert "Dh(x₀) = [10  5]" in results_text(screen)
        # Fixing it clears the error.
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.pause(0.4)
        screen = await ready(pilot)
        assert screen.result.problem is None and not problem.display and not field.has_class("-invalid")


async def test_typing_is_debounced_into_one_engine_call():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        calls = []
        real = app.compute

        async def counting(name, *args, **kwargs):
            calls.append(args)
            return await real(name, *args, **kwargs)

        app.compute = counting
        screen.query_one("#at").focus()
        await pilot.press("end", "backspace", *"3")  # at: 1,3
        await pilot.pause(0.6)
        await ready(pilot)
        assert len(calls) == 1 and calls[0][1] == "1,3"
        assert screen.shown.solution.values[0] == [1.0, 3.0]


async def test_a_stale_answer_never_overwrites_a_newer_one():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        old = ScratchResult(problem=InputProblem("map1", "old answer"))
        new = ScratchResult(problem=InputProblem("map1", "new answer"))

        async def fake(name, *args, **kwargs):
            slow = args[1] == "slow"
            await asyncio.sleep(0.3 if slow else 0.01)
            return old if slow else new

        app.compute = fake
        screen._version += 1
        first = asyncio.ensure_future(screen._work(dict(screen.fields(), at="slow"), screen._version))
        screen._version += 1
        second = asyncio.ensure_future(screen._work(dict(screen.fields(), at="fast"), screen._version))
        await asyncio.gather(first, second)
        assert screen.result is new


async def test_preset_key_cycles_through_examples_practice_and_the_network():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)  # in the player, so its panels follow each preset
        screen = app.screen
        loaded = screen._presets()
        assert len(loaded) >= 5 and loaded[-1].title.startswith("Tiny network")
        seen = []
        for _ in loaded:
            await pilot.press("p")
            screen = await ready(pilot)
            assert screen.result.problem is None, screen.result.problem
            seen.append(tuple(v for k, v in screen.fields().items() if k.startswith("map") and v))
            assert len(view.panels) == len(screen.result.player.spaces) == len(seen[-1]) + 1
            assert all(panel.frame is not None for panel in view.panels)
        assert seen == [p.maps for p in loaded]
        assert seen[0] == tuple(EXAMPLE)  # worked example 1 first, from the course
        assert "sigma(u1)" in seen[-1][1]


def test_presets_come_from_the_course_with_builtin_points_and_fall_back_without_it():
    assert presets(None) == list(BUILTIN_PRESETS)
    from tui_tutor.content.loader import load_course

    from_course = presets(load_course(None))
    by_maps = {p.maps: p for p in from_course}
    example_2 = by_maps[("x1 + 2x2, x1 - x2", "u1^2 + 3u2")]
    assert example_2.at == "1,1" and example_2.dx == "0.01,-0.02"  # the lesson's own Δx
    assert by_maps[("x1*x2, x2 + x3^2", "u1 + u2, u1*u2")].entry == "2,3"
    assert all(p.at for p in from_course)


async def test_escape_leaves_a_field_and_letter_keys_work_again():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.press("i")
        assert app.focused is screen.query_one("#map1")
        await pilot.press("v")  # typed into the field, not a view switch
        assert screen.view == "results"
        await pilot.press("backspace", "escape")
        assert app.focused is screen.query_one(SolutionView)
        await pilot.press("v")
        assert screen.view == "player" and app.focused is player(screen)


async def test_footer_shows_player_keys_only_when_they_work():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)

        def shown():
            return {b.binding.id for b in screen.active_bindings.values() if b.enabled}

        assert "player-play" not in shown() and "scratch-view" in shown()
        await pilot.press("v")
        assert {"player-play", "player-restart", "player-speed", "player-mode", "player-zoom-in"} <= shown()
        assert "player-projection" not in shown()  # every space is 1-D or 2-D here
        await pilot.press("i")
        assert "player-play" not in shown() and "scratch-view" not in shown()  # typing


# --- the player -----------------------------------------------------------------------------------


async def test_player_controls_home_left_right_speed_zoom_and_mode():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)
        clock = view.clock
        assert clock.t == clock.duration == 5.0  # complete at first: 3 spaces + 2 s of circle
        assert "t=5.00s  speed 1×  zoom ×1  forward" in screen_text(app)
        await pilot.press("home")
        assert clock.t == 0
        await pilot.press("right", "right")
        assert clock.t == 0.5
        await pilot.press("left")
        assert clock.t == 0.25 and not clock.playing
        await pilot.press("s")
        assert clock.speed == 2.0
        await pilot.press("s", "s", "s")
        assert clock.speed == 1.0 and [SPEEDS[i] for i in range(4)] == [0.25, 0.5, 1.0, 2.0]
        await pilot.press("plus")
        assert view.model.zooms[clock.zoom].zoom == 2
        await pilot.press("equals_sign", "plus")
        assert view.model.zooms[clock.zoom].zoom == 8
        await pilot.press("minus")
        assert view.model.zooms[clock.zoom].zoom == 4
        await pilot.pause()
        assert "t=0.25s  speed 1×  zoom ×4  forward" in screen_text(app)
        await pilot.press("m")
        assert clock.mode == "reverse" and clock.t == clock.duration == 4.0
        text = screen_text(app)
        assert "reverse" in text and "∇ₓℓ·Δx = 10·0.025 + 5·0 = 0.25" in text  # Δx/4 at zoom ×4
        await pilot.press("m")
        assert clock.mode == "forward"


async def test_zooming_past_the_last_level_rings_the_bell():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)
        rang = []
        app.bell = lambda: rang.append(True)
        await pilot.press("minus")
        assert rang and view.clock.zoom == 0


async def test_space_plays_and_the_clock_runs_at_the_chosen_speed():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)
        now = [100.0]
        view._now = lambda: now[0]  # a clock the test moves
        await pilot.press("home", "space")
        assert view.clock.playing
        assert view._timer._interval == pytest.approx(1 / FPS) and FPS <= 20
        now[0] += 0.5
        view._tick()
        assert view.clock.t == pytest.approx(0.5)
        await pilot.press("s")  # 2×
        now[0] += 0.25
        view._tick()
        assert view.clock.t == pytest.approx(1.0)
        await pilot.press("space")
        assert not view.clock.playing
        now[0] += 1.0
        view._tick()
        assert view.clock.t == pytest.approx(1.0)  # paused: the clock stands still
        # Play to the end: it stops there, and the timer with it.
        await pilot.press("space")
        now[0] += 10
        view._tick()
        assert view.clock.t == view.clock.duration and not view.clock.playing
        assert not view._timer._active.is_set()
        await pilot.press("space")  # from the end, play starts again at 0
        assert view.clock.playing and view.clock.t == 0


async def test_real_clock_animates_and_redraws_only_when_t_changes():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)
        await pilot.press("home")
        await pilot.pause(0.1)
        builds = sum(p.builds for p in view.panels)
        await pilot.pause(0.3)
        assert sum(p.builds for p in view.panels) == builds  # paused: nothing is redrawn
        started = time.monotonic()
        await pilot.press("space")
        await pilot.pause(0.5)
        elapsed = time.monotonic() - started
        t = view.clock.t
        assert 0.1 < t <= elapsed + 0.05
        assert view.frames_drawn <= FPS * elapsed + 2  # at most 20 frames a second
        assert sum(p.builds for p in view.panels) > builds


async def test_without_animations_space_steps_a_stage():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)
        app.animation_level = "none"
        await pilot.press("home", "space")
        assert view.clock.t == 1.0 and not view.clock.playing
        await pilot.press("space")
        assert view.clock.t == 2.0
        await pilot.press("space", "space")
        assert view.clock.t == view.clock.duration
        await pilot.press("space")  # from the end: back to the start
        assert view.clock.t == 0.0


async def test_projection_key_cycles_the_coordinate_pair_of_3d_spaces():
    app = scratch_app(["x1*x2, x2 + x3^2", "u1 + u2, u1*u2"], "1,2,3", "0,0.1,0.1")
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_player(pilot)
        x_panel = view.panels[0]
        assert x_panel.frame.title.endswith("(x1,x2)")
        await pilot.press("c")
        assert view.clock.projection == 1 and x_panel.frame.title.endswith("(x1,x3)")
        await pilot.press("c", "c")
        assert view.clock.projection == 0 and x_panel.frame.title.endswith("(x1,x2)")


def arrows(panel: PerturbationPlot, kind: str = "arrow"):
    """(start, tip) of each drawn arrow: its shaft starts it, its head (drawn next) marks the tip."""
    series = panel.frame.series
    out = []
    for shaft, head in zip(series, series[1:]):
        if shaft.kind == kind:
            assert head.kind == "head"
            # The shaft points at the head (it stops just short of it).
            dx, dy = shaft.xs[-1] - shaft.xs[0], shaft.ys[-1] - shaft.ys[0]
            hx, hy = head.xs[0] - shaft.xs[0], head.ys[0] - shaft.ys[0]
            assert math.isclose(dx * hy, dy * hx, abs_tol=1e-12) and dx * hx + dy * hy > 0
            out.append((shaft.xs[0], shaft.ys[0], head.xs[0], head.ys[0]))
    return out


@pytest.mark.parametrize("zoom_presses", [0, 2])
async def test_drawn_arrows_end_where_the_engine_says(zoom_presses):
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)
        await pilot.press(*["plus"] * zoom_presses)
        zoom = 2**zoom_presses
        solution = app.screen.shown.solution
        for k, panel in enumerate(view.panels):
            base, push = solution.values[k], solution.pushforward[k]
            (x0, y0, x1, y1), = arrows(panel)
            assert (x0, x1) == pytest.approx((base[0], base[0] + push[0] / zoom))
            if len(base) == 2:
                assert (y0, y1) == pytest.approx((base[1], base[1] + push[1] / zoom))
        # Reverse mode: each gradient arrow points along the engine's pullback.
        await pilot.press("m")
        for k, panel in enumerate(view.panels):
            grad = solution.pullback[k]
            (x0, y0, x1, y1), = arrows(panel, "gradient")
            if len(grad) == 2:
                assert math.isclose((x1 - x0) * grad[1], (y1 - y0) * grad[0], abs_tol=1e-9)
            assert (x1 - x0) * grad[0] > 0


async def test_halfway_through_a_stage_the_arrow_is_half_drawn():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)
        await pilot.press("home", "right", "right", "right", "right", "right", "right")  # t = 1.5
        x, u, y = view.panels
        solution = app.screen.shown.solution
        assert arrows(x)[0][2] == pytest.approx(1.1)  # Δx complete
        assert arrows(u)[0][2:] == pytest.approx((3.1, 2.1))  # Δu half way
        assert arrows(y) == []  # Δy not yet
        assert solution.pushforward[1] == [0.2, 0.2]


async def test_ascii_mode_draws_the_plots_with_ascii_only():
    app = scratch_app(ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)
        for mode in ("forward", "reverse"):
            for panel in view.panels:
                drawn = panel.render().plain
                assert drawn.isascii(), [c for c in drawn if not c.isascii()]
                assert any(mark in drawn for mark in "*#=o>")  # something is drawn, natively in ASCII
            for part in ("#player-status", "#player-caption", "#player-numbers", "#player-legend"):
                assert str(view.query_one(part).content).isascii(), part
            assert screen_text(app).isascii()
            await pilot.press("m")


async def test_no_color_draws_the_marks_uncoloured(monkeypatch):
    """Under NO_COLOR the marks are told apart by shape; Textual's greys would be too dark."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)
        for panel in view.panels:
            drawn = panel.render()
            colours = {span.style.color.name for span in drawn.spans if span.style.color is not None}
            assert len(colours) <= 1, colours  # at most the theme's colour for the frame and ticks
        assert {s.marker for s in view.panels[1].frame.series} >= {"braille", "dot"}


async def test_resizing_to_40x12_and_back_keeps_working():
    app = scratch_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_player(pilot)
        await pilot.resize_terminal(40, 12)
        await pilot.pause(0.2)
        await pilot.press("space", "m", "plus")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "t=" in text and "reverse" in text  # the status line survives
        for panel in view.panels:  # each panel draws a (tiny) plot or says it is too small
            assert "(too small)" in text or (panel.size.width >= MIN_WIDTH and "┌" in panel.render().plain)
        await pilot.press("v")
        await pilot.pause(0.1)
        await pilot.resize_terminal(80, 24)
        await pilot.press("v")
        await pilot.pause(0.3)
        assert all(p.size.width >= 20 and p.size.height >= 10 for p in view.panels)
        assert "x ℝ²" in screen_text(app)


async def test_a_short_terminal_gives_the_player_the_rows_of_the_inputs():
    app = scratch_app()
    async with app.run_test(size=(40, 12)) as pilot:
        view = await open_player(pilot)
        screen = app.screen
        assert screen.has_class("-short") and screen.query_one("#inputs").styles.display == "none"
        assert all(p.size.height >= 6 for p in view.panels)
        await pilot.press("i")  # editing brings the inputs back, with the results
        assert screen.view == "results" and app.focused is screen.query_one("#map1")
        assert screen.query_one("#inputs").styles.display == "block"


# --- snapshots ------------------------------------------------------------------------------------


def _snapshot_setup(*keys):
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("v", *keys)
        await pilot.pause(0.2)
        await ready(pilot)

    return run_before


def test_snapshot_forward_mode(snap_compare):
    assert snap_compare(scratch_app(), terminal_size=(80, 24), run_before=_snapshot_setup())


def test_snapshot_reverse_mode(snap_compare):
    assert snap_compare(scratch_app(), terminal_size=(80, 24), run_before=_snapshot_setup("m"))


def test_snapshot_forward_mid_stage_zoomed(snap_compare):
    keys = ("plus", "home", "right", "right", "right", "right", "right", "right")
    assert snap_compare(scratch_app(), terminal_size=(120, 40), run_before=_snapshot_setup(*keys))
