"""The spawner: one small process that starts every hosted tutor and ends every process it started.

Why a separate process: a server killed with SIGKILL runs no clean-up code, and a tutor's engine
worker is started in a session of its own, so neither a process group nor the pty's hang-up
reaches it. The spawner is a *child subreaper* (``PR_SET_CHILD_SUBREAPER``): every process a tutor
starts stays its descendant even after the tutor itself is gone, so "what did this class start" is
always "the spawner's descendants". It

- starts a tutor on request, on a fresh pty (SSH) or on pipes (browser), with the limits applied
  in the child before ``exec`` (address space, priority, no core files, and ``PR_SET_PDEATHSIG``
  so a tutor dies with the spawner), and hands the terminal's file descriptors to the server;
- ends a session's whole tree on request: SIGTERM, then SIGKILL after a grace period;
- kills at once any orphan, a process re-parented to it that is not a live tutor (an engine
  worker whose tutor has exited);
- reports each tutor's exit, and every two seconds each session's memory and CPU time;
- when the server goes away (its end of the socket closes, whatever killed it), kills every
  descendant and exits.

The server side is :class:`Spawner` (asyncio). The two speak JSON messages over a SOCK_SEQPACKET
socket pair; file descriptors travel with ``SCM_RIGHTS``.
"""

from __future__ import annotations

import asyncio
import ctypes
import fcntl
import json
import logging
import os
import pty
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass, field
from typing import Any, Callable

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
SCAN_INTERVAL = 0.5  # seconds between looks for orphans and overdue kills
USAGE_INTERVAL = 2.0
MAX_MESSAGE = 256 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICKS = os.sysconf("SC_CLK_TCK")


# --- /proc -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcInfo:
    pid: int
    ppid: int
    state: str
    cpu: float  # seconds of user + system time
    start: int  # start time in clock ticks since boot: a pid plus this names one process
    rss: int  # bytes


def process_table() -> dict[int, ProcInfo]:
    """Every process visible in /proc (those that vanish while being read are skipped)."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces or ')': split after the last.
        fields = data[data.rfind(b")") + 2:].split()
        try:
            table[int(entry.name)] = ProcInfo(
                pid=int(entry.name), ppid=int(fields[1]), state=fields[0].decode(),
                cpu=(int(fields[11]) + int(fields[12])) / _TICKS, start=int(fields[19]),
                rss=int(fields[21]) * _PAGE,
            )  # fmt: skip
        except (IndexError, ValueError):
            continue
    return table


def descendants(table: dict[int, ProcInfo], root: int) -> list[int]:
    """The pids below ``root`` in ``table`` (not ``root`` itself)."""
    children: dict[int, list[int]] = {}
    for info in table.values():
        children.setdefault(info.ppid, []).append(info.pid)
    found, todo = [], list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


# --- the spawner process ---------------------------------------------------------------------------


@dataclass
class _Root:
    pid: int
    kill_at: float | None = None  # when SIGKILL follows the SIGTERM already sent
    cpu_seen: dict[tuple[int, int], float] = field(default_factory=dict)  # (pid, start) -> cpu


class _SpawnerProcess:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.me = os.getpid()
        self.roots: dict[int, _Root] = {}
        self.next_scan = 0.0
        self.next_usage = 0.0
        self.libc = ctypes.CDLL(None, use_errno=True)

    def run(self) -> None:
        self.libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        # Ctrl+C in the teacher's terminal goes to the whole process group: the server decides
        # what happens, and the spawner cleans up when the server has gone.
        for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_IGN)
        wake_r, wake_w = os.pipe()
        for fd in (wake_r, wake_w):
            os.set_blocking(fd, False)
            os.set_inheritable(fd, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, lambda *_: None)  # wakes the loop; the server's EOF decides
        try:
            while True:
                ready, _, _ = select.select([self.sock, wake_r], [], [], SCAN_INTERVAL)
                if wake_r in ready:
                    _drain(wake_r)
                if self.sock in ready and not self._receive():
                    return
                self._reap()
                now = time.monotonic()
                if now >= self.next_scan:
                    self._scan(now)
        finally:
            self._kill_everything()

    # messages
    def _receive(self) -> bool:
        try:
            data, fds, _, _ = socket.recv_fds(self.sock, MAX_MESSAGE, 4)
        except OSError:
            return False
        for fd in fds:  # the server never sends descriptors
            os.close(fd)
        if not data:
            return False
        try:
            message = json.loads(data)
            op = message["op"]
        except (ValueError, KeyError, TypeError):
            return True
        if op == "spawn":
            self._spawn(message)
        elif op == "end":
            self._end(int(message["pid"]), float(message.get("grace", 1.0)))
        elif op == "shutdown":
            return False
        return True

    def _send(self, message: dict[str, Any], fds: list[int] = ()) -> None:
        try:
            socket.send_fds(self.sock, [json.dumps(message).encode()], list(fds))
        except OSError:
            pass  # the server has gone; the loop notices the closed socket

    # starting a tutor
    def _spawn(self, message: dict[str, Any]) -> None:
        request = message.get("id")
        try:
            pid, fds = self._start(message)
        except Exception as err:  # noqa: BLE001 - reported to the server, which tells the client
            self._send({"op": "spawned", "id": request, "error": str(err)})
            return
        self.roots[pid] = _Root(pid)
        self._send({"op": "spawned", "id": request, "pid": pid}, fds)
        for fd in fds:
            os.close(fd)

    def _start(self, message: dict[str, Any]) -> tuple[int, list[int]]:
        argv, env, cwd = message["argv"], message["env"], message["cwd"]
        size = message.get("size")  # [cols, rows] for a pty, None for pipes
        limits = message.get("limits", {})
        if size:
            parent_end, child_end = pty.openpty()
            set_terminal_size(parent_end, *size)
            child_fds, mine = [child_end, child_end, child_end], [parent_end]
        else:
            stdin_r, stdin_w = os.pipe()
            stdout_r, stdout_w = os.pipe()
            stderr_r, stderr_w = os.pipe()
            child_fds, mine = [stdin_r, stdout_w, stderr_w], [stdin_w, stdout_r, stderr_r]
        err_r, err_w = os.pipe2(os.O_CLOEXEC)
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(argv, env, cwd, child_fds, bool(size), limits, err_w, self.me, self.libc)
        os.close(err_w)
        for fd in set(child_fds):
            os.close(fd)
        with os.fdopen(err_r, "rb") as errors:
            failure = errors.read()
        if failure:
            os.waitpid(pid, 0)
            for fd in mine:
                os.close(fd)
            raise OSError(failure.decode(errors="replace"))
        return pid, mine

    # ending
    def _end(self, pid: int, grace: float) -> None:
        root = self.roots.get(pid)
        if root is None:
            return
        table = process_table()
        for member in [pid, *descendants(table, pid)]:
            _signal(member, signal.SIGTERM)
        # A worker in its own session ignores nothing it is sent, but a tutor busy in a
        # system call may take a moment: SIGKILL whatever is left after the grace period.
        root.kill_at = time.monotonic() + grace
        self.next_scan = 0.0

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if self.roots.pop(pid, None) is not None:
                code = os.waitstatus_to_exitcode(status)
                self._send({"op": "exited", "pid": pid, "code": code})
                self.next_scan = 0.0  # its worker is now an orphan: end it soon

    def _scan(self, now: float) -> None:
        self.next_scan = now + SCAN_INTERVAL
        table = process_table()
        # Orphans: anything re-parented to the spawner that is not a live tutor.
        for info in table.values():
            if info.ppid == self.me and info.pid not in self.roots and info.state != "Z":
                for member in [*descendants(table, info.pid), info.pid]:
                    _signal(member, signal.SIGKILL)
        usage = {}
        for root in list(self.roots.values()):
            members = [root.pid, *descendants(table, root.pid)]
            if root.kill_at is not None and now >= root.kill_at:
                for member in members:
                    _signal(member, signal.SIGKILL)
                continue
            alive = [table[m] for m in members if m in table]
            for info in alive:
                root.cpu_seen[(info.pid, info.start)] = info.cpu
            # CPU time of processes that have ended (a restarted worker) still counts.
            usage[str(root.pid)] = [sum(i.rss for i in alive), round(sum(root.cpu_seen.values()), 2), len(alive)]
        if now >= self.next_usage:
            self.next_usage = now + USAGE_INTERVAL
            self._send({"op": "usage", "sessions": usage})

    def _kill_everything(self) -> None:
        for _ in range(100):
            table = process_table()
            left = [p for p in descendants(table, self.me) if table[p].state != "Z"]
            for pid in left:
                _signal(pid, signal.SIGKILL)
            self._reap()
            if not left:
                return
            time.sleep(0.02)


def _child(argv, env, cwd, fds, on_pty, limits, err_w, parent, libc) -> None:
    """In the forked child: become the tutor, or report why not on ``err_w`` and exit."""
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target, inheritable=True)
        if on_pty:
            os.login_tty(0)  # a new session with the pty as its controlling terminal
        else:
            os.setsid()
        keep = err_w
        os.closerange(3, keep)
        os.closerange(keep + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
        for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGPIPE, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        address_space = int(limits.get("address_space", 0))
        if address_space:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setpriority(os.PRIO_PROCESS, 0, int(limits.get("nice", 10)))
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the spawner died before the line above
            os._exit(1)
        os.chdir(cwd)
        os.execve(argv[0], argv, env)
    except BaseException as err:  # noqa: BLE001 - anything here must end this child
        try:
            os.write(err_w, f"cannot start {argv[0]}: {err}".encode())
        finally:
            os._exit(127)


def set_terminal_size(fd: int, cols: int, rows: int) -> None:
    """Set a pty's window size (through either end); a program already on it gets SIGWINCH."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass


def main() -> None:
    """Entry point: ``python -m tui_tutor.serve.spawner FD`` (FD: the server's socket)."""
    sock = socket.socket(fileno=int(sys.argv[1]))
    sock.setblocking(True)
    _SpawnerProcess(sock).run()


# --- the server's side ------------------------------------------------------------------------------


class SpawnerGone(RuntimeError):
    """The spawner process has exited; no tutor can be started."""


@dataclass
class Started:
    """A tutor the spawner started: its pid and the server's ends of its terminal or pipes."""

    pid: int
    fds: list[int]


class Spawner:
    """The server's handle on the spawner process (asyncio)."""

    def __init__(self) -> None:
        self._sock: socket.socket | None = None
        self._process: subprocess.Popen | None = None
        self._requests: dict[int, asyncio.Future] = {}
        self._next_id = 0
        self.exit_handlers: dict[int, Callable[[int], None]] = {}
        self.usage_handlers: dict[int, Callable[[int, float, int], None]] = {}
        self.on_lost: Callable[[], None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        """Start the spawner process."""
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-m", "tui_tutor.serve.spawner", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, close_fds=True,
        )  # fmt: skip
        theirs.close()
        mine.setblocking(False)
        self._sock = mine
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(mine.fileno(), self._readable)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def spawn(
        self, argv: list[str], env: dict[str, str], cwd: str, size: tuple[int, int] | None,
        limits: dict[str, int],
    ) -> Started:  # fmt: skip
        """Start a tutor; ``size`` (cols, rows) for a pty, None for pipes (stdin, stdout, stderr)."""
        assert self._loop is not None
        self._next_id += 1
        request = self._next_id
        future = self._loop.create_future()
        self._requests[request] = future
        self._send({"op": "spawn", "id": request, "argv": argv, "env": env, "cwd": cwd,
                    "size": list(size) if size else None, "limits": limits})  # fmt: skip
        return await future

    def end(self, pid: int, grace: float = 1.0) -> None:
        """End a tutor and everything it started (SIGTERM, then SIGKILL after ``grace`` s)."""
        try:
            self._send({"op": "end", "pid": pid, "grace": grace})
        except SpawnerGone:
            pass  # it has killed everything already

    def _send(self, message: dict[str, Any]) -> None:
        if self._sock is None:
            raise SpawnerGone("the spawner is not running")
        try:
            self._sock.send(json.dumps(message).encode())
        except OSError as err:
            raise SpawnerGone(f"the spawner is not running ({err})") from None

    def _readable(self) -> None:
        assert self._sock is not None
        try:
            data, fds, _, _ = socket.recv_fds(self._sock, MAX_MESSAGE, 4)
        except BlockingIOError:
            return
        except OSError:
            data, fds = b"", []
        if not data:
            self._lost()
            return
        message = json.loads(data)
        op = message.get("op")
        if op == "spawned":
            future = self._requests.pop(message["id"], None)
            if future is None or future.done():
                for fd in fds:
                    os.close(fd)
            elif "error" in message:
                future.set_exception(OSError(message["error"]))
            else:
                future.set_result(Started(message["pid"], list(fds)))
        elif op == "exited":
            handler = self.exit_handlers.pop(message["pid"], None)
            if handler is not None:
                handler(message["code"])
        elif op == "usage":
            for pid, (rss, cpu, count) in message["sessions"].items():
                handler = self.usage_handlers.get(int(pid))
                if handler is not None:
                    handler(rss, cpu, count)

    def _lost(self) -> None:
        if self._sock is None:
            return
        assert self._loop is not None
        self._loop.remove_reader(self._sock.fileno())
        self._sock.close()
        self._sock = None
        for future in self._requests.values():
            if not future.done():
                future.set_exception(SpawnerGone("the spawner stopped"))
        self._requests.clear()
        if self.on_lost is not None:
            self.on_lost()

    async def close(self, timeout: float = 5.0) -> None:
        """Stop the spawner; it ends every process it started before exiting."""
        if self._sock is not None:
            try:
                self._send({"op": "shutdown"})
            except SpawnerGone:
                pass
            handler, self.on_lost = self.on_lost, None
            self._lost()
            self.on_lost = handler
        if self._process is not None:
            deadline = time.monotonic() + timeout
            while self._process.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            if self._process.poll() is None:
                self._process.kill()
                self._process.wait()


if __name__ == "__main__":
    main()
