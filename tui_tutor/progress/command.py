"""``tui-tutor progress``: show, export or reset the learner's progress from the shell.

``cli.py`` owns the parser (so that parsing arguments imports nothing heavy) and calls
``run(args, skills, concept)`` with the concept's skills (and the concept, for the names of
mistakes and the sections that explain them). Exit codes: 0 done, 1 reset declined (at the
prompt, or with no terminal to ask on), 2 error (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any, TextIO

from tui_tutor.progress.levels import bar, percent
from tui_tutor.progress.records import utc_now
from tui_tutor.progress.report import progress_report
from tui_tutor.progress.store import ProgressStore
from tui_tutor.progress.when import ago

BAR_WIDTH = 10
PROG = "tui-tutor progress"
MISTAKES_SHOWN = 8


def run(args: argparse.Namespace, skills: list[str], concept: Any = None) -> int:
    """Carry out ``tui-tutor progress`` as ``args`` asks; return the exit code."""
    try:
        with ProgressStore() as store:
            return _run(store, args, skills, concept)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing more was done.", file=sys.stderr)
        return 2
    except Exception as err:  # the promise is one readable line, whatever went wrong
        print(f"{PROG}: {_describe(err)}", file=sys.stderr)
        return 2


def _run(store: ProgressStore, args: argparse.Namespace, skills: list[str], concept: Any) -> int:
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
        report = progress_report(store, skills, utc_now(), concept=concept, **_threshold(concept))
        print(json.dumps(report, ensure_ascii=False))
    elif not acted:
        now = utc_now()
        report = progress_report(store, skills, now, concept=concept, **_threshold(concept))
        print(render_text(report, ascii_only=getattr(args, "ascii", False) or not _can_draw(), now=now))
    return 0


def _threshold(concept: Any) -> dict[str, float]:
    threshold = getattr(concept, "mastery_threshold", None)
    return {"threshold": threshold} if threshold else {}


def _reset(store: ProgressStore, yes: bool, info: TextIO) -> int:
    """Erase progress after asking (unless ``yes``); return 1 if declined, else 0."""
    if store.read_only:
        raise RuntimeError(f"nothing was reset: {store.notice}")
    count = store.attempt_count()
    if not yes and not _can_ask():
        # Nothing typed the 'yes' (a script, a pipe, a closed stdin): decline rather than guess.
        print(f"{PROG}: nothing was erased: --reset asks for 'yes' on a terminal; add --yes to erase "
              "without asking.", file=sys.stderr)  # fmt: skip
        return 1
    if not yes:
        print(f"This erases {_attempts(count)}. A backup is kept. Type 'yes' to continue: ",
              end="", file=info, flush=True)  # fmt: skip
        answer = sys.stdin.readline()  # "" at end of input, which is a no
        if answer.strip().lower() != "yes":
            print("Nothing was erased.", file=info)
            return 1
    backup = store.reset(backup=True)
    print(f"Erased {_attempts(count)}. The backup is {backup}", file=info)
    return 0


def render_text(report: dict[str, Any], ascii_only: bool = False, now: Any = None) -> str:
    """The plain-text summary: totals, a bar per skill, the gate, my mistakes and reviews due."""
    parts = ("#", ".", "|") if ascii_only else ("█", "░", "│")
    times = "x" if ascii_only else "×"
    attempts, correct = report["attempts"], report["correct"]
    if attempts:
        sources = ", ".join(f"{n} {mode}" for mode, n in report.get("by_source", {}).items() if n)
        line = f"{_attempts(attempts)}{f' ({sources})' if sources else ''}, {correct} right ({round(100 * correct / attempts)}%)."
        firsts = report.get("first_tries", 0)
        if firsts:
            right = report["first_try_right"]
            line += f" First tries: {right} of {firsts} right ({round(100 * right / firsts)}%)."
        lines = [line]
    else:
        lines = ["No attempts yet."]
    mastery = report["mastery"]
    width = max((len(skill) for skill in mastery), default=0)
    for skill, m in mastery.items():
        shown = bar(m["level"], report["threshold"], BAR_WIDTH, parts)
        lines.append(f"{skill:<{width}}   {shown} {percent(m['level']):3d}%  ({_attempts(m['attempts'])})")
    need = round(100 * report["threshold"])
    gate = "yes" if report["mastered"] else f"not yet (every skill needs {need}%, marked {parts[2]})"
    lines.append(f"Concept mastered: {gate}.")
    mistakes = report.get("mistakes") or []
    if mistakes:
        lines.append("")
        lines.append("My mistakes, most frequent first:")
        for m in mistakes[:MISTAKES_SHOWN]:
            when = ago(datetime.fromisoformat(m["last"]), now) if m["last"] and now else "earlier"
            lines.append(f"  {m['code']} {times}{m['count']}  {m['title']} (last {when})")
            if m["section_number"]:
                lines.append(f"      reread: {m['section_title']} (tui-tutor lesson --section {m['section_number']})")
        if len(mistakes) > MISTAKES_SHOWN:
            lines.append(f"  ... and {len(mistakes) - MISTAKES_SHOWN} more (--json lists them all)")
        lines.append("  Practise them: tui-tutor review --mistakes")
        lines.append("")
    lines.append(f"Reviews due now: {report['reviews_due']}.")
    if not report["saving"]:
        lines.append("Progress is not being saved.")
    return "\n".join(lines)


def _attempts(count: int) -> str:
    return f"{count} attempt" if count == 1 else f"{count} attempts"


def _can_ask() -> bool:
    """Whether a person can answer the reset prompt: standard input is an open terminal."""
    stdin = sys.stdin
    try:
        return stdin is not None and not stdin.closed and stdin.isatty()
    except (ValueError, OSError):
        return False


def _can_draw() -> bool:
    # A terminal or pipe in a legacy encoding cannot print block characters; fall back to ASCII.
    try:
        "█░│×".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _describe(err: Exception) -> str:
    if isinstance(err, OSError) and err.strerror:
        where = f" ({err.filename})" if err.filename else ""
        return f"{err.strerror}{where}"
    return str(err) or type(err).__name__
