"""Where words go on the parameter plane: what its paths, arrows and contours
cover, and the spots its contours' losses are written at.

The paths are known for the whole clip before it plays, so a label is put once where
no path, update arrow, minimum mark or contour will ever pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from manim import DL, DOWN, LEFT, RIGHT, UP, UR, Mobject

from scenes.geometry import PlotBox, Points, tick_values
from scenes.least_squares import contour_ellipse
from scenes.placement import Ink, Rect, grown
from scenes.placement import within as rect_within

if TYPE_CHECKING:
    from scenes.panels.parameter_plane import ParameterPlane

CROSS_HALF = 0.12  # the minimum's cross reaches this far from its centre
PATH_CLEARANCE = 0.09  # words keep this far from a path (its head is 0.07 wide)
CONTOUR_CLEARANCE = 0.01  # a contour's loss keeps this far from any contour
LABEL_BUFF = 0.06  # a contour's loss, in from the contour
ARC_STRIDE = 0.2  # scene units between the spots tried along an arc in view
# a contour's piece cut off by the view's edges, shorter than this (scene units), is
# left out: a corner's stub reads as a stray mark, not as part of an ellipse
STUB = 0.8


def rect_of(mobject: Mobject) -> Rect:
    """A mobject's bounding box in the plane of the screen."""
    (left, bottom, _), (right, top, _) = mobject.get_corner(DL), mobject.get_corner(UR)
    return (float(left), float(bottom), float(right), float(top))


def meet(first: Rect, second: Rect, gap: float = 0.05) -> bool:
    """Whether two boxes come closer than `gap`."""
    return not (
        first[2] + gap < second[0]
        or second[2] + gap < first[0]
        or first[3] + gap < second[1]
        or second[3] + gap < first[1]
    )


def path_ink(plane: ParameterPlane, box: PlotBox, last: int | None = None) -> Ink:
    """Every path (to step `last`, or whole), its head, every update arrow and the
    minimum's cross, as drawn in `box`."""
    ink = Ink()
    for trace in plane.traces:
        stop = trace.n_steps if last is None else min(last, trace.n_steps)
        params = trace.params[: stop + 1]
        with np.errstate(invalid="ignore", over="ignore"):
            points = box.to_points(params[:, 0], params[:, 1])
            aims = params[:-1] - trace.learning_rate * trace.grad[:stop]
            arrows = box.to_points(aims[:, 0], aims[:, 1])
        ink.add_polyline(points).add_segments(points[:-1], arrows)
        ink.add_points(points[-1:])
    centre = box.c2p(*plane.best)
    for corner in (np.array([1.0, 1.0, 0.0]), np.array([1.0, -1.0, 0.0])):
        ink.add_segments(
            (centre - CROSS_HALF * corner)[None, :],
            (centre + CROSS_HALF * corner)[None, :],
        )
    return ink


def ellipses(plane: ParameterPlane, box: PlotBox) -> list[Points]:
    """Each contour as scene points around its ellipse, outermost first."""
    shapes = []
    for excess in plane.levels:
        ellipse = contour_ellipse(plane.hessian, plane.best, excess)
        shapes.append(box.to_points(ellipse[0], ellipse[1]))
    return shapes


def contour_runs(plane: ParameterPlane, box: PlotBox) -> list[Points]:
    """Every contour as drawn in `box`: cut at its edges, less any piece shorter than
    STUB (a whole ellipse in view is kept, however small)."""
    runs = []
    for points in ellipses(plane, box):
        pieces = box.cut_runs(points)
        # the ellipse closes where it starts: an arc over that point is one piece
        seam = np.allclose(pieces[0][0], points[0]) if pieces else False
        if len(pieces) > 1 and seam and np.allclose(pieces[-1][-1], points[-1]):
            pieces = [np.vstack([pieces.pop(), pieces.pop(0)[1:]]), *pieces]
        for run in pieces:
            whole = len(run) == len(points)
            if whole or np.linalg.norm(np.diff(run, axis=0), axis=1).sum() >= STUB:
                runs.append(run)
    return runs


def contour_ink(plane: ParameterPlane, box: PlotBox) -> Ink:
    """Every contour, as drawn in `box`."""
    ink = Ink()
    for run in contour_runs(plane, box):
        ink.add_polyline(run)
    return ink


def grid_ink(box: PlotBox) -> Ink:
    """The gridlines across `box`, one at each y tick: words keep off them too."""
    ys = tick_values(box.y_range)
    starts = np.array([box.c2p(box.x_span[0], y) for y in ys]).reshape(-1, 3)
    ends = np.array([box.c2p(box.x_span[1], y) for y in ys]).reshape(-1, 3)
    return Ink().add_segments(starts, ends)


def level_spots(points: Points) -> list[tuple[Points, npt.NDArray[np.float64]]]:
    """Where a contour's loss may go, just inside the ellipse: under its top, over its
    bottom, right of its left end, left of its right end."""
    return [
        (points[int(np.argmax(points[:, 1]))], DOWN),
        (points[int(np.argmin(points[:, 1]))], UP),
        (points[int(np.argmin(points[:, 0]))], RIGHT),
        (points[int(np.argmax(points[:, 0]))], LEFT),
    ]


def arc_spots(
    points: Points, box: PlotBox, centre: Points
) -> list[tuple[Points, npt.NDArray[np.float64]]]:
    """Where a contour's loss may go when its ends are out of view: beside its arcs
    in `box`, every ARC_STRIDE scene units from each arc's middle out, across the
    arc on the side towards the ellipse's `centre` (a direction, not unit: a
    label's box goes its half-extent that way, clear of the arc's tangent)."""
    spots = []
    for run in box.inside_runs(points):
        lengths = np.linalg.norm(np.diff(run, axis=0), axis=1)
        along = np.concatenate([[0.0], np.cumsum(lengths)])
        middle = along[-1] / 2
        offsets = np.arange(0.0, middle, ARC_STRIDE)
        for at in np.stack([middle - offsets, middle + offsets], axis=1).ravel():
            spot = np.array([np.interp(at, along, run[:, i]) for i in range(3)])
            ahead = np.array([np.interp(at + 0.01, along, run[:, i]) for i in range(3)])
            tangent = ahead - spot
            across = np.array([-tangent[1], tangent[0], 0.0])
            if np.linalg.norm(across) == 0:
                continue
            across /= np.linalg.norm(across)
            if across @ (centre - spot) < 0:
                across = -across
            spots.append((spot, across))
    return spots


def put_beside(text: Mobject, spot: Points, direction: npt.NDArray[np.float64]) -> None:
    """`text` LABEL_BUFF from `spot` the way `direction` goes: beside a point of a
    contour (direction along an axis) or across an arc (any unit direction)."""
    if np.count_nonzero(direction) == 1:
        text.next_to(spot, direction, buff=LABEL_BUFF)
        return
    reach = abs(direction[0]) * text.width / 2 + abs(direction[1]) * text.height / 2
    text.move_to(spot + (LABEL_BUFF + reach) * direction)


def nudge_inside(text: Mobject, inner: Rect, most: float) -> None:
    """`text` moved at most `most` along each axis, as far as takes it into `inner`."""
    left, bottom, right, top = rect_of(text)
    across = np.clip(inner[0] - left, 0, most) - np.clip(right - inner[2], 0, most)
    up = np.clip(inner[1] - bottom, 0, most) - np.clip(top - inner[3], 0, most)
    text.shift(across * RIGHT + up * UP)


def place_levels(
    plane: ParameterPlane,
    box: PlotBox,
    labels: list[Mobject],
    drawn: Ink | None = None,
    margin: float = 0.0,
) -> list[Mobject]:
    """The contours' losses (`labels`, outermost first) that find a spot in `box`
    clear of every contour, path, arrow and label placed before; each moved there.
    One that finds none, or whose contour is out of view, is left out. With `drawn`
    (what the plane carries in `box` instead of its paths), a label keeps off that
    and may sit beside its contour's arcs in view, not only inside its ends.
    `margin`: how far in from the box's edges a label keeps, moved in by at most
    that from its spot beside its contour if it would come nearer."""
    contours = contour_ink(plane, box)
    paths = path_ink(plane, box) if drawn is None else drawn
    centre = box.c2p(*plane.best)
    inner = grown(box.scene_bounds, -margin)
    taken: list[Rect] = []
    shown = []
    for points, text in zip(ellipses(plane, box), labels, strict=True):
        if not box.contains(points).any():
            continue
        spots = level_spots(points)
        if drawn is not None:
            spots += arc_spots(points, box, centre)
        for spot, direction in spots:
            put_beside(text, spot, direction)
            if margin > 0:
                nudge_inside(text, inner, margin)
            rect = rect_of(text)
            if (
                rect_within(rect, inner)
                and not any(meet(rect, other) for other in taken)
                and not contours.crowding(grown(rect, CONTOUR_CLEARANCE))
                and not paths.crowding(grown(rect, PATH_CLEARANCE))
            ):
                taken.append(rect)
                shown.append(text)
                break
    return shown
