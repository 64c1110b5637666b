"""Time to first screen, and memory with the scratchpad open.

Runs each program in a pseudo-terminal (as a learner's terminal would), reads what it draws and
stops the clock when a marker text appears. The baseline is a bare Textual app that shows one
line, measured in the same run, so the ratio means something on any machine.

    python benchmarks/bench_startup.py [--runs 7]

Memory: starts ``tui-tutor scratch`` with a problem filled in, waits until its results are on
screen, then sums the resident memory (RSS, and PSS, which splits shared pages fairly) of the app
and every process it started (the maths engine worker).
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

BASELINE = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("BASELINE-READY")

    Bare().run()
    """
)


def run_until(argv: list[str], marker: bytes, env: dict, timeout: float = 60.0, keep: bool = False):
    """Start ``argv`` in a pty of 80x24; return seconds until ``marker`` was drawn (and the pid)."""
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True, start_new_session=True)
    os.close(slave)
    seen = b""
    elapsed = None
    deadline = started + timeout
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
            if marker in seen.replace(b"\x1b", b""):
                elapsed = time.perf_counter() - started
                break
            seen = seen[-4096:]
    if not keep:
        stop(proc, master)
        return elapsed, None, None
    return elapsed, proc, master


def stop(proc: subprocess.Popen, master: int) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    os.close(master)


def tree_memory(pid: int) -> tuple[float, float, int]:
    """(RSS MB, PSS MB, process count) of a process and all its descendants."""
    pids = [pid]
    index = 0
    while index < len(pids):
        # Children are listed per thread; the engine worker is started from a worker thread.
        for children in Path(f"/proc/{pids[index]}/task").glob("*/children"):
            try:
                pids += [int(p) for p in children.read_text().split()]
            except OSError:
                continue
        index += 1
    rss = pss = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024, len(pids)


def first_lesson_word() -> bytes:
    """A word from the first paragraph of section 1: on screen means the lesson text is readable."""
    from tui_tutor.content.loader import load_course
    from tui_tutor.mathtext import render_prose

    section = load_course().concept().sections[0]
    text = next(b.data for b in section.blocks if b.kind == "text")
    words = [w.strip(".,;:") for w in render_prose(text).split()]
    return max(words, key=len).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="tui-tutor-bench-")
    env = dict(os.environ, TUI_TUTOR_HOME=home, TERM="xterm-256color", TEXTUAL_ANIMATIONS="none")
    # Measure what an installed user gets: compiled bytecode for every module, ours included
    # (pip compiles an installed package; a dev checkout with PYTHONDONTWRITEBYTECODE would not).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    tutor = [sys.executable, "-m", "tui_tutor", "lesson", "--section", "1"]
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(BASELINE)
        baseline_script = handle.name

    marker = first_lesson_word()
    run_until(tutor, marker, env)  # warm-up: writes bytecode and the course cache
    base, app = [], []
    for _ in range(args.runs):  # interleaved, so machine noise hits both alike
        base.append(run_until([sys.executable, baseline_script], b"BASELINE-READY", env)[0])
        app.append(run_until(tutor, marker, env)[0])
    base = [b for b in base if b is not None]
    app = [a for a in app if a is not None]
    b_med, a_med = statistics.median(base), statistics.median(app)
    print(f"time to first screen (median of {args.runs}, 80x24 pty)")
    print(f"  bare Textual app, one line      {b_med * 1000:7.0f} ms")
    print(f"  tui-tutor lesson                {a_med * 1000:7.0f} ms   ratio {a_med / b_med:.2f}x")

    scratch = [
        sys.executable, "-m", "tui_tutor", "scratch", "x1^2 + x2, x1*x2", "u1 + u2^2", "--at", "1,2", "--dx", "0.1,0",
    ]
    elapsed, proc, master = run_until(scratch, b"Scratch", env, keep=True)
    time.sleep(3.0)  # let the engine answer and the results and plots draw
    rss, pss, count = tree_memory(proc.pid)
    stop(proc, master)
    print("memory with the scratchpad open (app + engine worker)")
    print(f"  processes {count}   RSS {rss:6.1f} MB   PSS {pss:6.1f} MB   (budget 150 MB)")
    os.unlink(baseline_script)


if __name__ == "__main__":
    main()
