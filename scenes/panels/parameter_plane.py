"""The parameter plane: loss contours over (a₁, a₂), the minimum, and paths across them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import cast

import numpy as np
import numpy.typing as npt
from manim import DOWN, LEFT, RIGHT, UP, Cross, Dot, Mobject, VGroup, VMobject

from scenes.camera import KeptPath
from scenes.clock import StepClock
from scenes.geometry import nice_range, polyline_curves
from scenes.least_squares import contour_ellipse, quadratic_form
from scenes.panels.axes import axis_names, plot_axes
from scenes.text import label
from scenes.theme import Palette
from sgdcore.trace import Trace

CONTOUR_LEVELS = 7  # ellipses, spaced by factors of CONTOUR_RATIO in excess loss
CONTOUR_RATIO = 3.0


class ParameterPlane:
    """Axes over (slope a₁, intercept a₂) spanning every path and the minimum."""

    def __init__(
        self,
        palette: Palette,
        traces: Sequence[Trace],
        corner: tuple[float, float],
        size: tuple[float, float],
    ) -> None:
        self.palette = palette
        self.hessian, self.best, _ = quadratic_form(traces[0])
        finite = [t.params[np.isfinite(t.params).all(axis=1)] for t in traces]
        points = np.vstack([*finite, self.best[None, :]])
        low, high = points.min(axis=0), points.max(axis=0)
        pad = 0.12 * np.maximum(high - low, 0.5)
        a1 = nice_range(low[0] - pad[0], high[0] + pad[0], max_ticks=5)
        a2 = nice_range(low[1] - pad[1], high[1] + pad[1], max_ticks=5)
        self.box, self.axes = plot_axes(palette, a1, a2, corner, size)

    # -- static ---------------------------------------------------------------------
    def frame(self) -> VGroup:
        """The axes, named a₁ (right of the horizontal) and a₂ (above the vertical)."""
        return VGroup(self.axes, *axis_names(self.palette, self.box, "a₁", "a₂"))

    def contours(self) -> VGroup:
        """Ellipses of equal loss, faint, and a cross at the least-squares minimum."""
        box, hessian, best = self.box, self.hessian, self.best
        corners = np.array(
            [[box.x_range[i], box.y_range[j]] for i in (0, 1) for j in (0, 1)]
        )
        top = max(float((c - best) @ hessian @ (c - best)) for c in corners)
        ellipses = VMobject(
            stroke_color=self.palette.muted, stroke_width=1.5, stroke_opacity=0.55
        )
        curves = []
        for level in range(CONTOUR_LEVELS):
            ellipse = contour_ellipse(
                hessian, best, top / CONTOUR_RATIO ** (level + 0.5)
            )
            for run in box.inside_runs(box.to_points(ellipse[0], ellipse[1])):
                curves.append(polyline_curves(run))
        if curves:
            ellipses.set_points(np.vstack(curves))
        return VGroup(ellipses, self.minimum_cross().move_to(box.c2p(*best)))

    def minimum_cross(self) -> Cross:
        """The mark of the least-squares minimum."""
        return Cross(stroke_color=self.palette.ink, stroke_width=3, scale_factor=0.12)

    def minimum_key(self) -> VGroup:
        """What the cross marks, to sit off the plot, away from the paths."""
        words = label(
            self.palette,
            "least-squares minimum",
            self.palette.label_size,
            self.palette.muted,
        )
        return VGroup(self.minimum_cross(), words).arrange(RIGHT, buff=0.2)

    def static(self) -> VGroup:
        """The axes, the contours and the minimum's key, inside the bottom-right corner.

        Paths from the lesson's start run from bottom left to the minimum, so that
        corner stays clear.
        """
        box = self.box
        key = self.minimum_key()
        corner = box.c2p(box.x_span[1], box.y_span[0])
        key.move_to(corner, aligned_edge=DOWN + RIGHT).shift(0.15 * UP + 0.15 * LEFT)
        return VGroup(self.frame(), self.contours(), key)

    # -- moving ---------------------------------------------------------------------
    def path(self, clock: StepClock, trace: Trace, color: str) -> list[VMobject]:
        """`trace`'s parameters so far as a path over the contours, a dot at the step."""
        box = self.box
        points = box.to_points(trace.params[:, 0], trace.params[:, 1])
        finished = KeptPath(stroke_color=color, stroke_width=3)  # traced once per step
        leg = VMobject(stroke_color=color, stroke_width=3)  # the step under way
        head = Dot(points[0], radius=0.07, color=color)

        def set_runs(mob: VMobject, line: npt.NDArray[np.float64]) -> None:
            curves = [polyline_curves(run) for run in box.inside_runs(line)]
            mob.set_points(np.vstack(curves)) if curves else mob.clear_points()

        def walk(mob: Mobject) -> None:
            index, fraction = clock.position(trace)
            tip = points[index]
            if fraction != 0:
                tip = tip + fraction * (points[index + 1] - points[index])
            set_runs(cast(VMobject, mob), points[: index + 1])  # `finished`
            set_runs(leg, np.vstack([points[index], tip]))
            inside = math.isfinite(tip[0]) and bool(box.contains(tip[None, :])[0])
            head.move_to(tip if inside else box.clamp(tip[None, :])[0])
            head.set_opacity(1.0 if inside else 0.4)

        return [finished.add_updater(walk, call_updater=True), leg, head]
