"""One reader per content file: concept.yaml, related.yaml, lesson.yaml, examples, practice, quiz.

Each takes the composed root node of its file and returns model objects, reporting problems
through the :class:`~tui_tutor.content.schema.FileReader`. An entry with a problem is left out of
the result (the app never sees a half-read quiz item); the rest of the file is still read.
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node

from tui_tutor.content.model import (
    ANSWER_KINDS,
    LEVELS,
    Concept,
    Mistake,
    Param,
    PracticeProblem,
    QuizItem,
    RelatedConcept,
    Section,
    Skill,
    Step,
    Symbol,
    Template,
    WorkedExample,
)
from tui_tutor.content.block_schema import read_blocks
from tui_tutor.content.schema import Fields, FileReader, as_int, read_problem
from tui_tutor.content.templates import ANSWER_PLACEHOLDER, placeholders
from tui_tutor.content.yamlnodes import line_of, scalar_text

MAX_CHOICES = 26  # answered by letter
MAX_PARAM_VALUES = 10_000  # integers in one template range
ENGINE_KINDS = ("scalar", "vector", "matrix", "shape")  # kinds whose answer the engine can compute


def _entries(reader: FileReader, fields: Fields, key: str, what: str, known, read_one) -> tuple:
    """Read each mapping of a list with ``read_one``; entries with a problem are left out."""
    out = []
    for child in fields.sequence(key):
        before = reader.count
        entry = reader.fields(child, what, known)
        if entry is None:
            continue
        value = read_one(reader, entry, child)
        if value is not None and reader.count == before:
            out.append(value)
    return tuple(out)


# --- concept.yaml and related.yaml ----------------------------------------------------------------


def read_concept(reader: FileReader, node: Node, folder: str) -> Concept | None:
    known = ("id", "title", "summary", "difficulty", "prerequisites", "unlocks", "mastery_threshold",
             "symbols", "skills")
    fields = reader.fields(node, "concept.yaml", known)
    if fields is None:
        return None
    concept_id = fields.ident()
    if concept_id and concept_id != folder:
        fields.error("id", f"'{concept_id}' should match its folder name '{folder}'")
    symbols = _entries(reader, fields, "symbols", "symbol", ("symbol", "meaning"),
                       lambda r, f, n: Symbol(f.text("symbol"), f.text("meaning"), r.source(n)))
    skills = _entries(reader, fields, "skills", "skill", ("id", "title"),
                      lambda r, f, n: Skill(f.ident(), f.text("title"), r.source(n)))
    if not fields.sequence("skills"):
        fields.missing("skills")
    _no_duplicates(reader, [(s.id, s.source.line) for s in skills], "skill")
    return Concept(
        id=concept_id or folder,
        title=fields.text("title"),
        summary=fields.text("summary"),
        difficulty=fields.integer("difficulty", default=3, low=1, high=5, required=True),
        prerequisites=fields.idents("prerequisites"),
        unlocks=fields.idents("unlocks"),
        symbols=symbols,
        skills=skills,
        mastery_threshold=fields.number("mastery_threshold", default=0.8, low=0.0, high=1.0),
        folder=folder,
        source=reader.source(node),
    )


def read_related(reader: FileReader, node: Node) -> tuple[RelatedConcept, ...]:
    fields = reader.fields(node, "related.yaml", ("concepts",))
    if fields is None:
        return ()
    return _entries(
        reader, fields, "concepts", "related concept", ("id", "title", "summary", "summary_only"),
        lambda r, f, n: RelatedConcept(f.ident(), f.text("title"), f.text("summary"),
                                       f.flag("summary_only", default=True), r.source(n)),
    )


# --- lesson.yaml ----------------------------------------------------------------------------------


def read_lesson(reader: FileReader, node: Node) -> dict:
    fields = reader.fields(node, "lesson.yaml", ("sections", "takeaways", "mistakes"))
    if fields is None:
        return {}
    sections = _entries(reader, fields, "sections", "section", ("id", "title", "blocks"), _section)
    if not fields.sequence("sections"):
        fields.missing("sections")
    _no_duplicates(reader, [(s.id, s.source.line) for s in sections], "section")
    mistakes = _entries(reader, fields, "mistakes", "mistake", ("title", "text", "diagnosis", "section"),
                        lambda r, f, n: Mistake(f.text("title"), f.text("text"),
                                                f.text("diagnosis", required=False) or None,
                                                (f.ident("section") if f.has("section") else None) or None, r.source(n)))
    return {"sections": sections, "takeaways": fields.texts("takeaways"), "mistakes": mistakes,
            "lesson_source": reader.source(node)}


def _section(reader: FileReader, fields: Fields, node: Node) -> Section:
    return Section(fields.ident(), fields.text("title"), read_blocks(reader, fields, "blocks"), reader.source(node))


# --- answers (shared by examples, practice and quiz items) ----------------------------------------


def _answer(reader: FileReader, fields: Fields, *, required: bool, default_kind: str | None = None):
    """``kind``, ``answer`` and ``choices``, checked against each other (no maths yet)."""
    kind = fields.choice("kind", ANSWER_KINDS, default=default_kind)
    choices = fields.texts("choices")
    answer = fields.text("answer", required=required) or None
    if kind == "choice":
        if len(choices) < 2 or len(choices) > MAX_CHOICES:
            reader.error(fields.line_of("choices"), f"choices: a choice item needs 2 to {MAX_CHOICES} choices")
        elif answer is not None:
            letters = "abcdefghijklmnopqrstuvwxyz"[: len(choices)]
            key = answer.strip().lower().rstrip(").")
            if len(key) != 1 or key not in letters:
                fields.error("answer", f"'{answer}' is not a choice: use a letter from a to {letters[-1]}")
    elif choices:
        fields.error("choices", f"only kind: choice items have choices (this one is {kind or 'unset'})")
    return kind, answer, choices


# --- examples.yaml --------------------------------------------------------------------------------

_EXAMPLE_KEYS = ("id", "title", "statement", "problem", "answer", "kind", "steps", "insight", "variables")


def read_examples(reader: FileReader, node: Node) -> tuple[WorkedExample, ...]:
    fields = reader.fields(node, "examples.yaml", ("examples",))
    return () if fields is None else _entries(reader, fields, "examples", "example", _EXAMPLE_KEYS, _example)


def _example(reader: FileReader, fields: Fields, node: Node) -> WorkedExample:
    kind, answer, _ = _answer(reader, fields, required=False, default_kind="matrix")
    steps = _entries(reader, fields, "steps", "step", ("title", "blocks"),
                     lambda r, f, n: Step(f.text("title"), read_blocks(r, f, "blocks"), r.source(n)))
    if not fields.sequence("steps"):
        fields.missing("steps")
    return WorkedExample(
        id=fields.ident(),
        title=fields.text("title"),
        statement=read_blocks(reader, fields, "statement"),
        steps=steps,
        insight=fields.text("insight", required=False),
        problem=read_problem(reader, fields),
        answer=answer,
        kind=kind,
        variables=fields.variables(),
        source=reader.source(node),
    )


# --- practice.yaml --------------------------------------------------------------------------------

_PRACTICE_KEYS = ("id", "level", "title", "skills", "prompt", "hints", "solution", "kind", "answer", "problem",
                  "choices", "variables")


def read_practice(reader: FileReader, node: Node) -> tuple[PracticeProblem, ...]:
    fields = reader.fields(node, "practice.yaml", ("practice",))
    return () if fields is None else _entries(reader, fields, "practice", "practice problem", _PRACTICE_KEYS, _practice)


def _practice(reader: FileReader, fields: Fields, node: Node) -> PracticeProblem:
    kind, answer, choices = _answer(reader, fields, required=True)
    return PracticeProblem(
        id=fields.ident(),
        level=fields.choice("level", LEVELS),
        title=fields.text("title"),
        skills=fields.idents("skills") or _no_skills(fields),
        prompt=read_blocks(reader, fields, "prompt"),
        hints=fields.texts("hints"),
        solution=read_blocks(reader, fields, "solution"),
        answer=answer or "",
        kind=kind,
        problem=read_problem(reader, fields),
        choices=choices,
        variables=fields.variables(),
        source=reader.source(node),
    )


# --- quiz.yaml ------------------------------------------------------------------------------------

_ITEM_KEYS = ("id", "skills", "prompt", "kind", "answer", "choices", "hints", "solution", "problem", "variables")
_TEMPLATE_KEYS = ("id", "skills", "params", "prompt", "kind", "problem", "hints", "solution", "variables")


def read_quiz(reader: FileReader, node: Node) -> dict:
    fields = reader.fields(node, "quiz.yaml", ("items", "templates"))
    if fields is None:
        return {}
    items = _entries(reader, fields, "items", "quiz item", _ITEM_KEYS + ("params",), _item)
    templates = _entries(reader, fields, "templates", "template", _TEMPLATE_KEYS + ("answer", "choices"), _template)
    return {"items": items, "templates": templates}


def _item(reader: FileReader, fields: Fields, node: Node) -> QuizItem:
    if fields.has("params"):
        fields.error("params", "only templates have params; move this item under templates:")
    kind, answer, choices = _answer(reader, fields, required=True)
    return QuizItem(
        id=fields.ident(),
        skills=fields.idents("skills") or _no_skills(fields),
        prompt=fields.text("prompt"),
        kind=kind,
        answer=answer,
        hints=fields.texts("hints"),
        solution=fields.text("solution"),
        choices=choices,
        problem=read_problem(reader, fields),
        variables=fields.variables(),
        source=reader.source(node),
    )


def _template(reader: FileReader, fields: Fields, node: Node) -> Template:
    for key in ("answer", "choices"):
        if fields.has(key):
            fields.error(key, "a template has no fixed answer or choices: the engine computes each variant's answer")
    kind = fields.choice("kind", ANSWER_KINDS)
    if kind and kind not in ENGINE_KINDS:
        fields.error("kind", f"a template's answer is computed, so its kind is one of {', '.join(ENGINE_KINDS)}")
    problem = read_problem(reader, fields)
    if problem is None:
        fields.missing("problem")
    template = Template(
        id=fields.ident(),
        skills=fields.idents("skills") or _no_skills(fields),
        params=_params(reader, fields),
        prompt=fields.text("prompt"),
        kind=kind,
        problem=problem or {},
        hints=fields.texts("hints"),
        solution=fields.text("solution"),
        variables=fields.variables(),
        source=reader.source(node),
    )
    _check_placeholders(reader, template, _declared(fields))
    return template


def _no_skills(fields: Fields) -> tuple[str, ...]:
    fields.missing("skills")
    return ()


def _declared(fields: Fields) -> set[str]:
    """Every parameter name written, usable or not (so a bad range is not also 'not a parameter')."""
    node = fields.value("params")
    return {key.value for key, _ in node.value} if isinstance(node, MappingNode) else set()


def _params(reader: FileReader, fields: Fields) -> tuple[Param, ...]:
    node = fields.value("params")
    if node is None:
        fields.missing("params")
        return ()
    if not isinstance(node, MappingNode):
        fields.error("params", "expected a mapping: name: {range: [low, high]} or name: {choices: [...]}")
        return ()
    params = []
    for key, value in node.value:
        name = key.value
        if not re.match(r"[A-Za-z_][A-Za-z0-9_]{0,30}\Z", name) or name == ANSWER_PLACEHOLDER:
            reader.error(line_of(key), f"params: '{name}' is not a usable parameter name")
            continue
        param = _param(reader, name, value)
        if param is not None:
            params.append(param)
    return tuple(params)


def _param(reader: FileReader, name: str, node: Node) -> Param | None:
    spec = reader.fields(node, f"params: {name}", ("range", "exclude", "choices"))
    if spec is None:
        return None
    if spec.has("range") == spec.has("choices"):
        reader.error(spec.line, f"params: {name}: give either range: [low, high] or choices: [...]")
        return None
    if spec.has("choices"):
        if spec.has("exclude"):
            spec.error("exclude", "exclude goes with range, not choices")
        values = [scalar_text(child) for child in spec.sequence("choices", required=True)]
        if any(v is None for v in values):
            spec.error("choices", "each choice should be a number or text")
            return None
        return Param(name, choices=tuple(values)) if values else None
    bounds = [as_int(child) for child in spec.sequence("range")]
    if len(bounds) != 2 or None in bounds:
        spec.error("range", f"{name}: expected [low, high], two whole numbers")
        return None
    low, high = bounds
    if low > high:
        spec.error("range", f"{name}: low {low} is greater than high {high}")
        return None
    if high - low + 1 > MAX_PARAM_VALUES:
        spec.error("range", f"{name}: at most {MAX_PARAM_VALUES} values")
        return None
    exclude = []
    for child in spec.sequence("exclude"):
        value = as_int(child)
        if value is None:
            reader.error(line_of(child), f"exclude: {name}: expected whole numbers")
            return None
        exclude.append(value)
    if all(v in exclude for v in range(low, high + 1)):
        spec.error("range", f"{name}: no values left in [{low}, {high}] after exclude")
        return None
    return Param(name, low=low, high=high, exclude=tuple(exclude))


def _check_placeholders(reader: FileReader, template: Template, names: set[str]) -> None:
    """Every ``{{name}}`` names a parameter ({{answer}} only in the solution); every parameter is used."""
    used: set[str] = set()
    places = [("prompt", template.prompt), ("solution", template.solution)]
    places += [(f"hints.{i}", hint) for i, hint in enumerate(template.hints)]
    places += [("problem", repr(template.problem))]
    for field, text in places:
        for name in placeholders(text):
            used.add(name)
            if name == ANSWER_PLACEHOLDER and field == "solution":
                continue
            if name not in names:
                where = "only in the solution" if name == ANSWER_PLACEHOLDER else "not a parameter"
                reader.error(template.source.at(field).line, f"{field.split('.')[0]}: {{{{{name}}}}} is {where}")
    for name in sorted(names - used):
        reader.error(template.source.at(f"params.{name}").line, f"params: '{name}' is never used")


def _no_duplicates(reader: FileReader, ids: list[tuple[str, int]], what: str) -> None:
    seen: dict[str, int] = {}
    for value, line in ids:
        if value in seen:
            reader.error(line, f"duplicate {what} id '{value}' (first at line {seen[value]})")
        else:
            seen[value] = line


__all__ = ["read_concept", "read_examples", "read_lesson", "read_practice", "read_quiz", "read_related"]
