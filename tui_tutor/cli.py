"""The ``tui-tutor`` command: open the tutor, or solve / grade / check from the shell.

Argument parsing only; the work is done by the same engine functions the screens call. Every
failure a person can cause ends with one line on stderr and exit status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Sequence

from tui_tutor import __version__

EXIT_OK, EXIT_WRONG, EXIT_BAD_INPUT = 0, 1, 2

log = logging.getLogger("tui_tutor")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line and exit status 2."""

    def error(self, message: str):  # noqa: D102 - argparse API
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tui-tutor",
        description="A terminal tutor for the multivariable chain rule.",
    )
    parser.add_argument("--version", action="version", version=f"tui-tutor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

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
    solve.add_argument("--ascii", action="store_true", help="ASCII characters only")

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
        "--kind", choices=["scalar", "vector", "matrix", "shape"], default=None,
        help="scalar (default), vector (row or column accepted), matrix (shape strict), shape",
    )
    grade.add_argument("--maps", nargs="+", metavar="MAP", help="the problem's maps, innermost first")
    grade.add_argument(
        "--ask", default="jacobian",
        choices=["jacobian", "gradient", "layer_jacobian", "entry", "pushforward", "pullback", "value"],
        help="what the problem asks for (with --maps)",
    )
    grade.add_argument("--at", metavar="P", help="the problem's point")
    grade.add_argument("--dx", metavar="D", help="the problem's perturbation")
    grade.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        if args.command == "solve":
            return _solve(args)
        if args.command == "grade":
            return _grade(args)
        print(
            "tui-tutor: the interactive lesson is not built yet. Try: "
            "tui-tutor solve 'x1^2 + x2, x1*x2' 'u1 + u2^2' --at 1,2",
            file=sys.stderr,
        )
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - last line of defence: never a traceback
        log.debug("unexpected error", exc_info=True)
        print(f"tui-tutor: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _engine_call(func, *args, **kwargs):
    """Run an engine function in the bounded worker; user errors become one stderr line."""
    from tui_tutor.engine.worker import EngineTimeout, EngineUnavailable, shared_worker

    try:
        return shared_worker().call(func, *args, **kwargs)
    except (EngineTimeout, EngineUnavailable) as err:
        raise _UserError(str(err)) from None
    except ValueError as err:  # ParseError and ChainError are ValueErrors with readable text
        raise _UserError(str(err)) from None


class _UserError(Exception):
    pass


def _solve(args) -> int:
    from tui_tutor.engine import service
    from tui_tutor.engine.report import report_lines

    entry = None
    if args.entry:
        try:
            entry = tuple(int(p) for p in args.entry.split(","))
            if len(entry) != 2:
                raise ValueError
        except ValueError:
            print("tui-tutor solve: --entry takes two integers, like 2,3", file=sys.stderr)
            return EXIT_BAD_INPUT
    try:
        solution = _engine_call(
            service.solve, args.maps, args.at, args.dx, entry=entry, seed=args.seed, ascii=args.ascii
        )
    except _UserError as err:
        print(f"tui-tutor solve: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(solution.to_json(), ensure_ascii=args.ascii))
        return EXIT_OK
    print("\n".join(report_lines(solution, ascii=args.ascii)))
    return EXIT_OK


def _grade(args) -> int:
    from tui_tutor.engine import service

    problem = None
    if args.maps:
        problem = {"maps": args.maps, "ask": args.ask, "at": args.at, "dx": args.dx}
    try:
        if args.expected is None:
            if problem is None:
                print("tui-tutor grade: give --expected, or the problem with --maps", file=sys.stderr)
                return EXIT_BAD_INPUT
            verdict = _engine_call(service.grade_problem, problem, args.answer, args.kind)
        else:
            verdict = _engine_call(service.grade_answer, args.expected, args.answer, args.kind or "scalar", problem)
    except _UserError as err:
        if args.json:
            print(json.dumps({"correct": False, "diagnosis": "unreadable", "message": str(err)}))
        else:
            print(f"tui-tutor grade: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(verdict.to_dict(), ensure_ascii=False))
    else:
        print(verdict.message)
    return EXIT_OK if verdict.correct else EXIT_WRONG


if __name__ == "__main__":
    sys.exit(main())
