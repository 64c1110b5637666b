"""``tui-tutor serve web``: a real headless Chromium opens the tutor; the page's gatekeeping.

The screenshot is kept in ``tests/serve/artifacts/`` (or ``$TEST_ARTIFACTS``) to be looked at.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from tests.serve.browser import Browser, chromium_available
from tests.serve.helpers import class_server, wait_no_session_processes
from tests.terminal import plain_text

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))


# In CI (.ci/run installs Chromium) a missing browser is a failure, not a skip.
@pytest.mark.skipif(not chromium_available() and not os.environ.get("CI"), reason="apt-get install chromium")
async def test_a_browser_tab_shows_the_lesson_and_keeps_the_learners_progress(tmp_path):
    class_dir = tmp_path / "class"
    with class_server(class_dir, kind="web") as server:
        async with Browser() as browser:
            await browser.open(f"http://127.0.0.1:{server.port}/?name=dana")
            deadline = time.monotonic() + 90
            while "Multivariable Chain Rule" not in plain_text(browser.terminal_output()):
                assert time.monotonic() < deadline, plain_text(browser.terminal_output())[-2000:]
                await asyncio.sleep(0.2)
            await asyncio.sleep(1.0)  # let xterm.js paint the frame before the picture
            picture = await browser.screenshot(ARTIFACTS / "serve-web-lesson.png")
            title = await browser.evaluate("document.title")
            learners = sorted(p.name for p in (class_dir / "learners").iterdir())
        # The tab is closed: its tutor and engine worker must go.
        assert wait_no_session_processes(class_dir) == []
    assert picture.stat().st_size > 10_000
    assert title is not None
    assert learners == ["dana"]
    assert '"learner": "dana"' in (class_dir / "connections.log").read_text()
