"""The scratchpad's one engine call: the solution and the player's model for what was typed.

Errors come back as data (:class:`InputProblem`, naming the field and column) rather than being
raised: a raised ParseError would be unpickled in the app, importing the parser and with it sympy,
which the app process must never load. One call per change of the inputs; the app animates the
player from the returned model without asking again.
"""

from __future__ import annotations

import logging
import re
from typing import Sequence

from tui_tutor.engine import layers as naming
from tui_tutor.engine.chain import Chain, ChainError
from tui_tutor.engine.parse import ParseError, parse_point
from tui_tutor.engine.perturb import perturbation_model
from tui_tutor.engine.player_results import InputProblem, ScratchResult
from tui_tutor.engine.service import solve
from tui_tutor.engine.shapes import parse_entry

log = logging.getLogger(__name__)

DEFAULT_STEP = "0.1"  # the default Δx is 0.1 along x1: small enough to look linear, big enough to see
_MAP_PREFIX = re.compile(r"^map (\d+) \(")  # how Chain names the layer an error belongs to


def work(
    maps: Sequence[str],
    at: str = "",
    dx: str = "",
    *,
    entry: str = "",
    seed: str = "",
    ascii: bool = False,
) -> ScratchResult:
    """Work the scratchpad's fields: ``maps`` are the map fields in order (empty ones allowed at
    the end), ``at``, ``dx``, ``entry`` ("i,j") and ``seed`` are the texts of their fields.

    Never raises for anything a person can type: the problem is returned with its field.
    """
    try:
        return _work(list(maps), at.strip(), dx.strip(), entry.strip(), seed.strip(), ascii)
    except _Problem as err:
        return ScratchResult(problem=err.problem)
    except ParseError as err:
        return ScratchResult(problem=InputProblem(_field_of(err.reason), str(err), err.column))
    except (ChainError, ValueError, ArithmeticError) as err:
        return ScratchResult(problem=InputProblem(_field_of(str(err)), str(err)))
    except MemoryError:
        raise  # the engine's process stops the computation and says how much memory it may use
    except Exception as err:  # noqa: BLE001 - a bug must not reach the learner as a traceback
        log.exception("scratchpad computation failed")
        return ScratchResult(problem=InputProblem(None, f"could not work this out ({type(err).__name__}: {err})"))


def _work(maps: list[str], at: str, dx: str, entry: str, seed: str, ascii: bool) -> ScratchResult:
    texts = _map_texts(maps)
    point = _field("at", lambda: parse_point(at)) if at else None
    chain = Chain.from_texts(texts, input_dim=len(point) if point else None)
    notes = []
    entry_ij = _field("entry", lambda: _entry(entry, chain)) if entry else (1, 1)
    if not entry:
        notes.append("path tracing shows entry (1, 1); type another in 'entry'")
    seed_vec = _field("seed", lambda: parse_point(seed)) if seed else None
    if seed_vec is not None and len(seed_vec) != chain.output_dim:
        raise _Problem("seed", f"the output gradient (seed) needs {chain.output_dim} entries, not {len(seed_vec)}")
    if point is None:
        notes.append("give a point in 'at' to see numbers and play the perturbation")
        solution = solve(texts, None, None, entry=entry_ij, ascii=ascii)
        return ScratchResult(solution=solution, notes=tuple(notes), entry=entry_ij)
    dx_default = not dx
    if dx_default:
        dx = ",".join([DEFAULT_STEP] + ["0"] * (chain.input_dim - 1))
    step = _field("dx", lambda: parse_point(dx))
    if len(step) != chain.input_dim:
        raise _Problem("dx", f"Δx has {len(step)} coordinate{'s' if len(step) != 1 else ''} but x has {chain.input_dim}")
    pulled = seed_vec
    if pulled is None and not chain.is_scalar:
        pulled = [1] + [0] * (chain.output_dim - 1)  # pull back e1 (ℓ = y1) so reverse mode has a gradient
        notes.append("the pullback starts from e1 (ℓ = y1); type another output gradient in 'seed'")
    try:
        solution = solve(texts, point, step, entry=entry_ij, seed=pulled, ascii=ascii)
        player = perturbation_model(chain, point, step, seed_vec)
    except ChainError as err:  # the fields were checked above, so this is about the point itself
        if "paths" in str(err):
            raise _Problem("entry", str(err)) from None
        raise _Problem("at", f"at this point: {err}") from None
    return ScratchResult(solution=solution, player=player, notes=tuple(notes), dx_default=dx_default, entry=entry_ij)


class _Problem(Exception):
    def __init__(self, field: str, message: str, column: int | None = None):
        super().__init__(message)
        self.problem = InputProblem(field, message, column)


def _field(name: str, parse):
    """Run a parse for one field, so its errors name that field."""
    try:
        return parse()
    except (ParseError, ChainError) as err:
        raise _Problem(name, str(err), getattr(err, "column", None)) from None


def _map_texts(maps: list[str]) -> list[str]:
    while maps and not maps[-1].strip():
        maps.pop()
    if not maps:
        raise _Problem("map1", "type the first map, e.g. x1^2 + x2, x1*x2")
    for k, text in enumerate(maps):
        if not text.strip():
            raise _Problem(f"map{k + 1}", f"map {k + 1} is empty; the maps go innermost first with no gaps")
    if len(maps) > naming.MAX_LAYERS:
        raise _Problem(f"map{naming.MAX_LAYERS + 1}", f"at most {naming.MAX_LAYERS} maps")
    return maps


def _entry(text: str, chain: Chain) -> tuple[int, int]:
    i, j = parse_entry(text)  # ParseError, with a column, for anything but two small whole numbers
    if not (1 <= i <= chain.output_dim and 1 <= j <= chain.input_dim):
        raise ChainError(f"entry ({i}, {j}) is outside the {chain.output_dim}×{chain.input_dim} Jacobian")
    return i, j


def _field_of(message: str) -> str | None:
    match = _MAP_PREFIX.match(message)
    return f"map{match.group(1)}" if match else None


__all__ = ["work"]
