"""Which questions a quiz or a review asks, in which order, with which template variants.

Pure and cheap: no sympy, no Textual, no database. A template variant's answer is left for the
engine to compute when the question is shown (see :mod:`tui_tutor.quiz.session`).

How ``--seed S`` makes a quiz reproducible
------------------------------------------

1. The pool is every quiz item and template of the concept (only those training ``--skill``
   when given), sorted by id, so reordering the YAML does not change a shared quiz.
2. ``random.Random(S)`` shuffles the pool; the quiz asks the first N. When N is larger than the
   pool, the templates are cycled again, each time with a new variant (fixed items never repeat).
3. The k-th use of template T in the quiz is its variant ``variant_seed(S, k, T.id)`` (a hash, see
   :func:`tui_tutor.content.templates.variant_seed`): same S, same numbers.

So the same seed, course and options give the same questions, in the same order, with the same
numbers. Without ``--seed`` a short random seed is drawn and shown, so the quiz can be shared after
the fact. A review is reproducible from its seed *and* the learner's history (what is due, which
variants were already seen).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from tui_tutor.content.model import Concept, QuizItem, Template
from tui_tutor.content.templates import instantiate, variant_seed

SEED_RANGE = 100_000  # drawn seeds stay short enough to read out to a class
FRESH_TRIES = 200  # variants tried before accepting one whose numbers were seen before


@dataclass(frozen=True)
class PlannedQuestion:
    """One question of a plan: the item (a variant for templates) and why it was chosen."""

    item: QuizItem
    reason: str = ""  # review mode: why it is asked now ("due for review", a skill, a mistake)


def new_seed() -> int:
    """A random quiz seed, short enough to share."""
    return random.SystemRandom().randrange(SEED_RANGE)


def trains(entry: QuizItem | Template, skill: str | None) -> bool:
    """Whether an item or template trains ``skill`` (everything does when skill is None)."""
    return skill is None or skill in entry.skills


def plan_quiz(concept: Concept, count: int, seed: int, skill: str | None = None) -> list[PlannedQuestion]:
    """The questions of a quiz (see the module docstring for how the seed is used)."""
    pool: list[QuizItem | Template] = sorted(
        (e for e in (*concept.items, *concept.templates) if trains(e, skill)), key=lambda e: e.id
    )
    rng = random.Random(seed)
    rng.shuffle(pool)
    templates = [e for e in pool if isinstance(e, Template)]
    order = list(pool)
    while len(order) < count and templates:
        order.extend(templates)  # fresh variants of the templates fill a long quiz
    uses: dict[str, int] = {}
    questions = []
    for entry in order[:count]:
        if isinstance(entry, Template):
            k = uses.get(entry.id, 0)
            uses[entry.id] = k + 1
            questions.append(PlannedQuestion(instantiate(entry, variant_seed(seed, k, entry.id))))
        else:
            questions.append(PlannedQuestion(entry))
    return questions


def fresh_variant(template: Template, seed: int, seen: Iterable[int] = (), salt: str = "") -> QuizItem:
    """A variant of ``template`` whose seed — and, when possible, numbers — were never seen.

    ``seen`` are the variant seeds already attempted. Variants are tried in the order
    ``variant_seed(seed, 0, ...)``, ``variant_seed(seed, 1, ...)``, ...; one with the same problem
    and prompt as a seen variant is skipped ("never the same numbers again"), unless the template
    has too few parameter values to avoid it, when the first unseen seed is used.
    """
    seen_seeds = set(seen)
    seen_numbers = {_numbers(instantiate(template, s)) for s in seen_seeds}
    first_unseen: QuizItem | None = None
    for k in range(FRESH_TRIES):
        candidate_seed = variant_seed(seed, k, template.id + salt)
        if candidate_seed in seen_seeds:
            continue
        variant = instantiate(template, candidate_seed)
        if first_unseen is None:
            first_unseen = variant
        if _numbers(variant) not in seen_numbers:
            return variant
    assert first_unseen is not None  # 2**31 seeds: 200 hashes cannot all have been seen
    return first_unseen


def _numbers(item: QuizItem) -> tuple:
    """What makes two variants "the same numbers": the prompt and the problem."""
    return item.prompt, repr(sorted((item.problem or {}).items()))


@dataclass(frozen=True)
class DueEntry:
    """One due review card, as the planner needs it (see ``quiz.review_inputs``)."""

    kind: str  # item | skill | mistake
    key: str  # item or template id, skill id, diagnosis code
    skills: tuple[str, ...] = ()  # for a mistake: the skills of the items it was made on
    why: str = ""  # why it is due, from the learner's history (quiz.progress_view.why_due)


def plan_review(
    concept: Concept,
    due: Sequence[DueEntry],
    count: int,
    seed: int,
    seen_variants: Mapping[str, Iterable[int]] | None = None,
) -> list[PlannedQuestion]:
    """Questions for what is due, most overdue first, at most ``count`` of them.

    An item due comes back as itself; a template due comes back as a fresh variant. A due skill is
    trained by a template of that skill when there is one (fresh numbers), otherwise by an item;
    a due mistake likewise by a question training the skills it was made on. Each item or
    template is asked at most once per review.
    """
    seen_variants = seen_variants or {}
    items = {i.id: i for i in concept.items}
    templates = {t.id: t for t in concept.templates}
    rng = random.Random(seed)
    used: set[str] = set()
    questions: list[PlannedQuestion] = []

    def add(entry: QuizItem | Template, reason: str) -> None:
        used.add(entry.id)
        if isinstance(entry, Template):
            item = fresh_variant(entry, seed, seen_variants.get(entry.id, ()))
        else:
            item = entry
        questions.append(PlannedQuestion(item, reason))

    for card in due:
        if len(questions) >= count:
            break
        if card.kind == "item":
            entry = items.get(card.key) or templates.get(card.key)
            if entry is not None and entry.id not in used:
                add(entry, card.why or "due for review")
            continue
        skills = (card.key,) if card.kind == "skill" else card.skills
        entry = _trainer(concept, skills, used, rng)
        if entry is None:
            continue
        if card.kind == "skill":
            add(entry, f"the skill '{concept.skill_title(card.key)}' is due for review{f': {card.why}' if card.why else ''}")
        else:
            named = next((m.title for m in concept.mistakes if m.diagnosis == card.key), card.key)
            add(entry, card.why or f"a mistake you made before, to unlearn: {named}")
    return questions


def _trainer(concept: Concept, skills: Sequence[str], used: set[str], rng: random.Random):
    """A template (preferred: fresh numbers) or item training one of ``skills``, not yet used."""
    wanted = set(skills)
    for pool in (concept.templates, concept.items):
        candidates = sorted((e for e in pool if e.id not in used and wanted & set(e.skills)), key=lambda e: e.id)
        if candidates:
            return rng.choice(candidates)
    return None


__all__ = ["DueEntry", "PlannedQuestion", "fresh_variant", "new_seed", "plan_quiz", "plan_review", "trains"]
