"""Load a content folder into :class:`~tui_tutor.content.model.Course`, with every error located.

    content/                    the root (default: the course shipped with the package)
      related.yaml              optional: concepts known only by a summary
      <concept-id>/             one folder per concept, named after its id
        concept.yaml            required
        lesson.yaml             required
        examples.yaml practice.yaml quiz.yaml   optional

Safe YAML only (see :mod:`tui_tutor.content.yamlnodes`), sizes bounded, and the schema checked
with every problem collected as a :class:`ContentError` (``path:line: message``). No sympy here:
the app loads the course before sympy is ready. The maths — answers, maps, templates — is checked
by :mod:`tui_tutor.content.check` through the engine.
"""

from __future__ import annotations

from pathlib import Path

from tui_tutor.content import readers
from tui_tutor.content.errors import ContentError, ContentLoadError
from tui_tutor.content.model import Concept, Course, RelatedConcept
from tui_tutor.content.schema import FileReader
from tui_tutor.content.yamlnodes import display_path, read_yaml

CONCEPT_FILE = "concept.yaml"
RELATED_FILE = "related.yaml"
OPTIONAL_FILES = ("lesson.yaml", "examples.yaml", "practice.yaml", "quiz.yaml")
REQUIRED_FILES = (CONCEPT_FILE, "lesson.yaml")
MAX_CONCEPTS = 200


def load_course(root: str | Path | None = None, *, strict: bool = False) -> Course:
    """The course under ``root`` (default: the shipped course).

    Entries with problems are left out and the problems listed in ``course.problems``; with
    ``strict`` any problem raises :class:`ContentLoadError`. It is raised too when the folder does
    not exist or holds no usable concept, since there is then nothing to teach.
    """
    course, errors = read_course(root)
    if errors and (strict or not course.concepts):
        raise ContentLoadError(errors)
    if not course.concepts:
        raise ContentLoadError([ContentError(course.root, None, "no concept folders (each needs a concept.yaml)")])
    course.problems.extend(str(e) for e in errors)
    return course


def read_course(root: str | Path | None = None) -> tuple[Course, list[ContentError]]:
    """The course under ``root`` and every problem found while reading it (the loader's checks only)."""
    if root is None:
        from tui_tutor.paths import shipped_content_dir

        root = shipped_content_dir()
    root = Path(root)
    shown = root.name or str(root)
    errors: list[ContentError] = []
    if not root.is_dir():
        return Course((), root=str(root)), [ContentError(shown, None, "no such folder")]

    related: tuple[RelatedConcept, ...] = ()
    related_path = root / RELATED_FILE
    if related_path.exists() or related_path.is_symlink():
        node, reader = _compose(related_path, root, errors)
        if node is not None:
            related = readers.read_related(reader, node)

    concepts = []
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    inside = root.resolve()
    for folder in folders:
        if folder.is_symlink() and inside not in folder.resolve().parents:
            errors.append(ContentError(display_path(folder, root), None,
                                       "is a link to a folder outside the content folder; it was not read"))
    folders = [f for f in folders if not f.is_symlink() or inside in f.resolve().parents]
    for folder in folders[:MAX_CONCEPTS]:
        concept = _read_concept(folder, root, errors)
        if concept is not None:
            concepts.append(concept)
    if len(folders) > MAX_CONCEPTS:
        errors.append(ContentError(shown, None, f"more than {MAX_CONCEPTS} concept folders"))
    for path in sorted(root.glob("*.y*ml")):
        if path.name != RELATED_FILE:
            errors.append(ContentError(display_path(path, root), None, f"unknown file; the root holds only {RELATED_FILE} and concept folders"))

    course = Course(tuple(concepts), related, root=str(root))
    _cross_check(course, errors)
    errors.sort(key=ContentError.sort_key)
    return course, errors


def _compose(path: Path, root: Path, errors: list[ContentError]):
    reader = FileReader(display_path(path, root), errors)
    node, problems = read_yaml(path, root)
    for problem in problems:
        reader.error(problem.line, problem.message)
    return node, reader


def _read_concept(folder: Path, root: Path, errors: list[ContentError]) -> Concept | None:
    """One concept folder; None when it has no usable concept.yaml."""
    shown = display_path(folder, root)
    # Every entry by name, whatever it is: a FIFO or a link to /dev/zero named quiz.yaml is a
    # course file that cannot be read (said when it is read), not a file that is silently absent.
    files = {p.name for p in folder.iterdir() if p.is_file() or p.is_symlink() or not p.is_dir()}
    yaml_files = {name for name in files if name.endswith((".yaml", ".yml"))}
    if CONCEPT_FILE not in files:
        if yaml_files:
            errors.append(ContentError(shown, None, f"a concept folder needs a {CONCEPT_FILE}"))
        return None  # a folder with no YAML at all (say, images) is not a concept
    for name in sorted(yaml_files - {CONCEPT_FILE, *OPTIONAL_FILES}):
        expected = ", ".join((CONCEPT_FILE, *OPTIONAL_FILES))
        errors.append(ContentError(f"{shown}/{name}", None, f"unknown file; a concept folder holds {expected}"))
    for name in REQUIRED_FILES:
        if name not in files:
            errors.append(ContentError(f"{shown}/{name}", None, "missing: every concept needs one"))

    node, reader = _compose(folder / CONCEPT_FILE, root, errors)
    if node is None:
        return None
    concept = readers.read_concept(reader, node, folder.name)
    if concept is None:
        return None
    parts: dict = {}
    for name, read in (("lesson.yaml", readers.read_lesson), ("examples.yaml", readers.read_examples),
                       ("practice.yaml", readers.read_practice), ("quiz.yaml", readers.read_quiz)):
        if name not in files:
            continue
        node, reader = _compose(folder / name, root, errors)
        if node is None:
            continue
        result = read(reader, node)
        if isinstance(result, dict):
            parts.update(result)
        else:
            parts[name.split(".")[0]] = result
    for key, value in parts.items():
        setattr(concept, key, value)
    return concept


def _cross_check(course: Course, errors: list[ContentError]) -> None:
    """What no single file can know: references between concepts, skills and ids."""
    known: dict[str, str] = {}
    for concept in course.concepts:
        known.setdefault(concept.id, str(concept.source))
    for related in course.related:
        if related.id in known:
            errors.append(_at(related.source, "id", f"'{related.id}' is also defined at {known[related.id]}"))
        known.setdefault(related.id, str(related.source))
    for concept in course.concepts:
        for key in ("prerequisites", "unlocks"):
            for index, ref in enumerate(getattr(concept, key)):
                if ref == concept.id:
                    errors.append(_at(concept.source, f"{key}.{index}", f"{key}: '{ref}' is this concept itself"))
                elif ref not in known:
                    errors.append(_at(concept.source, f"{key}.{index}",
                                      f"{key}: unknown concept '{ref}'; add a folder for it or an entry in {RELATED_FILE}"))
        _check_ids(concept, errors)
        _check_skills(concept, errors)


def _check_ids(concept: Concept, errors: list[ContentError]) -> None:
    """Quiz items, templates, practice and examples share one id space (progress is keyed on it)."""
    seen: dict[str, str] = {}
    entries = [*concept.items, *concept.templates, *concept.practice, *concept.examples]
    for entry in entries:
        if entry.id in seen:
            errors.append(_at(entry.source, "id", f"duplicate id '{entry.id}' (also at {seen[entry.id]})"))
        else:
            seen[entry.id] = str(entry.source)


def _check_skills(concept: Concept, errors: list[ContentError]) -> None:
    """Every skill an entry trains is the concept's; every mistake's section is one of the lesson's."""
    skills = {skill.id for skill in concept.skills}
    for entry in (*concept.items, *concept.templates, *concept.practice):
        for index, skill in enumerate(entry.skills):
            if skill not in skills:
                errors.append(_at(entry.source, f"skills.{index}",
                                  f"skills: '{skill}' is not a skill of {concept.id} (see the skills in {CONCEPT_FILE})"))
    sections = {section.id for section in concept.sections}
    for mistake in concept.mistakes:
        if mistake.section and mistake.section not in sections:
            errors.append(_at(mistake.source, "section",
                              f"section: '{mistake.section}' is not a section of the lesson (its sections: "
                              f"{', '.join(s.id for s in concept.sections) or 'none'})"))


def _at(source, field: str, message: str) -> ContentError:
    where = source.at(field)
    return ContentError(where.path, where.line, message)


__all__ = ["ContentError", "ContentLoadError", "load_course", "read_course"]
