"""The data plot: every point, the model's line at the current step, and its residuals."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import cast

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UL,
    UP,
    Dot,
    Mobject,
    VGroup,
    VMobject,
)

from scenes.clock import StepClock, follow_view
from scenes.dot_layer import LAYER_FROM, DotLayer
from scenes.geometry import (
    PlotBox,
    Points,
    between_steps,
    nice_range,
    segment_curves,
    with_margin,
)
from scenes.panels.axes import AxesDrawing, axis_names
from scenes.panels.dots import dashes, dot_cloud, dot_radius
from scenes.panels.legend import legend, line_mark
from scenes.placement import Ink, Rect, clearest, grown, replay_values
from scenes.text import label, shown_while
from scenes.theme import DRAWN, Palette
from scenes.view import line_view
from sgdcore.trace import Trace

# A legend's corner: in from the y axis (its labels and the first mark), and from
# the other three edges
CORNER_INSET = (0.35, 0.1)
AXIS_CLEARANCE = 0.2  # from the x axis up to a note in a bottom corner
ROW_GAP = 0.4  # between a legend's entries laid out in one row
ABOVE_GAP = 0.12  # from the plot's top edge to a legend above it
X_ROOM = 0.04  # of the x axis' ticked span, spare at either end


class DataPlot:
    """The trace's points on axes that span them, and a run's line moving over them."""

    def __init__(
        self,
        palette: Palette,
        trace: Trace,
        corner: tuple[float, float],
        size: tuple[float, float],
    ) -> None:
        self.palette, self.trace = palette, trace
        x_data, y_data = trace.x[:, 0], trace.y
        pad = 0.08 * float(y_data.max() - y_data.min())
        # the axes fit the data, the lesson's x in [-1, 1) or a user's own, rounded
        # out to ticks and with room beyond: no point sits on the y axis
        x_ticked = nice_range(float(x_data.min()), float(x_data.max()))[:2]
        x_range = with_margin(x_ticked, X_ROOM, 7)
        y_range = nice_range(float(y_data.min()) - pad, float(y_data.max()) + pad)
        # widened while the model's line is out of it (a run that diverges)
        self.view = line_view(trace.params, x_range, y_range, corner, size)
        self.box = self.view.box(0)
        self.points = self.box.to_points(x_data, y_data)

    def box_at(self, clock: StepClock) -> PlotBox:
        """The plot's box at the replay's position."""
        return self.view.box(clock.value)

    def points_at(self, box: PlotBox) -> Points:
        """The samples as scene points in `box`."""
        if box == self.box:
            return self.points
        points: Points = box.to_points(self.trace.x[:, 0], self.trace.y)
        return points

    # -- static ---------------------------------------------------------------------
    def names(self) -> VGroup:
        """The axes' names, x and y."""
        return axis_names(self.palette, self.box, "x", "y")

    def drawing(self, clock: StepClock, opacity: float = 1.0) -> list[Mobject]:
        """The axes and every sample as one path of dots: drawn once, unless the view
        widens to follow a line that left it."""
        axes = AxesDrawing(self.palette)
        radius = dot_radius(len(self.points))
        if len(self.points) > LAYER_FROM:  # too many to trace each time it is drawn
            layer = DotLayer(radius, self.palette.data, opacity)
            return [
                follow_view(self.view, clock, axes, axes.draw),
                follow_view(
                    self.view,
                    clock,
                    layer,
                    lambda box: layer.show_dots(self.points_at(box)),
                ),
            ]
        dots = VMobject(
            fill_color=self.palette.data, fill_opacity=opacity, stroke_width=0
        )

        def draw_dots(box: PlotBox) -> None:
            dots.set_points(
                dot_cloud(self.points_at(box), radius, self.palette.data).points
            )

        return [
            follow_view(self.view, clock, axes, axes.draw),
            follow_view(self.view, clock, dots, draw_dots),
        ]

    def model_legend(self) -> VGroup:
        """Which mark is data and which is the model: in a corner of the plot that
        the points, the line and its residuals never cross, else (a run that
        diverges sweeps its line over every corner) small, in one row above the
        plot, right of where the y axis' name and scale go."""
        rows = self.model_entries(self.palette.label_size)
        corner = self.clear_corner(rows, self.ink([self.trace], residuals=True))
        if corner is not None:
            return rows.move_to(corner, aligned_edge=UL)
        rows = self.model_entries(self.palette.tick_size).arrange(RIGHT, buff=ROW_GAP)
        top_right = self.box.c2p(self.box.x_span[1], self.box.y_span[1])
        return rows.next_to(top_right, UP, buff=ABOVE_GAP, aligned_edge=RIGHT)

    def model_entries(self, size: float) -> VGroup:
        """The legend's rows: a dot for the data, a stroke for the model."""
        entries = [
            (Dot(radius=0.07, color=self.palette.data), "data"),
            (line_mark(self.palette.fit, 6), "model  y = a₁·x + a₂"),
        ]
        return legend(self.palette, entries, row_gap=0.2, size=size)

    def ink(
        self,
        traces: Sequence[Trace],
        residuals: bool = False,
        at: Sequence[float] | None = None,
    ) -> Ink:
        """Everything this plot draws at the replay positions `at` (every step and
        half step of the clip if None): the points in each view, each of `traces`'
        lines, and the residuals to the first one's if `residuals`."""
        ink = Ink()
        x_data = self.trace.x[:, 0]
        if at is None:
            at = replay_values(max(trace.n_steps for trace in traces)).tolist()
        for value in at:
            box = self.view.box(value)
            points = self.points_at(box)
            ink.add_points(points)
            for trace in traces:
                slope, intercept = between_steps(trace.params, value)
                span = box.line_span(slope, intercept)
                if span is not None:
                    xs = np.array(span)
                    ink.add_polyline(box.to_points(xs, slope * xs + intercept))
            slope, intercept = between_steps(traces[0].params, value)
            if residuals and math.isfinite(slope) and math.isfinite(intercept):
                fitted = np.clip(slope * x_data + intercept, *box.y_span)
                ink.add_segments(points, box.to_points(x_data, fitted))
        return ink

    def corner_spots(self, mobject: Mobject) -> list[Rect]:
        """The boxes `mobject` would take in the plot's corners: top left (in from
        the y axis' labels), bottom right, top right, bottom left."""
        left, bottom, right, top = self.box.scene_bounds
        left, right = left + CORNER_INSET[0], right - CORNER_INSET[1]
        bottom, top = bottom + AXIS_CLEARANCE, top - CORNER_INSET[1]
        width, height = mobject.width, mobject.height
        return [
            (left, top - height, left + width, top),
            (right - width, bottom, right, bottom + height),
            (right - width, top - height, right, top),
            (left, bottom, left + width, bottom + height),
        ]

    def clear_corner(self, mobject: Mobject, ink: Ink) -> Points | None:
        """Where `mobject`'s top-left corner goes for it to sit in the first corner
        of `corner_spots` that nothing in `ink` crosses; None if none is clear."""
        spots = self.corner_spots(mobject)
        best = spots[clearest(spots, ink, self.clearance())]
        if ink.crowding(grown(best, self.clearance())):
            return None
        return np.array([best[0], best[3], 0.0])

    def clearance(self) -> float:
        """How far a legend keeps from the points' centres and the lines: a point's
        radius and a line's half width, and a little air."""
        return dot_radius(len(self.points)) + 0.05

    # -- moving ---------------------------------------------------------------------
    def line(
        self,
        clock: StepClock,
        trace: Trace,
        color: str,
        opacity: float = 1.0,
        width: float = 6,
        dashed: tuple[float, float, float] | None = None,
    ) -> VMobject:
        """`trace`'s line y = a₁·x + a₂ at the current step, clipped to the plot;
        `dashed`: its dashes' and gaps' lengths, and the first dash's lead."""
        line = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity)

        def follow(mob: Mobject) -> None:
            line = cast(VMobject, mob)  # the updater of `line`, or of a copy of it
            box = self.box_at(clock)
            slope, intercept = clock.params(trace)
            span = box.line_span(slope, intercept)
            if span is None:
                line.clear_points()
                return
            xs = np.array(span)
            ends = box.to_points(xs, slope * xs + intercept)
            if dashed is not None:
                line.set_points(dashes(ends[0], ends[1], *dashed))
            else:
                line.set_points_as_corners(ends)

        return line.add_updater(follow, call_updater=True)

    def residuals(self, clock: StepClock) -> VMobject:
        """Faint segments from each point to the line: what the MSE squares and averages."""
        residuals = VMobject(
            stroke_color=self.palette.fit,
            stroke_width=1.5,
            stroke_opacity=DRAWN["residuals"].opacity,
        )
        x_data = self.trace.x[:, 0]

        def follow(mob: Mobject) -> None:
            segments = cast(VMobject, mob)  # `residuals`, or a copy of it
            box = self.box_at(clock)
            slope, intercept = clock.params(self.trace)
            if not (math.isfinite(slope) and math.isfinite(intercept)):
                segments.clear_points()
                return
            ends = box.to_points(
                x_data, np.clip(slope * x_data + intercept, *box.y_span)
            )
            segments.set_points(segment_curves(self.points_at(box), ends))

        return residuals.add_updater(follow, call_updater=True)

    def outside_note(self, clock: StepClock, above: bool = True) -> list[VGroup]:
        """ "the line has left the view", while it has, by the plot's top-right corner.

        `above`: over the plot (else just inside it, under its top edge).
        """
        box = self.box
        if self.view.limit_step is None:
            return []  # the view keeps the line in sight
        note = label(
            self.palette,
            "the line has left the view",
            self.palette.label_size,
            self.palette.warning,
        )
        note.next_to(
            box.c2p(box.x_span[1], box.y_span[1]), UP if above else DOWN, buff=0.15
        )
        note.align_to(box.c2p(box.x_span[1], 0), RIGHT)
        return [
            shown_while(
                note,
                lambda: self.box_at(clock).line_span(*clock.params(self.trace)) is None,
            )
        ]

    def moving(self, clock: StepClock) -> list[VMobject]:
        """The residuals, then the model's line over them."""
        return [self.residuals(clock), self.line(clock, self.trace, self.palette.fit)]
