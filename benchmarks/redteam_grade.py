"""Red team for the grader: throw generated wrong answers (and right ones in odd forms) at it.

    python benchmarks/redteam_grade.py [--count N] [--seed S] [--cli K] [--show M]

Draws N wrong answers built to fool a grader (agreeing on a half-line, inside a box, at two
figures, by a tiny exact amount, as a Taylor polynomial, ...) and N right answers in unusual forms
(identities, factorisations, correctly rounded decimals, Unicode, ^T) from the families in
tests/engine/fooling.py, grades each with the engine function ``tui-tutor grade`` calls
(``service.grade_answer``), and prints per family how many wrong answers were accepted (false
accepts) and how many right ones were refused (false rejects). ``--cli K`` also runs the first K
cases of each kind through the real ``tui-tutor grade`` command and checks it agrees.

Counts, not timings: the aim is 0 false accepts and 0 false rejects.
"""

from __future__ import annotations

import argparse
import collections
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/engine/fooling.py

from tests.engine.fooling import RIGHT_FAMILIES, WRONG_FAMILIES, draw  # noqa: E402


def grade(service, case):
    try:
        verdict = service.grade_answer(case.expected, case.answer, case.kind)
    except Exception as err:  # noqa: BLE001 - an error is a refusal, reported as such
        return False, f"error: {err}"
    return verdict.correct, verdict.message


def cli_verdict(case) -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "tui_tutor", "grade", "--expected", case.expected, "--answer", case.answer,
         "--kind", case.kind],
        capture_output=True, text=True, timeout=60,
    )
    return result.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="wrong answers and right answers to draw (each)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the draw")
    parser.add_argument("--cli", type=int, default=0, help="also run this many of each through tui-tutor grade")
    parser.add_argument("--show", type=int, default=10, help="print up to this many failures")
    args = parser.parse_args()

    from tui_tutor.engine import service

    rng = random.Random(args.seed)
    tally: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    failures = []
    started = time.perf_counter()
    cases = [draw(WRONG_FAMILIES, rng) for _ in range(args.count)] + [draw(RIGHT_FAMILIES, rng) for _ in range(args.count)]
    for case in cases:
        correct, message = grade(service, case)
        failed = correct != case.right
        label = "wrong" if not case.right else "right"
        family = case.family.split(" (")[0]
        tally[(label, family)][0] += 1
        tally[(label, family)][1] += failed
        if failed:
            failures.append((case, message))
    elapsed = time.perf_counter() - started

    for label, title in (("wrong", "false accepts"), ("right", "false rejects")):
        rows = sorted((f, n) for (lab, f), n in tally.items() if lab == label)
        print(f"{'wrong answers' if label == 'wrong' else 'right answers'} ({title})")
        for family, (tried, bad) in rows:
            print(f"  {family:<48} {bad:4d} / {tried:4d}")
        total = sum(n[0] for _, n in rows)
        bad = sum(n[1] for _, n in rows)
        print(f"  {'total':<48} {bad:4d} / {total:4d}")
        print()
    print(f"{len(cases)} cases graded in {elapsed:.1f} s")
    for case, message in failures[: args.show]:
        verdict = "ACCEPTED" if not case.right else "REFUSED"
        print(f"  {verdict}: {case.family}: expected {case.expected!r}, answer {case.answer!r} ({case.kind}): {message}")

    if args.cli:
        sample = [c for c in cases if not c.right][: args.cli] + [c for c in cases if c.right][: args.cli]
        disagree = [c for c in sample if cli_verdict(c) != grade(service, c)[0]]
        print(f"tui-tutor grade agrees with service.grade_answer on {len(sample) - len(disagree)} of {len(sample)}")
        for case in disagree[: args.show]:
            print(f"  differs: expected {case.expected!r}, answer {case.answer!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
