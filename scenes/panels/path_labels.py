"""Names beside where each path across the parameter plane ends, off the minimum."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import permutations

import numpy as np
from manim import Mobject, VGroup, VMobject

from scenes.clock import StepClock
from scenes.geometry import Points, segment_curves
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.plane_layout import (
    PATH_CLEARANCE,
    contour_ink,
    meet,
    path_ink,
    rect_of,
)
from scenes.placement import Ink, Rect, crossings, grown, segments_through
from scenes.text import label

GRID = 0.25  # spacing of the places tried for a name, in scene units
INSET = 0.1  # a name keeps this far inside the plot
LEADER_GAP = 0.08  # from a name to its leader's start
CLEAR_OF_ENDS = 0.3  # an end lies at least this far past its leader's start
# a leader counts the paths it crosses up to this far from its end: every path that
# ends there meets it, within its dot
NEAR_END = 0.25
MOST_PERMUTED = 4  # names placed in each order they can come in, up to this many
NAME_CASING = 5  # the background round a name, parting it from a leader near it


# a name's box, its leader's start, the paths that leader crosses and its length
Spot = tuple[Rect, Points, int, float]


class Leaders(VMobject):
    """Thin lines from each name to where its path ended (a class of their own, so
    a layout check can tell them from the plot's other lines)."""


def end_labels(
    plane: ParameterPlane,
    clock: StepClock,
    names: Sequence[str],
    colors: Sequence[str],
    radii: Sequence[float] | None = None,
) -> VGroup:
    """Each path's name, once the replay is over, where no path, arrow, contour,
    contour label or other name is, with a thin leader to where the path ended: runs that
    end on one another are each named, so a paused last frame tells their ends
    apart. A name that finds no such place is left out (the legend names every
    colour): no name sits on the data. `radii`: each run's end dot, whose edge its
    leader stops at.

    A name stands wholly left or right of its path's end, its leader leaving from
    that side, or else wholly above or below it, its leader leaving its top or
    bottom. Of the places where neither name nor leader meets anything above (a long
    leader may cross contours), those whose leader crosses the fewest paths, then
    the nearest to the end; the names placed in the order that does best.
    """
    box = plane.view.box(plane.view.x.shape[0] - 1)
    ends = [
        box.clamp(box.to_points(t.params[-1:, 0], t.params[-1:, 1]))[0]
        for t in plane.traces
    ]
    paths = path_ink(plane, box)
    paths.join()
    crossed = Crossed(paths.starts[0], paths.ends[0])
    ink = contour_ink(plane, box).extend(paths)
    levels = [rect_of(text) for text in plane.shown_levels(box)]
    inside = grown(box.scene_bounds, -INSET)
    texts = [
        label(plane.palette, name, plane.palette.tick_size, color)
        for name, color in zip(names, colors, strict=True)
    ]

    def placed(order: Sequence[int]) -> list[tuple[int, Spot]]:
        """Each name in `order`, the nearest clear spot left by those before it."""
        taken, spots = list(levels), []
        leaders: list[tuple[Points, Points]] = []
        for k in order:
            spot = clear_spot(texts[k], ends[k], ink, taken, leaders, inside, crossed)
            if spot is not None:
                spots.append((k, spot))
                taken.append(spot[0])
                leaders.append((spot[1], ends[k]))
        return spots

    # the order whose names are most of them placed, their leaders crossing the
    # fewest paths, nearest their ends (the first name placed takes the best spot)
    best = min(
        (placed(order) for order in orders(len(texts))),
        key=lambda spots: (
            -len(spots),
            sum(spot[2] for _, spot in spots),
            sum(spot[3] for _, spot in spots),
        ),
    )
    gaps = [0.0] * len(ends) if radii is None else list(radii)
    kept = sorted(best, key=lambda spot: spot[0])  # in the runs' order
    leaders, tips = [], []
    for k, (rect, start, _, _) in kept:
        text = texts[k]
        text.move_to(np.array([(rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2, 0.0]))
        text.set_stroke(plane.palette.background, NAME_CASING, background=True)
        leaders.append((start, ends[k]))
        tips.append(short_of(start, ends[k], gaps[k]))
    texts = [texts[k] for k, _ in kept]
    if not texts:
        return VGroup()
    lines = Leaders(stroke_color=plane.palette.muted, stroke_width=1)
    starts = np.array([leader[0] for leader in leaders])
    lines.set_points(segment_curves(starts, np.array(tips)))
    group = VGroup(lines, *texts)
    holder = VGroup()

    def show(mob: Mobject) -> None:
        if clock.finished() != bool(mob.submobjects):
            mob.add(group) if clock.finished() else mob.remove(group)

    return holder.add_updater(show, call_updater=True)


def orders(count: int) -> Iterable[Sequence[int]]:
    """The orders to place `count` names in: every one, for up to MOST_PERMUTED
    names, else as given."""
    every = range(count)
    return permutations(every) if count <= MOST_PERMUTED else [every]


class Crossed:
    """How many of a plot's path segments a leader to a path's end crosses, short
    of NEAR_END from that end."""

    def __init__(self, starts: Points, ends: Points) -> None:
        self.starts, self.ends = starts, ends

    def __call__(self, start: Points, end: Points) -> int:
        return crossings(start, short_of(start, end, NEAR_END), self.starts, self.ends)


def short_of(start: Points, end: Points, gap: float) -> Points:
    """The point `gap` short of `end` on the way from `start`: the edge of the dot
    at `end`, where a leader to that dot stops."""
    along = end - start
    length = float(np.linalg.norm(along))
    return end if length <= gap else end - gap * along / length


def leader_starts(rect: Rect, end: Points) -> list[Points]:
    """Where a leader from a name in `rect` to `end` may start, LEADER_GAP off the
    middle of the name's side that faces `end`: its left or right edge, when `end`
    lies CLEAR_OF_ENDS or more past it, else its top or bottom edge, when `end` lies
    that far above or below (under or over the name, a leader leaving its side would
    run along it)."""
    left, bottom, right, top = rect
    middle = np.array([(left + right) / 2, (bottom + top) / 2, 0.0])
    starts = []
    for edge, toward in ((right, 1.0), (left, -1.0)):
        start = np.array([edge + toward * LEADER_GAP, middle[1], 0.0])
        if (end[0] - start[0]) * toward >= CLEAR_OF_ENDS:
            starts.append(start)
    if starts:
        return starts
    for edge, toward in ((top, 1.0), (bottom, -1.0)):
        start = np.array([middle[0], edge + toward * LEADER_GAP, 0.0])
        if (end[1] - start[1]) * toward >= CLEAR_OF_ENDS:
            starts.append(start)
    return starts


def clear_spot(
    text: Mobject,
    end: Points,
    ink: Ink,
    taken: list[Rect],
    leaders: list[tuple[Points, Points]],
    inside: Rect,
    crossed: Crossed,
) -> Spot | None:
    """The box for `text` and its leader's start, on a grid inside `inside`, that
    crosses none of `ink`, the `taken` boxes and the `leaders`, with a leader to `end`
    that crosses no taken box: of those, the one whose leader `crossed` the fewest
    paths, then the nearest to `end`; with that count and its distance. None if
    there is none."""
    width, height = text.width, text.height
    best: tuple[int, float, Rect, Points] | None = None
    for x in np.arange(inside[0], inside[2] - width, GRID):
        for y in np.arange(inside[1], inside[3] - height, GRID):
            rect = (x, y, x + width, y + height)
            for start in leader_starts(rect, end):
                distance = float(np.hypot(x + width / 2 - end[0], start[1] - end[1]))
                if best is not None and (best[0], best[1]) <= (0, distance):
                    continue
                if (
                    ink.crowding(grown(rect, PATH_CLEARANCE))
                    or any(meet(rect, other) for other in taken)
                    or any(
                        segments_through(other, start[None, :], end[None, :]).any()
                        for other in taken
                    )
                    or any(
                        segments_through(
                            grown(rect, LEADER_GAP), a[None, :], b[None, :]
                        ).any()
                        for a, b in leaders
                    )
                ):
                    continue
                key = (crossed(start, end), distance)
                if best is None or key < (best[0], best[1]):
                    best = (*key, rect, start)
    return None if best is None else (best[2], best[3], best[0], best[1])
