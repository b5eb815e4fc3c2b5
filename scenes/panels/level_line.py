"""The contour through the point a step leaves from: the update arrow crosses it at
a right angle (the plane is at true shape), which is what "steepest" means."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import DOWN, DR, LEFT, RIGHT, Mobject, VGroup, VMobject

from scenes.clock import StepClock
from scenes.geometry import PlotBox
from scenes.least_squares import contour_ellipse
from scenes.panels.legend import line_mark
from scenes.panels.parameter_plane import KEY_GAP, KEYS_ABOVE, ParameterPlane
from scenes.panels.plane_layout import path_ink
from scenes.panels.step_arrows import keyed_while_seen
from scenes.placement import Ink
from scenes.text import label, while_true
from sgdcore.trace import Trace

LEVEL_WIDTH = 1.5  # thinner than the arrow's shaft: the arrow reads on top
LEVEL_WORDS = "contour through the point"


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


def plane_keys(
    plane: ParameterPlane, clock: StepClock, trace: Trace, color: str, until: int
) -> list[VMobject]:
    """The plane's keys in small type, in two rows over its top-right corner: the
    update arrow (in `color`) while it can be seen; under it `level_line`'s contour
    while it is drawn (before step `until`), then the minimum's cross while the
    view holds it."""
    size, muted = plane.palette.tick_size, plane.palette.muted
    words = label(plane.palette, LEVEL_WORDS, size, muted)
    level = VGroup(line_mark(color, LEVEL_WIDTH * 2), words).arrange(RIGHT, buff=0.2)
    keys = VGroup(plane.arrow_key(color, size), plane.minimum_key(size))
    keys.arrange(DOWN, aligned_edge=LEFT, buff=KEY_GAP)
    _, _, right, top = plane.view.box(0).scene_bounds
    keys.move_to(np.array([right, top + KEYS_ABOVE, 0.0]), aligned_edge=DR)
    arrow_key, cross_key = keys.submobjects
    level.move_to(cross_key, aligned_edge=LEFT)

    def cross_seen() -> bool:
        box = plane.view.box(clock.value)
        at = box.to_points(plane.best[:1], plane.best[1:])
        return clock.value >= until and bool(box.contains(at).all())

    # drawn or not within a play (while_true): a key taken off mid-play stays drawn
    return [
        keyed_while_seen(arrow_key, plane, clock, [trace]),
        while_true(level, lambda: clock.value < until),
        while_true(cross_key, cross_seen),
    ]
