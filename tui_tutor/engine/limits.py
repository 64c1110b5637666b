"""Operating-system limits for the engine's processes: CPU time, memory, and dying with the parent.

Used only inside the engine's own processes (see :mod:`tui_tutor.engine.host`); no sympy here.

- **CPU time.** ``setitimer(ITIMER_PROF)`` counts the process's own CPU time (all threads, user and
  system) and, with SIGPROF left at its default action, the *kernel* ends the process when it runs
  out, even while sympy holds the GIL deep in C code where no Python handler could run. It is exact
  to the scheduler tick. ``RLIMIT_CPU`` only counts whole seconds (a 0.3 s bound became 1.0 s when
  measured), so it is set one second past the timer as a backstop, in case something blocked SIGPROF.
- **Memory.** ``RLIMIT_AS`` caps the address space at its size when the computation process starts
  plus the budget, so a runaway expansion gets MemoryError instead of taking the machine.
- **Parent death.** ``PR_SET_PDEATHSIG`` (Linux) has the kernel send SIGKILL when the parent dies,
  however it dies (kill -9, a dropped SSH session). Elsewhere the caller polls :func:`parent_alive`.
"""

from __future__ import annotations

import ctypes
import math
import os
import resource
import signal
import sys

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
LINUX = sys.platform.startswith("linux")

# The signals with which the kernel ends a computation that ran out of CPU time.
CPU_SIGNALS = frozenset({signal.SIGPROF, signal.SIGXCPU})

# Threads the numeric libraries would start for nothing (the engine works on small matrices), and
# whose stacks and malloc arenas each add tens of megabytes of address space under RLIMIT_AS.
SINGLE_THREADED = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}


def die_with_parent(parent_pid: int) -> bool:
    """Have the kernel kill this process when its parent dies; exit now if the parent is gone.

    Returns True when the kernel will do it (Linux); otherwise the caller must watch
    :func:`parent_alive` itself. The check after ``prctl`` closes the race where the parent died
    between starting this process and the request.
    """
    armed = False
    if LINUX:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if not parent_alive(parent_pid):
        os._exit(0)
    return armed


def parent_alive(parent_pid: int) -> bool:
    """Whether the process that started this one is still its parent (an orphan is re-parented)."""
    return os.getppid() == parent_pid


def start_cpu_bound(seconds: float) -> None:
    """End this process once it has used ``seconds`` more CPU time (see the module's notes)."""
    signal.signal(signal.SIGPROF, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    backstop = math.ceil(usage.ru_utime + usage.ru_stime + seconds) + 1
    _set_soft(resource.RLIMIT_CPU, backstop)


def stop_cpu_bound() -> None:
    """Disarm :func:`start_cpu_bound`."""
    signal.setitimer(signal.ITIMER_PROF, 0)
    _set_soft(resource.RLIMIT_CPU, resource.RLIM_INFINITY)


def limit_memory(extra_bytes: int) -> int | None:
    """Cap the address space at its present size plus ``extra_bytes``; the cap, or None if unknown.

    Without /proc the present size is unknown and nothing is capped (macOS also ignores
    RLIMIT_AS); the CPU bound still stops a runaway computation there.
    """
    current = virtual_size()
    if current is None:
        return None
    limit = current + extra_bytes
    _set_soft(resource.RLIMIT_AS, limit)
    return limit


def no_core_dumps() -> None:
    """SIGXCPU's default action dumps core; a stopped computation must leave no file behind."""
    _set_soft(resource.RLIMIT_CORE, 0)


def virtual_size() -> int | None:
    """This process's address space in bytes (what RLIMIT_AS counts), or None without /proc."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def peak_virtual_size() -> int | None:
    """The largest this process's address space has been, in bytes (VmPeak), or None without /proc."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _set_soft(which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY and (value == resource.RLIM_INFINITY or value > hard):
        value = hard  # only root may raise a hard limit; stay within what the system allows
    try:
        resource.setrlimit(which, (value, hard))
    except (ValueError, OSError):
        pass  # a platform without this limit: the other bounds still hold
