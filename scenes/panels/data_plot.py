"""The data plot: every point, the model's line at the current step, and its residuals."""

from __future__ import annotations

import math
from typing import cast

import numpy as np
import numpy.typing as npt
from manim import (
    DOWN,
    RIGHT,
    UL,
    UP,
    Circle,
    Dot,
    Mobject,
    VGroup,
    VMobject,
)

from scenes.clock import StepClock
from scenes.geometry import PlotBox, Points, nice_range, segment_curves
from scenes.panels.axes import AxesDrawing, axis_names, follow_view
from scenes.panels.legend import legend, line_mark
from scenes.text import label, shown_while
from scenes.theme import DRAWN, Palette
from scenes.view import line_view
from sgdcore.trace import Trace


def dot_radius(n_points: int) -> float:
    """Dot size for a cloud of `n_points`: smaller as the cloud gets denser."""
    return 0.06 if n_points <= 200 else 0.035 if n_points <= 2000 else 0.018


def dot_cloud(
    points: npt.NDArray[np.float64],
    radius: float,
    color: str,
    opacity: float = 1.0,
    ring: float = 0.0,
) -> VMobject:
    """Many dots as one path (one Cairo call), built from a single circle's outline.

    `ring`: hollow circles, their outline this wide (held-out points), not discs.
    """
    circle = Circle(radius=radius).points
    path = (
        VMobject(stroke_color=color, stroke_width=ring, fill_opacity=0)
        if ring
        else VMobject(fill_color=color, fill_opacity=opacity, stroke_width=0)
    )
    if len(points):
        path.set_points((points[:, None, :] + circle[None, :, :]).reshape(-1, 3))
    return path


def dashes(start: Points, end: Points, dash: float = 0.16, gap: float = 0.1) -> Points:
    """Bézier control points of a dashed segment from `start` to `end`."""
    length = float(np.linalg.norm(end - start))
    if length == 0:
        return np.zeros((0, 3))
    offsets = np.arange(0.0, length, dash + gap)
    starts = start + np.outer(offsets / length, end - start)
    stops = start + np.outer(np.minimum(offsets + dash, length) / length, end - start)
    return segment_curves(starts, stops)


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
        # the axes fit the data, the lesson's x in [-1, 1) or a user's own
        x_range = nice_range(float(x_data.min()), float(x_data.max()))
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
        """Which mark is data and which is the model, in the plot's empty top-left."""
        entries = [
            (Dot(radius=0.07, color=self.palette.data), "data"),
            (
                line_mark(self.palette.fit, 6),
                "model  y = a₁·x + a₂",
            ),
        ]
        return self.in_top_left(legend(self.palette, entries, row_gap=0.2), 0.35)

    def in_top_left(self, mobject: VGroup, inset: float) -> VGroup:
        """`mobject` tucked into the plot's top-left corner, `inset` from the y axis."""
        corner = self.box.c2p(self.box.x_span[0], self.box.y_span[1])
        return mobject.move_to(corner, aligned_edge=UL).shift(
            inset * RIGHT + 0.1 * DOWN
        )

    # -- moving ---------------------------------------------------------------------
    def line(
        self,
        clock: StepClock,
        trace: Trace,
        color: str,
        opacity: float = 1.0,
        width: float = 6,
        dashed: bool = False,
    ) -> VMobject:
        """`trace`'s line y = a₁·x + a₂ at the current step, clipped to the plot."""
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
            if dashed:
                line.set_points(dashes(ends[0], ends[1]))
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
