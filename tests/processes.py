"""Finding and watching processes through /proc (Linux): the engine's, a session's, what is left after a test."""

from __future__ import annotations

import os
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # the fields after the command name


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as gone: it holds no memory and does nothing)."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def children(pid: int) -> list[int]:
    """The live children of ``pid`` (listed per thread: any thread may have started one)."""
    found = []
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in listing.read_text().split()]
        except OSError:
            continue
    return [p for p in found if alive(p)]


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid``."""
    found, index = list(children(pid)), 0
    while index < len(found):
        found += children(found[index])
        index += 1
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time ``pid`` has used (user + system), 0 if it is gone."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def live_processes() -> list[int]:
    """Every live process on the machine."""
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit() and alive(int(entry.name))]


def environment(pid: int) -> list[bytes]:
    """The ``NAME=value`` items ``pid`` started with (none if it is gone or not ours to read)."""
    try:
        return Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return []


def engine_processes(root: int) -> list[int]:
    """The engine's processes below ``root``: its host and the host's runners (forks of the host,
    so they share its command line)."""
    return [p for p in descendants(root) if "tui_tutor.engine.host" in command_line(p)]


def wait_until(predicate, seconds: float, step: float = 0.05) -> bool:
    """Whether ``predicate()`` became true within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        if predicate():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(step)


def busy_runner(host: int, at_least: float = 0.3) -> int | None:
    """A runner of ``host`` that has used at least ``at_least`` s of CPU: one working on a call."""
    for pid in children(host):
        if cpu_seconds(pid) >= at_least:
            return pid
    return None


def engine_cpu_seconds(host: int) -> float:
    """CPU time the engine has used for computations: its runners that ended (and were reaped by
    the host) plus those still running."""
    fields = _stat(host)
    if fields is None:
        return 0.0
    ended = (int(fields[13]) + int(fields[14])) / TICKS  # cutime, cstime
    return ended + sum(cpu_seconds(pid) for pid in children(host))
