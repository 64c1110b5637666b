"""The course as plain dataclasses: what the YAML under ``content/`` is loaded into.

No sympy and no Textual here. Every object remembers the file and line it came from, so errors
found later (by ``tui-tutor check`` or at run time) can point at the YAML a teacher wrote.
The format itself is documented in ``docs/content-format.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

BLOCK_KINDS = (
    "text",  # prose with inline $math$
    "math",  # display math (LaTeX subset)
    "expr",  # an expression in the answer syntax, pretty-printed by sympy
    "list",  # bullet list of prose items
    "steps",  # numbered list of prose items
    "note",  # an insight / note box: {title?, text}
    "table",  # {header: [...], rows: [[...], ...]}; cells are prose with inline math
    "shape_table",  # {maps: [...]} computed by the engine; or {general: true} for n, m, p
    "jacobian",  # {maps: [...], layer: k | composite: true, at?: [...], label?}: computed
    "graph",  # {nodes: [x, u, y], edges: [Dg, Df], title?, under?}: x →(Dg)→ u →(Df)→ y
)

ANSWER_KINDS = ("scalar", "vector", "matrix", "shape", "choice")
LEVELS = ("easy", "medium", "hard")


@dataclass(frozen=True)
class Source:
    """Where something was written: ``content/.../quiz.yaml:42``."""

    path: str
    line: int  # 1-based
    # Lines of the fields inside, by dotted path ("answer", "hints.1", "problem.maps.0"), so a
    # check can point at the exact line of the field that is wrong. Not part of equality.
    fields: Mapping[str, int] | None = field(default=None, compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def at(self, path: str) -> Source:
        """Where the field ``path`` was written (or its nearest enclosing field, or this object)."""
        fields = self.fields or {}
        while path:
            if path in fields:
                return replace(self, line=fields[path], fields=None)
            path = path.rpartition(".")[0]
        return replace(self, fields=None)


@dataclass(frozen=True)
class Block:
    """One piece of a section or step. ``data`` is a string for text/math/expr, else a dict/list."""

    kind: str
    data: Any
    source: Source | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]
    source: Source | None = None


@dataclass(frozen=True)
class Step:
    """A numbered step of a worked example."""

    title: str
    blocks: tuple[Block, ...]
    source: Source | None = None


@dataclass(frozen=True)
class WorkedExample:
    id: str
    title: str
    statement: tuple[Block, ...]
    steps: tuple[Step, ...]
    insight: str
    problem: dict | None = None  # maps, ask, at ... (see engine.problems)
    answer: str | None = None  # checked against the problem by ``tui-tutor check``
    kind: str = "matrix"
    variables: tuple[str, ...] = ()  # names the answer may use besides the problem's (see the format)
    source: Source | None = None


@dataclass(frozen=True)
class PracticeProblem:
    """A lesson practice problem. ``id`` is stable (its attempts are stored under it) and ``skills``
    are what its answers count for, as a quiz item's do."""

    id: str
    level: str  # easy | medium | hard
    title: str
    prompt: tuple[Block, ...]
    hints: tuple[str, ...]
    solution: tuple[Block, ...]
    answer: str
    kind: str
    problem: dict | None = None
    choices: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class QuizItem:
    """A question. ``id`` is stable: progress is keyed on it, so rewording keeps history."""

    id: str
    skills: tuple[str, ...]
    prompt: str  # prose with inline math
    kind: str  # scalar | vector | matrix | shape | choice
    answer: str | None  # None for a template variant until the engine computes it
    hints: tuple[str, ...] = ()  # tiered: gentle first
    solution: str = ""
    choices: tuple[str, ...] = ()
    problem: dict | None = None
    template: str | None = None  # the template id, for a variant
    seed: int | None = None  # the variant's seed
    variables: tuple[str, ...] = ()  # names the answer may use besides the problem's
    source: Source | None = None

    @property
    def key(self) -> str:
        """The id progress is stored under: the item id, or the template id for variants."""
        return self.template or self.id


@dataclass(frozen=True)
class Param:
    """A template parameter: integers in [low, high] except ``exclude``, or one of ``choices``."""

    name: str
    low: int | None = None
    high: int | None = None
    exclude: tuple[int, ...] = ()
    choices: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Template:
    """A quiz item with parameters; variants are made by :func:`tui_tutor.content.templates.instantiate`."""

    id: str
    skills: tuple[str, ...]
    params: tuple[Param, ...]
    prompt: str
    kind: str
    problem: dict
    hints: tuple[str, ...] = ()
    solution: str = ""
    variables: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Mistake:
    """A common mistake, tied to the grader's diagnosis code when there is one, and to the lesson
    section that explains the idea it misses (``section``, a section id) when one does."""

    title: str
    text: str
    diagnosis: str | None = None
    section: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Symbol:
    symbol: str  # LaTeX subset
    meaning: str
    source: Source | None = None


@dataclass(frozen=True)
class Skill:
    id: str
    title: str
    source: Source | None = None


@dataclass(frozen=True)
class RelatedConcept:
    """A concept outside this course, known only by a short summary."""

    id: str
    title: str
    summary: str
    summary_only: bool = True
    source: Source | None = None


@dataclass
class Concept:
    id: str
    title: str
    summary: str
    difficulty: int
    prerequisites: tuple[str, ...]
    unlocks: tuple[str, ...]
    symbols: tuple[Symbol, ...]
    skills: tuple[Skill, ...]
    mastery_threshold: float = 0.8
    sections: tuple[Section, ...] = ()
    takeaways: tuple[str, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    examples: tuple[WorkedExample, ...] = ()
    practice: tuple[PracticeProblem, ...] = ()
    items: tuple[QuizItem, ...] = ()
    templates: tuple[Template, ...] = ()
    folder: str = ""
    source: Source | None = None  # concept.yaml
    lesson_source: Source | None = None  # lesson.yaml (where the takeaways are)

    def skill_title(self, skill_id: str) -> str:
        for skill in self.skills:
            if skill.id == skill_id:
                return skill.title
        return skill_id


@dataclass
class Course:
    concepts: tuple[Concept, ...]
    related: tuple[RelatedConcept, ...] = ()
    root: str = ""
    problems: list[str] = field(default_factory=list)  # load warnings that did not stop loading

    def concept(self, concept_id: str | None = None) -> Concept:
        """A concept by id, or the first one."""
        if concept_id is None:
            return self.concepts[0]
        for concept in self.concepts:
            if concept.id == concept_id:
                return concept
        raise KeyError(concept_id)

    def describe(self, concept_id: str) -> RelatedConcept | None:
        """Title and summary of a prerequisite or unlocked concept."""
        for related in self.related:
            if related.id == concept_id:
                return related
        for concept in self.concepts:
            if concept.id == concept_id:
                return RelatedConcept(concept.id, concept.title, concept.summary, summary_only=False)
        return None
