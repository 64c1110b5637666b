"""The engine's process: sympy imported once, each computation run in a forked copy of it.

``python -m tui_tutor.engine.host --parent PID`` is started by :class:`~tui_tutor.engine.worker.
EngineWorker` and speaks :mod:`~tui_tutor.engine.wire` messages on its stdin and stdout:

- in: ``("call", id, module, function, args, kwargs, cpu_seconds)`` and ``("cancel", id)``;
- out: ``("ready", pid, details)`` once, then for each call exactly one of ``("ok", id, result)``,
  ``("err", id, exception)``, ``("memory", id)`` or ``("stopped", id, reason, detail)`` with reason
  ``cpu`` (its CPU time ran out), ``cancelled`` or ``crashed``.

The host never computes. It keeps a *runner* — a forked copy of itself, sympy already loaded —
that does the work, and a spare runner forked ahead of time. A runner runs each call under a CPU
timer and a memory cap (:mod:`~tui_tutor.engine.limits`); when a call runs out of either, or the app
cancels it because a newer edit superseded it, that runner ends and the spare takes over at once:
no sympy import on the way, and nothing a killed computation half-built survives into the next.
Forking shares the loaded engine's memory copy-on-write, so the spare costs little (``gc.freeze``
keeps the collector from touching, and so copying, the inherited objects).

Every engine process dies with its parent: the host with the app, each runner with the host
(``PR_SET_PDEATHSIG`` on Linux; elsewhere the host polls its parent and a runner sees its request
pipe close). Only functions of ``tui_tutor.engine`` modules can be called, by name.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import select
import signal
import sys
from dataclasses import dataclass
from io import FileIO

from tui_tutor.engine import limits
from tui_tutor.engine.wire import ALLOWED_PREFIX, HEADER, dumps, loads, receive, receive_frame, send, send_frame

# Run once in the host before it forks (the app asks for this; the CLI, making one call, does not):
# a first call pays for lazily imported modules and tables, up to 170 ms for the scratchpad, and
# every fresh runner would pay it again after a kill. Warmed in the host, they are inherited.
WARM_UP = (
    ("service", "grade_answer", ("2x1 + 2x1 x2^2", "2x1(1 + x2^2)"), {}),
    ("service", "grade_answer", ("[1, 2; 3, 4]", "[1, 3; 2, 4]", "matrix"), {}),
    ("service", "preview", ("[x1^2; sin(x2)]",), {}),
    ("scratch", "work", (["x1^2 + x2, x1*x2", "u1 + u2^2"], "1,2", "0.1,0"), {}),
)
PARENT_POLL = 0.5  # seconds between checks that the app is still there (where the kernel cannot)
RECYCLE_FRACTION = 0.5  # a runner grown by half its memory budget is replaced after its reply
EXIT_CRASHED = 70  # a runner that failed outside any call
RETIRING, CONTINUING = b"R", b"C"  # the byte before each reply: will the runner take another call?


@dataclass
class Runner:
    """A forked copy of the host that runs calls one at a time."""

    pid: int
    requests: FileIO
    replies: FileIO
    busy: int | None = None  # the id of the call it is working on

    def kill(self) -> None:
        """Kill it without waiting: a big process takes a while to give its memory back, and the
        next call should not wait for that. The host reaps it later."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.close()

    def close(self) -> None:
        for stream in (self.requests, self.replies):
            stream.close()

    def reap(self) -> int | None:
        """Wait for a runner that has closed its reply pipe; its wait status."""
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = None
        self.close()
        return status


class Host:
    """The host's loop (see the module's notes)."""

    def __init__(self, parent: int, memory_mb: int, deathsig: bool = True, warm: bool = False):
        self.parent = parent
        self.warm = warm
        self.memory_bytes = memory_mb * 1024 * 1024
        self.deathsig = deathsig
        self.current: Runner | None = None
        self.spare: Runner | None = None
        self.killed: list[int] = []  # runners killed (or retired) and not reaped yet

    def serve(self) -> None:
        self.requests = FileIO(os.dup(0), "rb")
        self.replies = FileIO(os.dup(1), "wb")
        # Nothing else may write to the reply pipe, and runners must not hold the app's pipes
        # open: stdin and stdout become /dev/null, stray prints go to stderr (also /dev/null).
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.close(devnull)
        sys.stdout = sys.stderr
        kernel_watches = limits.die_with_parent(self.parent) if self.deathsig else False
        importlib.import_module("tui_tutor.engine.service")  # the runners inherit it loaded
        if self.warm:
            _warm_up()
        gc.freeze()  # (no gc.collect first: 50 ms of start-up to save a megabyte or two)
        self.spare = self._fork()
        send(self.replies, ("ready", os.getpid(), {
            "kernel_watches_parent": kernel_watches,
            "memory_mb": self.memory_bytes // (1024 * 1024),
        }))  # fmt: skip
        try:
            self._loop()
        finally:
            for runner in (self.current, self.spare):
                if runner is not None:
                    runner.kill()

    def _loop(self) -> None:
        while True:
            watched = [self.requests] + ([self.current.replies] if self.current else [])
            ready, _, _ = select.select(watched, [], [], PARENT_POLL)
            if not limits.parent_alive(self.parent):
                return
            self.killed = [pid for pid in self.killed if not _reaped(pid)]
            if self.current is not None and self.current.replies in ready:
                self._from_runner(self.current)
            if self.requests in ready:
                try:
                    message = receive(self.requests)
                except EOFError:
                    return  # the app closed the pipe: it is gone or done with us
                if message[0] == "call":
                    self._call(message)
                elif message[0] == "cancel":
                    self._cancel(message[1])

    def _call(self, message: tuple) -> None:
        call_id = message[1]
        if self.current is not None and self.current.busy is not None:
            self._stop_current()  # the app gave up on that call; do not let it delay this one
        for _ in range(2):  # a runner may have died while idle: then try a fresh one
            try:
                if self.current is None:
                    self.current, self.spare = self.spare or self._fork(), None
                send(self.current.requests, message)
            except OSError:  # the runner is gone, or no process could be forked
                self._stop_current()
                continue
            self.current.busy = call_id
            break
        else:
            send(self.replies, ("stopped", call_id, "crashed", "no process could be started for it"))
            return
        if self.spare is None:
            try:
                self.spare = self._fork()  # while the runner works, so the next replacement is ready
            except OSError:
                pass  # tried again at the next call

    def _cancel(self, call_id: int) -> None:
        if self.current is not None and self.current.busy == call_id:
            self._stop_current()
        send(self.replies, ("stopped", call_id, "cancelled", ""))  # always answered: the app waits for it

    def _from_runner(self, runner: Runner) -> None:
        try:
            retiring = runner.replies.read(1) == RETIRING
            frame = receive_frame(runner.replies)
        except EOFError:
            call_id = runner.busy
            status = runner.reap()
            self.current = None
            if call_id is not None:
                send(self.replies, ("stopped", call_id, *_why_it_ended(status)))
            return
        runner.busy = None
        send_frame(self.replies, frame)
        if retiring:  # it exits by itself; reaped later, so the answer does not wait for that
            runner.close()
            self.killed.append(runner.pid)
            self.current = None

    def _stop_current(self) -> None:
        if self.current is not None:
            self.current.kill()
            self.killed.append(self.current.pid)
            self.current = None

    def _fork(self) -> Runner:
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        host = os.getpid()  # taken before the fork: if the host dies at once, the runner must see it
        pid = os.fork()
        if pid == 0:  # the runner
            try:
                _close_all_but(requests_r, replies_w)
                run(requests_r, replies_w, host=host, memory_bytes=self.memory_bytes, deathsig=self.deathsig)
            finally:
                os._exit(EXIT_CRASHED)
        os.close(requests_r)
        os.close(replies_w)
        return Runner(pid, FileIO(requests_w, "wb"), FileIO(replies_r, "rb"))


def _warm_up() -> None:
    for module, name, args, kwargs in WARM_UP:
        try:
            getattr(importlib.import_module(ALLOWED_PREFIX + module), name)(*args, **kwargs)
        except Exception:  # noqa: BLE001 - warming is an optimisation; the calls still work cold
            pass


def _reaped(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done != 0


def _why_it_ended(status: int | None) -> tuple[str, str]:
    if status is not None and os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in limits.CPU_SIGNALS:
            return "cpu", ""
        try:
            return "crashed", signal.Signals(number).name
        except ValueError:
            return "crashed", f"signal {number}"
    code = os.WEXITSTATUS(status) if status is not None else "unknown"
    return "crashed", f"exit status {code}"


def _close_all_but(*keep: int) -> None:
    """Close every inherited descriptor above stderr except ``keep`` (the runner's own pipes)."""
    low = 3
    for fd in sorted(keep):
        if fd >= low:
            os.closerange(low, fd)
            low = fd + 1
    os.closerange(low, max(os.sysconf("SC_OPEN_MAX"), 1 << 16))


# --- the runner -----------------------------------------------------------------------------------


def run(requests_fd: int, replies_fd: int, *, host: int, memory_bytes: int, deathsig: bool) -> None:
    """A runner's loop: answer calls from the host until its pipe closes."""
    if deathsig:
        limits.die_with_parent(host)
    limits.no_core_dumps()
    cap = limits.limit_memory(memory_bytes)
    start_size = limits.virtual_size()
    requests, replies = FileIO(requests_fd, "rb"), FileIO(replies_fd, "wb")
    while True:
        try:
            _, call_id, module_name, func_name, args, kwargs, cpu = receive(requests)
        except EOFError:
            os._exit(0)
        limits.start_cpu_bound(cpu)
        try:
            frame, out_of_memory = _answer(call_id, module_name, func_name, args, kwargs, cap, memory_bytes)
        except MemoryError:
            frame, out_of_memory = None, True
        finally:
            limits.stop_cpu_bound()
        if out_of_memory:
            frame = dumps(("memory", call_id))  # what was half-built is unwound by now
        # A runner that ran out of memory, or has ever grown by half its budget, retires after
        # this reply: a fresh one takes the next call, so nothing a failed allocation left survives
        # (and a high-water mark never makes a later error look like running out of memory).
        # It says so first, so the host never hands it another call.
        peak = limits.peak_virtual_size()
        retire = out_of_memory or bool(peak and start_size and peak - start_size > memory_bytes * RECYCLE_FRACTION)
        try:
            send_frame(replies, (RETIRING if retire else CONTINUING) + frame)
        except OSError:
            os._exit(0)
        if retire:
            os._exit(0)


def _answer(call_id: int, module_name: str, func_name: str, args, kwargs, cap: int | None, budget: int) -> tuple[bytes, bool]:
    """The reply frame to one call, and whether the call ran out of memory."""
    try:
        if not module_name.startswith(ALLOWED_PREFIX):
            raise PermissionError(f"{module_name} is not an engine module")
        func = getattr(importlib.import_module(module_name), func_name)
        # Pickled under the CPU bound too: a huge result costs time to write out.
        return dumps(("ok", call_id, func(*args, **kwargs))), False
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - every failure goes back to the caller
        # C code that fails to allocate does not always say so: sympy's deep expansions end in
        # "SystemError: error return without exception set" when the cap is hit. An unexpected
        # error after the process came near its cap is taken for what it is.
        if type(err).__module__ != "tui_tutor.engine.errors" and _near(cap, budget):
            return b"", True
        return dumps(("err", call_id, portable(err))), False


def _near(cap: int | None, budget: int) -> bool:
    peak = limits.peak_virtual_size()
    return cap is not None and peak is not None and peak >= cap - budget // 4


_PORTABLE_MODULES = ("builtins", "tui_tutor.engine.errors")


def portable(err: Exception) -> Exception:
    """An exception the app can unpickle without importing sympy.

    Unpickling imports the module that defines the exception's class; a sympy exception would
    load sympy into the app, which the engine's own process exists to avoid. Those become a
    ValueError with the same message (callers already treat ValueError as "this input could not
    be worked"). An exception the app's reader would refuse (it cannot be pickled, or it carries a
    sympy object, as KeyError(x1) does) becomes a RuntimeError: refused there, it would stop the engine.
    """
    if type(err).__module__ not in _PORTABLE_MODULES:
        return ValueError(f"{type(err).__name__}: {err}")
    try:
        loads(dumps(err)[HEADER.size:])  # read back as the app reads it (wire's data-only reader)
    except Exception as unpicklable:  # noqa: BLE001
        return RuntimeError(f"the engine's answer could not be sent: {unpicklable}")
    return err


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tui_tutor.engine.host")
    parser.add_argument("--parent", type=int, required=True, help="the app's pid: the host dies with it")
    parser.add_argument("--memory-mb", type=int, required=True, help="memory one computation may add")
    parser.add_argument("--no-deathsig", action="store_true", help="watch the parent by polling only (tests)")
    parser.add_argument("--warm", action="store_true", help="run typical calls once before serving")
    args = parser.parse_args(argv)
    Host(args.parent, args.memory_mb, deathsig=not args.no_deathsig, warm=args.warm).serve()


if __name__ == "__main__":
    main()
