"""Engine latency: grade and solve in process, through the worker, and the first call after start.

    python benchmarks/bench_engine.py [--repeat N] [--hogs N]

Prints plain tables (milliseconds). Timings in process are taken after a warm-up, two ways:
"repeat" grades the same text again (sympy's cache is warm, as when a learner resubmits), and
"fresh" clears sympy's cache before every call (as for an answer never seen before). The
baseline is a trivial sympy call measured in the same run, so numbers from different machines
can be compared through the ratios. Aims (issue 2): grade median <= 20 ms, p95 <= 100 ms; first
call <= 1 s. Last, the same calls with the machine saturated by busy loops (``--hogs``): all must
succeed (issue 9).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from typing import Callable

GRADE_CASES: list[tuple[str, tuple, dict]] = [
    # (label, args of service.grade_answer or grade_problem, how)
    ("decimal -0.09 vs -9/100", ("-9/100", "-0.09"), {}),
    ("integer", ("10", "10"), {}),
    ("polynomial, factored", ("2x1 + 2x1 x2^2", "2x1(1 + x2^2)"), {}),
    ("product reordered", ("x1^2 cos(x2)", "cos(x2) x1^2"), {}),
    ("wrong trig", ("2x1 sin(x2)", "2x1 cos(x2)"), {}),
    ("sign flipped", ("x1 - x2", "x2 - x1"), {}),
    ("sigma identity", ("sigma(a)(1 - sigma(a))", "exp(-a)/(1+exp(-a))^2"), {}),
    ("tanh identity", ("tanh(x)", "(exp(2x)-1)/(exp(2x)+1)"), {}),
    ("vector, row for column", ("[10; 5]", "[10, 5]", "vector"), {}),
    ("symbolic gradient vector", ("[2 - x2; -x1 + 2x2]", "[2 - x2, 2x2 - x1]", "vector"), {}),
    ("matrix transposed", ("[1, 2; 3, 4]", "[1, 3; 2, 4]", "matrix"), {}),
    ("matrix shape mismatch", ("[1, 2; 3, 4]", "[1, 2]", "matrix"), {}),
    ("matrix partly wrong", ("[1, 2; 3, 4]", "[1, 2; 3, 5]", "matrix"), {}),
    ("problem: right", ({"maps": ["x1 + x2^2, x1 x2", "u1 u2, u1 + u2"], "at": ["1", "2"]}, "[12, 13; 3, 5]"), {"problem": True}),
    ("problem: wrong_order", ({"maps": ["x1 + x2^2, x1 x2", "u1 u2, u1 + u2"], "at": ["1", "2"]}, "[6, 9; 5, 11]"), {"problem": True}),
    ("problem: outer_at_x", ({"maps": ["x1 + x2^2, x1 x2", "u1 u2, u1 + u2"], "at": ["1", "2"]}, "[4, 9; 3, 5]"), {"problem": True}),
    ("problem: missing_term", ({"maps": ["x1 + x2^2, x1 x2", "u1 u2, u1 + u2"], "at": ["1", "2"]}, "[10, 5; 3, 4]"), {"problem": True}),
    ("problem: gradient_as_row", ({"maps": ["x1^2 + x2, x1 x2", "u1 + u2^2"], "ask": "gradient", "at": ["1", "2"]}, "[10, 5]"), {"problem": True}),
    ("problem: symbolic gradient", ({"maps": ["x1^2, sin(x2)", "u1 u2"], "ask": "gradient"}, "[2x1 sin(x2); x1^2 cos(x2)]"), {"problem": True}),
    ("problem: unknown mistake", ({"maps": ["x1^2, sin(x2)", "u1 u2"], "ask": "gradient"}, "[2x1 sin(x2); x1 cos(x2)]"), {"problem": True}),
    ("problem: missing_transpose", ({"maps": ["x1 + 2x2, x1 - x2", "u1^2 + 3u2"], "ask": "pullback", "at": ["1", "1"], "space": 0}, "[12; 3]"), {"problem": True}),
    ("decimal to 3 figures", ("2sigma(1)(1 - sigma(1))", "0.393"), {}),
    ("too few figures (not judged)", ("5cos(3.5)", "-4.7"), {}),
    ("half-line: abs(x1) for x1", ("x1/sqrt(1 + x1^2)", "abs(x1)/sqrt(1 + x1^2)"), {}),
    ("domain compromise log(x^2)", ("2log(x1) + x2", "log(x1^2) + x2"), {}),
    ("problem: symbolic 2x2 Jacobian", ({"maps": ["x1 + x2^2, x1 x2", "u1 u2, sin(u1) + u2"]}, "[x2*(x1 + x2^2) + x1*x2, 2*x2^2*x1 + x1*(x1 + x2^2); cos(x1 + x2^2) + x2, 2*x2*cos(x1 + x2^2) + x1]"), {"problem": True}),
]

SOLVE_CASES: list[tuple[str, tuple, dict]] = [
    ("example 1 at (1,2)", (["x1^2 + x2, x1*x2", "u1 + u2^2"], "1,2"), {}),
    ("example 2 with dx", (["x1 + 2x2, x1 - x2", "u1^2 + 3u2"], "1,1", "0.01,-0.02"), {}),
    ("example 3 paths", (["x1 x2, x2 + x3^2", "u1 + u2, u1 u2"], "1,2,3"), {"entry": (2, 3)}),
    ("practice easy", (["x1, x1 x2, x2^2", "2u1 - u2 + u3"], "1,2"), {}),
    ("practice hard", (["x1^2, sin(x2)", "u1 u2"], "0.5,1"), {}),
    ("network 2-3-3-1", (["x1 - x2, 2x1 + x2 - 1, x2 + 1", "sigma(u1), sigma(u2), sigma(u3)", "v1 - 2v2 + 0.5v3"], "0.5,-0.5", "0.1,0"), {}),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(func: Callable[[], object], repeat: int, before: Callable[[], None] | None = None) -> list[float]:
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1e3)
    return samples


def row(label: str, samples: list[float], baseline: float | None = None) -> str:
    median, p95 = statistics.median(samples), percentile(samples, 95)
    ratio = f"{median / baseline:8.1f}x" if baseline else " " * 9
    return f"  {label:<34} {median:9.2f} {p95:9.2f} {max(samples):9.2f} {ratio}"


HEADER = f"  {'':<34} {'median':>9} {'p95':>9} {'max':>9} {'/ base':>9}"


def grade_call(service, case):
    _, args, how = case
    if how.get("problem"):
        return lambda: service.grade_problem(*args)
    return lambda: service.grade_answer(*args)


def solve_call(service, case):
    _, args, kwargs = case
    return lambda: service.solve(*args, **kwargs)


def run_subprocess(code: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *code], check=True, capture_output=True)
    return (time.perf_counter() - started) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed calls per case (default 15)")
    parser.add_argument("--starts", type=int, default=5, help="fresh processes per first-call figure (default 5)")
    parser.add_argument("--hogs", type=int, default=2 * (os.cpu_count() or 1),
                        help="busy-loop processes for the saturated run (default: 2 per core; 0 skips it)")  # fmt: skip
    args = parser.parse_args()
    repeat, starts, hogs = args.repeat, args.starts, args.hogs

    # --- first call after start (fresh processes) -----------------------------------------------
    print("First call after start (fresh processes, ms; median of %d)" % starts)
    first = {
        "python -c pass": ["-c", "pass"],
        "import tui_tutor.cli": ["-c", "import tui_tutor.cli"],
        "import engine.service (sympy...)": ["-c", "import tui_tutor.engine.service"],
        "in-process: start -> first grade": [
            "-c",
            "from tui_tutor.engine.service import grade_answer; grade_answer('-9/100', '-0.09')",
        ],
        "worker: start -> first grade": [
            "-c",
            "from tui_tutor.engine.worker import EngineWorker; w = EngineWorker(); "
            "w.call('service.grade_answer', '-9/100', '-0.09'); w.close()",
        ],
        "CLI: tui-tutor grade (end to end)": ["-m", "tui_tutor", "grade", "--expected", "-9/100", "--answer", "-0.09"],
        "CLI: tui-tutor solve example 2": [
            "-m", "tui_tutor", "solve", "x1 + 2x2, x1 - x2", "u1^2 + 3u2", "--at", "1,1", "--dx", "0.01,-0.02",
        ],
    }
    print(HEADER)
    for label, code in first.items():
        print(row(label, [run_subprocess(code) for _ in range(starts)]))
    print()

    # --- in process, after warm-up ---------------------------------------------------------------
    import sympy
    from sympy.core.cache import clear_cache

    from tui_tutor.engine import service

    x = sympy.Symbol("x")
    baseline_samples = timed(lambda: sympy.expand((x + 1) ** 2), repeat * 20, before=clear_cache)
    baseline = statistics.median(baseline_samples)

    for case in GRADE_CASES:  # warm-up: imports, lazily built tables, first-use paths
        grade_call(service, case)()
    for case in SOLVE_CASES:
        solve_call(service, case)()

    results: dict[str, list[float]] = {"repeat": [], "fresh": []}
    per_case = []
    for case in GRADE_CASES:
        func = grade_call(service, case)
        again = timed(func, repeat)
        fresh = timed(func, repeat, before=clear_cache)
        results["repeat"] += again
        results["fresh"] += fresh
        per_case.append((case[0], fresh))

    solve_fresh, solve_per_case = [], []
    for case in SOLVE_CASES:
        fresh = timed(solve_call(service, case), max(3, repeat // 3), before=clear_cache)
        solve_fresh += fresh
        solve_per_case.append((case[0], fresh))

    print(f"In process after warm-up (ms; {repeat} calls per case; baseline = sympy.expand((x+1)**2), cache cleared)")
    print(HEADER)
    print(row("baseline: expand((x+1)^2)", baseline_samples, baseline))
    print(row(f"grade, {len(GRADE_CASES)} answers, repeat", results["repeat"], baseline))
    print(row(f"grade, {len(GRADE_CASES)} answers, fresh", results["fresh"], baseline))
    print(row(f"solve, {len(SOLVE_CASES)} problems, fresh", solve_fresh, baseline))
    print()
    print("grade per answer (fresh)")
    print(HEADER)
    for label, samples in per_case:
        print(row(label, samples, baseline))
    print()
    print("solve per problem (fresh)")
    print(HEADER)
    for label, samples in solve_per_case:
        print(row(label, samples, baseline))
    print()

    # --- through the worker process --------------------------------------------------------------
    from tui_tutor.engine.worker import EngineWorker

    worker = EngineWorker()
    worker.start()
    for _, args, how in GRADE_CASES:
        worker.call("service.grade_problem" if how.get("problem") else "service.grade_answer", *args)
    through, ping = [], timed(lambda: worker.call("service.grade_answer", "1", "1"), repeat * 4)
    for _, args, how in GRADE_CASES:
        name = "service.grade_problem" if how.get("problem") else "service.grade_answer"
        through += timed(lambda: worker.call(name, *args), repeat)
    solve_through = []
    for _, args, kwargs in SOLVE_CASES:
        solve_through += timed(lambda: worker.call("service.solve", *args, **kwargs), max(3, repeat // 3))
    worker.close()
    in_process_ping = timed(lambda: service.grade_answer("1", "1"), repeat * 4)

    print("Through the worker process (ms; same answers, worker's cache warm)")
    print(HEADER)
    print(row("grade '1' vs '1': in process", in_process_ping, baseline))
    print(row("grade '1' vs '1': worker (IPC cost)", ping, baseline))
    print(row(f"grade, {len(GRADE_CASES)} answers, worker", through, baseline))
    print(row(f"grade, {len(GRADE_CASES)} answers, in process", results["repeat"], baseline))
    print(row(f"solve, {len(SOLVE_CASES)} problems, worker", solve_through, baseline))
    overhead = statistics.median(ping) - statistics.median(in_process_ping)
    print(f"  IPC overhead per call (median difference): {overhead:.2f} ms")
    print()
    fresh_median, fresh_p95 = statistics.median(results["fresh"]), percentile(results["fresh"], 95)
    print(
        f"Aim: grade median <= 20 ms ({fresh_median:.1f} fresh), p95 <= 100 ms ({fresh_p95:.1f} fresh); "
        f"first call <= 1 s (see the first table)"
    )
    if hogs:
        print()
        saturated(hogs)


# --- with the machine saturated (issue 9: bounds on the engine's work, not on the clock) ----------

SATURATED_ROUNDS = 5  # calls per case, idle and loaded
CLI_RUNS = 10
CLI_EXAMPLE = ["solve", "x1^2 + x2, x1*x2", "u1 + u2^2", "--at", "1,2"]  # the README's first example


def _hog() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def _through_engine(worker, name: str, args: tuple, kwargs: dict) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        worker.call(name, *args, **kwargs)
        ok = True
    except Exception:  # noqa: BLE001 - a bound that cut a call is what this counts
        ok = False
    return (time.perf_counter() - started) * 1e3, ok


def _cli_run() -> tuple[float, bool]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tui_tutor", *CLI_EXAMPLE], capture_output=True)
    return (time.perf_counter() - started) * 1e3, done.returncode == 0


def saturated(hogs: int) -> None:
    """Solve and grade through the engine's process (as the app and the CLI do), idle and with
    ``hogs`` busy loops taking every core; then the CLI end to end. Every call must succeed: the
    bound is the engine's CPU time, and waiting for the processor does not count against it."""
    from tui_tutor.engine.bounds import CLI, GRADE
    from tui_tutor.engine.worker import EngineWorker

    calls = [("solve: " + label, "service.solve", args, dict(kwargs, bound=CLI)) for label, args, kwargs in SOLVE_CASES]
    calls += [
        ("grade: " + label, "service.grade_problem" if how.get("problem") else "service.grade_answer", args, {"bound": GRADE})
        for label, args, how in GRADE_CASES
    ]

    def measure() -> dict[str, list[tuple[float, bool]]]:
        worker = EngineWorker(warm=True)
        worker.start()
        try:
            return {
                kind: [_through_engine(worker, name, args, kwargs) for label, name, args, kwargs in calls
                       if label.startswith(kind) for _ in range(SATURATED_ROUNDS)]  # fmt: skip
                for kind in ("solve", "grade")
            } | {"cli": [_cli_run() for _ in range(CLI_RUNS)]}
        finally:
            worker.close()

    idle = measure()
    processes = [_hog() for _ in range(hogs)]
    try:
        time.sleep(0.5)
        loaded = measure()
    finally:
        for process in processes:
            process.kill()
            process.wait()

    print(f"With the machine saturated: {hogs} busy-loop processes on {os.cpu_count()} cores "
          f"(ms; {SATURATED_ROUNDS} calls per case through the engine's process, {CLI_RUNS} CLI runs)")  # fmt: skip
    print(f"  {'':<34} {'idle':>9} {'loaded':>9} {'ratio':>9} {'max':>9} {'ok':>9}")
    labels = {"solve": f"solve, {len(SOLVE_CASES)} problems", "grade": f"grade, {len(GRADE_CASES)} answers",
              "cli": "CLI: tui-tutor solve (README ex. 1)"}  # fmt: skip
    for kind, label in labels.items():
        quiet = statistics.median(ms for ms, _ in idle[kind])
        busy = statistics.median(ms for ms, _ in loaded[kind])
        worst = max(ms for ms, _ in loaded[kind])
        ok = sum(good for _, good in loaded[kind])
        print(f"  {label:<34} {quiet:9.1f} {busy:9.1f} {busy / quiet:8.1f}x {worst:9.1f} {ok:>4}/{len(loaded[kind])}")
    print("  medians and max under load; ok: calls that succeeded under load (all must)")


if __name__ == "__main__":
    main()
