"""How much work the engine may do for one request: the one table of bounds (no sympy here).

Each computation on typed input or course text is bounded by the **CPU time of the engine's own
process**, not by the clock: on a shared SSH host other students' processes steal the processor,
and a solve that needs 0.1 s of work must not fail because it waited 3 s for its turn. The clock
bound (``wall``) is a last resort for a machine so busy that the engine cannot get even its CPU
share, or an engine that has stopped answering. Memory is bounded too: one computation may grow the
engine by at most :func:`memory_budget_mb` megabytes.

The README's table of bounds is this table; change both together.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Bound:
    """The limits on one engine computation."""

    cpu: float  # seconds of the engine's CPU time the computation may use
    wall: float  # seconds on the clock before it is given up for lost (a last resort)
    use: str  # what is bounded, for the README and for messages

    @classmethod
    def of(cls, value: "Bound | float | None", default: "Bound") -> "Bound":
        """``value`` as a Bound: a number is CPU seconds with the same clock ratio as ``default``."""
        if value is None:
            return default
        if isinstance(value, Bound):
            return value
        seconds = float(value)
        if not seconds > 0:
            raise ValueError(f"a bound must be a positive number of seconds, not {value!r}")
        return cls(seconds, max(default.wall, seconds * WALL_RATIO), f"{seconds:g} s of computation")


# The clock bound is at least this many times the CPU bound: the engine still gets its work done
# while it receives a tenth of one core.
WALL_RATIO = 10

# Typical computations need 1-100 ms (README, "Performance"); each bound is 20-100 times that,
# so only a runaway input reaches one.
PREVIEW = Bound(2.0, 30.0, "the answer box's 'read as' line, after each pause in typing")
GRADE = Bound(5.0, 60.0, "grading an answer (quiz, lesson practice)")
SCRATCH = Bound(4.0, 40.0, "the scratchpad's whole computation for one edit")
BLOCK = Bound(10.0, 100.0, "a Jacobian, shape table or expression a lesson page computes")
VARIANT = Bound(5.0, 60.0, "the answer of a template question's variant")
CHECK = Bound(10.0, 100.0, "one item, block or variant in `tui-tutor check`")
CLI = Bound(2.0, 30.0, "`tui-tutor solve` and `tui-tutor grade`")

BOUNDS: dict[str, Bound] = {
    "preview": PREVIEW,
    "grade": GRADE,
    "scratchpad": SCRATCH,
    "lesson block": BLOCK,
    "quiz variant": VARIANT,
    "check": CHECK,
    "CLI": CLI,
}

DEFAULT = PREVIEW

# Memory one computation may add to the engine. The engine itself is about 185 MB of address
# space (sympy, numpy; 80 MB resident); all of `tui-tutor check` on the shipped course grows it
# by 2 MB (benchmarks/bench_bounds.py). Runaway inputs grow by 100 MB a second until stopped.
MEMORY_BUDGET_MB = 512
MEMORY_VARIABLE = "TUI_TUTOR_ENGINE_MEMORY_MB"
_MEMORY_RANGE = (64, 1 << 20)


def memory_budget_mb() -> int:
    """The memory budget of one computation: ``$TUI_TUTOR_ENGINE_MEMORY_MB`` or 512 MB."""
    text = os.environ.get(MEMORY_VARIABLE, "").strip()
    if not text:
        return MEMORY_BUDGET_MB
    low, high = _MEMORY_RANGE
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not low <= value <= high:
        log.warning("%s=%r is not a number of megabytes from %d to %d; using %d",
                    MEMORY_VARIABLE, text, low, high, MEMORY_BUDGET_MB)  # fmt: skip
        return MEMORY_BUDGET_MB
    return value


__all__ = ["BOUNDS", "Bound", "CHECK", "CLI", "GRADE", "MEMORY_VARIABLE", "PREVIEW", "SCRATCH",
           "BLOCK", "VARIANT", "memory_budget_mb"]  # fmt: skip
