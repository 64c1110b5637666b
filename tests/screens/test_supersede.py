"""A newer edit abandons the computation of an older one at once, and so does leaving it.

Issue 9 measured three heavy scratchpad edits then a light one: the light result came 15 s later,
after the engine had worked each heavy edit to its bound. Now each newer edit stops the older
computation in the engine, so the engine spends far less than one bound on all three.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from textual.widgets import Input

from tests.processes import busy_runner, engine_cpu_seconds
from tests.screens.test_scratchpad import ready

from tui_tutor.app import ScratchArgs, Settings, make_app
from tui_tutor.engine.bounds import GRADE, SCRATCH
from tui_tutor.engine.worker import EngineSuperseded, EngineWorker

# Each expands to billions of terms: the scratchpad would work on one until its CPU bound.
HEAVY = [f"(x1 + x2 + x3 + x4 + x5 + x6)^{n}" for n in (1000, 999, 998)]


@pytest.fixture
def engine():
    """An engine of the test's own with room enough that only the CPU bound could stop a heavy
    edit (with the usual 512 MB, memory stops each after about a second of CPU)."""
    worker = EngineWorker(memory_mb=4096, warm=True)
    yield worker
    worker.close()


@contextlib.asynccontextmanager
async def _scratchpad(engine, at="1,2"):
    """The scratchpad on ``engine`` at 80×24 once its first result is shown: (app, pilot, screen)."""
    app = make_app(Settings(start="scratch", scratch=ScratchArgs(["x1^2 + x2"], at, "")), engine=engine)
    async with app.run_test(size=(80, 24)) as pilot:
        yield app, pilot, await ready(pilot)


async def _until_computing(pilot, host: int) -> None:
    for _ in range(600):
        if busy_runner(host, at_least=0.2) is not None:
            return
        await pilot.pause(0.05)
    raise AssertionError("the engine never started the heavy computation")


async def _heavy_running(app, pilot, **kwargs) -> asyncio.Future:
    """A heavy computation (bounded at 60 s of CPU) that the engine has started on."""
    task = asyncio.ensure_future(app.compute("service.solve", [HEAVY[0]], bound=60, cache=False, **kwargs))
    await _until_computing(pilot, app.engine.pid)
    return task


async def test_a_light_edit_after_three_heavy_ones_is_answered_without_working_them_out(engine):
    async with _scratchpad(engine, at="") as (app, pilot, screen):
        host = app.engine.pid
        spent_before = engine_cpu_seconds(host)
        asked = []
        real = app.compute

        async def counting(name, *args, **kwargs):
            asked.append(args[0][0])
            return await real(name, *args, **kwargs)

        app.compute = counting
        field = screen.query_one("#map1", Input)
        for heavy in HEAVY:  # each edit pauses long enough to be sent to the engine on its own
            field.value = heavy
            while heavy not in asked:
                await pilot.pause(0.05)
        await _until_computing(pilot, host)
        field.value = "x1^3 + x2"
        screen = await ready(pilot)
        assert asked == [*HEAVY, "x1^3 + x2"]
        assert screen.result.problem is None, screen.result.problem
        assert screen.shown.solution.maps == ["x1^3 + x2"]
        spent = engine_cpu_seconds(host) - spent_before
        assert spent < SCRATCH.cpu, f"the engine spent {spent:.1f} s of CPU on edits nobody wanted any more"


async def test_abandoning_the_task_that_awaits_a_computation_stops_it(engine):
    async with _scratchpad(engine) as (app, pilot, _screen):
        host = app.engine.pid
        spent_before = engine_cpu_seconds(host)
        task = await _heavy_running(app, pilot)
        task.cancel()
        verdict = await app.compute("service.grade_answer", "-9/100", "-0.09", bound=GRADE, cache=False)
        assert verdict.correct
        spent = engine_cpu_seconds(host) - spent_before
        assert spent < SCRATCH.cpu, f"the engine spent {spent:.1f} s of CPU on a computation nobody awaited"


async def test_each_answer_box_reads_only_its_newest_text(engine):
    """The answer box's preview runs on a channel of its own: newer text abandons older text."""
    async with _scratchpad(engine) as (app, pilot, _screen):
        older = await _heavy_running(app, pilot, channel="preview-1")
        newer = await app.compute("service.preview", "[1, 2]", bound=GRADE, cache=False, channel="preview-1")
        assert newer.ok and newer.shape == (1, 2)
        with pytest.raises(EngineSuperseded):
            await older
