"""The parabola f(w) = c (w − w*)², and one run hopping along it step by step: each
step a hop from w_t to w_{t+1}, the tangent (the gradient) where it leaves, a mark on
the w axis at every w visited. The view follows the run (scenes/view.py) while the
point waits: it widens before a hop heads off the chart, zooms in after one lands."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from manim import UP, Dot, Mobject, Triangle, VGroup, VMobject

from scenes.clock import StepClock, follow_view
from scenes.curve_views import FLOOR, curve_view, hopping_view, parabola_view
from scenes.geometry import PlotBox, Points, polyline_curves, segment_curves
from scenes.panels.coarse_ticks import CoarseTickAxes
from scenes.panels.hop_fade import hop_opacity
from scenes.panels.readouts import landed_step
from scenes.parabola_geometry import (
    HOP_SAMPLES,
    VisitedMarks,
    apart,
    curvature_of,
    curve_beside,
    curve_heights,
    hop_arcs,
    lowest_point,
    minimum_of,
    quadratic,
    sampled,
    tangent_ends,
)
from scenes.theme import DRAWN, Palette
from scenes.view import MARGIN, View
from sgdcore.trace import Trace

POINT_RADIUS, MINIMUM_RADIUS = 0.11, 0.15  # the run's point; the ring round w*
TANGENT_WIDTH, HALO = 6, 4  # the tangent's stroke; its halo's, wider by this
CURVE_WIDTH = 4  # the parabola's stroke
MARK_LENGTH = 0.16  # the marks of visited w, standing on the axis
MARK_WIDTH, MARK_SPACING = 2, 0.06  # thin, and 8 px apart at least: ticks, not a bar
F_DIGITS = 5  # the shortest f axis, in the f readout's last digits
RECENT_HOPS = 3  # hops drawn in full; older ones faint, so that the last few read
OLDER_HOPS = 3  # faint hops drawn before those; older still, only their w marks stay
HOP_SEEN = 0.4  # the shortest faint hop drawn (scene units); at the close, all such
LABEL_CLEARANCE = 0.07  # from the minimum's ring down to the w labels under it
EDGE = 0.1  # a visited w's mark or finished hop's end this near a side: not drawn


def run_view(
    trace: Trace,
    corner: tuple[float, float],
    size: tuple[float, float],
    f_decimals: int | None = None,
    zoom_in: bool = True,
    first: tuple[float, float] | None = None,
) -> View:
    """The view that follows `trace` on its parabola; with `f_decimals`, the decimals
    its f(w) readout keeps, it zooms in no further than where that readout stops
    changing. Without `zoom_in` it only widens, as a run leaves it: runs side by side
    keep one scale while they can; `first`: a w range its first view holds too."""
    w = trace.params[:, 0]
    if sampled(trace):
        return hopping_view(curve_view(w, trace.grid, trace.curve[0], corner, size))
    curvature = curvature_of(trace)
    floor = FLOOR if zoom_in else math.inf
    if f_decimals is not None:
        # f's axis keeps F_DIGITS of the readout's last digit (c·(MARGIN·half)² on
        # top): its ticks then say plain decimals in the readout's digits, and the
        # plot never shows an f the readout rounds to 0
        floor = max(FLOOR, math.sqrt(F_DIGITS * 10.0**-f_decimals / curvature) / MARGIN)
    return hopping_view(
        parabola_view(w, minimum_of(trace), curvature, corner, size, floor, first)
    )


def drawn(mobject: VMobject, points: Any, draw: Callable[[Any], object]) -> None:
    """`draw(points)` where there are two or more, else clear `mobject`'s points."""
    if points is not None and len(points) > 1:
        draw(points)
    else:
        mobject.clear_points()


class Parabola:
    """One run on the parabola: axes, curve, hop trail, point, tangent, visited marks."""

    def __init__(
        self,
        palette: Palette,
        trace: Trace,
        view: View,
        color: str,
        y_room: float | None = None,  # the widest a y tick label may be
    ) -> None:
        self.palette, self.trace, self.view, self.color = palette, trace, view, color
        self.y_room = y_room
        self.w = trace.params[:, 0]
        self.point: Dot | None = None  # made by moving()
        # the finished hops drawn last frame: (its view, its step, their curves)
        empty = np.zeros((0, 3))
        self.trail_kept: tuple[PlotBox | None, int, Points] = (None, 0, empty)
        # per step, the last one whose view zoomed in on the one before: a hop that
        # flew through a zoom would cross the new view as a line, so it is dropped
        # (a view that waits for its point zooms only while it stands still)
        span = view.y[:, 1] - view.y[:, 0]
        narrowed = np.r_[False, span[1:] < span[:-1]] & (view.settle == 0)
        self.zoomed_at = np.maximum.accumulate(
            np.where(narrowed, np.arange(len(span)), 0)
        )
        with np.errstate(over="ignore", invalid="ignore"):
            # a sampled f: the trace's own f(w_t), exact at every step
            self.f = trace.loss if sampled(trace) else quadratic(trace, self.w)

    def points(self, box: PlotBox) -> Points:
        """Every recorded step as a scene point in `box`."""
        with np.errstate(over="ignore", invalid="ignore"):
            points: Points = box.to_points(self.w, self.f)
        return points

    def hop(self, box: PlotBox, index: int, fraction: float) -> Points:
        """Scene points along hop `index` (w_index to w_index+1) up to `fraction`."""
        points = self.points(box)
        ends = points[[index]], points[[index + 1]]
        arc: Points = hop_arcs(box, *ends, fraction, self.ground(box))[0]
        return arc

    def ground(self, box: PlotBox) -> Callable[[Points], Points] | None:
        """The curve's scene y at scene x in `box`, for hops to clear: a sampled f's
        (a parabola lies under every line between two of its points)."""
        if not sampled(self.trace):
            return None
        return lambda xs: curve_heights(self.trace, box, xs)

    def finished_hops(
        self, box: PlotBox, points: Points, index: int, recent: int = 0
    ) -> Points:
        """Bézier control points of every whole hop before step `index` in view,
        both its ends and HOP_SEEN long (a shorter one reads as a speck of dirt), that
        set off since the view last zoomed in (the older ones were drawn at another
        scale, and cross the zoomed view as old motion), but for the last `recent`.

        Runs every frame: while the view holds still only the hops finished since the
        last frame are drawn anew, else a long run's thousands would be redrawn each.
        """
        kept_box, kept_index, kept = self.trail_kept
        oldest = self.oldest_hop(index)
        end = max(index - recent, oldest)
        reuse = kept_box == box and oldest <= kept_index <= end
        new = self.arcs(box, points, kept_index if reuse else oldest, end, HOP_SEEN)
        curves = np.concatenate([kept, new]) if reuse else new
        self.trail_kept = (box, end, curves)
        return curves

    def oldest_hop(self, index: int) -> int:
        """The first hop at step `index` drawn at the view's scale: since it zoomed."""
        return int(self.zoomed_at[min(index, len(self.zoomed_at) - 1)])

    def arcs(
        self, box: PlotBox, points: Points, first: int, end: int, least: float = 0.0
    ) -> Points:
        """Bézier control points of the whole hops from `first` to `end` in view (at
        least `least` long, in scene units)."""
        inside = box.contains(points[first : end + 1], EDGE)
        long = np.linalg.norm(np.diff(points[first : end + 1], axis=0), axis=1) >= least
        shown = first + np.nonzero(inside[:-1] & inside[1:] & long)[0]
        arcs = hop_arcs(box, points[shown], points[shown + 1], 1.0, self.ground(box))
        arcs = apart(arcs)  # each its own stroke, not mitred onto the last
        return segment_curves(arcs[:, :-1].reshape(-1, 3), arcs[:, 1:].reshape(-1, 3))

    # -- what follows the view -------------------------------------------------------
    def drawing(self, clock: StepClock) -> list[Mobject]:
        """Axes, curve and minimum: static for a fixed view, following it otherwise."""
        palette = self.palette
        axes = CoarseTickAxes(palette, self.y_room, palette.label_size)  # ×10ⁿ legible
        axes.x_gap = MINIMUM_RADIUS + LABEL_CLEARANCE  # 0's label clear of the ring
        curve = VMobject(stroke_color=palette.muted, stroke_width=CURVE_WIDTH)
        # a ring wider than the point: still seen once the point settles on it
        minimum = Dot(
            radius=MINIMUM_RADIUS, color=palette.ink, fill_opacity=0.0, stroke_width=3
        )
        w_star, f_star = lowest_point(self.trace)

        def draw_curve(box: PlotBox) -> None:
            w = np.linspace(*box.x_span, 200)
            f = quadratic(self.trace, w)
            top = box.y_span[1] + 1e-4 * abs(box.y_span[1])
            keep = f <= top  # cut at the top of the plot (and where f is not sampled)
            keep &= f >= box.y_span[0]  # a valley under the view's floor (far out)
            curve.set_points_smoothly(box.to_points(w[keep], f[keep]))

        return [
            follow_view(self.view, clock, axes, axes.draw),
            follow_view(self.view, clock, curve, draw_curve),
            follow_view(
                self.view,
                clock,
                minimum,
                lambda box: minimum.move_to(box.c2p(w_star, f_star)),
            ),
        ]

    # -- moving ---------------------------------------------------------------------
    def moving(self, clock: StepClock) -> list[VMobject]:
        """Visited marks, finished hops (older ones faint), the hop in progress,
        tangent, point."""
        style = {
            "stroke_color": self.color,
            "stroke_width": 2.5,
            "stroke_opacity": DRAWN["trails"].opacity,
        }
        marks = VMobject(stroke_color=self.color, stroke_width=MARK_WIDTH)
        trail = VMobject(**style)  # type: ignore[arg-type]
        # the few hops before those faint and grey: the last few read over them
        faded = VMobject(stroke_color=self.palette.muted, stroke_width=2)
        faded.set_stroke(opacity=DRAWN["older hops"].opacity)
        per_hop = 4 * (HOP_SAMPLES - 1)  # a cubic Bézier per segment of an arc
        hop = VMobject(**style)  # type: ignore[arg-type]
        # the tangent over a halo of the background, so it is seen against that
        # (3:1 in both themes) where it crosses the trail; the curve under it is
        # drawn again over the halo, which would otherwise cut it where the two part
        tangent = VMobject(
            stroke_color=self.palette.background, stroke_width=TANGENT_WIDTH + HALO
        )
        under = VMobject(stroke_color=self.palette.muted, stroke_width=CURVE_WIDTH)
        stroke = VMobject(
            stroke_color=self.palette.highlight, stroke_width=TANGENT_WIDTH
        )
        tangent.add(under, stroke)
        point = self.point = Dot(radius=POINT_RADIUS, color=self.color)
        marker = Triangle(
            color=self.palette.warning, fill_opacity=1.0, stroke_width=0
        ).scale(0.14)
        outside = VGroup()  # holds the marker only while the run is off the chart
        n_steps = self.trace.n_steps
        clock.landings[id(self.trace)] = self.view.landing  # it lands as it hops

        visited = VisitedMarks(self.w, MARK_SPACING, EDGE)
        low = lowest_point(self.trace)

        def follow(_: Mobject) -> None:
            box = self.view.box(clock.value)
            index, fraction = clock.position(self.trace)
            fade = hop_opacity(self.view, self.points, index, fraction)
            fraction = self.view.travel(index, fraction)  # it waits while axes ease
            points = self.points(box)
            inside = box.contains(points)
            # The hops done so far, the one under way, and where the point is now
            faint = self.finished_hops(box, points, index, RECENT_HOPS)
            faint = faint[-OLDER_HOPS * per_hop :]  # the latest of them, in view
            if clock.finished():  # the close: the way in, each hop that reads
                faint = self.arcs(box, points, 0, max(index - RECENT_HOPS, 0), HOP_SEEN)
            drawn(faded, faint, faded.set_points)
            first = max(index - RECENT_HOPS, self.oldest_hop(index))
            done = self.arcs(box, points, first, index)
            drawn(trail, done, trail.set_points)
            here = points[index]
            if fraction > 0 and index < n_steps:
                arc = self.hop(box, index, fraction * fraction * (3 - 2 * fraction))
                here, seen = arc[-1], arc[box.contains(arc)]  # a runaway hop: its start
                drawn(hop, seen, lambda seen: hop.set_points(polyline_curves(seen)))
                hop.set_stroke(opacity=DRAWN["trails"].opacity * fade)  # left behind
            else:
                hop.clear_points()
            shown = bool(box.contains(here[None, :])[0])
            point.move_to(box.clamp(here[None, :])[0]).set_opacity(
                1.0 if shown else 0.0
            )
            # Where the run has been: a mark on the w axis at each w it has left,
            # standing above it (the axis' own ticks hang below)
            feet = visited.feet(box, index + int(fraction > 0))
            ticks = segment_curves(feet, feet + MARK_LENGTH * UP)
            drawn(marks, ticks, marks.set_points)
            # The gradient where the step leaves from, as a tangent (in a hop's last
            # frames where it lands, as the readouts have it); none on the minimum's
            # ring, where a flat slope would lie along the w axis
            at, bottom = landed_step(clock, self.trace), box.c2p(*low)
            rests = np.hypot(*(here - bottom)[:2]) < MINIMUM_RADIUS
            tangent_points = self.tangent(box, at) if inside[at] and not rests else None
            for line in (tangent, stroke):
                drawn(line, tangent_points, line.set_points_as_corners)
            beside = tangent_points and curve_beside(
                self.trace, box, tangent_points, HALO + TANGENT_WIDTH
            )
            drawn(under, beside, under.set_points_smoothly)
            # Past what the view can widen to: a marker on the edge, the point hidden
            marker.move_to(box.clamp(here[None, :])[0] + 0.2 * UP)
            if (not shown) != bool(outside.submobjects):
                outside.add(marker) if not shown else outside.remove(marker)

        trail.add_updater(follow, call_updater=True)
        return [marks, faded, trail, hop, tangent, point, outside]

    def tangent(self, box: PlotBox, index: int) -> list[Points] | None:
        """The tangent at step `index` (slope f′(w) there), fitted to `box`."""
        at = (float(self.w[index]), float(self.f[index]))
        return tangent_ends(box, at, float(self.trace.grad[index, 0]))
