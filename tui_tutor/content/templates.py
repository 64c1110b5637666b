"""Quiz templates: parameters drawn from a seed, substituted into a question, answered by the engine.

:func:`instantiate` is pure and cheap (no sympy): the same template and seed always give the same
variant, so a quiz can be replayed from its seed. The answer is left None; :func:`solve_variant`
asks the engine for it in the bounded worker process, so importing this module never imports
sympy and a slow variant cannot freeze the app.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import replace
from typing import Any

from tui_tutor.content.model import Param, QuizItem, Template

ANSWER_PLACEHOLDER = "answer"  # {{answer}} in a solution: the computed answer

# An optional sign just before a placeholder is captured so "+ {{b}}" with b = -3 reads "- 3".
_PLACEHOLDER = re.compile(r"(?:(?P<op>[+-])(?P<space>[ \t]*))?\{\{\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_NAME_ONLY = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_ANY_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")


def placeholders(text: str) -> list[str]:
    """The names of the ``{{name}}`` placeholders in a text, in order."""
    return _NAME_ONLY.findall(text)


def unreplaced(text: str) -> list[str]:
    """Any ``{{...}}`` left in a text (after substitution there should be none)."""
    return _ANY_PLACEHOLDER.findall(text)


def draw(params: tuple[Param, ...], seed: int) -> dict[str, str]:
    """Parameter values for ``seed``, drawn in declaration order from ``random.Random(seed)``."""
    rng = random.Random(seed)
    values = {}
    for param in params:
        if param.choices:
            value: Any = rng.choice(param.choices)
        else:
            assert param.low is not None and param.high is not None
            candidates = [v for v in range(param.low, param.high + 1) if v not in param.exclude]
            value = rng.choice(candidates)
        values[param.name] = str(value)
    return values


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace ``{{name}}`` with its value; unknown names are left for :func:`unreplaced` to find.

    A negative value after an explicit sign is folded into it ("x + {{b}}" with b = -3 gives
    "x - 3"), which is equal and reads as a person would write it, in maths and in maps alike.
    """

    def one(match: re.Match) -> str:
        name = match.group("name")
        if name not in values:
            return match.group(0)
        value, op = values[name], match.group("op")
        if op and value.startswith("-"):
            return ("+" if op == "-" else "-") + (match.group("space") or "") + value[1:]
        return (op or "") + (match.group("space") or "") + value

    return _PLACEHOLDER.sub(one, text)


def _substitute_data(data: Any, values: dict[str, str]) -> Any:
    if isinstance(data, str):
        return substitute(data, values)
    if isinstance(data, list):
        return [_substitute_data(v, values) for v in data]
    if isinstance(data, dict):
        return {k: _substitute_data(v, values) for k, v in data.items()}
    return data


def instantiate(template: Template, seed: int) -> QuizItem:
    """The variant of ``template`` for ``seed``: parameters substituted everywhere, answer None.

    The solution keeps ``{{answer}}`` until :func:`complete_variant` fills it in.
    """
    values = draw(template.params, seed)
    return QuizItem(
        id=f"{template.id}@{seed}",
        skills=template.skills,
        prompt=substitute(template.prompt, values),
        kind=template.kind,
        answer=None,
        hints=tuple(substitute(h, values) for h in template.hints),
        solution=substitute(template.solution, values),
        problem=_substitute_data(template.problem, values),
        template=template.id,
        seed=seed,
        variables=template.variables,
        source=template.source,
    )


def variant_seed(quiz_seed: int, index: int, salt: str = "") -> int:
    """The seed of the ``index``-th variant in a quiz started with ``quiz_seed``.

    A hash, not ``quiz_seed + index``, so neighbouring quizzes do not share variants; ``salt``
    (say, the template id) keeps two templates in one quiz from drawing in lockstep. Stable across
    runs and Python versions (unlike ``hash()``).
    """
    digest = hashlib.blake2b(f"{quiz_seed}:{index}:{salt}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF


def variants(template: Template, count: int, quiz_seed: int = 0) -> list[QuizItem]:
    """``count`` reproducible variants of a template for one quiz."""
    return [instantiate(template, variant_seed(quiz_seed, i, template.id)) for i in range(count)]


def complete_variant(item: QuizItem, answer_text: str, answer_tex: str | None = None) -> QuizItem:
    """The variant with its answer set and ``{{answer}}`` in the solution replaced.

    ``answer_tex`` (LaTeX from the engine) goes in as it is inside ``$...$`` and wrapped in ``$``
    in prose; without it the answer text is shown.
    """

    def one(match: re.Match) -> str:
        if match.group(1) != ANSWER_PLACEHOLDER:
            return match.group(0)
        if not answer_tex:
            return answer_text
        return answer_tex if _in_math(item.solution, match.start()) else f"${answer_tex}$"

    return replace(item, answer=answer_text, solution=_NAME_ONLY.sub(one, item.solution))


def _in_math(text: str, position: int) -> bool:
    """Whether ``position`` is inside ``$...$`` or ``$$...$$`` (``\\$`` is a literal dollar)."""
    open_delim, i = None, 0
    while i < position:
        if text.startswith("\\$", i):
            i += 2
        elif text.startswith("$$", i) and open_delim in (None, "$$"):
            open_delim = None if open_delim else "$$"
            i += 2
        elif text[i] == "$":
            open_delim = None if open_delim else "$"
            i += 1
        else:
            i += 1
    return open_delim is not None


def _engine_answer(item: QuizItem, timeout: float | None) -> tuple[str, str, str]:
    from tui_tutor.engine.bounds import VARIANT
    from tui_tutor.engine.worker import shared_worker  # no sympy in this process

    if not item.problem:
        raise ValueError(f"{item.id} has no problem for the engine to solve")
    return shared_worker().call(
        "answers.variant_answer", item.problem, item.kind, bound=timeout or VARIANT
    )


def solve_variant(item: QuizItem, *, timeout: float | None = None) -> tuple[str, str]:
    """The variant's answer in answer syntax, and the kind to grade it as, computed by the engine.

    Runs in the bounded worker; raises EngineTimeout when late, ValueError (with a readable
    message) when the variant cannot be answered.
    """
    text, kind, _ = _engine_answer(item, timeout)
    return text, kind


def solved_variant(item: QuizItem, *, timeout: float | None = None) -> QuizItem:
    """The variant with its answer computed by the engine and filled in (solution included)."""
    text, _, tex = _engine_answer(item, timeout)
    return complete_variant(item, text, tex)


__all__ = [
    "ANSWER_PLACEHOLDER",
    "complete_variant",
    "draw",
    "instantiate",
    "placeholders",
    "solve_variant",
    "solved_variant",
    "substitute",
    "unreplaced",
    "variant_seed",
    "variants",
]
