"""Time to render one frame of the perturbation player (120×40 and 80×24), and of the
scratchpad's results at 80×24.

A frame is what the player redraws when its clock moves: for every panel (one per space), the
frame geometry for time t (:func:`panel_frame`), plotext's drawing of it (:func:`build_plot`) and
the conversion of plotext's ANSI text into a Rich Text (what the widget hands Textual). Every panel
is redrawn each frame here, the worst case: while playing, the player repaints only the panels
whose picture changed.

The panel sizes are those the app really lays out at 120×40 (measured in a headless run first).
The model is fixed: the tiny network (4 spaces, sigmoids) and worked example 1 (3 spaces). The
clock sweeps the whole timeline of both modes in 1/20 s steps.

Baseline, in the same run: an empty plotext canvas of the same sizes, built and converted the
same way, so the ratio says what our drawing costs over plotext's own floor on this machine. For
comparison it also times the same frames the way textual-plotext renders (plotext's ANSI string
parsed by ``Text.from_ansi``), which the panel skips by reading plotext's matrix directly.

The scratchpad's results at 80×24: laying the whole solution out for the pane's width (what
happens when a result arrives or the window is resized: every matrix fitted, the path-tracing
lines broken and aligned) and a full repaint of the screen with them, in a headless app. Each
measured cold (caches cleared) and warm.

    python benchmarks/bench_frame.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from rich.text import Text
from textual_plotext.plot import Plot

from tui_tutor.engine.scratch import work
from tui_tutor.widgets.perturbation_plot import (
    X_CHROME,
    Y_CHROME,
    Y_LABELS,
    build_plot,
    draw_frame,
    matrix_text,
)
from tui_tutor.widgets.player import FPS
from tui_tutor.widgets.player_frames import duration, panel_frame

SIZES = ((120, 40), (80, 24))
CASES = {
    "worked example 1": (["x1^2 + x2, x1*x2", "u1 + u2^2"], "1,2", "0.1,0"),
    "tiny network": (["x1 - x2, 2x1 + x2 - 1, x2 + 1", "sigma(u1), sigma(u2), sigma(u3)", "v1 - 2v2 + 0.5v3"], "0.5,-0.5", "0.2,0.2"),
}


def panel_sizes(maps, at, dx, size) -> list[tuple[int, int]]:
    """The sizes the app gives the player's panels at ``size`` (a headless run)."""
    from tui_tutor.app import ScratchArgs, Settings, make_app
    from tui_tutor.widgets.player import PlayerView

    async def measure():
        app = make_app(Settings(start="scratch", scratch=ScratchArgs(list(maps), at, dx)))
        async with app.run_test(size=size) as pilot:
            for _ in range(600):
                await pilot.pause(0.05)
                if getattr(app.screen, "shown", None) is not None:
                    break
            await pilot.press("v")
            await pilot.pause(0.3)
            return [tuple(p.size) for p in app.screen.query_one(PlayerView).panels]

    return asyncio.run(measure())


def frame_times(model, sizes, theme: str, *, how: str = "frame") -> list[float]:
    """Seconds per frame over both modes' timelines.

    ``how``: "frame" is what the player does; "ansi" the same frames through plotext's ANSI string
    and ``Text.from_ansi`` (what textual-plotext does, for comparison); "empty" the baseline.
    """
    plots = [Plot() for _ in sizes]  # one figure per panel, as each widget has its own
    times = []
    for mode in ("forward", "reverse"):
        end = duration(model, mode)
        steps = int(end * FPS) + 1
        for i in range(steps):
            t = i / FPS
            started = time.perf_counter()
            for space, (width, height) in enumerate(sizes):
                plot = plots[space]
                if how == "empty":
                    plot.clear_data()
                    plot.plotsize(width, height)
                    plot._set_size(width, height)
                    plot.theme(theme)
                    matrix_text(plot)
                    continue
                canvas = (max(1, width - Y_LABELS - X_CHROME), max(1, height - Y_CHROME))
                frame = panel_frame(model, space, mode=mode, t=t, zoom=0, projection=0, canvas=canvas)
                if how == "ansi":
                    draw_frame(plot, frame, width, height, theme)
                    Text.from_ansi(plot.build(), no_wrap=True)
                else:
                    build_plot(plot, frame, width, height, theme)
            times.append(time.perf_counter() - started)
    return times


def results_times(maps, at, dx, repeat: int) -> dict[str, list[float]]:
    """Seconds to lay out the scratchpad's results for the pane's width, and to repaint the
    whole screen with them, at 80×24 (headless)."""
    from tui_tutor.app import ScratchArgs, Settings, make_app
    from tui_tutor.mathtext import fit, render
    from tui_tutor.widgets.solution_view import SolutionBody

    def clear_caches() -> None:
        for cached in (fit.fit_display, fit._fit_matrix, render.render_inline, render.render_display):
            cached.cache_clear()

    async def measure():
        times: dict[str, list[float]] = {"layout, cold": [], "layout, warm": [], "repaint, cold": [], "repaint, warm": []}
        app = make_app(Settings(start="scratch", scratch=ScratchArgs(list(maps), at, dx)))
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(600):
                await pilot.pause(0.05)
                if getattr(app.screen, "shown", None) is not None and not app.screen.computing:
                    break
            await pilot.pause(0.2)
            body = app.screen.query_one(SolutionBody)
            width = body.content_size.width
            for _ in range(repeat * 10):
                for warm in (False, True):
                    if not warm:
                        clear_caches()
                    started = time.perf_counter()
                    body.text_at(width)
                    times[f"layout, {'warm' if warm else 'cold'}"].append(time.perf_counter() - started)
                for warm in (False, True):
                    if not warm:
                        clear_caches()
                        body._at.clear()
                    body.refresh(layout=True)
                    app.screen._refresh_layout(app.size)
                    started = time.perf_counter()
                    app.screen._compositor.render_update(full=True)
                    times[f"repaint, {'warm' if warm else 'cold'}"].append(time.perf_counter() - started)
        return times

    return asyncio.run(measure())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="sweeps of the timeline per case")
    args = parser.parse_args()
    theme = "textual-dark"  # full-colour codes, as the app's themes produce
    for size in SIZES:
        print(f"player frame at {size[0]}x{size[1]}, median over the whole timeline of both modes")
        for name, (maps, at, dx) in CASES.items():
            model = work(maps, at, dx).player
            sizes = panel_sizes(maps, at, dx, size)
            drawn, blank, ansi = [], [], []
            for _ in range(args.repeat):
                drawn += frame_times(model, sizes, theme)
                blank += frame_times(model, sizes, theme, how="empty")
                ansi += frame_times(model, sizes, theme, how="ansi")
            d, b, a = (statistics.median(x) * 1e3 for x in (drawn, blank, ansi))
            p95 = sorted(drawn)[int(0.95 * len(drawn))] * 1e3
            panels = " ".join(f"{w}x{h}" for w, h in sizes)
            print(f"  {name}: {len(sizes)} panels ({panels}), {len(drawn)} frames")
            print(f"    frame    median {d:6.2f} ms   95th percentile {p95:6.2f} ms")
            print(f"    baseline median {b:6.2f} ms   (empty plotext canvases of the same sizes)")
            print(f"    ratio {d / b:.2f}x   budget at {FPS} fps: {1000 / FPS:.0f} ms")
            print(f"    (through plotext's ANSI text and Text.from_ansi instead: median {a:6.2f} ms)")
    print("scratchpad results at 80x24 (headless), median")
    for name, (maps, at, dx) in CASES.items():
        times = results_times(maps, at, dx, args.repeat)
        parts = "   ".join(f"{what} {statistics.median(t) * 1e3:6.2f} ms" for what, t in times.items())
        print(f"  {name}: {parts}")


if __name__ == "__main__":
    main()
