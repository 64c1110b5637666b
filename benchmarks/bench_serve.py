"""A class over SSH on loopback: memory per session, keystroke-to-screen latency, first screen.

    python benchmarks/bench_serve.py [--sessions 30] [--keys 12]

Starts ``tui-tutor serve ssh`` on a free loopback port, opens N concurrent SSH sessions (asyncssh's
client, 80x24, each with its own key-listed learner) on ``quiz --count 1 --seed 1``, then:

- *first screen*: seconds from connecting to the question being drawn, all N connecting at once;
  baseline: the same tutor on a local pty (no SSH, no server), and one SSH session alone;
- *memory*: RSS and PSS (shared pages split fairly) of the whole server tree — server, spawner,
  every tutor and engine worker — divided by N, and what each kind of process takes;
- *latency*: every session types into its answer box at once, a key every 50-150 ms; the clock
  runs from sending a key to the answer box being redrawn with it (the typed text appearing in
  the output). Median and 95th percentile across all keys of all sessions; baseline: one session
  typing alone;
- *CPU*: the server tree's CPU time while everyone types, as a share of a core per session, and
  from that and the memory how many learners a 2-core, 24 GB host holds.

Prints medians; never asserted anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncssh

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tui_tutor.serve.spawner import descendants, process_table  # noqa: E402

_ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-_]")
FIRST_SCREEN = b"Question 1 of 1"
READY = b"Type your answer"
COMMAND = "quiz --count 1 --seed 1"


def shown(data: bytes) -> bytes:
    return _ANSI.sub(b"", data)


class Learner:
    """One SSH session and what it has been shown."""

    def __init__(self, name: str):
        self.name = name
        self.output = bytearray()
        self.changed = asyncio.Event()
        self.process = None
        self.conn = None
        self.first_screen: float | None = None
        self.latencies: list[float] = []

    async def connect(self, port: int, key) -> None:
        started = time.perf_counter()
        self.conn = await asyncssh.connect(
            "127.0.0.1", port, username=self.name, client_keys=[key], known_hosts=None, agent_path=None,
            config=None,
        )  # fmt: skip
        self.process = await self.conn.create_process(
            COMMAND, term_type="xterm-256color", term_size=(80, 24), encoding=None
        )
        reader = asyncio.ensure_future(self._read())
        await self.wait_for(FIRST_SCREEN, 0, timeout=300)
        self.first_screen = time.perf_counter() - started
        await self.wait_for(READY, 0, timeout=300)
        self._reader = reader

    async def _read(self) -> None:
        while True:
            data = await self.process.stdout.read(65536)
            if not data:
                return
            self.output += data
            self.changed.set()

    async def wait_for(self, needle: bytes, since: int, timeout: float = 30) -> None:
        deadline = time.perf_counter() + timeout
        while needle not in shown(bytes(self.output[since:])):
            self.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{self.name}: {needle!r} not shown")
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                pass

    async def type_keys(self, count: int, rng: random.Random) -> None:
        typed = ""
        for _ in range(count):
            await asyncio.sleep(rng.uniform(0.05, 0.15))
            typed += "7"  # the answer box grows "7", "77", ...: the whole value is new each time
            mark = len(self.output)
            sent = time.perf_counter()
            self.process.stdin.write(b"7")
            await self.wait_for(typed.encode(), mark)
            self.latencies.append(time.perf_counter() - sent)

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            await self.conn.wait_closed()


def memory_of(pids: list[int]) -> tuple[int, int]:
    """(RSS, PSS) in bytes of these processes together."""
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except OSError:
            pass
    return rss, pss


def server_tree(pid: int) -> dict[str, list[int]]:
    table = process_table()
    kinds: dict[str, list[int]] = {"server": [pid], "spawner": [], "tutor": [], "engine worker": []}
    for child in descendants(table, pid):
        if table[child].state == "Z":
            continue
        with open(f"/proc/{child}/cmdline", "rb") as handle:
            cmdline = handle.read()
        if b"serve.spawner" in cmdline:
            kinds["spawner"].append(child)
        elif b"tui_tutor.engine." in cmdline:
            kinds["engine worker"].append(child)
        else:
            kinds["tutor"].append(child)
    return kinds


def tree_cpu(pid: int) -> float:
    table = process_table()
    return sum(table[p].cpu for p in [pid, *descendants(table, pid)] if p in table)


def local_first_screen(env: dict[str, str]) -> float:
    """The baseline: the same tutor on a local pty of 80x24, no server, read the same way."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    home = tempfile.mkdtemp(prefix="bench-serve-local-")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    tutor = subprocess.Popen([sys.executable, "-m", "tui_tutor", *COMMAND.split()], stdin=slave, stdout=slave,
                             stderr=slave, env=dict(env, TUI_TUTOR_HOME=home), start_new_session=True)  # fmt: skip
    os.close(slave)
    seen, elapsed = b"", float("nan")
    while time.perf_counter() - started < 120:
        if select.select([master], [], [], 0.05)[0]:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
            if FIRST_SCREEN in shown(seen):
                elapsed = time.perf_counter() - started
                break
    table = process_table()
    for pid in [*descendants(table, tutor.pid), tutor.pid]:
        os.kill(pid, 9)
    tutor.wait()
    os.close(master)
    return elapsed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--keys", type=int, default=12, help="keys each session types")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    class_dir = work / "class"
    class_dir.mkdir()
    key = asyncssh.generate_private_key("ssh-ed25519")
    names = [f"learner{i:02d}" for i in range(args.sessions)] + ["solo"]
    (class_dir / "authorized_keys").write_text(
        "".join(f"{name} {key.export_public_key().decode().strip()}\n" for name in names)
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    server = subprocess.Popen(
        [sys.executable, "-m", "tui_tutor", "serve", "ssh", "--class-dir", str(class_dir), "--port", "0",
         "--max-sessions", str(args.sessions + 5)],
        stdout=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )  # fmt: skip
    port = int(re.search(r":(\d+)", server.stdout.readline()).group(1))
    try:
        baseline = statistics.median(local_first_screen(env) for _ in range(3))
        solo_firsts, solo_latencies = [], []
        for _ in range(3):
            solo = Learner("solo")
            await solo.connect(port, key)
            solo_firsts.append(solo.first_screen)
            await asyncio.sleep(2)  # the engine worker starts after the first frame
            await solo.type_keys(args.keys, random.Random(1))
            solo_latencies += solo.latencies
            await solo.close()
        await asyncio.sleep(2)

        learners = [Learner(name) for name in names[:-1]]
        await asyncio.gather(*(learner.connect(port, key) for learner in learners))
        await asyncio.sleep(8)  # every engine worker started and idle
        kinds = server_tree(server.pid)
        per_kind = {kind: memory_of(pids) for kind, pids in kinds.items()}
        rss, pss = memory_of([p for pids in kinds.values() for p in pids])

        cpu_before, wall_before = tree_cpu(server.pid), time.perf_counter()
        rngs = [random.Random(i) for i in range(len(learners))]
        await asyncio.gather(*(learner.type_keys(args.keys, rng) for learner, rng in zip(learners, rngs)))
        cpu_used, wall = tree_cpu(server.pid) - cpu_before, time.perf_counter() - wall_before
        firsts = [learner.first_screen for learner in learners]
        latencies = [lat for learner in learners for lat in learner.latencies]
        await asyncio.gather(*(learner.close() for learner in learners))
    finally:
        server.terminate()
        server.wait(30)

    n = args.sessions
    mb = 1024 * 1024
    print(f"{n} concurrent SSH sessions on loopback, each on '{COMMAND}' at 80x24")
    print()
    print("time to first screen                       median     p95")
    print(f"  local pty, no server (baseline)          {baseline * 1e3:6.0f} ms")
    print(f"  one SSH session alone                    {statistics.median(solo_firsts) * 1e3:6.0f} ms"
          f"   ({statistics.median(solo_firsts) / baseline:.2f}x the baseline)")  # fmt: skip
    print(f"  {n} sessions connecting at once           {statistics.median(firsts) * 1e3:6.0f} ms"
          f"  {pct(firsts, 0.95) * 1e3:6.0f} ms")  # fmt: skip
    print()
    print(f"memory of the whole server tree: {rss / mb:.0f} MB RSS, {pss / mb:.0f} MB PSS"
          f" = {rss / n / mb:.0f} MB RSS, {pss / n / mb:.0f} MB PSS per session (aim <= 150 MB)")  # fmt: skip
    for kind, (k_rss, k_pss) in per_kind.items():
        count = len(kinds[kind])
        if count:
            print(f"  {kind:<14} x{count:<3} {k_rss / count / mb:6.1f} MB RSS {k_pss / count / mb:6.1f} MB PSS each")
    print()
    print("keystroke to screen                        median     p95")
    print(f"  one session typing alone (baseline)      {statistics.median(solo_latencies) * 1e3:6.1f} ms"
          f"  {pct(solo_latencies, 0.95) * 1e3:6.1f} ms")  # fmt: skip
    print(f"  {n} sessions typing at once               {statistics.median(latencies) * 1e3:6.1f} ms"
          f"  {pct(latencies, 0.95) * 1e3:6.1f} ms   ({len(latencies)} keys)")  # fmt: skip
    share = cpu_used / wall / n
    print()
    print(f"CPU while {n} type at once: {cpu_used / wall * 100:.0f}% of a core in all, "
          f"{share * 100:.1f}% of a core per typing learner")  # fmt: skip
    by_memory = int(24 * 1024 * mb * 0.8 / (pss / n))
    by_cpu = int(2 * 0.7 / share) if share > 0 else by_memory
    print(f"a 2-core, 24 GB host: memory allows ~{by_memory} sessions (80% of RAM, by PSS); "
          f"CPU ~{by_cpu} learners typing at once (70% of both cores)")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
