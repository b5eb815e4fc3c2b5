"""The function f(w) a one-parameter run descends: the quadratic c·(w − w*)² from the
trace's constants, or a sampled curve (`--function`); and what is drawn along it, the
hops, the tangent and the stretch of curve beside it. Plain numpy."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from scenes.geometry import PlotBox, Points, spaced_apart
from scenes.numbers import format_lr
from sgdcore.trace import Trace

HOP_SAMPLES = 16  # points along each drawn hop: smooth at 1080p, cheap to trace
HOP_HEIGHT = 0.08  # the tallest hop, as a share of the plot's height
ARC_CHECKS = 63  # shares along a hop at which its height is checked against the
# plot's top and the curve under it: finer than the HOP_SAMPLES it is drawn with
TANGENT_REACH = 0.13  # half the tangent's length, as a share of the plot's width
TANGENT_SLACK = 0.03  # how far past the box a tangent may reach: half its stroke
TANGENT_SHORTEST = 0.25  # a tangent cut shorter than this share of its reach: hidden
JOIN_GAP = 2e-3  # scene units a finished hop starts past the last one's end: a
# quarter pixel at 1080p, and more than Manim's test for one continuous path
HILL_CLEARANCE = 0.04  # scene units a hop passes over a hill by, its strokes apart
UP = np.array([0.0, 1.0, 0.0])


def curvature_of(trace: Trace) -> float:
    """The quadratic's curvature c, from the trace's metadata."""
    return float(trace.meta["curvature"])  # type: ignore[arg-type]


def minimum_of(trace: Trace) -> float:
    """The quadratic's minimum w*, from the trace's metadata."""
    return float(trace.meta["minimum"])  # type: ignore[arg-type]


def quadratic_text(trace: Trace) -> str:
    """The quadratic written with the trace's constants: `w²`, `3·(w − 1)²`."""
    curvature, minimum = curvature_of(trace), minimum_of(trace)
    scale = "" if curvature == 1 else f"{format_lr(curvature)}·"
    inner = "w" if minimum == 0 else f"(w − {format_lr(minimum)})"
    return f"{scale}{inner}²"


def sampled(trace: Trace) -> bool:
    """Whether the trace carries its f(w) as samples (any function, not w²)."""
    return trace.problem == "function"


def quadratic(trace: Trace, w: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The trace's f at `w`: `c * (w - w*)**2`, or its sampled curve (nan outside)."""
    if sampled(trace):
        nowhere = np.nan
        curve: npt.NDArray[np.float64] = np.interp(
            w, trace.grid, trace.curve[0], left=nowhere, right=nowhere
        )
        return curve
    return curvature_of(trace) * (w - minimum_of(trace)) ** 2


def lowest_point(trace: Trace) -> tuple[float, float]:
    """(w, f) where f is lowest: the quadratic's minimum, or the sampled curve's."""
    if sampled(trace):
        index = int(np.argmin(trace.curve[0]))
        return float(trace.grid[index]), float(trace.curve[0, index])
    return minimum_of(trace), 0.0


def curve_beside(
    trace: Trace, box: PlotBox, ends: list[Points], stroke: float
) -> Points | None:
    """Scene points along f in `box` across the scene x of `ends` (a tangent's) and a
    `stroke` width (in stroke units, a hundredth of a scene unit) past each; None
    where less than a sliver of it is in the box."""
    (left, _, right, _), (low, high) = box.scene_bounds, box.x_span
    reach = stroke / 100
    xs = np.clip([ends[0][0] - reach, ends[-1][0] + reach], left, right)
    ws = low + (xs - left) / (right - left) * (high - low)
    w = np.linspace(float(ws[0]), float(ws[1]), 24)
    with np.errstate(over="ignore", invalid="ignore"):
        f = quadratic(trace, w)
    keep = np.isfinite(f) & (f >= box.y_span[0]) & (f <= box.y_span[1])
    if keep.sum() < 2:
        return None
    points: Points = box.to_points(w[keep], f[keep])
    return points


def curve_heights(trace: Trace, box: PlotBox, xs: Points) -> Points:
    """The scene y of f at scene x `xs` (any shape) in `box`; NaN where f is not
    sampled."""
    (left, _, right, _), (low, high) = box.scene_bounds, box.x_span
    ws = low + (np.ravel(xs) - left) / (right - left) * (high - low)
    with np.errstate(over="ignore", invalid="ignore"):
        ys = box.to_points(ws, quadratic(trace, ws))[:, 1]
    heights: Points = ys.reshape(np.shape(xs))
    return heights


def hop_arcs(
    box: PlotBox,
    starts: Points,
    ends: Points,
    fraction: float,
    ground: Callable[[Points], Points] | None = None,
) -> Points:
    """Scene points, shape (m, HOP_SAMPLES, 3), along m hops up to `fraction`.

    Each hop rises by 0.3 of its length, at most `HOP_HEIGHT` of the plot's height;
    higher where `ground` (the curve's scene y at scene x) rises over the straight
    line between its ends, so that it clears a hill between two valleys; and never
    past the top of `box` where the line is under it: a hop stays in the plot.
    """
    length = np.linalg.norm(ends - starts, axis=1)
    height = np.minimum(0.3 * length, HOP_HEIGHT * box.size[1])
    # how high each hop may rise, and must, at every share along it
    s = np.linspace(0.0, 1.0, ARC_CHECKS + 2)[None, 1:-1]
    line = starts[:, None, :] + s[..., None] * (ends - starts)[:, None, :]
    lift = np.sin(np.pi * s)
    with np.errstate(invalid="ignore"):
        if ground is not None:
            over = ground(line[..., 0]) - line[..., 1]  # the curve above the line
            under = np.where(over > 0, over / lift + HILL_CLEARANCE, 0.0)
            height = np.maximum(height, under.max(axis=1))
        room = (box.scene_bounds[3] - line[..., 1]) / lift
        room = np.where(room >= 0, room, np.inf).min(axis=1)
    height = np.minimum(height, room)[:, None, None]
    s = np.linspace(0.0, fraction, HOP_SAMPLES)[None, :, None]
    arcs: Points = (
        starts[:, None, :]
        + s * (ends - starts)[:, None, :]
        + np.sin(np.pi * s) * height * UP
    )
    return arcs


def apart(arcs: Points) -> Points:
    """`arcs` (m, n, 3), each starting JOIN_GAP along its first segment: a hop that
    sets off where the last one landed is then a stroke of its own. Joined, the two
    would meet at a sharp corner whose mitre spikes out past the curve (and a round
    join set on the stroke stays set in the Cairo context for what is drawn next)."""
    first = arcs[:, 1] - arcs[:, 0]
    length = np.linalg.norm(first, axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        step = np.where(length > 0, first * np.minimum(JOIN_GAP / length, 0.5), 0.0)
    moved = arcs.copy()
    moved[:, 0] += step
    return moved


def tangent_ends(
    box: PlotBox, at: tuple[float, float], slope: float
) -> list[Points] | None:
    """The ends of the tangent of `slope` at data point `at`, centred on it: as
    long on both sides, shortened to fit the box (a hair past it, so a flat one on
    the floor keeps both halves), or None where that leaves a stub."""
    width, height = box.size
    aspect = (height / (box.y_span[1] - box.y_span[0])) / (
        width / (box.x_span[1] - box.x_span[0])
    )
    direction = np.array([1.0, slope * aspect, 0.0]) / math.hypot(1.0, slope * aspect)
    centre = box.c2p(*at)
    left, bottom, right, top = box.scene_bounds
    room = np.minimum(centre[:2] - (left, bottom), (right, top) - centre[:2])
    reach = TANGENT_REACH * width
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = (room + TANGENT_SLACK) / np.abs(direction[:2])
        half = float(np.min(ratios, initial=reach))
    if not half >= TANGENT_SHORTEST * reach:  # a stub, or a point at infinity
        return None
    return [centre - half * direction, centre + half * direction]


class VisitedMarks:
    """Where the marks of the w's visited stand on the w axis, as a run goes: those
    `spacing` apart (`spaced_apart`: a slow run's crowd stays a row of ticks, not a
    bar), worked out once a view (the box it was for is kept)."""

    def __init__(self, w: npt.NDArray[np.float64], spacing: float, edge: float):
        self.w, self.spacing, self.edge = w, spacing, edge
        self.box: PlotBox | None = None
        self.kept = np.zeros(len(w), dtype=bool)

    def feet(self, box: PlotBox, count: int) -> Points:
        """The kept marks' feet in `box` of the first `count` steps."""
        with np.errstate(invalid="ignore", over="ignore"):
            feet = box.to_points(self.w, np.full(len(self.w), box.y_span[0]))
        if box != self.box:
            shown = box.contains(feet, self.edge)
            self.box, self.kept = box, spaced_apart(feet, shown, self.spacing)
        kept: Points = feet[:count][self.kept[:count]]
        return kept
