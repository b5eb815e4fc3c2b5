"""Where a label goes: of a few candidate boxes, the one the fewest drawn marks cross.

Plain numpy. A panel knows everything it will draw over the whole clip (every point,
every step's line, path or curve), so a legend, key or note can be put once, before the
replay starts, where none of it ever passes: the data decides where the words go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Rect = tuple[float, float, float, float]  # left, bottom, right, top, in scene units
Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


def grown(rect: Rect, pad: float) -> Rect:
    """`rect` with `pad` more on every side."""
    left, bottom, right, top = rect
    return (left - pad, bottom - pad, right + pad, top + pad)


def within(rect: Rect, outer: Rect) -> bool:
    """Whether `rect` lies inside `outer`."""
    return (
        rect[0] >= outer[0]
        and rect[1] >= outer[1]
        and rect[2] <= outer[2]
        and rect[3] <= outer[3]
    )


def points_inside(rect: Rect, points: Array) -> Mask:
    """Which points, shape (m, 2 or 3), lie inside `rect`; NaN and ±∞ do not."""
    left, bottom, right, top = rect
    with np.errstate(invalid="ignore"):
        return (
            (points[:, 0] >= left)
            & (points[:, 0] <= right)
            & (points[:, 1] >= bottom)
            & (points[:, 1] <= top)
        )


def segments_in(rect: Rect, starts: Array, ends: Array) -> tuple[Mask, Array, Array]:
    """Where straight segments `starts[i]`→`ends[i]`, shape (m, 2 or 3), lie in `rect`.

    Liang–Barsky for all of them at once: whether each meets the box (its parameter's
    interval inside every edge's half-plane is not empty), and that interval's ends,
    0 to 1 along the segment.
    """
    left, bottom, right, top = rect
    start, delta = starts[:, :2], ends[:, :2] - starts[:, :2]
    enter, leave = np.zeros(len(start)), np.ones(len(start))
    meets = np.isfinite(start).all(axis=1) & np.isfinite(delta).all(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        for towards, room in (
            (-delta[:, 0], start[:, 0] - left),
            (delta[:, 0], right - start[:, 0]),
            (-delta[:, 1], start[:, 1] - bottom),
            (delta[:, 1], top - start[:, 1]),
        ):
            ratio = room / towards
            meets &= (towards != 0) | (room >= 0)  # parallel to an edge, outside it
            enter = np.where(towards < 0, np.maximum(enter, ratio), enter)
            leave = np.where(towards > 0, np.minimum(leave, ratio), leave)
    return meets & (enter <= leave), enter, leave


def segments_through(rect: Rect, starts: Array, ends: Array) -> Mask:
    """Which straight segments `starts[i]`→`ends[i]`, shape (m, 2 or 3), meet `rect`."""
    return segments_in(rect, starts, ends)[0]


@dataclass
class Ink:
    """Everything a plot draws over a clip, in scene units: points and segments."""

    points: list[Array] = field(default_factory=list)  # each (m, 2 or 3)
    starts: list[Array] = field(default_factory=list)  # segments' ends, (m, 2 or 3)
    ends: list[Array] = field(default_factory=list)

    def add_points(self, points: Array) -> Ink:
        """Points drawn (a dot's radius is the caller's padding)."""
        self.points.append(np.asarray(points, dtype=np.float64)[:, :2])
        return self

    def add_segments(self, starts: Array, ends: Array) -> Ink:
        """Straight segments drawn, `starts[i]` to `ends[i]`."""
        self.starts.append(np.asarray(starts, dtype=np.float64)[:, :2])
        self.ends.append(np.asarray(ends, dtype=np.float64)[:, :2])
        return self

    def add_polyline(self, points: Array) -> Ink:
        """A polyline drawn through `points`, shape (m, 2 or 3)."""
        points = np.asarray(points, dtype=np.float64)
        return self.add_segments(points[:-1], points[1:]) if len(points) > 1 else self

    def join(self) -> None:
        """The points in one array, and the segments' ends in one each."""
        if len(self.points) > 1:
            self.points = [np.vstack(self.points)]
        if len(self.starts) > 1:
            self.starts, self.ends = [np.vstack(self.starts)], [np.vstack(self.ends)]

    def extend(self, other: Ink) -> Ink:
        """This ink and `other`'s."""
        self.points += other.points
        self.starts += other.starts
        self.ends += other.ends
        return self

    def crowding(self, rect: Rect) -> int:
        """How many of the points and segments lie in or cross `rect`."""
        self.join()  # asked of many boxes: one array each, not many small ones
        count = sum(int(points_inside(rect, p).sum()) for p in self.points)
        for starts, ends in zip(self.starts, self.ends, strict=True):
            count += int(segments_through(rect, starts, ends).sum())
        return count


def crossings(start: Array, end: Array, starts: Array, ends: Array) -> int:
    """How many of the segments `starts[i]`→`ends[i]`, shape (m, 2 or more), the
    segment `start`→`end` crosses: their ends lie on opposite sides of it, and its
    ends on opposite sides of each (touching counts; a non-finite or empty one never
    does)."""
    p, r = start[:2], end[:2] - start[:2]
    q, s = starts[:, :2], ends[:, :2] - starts[:, :2]

    def side(origin: Array, along: Array, points: Array) -> Array:
        offset = points - origin
        return np.asarray(
            along[..., 0] * offset[..., 1] - along[..., 1] * offset[..., 0]
        )

    with np.errstate(invalid="ignore"):
        split = side(p, r, q) * side(p, r, q + s) <= 0
        apart = side(q, s, p) * side(q, s, p + r) <= 0
    return int((split & apart & (np.abs(s).sum(axis=1) > 0)).sum())


def clearest(candidates: Sequence[Rect], ink: Ink, pad: float = 0.0) -> int:
    """The index of the first candidate that the fewest marks of `ink` come within
    `pad` of: a clear one if there is one, in the order given."""
    counts = [ink.crowding(grown(rect, pad)) for rect in candidates]
    return int(np.argmin(counts))


def replay_values(n_steps: int, most: int = 400) -> Array:
    """Replay positions to sample a clip at: every step and half step, or `most`
    evenly spread (both ends included) for a long run."""
    values = np.arange(0.0, n_steps + 0.25, 0.5)
    if len(values) > most:
        values = np.unique(np.r_[np.linspace(0.0, n_steps, most), float(n_steps)])
    return values
