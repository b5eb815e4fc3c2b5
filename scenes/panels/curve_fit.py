"""The curve fit: training points filled, held-out points green rings, the model's curve.

The model is read from the trace's `curve` (the polynomial sampled on `grid` after
every step, recorded at training time), so no scene evaluates a model itself. The
view is the data's, with room beyond it: a model that wiggles past it is cut where
it leaves the data's box, clear of the axes, never flattened along an edge. The
points are drawn over the curves, each on a disc of the background, so none hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
from manim import DOWN, RIGHT, UL, Dot, Mobject, VGroup, VMobject

from scenes.clock import StepClock
from scenes.columns import clip_decimals, fit_row
from scenes.geometry import (
    PlotBox,
    Points,
    polyline_curves,
    tick_values,
    with_margin,
)
from scenes.panels.axes import axis_names, plot_axes
from scenes.panels.dots import dot_cloud, dot_radius
from scenes.panels.legend import legend
from scenes.panels.readouts import ReadoutColumn, Row
from scenes.readout import Readout
from scenes.text import label, put_on_baseline
from scenes.theme import Palette
from sgdcore.trace import Trace

Y_PAD = 0.25  # of the data's height, above and below it: room for a wiggle to show
# ... and, at most, this much (of the data's height) more, to hold a model's curve
# whole: one that wiggles further out is cut at the plot's edge
CURVE_ROOM = 1.0
RING_WIDTH = 2.5  # a held-out point's outline
RING_SCALE = 1.25  # a held-out ring's radius, of a training dot's: told apart where
# the two overlap, by size as well as by colour and fill
HALO = 0.012  # the background's thin ring round each point: its edge against a curve
# Of each axis' span, spare beyond the data and the curves at both ends: a point at
# x = -1 and a curve cut at the data's box stand clear of the axes
AXIS_MARGIN = 0.06
X_MARGIN = 0.1  # ... across: a spike at the grid's end stands clear of the y axis
TOP_MARGIN = 0.1  # ... and over the data's box: a spike cut there stands clear
TICK_ROOM = 0.3  # the lowest y tick this far over the x axis: its label clear of x's
NAME_GAP = 0.38  # from a plot's top to the baseline of the name above it
MOTION_STRIDE = 8  # of the curve's samples, those whose motion sets the replay's pace
MODEL_WIDTH = 5.0  # the model's curve, as a key to it draws it too
LOSS_CHARS = 9  # cells of a loss readout under a plot
LOSS_DECIMALS = 4  # at most: three or four digits are what a comparison of losses reads


def clipped_polyline(box: PlotBox, points: Points) -> Points:
    """Bézier control points of a polyline's parts inside `box`, cut at its edges."""
    pieces = [polyline_curves(run) for run in box.clip_polyline(points)]
    return np.vstack(pieces) if pieces else np.zeros((0, 3))


class CurveFit:
    """One polynomial run over its points, on axes that span the data."""

    def __init__(
        self,
        palette: Palette,
        trace: Trace,
        corner: tuple[float, float],
        size: tuple[float, float],
        color: str | None = None,
        shared: Sequence[Trace] | None = None,
        held_out_color: str | None = None,
    ) -> None:
        """`shared`: the runs whose plots share this one's scale (just `trace` if None);
        `held_out_color`: the held-out rings' (validation's green if None: every
        curve scene draws its validation points alike)."""
        self.palette, self.trace = palette, trace
        self.color = color or palette.fit
        self.held_out_color = held_out_color or palette.lr_good
        x, y = trace.x[:, 0], trace.y
        extents = x_extent(shared or [trace]), curve_y_extent(shared or [trace])
        x_range = with_margin(extents[0], X_MARGIN, 7)
        low, high, step = with_margin(extents[1], AXIS_MARGIN, 6)
        high += (TOP_MARGIN - AXIS_MARGIN) * (extents[1][1] - extents[1][0])
        y_range = clear_lowest_tick((low, high, step), size[1])
        self.box, self.axes = plot_axes(palette, x_range, y_range, corner, size)
        self.inner = self.box.within(*extents)  # where a curve is cut
        self.radius = dot_radius(len(y)) * 1.2
        self.ring_radius = RING_SCALE * self.radius
        points = self.box.to_points(x, y)
        self.train_points = points[trace.train_index]
        self.valid_points = points[trace.valid_index]

    def static(self, names: bool = True, y_beside: bool = False) -> VGroup:
        """The axes and their names, y's left of its top if `y_beside` (the points
        go over the curves: `points`)."""
        parts = VGroup(self.axes)
        if names:
            parts.add(axis_names(self.palette, self.box, "x", "y", y_beside))
        return parts

    def points(self) -> VGroup:
        """The training dots and the held-out rings, each on a disc of the
        background a little wider: drawn over the curves, so none hides a point."""
        palette, ground = self.palette, self.palette.background
        halos = VGroup(
            dot_cloud(self.train_points, self.radius + HALO, ground),
            dot_cloud(self.valid_points, self.ring_radius + HALO, ground),
        )
        dots = dot_cloud(self.train_points, self.radius, palette.data)
        rings = dot_cloud(
            self.valid_points, self.ring_radius, self.held_out_color, ring=RING_WIDTH
        )
        return VGroup(halos, dots, rings)

    def name_above(self, words: str, gap: float = NAME_GAP) -> VMobject:
        """The model's name over the plot's top-left corner, its baseline `gap` up."""
        text = label(self.palette, words, self.palette.body_size)
        left, bottom = self.box.corner
        return put_on_baseline(text, left, bottom + self.box.size[1] + gap)

    def point_marks(self) -> list[VMobject]:
        """A training point's mark (filled) and a held-out one's (hollow)."""
        data, held_out = self.palette.data, self.held_out_color
        ring = dot_cloud(np.zeros((1, 3)), self.ring_radius, held_out, ring=RING_WIDTH)
        return [Dot(radius=self.radius, color=data), ring]

    def points_legend(self) -> VGroup:
        """Filled: trained on; hollow: held out."""
        names = ("training points", "validation points")
        entries = list(zip(self.point_marks(), names, strict=True))
        return legend(self.palette, entries, row_gap=0.14)

    def in_top_left(self, mobject: VGroup) -> VGroup:
        """`mobject` tucked into the plot's top-left corner."""
        corner = self.box.c2p(self.box.x_span[0], self.box.y_span[1])
        return mobject.move_to(corner, aligned_edge=UL).shift(0.2 * RIGHT + 0.1 * DOWN)

    def loss_readouts(
        self,
        clock: StepClock,
        names: tuple[str, str],
        top: float,
        row: float,
        decimals: tuple[int, int] | None = None,
    ) -> tuple[VGroup, list[Readout]]:
        """Training and validation loss under the plot, decimal points aligned:
        the names (static) and the numbers following the run.

        `decimals`: each row's, shared with the plots beside this one
        (`shared_decimals`), so one loss is written alike under every plot.
        """
        trace, left = self.trace, self.box.corner[0]
        losses = (trace.full_loss, trace.valid_loss)
        rows: list[Row] = list(zip(names, losses, strict=True))
        if decimals is not None:
            rows = [
                (name, fit_row(values, places, LOSS_CHARS))
                for name, values, places in zip(names, losses, decimals, strict=True)
            ]
        column = ReadoutColumn(
            self.palette,
            rows,
            left=left,
            right=left + self.box.size[0],
            top=top,
            row_height=row,
            n_chars=LOSS_CHARS,
            size=self.palette.label_size,
            on_baselines=True,
        )
        return column.static(), column.moving(clock, trace)

    def points_at(self, step: float) -> Points:
        """The model's curve at a (fractional) step, as scene points."""
        curve, last = self.trace.curve, self.trace.n_steps
        step = min(max(step, 0.0), float(last))
        index = min(int(np.floor(step)), last)
        values = curve[index]
        if index < last and step > index:
            values = values + (step - index) * (curve[index + 1] - values)
        return self.box.to_points(self.trace.grid, values)

    def model(
        self, clock: StepClock, width: float = MODEL_WIDTH, opacity: float = 1.0
    ) -> VMobject:
        """The model's curve at the replay's position, cut where it leaves the
        data's box."""
        curve = VMobject(
            stroke_color=self.color, stroke_width=width, stroke_opacity=opacity
        )

        def follow(mob: Mobject) -> None:
            drawn = cast(VMobject, mob)
            points = clipped_polyline(self.inner, self.points_at(clock.value))
            drawn.set_points(points) if len(points) else drawn.clear_points()

        # How far the curve moves on screen: every MOTION_STRIDE-th sample, pulled
        # onto the plot (a wiggle far off the chart moves nothing the eye sees)
        curve.motion_points = lambda: self.inner.clamp(  # type: ignore[attr-defined]
            self.points_at(clock.value)[::MOTION_STRIDE]
        )
        return curve.add_updater(follow, call_updater=True)

    def frozen_model(
        self, step: int, color: str, width: float = 3, opacity: float = 1.0
    ) -> VMobject:
        """The model as it was at `step`, thinner and in its own `color`: what
        stopping there would keep."""
        curve = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
        points = clipped_polyline(self.inner, self.points_at(float(step)))
        curve.set_points(points) if len(points) else None
        return curve


def clear_lowest_tick(
    y_range: tuple[float, float, float], height: float
) -> tuple[float, float, float]:
    """`y_range` lowered, if its lowest tick stands within TICK_ROOM of the x axis
    on a plot `height` tall, until that tick stands TICK_ROOM above it."""
    low, high, step = y_range
    lowest, room = tick_values(y_range)[0], TICK_ROOM / height
    if lowest - low >= room * (high - low):
        return y_range
    return (lowest - room * high) / (1 - room), high, step


def x_extent(traces: Sequence[Trace]) -> tuple[float, float]:
    """The x the plots of `traces` show: their points and the curves' grid, and
    at least -1 to 1."""
    xs = [trace.x[:, 0] for trace in traces] + [trace.grid for trace in traces]
    values = np.concatenate(xs)
    return min(-1.0, float(values.min())), max(1.0, float(values.max()))


def curve_y_extent(traces: Sequence[Trace]) -> tuple[float, float]:
    """The y the plots of `traces` show: the data with Y_PAD above and below,
    grown to hold every curve drawn over the whole run (up to CURVE_ROOM of the
    data's height further out)."""
    y = np.concatenate([trace.y for trace in traces])
    low, high = float(y.min()), float(y.max())
    height = high - low
    curves = np.concatenate([trace.curve.ravel() for trace in traces])
    curves = curves[np.isfinite(curves)]
    if curves.size:
        low = min(low, max(float(curves.min()), low - CURVE_ROOM * height))
        high = max(high, min(float(curves.max()), high + CURVE_ROOM * height))
    pad = Y_PAD * float(np.ptp(y))
    return min(low, float(y.min()) - pad), max(high, float(y.max()) + pad)


def shared_decimals(traces: Sequence[Trace]) -> tuple[int, int]:
    """The decimals of the training and of the validation loss: one number for both
    losses of every run shown (`clip_decimals`), each row kept as a pair."""
    losses = [loss for trace in traces for loss in (trace.full_loss, trace.valid_loss)]
    places = min(clip_decimals(losses, LOSS_CHARS), LOSS_DECIMALS)
    return places, places


def curve_fits_in_a_row(
    palette: Palette,
    traces: Sequence[Trace],
    lefts: Sequence[float],
    bottom: float,
    size: tuple[float, float],
    colors: Sequence[str | None] | None = None,
) -> list[CurveFit]:
    """One plot per run, side by side, on one scale (they compare); `colors`: each
    run's curve's (the model's if None). The points' keys: scenes.panels.fit_header."""
    return [
        CurveFit(palette, trace, (left, bottom), size, color, shared=traces)
        for left, trace, color in zip(
            lefts, traces, colors or [None] * len(traces), strict=True
        )
    ]
