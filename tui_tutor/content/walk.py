"""Every piece of text in a course, with where it was written: for checking and for render tests.

A :class:`Text` is either prose (with inline ``$...$`` math) or a formula (display math, a
symbol, a graph node). Walking the model in one place means ``tui-tutor check`` and the render
tests cannot disagree about which strings are math.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from tui_tutor.content.model import Block, Concept, Course, QuizItem, Source


@dataclass(frozen=True)
class Text:
    """One string of content: prose with inline math (``formula`` False) or a formula."""

    where: Source  # already the line of the field
    label: str  # the field, for messages: "prompt", "hints", "text" ...
    text: str
    formula: bool = False


def _field(source: Source | None, path: str, label: str, text: str | None, formula: bool = False) -> Iterator[Text]:
    if text and source is not None:
        yield Text(source.at(path), label, text, formula)


def block_texts(block: Block) -> Iterator[Text]:
    """The prose and formulas of one block (computed blocks contribute only their label)."""
    kind, data, src = block.kind, block.data, block.source
    if kind in ("text", "math"):
        yield from _field(src, kind, kind, data, formula=kind == "math")
    elif kind in ("list", "steps"):
        for i, item in enumerate(data):
            yield from _field(src, f"{kind}.{i}", kind, item)
    elif kind == "note":
        yield from _field(src, "note.title", "note", data.get("title"))
        yield from _field(src, "note.text", "note", data.get("text"))
    elif kind == "table":
        for i, cell in enumerate(data["header"]):
            yield from _field(src, f"table.header.{i}", "table", cell)
        for r, row in enumerate(data["rows"]):
            for cell in row:
                yield from _field(src, f"table.rows.{r}", "table", cell)
    elif kind == "jacobian":
        yield from _field(src, "jacobian.label", "label", data.get("label"), formula=True)
    elif kind == "graph":
        for key, formula in (("nodes", True), ("edges", True), ("under", False)):
            for i, value in enumerate(data.get(key, ())):
                yield from _field(src, f"graph.{key}.{i}", key, value, formula)
        yield from _field(src, "graph.title", "title", data.get("title"))


def item_texts(item: QuizItem) -> Iterator[Text]:
    """A quiz item's (or a template variant's) prompt, choices, hints and solution."""
    src = item.source
    yield from _field(src, "prompt", "prompt", item.prompt)
    for i, choice in enumerate(item.choices):
        yield from _field(src, f"choices.{i}", "choices", choice)
    for i, hint in enumerate(item.hints):
        yield from _field(src, f"hints.{i}", "hints", hint)
    yield from _field(src, "solution", "solution", item.solution)


def concept_blocks(concept: Concept) -> Iterator[Block]:
    """Every block of a concept: lesson sections, example statements and steps, practice."""
    for section in concept.sections:
        yield from section.blocks
    for example in concept.examples:
        yield from example.statement
        for step in example.steps:
            yield from step.blocks
    for problem in concept.practice:
        yield from problem.prompt
        yield from problem.solution


def concept_texts(concept: Concept) -> Iterator[Text]:
    """Every string of a concept except its templates (whose text exists per variant)."""
    src = concept.source
    yield from _field(src, "title", "title", concept.title)
    yield from _field(src, "summary", "summary", concept.summary)
    for symbol in concept.symbols:
        yield from _field(symbol.source, "symbol", "symbol", symbol.symbol, formula=True)
        yield from _field(symbol.source, "meaning", "meaning", symbol.meaning)
    for skill in concept.skills:
        yield from _field(skill.source, "title", "title", skill.title)
    for section in concept.sections:
        yield from _field(section.source, "title", "title", section.title)
    for block in concept_blocks(concept):
        yield from block_texts(block)
    for i, takeaway in enumerate(concept.takeaways):
        yield from _field(concept.lesson_source, f"takeaways.{i}", "takeaways", takeaway)
    for mistake in concept.mistakes:
        yield from _field(mistake.source, "title", "title", mistake.title)
        yield from _field(mistake.source, "text", "text", mistake.text)
    for example in concept.examples:
        yield from _field(example.source, "title", "title", example.title)
        yield from _field(example.source, "insight", "insight", example.insight)
        for step in example.steps:
            yield from _field(step.source, "title", "title", step.title)
    for problem in concept.practice:
        yield from _field(problem.source, "title", "title", problem.title)
        for i, hint in enumerate(problem.hints):
            yield from _field(problem.source, f"hints.{i}", "hints", hint)
        for i, choice in enumerate(problem.choices):
            yield from _field(problem.source, f"choices.{i}", "choices", choice)
    for item in concept.items:
        yield from item_texts(item)


def course_texts(course: Course) -> Iterator[Text]:
    """Every string in the course except template variants."""
    for related in course.related:
        yield from _field(related.source, "title", "title", related.title)
        yield from _field(related.source, "summary", "summary", related.summary)
    for concept in course.concepts:
        yield from concept_texts(concept)
