"""``tui-tutor check [DIR]``: everything the loader checks, plus the maths, with every error listed.

On top of the loader's schema checks: every formula and inline ``$...$`` is validated by
:mod:`tui_tutor.mathtext`; every ``answer:`` is read by the engine's safe parser and, where
the entry has a ``problem:``, compared with the answer the engine computes (so an answer key
cannot be wrong); every computed block is computed and drawn; every template is instantiated for
20 seeds and each variant answered; every mistake's diagnosis is one the grader can give.

All sympy work runs in the bounded worker process, one call per item, block or variant, each with
a time limit: a hostile or runaway expression becomes an error at its line, never a hang. This
process never imports sympy.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from tui_tutor import mathtext
from tui_tutor.content.errors import ContentError
from tui_tutor.content.loader import read_course
from tui_tutor.content.model import Concept, Course, Source, Template
from tui_tutor.content.templates import complete_variant, instantiate, unreplaced
from tui_tutor.content.walk import Text, concept_blocks, course_texts, item_texts
from tui_tutor.engine.bounds import CHECK, Bound

log = logging.getLogger(__name__)

CHECK_SEEDS = 20  # variants checked per template
UNIT_TIMEOUT = CHECK.cpu  # seconds of engine CPU time one item, block or variant may use
TOTAL_TIMEOUT = 120.0  # seconds on the clock for the whole check: 20 hostile items once took 223 s, silently
SLOW_SECONDS = 2.0  # an item the engine needs longer for is named (a learner would wait as long)
ENGINE_BLOCKS = ("expr", "jacobian", "shape_table")
EXIT_OK, EXIT_ERRORS, EXIT_BAD_INPUT = 0, 1, 2


class CheckAborted(RuntimeError):
    """The check could not run at all (the maths engine would not start)."""


@dataclass
class CheckResult:
    """What ``tui-tutor check`` found."""

    errors: list[ContentError]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    slow: list[tuple[str, float]] = field(default_factory=list)  # ("file:line", seconds), slowest first

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict:
        """The ``--json`` form: ``{"ok", "errors": [{"file", "line", "message"}], "counts"}``."""
        return {
            "ok": self.ok, "errors": [e.to_dict() for e in self.errors], "counts": self.counts,
            "slow": [{"where": where, "seconds": round(seconds, 1)} for where, seconds in self.slow],
        }  # fmt: skip


# progress(done, total, where): called after each engine unit, for a progress line.
Progress = Callable[[int, int, str], None]


def check(root: str | Path | None = None, *, seeds: int = CHECK_SEEDS, timeout: float = UNIT_TIMEOUT) -> list[ContentError]:
    """Every problem in the content under ``root`` (default: the shipped course), sorted by file and line."""
    return run_check(root, seeds=seeds, timeout=timeout).errors


def run_check(
    root: str | Path | None = None, *, seeds: int = CHECK_SEEDS, timeout: float = UNIT_TIMEOUT,
    total_timeout: float = TOTAL_TIMEOUT, progress: Progress | None = None,
) -> CheckResult:
    """:func:`check` with counts and the time it took. Raises CheckAborted if the engine cannot start.

    The whole run is bounded by ``total_timeout``: what is left when it runs out is reported as
    one error (how many items, from which line), not checked for ever.
    """
    started = time.perf_counter()
    course, errors = read_course(root)
    checker = _Checker(errors, seeds=seeds, timeout=timeout, deadline=started + total_timeout, progress=progress)
    checker.total = _units(course, seeds)
    checker.course(course)
    if checker.skipped:
        first = checker.skipped[0]
        checker.errors.append(ContentError(
            first.path, first.line or None,
            f"not checked: the check stopped after {total_timeout:g} s with {len(checker.skipped)} "
            "item(s) left, from here on; fix the slow items named above, or check a smaller folder",
        ))  # fmt: skip
    unique = sorted(set(checker.errors), key=ContentError.sort_key)
    checker.counts["errors"] = len(unique)
    slow = sorted(checker.slow.items(), key=lambda item: -item[1])
    return CheckResult(unique, checker.counts, time.perf_counter() - started, slow)


def _units(course: Course, seeds: int) -> int:
    """How many engine units (blocks, answers, template variants) the check will run: for progress."""
    total = 0
    for concept in course.concepts:
        total += sum(1 for b in concept_blocks(concept) if b.kind in ENGINE_BLOCKS)
        total += len(concept.examples) + len(concept.practice) + len(concept.items)
        total += len(concept.templates) * seeds
    return total


class _Checker:
    def __init__(self, errors: list[ContentError], *, seeds: int, timeout: float, deadline: float = float("inf"),
                 progress: Progress | None = None):
        self.errors = errors
        self.seeds = seeds
        self.timeout = timeout
        self.deadline = deadline
        self.progress = progress
        self.total = 0
        self.done = 0
        self.where: Source | None = None  # the item the engine is working on
        self.skipped: list[Source] = []
        self.slow: dict[str, float] = {}
        self.counts: dict[str, int] = {
            key: 0 for key in ("concepts", "sections", "blocks", "examples", "practice", "items", "templates",
                               "variants", "texts", "answers_computed", "engine_calls")
        }
        self._worker = None
        self._cache: dict[Any, Any] = {}

    # --- plumbing --------------------------------------------------------------------------------

    def error(self, where: Source | None, message: str) -> None:
        if where is not None:
            self.errors.append(ContentError(where.path, where.line or None, message))

    def engine(self, name: str, *args: Any, **kwargs: Any) -> tuple[Any, str | None]:
        """Call an engine function in the worker: (result, None) or (None, why it failed)."""
        from tui_tutor.engine.worker import EngineTimeout, EngineUnavailable, shared_worker

        key = (name, repr(args), repr(sorted(kwargs.items())))
        if key in self._cache:  # variants often repeat; so do blocks
            return self._cache[key]
        left = self.deadline - time.perf_counter()
        if left <= 0.5:
            if self.where is not None:
                self.skipped.append(self.where)
            return None, None
        if self._worker is None:
            self._worker = shared_worker()
        self.counts["engine_calls"] += 1
        # The item's own bound is engine CPU time; the whole run's bound is the clock, so no item
        # may outlast what is left of it either.
        unit = Bound.of(self.timeout, CHECK)
        bound = Bound(min(unit.cpu, left), min(unit.wall, left), unit.use)
        began = time.perf_counter()
        try:
            outcome = (self._worker.call(name, *args, bound=bound, **kwargs), None)
        except EngineTimeout as err:
            if err.busy:  # the clock ran out first: the machine, not the item, was slow
                outcome = (None, f"{err}; check again when the machine is less busy")
            else:
                outcome = (None, f"the engine took longer than {err.seconds:g} s of computation on this and was stopped; simplify it")
        except EngineUnavailable as err:
            raise CheckAborted(f"the maths engine could not start: {err}") from None
        except ValueError as err:  # ParseError / ChainError: readable already
            outcome = (None, str(err))
        except Exception as err:  # noqa: BLE001 - reported at the entry's line, never a traceback
            log.debug("engine call %s failed", name, exc_info=True)
            outcome = (None, f"could not be checked ({type(err).__name__}: {err})")
        spent = time.perf_counter() - began
        if spent > SLOW_SECONDS and self.where is not None:
            where = str(self.where)
            self.slow[where] = max(self.slow.get(where, 0.0), spent)
        self._cache[key] = outcome
        return outcome

    def unit(self, where: Source | None) -> None:
        """The engine is about to work on the item at ``where``: say so on the progress line."""
        self.where = where
        self.done += 1
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total, str(where) if where else "")

    def findings(self, source: Source | None, findings: list[tuple[str, str]]) -> None:
        """Engine findings ``(field, message)`` reported at the line of each field."""
        for path, message in findings or ():  # None: not checked (out of time)
            if source is not None:
                self.error(source.at(path), _labelled(path, message))

    def math_problem(self, text: Text) -> str | None:
        """What is wrong with one string's math (naming the field and the spot), or None."""
        self.counts["texts"] += 1
        try:
            mathtext.validate(text.text, prose=not text.formula)
        except mathtext.MathTextError as err:
            start = max(0, err.position - 12)
            excerpt = text.text[start: err.position + 12].replace("\n", " ")
            return f"{text.label}: {err.message} (near '{excerpt}')"
        return None

    # --- the course ------------------------------------------------------------------------------

    def course(self, course: Course) -> None:
        for text in course_texts(course):
            problem = self.math_problem(text)
            if problem:
                self.error(text.where, problem)
        codes, failure = self.engine("answers.diagnosis_codes")
        if codes is None and failure is None:  # out of time: the diagnoses are not checked
            failure = "not checked"
        for concept in course.concepts:
            self.concept(concept, set(codes or []), failure)

    def concept(self, concept: Concept, codes: set[str], codes_failure: str | None) -> None:
        counts = self.counts
        counts["concepts"] += 1
        counts["sections"] += len(concept.sections)
        for mistake in concept.mistakes:
            if mistake.diagnosis and not codes_failure and mistake.diagnosis not in codes:
                self.error(mistake.source.at("diagnosis") if mistake.source else None,
                           f"diagnosis: unknown code '{mistake.diagnosis}'; the grader knows {', '.join(sorted(codes))}")
        for block in concept_blocks(concept):
            counts["blocks"] += 1
            if block.kind in ENGINE_BLOCKS:
                self.unit(block.source)
            if block.kind in ENGINE_BLOCKS and not (block.kind == "shape_table" and block.data.get("general")):
                found, failure = self.engine("answers.verify_block", block.kind, block.data)
                self.findings(block.source, [(block.kind, failure)] if failure else found)
        for entry, count_key in [*((e, "examples") for e in concept.examples), *((p, "practice") for p in concept.practice),
                                 *((i, "items") for i in concept.items)]:
            counts[count_key] += 1
            self.unit(entry.source)
            self.answer(entry)
        for template in concept.templates:
            counts["templates"] += 1
            self.template(template)

    def answer(self, entry) -> None:
        """An authored answer: it reads, fits its kind, and agrees with the entry's problem."""
        if entry.answer is None or entry.kind == "choice":
            return
        if entry.problem:
            self.counts["answers_computed"] += 1
        found, failure = self.engine("answers.verify_answer", entry.answer, entry.kind, entry.problem, list(entry.variables))
        self.findings(entry.source, [("answer", failure)] if failure else found)

    def template(self, template: Template) -> None:
        """Instantiate ``seeds`` variants and check each; one error per distinct problem, with its seeds."""
        seen: dict[tuple[int, str], list[int]] = {}
        order: list[tuple[Source, str]] = []

        def report(where: Source, message: str, seed: int) -> None:
            key = (where.line, message)
            if key not in seen:
                seen[key] = []
                order.append((where, message))
            seen[key].append(seed)

        for seed in range(self.seeds):
            self.counts["variants"] += 1
            self.unit(template.source)
            item = instantiate(template, seed)
            result, failure = self.engine("answers.check_variant", item.problem, item.kind)
            if result is None and failure is None:  # out of time: reported once, at the end
                continue
            if failure:
                report(template.source.at("problem"), f"problem: {failure}", seed)
                continue
            answer, findings = result
            for path, message in findings:
                report(template.source.at(path), _labelled(path, message), seed)
            # Without an answer (already reported) the solution is still checked, with a stand-in.
            item = complete_variant(item, answer[0], answer[2]) if answer else complete_variant(item, "?")
            for text in item_texts(item):
                left = unreplaced(text.text)
                if left:
                    report(text.where, f"{text.label}: {left[0]} is not replaced (not a parameter?)", seed)
                    continue
                message = self.math_problem(text)
                if message:
                    report(text.where, message, seed)
        for where, message in order:
            seeds = seen[(where.line, message)]
            more = f", and {len(seeds) - 1} more of {self.seeds}" if len(seeds) > 1 else ""
            self.error(where, f"{message} (template variant seed {seeds[0]}{more})")



def _labelled(path: str, message: str) -> str:
    """``problem.maps.1`` + ``map 2: ...`` -> ``problem: map 2: ...`` (the field first, once)."""
    label = path.split(".")[0]
    return message if message.startswith(f"{label}:") else f"{label}: {message}"


# --- the command ----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """Run ``tui-tutor check``: 0 when the content is clean, 1 when it has errors, 2 when it cannot run."""
    root = Path(args.dir) if args.dir else None
    if root is not None and not root.is_dir():
        print(f"tui-tutor check: no such folder: {args.dir}", file=sys.stderr)
        return EXIT_BAD_INPUT
    line = _ProgressLine(sys.stderr)
    try:
        result = run_check(root, progress=line.show)
    except CheckAborted as err:
        line.clear()
        print(f"tui-tutor check: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    line.clear()
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return EXIT_OK if result.ok else EXIT_ERRORS
    for error in result.errors:
        print(error)
    for where, seconds in result.slow:
        print(f"{where}: slow: the engine needed {seconds:.1f} s for this (a learner waits as long)")
    print(_summary(result))
    return EXIT_OK if result.ok else EXIT_ERRORS


class _ProgressLine:
    """``checking 12/40  content/chain/quiz.yaml:88`` on one line of a terminal, redrawn in place.

    Only on a terminal (a redirected stderr gets nothing) and at most ten times a second.
    """

    def __init__(self, stream):
        try:
            self.stream = stream if stream.isatty() else None
        except (AttributeError, ValueError, OSError):
            self.stream = None
        self.last = 0.0
        self.width = 0

    def show(self, done: int, total: int, where: str) -> None:
        now = time.monotonic()
        if self.stream is None or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        text = f"checking {done}/{total}  {where}"[:78]  # where is already free of control characters
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def clear(self) -> None:
        if self.stream is not None and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def _summary(result: CheckResult) -> str:
    c = result.counts
    if result.errors:
        n = len(result.errors)
        return f"{n} error{'s' if n != 1 else ''}"
    return (
        f"OK: {c['concepts']} concept(s), {c['sections']} sections, {c['examples']} examples, "
        f"{c['practice']} practice problems, {c['items']} quiz items, {c['templates']} templates "
        f"({c['variants']} variants), {c['texts']} texts checked in {result.seconds:.1f} s"
    )


__all__ = ["CHECK_SEEDS", "CheckAborted", "CheckResult", "check", "run", "run_check"]
