"""The loader: safe YAML, schema errors named by file and line, every error collected, no sympy."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.content.helpers import CONCEPT, FIXTURES, VALID, line_of, where
from tui_tutor.content.errors import ContentError, ContentLoadError
from tui_tutor.content.loader import load_course, read_course
from tui_tutor.content.yamlnodes import MAX_FILE_BYTES, MAX_LIST, MAX_STRING

QUIZ = f"{CONCEPT}/quiz.yaml"
BROKEN = FIXTURES / "broken"


def messages(root) -> list[str]:
    return [str(e) for e in read_course(root)[1]]


# --- the valid pack -------------------------------------------------------------------------------


def test_valid_pack_loads_without_problems():
    course, errors = read_course(VALID)
    assert errors == []
    concept = course.concept()
    assert concept.id == CONCEPT and concept.prerequisites == ("gradients",)
    assert [s.id for s in concept.sections] == ["tldr"]
    assert len(concept.items) == 4 and len(concept.templates) == 1
    assert course.describe("backpropagation").summary_only


def test_blocks_are_plain_data_the_screens_can_draw():
    blocks = {b.kind: b.data for b in load_course(VALID).concept().sections[0].blocks}
    assert blocks["note"] == {"text": "A note without a title."}  # the last note of that kind wins here
    assert blocks["graph"]["under"] == ["input", "middle", "output"]
    assert blocks["jacobian"] == {"maps": ["x1^2 + x2, x1*x2", "u1 + u2^2"], "composite": True, "at": ["1", "2"]}
    assert blocks["table"]["rows"][1] == ["$Dg$", r"$m \times n$"]


def test_points_keep_the_number_as_written():
    item = next(i for i in load_course(VALID).concept().items if i.id == "composite-at-point")
    assert item.problem == {"maps": ["x1^2 + x2, x1*x2", "u1 + u2^2"], "ask": "jacobian", "at": ["1", "2"]}


def test_every_entry_knows_its_file_and_line():
    concept = load_course(VALID).concept()
    quiz = VALID / QUIZ
    item = next(i for i in concept.items if i.id == "composite-at-point")
    assert str(item.source) == f"valid/{QUIZ}:{line_of(quiz, 'id: composite-at-point')}"
    assert item.source.at("answer").line == line_of(quiz, "answer: '[10, 5]'")
    assert item.source.at("problem.maps.0").line == line_of(quiz, "problem: {maps: ['x1^2 + x2", 1)
    template = concept.templates[0]
    assert template.source.at("params.b").line == line_of(quiz, "b: {range: [-3, 3]")
    assert concept.mistakes[0].source.at("diagnosis").line == line_of(VALID / CONCEPT / "lesson.yaml", "diagnosis: wrong_order")


def test_loading_does_not_import_sympy():
    code = textwrap.dedent(f"""
        import sys
        from tui_tutor.content.loader import load_course
        from tui_tutor.content.templates import instantiate
        course = load_course({str(VALID)!r})
        instantiate(course.concept().templates[0], 3)
        assert "sympy" not in sys.modules, "the loader imported sympy"
    """)
    subprocess.run([sys.executable, "-c", code], check=True)


# --- broken fixtures: each message names the file and the line ------------------------------------


def test_yaml_syntax_error(pack):
    root = pack({QUIZ: BROKEN / "quiz-syntax-error.yaml"})
    line = line_of(root / QUIZ, "prompt: 'Unclosed quote")
    (error,) = read_course(root)[1]
    assert str(error) == f"{where(root, QUIZ)}:{line}: YAML syntax error: the quote that opens here is never closed"


def test_missing_field(pack):
    root = pack({QUIZ: BROKEN / "quiz-missing-answer.yaml"})
    line = line_of(root / QUIZ, "id: no-answer-here")
    assert messages(root) == [f"{where(root, QUIZ)}:{line}: quiz item has no 'answer'"]


def test_python_tag_is_an_error_and_runs_nothing(pack, tmp_path):
    marker = tmp_path / "pwned"
    root = pack({QUIZ: textwrap.dedent(f"""\
        items:
          - id: evil
            skills: [shapes]
            prompt: !!python/object/apply:os.system ['touch {marker}']
            kind: shape
            answer: 1x2
            solution: none
        templates: !!python/name:os.system
        """)})
    errors = messages(root)
    assert errors == [
        f"{where(root, QUIZ)}:4: tag !!python/object/apply:os.system is not allowed: content is plain data",
        f"{where(root, QUIZ)}:8: tag !!python/name:os.system is not allowed: content is plain data",
    ]
    with pytest.raises(ContentLoadError):
        load_course(root, strict=True)
    assert not marker.exists()


def test_unknown_prerequisite_and_unlock(pack):
    concept_yaml = (VALID / CONCEPT / "concept.yaml").read_text()
    text = concept_yaml.replace("prerequisites: [gradients]", "prerequisites:\n  - gradients\n  - linear-algebra")
    root = pack({f"{CONCEPT}/concept.yaml": text.replace("unlocks: [backpropagation]", "unlocks: [backprop]")})
    path = root / CONCEPT / "concept.yaml"
    assert messages(root) == [
        f"{where(root, CONCEPT)}/concept.yaml:{line_of(path, '- linear-algebra')}: prerequisites: unknown concept "
        "'linear-algebra'; add a folder for it or an entry in related.yaml",
        f"{where(root, CONCEPT)}/concept.yaml:{line_of(path, 'unlocks:')}: unlocks: unknown concept 'backprop'; "
        "add a folder for it or an entry in related.yaml",
    ]


def test_practice_problems_train_skills_of_the_concept(pack):
    practice = f"{CONCEPT}/practice.yaml"
    text = (VALID / practice).read_text()
    root = pack({practice: text.replace("    skills: [chain-product]\n", "")})
    line = line_of(root / practice, "id: practice-composite")
    assert messages(root) == [f"{where(root, practice)}:{line}: practice problem has no 'skills'"]
    root = pack({practice: text.replace("skills: [chain-product]", "skills: [chain-product, shapez]")})
    line = line_of(root / practice, "skills: [chain-product, shapez]")
    assert messages(root) == [
        f"{where(root, practice)}:{line}: skills: 'shapez' is not a skill of {CONCEPT} (see the skills in concept.yaml)"
    ]
    course = load_course(VALID, strict=True)
    assert course.concept().practice[0].skills == ("chain-product",)


def test_a_mistake_points_at_a_section_of_the_lesson(pack):
    lesson = f"{CONCEPT}/lesson.yaml"
    root = pack({lesson: (VALID / lesson).read_text().replace("section: tldr", "section: tl-dr")})
    line = line_of(root / lesson, "section: tl-dr")
    assert messages(root) == [f"{where(root, lesson)}:{line}: section: 'tl-dr' is not a section of the lesson (its sections: tldr)"]
    [mistake, *_] = load_course(VALID, strict=True).concept().mistakes
    assert (mistake.diagnosis, mistake.section) == ("wrong_order", "tldr")


def test_bad_template_ranges(pack):
    root = pack({QUIZ: BROKEN / "quiz-bad-ranges.yaml"})
    quiz = root / QUIZ
    found = {(e.line, e.message) for e in read_course(root)[1]}
    assert found == {
        (line_of(quiz, "a: {range: [5, 1]}"), "range: a: low 5 is greater than high 1"),
        (line_of(quiz, "b: {range: [0.5, 3]}"), "range: b: expected [low, high], two whole numbers"),
        (line_of(quiz, "c: {range: [0, 1], exclude: [0, 1]}"), "range: c: no values left in [0, 1] after exclude"),
        (line_of(quiz, "d: {range: [1, 3], choices"), "params: d: give either range: [low, high] or choices: [...]"),
        (line_of(quiz, "unused: {range: [1, 2]}"), "params: 'unused' is never used"),
        (line_of(quiz, "{{nope}}"), "prompt: {{nope}} is not a parameter"),
    }


def test_every_error_is_collected_not_just_the_first(pack):
    root = pack({QUIZ: BROKEN / "quiz-many-errors.yaml"})
    quiz = root / QUIZ
    found = [(e.line, e.message) for e in read_course(root)[1]]
    assert found == [  # sorted by line
        (line_of(quiz, "id: typo-in-key"), "quiz item has no 'answer'"),
        (line_of(quiz, "answr:"), "quiz item: unknown key 'answr'; did you mean 'answer'?"),
        (line_of(quiz, "kind: matrx"), "kind: 'matrx' is not one of scalar, vector, matrix, shape, choice; did you mean 'matrix'?"),
        (line_of(quiz, "answer: e"), "answer: 'e' is not a choice: use a letter from a to b"),
        (line_of(quiz, "skills: [nonexistent]"), "skills: 'nonexistent' is not a skill of mini-chain (see the skills in concept.yaml)"),
        (line_of(quiz, "id: shape-of-composite", 2), "duplicate id 'shape-of-composite' (also at "
                                                      f"{where(root, QUIZ)}:{line_of(quiz, 'id: shape-of-composite')})"),
    ]


def test_bad_entries_are_left_out_and_listed(pack):
    root = pack({QUIZ: BROKEN / "quiz-many-errors.yaml"})
    course = load_course(root)  # lenient: the app still gets the good items
    # An unknown skill is reported but does not make the item unusable; a duplicate id neither.
    assert [i.id for i in course.concept().items] == ["wrong-skill", "shape-of-composite", "shape-of-composite"]
    assert len(course.problems) == 6 and course.problems[0].startswith(where(root, QUIZ))
    with pytest.raises(ContentLoadError, match="6 problem"):
        load_course(root, strict=True)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("items:\n\t- id: x\n", 2, "YAML syntax error: a tab in the indentation; indent with spaces"),
        ("items:\n  - id: a\n    prompt: see: this\n", 3, "YAML syntax error: unexpected ': '; put text that contains ': ' in quotes"),
        ("templates:\n  - problem: {at: [{{c}}, 1]}\n", 2, "a key must be a plain word; put text such as {{a}} in quotes"),
        ("items: &a [1]\ntemplates: *a\n", 1, "anchors and aliases (&name, *name) are not supported; write the value out"),
        ("items: []\nitems: []\n", 2, "duplicate key 'items'"),
        ("items:\n  - prompt: `x`\n", 2, "YAML syntax error: a value cannot start with '`'; put this text in quotes"),
        ("items: !custom [1]\n", 1, "tag !custom is not allowed: content is plain data"),
        ("", 1, "the file is empty"),
        ("- just\n- a list\n", 1, "quiz.yaml should be a mapping of 'key: value' lines"),
    ],
)
def test_yaml_problems_name_the_line(pack, text, line, message):
    root = pack({QUIZ: text})
    errors = read_course(root)[1]
    assert errors and (errors[0].line, errors[0].message) == (line, message)


def test_sizes_are_bounded(pack):
    long_text = "x" * (MAX_STRING + 1)
    many = ", ".join(["a"] * (MAX_LIST + 1))
    deep = "items: " + "[" * 40 + "]" * 40
    assert messages(pack({QUIZ: f"items:\n  - id: a\n    prompt: '{long_text}'\n"}))[0].endswith(
        f"quiz.yaml:3: text is too long ({MAX_STRING + 1} characters; the limit is {MAX_STRING})")
    assert messages(pack({QUIZ: f"items: [{many}]\n"}))[0].endswith(
        f"quiz.yaml:1: list has {MAX_LIST + 1} entries; the limit is {MAX_LIST}")
    assert "nested too deeply" in messages(pack({QUIZ: deep}))[0]
    big = pack({QUIZ: "# " + "x" * MAX_FILE_BYTES})
    assert messages(big) == [f"{where(big, QUIZ)}: file is too large ({MAX_FILE_BYTES + 2} bytes; the limit is {MAX_FILE_BYTES})"]


def test_billion_laughs_is_refused_quickly(pack):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 9)]
    root = pack({QUIZ: "\n".join(lines) + "\n"})
    assert "anchors and aliases" in messages(root)[0]


def test_folders_and_files(pack, tmp_path):
    root = pack({f"{CONCEPT}/lesson.yaml": None, f"{CONCEPT}/quizz.yaml": "items: []\n", "stray/notes.yaml": "a: 1\n"})
    assert messages(root) == [
        f"{where(root, CONCEPT)}/lesson.yaml: missing: every concept needs one",
        f"{where(root, CONCEPT)}/quizz.yaml: unknown file; a concept folder holds concept.yaml, lesson.yaml, "
        "examples.yaml, practice.yaml, quiz.yaml",
        f"{where(root, 'stray')}: a concept folder needs a concept.yaml",
    ]
    course, errors = read_course(tmp_path / "absent")
    assert course.concepts == () and [e.message for e in errors] == ["no such folder"]
    with pytest.raises(ContentLoadError):
        load_course(tmp_path / "absent")


def test_concept_id_matches_its_folder(pack):
    text = (VALID / CONCEPT / "concept.yaml").read_text().replace("id: mini-chain", "id: other")
    root = pack({f"{CONCEPT}/concept.yaml": text})
    assert messages(root) == [f"{where(root, CONCEPT)}/concept.yaml:1: id: 'other' should match its folder name 'mini-chain'"]


def test_content_error_format():
    error = ContentError("content/multivariable-chain-rule/quiz.yaml", 42, "answer: unknown name 'q'")
    assert str(error) == "content/multivariable-chain-rule/quiz.yaml:42: answer: unknown name 'q'"
    assert error.to_dict() == {"file": "content/multivariable-chain-rule/quiz.yaml", "line": 42, "message": "answer: unknown name 'q'"}
    assert str(ContentError("content/x", None, "no such folder")) == "content/x: no such folder"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}'\"!&*|>\n #%@`\t0123456789.x")), max_size=120))
def test_arbitrary_text_never_raises(pack, text):
    root = pack({QUIZ: text})
    course, errors = read_course(root)  # must return, never raise
    assert all(isinstance(e, ContentError) for e in errors)
