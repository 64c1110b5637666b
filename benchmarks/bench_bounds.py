"""The engine's bounds at work: superseded edits, CPU-time bounds, and the engine's memory.

    python benchmarks/bench_bounds.py [--rounds N]

1. Supersede (issue 9): in the real scratchpad (Textual's pilot, the real engine), three heavy
   edits then a light one; the time from the light edit to its result on screen, and the engine
   CPU time spent meanwhile. "before" is the app's engine call as it was (no channel, nothing
   cancelled), measured in the same run.
2. CPU bounds: how much CPU time a runaway computation gets for a bound of 0.5 and 2 s.
3. Memory: the engine at rest (its host, the runner, the spare) against one process that has
   imported and warmed the engine (what the engine cost before it forked runners); and how far
   the shipped course's heaviest computation grows a runner (all of `tui-tutor check`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

HEAVY = [f"(x1 + x2 + x3 + x4 + x5 + x6)^{n}" for n in (1000, 999, 998)]
LIGHT = "x1^3 + x2"
TICKS = os.sysconf("SC_CLK_TCK")


# --- /proc ---------------------------------------------------------------------------------------


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()


def children(pid: int) -> list[int]:
    found = []
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in listing.read_text().split()]
    return found


def engine_cpu(host: int) -> float:
    """CPU seconds of the host's runners, ended (reaped) and running."""
    fields = _stat(host)
    total = (int(fields[13]) + int(fields[14])) / TICKS
    for pid in children(host):
        try:
            child = _stat(pid)
        except OSError:
            continue
        total += (int(child[11]) + int(child[12])) / TICKS
    return total


def status(pid: int) -> dict[str, int]:
    """VmSize, VmPeak, VmRSS, VmHWM (kB) and Pss, Private_Dirty (kB) of a process."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmSize", "VmPeak", "VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Pss", "Private_Dirty"):
            values[key] = int(rest.split()[0])
    return values


def mb(kilobytes: float) -> str:
    return f"{kilobytes / 1024:7.1f}"


# --- 1. supersede ---------------------------------------------------------------------------------


async def _as_before(app, name, *args, bound, cache=True, channel=None, **kwargs):
    """app.compute as it was: every call queued and worked to its bound, whatever came after."""
    return await asyncio.to_thread(app.ensure_engine().call, name, *args, bound=bound, **kwargs)


async def _edits(mode: str, memory_mb: int) -> tuple[float, float]:
    from textual.widgets import Input

    from tui_tutor.app import ScratchArgs, Settings, make_app
    from tui_tutor.engine.worker import EngineWorker
    from tui_tutor.screens.scratchpad import ScratchpadScreen

    engine = EngineWorker(memory_mb=memory_mb, warm=True)
    app = make_app(Settings(start="scratch", scratch=ScratchArgs(["x1^2 + x2"], "", "")), engine=engine)
    if mode == "before":
        app.compute = lambda name, *args, **kwargs: _as_before(app, name, *args, **kwargs)

    async def settled(pilot) -> ScratchpadScreen:
        while True:
            await pilot.pause(0.01)
            screen = pilot.app.screen
            if isinstance(screen, ScratchpadScreen) and screen.result is not None and not screen.computing:
                return screen

    asked: list[str] = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await settled(pilot)
            host = engine.pid
            compute = app.compute

            async def counting(name, *args, **kwargs):
                asked.append(args[0][0])
                return await compute(name, *args, **kwargs)

            app.compute = counting
            field = screen.query_one("#map1", Input)
            spent = engine_cpu(host)
            for heavy in HEAVY:  # each heavy edit reaches the engine before the next is typed
                field.value = heavy
                while heavy not in asked:
                    await pilot.pause(0.01)
                await pilot.pause(0.3)
            started = time.perf_counter()
            field.value = LIGHT
            while LIGHT not in asked:
                await pilot.pause(0.005)
            screen = await settled(pilot)
            waited = time.perf_counter() - started
            assert screen.result.problem is None and screen.shown.solution.maps == [LIGHT]
            spent = engine_cpu(host) - spent
    finally:
        engine.close()
    return waited, spent


def supersede(rounds: int, memory_mb: int) -> None:
    print(f"Three heavy scratchpad edits, then a light one (memory budget {memory_mb} MB; {rounds} rounds)")
    print(f"  {'':<10} {'light result after (s)':>24} {'engine CPU spent (s)':>22}")
    medians = {}
    for mode in ("before", "after"):
        results = [asyncio.run(_edits(mode, memory_mb)) for _ in range(rounds)]
        waited = statistics.median(r[0] for r in results)
        spent = statistics.median(r[1] for r in results)
        medians[mode] = waited
        print(f"  {mode:<10} {waited:24.2f} {spent:22.2f}")
    print(f"  after / before: {medians['after'] / medians['before']:.3f}; the light edit itself (debounce "
          f"0.25 s included) is the floor")  # fmt: skip


# --- 2. CPU bounds --------------------------------------------------------------------------------


def cpu_bounds() -> None:
    from tui_tutor.engine.bounds import Bound
    from tui_tutor.engine.worker import EngineTimeout, EngineWorker

    print("A runaway computation stopped by its CPU bound (the engine's CPU time, not the clock)")
    print(f"  {'bound (s)':<12} {'CPU used (s)':>14} {'clock (s)':>11}")
    worker = EngineWorker(memory_mb=4096)
    worker.start()
    try:
        for seconds in (0.5, 2.0):
            before = engine_cpu(worker.pid)
            started = time.perf_counter()
            try:
                worker.call("service.grade_answer", HEAVY[0], "1", bound=Bound(seconds, 100, "bench"))
            except EngineTimeout:
                pass
            clock = time.perf_counter() - started
            time.sleep(0.7)  # the host reaps the stopped runner, counting its CPU time
            print(f"  {seconds:<12g} {engine_cpu(worker.pid) - before:14.2f} {clock:11.2f}")
    finally:
        worker.close()
    print("  (RLIMIT_CPU, counted in whole seconds, stopped a 0.3 s bound at 1.0 s; it is only the backstop)")


# --- 3. memory ------------------------------------------------------------------------------------


def memory() -> None:
    from tui_tutor.content.check import run_check
    from tui_tutor.engine import worker as worker_module
    from tui_tutor.engine import limits
    from tui_tutor.engine.worker import EngineWorker

    single = subprocess.Popen(
        [sys.executable, "-c", "import sys, tui_tutor.engine.host as h, tui_tutor.engine.service; h._warm_up(); "
         "print('ready', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={**os.environ, **limits.SINGLE_THREADED},
    )  # fmt: skip
    single.stdout.readline()
    alone = status(single.pid)
    single.stdin.close()
    single.wait()

    engine = EngineWorker(warm=True)
    engine.start()
    engine.call("service.grade_answer", "1", "1")
    time.sleep(0.5)
    host = engine.pid
    runners = children(host)
    print("The engine at rest, warmed (MB): address space, resident, proportional share, private dirty")
    print(f"  {'':<40} {'VmSize':>7} {'RSS':>7} {'PSS':>7} {'private':>7}")

    def line(label: str, values: dict) -> None:
        print(f"  {label:<40} {mb(values['VmSize'])} {mb(values['VmRSS'])} {mb(values['Pss'])} {mb(values['Private_Dirty'])}")

    line("one process, engine imported (baseline)", alone)
    line("host", status(host))
    for index, pid in enumerate(runners):
        line(f"runner {index + 1}", status(pid))
    total = sum(status(p)["Pss"] for p in [host, *runners])
    print(f"  engine total PSS {total / 1024:.1f} MB = {total / alone['Pss']:.2f}x the single process")

    starts = {pid: status(pid) for pid in children(host)}
    worker_module._shared = engine  # `check` uses the shared engine
    started = time.perf_counter()
    result = run_check(None)
    seconds = time.perf_counter() - started
    grown = 0
    for pid in children(host):
        now, then = status(pid), starts.get(pid)
        if then is not None:
            grown = max(grown, now["VmPeak"] - then["VmSize"], now["VmHWM"] - then["VmRSS"])
    engine.close()
    print(f"  `tui-tutor check` of the shipped course ({len(result.errors)} problems, {seconds:.1f} s): a runner "
          f"grew by at most {grown / 1024:.1f} MB (peak address space or peak resident)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the supersede measurement (default 3)")
    parser.add_argument("--memory-mb", type=int, default=512, help="the engine's memory budget for it (default 512)")
    args = parser.parse_args()
    supersede(args.rounds, args.memory_mb)
    print()
    cpu_bounds()
    print()
    memory()


if __name__ == "__main__":
    main()
