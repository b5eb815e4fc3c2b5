"""The parabola f(w) = c (w − w*)², and one run hopping along it step by step.

Each step is drawn as a hop from w_t to w_{t+1}, with the tangent (the gradient) at
the point it leaves from and a marker while the run is off the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from manim import UP, Dot, Mobject, Triangle, VGroup, VMobject

from scenes.camera import KeptPath
from scenes.clock import StepClock
from scenes.geometry import PlotBox, nice_range, polyline_curves
from scenes.panels.axes import plot_axes
from scenes.theme import Palette
from sgdcore.trace import Trace

HOP_SAMPLES = 16  # points along each drawn hop: smooth at 1080p, cheap to trace
FAR = 1e300  # where non-finite values are drawn: far off the chart, never at w = 0


def curvature_of(trace: Trace) -> float:
    """The quadratic's curvature c, from the trace's metadata."""
    return float(trace.meta["curvature"])  # type: ignore[arg-type]


def minimum_of(trace: Trace) -> float:
    """The quadratic's minimum w*, from the trace's metadata."""
    return float(trace.meta["minimum"])  # type: ignore[arg-type]


def quadratic(trace: Trace, w: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The trace's quadratic `c * (w - w*)**2`, from its recorded constants."""
    return curvature_of(trace) * (w - minimum_of(trace)) ** 2


def first_overshoot(trace: Trace) -> int | None:
    """The first step on the other side of the minimum from the start, if any."""
    offset = trace.params[:, 0] - minimum_of(trace)
    crossed = np.nonzero(np.sign(offset[1:]) * np.sign(offset[0]) < 0)[0]
    return int(crossed[0]) + 1 if crossed.size else None


def view_for(
    traces: Sequence[Trace],
) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """Axis ranges that show the start, the minimum and a few overshoots, not infinity."""
    minimum = minimum_of(traces[0])
    reach = max(max(abs(float(t.params[0, 0]) - minimum) for t in traces), 1e-3)
    farthest = max(float(np.nanmax(np.abs(t.params[:, 0] - minimum))) for t in traces)
    # Room for a few overshoots of a high lr, but not for its runaway steps
    half_width = min(max(farthest, 1.2 * reach), 3.0 * reach)
    x_range = nice_range(minimum - half_width, minimum + half_width, max_ticks=7)
    top = float(quadratic(traces[0], np.array([x_range[0], x_range[1]])).max())
    return x_range, nice_range(0.0, top, max_ticks=6)


def parabola_axes(
    palette: Palette,
    traces: Sequence[Trace],
    corner: tuple[float, float],
    size: tuple[float, float],
) -> tuple[PlotBox, VGroup]:
    """A plot box that shows `traces` on their parabola, and its axes."""
    x_range, y_range = view_for(traces)
    return plot_axes(palette, x_range, y_range, corner, size)


class Parabola:
    """One run on the parabola: curve, hop trail, moving point, tangent, off-chart marker."""

    def __init__(
        self, palette: Palette, trace: Trace, box: PlotBox, color: str
    ) -> None:
        self.palette, self.trace, self.box, self.color = palette, trace, box, color
        w = trace.params[:, 0]
        f = quadratic(trace, w)
        self.inside = (
            np.isfinite(w)
            & (w >= box.x_span[0])
            & (w <= box.x_span[1])
            & (f <= box.y_span[1])
        )
        with np.errstate(over="ignore", invalid="ignore"):
            points = box.to_points(
                np.nan_to_num(w, nan=FAR, posinf=FAR, neginf=-FAR),
                np.nan_to_num(f, nan=FAR, posinf=FAR),
            )
        self.points = box.clamp(points)  # off-chart values sit on the edge
        self.hop_height = 0.08 * box.size[1]  # the tallest hop, for the longest jumps

    def hop(self, index: int, fraction: float) -> npt.NDArray[np.float64]:
        """Scene points along hop `index` (w_index to w_index+1) up to `fraction`."""
        s = np.linspace(0.0, fraction, HOP_SAMPLES)[:, None]
        start, end = self.points[index], self.points[index + 1]
        height = min(0.3 * float(np.linalg.norm(end - start)), self.hop_height)
        return self.box.clamp(
            start + s * (end - start) + np.sin(np.pi * s) * height * UP
        )

    # -- static ---------------------------------------------------------------------
    def curve(self) -> VMobject:
        """The parabola over the plot's width, cut at its top."""
        w = np.linspace(*self.box.x_span, 200)
        f = quadratic(self.trace, w)
        keep = f <= self.box.y_span[1] * 1.0001
        curve = VMobject(stroke_color=self.palette.muted, stroke_width=4)
        return curve.set_points_smoothly(self.box.to_points(w[keep], f[keep]))

    def minimum(self) -> Dot:
        """A hollow marker at the true minimum."""
        at = self.box.c2p(minimum_of(self.trace), 0.0)
        return Dot(
            at, radius=0.07, color=self.palette.ink, fill_opacity=0.0, stroke_width=3
        )

    def static(self) -> VGroup:
        """The curve and the minimum's marker."""
        return VGroup(self.curve(), self.minimum())

    # -- moving ---------------------------------------------------------------------
    def moving(self, clock: StepClock) -> list[VMobject]:
        """Trail of finished hops, the hop in progress, the tangent and the point itself."""
        # One faint stroke for the trail of finished hops (a KeptPath: traced once per
        # step, not per frame) and for the hop under way
        trail = KeptPath(stroke_color=self.color, stroke_width=2.5, stroke_opacity=0.55)
        hop = VMobject(stroke_color=self.color, stroke_width=2.5, stroke_opacity=0.55)
        tangent = VMobject(stroke_color=self.palette.highlight, stroke_width=4)
        point = Dot(self.points[0], radius=0.11, color=self.color)
        marker = Triangle(
            color=self.palette.warning, fill_opacity=1.0, stroke_width=0
        ).scale(0.14)
        outside = VGroup()  # holds the marker only while the run is off the chart
        # Finished hops never change: their curves are built once, then sliced
        hops = [polyline_curves(self.hop(i, 1.0)) for i in range(self.trace.n_steps)]
        finished = np.vstack(hops) if hops else np.zeros((0, 3))
        ends = np.cumsum([0] + [len(curves) for curves in hops])
        (width, height), box = self.box.size, self.box
        # How much steeper a slope looks on screen than in data units
        aspect = (
            height
            / (box.y_span[1] - box.y_span[0])
            / (width / (box.x_span[1] - box.x_span[0]))
        )

        def follow(_: Mobject) -> None:
            index, fraction = clock.position(self.trace)
            here = self.points[index]
            trail.set_points(finished[: ends[index]]) if index else trail.clear_points()
            if fraction > 0:
                # ease in and out of each hop
                eased = fraction * fraction * (3 - 2 * fraction)
                arc = self.hop(index, eased)
                here = arc[-1]
                hop.set_points(polyline_curves(arc))
            else:
                hop.clear_points()
            point.move_to(here)
            # The gradient at the point the step leaves from, as a tangent segment
            if self.inside[index]:
                slope = float(self.trace.grad[index, 0]) * aspect
                direction = np.array([1.0, slope, 0.0]) / math.hypot(1.0, slope)
                reach = 0.13 * width * direction
                tangent.set_points_as_corners(
                    [self.points[index] - reach, self.points[index] + reach]
                )
            else:
                tangent.clear_points()
            # A marker on the edge while the run is off the chart (removed, not hidden)
            off = not self.inside[index + 1 if fraction > 0 else index]
            marker.move_to(here + 0.2 * UP)
            if off != bool(outside.submobjects):
                outside.add(marker) if off else outside.remove(marker)

        trail.add_updater(follow, call_updater=True)
        return [trail, hop, tangent, point, outside]
