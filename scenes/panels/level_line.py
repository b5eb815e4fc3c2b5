"""The contour through the point a step leaves from: the update arrow crosses it at
a right angle (the plane is at true shape), which is what "steepest" means."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import Mobject, VMobject

from scenes.clock import StepClock
from scenes.geometry import PlotBox
from scenes.least_squares import contour_ellipse
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.plane_layout import path_ink
from scenes.placement import Ink
from sgdcore.trace import Trace

LEVEL_WIDTH = 1.5  # thinner than the arrow's shaft: the arrow reads on top


def level_line(
    plane: ParameterPlane, clock: StepClock, trace: Trace, color: str, until: int
) -> VMobject:
    """The loss contour through `trace`'s parameters at the step under way, in
    `color`, cut at the plane's edges, for the steps before `until` (gone from
    then on, and for a step whose loss is not finite)."""
    line = VMobject(stroke_color=color, stroke_width=LEVEL_WIDTH)

    def draw(mob: Mobject) -> None:
        line.clear_points()
        if clock.value >= until:
            return
        box = plane.view.box(clock.value)
        for run in level_runs(plane, trace, clock.index(trace), box):
            line.start_new_path(run[0])
            line.add_points_as_corners(run[1:])

    return line.add_updater(draw, call_updater=True)


def level_runs(
    plane: ParameterPlane, trace: Trace, step: int, box: PlotBox
) -> list[np.ndarray]:
    """The contour through `trace`'s parameters at `step`, as scene polylines cut
    at `box`'s edges (none where the loss there is not finite)."""
    offset = trace.params[min(step, trace.n_steps)] - plane.best
    excess = float(offset @ plane.hessian @ offset)
    if not np.isfinite(excess) or excess <= 0:
        return []
    ellipse = contour_ellipse(plane.hessian, plane.best, excess)
    return box.cut_runs(box.to_points(ellipse[0], ellipse[1]))


def with_levels(
    plane: ParameterPlane, trace: Trace, until: int
) -> Callable[[PlotBox], Ink]:
    """What the contours' losses keep off in a box: the paths, and the contours
    `level_line` draws through the steps before `until`."""

    def ink(box: PlotBox) -> Ink:
        drawn = path_ink(plane, box)
        for step in range(min(until, trace.n_steps + 1)):
            for run in level_runs(plane, trace, step, box):
                drawn.add_polyline(run)
        return drawn

    return ink
