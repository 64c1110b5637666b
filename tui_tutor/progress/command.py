"""``tui-tutor progress``: show, export or reset the learner's progress from the shell.

``cli.py`` owns the parser (so that parsing arguments imports nothing heavy) and calls
``run(args, skills)`` with the concept's skills. Exit codes: 0 done, 1 reset declined at the
prompt, 2 error (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from tui_tutor.progress.records import utc_now
from tui_tutor.progress.report import progress_report
from tui_tutor.progress.store import ProgressStore

BAR_WIDTH = 10
PROG = "tui-tutor progress"


def run(args: argparse.Namespace, skills: list[str]) -> int:
    """Carry out ``tui-tutor progress`` as ``args`` asks; return the exit code."""
    try:
        with ProgressStore() as store:
            return _run(store, args, skills)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing more was done.", file=sys.stderr)
        return 2
    except Exception as err:  # the promise is one readable line, whatever went wrong
        print(f"{PROG}: {_describe(err)}", file=sys.stderr)
        return 2


def _run(store: ProgressStore, args: argparse.Namespace, skills: list[str]) -> int:
    # With --json, stdout carries only the JSON object; messages and the prompt go to stderr.
    info = sys.stderr if args.json else sys.stdout
    if store.notice:
        print(store.notice, file=sys.stderr)
    acted = False
    if args.export:
        count = store.export_csv(args.export)
        print(f"Exported {_attempts(count)} to {args.export}.", file=info)
        acted = True
    if args.reset:
        declined = _reset(store, args.yes, info)
        if declined:
            return declined
        acted = True
    if args.json:
        report = progress_report(store, skills, utc_now())
        print(json.dumps(report, ensure_ascii=False))
    elif not acted:
        report = progress_report(store, skills, utc_now())
        print(render_text(report, ascii_only=getattr(args, "ascii", False) or not _can_draw()))
    return 0


def _reset(store: ProgressStore, yes: bool, info: TextIO) -> int:
    """Erase progress after asking (unless ``yes``); return 1 if declined, else 0."""
    if store.read_only:
        raise RuntimeError(f"nothing was reset: {store.notice}")
    count = store.attempt_count()
    if not yes:
        print(f"This erases {_attempts(count)}. A backup is kept. Type 'yes' to continue: ",
              end="", file=info, flush=True)  # fmt: skip
        answer = sys.stdin.readline()  # "" at end of input, which is a no
        if not sys.stdin.isatty():
            print(file=info)  # a terminal echoed the reply and its newline; a pipe did not
        if answer.strip().lower() != "yes":
            print("Nothing was erased.", file=info)
            return 1
    backup = store.reset(backup=True)
    print(f"Erased {_attempts(count)}. The backup is {backup}", file=info)
    return 0


def render_text(report: dict[str, Any], ascii_only: bool = False) -> str:
    """The plain-text summary: totals, a bar per skill, the concept gate and reviews due."""
    full, empty = ("#", ".") if ascii_only else ("█", "░")
    attempts, correct = report["attempts"], report["correct"]
    if attempts:
        lines = [f"{_attempts(attempts)}, {correct} correct ({round(100 * correct / attempts)}%)."]
    else:
        lines = ["No attempts yet."]
    mastery = report["mastery"]
    width = max((len(skill) for skill in mastery), default=0)
    for skill, m in mastery.items():
        filled = round(m["level"] * BAR_WIDTH)
        bar = full * filled + empty * (BAR_WIDTH - filled)
        percent = round(100 * m["level"])
        lines.append(f"{skill:<{width}}   {bar} {percent:3d}%  ({_attempts(m['attempts'])})")
    need = round(100 * report["threshold"])
    gate = "yes" if report["mastered"] else f"not yet (every skill needs {need}%)"
    lines.append(f"Concept mastered: {gate}.")
    lines.append(f"Reviews due now: {report['reviews_due']}.")
    if not report["saving"]:
        lines.append("Progress is not being saved.")
    return "\n".join(lines)


def _attempts(count: int) -> str:
    return f"{count} attempt" if count == 1 else f"{count} attempts"


def _can_draw() -> bool:
    # A terminal or pipe in a legacy encoding cannot print block characters; fall back to ASCII.
    try:
        "█░".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _describe(err: Exception) -> str:
    if isinstance(err, OSError) and err.strerror:
        where = f" ({err.filename})" if err.filename else ""
        return f"{err.strerror}{where}"
    return str(err) or type(err).__name__
