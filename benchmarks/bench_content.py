"""Time to load the course (what the lesson screen waits for) and to run ``tui-tutor check``.

    python benchmarks/bench_content.py [--runs 15] [DIR]

Load: ``load_course`` in this process after a warm-up (imports excluded), and a cold process
(``python -c 'load_course()'``, imports included) beside a bare ``python -c pass`` for scale.
Check: ``run_check`` with the engine worker already started, so the number is the checking itself.
Prints medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
from pathlib import Path
import sys
import time


def _median_ms(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", help="a content folder (default: the shipped course)")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from tui_tutor.content.check import run_check
    from tui_tutor.content.loader import load_course
    from tui_tutor.engine.worker import shared_worker

    load_course(args.dir)
    load = _median_ms(lambda: load_course(args.dir), args.runs)
    # What the app does at start: the course from its JSON cache in the settings folder.
    from tui_tutor.content.cache import load_course_cached

    home = Path(tempfile.mkdtemp(prefix="tui-tutor-bench-"))
    load_course_cached(args.dir, home)  # writes the cache
    cached = _median_ms(lambda: load_course_cached(args.dir, home), args.runs)
    root = repr(args.dir)
    cold = _median_ms(lambda: subprocess.run(
        [sys.executable, "-c", f"from tui_tutor.content.loader import load_course; load_course({root})"], check=True), 5)
    bare = _median_ms(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 5)
    shared_worker().start()
    result = run_check(args.dir)
    checks = [result.seconds] + [run_check(args.dir).seconds for _ in range(2)]
    counts = result.counts
    print(f"load_course: {load:.1f} ms (median of {args.runs}, imports excluded)")
    print(f"the same from the course cache (JSON): {cached:.1f} ms, {cached / load:.2f}x")
    print(f"cold process loading the course: {cold:.0f} ms (bare python: {bare:.0f} ms)")
    print(f"tui-tutor check: {statistics.median(checks):.2f} s (median of 3, worker warm; "
          f"{counts['items']} items, {counts['templates']} templates x 20 seeds, {counts['engine_calls']} engine calls)"
          + ("" if result.ok else f" -- {len(result.errors)} errors"))


if __name__ == "__main__":
    main()
