"""A short practice set aimed at the learner's recurring mistakes ("My mistakes", ``review --mistakes``).

For each mistake, most frequent first, in turn until the set is full: a fresh variant of a template
whose problem invites that mistake (``invites``: entry id → the diagnosis codes an answer to it
can earn, computed by the engine's ``answers.likely_mistakes_by_id``), else a quiz item that invites
it, else a question training the skills it was made on. Each template or item is asked at most
once per set. Pure and seeded like :mod:`tui_tutor.quiz.plan`: no engine, no database.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tui_tutor.content.model import Concept, QuizItem, Template
from tui_tutor.quiz.plan import PlannedQuestion, fresh_variant

SET_SIZE = 5


@dataclass(frozen=True)
class Target:
    """A mistake to aim at: its code, the lesson's name for it, how often, and where it was made."""

    code: str
    title: str
    count: int
    skills: tuple[str, ...] = ()


def invite_requests(concept: Concept, seed: int) -> list[tuple[str, dict, str]]:
    """(id, problem, kind) for every template (one variant) and item with a problem: what the
    engine is asked which mistakes each invites. A template's mistakes depend on its form, not its
    numbers, so one variant speaks for it."""
    from tui_tutor.content.templates import instantiate, variant_seed

    requests = []
    for template in concept.templates:
        variant = instantiate(template, variant_seed(seed, 0, template.id + "#mistakes"))
        requests.append((template.id, dict(variant.problem or {}), variant.kind))
    for item in concept.items:
        if item.problem:
            requests.append((item.id, dict(item.problem), item.kind))
    return requests


def plan_mistake_practice(
    concept: Concept,
    targets: Sequence[Target],
    invites: Mapping[str, Iterable[str]],
    *,
    seed: int,
    count: int = SET_SIZE,
    seen_variants: Mapping[str, Iterable[int]] | None = None,
) -> list[PlannedQuestion]:
    """Up to ``count`` questions aimed at ``targets`` (see the module docstring)."""
    codes = {entry: set(found) for entry, found in invites.items()}
    seen_variants = seen_variants or {}
    rng = random.Random(seed)
    used: set[str] = set()
    questions: list[PlannedQuestion] = []
    while len(questions) < count:
        added = False
        for target in targets:
            if len(questions) >= count:
                break
            entry = _aimed_at(concept, target, codes, used, rng)
            if entry is None:
                continue
            used.add(entry.id)
            item = fresh_variant(entry, seed, seen_variants.get(entry.id, ()), salt="#mistakes") if isinstance(
                entry, Template) else entry  # fmt: skip
            times = f"{target.count} time{'s' if target.count != 1 else ''}"
            questions.append(PlannedQuestion(item, f"aimed at a mistake you made {times}: {target.title}"))
            added = True
        if not added:
            break
    return questions


def _aimed_at(concept: Concept, target: Target, codes: Mapping[str, set[str]], used: set[str],
              rng: random.Random) -> QuizItem | Template | None:  # fmt: skip
    """A template, else an item, inviting the mistake; else one training the skills it was made on."""
    for pool in (concept.templates, concept.items):
        candidates = [e for e in pool if e.id not in used and target.code in codes.get(e.id, ())]
        if candidates:
            return rng.choice(sorted(candidates, key=lambda e: e.id))
    wanted = set(target.skills)
    for pool in (concept.templates, concept.items):
        candidates = [e for e in pool if e.id not in used and wanted & set(e.skills)]
        if candidates:
            return rng.choice(sorted(candidates, key=lambda e: e.id))
    return None


__all__ = ["SET_SIZE", "Target", "invite_requests", "plan_mistake_practice"]
