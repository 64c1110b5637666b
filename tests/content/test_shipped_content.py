"""The course that ships: ``tui-tutor check`` passes, and everything in it renders, ASCII included.

Runs against whatever is in ``content/`` (the course is written alongside the code).
"""

from __future__ import annotations

import pytest

from tui_tutor import cli
from tui_tutor.content.loader import load_course
from tui_tutor.engine.report import matrix_block
from tui_tutor.mathtext import render_display, render_inline, render_prose
from tui_tutor.mathtext.fit import fit_display
from tui_tutor.content.model import Block
from tui_tutor.content.templates import instantiate, solved_variant
from tui_tutor.content.walk import concept_blocks, course_texts, item_texts
from tui_tutor.engine.render import table_lines
from tui_tutor.engine.worker import shared_worker
from tui_tutor.paths import shipped_content_dir

pytestmark = pytest.mark.skipif(not any(shipped_content_dir().glob("*/concept.yaml")), reason="no shipped course yet")

RENDER_SEEDS = 5  # variants per template drawn here (check tries 20 for correctness)


@pytest.fixture(scope="module")
def course():
    return load_course(strict=True)


def test_check_passes_on_the_shipped_content(capsys):
    code = cli.main(["check"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith("OK:")


def _engine(name: str, *args, **kwargs):
    return shared_worker().call(name, *args, bound=30, **kwargs)


def render_block(block: Block, ascii: bool) -> list[str]:
    """A block as the lesson screen draws it: mathtext for what the course states, the engine
    for what it computes."""
    kind, data = block.kind, block.data
    if kind == "text":
        return [render_prose(data, ascii=ascii)]
    if kind == "math":
        return list(render_display(data, ascii=ascii).lines)
    if kind in ("list", "steps"):
        return [render_prose(item, ascii=ascii) for item in data]
    if kind == "note":
        return [render_prose(data.get("title", ""), ascii=ascii), render_prose(data["text"], ascii=ascii)]
    if kind == "table":
        header = [render_prose(h, ascii=ascii) for h in data["header"]]
        rows = [[render_prose(c, ascii=ascii) for c in row] for row in data["rows"]]
        return table_lines(header, rows, ascii=ascii)
    if kind == "graph":
        return [render_inline(n, ascii=ascii) for n in data["nodes"] + data["edges"]] + [
            render_prose(t, ascii=ascii) for t in (*data.get("under", ()), data.get("title", ""))
        ]
    if kind == "shape_table" and data.get("general"):
        from tui_tutor.widgets.blocks import GENERAL_SHAPES  # the lesson's static n, m, p table

        rows = [[render_inline(name, ascii=ascii), meaning, f"{r}x{c}"] for name, meaning, (r, c) in GENERAL_SHAPES]
        return table_lines(["object", "meaning", "shape"], rows, ascii=ascii)
    if kind == "shape_table":
        rows, check = _engine("blocks.shape_rows", list(data["maps"]), ascii=ascii)
        return table_lines(["object", "meaning", "shape"], [[r.name, r.meaning, r.shape] for r in rows], ascii=ascii) + [check]
    if kind == "jacobian":
        view = _engine("blocks.jacobian_view", list(data["maps"]), layer=data.get("layer"),
                       composite=bool(data.get("composite")), at=data.get("at"), label=data.get("label"))
        return list(matrix_block(view, 76, ascii=ascii, heading=True).lines)
    if kind == "expr":
        return list(fit_display(_engine("blocks.expression_tex", data), 76, ascii=ascii).lines)
    raise AssertionError(f"unknown block kind {kind}")


def non_ascii(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.isascii()]


@pytest.mark.parametrize("ascii", [False, True], ids=["unicode", "ascii"])
def test_every_block_renders(course, ascii):
    rendered = 0
    for concept in course.concepts:
        for block in concept_blocks(concept):
            lines = render_block(block, ascii)
            assert any(line.strip() for line in lines), f"{block.source}: {block.kind} rendered as nothing"
            if ascii:
                assert non_ascii(lines) == [], f"{block.source}: {block.kind} is not pure ASCII"
            rendered += 1
    assert rendered > 0


@pytest.mark.parametrize("ascii", [False, True], ids=["unicode", "ascii"])
def test_every_text_renders(course, ascii):
    for text in course_texts(course):
        lines = list(render_display(text.text, ascii=ascii).lines) if text.formula else [render_prose(text.text, ascii=ascii)]
        if text.formula:
            lines.append(render_inline(text.text, ascii=ascii))
        assert any(line.strip() for line in lines), f"{text.where}: {text.label} rendered as nothing"
        if ascii:
            assert non_ascii(lines) == [], f"{text.where}: {text.label} is not pure ASCII: {non_ascii(lines)}"


def test_every_template_variant_renders_in_ascii(course):
    for concept in course.concepts:
        for template in concept.templates:
            for seed in range(RENDER_SEEDS):
                item = solved_variant(instantiate(template, seed), timeout=30)
                for text in item_texts(item):
                    line = render_prose(text.text, ascii=True)
                    assert line.strip() and line.isascii(), f"{template.source} seed {seed}: {text.label}: {line!r}"


def test_the_course_covers_what_issue_3_asks(course):
    concept = course.concept("multivariable-chain-rule")
    assert len(concept.items) >= 40 and len(concept.templates) >= 12
    assert any(item.kind == "choice" for item in concept.items)
    used = {skill for entry in (*concept.items, *concept.templates) for skill in entry.skills}
    assert {skill.id for skill in concept.skills} <= used, "every skill has questions"
    assert len(concept.examples) >= 3 and {p.level for p in concept.practice} == {"easy", "medium", "hard"}
    assert any(m.diagnosis for m in concept.mistakes) and concept.takeaways
    for ref in (*concept.prerequisites, *concept.unlocks):
        described = course.describe(ref)
        assert described is not None and described.summary_only and described.summary
