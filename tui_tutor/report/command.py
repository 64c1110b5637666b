"""``tui-tutor report``: the class's results as tables in the terminal, or as CSV or JSON.

``tui-tutor report FILES...|FOLDER`` reports one quiz from the learners' ``quiz --out`` summaries;
``tui-tutor report --class-dir DIR`` reports a hosted class from its learners' progress stores
(``--live`` redraws it every few seconds). Exit codes: 0 a report was printed, 1 there was
nothing to report (no readable summary, no learner), 2 the input was refused (summaries of
different quizzes, a bad option) — with one message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tui_tutor.report.tables import WIDTH, Table, render_text, to_json, write_csv

PROG = "tui-tutor report"
TABLES = ("questions", "learners", "skills", "mistakes", "mastery")
CLEAR = "\x1b[H\x1b[2J"


def add_parser(sub: Any, parser_class: type, whole: Any) -> None:
    """The ``report`` subcommand's options (``whole`` is cli.py's range-checked integer type)."""
    report = sub.add_parser(
        "report", help="the class's results: quiz summaries (FILES or a FOLDER), or a hosted class (--class-dir)",
        description=(
            "For the teacher. With FILES or a FOLDER of 'tui-tutor quiz --out' summaries (one quiz, shared by "
            "its --seed): per question the first-try rate and the most common mistakes, per learner the "
            "first-try score and time, per skill the class's first-try rate. With --class-dir DIR (see "
            "'tui-tutor serve'): per learner last seen, attempts, first-try rate, mastery per skill and the "
            "concept gate; per skill the class's mastery; the most common mistakes. Tables fit the terminal "
            "(80 columns when printed to a file); --csv and --json carry every value."
        ),
    )  # fmt: skip
    report.add_argument("paths", nargs="*", metavar="FILE|FOLDER", type=Path, help="quiz summary files, or folders of them")
    report.add_argument("--class-dir", metavar="DIR", type=Path, help="a hosted class's folder: read every learner's progress")
    out = report.add_mutually_exclusive_group()
    out.add_argument("--csv", action="store_true", help="CSV for a spreadsheet (each table under its title)")
    out.add_argument("--json", action="store_true", help="one JSON object")
    report.add_argument("--table", choices=TABLES, help="only this table (with --csv: a plain CSV file)")
    report.add_argument("--live", action="store_true", help="with --class-dir: redraw every few seconds (Ctrl+C stops)")
    report.add_argument("--every", type=whole(2, 3600), default=5, metavar="S", help="with --live: seconds between redraws (default 5)")
    report.add_argument("--ascii", action="store_true", default=argparse.SUPPRESS, help="ASCII characters only")
    report.add_argument("--content", metavar="DIR", type=Path, default=argparse.SUPPRESS,
                        help="the course the class used, for the names of skills and mistakes")  # fmt: skip


class Refused(Exception):
    """Input the report will not use; the message says why and what to do."""


def run(args: argparse.Namespace, concept: Any) -> int:
    """Carry out ``tui-tutor report`` as ``args`` asks; return the exit code."""
    try:
        if args.class_dir is not None and args.paths:
            raise Refused("give quiz summary files or --class-dir, not both")
        if args.class_dir is None and not args.paths:
            raise Refused("give quiz summary files (or a folder of them), or --class-dir DIR")
        if args.live and args.class_dir is None:
            raise Refused("--live redraws a hosted class: use it with --class-dir")
        if args.live and (args.csv or args.json):
            raise Refused("--live draws tables on the terminal; leave out --csv and --json")
        if args.class_dir is not None:
            return _live(args, concept) if args.live else _print(args, *_class_report(args, concept))
        return _print(args, *_quiz_report(args, concept))
    except Refused as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0 if args.live else 130
    except OSError as err:
        print(f"{PROG}: {err.strerror or err}{f' ({err.filename})' if err.filename else ''}", file=sys.stderr)
        return 2


def _quiz_report(args: argparse.Namespace, concept: Any) -> tuple[list[str], list[Table], dict, bool]:
    from tui_tutor.report.quiz_report import quiz_header, quiz_tables
    from tui_tutor.report.summaries import DifferentQuizzes, check_one_quiz, read_summaries

    summaries, problems = read_summaries(args.paths)
    try:
        check_one_quiz(summaries)
    except DifferentQuizzes as err:
        raise Refused(str(err)) from None
    titles = {m.diagnosis: m.title for m in getattr(concept, "mistakes", ()) if m.diagnosis}
    tables = quiz_tables(summaries, titles)
    first = summaries[0] if summaries else None
    about = {
        "report": "quiz",
        "quiz": None if first is None else {
            "seed": first.seed, "questions": first.total, "skill": first.skill, "course": first.course_id,
            "course_title": first.course_title, "fingerprint": first.fingerprint, "learners": len(summaries),
        },
        "problems": problems,
    }  # fmt: skip
    return quiz_header(summaries, problems), tables, about, bool(summaries)


def _class_report(args: argparse.Namespace, concept: Any) -> tuple[list[str], list[Table], dict, bool]:
    from tui_tutor.report.class_report import class_header, class_tables, read_class

    now = datetime.now(timezone.utc)
    learners, problems = read_class(args.class_dir)
    tables = class_tables(learners, concept, now)
    about = {
        "report": "class", "class_dir": str(args.class_dir), "at": now.isoformat(),
        "learners": sum(1 for l in learners if l.snapshot),
        "problems": [f"{l.name}: {l.problem}" for l in learners if l.snapshot is None] + problems,
    }  # fmt: skip
    return class_header(args.class_dir, learners, problems, now), tables, about, any(l.snapshot for l in learners)


def _print(args: argparse.Namespace, header: list[str], tables: list[Table], about: dict, found: bool) -> int:
    chosen = [t for t in tables if args.table in (None, t.name)]
    if args.table and not chosen:
        raise Refused(f"this report has no '{args.table}' table; it has {', '.join(t.name for t in tables)}")
    if args.json:
        print(to_json(chosen, **about))
    elif args.csv:
        for line in header[1:]:
            print(line, file=sys.stderr)  # left out files: said, but kept out of the CSV
        write_csv(sys.stdout, chosen, titles=args.table is None)
    else:
        print(render_text(chosen, width=_width(), ascii=_ascii(args), header=header))
    if not found:
        print(f"{PROG}: nothing to report (see the lines above)", file=sys.stderr)
        return 1
    return 0


def _live(args: argparse.Namespace, concept: Any) -> int:
    """Redraw the class report every ``--every`` seconds until Ctrl+C."""
    tty = sys.stdout.isatty()
    while True:
        header, tables, _about, _found = _class_report(args, concept)
        chosen = [t for t in tables if args.table in (None, t.name)]
        header = [*header, f"Live: redrawn every {args.every} s; Ctrl+C stops."]
        text = render_text(chosen, width=_width(), ascii=_ascii(args), header=header)
        sys.stdout.write((CLEAR if tty else "\n") + text + "\n")
        sys.stdout.flush()
        time.sleep(args.every)


def _width() -> int:
    if sys.stdout.isatty():
        return max(40, shutil.get_terminal_size((WIDTH, 24)).columns)
    return WIDTH


def _ascii(args: argparse.Namespace) -> bool:
    if getattr(args, "ascii", False):
        return True
    try:
        "│…×─".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return True
    return False


__all__ = ["PROG", "TABLES", "add_parser", "run"]
