"""How long the teacher waits for ``tui-tutor report --class-dir``: a class of N learners, M attempts each.

Builds a synthetic class folder (each learner's store written by ProgressStore, as a tutor would),
then times the report read in-process — every store opened read-only, mastery per skill, first
tries, mistakes — and drawn as terminal tables and as JSON. Prints medians. The baseline is
reading the same stores' attempts alone (``progress.reader``), so the ratio is the report's own work.

    python benchmarks/bench_report.py [--learners 60] [--attempts 400] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tui_tutor.content.loader import load_course
from tui_tutor.progress.reader import read_snapshot
from tui_tutor.progress.records import Attempt
from tui_tutor.progress.store import ProgressStore
from tui_tutor.report.class_report import class_tables, read_class
from tui_tutor.report.tables import render_text, to_json

CODES = ("transposed", "wrong_order", "outer_at_x", "gradient_as_row", "missing_term", "sign", None, None, None)


def build(root: Path, learners: int, attempts: int, concept) -> None:
    rng = random.Random(1)
    items = [i for i in concept.items] + [t for t in concept.templates]
    start = datetime(2026, 1, 5, tzinfo=timezone.utc)
    for n in range(learners):
        moment = [start]
        with ProgressStore(root / "learners" / f"learner{n:03d}" / "progress.sqlite3", now=lambda: moment[0]) as store:
            for k in range(attempts):
                item = rng.choice(items)
                code = rng.choice(CODES)
                right = code is None and rng.random() < 0.7
                moment[0] += timedelta(minutes=rng.randint(1, 90))
                store.record_attempt(Attempt(item.id, "x", right, 1.0 if right else 0.0, skills=item.skills,
                                             diagnosis=None if right else code, try_number=1 + (k % 3 == 2)))


def median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(1000 * (time.perf_counter() - began))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument("--attempts", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    concept = load_course().concept()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build(root, args.learners, args.attempts, concept)
        homes = sorted((root / "learners").iterdir())
        now = datetime.now(timezone.utc)
        read_only = median_ms(lambda: [read_snapshot(h) for h in homes], args.runs)

        def report(json: bool) -> None:
            learners, problems = read_class(root)
            tables = class_tables(learners, concept, now)
            to_json(tables) if json else render_text(tables, width=80)

        text = median_ms(lambda: report(False), args.runs)
        as_json = median_ms(lambda: report(True), args.runs)
    print(f"class report, {args.learners} learners x {args.attempts} attempts (median of {args.runs})")
    print(f"  reading every store (baseline)   {read_only:7.0f} ms")
    print(f"  report as terminal tables        {text:7.0f} ms   ratio {text / read_only:.2f}x")
    print(f"  report as JSON                   {as_json:7.0f} ms   ratio {as_json / read_only:.2f}x")


if __name__ == "__main__":
    main()
