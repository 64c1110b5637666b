"""The ``tui-tutor`` command: open the tutor, or solve / grade / check from the shell.

Argument parsing only; the work is done by the same engine functions the screens call. Every
failure a person can cause ends with one line on stderr and exit status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from pathlib import Path
from typing import Sequence

from tui_tutor import __version__
from tui_tutor.engine.asks import ANSWER_KINDS, ASKS

EXIT_OK, EXIT_WRONG, EXIT_BAD_INPUT = 0, 1, 2

log = logging.getLogger("tui_tutor")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line and exit status 2, and reads maths that
    starts with a minus sign (``--at -1,2``, ``--answer -x1``, ``--expected -9/100``) as a value."""

    def error(self, message: str):  # noqa: D102 - argparse API
        from tui_tutor.safetext import visible

        # argparse quotes what was typed ("invalid choice: '...'"): never a raw ESC on the terminal.
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {visible(message, limit=400)} (see --help)\n")

    def _parse_optional(self, arg_string):
        # argparse takes anything starting with '-' for an option unless it is a plain negative
        # number, so '--at -1,2' failed with "expected one argument". Every option here is a
        # '--long' one apart from -h, so any other single-dash word is a value.
        if arg_string[:1] == "-" and arg_string[:2] != "--" and arg_string not in self._option_string_actions:
            return None
        return super()._parse_optional(arg_string)


# Ranges of the numbers the command line takes, said in --help and checked before anything starts:
# 'quiz --count 100000000' built a hundred million questions (1.9 GB, no screen) and
# 'quiz --minutes 1e308' crashed converting the countdown to an integer.
COUNT_RANGE = (1, 100)
MINUTES_RANGE = (0.5, 600.0)
SEED_MAX = 999_999_999
PLACE_MAX = 1000  # --section N, --example N


def _whole(low: int, high: int):
    """An argparse type: a whole number from ``low`` to ``high``, or a one-line refusal."""

    def read(text: str) -> int:
        try:
            value = int(text) if len(text) <= 20 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a whole number from {low} to {high}, not '{_shown(text)}'")
        return value

    return read


def _minutes(text: str) -> float:
    """An argparse type: minutes for the countdown, a finite number in MINUTES_RANGE."""
    low, high = MINUTES_RANGE
    try:
        value = float(text) if len(text) <= 20 else math.nan
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        raise argparse.ArgumentTypeError(f"expected minutes from {low:g} to {high:g}, not '{_shown(text)}'")
    return value


def _shown(text: str) -> str:
    from tui_tutor.safetext import visible

    return visible(text, limit=24)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tui-tutor",
        description="A terminal tutor for the multivariable chain rule.",
    )
    parser.add_argument("--version", action="version", version=f"tui-tutor {__version__}")
    _add_display_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    display = _Parser(add_help=False)
    _add_display_options(display, inherited=True)

    lesson = sub.add_parser(
        "lesson", parents=[display], help="open the lesson",
        description="Open the lesson (where you left off, or at a section or worked example).",
    )
    where = lesson.add_mutually_exclusive_group()
    where.add_argument("--section", type=_whole(1, PLACE_MAX), metavar="N", help="open section N (1 = the first)")
    where.add_argument("--example", type=_whole(1, PLACE_MAX), metavar="N", help="open worked example N")

    scratch = sub.add_parser(
        "scratch", parents=[display], help="open the scratchpad and perturbation player",
        description=(
            "Open the scratchpad, filled in: the maps (innermost first, as for solve), the point and "
            "a perturbation. Example: tui-tutor scratch 'x1^2 + x2, x1*x2' 'u1 + u2^2' --at 1,2 --dx 0.1,0"
        ),
    )
    scratch.add_argument("maps", nargs="*", metavar="MAP", help="one layer's components, innermost first")
    scratch.add_argument("--at", metavar="P", default="", help="the point: 1,2")
    scratch.add_argument("--dx", metavar="D", default="", help="the perturbation: 0.1,0")

    for name, text in (("quiz", "take a quick quiz"), ("review", "review what is due (spaced repetition)")):
        quiz = sub.add_parser(
            name, parents=[display], help=text,
            description=(
                "Take a quick quiz drawn from the question bank and its templates. The same --seed gives "
                "the same quiz, so a class can share one."
                if name == "quiz" else
                "Review the questions, skills and mistakes that are due, with fresh template variants."
            ),
        )
        quiz.add_argument(
            "--count", type=_whole(*COUNT_RANGE), default=5, metavar="N",
            help=f"number of questions, {COUNT_RANGE[0]}-{COUNT_RANGE[1]} (default 5)",
        )
        quiz.add_argument(
            "--minutes", type=_minutes, metavar="M",
            help=f"a countdown: the quiz ends after M minutes ({MINUTES_RANGE[0]:g}-{MINUTES_RANGE[1]:g})",
        )
        quiz.add_argument(
            "--seed", type=_whole(0, SEED_MAX), metavar="S",
            help=f"seed, 0-{SEED_MAX}: the same seed gives the same quiz",
        )
        quiz.add_argument("--skill", metavar="TAG", help="only questions training this skill")
        quiz.add_argument("--json", action="store_true", help="print the summary as JSON on exit")
        if name == "quiz":
            quiz.add_argument(
                "--out", metavar="FILE", type=Path,
                help="keep the JSON summary in FILE (after every answer, and however the quiz ends) for 'tui-tutor report'",
            )
            quiz.add_argument("--name", metavar="NAME", help="your name in the --out summary (default: your login name)")
        else:
            quiz.add_argument("--mistakes", action="store_true", help="a short set aimed at your recorded mistakes")

    solve = sub.add_parser(
        "solve",
        help="work a composition: shapes, Jacobians, chain-rule product, gradient, pushforward",
        description=(
            "Work a composition of 1-4 maps, innermost first. Each MAP lists one layer's "
            "components separated by commas; layer 1 uses x1, x2, ..., layer 2 u1, u2, ..., "
            "then v1.. and w1... Example: tui-tutor solve 'x1^2 + x2, x1*x2' 'u1 + u2^2' --at 1,2"
        ),
    )
    solve.add_argument("maps", nargs="+", metavar="MAP", help="one layer's components, e.g. 'x1^2 + x2, x1*x2'")
    solve.add_argument("--at", metavar="P", help="the point, comma-separated: 1,2")
    solve.add_argument("--dx", metavar="D", help="a perturbation to push forward: 0.01,-0.02")
    solve.add_argument("--entry", metavar="I,J", help="list the path-tracing terms of dy_I/dx_J")
    solve.add_argument("--seed", metavar="G", help="output gradient to pull back when the output is a vector")
    solve.add_argument("--json", action="store_true", help="print one JSON object")
    solve.add_argument("--ascii", action="store_true", default=argparse.SUPPRESS, help="ASCII characters only")

    grade = sub.add_parser(
        "grade",
        help="grade an answer against an expected one",
        description=(
            "Grade ANSWER against EXPECTED. Exit status: 0 correct, 1 incorrect, 2 unreadable. "
            "Give the problem (--maps, --ask, --at) to have chain-rule mistakes diagnosed."
        ),
    )
    grade.add_argument("--expected", metavar="E", help="the right answer (computed from --maps when omitted)")
    grade.add_argument("--answer", metavar="A", required=True, help="the answer to grade")
    grade.add_argument(
        "--kind", choices=ANSWER_KINDS, default=None,
        help=(
            "scalar, vector (row or column accepted), matrix (shape strict), shape or choice; by default "
            "the problem's kind, else scalar for a single value and matrix for anything else"
        ),
    )
    grade.add_argument("--maps", nargs="+", metavar="MAP", help="the problem's maps, innermost first")
    grade.add_argument(
        "--ask", default="jacobian",
        choices=list(ASKS),
        help="what the problem asks for (with --maps)",
    )
    grade.add_argument("--at", metavar="P", help="the problem's point")
    grade.add_argument("--dx", metavar="D", help="the problem's perturbation")
    grade.add_argument("--layer", type=int, metavar="K", help="with --ask layer_jacobian: which map (1 = innermost)")
    grade.add_argument("--entry", metavar="I,J", help="with --ask entry: the entry dy_I/dx_J")
    grade.add_argument("--space", type=int, metavar="K", help="with --ask pullback or value: 0 = x, 1 = u, ...")
    grade.add_argument("--seed", metavar="G", help="with --ask pullback: the output gradient, when y is a vector")
    grade.add_argument("--json", action="store_true", help="print one JSON object")

    check = sub.add_parser(
        "check",
        help="validate course content: YAML, answers, computed blocks, templates",
        description=(
            "Validate the shipped course, or the content folder DIR: YAML and schema, every answer "
            "recomputed by the engine, every template tried with 20 seeds. Each problem is printed as "
            "file:line: message. Exit status: 0 clean, 1 problems found, 2 DIR missing."
        ),
    )
    check.add_argument("dir", nargs="?", metavar="DIR", help="a content folder (default: the shipped course)")
    check.add_argument(
        "--json", action="store_true", help='print {"ok", "errors": [{"file", "line", "message"}], "counts"}'
    )

    progress = sub.add_parser(
        "progress", help="attempts, mastery per skill, reviews due; export or reset",
        description="Show your progress: attempts, mastery per skill and reviews due.",
    )
    progress.add_argument("--ascii", action="store_true", default=argparse.SUPPRESS, help="ASCII characters only")
    progress.add_argument(
        "--content", metavar="DIR", type=Path, default=argparse.SUPPRESS, help="another content folder"
    )
    progress.add_argument("--json", action="store_true", help="print the report as one JSON object")
    progress.add_argument("--export", metavar="FILE.csv", help="write every attempt to FILE.csv")
    progress.add_argument("--reset", action="store_true", help="erase all attempts and reviews (a backup is kept)")
    progress.add_argument("--yes", action="store_true", help="with --reset: do not ask first")

    from tui_tutor.report.command import add_parser as add_report_parser
    from tui_tutor.serve.command import add_serve_parser

    add_report_parser(sub, _Parser, _whole)
    add_serve_parser(sub, _Parser)
    return parser


def _add_display_options(parser: argparse.ArgumentParser, inherited: bool = False) -> None:
    # A subcommand's copy of an option must not reset what was given before the subcommand:
    # argparse lets a subparser's defaults overwrite the main parser's values, so
    # 'tui-tutor --ascii solve ...' lost its --ascii. Subcommand copies have no default.
    extra = {"default": argparse.SUPPRESS} if inherited else {}
    parser.add_argument("--content", metavar="DIR", type=Path, help="use another content folder", **extra)
    parser.add_argument("--ascii", action="store_true", help="draw with ASCII characters only", **extra)
    parser.add_argument("--theme", metavar="NAME", help="a Textual theme, e.g. textual-light, nord, gruvbox", **extra)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from tui_tutor.logfile import configure

    configure()  # to a file in the settings folder: the terminal is the app's, or the command's output
    try:
        if args.command == "solve":
            return _solve(args)
        if args.command == "grade":
            return _grade(args)
        if args.command == "check":
            from tui_tutor.content.check import run as run_check

            return run_check(args)
        if args.command == "progress":
            return _progress(args)
        if args.command == "report":
            from tui_tutor.report.command import run as run_report

            return run_report(args, _course_concept(getattr(args, "content", None)))
        if args.command == "serve":
            from tui_tutor.serve.command import run as run_serve

            return run_serve(args)
        return _run_app(args)
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - last line of defence: never a traceback
        from tui_tutor.logfile import log_path
        from tui_tutor.safetext import visible

        log.error("unexpected error", exc_info=True)
        print(f"tui-tutor: {visible(str(err), limit=300)} (details in {log_path()})", file=sys.stderr)
        return EXIT_BAD_INPUT


def _run_app(args) -> int:
    """Open the tutor on the screen the command asks for (or where the learner left off)."""
    from tui_tutor.app import make_app
    from tui_tutor.safetext import visible
    from tui_tutor.settings import QuizArgs, ScratchArgs, Settings
    from tui_tutor.terminal import streams_on_terminal, terminal_problem

    if args.content is not None and not args.content.is_dir():
        print(f"tui-tutor: no content folder at {visible(str(args.content))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = getattr(args, "out", None)
    if out is not None:  # before the terminal is looked at: a typo in a path is the first thing to say
        from tui_tutor.quiz.summary_file import check_target

        problem = check_target(out)
        if problem:
            print(f"tui-tutor quiz: --out: {visible(problem, limit=300)}", file=sys.stderr)
            return EXIT_BAD_INPUT
    problem = terminal_problem()
    if problem is not None:
        print(f"tui-tutor: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    settings = Settings(content_dir=args.content, ascii=args.ascii, theme=args.theme)
    command = args.command
    if command == "lesson":
        settings.start, settings.section, settings.example = "lesson", args.section, args.example
    elif command == "scratch":
        settings.start = "scratch"
        settings.scratch = ScratchArgs(list(args.maps), args.at, args.dx)
    elif command in ("quiz", "review"):
        settings.start = "quiz"
        if out is not None:
            from tui_tutor.quiz.summary_file import install_signal_handlers

            install_signal_handlers()  # a closed terminal or SIGTERM still leaves the summary in FILE
        settings.quiz = QuizArgs(
            count=args.count, minutes=args.minutes, seed=args.seed, skill=args.skill,
            review=command == "review", json=args.json, mistakes=getattr(args, "mistakes", False),
            out=out, name=getattr(args, "name", None),
        )
    app = make_app(settings)
    if args.theme and args.theme not in app.available_themes:
        names = ", ".join(sorted(app.available_themes))
        print(f"tui-tutor: unknown theme '{visible(args.theme, limit=40)}'; choose one of: {names}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        with streams_on_terminal():
            app.run()
    except KeyboardInterrupt:
        _close_summary_file("interrupted")
        raise
    _close_summary_file("terminated" if app.return_code == app.TERMINATED else "quit")
    if getattr(args, "json", False) and app.results is not None:
        print(json.dumps(app.results, ensure_ascii=args.ascii))
    return EXIT_OK if app.return_code in (None, 0) else app.return_code


def _close_summary_file(ended: str) -> None:
    """``quiz --out``: the summary's last write (the screen writes it too; this covers Ctrl+C)."""
    if "tui_tutor.quiz.summary_file" in sys.modules:
        from tui_tutor.quiz.summary_file import close_active

        close_active(ended)


def _progress(args) -> int:
    from tui_tutor.progress.command import run

    concept = _course_concept(args.content)
    return run(args, [skill.id for skill in concept.skills] if concept else [], concept)


def _course_concept(content: Path | None):
    """The shipped (or given) course's concept, for skills and mistakes; None if it cannot be read."""
    try:
        from tui_tutor.content.loader import load_course

        return load_course(content).concept()
    except Exception:  # noqa: BLE001 - progress still works without the course
        log.debug("could not read the course", exc_info=True)
        return None


def _engine_call(func, *args, **kwargs):
    """Run an engine function (by name) in the bounded worker; user errors become one stderr line.

    Calling by name keeps sympy out of this process: only the worker imports it.
    """
    from tui_tutor.engine.bounds import CLI
    from tui_tutor.engine.worker import EngineCrashed, EngineOutOfMemory, EngineTimeout, EngineUnavailable, shared_worker

    # Bounded by the engine's CPU time (bounds.CLI), not the clock: starting the engine (importing
    # sympy) is not counted, and neither is time other processes on a busy machine take.
    try:
        return shared_worker().call(func, *args, bound=CLI, **kwargs)
    except (EngineTimeout, EngineOutOfMemory, EngineCrashed, EngineUnavailable) as err:
        raise _UserError(str(err)) from None
    except ValueError as err:  # ParseError and ChainError are ValueErrors with readable text
        raise _UserError(str(err)) from None


class _UserError(Exception):
    pass


def _entry_option(command: str, text: str | None) -> tuple[int, int] | None:
    """``--entry I,J`` read by the engine's one entry reader; a problem is one line on stderr
    (then _UserError). None when the option was not given."""
    if not text:
        return None
    from tui_tutor.engine.errors import ParseError
    from tui_tutor.engine.shapes import parse_entry
    from tui_tutor.safetext import visible

    try:
        return parse_entry(text)
    except ParseError as err:
        print(f"tui-tutor {command}: --entry: {visible(str(err), 300)}", file=sys.stderr)
        raise _UserError(str(err)) from None


def _solve(args) -> int:
    from tui_tutor.engine.report import report_lines

    from tui_tutor.safetext import visible

    try:
        entry = _entry_option("solve", args.entry)
    except _UserError:
        return EXIT_BAD_INPUT
    try:
        solution = _engine_call(
            "service.solve", args.maps, args.at, args.dx, entry=entry, seed=args.seed, ascii=args.ascii
        )
    except _UserError as err:
        print(f"tui-tutor solve: {visible(str(err), 300)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(solution.to_json(), ensure_ascii=args.ascii))
        return EXIT_OK
    print("\n".join(report_lines(solution, ascii=args.ascii)))
    return EXIT_OK


def _grade(args) -> int:
    """Grade one answer: exit 0 right, 1 wrong, 2 unreadable or not judged (too few figures)."""
    problem = None
    if args.maps:
        problem = {"maps": args.maps, "ask": args.ask, "at": args.at, "dx": args.dx, "layer": args.layer,
                   "space": args.space, "seed": args.seed}
        try:
            entry = _entry_option("grade", args.entry)
        except _UserError:
            return EXIT_BAD_INPUT
        if entry is not None:
            problem["entry"] = list(entry)
    try:
        if args.expected is None:
            if problem is None:
                print("tui-tutor grade: give --expected, or the problem with --maps", file=sys.stderr)
                return EXIT_BAD_INPUT
            verdict = _engine_call("service.grade_problem", problem, args.answer, args.kind)
        else:
            verdict = _engine_call("service.grade_answer", args.expected, args.answer, args.kind, problem)
    except _UserError as err:
        if args.json:  # the verdict for a script on stdout; the line for a person on stderr all the same
            print(json.dumps({"correct": False, "diagnosis": "unreadable", "message": str(err)}))
        print(f"tui-tutor grade: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(verdict.to_dict(), ensure_ascii=False))
    if not verdict.counted:  # like unreadable input: the answer was not judged
        print(f"tui-tutor grade: {verdict.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.json:
        print(verdict.message)
    return EXIT_OK if verdict.correct else EXIT_WRONG


if __name__ == "__main__":
    sys.exit(main())
