"""What a teacher can limit, and exactly what a hosted tutor process is given.

The tutor is started with an environment built here from scratch — never the client's — and with
arguments built from a short allowlist (``tutor_args``), never the client's words passed through.

CPU, for a long interactive session, is a *sustained share* rather than a total: a learner may
read a lesson for an hour, but a session whose processes keep more than ``cpu_percent`` of one
core busy over a whole minute is ended. (A total like RLIMIT_CPU would end a long, calm session;
a share catches a runaway without punishing a burst such as starting the engine.) The processes
also run at a lower priority (nice 10) than the server, so typing stays smooth for everyone when
the machine is busy.

Memory is the resident memory of the session's processes together (app and engine worker),
checked every two seconds; each process also gets an address-space cap (RLIMIT_AS) so a runaway
allocation fails inside the engine at once instead of pushing the host into swap.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from tui_tutor.cli import COUNT_RANGE, MINUTES_RANGE, SEED_MAX

MAX_COLS, MAX_ROWS = 400, 150  # a window larger than this is drawn at this size
MIN_COLS, MIN_ROWS = 10, 4


@dataclass(frozen=True)
class Limits:
    """Limits of a hosted class; every one can be set on the ``serve`` command line."""

    max_sessions: int = 60
    max_per_learner: int = 3
    memory_mb: int = 600
    cpu_percent: float = 80.0
    cpu_window: float = 60.0  # seconds the CPU share is averaged over
    idle_minutes: float = 30.0
    idle_notice: float = 60.0  # seconds of warning before an idle session is closed
    max_unauthenticated: int = 32  # connections still logging in at once
    login_timeout: float = 30.0

    @property
    def address_space(self) -> int:
        """RLIMIT_AS for each process: well above what the app or worker maps (about 350 MB)."""
        return max(2 * self.memory_mb, 1024) * 1024 * 1024

    @property
    def idle_seconds(self) -> float:
        return self.idle_minutes * 60


def clamp_size(cols: int, rows: int) -> tuple[int, int]:
    """A window size the tutor is given: a huge or zero size from a client is clamped."""
    return min(max(int(cols), MIN_COLS), MAX_COLS), min(max(int(rows), MIN_ROWS), MAX_ROWS)


# -- the environment -----------------------------------------------------------------------------

_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
_LOCALE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
# Variables a client may set (OpenSSH sends LANG and LC_* by default); each is checked against a
# pattern before it is used. Anything else a client sends (TUI_TUTOR_HOME, PYTHONPATH, LD_PRELOAD,
# ...) is ignored.
CLIENT_VARIABLES = {
    "LANG": _LOCALE,
    "LC_ALL": _LOCALE,
    "LC_CTYPE": _LOCALE,
    "COLORTERM": re.compile(r"truecolor|24bit|yes"),
    "NO_COLOR": re.compile(r".{0,16}"),
}
# Carried over from the server's own environment: how to find Python and the package, and the
# OpenBLAS settings some processors need for numpy to compute correctly.
SERVER_VARIABLES = ("PATH", "PYTHONPATH", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "TZ")


def tutor_environment(
    home: Path, term: str | None, client_env: dict[str, str], extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The whole environment of one learner's tutor."""
    env = {name: os.environ[name] for name in SERVER_VARIABLES if name in os.environ}
    env.setdefault("PATH", os.defpath)
    env["TUI_TUTOR_HOME"] = str(home)
    # HOME too: anything that writes to the home folder (a Textual screenshot) stays the learner's.
    env["HOME"] = str(home)
    env["TERM"] = term if term and _TERM.fullmatch(term) else "xterm-256color"
    env["LANG"] = "C.UTF-8"
    for name, pattern in CLIENT_VARIABLES.items():
        value = client_env.get(name)
        if isinstance(value, str) and pattern.fullmatch(value):
            env[name] = value
    # One maths thread per worker: thirty sessions each holding a pool of BLAS threads would
    # cost memory and fight over two cores for no gain on matrices this small.
    env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = "1"
    env.update(extra or {})
    return env


# -- the command a client may ask for ------------------------------------------------------------


class CommandRefused(ValueError):
    """A command a client asked for that is not one the class offers; the message says what is."""


OFFERED = (
    "lesson [--section N | --example N], quiz [--count N] [--seed S] [--minutes M] [--skill TAG], "
    "review [--count N] [--mistakes]; each may add --ascii or --theme NAME"
)
_WORD = re.compile(r"[A-Za-z0-9_-]{1,40}")


class _Refusing(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D102 - argparse API
        raise CommandRefused(message)

    def exit(self, status: int = 0, message: str | None = None):  # noqa: D102 - argparse API
        raise CommandRefused(message or "not offered")


def _word(text: str) -> str:
    if not _WORD.fullmatch(text):
        raise argparse.ArgumentTypeError("letters, digits, '-' or '_' only")
    return text


def _ranged(low: float, high: float, kind=int):
    def parse(text: str):
        value = kind(text)
        if not low <= value <= high:
            shown = (f"{low:g}", f"{high:g}") if kind is float else (low, high)  # not 1e+09 for a seed
            raise argparse.ArgumentTypeError(f"between {shown[0]} and {shown[1]}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _command_parser() -> argparse.ArgumentParser:
    parser = _Refusing(prog="", add_help=False, allow_abbrev=False)
    parser.add_argument("--ascii", action="store_true")
    parser.add_argument("--theme", type=_word)
    sub = parser.add_subparsers(dest="command", parser_class=_Refusing)
    common = _Refusing(add_help=False, allow_abbrev=False)
    common.add_argument("--ascii", action="store_true", default=argparse.SUPPRESS)
    common.add_argument("--theme", type=_word, default=argparse.SUPPRESS)
    lesson = sub.add_parser("lesson", parents=[common], add_help=False, allow_abbrev=False)
    where = lesson.add_mutually_exclusive_group()
    where.add_argument("--section", type=_ranged(1, 999))
    where.add_argument("--example", type=_ranged(1, 999))
    quiz = sub.add_parser("quiz", parents=[common], add_help=False, allow_abbrev=False)
    # The tutor's own ranges: a value it would refuse is refused here, in one line, not by a tutor
    # that exits at once (which reads as "the tutor stopped unexpectedly").
    quiz.add_argument("--count", type=_ranged(*COUNT_RANGE))
    quiz.add_argument("--seed", type=_ranged(0, SEED_MAX))
    quiz.add_argument("--minutes", type=_ranged(*MINUTES_RANGE, float))
    quiz.add_argument("--skill", type=_word)
    review = sub.add_parser("review", parents=[common], add_help=False, allow_abbrev=False)
    review.add_argument("--count", type=_ranged(*COUNT_RANGE))
    review.add_argument("--mistakes", action="store_true")
    return parser


def tutor_args(command: str | None) -> list[str]:
    """The ``tui-tutor`` arguments for what a client asked to run (None: just open the tutor).

    Only the screen-opening commands and their display options are offered; the arguments are
    rebuilt from the parsed values, so nothing the client typed reaches the tutor unchecked.
    Raises CommandRefused for anything else (a shell command, ``--content``, ``progress`` ...).
    """
    if command is None or not command.strip():
        return []
    if len(command) > 300:
        raise CommandRefused("that command is too long")
    try:
        words = shlex.split(command)
    except ValueError as err:
        raise CommandRefused(str(err)) from None
    args = _command_parser().parse_args(words)
    out: list[str] = []
    if args.command:
        out.append(args.command)
    if getattr(args, "ascii", False):
        out.append("--ascii")
    if getattr(args, "theme", None):
        out += ["--theme", args.theme]
    if getattr(args, "mistakes", False):
        out.append("--mistakes")
    for option in ("section", "example", "count", "seed", "minutes", "skill"):
        value = getattr(args, option, None)
        if value is not None:
            out += [f"--{option}", str(value)]
    return out


def tutor_argv(args: list[str], content: Path | None = None) -> list[str]:
    """The full command line of a hosted tutor: this Python, the package, the arguments."""
    argv = [sys.executable, "-P", "-m", "tui_tutor"]
    if content is not None:
        argv += ["--content", str(content)]
    return argv + args
