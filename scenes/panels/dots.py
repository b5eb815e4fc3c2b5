"""Many marks as one path, drawn in one Cairo call: a cloud of dots (or rings), a
dashed segment or polyline; and the dot size a cloud of n points gets."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from manim import Circle, VMobject

from scenes.geometry import Points, polyline_curves, segment_curves


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


def dashes(
    start: Points, end: Points, dash: float = 0.16, gap: float = 0.1, lead: float = 0.0
) -> Points:
    """Bézier control points of a dashed segment from `start` to `end`, its first
    dash `lead` from the start."""
    length = float(np.linalg.norm(end - start))
    if length == 0:
        return np.zeros((0, 3))
    offsets = np.arange(lead, length, dash + gap)
    starts = start + np.outer(offsets / length, end - start)
    stops = start + np.outer(np.minimum(offsets + dash, length) / length, end - start)
    return segment_curves(starts, stops)


def dash_spans(
    length: float, dash: float, gap: float, pad: float = 0.0
) -> npt.NDArray[np.float64]:
    """Each dash's start and end along a line `length` long, dashes `dash` long and
    `gap` apart from its start, `pad` longer at both ends (clipped to the line):
    shape (m, 2)."""
    starts = np.arange(0.0, length, dash + gap)
    ends = np.minimum(starts + dash + pad, length)
    return np.stack([np.maximum(starts - pad, 0.0), ends], axis=1)


def dashed_corners(
    points: Points, arc: npt.NDArray[np.float64], spans: npt.NDArray[np.float64]
) -> Points:
    """Bézier control points of the polyline `points` (its corners at arc lengths
    `arc`) drawn only along `spans`; each dash its own subpath, bending with it."""
    spans = spans[spans[:, 1] > spans[:, 0]]
    # every dash's two ends at once, (m, 2, 3)
    ends = np.stack([np.interp(spans, arc, points[:, i]) for i in range(3)], axis=-1)
    pieces: list[Points] = []
    for (start, end), (first, last) in zip(spans, ends, strict=True):
        inside = points[(arc > start) & (arc < end)]
        pieces.append(polyline_curves(np.vstack([first, inside, last])))
    return np.vstack(pieces) if pieces else np.zeros((0, 3))


def dash_curves(points: Points, dash: float, gap: float) -> Points:
    """Bézier control points of a dashed polyline through `points`: dashes `dash`
    long, `gap` apart, measured along it from its first point (a last dash may be
    shorter)."""
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(steps)])
    if arc[-1] <= 0:
        return segment_curves(points[:1], points[:1])
    return dashed_corners(points, arc, dash_spans(float(arc[-1]), dash, gap))
