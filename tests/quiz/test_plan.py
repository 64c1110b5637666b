"""Planning a quiz or a review: seeded, filtered by skill, fresh variants for what is due."""

from __future__ import annotations

from tests.quiz.helpers import concept
from tui_tutor.content.templates import instantiate
from tui_tutor.quiz.plan import DueEntry, fresh_variant, plan_quiz, plan_review


def _ids(planned):
    return [p.item.id for p in planned]


def test_the_same_seed_gives_the_same_questions_order_and_numbers():
    first = plan_quiz(concept(), 6, seed=7)
    again = plan_quiz(concept(), 6, seed=7)
    assert _ids(first) == _ids(again)
    assert [p.item.prompt for p in first] == [p.item.prompt for p in again]
    assert [p.item.problem for p in first] == [p.item.problem for p in again]


def test_different_seeds_give_different_quizzes():
    quizzes = {tuple(_ids(plan_quiz(concept(), 4, seed=s))) for s in range(10)}
    assert len(quizzes) > 1


def test_a_quiz_asks_each_item_once_and_fills_up_with_fresh_template_variants():
    planned = plan_quiz(concept(), 6, seed=3)
    keys = [p.item.key for p in planned]
    assert len(planned) == 6
    for item_id in ("shape-of-composite", "jacobian-at-point", "which-order"):
        assert keys.count(item_id) == 1
    variants = [p.item for p in planned if p.item.template]
    assert len(variants) == 3
    assert len({v.seed for v in variants}) == 3  # three different variants, not one three times


def test_a_quiz_without_templates_is_as_long_as_the_bank():
    bank = concept()
    bank.templates = ()
    assert len(plan_quiz(bank, 10, seed=1)) == len(bank.items)


def test_the_skill_filter_keeps_only_questions_training_it():
    planned = plan_quiz(concept(), 5, seed=1, skill="shapes")
    assert planned and all("shapes" in p.item.skills for p in planned)
    assert plan_quiz(concept(), 5, seed=1, skill="no-such-skill") == []


def test_a_fresh_variant_never_repeats_seen_numbers():
    template = concept().templates[0]
    seen = set()
    prompts = set()
    for _ in range(8):
        variant = fresh_variant(template, seed=5, seen=seen)
        assert variant.seed not in seen
        assert variant.prompt not in prompts  # 4 × 6 parameter values: 8 distinct ones exist
        seen.add(variant.seed)
        prompts.add(variant.prompt)


def test_a_fresh_variant_from_an_exhausted_template_still_has_a_new_seed():
    template = concept().templates[0]
    seen = set()
    prompts = set()
    for _ in range(30):  # more than the 24 parameter combinations
        variant = fresh_variant(template, seed=5, seen=seen)
        assert variant.seed not in seen
        seen.add(variant.seed)
        prompts.add(variant.prompt)
    assert len(prompts) == 24  # every combination was used before any came back


def test_review_serves_due_items_skills_and_mistakes_most_overdue_first():
    due = [
        DueEntry("item", "jacobian-at-point"),
        DueEntry("mistake", "transposed", ("gradient-pullback",)),
        DueEntry("skill", "shapes"),
        DueEntry("item", "gradient-random"),  # the template: a second use is not repeated
    ]
    planned = plan_review(concept(), due, count=10, seed=1, seen_variants={"gradient-random": {11, 12}})
    assert _ids(planned)[0] == "jacobian-at-point"
    assert planned[0].reason == "due for review"
    trainer = planned[1].item
    assert trainer.template == "gradient-random" and trainer.seed not in {11, 12}
    assert planned[1].reason == "a mistake you made before, to unlearn: Transposing the Jacobian"
    assert planned[2].item.id == "shape-of-composite"
    assert planned[2].reason == "the skill 'Shapes and dimensions' is due for review"
    assert len(planned) == 3


def test_review_stops_at_count():
    due = [DueEntry("item", "jacobian-at-point"), DueEntry("item", "which-order"), DueEntry("skill", "shapes")]
    assert len(plan_review(concept(), due, count=2, seed=1)) == 2


def test_a_due_template_comes_back_with_different_numbers():
    template = concept().templates[0]
    old = instantiate(template, 99)
    planned = plan_review(concept(), [DueEntry("item", template.id)], count=5, seed=99, seen_variants={template.id: {99}})
    assert planned[0].item.seed != 99
    assert planned[0].item.prompt != old.prompt
