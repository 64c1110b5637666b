"""Shared helpers for screen tests: waiting for the engine, reading what is on screen."""

from __future__ import annotations

import html
import re

async def settle(pilot, timeout: float = 20.0) -> None:
    """Wait until every engine-computed block on the screen has been filled in."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        await pilot.pause()
        pending = list(pilot.app.screen.query(".-pending"))
        # Scrolling to a revealed step happens after a refresh: wait until it has stopped moving.
        # (and a block that just filled in changes the page's height only at the next layout).
        scroll = tuple((round(w.scroll_y, 3), w.virtual_size.height) for w in pilot.app.screen.query("ReadingPane"))
        if not pending and scroll == last:
            await pilot.pause()
            return
        last = scroll
        await asyncio.sleep(0.05)
    raise AssertionError("engine-computed blocks did not fill in")


def screen_text(app) -> str:
    """Every character on the screen, as text (from the SVG screenshot Textual exports)."""
    svg = app.export_screenshot()
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(re.sub(r"<[^>]+>", "", p) for p in parts)).replace("\u00a0", " ")


def screen_lines(app) -> list[str]:
    """The screen as lines of exactly ``width`` cells: what the terminal shows, column for column."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    lines = console.export_text(styles=False).split("\n")[:height]
    return [line.ljust(width) for line in lines]
