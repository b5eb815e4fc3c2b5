"""Names beside where each path across the parameter plane ends, off the minimum."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DL, DOWN, LEFT, UR, Mobject, VGroup, VMobject

from scenes.clock import StepClock
from scenes.geometry import Points, segment_curves
from scenes.panels.parameter_plane import ParameterPlane
from scenes.text import label


def end_labels(
    plane: ParameterPlane,
    clock: StepClock,
    names: Sequence[str],
    colors: Sequence[str],
) -> VGroup:
    """Each path's name, once the replay is over, in a column off the minimum with a
    thin leader to where the path ended."""
    box = plane.view.box(plane.view.x.shape[0] - 1)
    ends = [
        box.clamp(box.to_points(t.params[-1:, 0], t.params[-1:, 1]))[0]
        for t in plane.traces
    ]
    texts = [
        label(plane.palette, name, plane.palette.tick_size, color)
        for name, color in zip(names, colors, strict=True)
    ]
    # Where the column crosses the fewest path points, of eight places around
    # the ends, inside the plot
    column = VGroup(*texts).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
    centre = np.mean(ends, axis=0)
    trail = np.vstack(
        [box.to_points(t.params[:, 0], t.params[:, 1]) for t in plane.traces]
    )
    left, bottom, right, top = box.scene_bounds

    def crowding(offset: Points) -> float:
        column.move_to(centre + offset)
        (x0, y0, _), (x1, y1, _) = column.get_corner(DL), column.get_corner(UR)
        outside = x0 < left or x1 > right or y0 < bottom or y1 > top
        hits = (trail[:, 0] > x0 - 0.1) & (trail[:, 0] < x1 + 0.1)
        hits &= (trail[:, 1] > y0 - 0.1) & (trail[:, 1] < y1 + 0.1)
        return float(hits.sum()) + (1e6 if outside else 0.0)

    reach = np.array([column.width / 2 + 0.5, column.height / 2 + 0.4, 0.0])
    offsets = [
        ring * reach * np.array([np.cos(a), np.sin(a), 0.0])
        for ring in (1.0, 1.5, 2.0)
        for a in np.arange(8) * np.pi / 4
    ]
    column.move_to(centre + min(offsets, key=crowding))
    leaders = VMobject(stroke_color=plane.palette.muted, stroke_width=1)
    starts = np.array(
        [t.get_left() if t.get_x() > centre[0] else t.get_right() for t in texts]
    )
    leaders.set_points(segment_curves(starts, np.array(ends)))
    group = VGroup(leaders, *texts)
    holder = VGroup()

    def show(mob: Mobject) -> None:
        if clock.finished() != bool(mob.submobjects):
            mob.add(group) if clock.finished() else mob.remove(group)

    return holder.add_updater(show, call_updater=True)
