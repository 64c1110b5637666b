"""Engine-computed lesson blocks: a Jacobian, a shape table or an expression from a block's maps.

The lesson never stores a computed matrix: it stores the maps and asks the engine, so what the
learner sees cannot disagree with what the grader computes. Called through the worker process.
"""

from __future__ import annotations

from typing import Sequence

from tui_tutor.engine.chain import Chain
from tui_tutor.engine.parse import parse, parse_point
from tui_tutor.engine.render import shape_product_text, shape_text
from tui_tutor.engine.results import MatrixView, ShapeRowView
from tui_tutor.engine.texprint import entries_tex, tex


def jacobian_view(
    maps: Sequence[str],
    *,
    layer: int | None = None,
    composite: bool = False,
    at: Sequence[object] | None = None,
    label: str | None = None,
) -> MatrixView:
    """One layer's Jacobian (``layer`` is 1-based) or the composite, symbolic or at a point.

    ``label`` (LaTeX, as the lesson writes it) replaces the default ``Dg(\\mathbf{x})``."""
    point = parse_point(",".join(str(v) for v in at)) if at else None
    chain = Chain.from_texts(list(maps), input_dim=len(point) if point else None)
    if composite or layer is None:
        matrix = chain.composite_jacobian() if point is None else chain.composite_jacobian_at(point)
        default = "Dh(\\mathbf{x})" if chain.depth > 1 else f"D{chain.names[0]}(\\mathbf{{x}})"
    else:
        k = layer - 1
        if not 0 <= k < chain.depth:
            raise ValueError(f"layer must be 1 to {chain.depth}, not {layer}")
        matrix = chain.jacobian(k) if point is None else chain.jacobians_at(point)[k]
        default = f"D{chain.names[k]}(\\mathbf{{{chain.letters[k]}}})"
    return MatrixView(label or default, matrix.rows, matrix.cols, entries_tex(matrix, numeric=point is not None))


def shape_rows(maps: Sequence[str], *, ascii: bool = False) -> tuple[list[ShapeRowView], str]:
    """The shape table of a composition and its dimension check ``(1×2)(2×2) = (1×2)``."""
    chain = Chain.from_texts(list(maps))
    rows = [ShapeRowView(r.name, r.meaning, shape_text(r.rows, r.cols, ascii=ascii)) for r in chain.shape_rows(ascii=ascii)]
    return rows, shape_product_text(chain.shape_check(), ascii=ascii)


def expression_tex(text: str) -> str:
    """An expression in answer syntax, written in the course's LaTeX subset for the lesson to lay out."""
    return tex(parse(text).value)
