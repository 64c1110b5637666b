"""What the perturbation player draws at clock time t: pure geometry, no widgets.

The timeline, forward mode (one second a stage): Δx grows at x0, then Δu = Dg Δx grows in u
beside the true image g(x0 + sΔx), and so on to y; then, for two seconds, the circle of
perturbations is swept round in x while its true image and its linear image (an ellipse) are
traced in every other space. Reverse mode: the output gradient appears, then is pulled back one
space a second through the transposes; in the last second Δx joins ∇ₓℓ in x, for ∇ₓℓ·Δx = Δℓ.

Everything here is a function of (model, mode, t, zoom, projection, canvas size), so a frame can
be tested without a screen, and the widget redraws only when its frame changes.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from tui_tutor.engine.notation import notation
from tui_tutor.engine.player_results import PlayerModel, SpaceTrack
from tui_tutor.engine.render import format_number

CIRCLE_SECONDS = 2.0  # the circle sweep is slower than an arrow: it has a whole loop to trace
IDENTITY_SECONDS = 1.0
CELL_ASPECT = 2.0  # a terminal cell is about twice as tall as it is wide
MARGIN = 1.25  # room around the drawing, so arrow heads are not on the frame
# On a 1-D line (y from -1 to 1) each kind of mark gets its own row, so none hides another:
# linear above the line, true below it, the circle's images further out.
ROW_LINEAR, ROW_TRUE, ROW_ELLIPSE, ROW_TRUE_CIRCLE = 0.3, -0.3, 0.7, -0.7

# Colours (plotext names) and markers. Linear things are fine lines, true images are dots, so the
# two stay distinguishable without colour (NO_COLOR) and in ASCII.
LINEAR, TRUE, CIRCLE, GRADIENT, BASE = "cyan+", "orange+", "gray", "magenta+", "default"
_HEADS = {False: "→↗↑↖←↙↓↘", True: ">/^\\<\\v/"}
_MARKERS = {
    False: {"linear": "braille", "true": "dot", "circle": "braille", "gradient": "hd", "base": "+", "sweep": "●", "end": "●"},
    True: {"linear": "*", "true": "o", "circle": ".", "gradient": "#", "base": "+", "sweep": "@", "end": "@"},
}
# On a 1-D line, shafts use whole-cell characters so they sit on the same row as their heads.
_LINE_SHAFTS = {False: {"arrow": "─", "gradient": "━"}, True: {"arrow": "-", "gradient": "="}}


@dataclass(frozen=True)
class Series:
    """One thing drawn in a panel. ``kind`` says what it is, so tests can find the arrows."""

    kind: str  # "arrow", "head", "true", "end", "circle", "ellipse", "true-circle", "sweep", "base", "gradient"
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    marker: str
    color: str
    lines: bool = False  # join the points


@dataclass(frozen=True)
class PanelFrame:
    """One panel at one instant: its title, axis limits and what is drawn."""

    title: str
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    series: tuple[Series, ...]
    one_d: bool
    rows: tuple[tuple[float, str], ...] = ()  # on a 1-D line: what each row of marks is (its label)


# --- timeline -------------------------------------------------------------------------------------


def duration(model: PlayerModel, mode: str) -> float:
    """Seconds from ⏮ to the end of the animation in ``mode``."""
    spaces = model.layers + 1
    return spaces + (CIRCLE_SECONDS if mode == "forward" else IDENTITY_SECONDS)


def stage_starts(model: PlayerModel, mode: str) -> list[float]:
    """Times at which a stage begins (what Space steps to without animations), and the end."""
    return [float(k) for k in range(model.layers + 2)] + [duration(model, mode)]


def caption(model: PlayerModel, mode: str, t: float, *, ascii: bool = False) -> str:
    """One line saying what the picture shows at time t."""
    letters, names, layers = model.letters, model.names, model.layers
    n = notation(ascii)
    d, approx, T = n.delta, n.approx, n.transpose
    k = min(int(t), layers + 1)
    if mode == "forward":
        if k == 0:
            return f"{d}x at x0: the perturbation"
        if k <= layers:
            name, prev, here = names[k - 1], letters[k - 1], letters[k]
            return f"{d}{here} {approx} D{name} {d}{prev}, beside the true image {name}({prev}0 + s{d}{prev})"
        return f"a circle of radius |{d}x| and its images: linear (an ellipse) and true"
    if k == 0:
        return f"{n.grad(letters[-1])} = seed at the output"
    if k <= layers:
        here, name = letters[layers - k], names[layers - k]
        return f"{n.grad(here)} = D{name}{T} {n.grad(letters[layers - k + 1])}: pulled back through the transpose"
    return f"{n.grad('x')}{n.dot}{d}x = {d}{n.ell} (linear) beside the true {d}{n.ell}"


# --- projection -----------------------------------------------------------------------------------


def projection_pairs(model: PlayerModel, space: int) -> list[tuple[int, int]]:
    """The coordinate pairs a space can be shown in; (i, i) means a 1-D line."""
    dim = model.dims[space]
    if dim == 1:
        return [(0, 0)]
    if space == 0:
        return list(model.planes)  # x is shown in the plane its circle lies in
    return list(itertools.combinations(range(dim), 2))


def projection_count(model: PlayerModel) -> int:
    """How many distinct projections the projection key cycles through."""
    return max(len(projection_pairs(model, s)) for s in range(len(model.spaces)))


def panel_pair(model: PlayerModel, space: int, projection: int) -> tuple[int, int]:
    pairs = projection_pairs(model, space)
    return pairs[projection % len(pairs)]


def panel_title(model: PlayerModel, space: int, projection: int, *, ascii: bool = False, width: int = 80) -> str:
    """``u=g(x) ℝ²``, with the projected pair for 3-D and up: ``x ℝ³ (x1,x3)``; shorter if narrow."""
    letter, dim = model.letters[space], model.dims[space]
    name = letter if space == 0 else f"{letter}={model.names[space - 1]}({model.letters[space - 1]})"
    if space == len(model.spaces) - 1 and dim == 1:
        name += " value"
    full = _title(name, letter, dim, model, space, projection, ascii)
    return full if len(full) <= width else _title(letter, letter, dim, model, space, projection, ascii)


def _title(name: str, letter: str, dim: int, model: PlayerModel, space: int, projection: int, ascii: bool) -> str:
    field = f"R^{dim}" if ascii else "ℝ" + ("" if dim == 1 else str(dim).translate(_SUPERSCRIPT))
    title = f"{name} {field}"
    if dim >= 3:
        a, b = panel_pair(model, space, projection)
        title += f" ({letter}{a + 1},{letter}{b + 1})"
    return title


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


# --- frames ---------------------------------------------------------------------------------------


def panel_frame(
    model: PlayerModel,
    space: int,
    *,
    mode: str,
    t: float,
    zoom: int,
    projection: int,
    canvas: tuple[int, int],
    ascii: bool = False,
) -> PanelFrame:
    """What panel ``space`` shows at time ``t``. ``canvas`` is the plot area in cells (w, h)."""
    track = model.spaces[space]
    a, b = panel_pair(model, space, projection)
    plane = projection % len(model.planes)
    one_d = a == b
    markers = _MARKERS[ascii]
    layers = model.layers
    factor = model.zooms[zoom].zoom
    xlim, ylim = _limits(track, a, b, one_d, plane, factor, canvas)
    bx, by = track.base[a], (0.0 if one_d else track.base[b])
    proj = _projector(a, b, one_d)
    series: list[Series] = []

    def arrow(tip: tuple[float, float], color: str, kind: str, marker: str, lift: float = 0.0) -> None:
        start, end = (bx, by + lift), (tip[0], tip[1] + lift)
        if start == end:
            return
        if one_d:
            marker = _LINE_SHAFTS[ascii][kind]
        # The shaft stops short of the tip, where the head character sits: braille dots of the
        # shaft would otherwise spill into the cell beyond the head.
        cells = math.hypot(
            (end[0] - start[0]) / (xlim[1] - xlim[0]) * canvas[0],
            (end[1] - start[1]) / (ylim[1] - ylim[0]) * canvas[1],
        )
        keep = 1 - 0.75 / cells if cells > 1.5 else 1.0
        shaft = (start[0] + keep * (end[0] - start[0]), start[1] + keep * (end[1] - start[1]))
        series.append(Series(kind, (start[0], shaft[0]), (start[1], shaft[1]), marker, color, lines=True))
        head = _head(end[0] - start[0], end[1] - start[1], xlim, ylim, canvas, ascii)
        series.append(Series("head", (end[0],), (end[1],), head, color))  # exactly at the tip

    if mode == "forward":
        circle_progress = _clamp((t - (layers + 1)) / CIRCLE_SECONDS)
        # For 1-D x the "circle" is the pair x0 ± r: whole-cell marks, or two braille dots vanish.
        ring_marker = ("." if ascii else "○") if model.dims[0] == 1 else markers["circle"]
        if circle_progress > 0:
            ring = track.circle[zoom][plane]
            shown = _prefix(ring, circle_progress)
            if space > 0:
                series.append(_curve("ellipse", _prefix(track.ellipse[zoom][plane], circle_progress), proj, ring_marker, LINEAR, one_d, ROW_ELLIPSE))
                series.append(_curve("true-circle", shown, proj, markers["true"], TRUE, one_d, ROW_TRUE_CIRCLE))
            else:
                series.append(_curve("circle", shown, proj, ring_marker, CIRCLE, one_d, 0.0))
            if shown:
                x, y = proj(shown[-1])
                series.append(Series("sweep", (x,), (y + (ROW_TRUE_CIRCLE if one_d and space else 0.0),), markers["sweep"], TRUE))
        progress = _clamp(t - space)
        if progress > 0:
            if space > 0:
                segment = track.segment[zoom]
                true = _prefix(segment, progress)
                series.append(_curve("true", true, proj, markers["true"], TRUE, one_d, ROW_TRUE))
                if true:
                    x, y = proj(true[-1])
                    series.append(Series("end", (x,), (y + (ROW_TRUE if one_d else 0.0),), markers["end"], TRUE))
            tip = proj(tuple(base + progress * d / factor for base, d in zip(track.base, track.delta)))
            arrow(tip, LINEAR, "arrow", markers["linear"], ROW_LINEAR if one_d and space else 0.0)
    else:
        if space == 0:  # Δx first, so the gradient, the subject here, is drawn on top of it
            identity = _clamp(t - (layers + 1))
            if identity > 0:
                tip = proj(tuple(base + identity * d / factor for base, d in zip(track.base, model.dx)))
                arrow(tip, LINEAR, "arrow", markers["linear"], ROW_TRUE if one_d else 0.0)
        progress = _clamp(t - (layers - space))
        grad = track.gradient
        if progress > 0 and grad is not None:
            gx, gy = grad[a], (0.0 if one_d else grad[b])
            length = math.hypot(gx, gy)
            if length > 0:
                # A gradient is not a displacement: only its direction is drawn, at a length that fits.
                reach = 0.85 * (xlim[1] - bx if one_d else min(xlim[1] - bx, ylim[1] - by))
                scale = progress * reach / length
                arrow((bx + gx * scale, by + gy * scale), GRADIENT, "gradient", markers["gradient"])
    series.append(Series("base", (bx,), (by,), markers["base"], BASE))
    title = panel_title(model, space, projection, ascii=ascii, width=canvas[0])
    rows = _row_labels(mode, space, ascii) if one_d else ()
    return PanelFrame(title, xlim, ylim, tuple(series), one_d, rows)


def _row_labels(mode: str, space: int, ascii: bool) -> tuple[tuple[float, str], ...]:
    """On a 1-D line each kind of mark has a row of its own: name the rows (at most 5 characters,
    the room the tick labels have), so the linear and the true image are told apart without the
    legend."""
    if mode == "forward":
        if space == 0:
            return ((0.0, "dx" if ascii else "Δx"),)
        ring = "." if ascii else "○"
        return ((ROW_ELLIPSE, f"lin{ring}"), (ROW_LINEAR, "lin"), (ROW_TRUE, "true"), (ROW_TRUE_CIRCLE, f"true{ring}"))
    grad = "grad" if ascii else "∇ℓ"
    return ((0.0, grad), (ROW_TRUE, "dx" if ascii else "Δx")) if space == 0 else ((0.0, grad),)


# --- helpers --------------------------------------------------------------------------------------


def _clamp(value: float) -> float:
    return 0.0 if value <= 0 else 1.0 if value >= 1 else value


def _prefix(curve, fraction: float):
    """The part of a sampled curve traced by ``fraction`` of the way along it."""
    if fraction >= 1:
        return curve
    count = round(fraction * (len(curve) - 1)) + 1
    return curve[: max(1, count)]


def _projector(a: int, b: int, one_d: bool):
    if one_d:
        return lambda p: (p[a], 0.0)
    return lambda p: (p[a], p[b])


def _curve(kind: str, points, proj, marker: str, color: str, one_d: bool, lift: float) -> Series:
    """A sampled curve, NaN points (outside a map's domain) left out."""
    xs, ys = [], []
    for p in points:
        x, y = proj(p)
        if math.isfinite(x) and math.isfinite(y):
            xs.append(x)
            ys.append(y + (lift if one_d else 0.0))
    return Series(kind, tuple(xs), tuple(ys), marker, color, lines=not one_d and len(xs) > 2 and marker in ("braille", "."))


def _limits(track: SpaceTrack, a: int, b: int, one_d: bool, plane: int, factor: float, canvas: tuple[int, int]):
    """Axis limits centred on the base point, fixed for all t, magnified by the zoom factor.

    The extent comes from the unzoomed picture (arrow, true image, circle and ellipse) and is
    divided by the zoom, so zooming is a true magnification. In 2-D one unit is the same length
    on both axes (cells are twice as tall as wide), so circles look round and angles are honest.
    """
    base = track.base
    rx = ry = 0.0
    points = [tuple(p + d for p, d in zip(base, track.delta)), *track.segment[0], *track.circle[0][plane], *track.ellipse[0][plane]]
    for p in points:
        dx = abs(p[a] - base[a])
        dy = 0.0 if one_d else abs(p[b] - base[b])
        if math.isfinite(dx) and math.isfinite(dy):
            rx, ry = max(rx, dx), max(ry, dy)
    rx, ry = rx * MARGIN / factor, ry * MARGIN / factor
    floor = 1e-9 * max(1.0, abs(base[a]))
    if one_d:
        half = max(rx, floor) if rx > 0 else 1.0 / factor
        return (base[a] - half, base[a] + half), (-1.0, 1.0)
    width, height = max(canvas[0], 1), max(canvas[1], 1)
    span = max(rx / (width / 2), ry / (height * CELL_ASPECT / 2))  # data units per cell width
    if span <= 0 or not math.isfinite(span):
        span = (1.0 / factor) / (min(width, height) / 2)
    hx = span * width / 2
    hy = span * height * CELL_ASPECT / 2
    hx, hy = max(hx, floor), max(hy, floor)
    return (base[a] - hx, base[a] + hx), (base[b] - hy, base[b] + hy)


def _head(dx: float, dy: float, xlim, ylim, canvas: tuple[int, int], ascii: bool) -> str:
    """An arrow-head character pointing the way the arrow points on screen."""
    width, height = max(canvas[0], 1), max(canvas[1], 1)
    cx = dx / (xlim[1] - xlim[0]) * width
    cy = dy / (ylim[1] - ylim[0]) * height * CELL_ASPECT
    octant = round(math.atan2(cy, cx) / (math.pi / 4)) % 8
    return _HEADS[ascii][octant]




# --- numbers --------------------------------------------------------------------------------------


def numbers_text(model: PlayerModel, mode: str, zoom: int, *, ascii: bool = False) -> str:
    """The numbers under the panels: the pushforward (forward) or the pullback and ∇ₓℓ·Δx = Δℓ."""
    numbers = model.zooms[zoom]
    factor = numbers.zoom
    letters, names = model.letters, model.names
    n = notation(ascii)
    d, approx, T, dot, ell, grad = n.delta, n.approx, n.transpose, n.dot, n.ell, n.grad

    if mode == "forward":
        parts = [f"{d}x = {_vec(v / factor for v in model.dx)}"]
        for k, name in enumerate(names, start=1):
            step = tuple(v / factor for v in model.spaces[k].delta)
            parts.append(f"{d}{letters[k]} {approx} D{name} {d}{letters[k - 1]} = {_vec(step)}")
        first = "   ".join(parts)
        second = (
            f"true {d}{letters[-1]} = {_vec(numbers.true_dy)}   error {_num(numbers.error)}"
            f" at |{d}x| = {_num(numbers.radius)}"
        )
        if zoom + 1 < len(model.zooms):
            times = "x" if ascii else "×"
            after = model.zooms[zoom + 1]
            second += f"; at zoom {times}{_num(after.zoom)} {_num(after.error)}"
        return first + "\n" + second
    if model.seed_given:
        target = f"{_vec(model.seed)}{dot}y"
    else:
        target = "y" if model.dims[-1] == 1 else "y1 (seed e1)"
    parts = [f"{ell} = {target}"]
    for k in range(len(model.spaces) - 1, -1, -1):
        g = model.spaces[k].gradient or ()
        via = "" if k == len(model.spaces) - 1 else f" = D{names[k]}{T} {grad(letters[k + 1])}"
        parts.append(f"{grad(letters[k])}{via} = {_vec(g)}")
    grad_x = model.spaces[0].gradient or ()
    terms = " + ".join(f"{_num(g)}{dot}{_paren(v / factor)}" for g, v in zip(grad_x, model.dx))
    identity = (
        f"{grad('x')}{dot}{d}x = {terms} = {_num(numbers.grad_dot_dx)} (linear {d}{ell})   "
        f"true {d}{ell} = {_num(numbers.true_dl)}"
    )
    return "   ".join(parts) + "\n" + identity


def legend_text(mode: str, *, ascii: bool = False) -> str:
    """What the marks mean."""
    if mode == "forward":
        if ascii:
            return "*-> linear J*dx   o true image   . circle |dx| and its linear image   + base point"
        return "⠤→ linear J·Δx   • true image   ⠤ circle |Δx| and its linear image (ellipse)   + base point"
    if ascii:
        return "#-> gradient (direction; length scaled to fit)   *-> dx   + base point"
    return "▄→ gradient (direction; length scaled to fit)   ⠤→ Δx   + base point"


def _num(value: float) -> str:
    return format_number(value, 4)


def _paren(value: float) -> str:
    text = _num(value)
    return f"({text})" if text.startswith("-") else text


def _vec(values) -> str:
    values = tuple(values)
    if len(values) == 1:
        return _num(values[0])
    return "(" + ", ".join(_num(v) for v in values) + ")"


__all__ = [
    "PanelFrame",
    "Series",
    "caption",
    "duration",
    "legend_text",
    "numbers_text",
    "panel_frame",
    "panel_title",
    "projection_count",
    "stage_starts",
]
