"""Plot geometry in plain numpy: no Manim objects, so every piece has a fast unit test.

A `PlotBox` maps data coordinates to scene points for one plot and answers where
things lie relative to it (inside, clamped to its edge, clipped to it). Beside it:
tick ranges, the Bézier control points that draw straight segments, and the position
of the replay between two recorded steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scenes.placement import segments_in

Points = npt.NDArray[np.float64]  # scene points, shape (m, 3)


@dataclass(frozen=True)
class PlotBox:
    """An affine map from data coordinates to scene points for one plot."""

    x_range: tuple[float, float, float]  # (low, high, tick step)
    y_range: tuple[float, float, float]
    corner: tuple[float, float]  # scene position of (x_range[0], y_range[0])
    size: tuple[float, float]  # scene width and height

    @property
    def x_span(self) -> tuple[float, float]:
        """The data x-interval shown."""
        return (self.x_range[0], self.x_range[1])

    @property
    def y_span(self) -> tuple[float, float]:
        """The data y-interval shown."""
        return (self.y_range[0], self.y_range[1])

    @property
    def scene_bounds(self) -> tuple[float, float, float, float]:
        """The box in scene units: (left, bottom, right, top)."""
        (left, bottom), (width, height) = self.corner, self.size
        return left, bottom, left + width, bottom + height

    def c2p(self, x: float, y: float) -> Points:
        """The scene point, shape (3,), of one data coordinate."""
        point: Points = self.to_points(np.array([x]), np.array([y]))[0]
        return point

    def to_points(
        self, xs: npt.NDArray[np.float64], ys: npt.NDArray[np.float64]
    ) -> Points:
        """Scene points, shape (m, 3), for arrays of data coordinates, shape (m,)."""
        (x_low, x_high, _), (y_low, y_high, _) = self.x_range, self.y_range
        scene_x = self.corner[0] + (xs - x_low) / (x_high - x_low) * self.size[0]
        scene_y = self.corner[1] + (ys - y_low) / (y_high - y_low) * self.size[1]
        return np.stack([scene_x, scene_y, np.zeros_like(scene_x)], axis=1)

    def within(
        self, x_span: tuple[float, float], y_span: tuple[float, float]
    ) -> PlotBox:
        """The part of this box over `x_span` × `y_span`, mapped as here: an inner
        box to cut a curve at, clear of the axes on the outer box's edges."""
        left, bottom = (float(v) for v in self.c2p(x_span[0], y_span[0])[:2])
        right, top = (float(v) for v in self.c2p(x_span[1], y_span[1])[:2])
        return PlotBox(
            (*x_span, self.x_range[2]),
            (*y_span, self.y_range[2]),
            (left, bottom),
            (right - left, top - bottom),
        )

    def contains(self, points: Points, inset: float = 0.0) -> npt.NDArray[np.bool_]:
        """Which scene points, shape (m, 3), lie inside the box (edges included), at
        least `inset` in from its left and right edges."""
        left, bottom, right, top = self.scene_bounds
        with np.errstate(invalid="ignore"):
            return (
                np.isfinite(points[:, :2]).all(axis=1)
                & (points[:, 0] >= left + inset)
                & (points[:, 0] <= right - inset)
                & (points[:, 1] >= bottom)
                & (points[:, 1] <= top)
            )

    def clamp(self, points: Points) -> Points:
        """Scene points pulled onto the box; NaN and ±∞ go to the top or right edge."""
        left, bottom, right, top = self.scene_bounds
        clamped = np.array(points, dtype=np.float64, copy=True)
        xs = np.nan_to_num(clamped[:, 0], nan=right, posinf=right, neginf=left)
        ys = np.nan_to_num(clamped[:, 1], nan=top, posinf=top, neginf=bottom)
        clamped[:, 0] = np.clip(xs, left, right)
        clamped[:, 1] = np.clip(ys, bottom, top)
        return clamped

    def clip_segment(self, start: Points, end: Points) -> tuple[Points, Points] | None:
        """The part of the scene segment start→end inside the box (Liang–Barsky), or None."""
        if not (np.isfinite(start[:2]).all() and np.isfinite(end[:2]).all()):
            return None
        left, bottom, right, top = self.scene_bounds
        delta = end - start
        enter, leave = 0.0, 1.0
        for towards, room in (
            (-delta[0], start[0] - left),
            (delta[0], right - start[0]),
            (-delta[1], start[1] - bottom),
            (delta[1], top - start[1]),
        ):
            if towards == 0:
                if room < 0:
                    return None  # parallel to this edge and outside it
                continue
            ratio = room / towards
            if towards < 0:
                enter = max(enter, ratio)
            else:
                leave = min(leave, ratio)
        if enter > leave:
            return None
        return start + enter * delta, start + leave * delta

    def line_span(self, slope: float, intercept: float) -> tuple[float, float] | None:
        """The data x-interval where `slope * x + intercept` lies inside the box, or None."""
        if not (math.isfinite(slope) and math.isfinite(intercept)):
            return None
        (x_low, x_high), (y_low, y_high) = self.x_span, self.y_span
        if slope == 0.0:
            return (x_low, x_high) if y_low <= intercept <= y_high else None
        at_low, at_high = (y_low - intercept) / slope, (y_high - intercept) / slope
        start = max(x_low, min(at_low, at_high))
        stop = min(x_high, max(at_low, at_high))
        return (start, stop) if start < stop else None

    def inside_spans(self, points: Points) -> list[tuple[int, int]]:
        """Index ranges `[start, stop)` of a scene polyline's points inside the box."""
        return true_spans(self.contains(points))

    def clip_rays(self, start: Points, ends: Points) -> Points:
        """The segments from `start` (shape (3,), inside the box) to `ends` (m, 3),
        each cut where it leaves the box: the ends, pulled back onto its edge."""
        left, bottom, right, top = self.scene_bounds
        delta = ends - start
        reach = np.ones(len(ends))
        with np.errstate(divide="ignore", invalid="ignore"):
            for axis, low, high in ((0, left, right), (1, bottom, top)):
                along = delta[:, axis]
                room = np.where(along > 0, high - start[axis], low - start[axis])
                reach = np.minimum(reach, np.where(along != 0, room / along, 1.0))
        clipped: Points = start + np.maximum(reach, 0.0)[:, None] * delta
        return clipped

    def cut_runs(self, points: Points) -> list[Points]:
        """The parts of a scene polyline inside the box, every segment cut where it
        crosses the box's edge: a path that comes in from outside runs in from the
        edge, and a segment that passes right across the box is drawn too."""
        if len(points) < 2:
            return []
        starts, delta = points[:-1], np.diff(points, axis=0)
        ok, enter, leave = segments_in(self.scene_bounds, starts, points[1:])
        runs: list[list[Points]] = []
        joined = False  # whether the last segment reached its end inside the box
        for index in np.flatnonzero(ok):
            a = starts[index] + enter[index] * delta[index]
            b = starts[index] + leave[index] * delta[index]
            if not (joined and index > 0 and ok[index - 1] and enter[index] == 0):
                runs.append([a])
            runs[-1].append(b)
            joined = bool(leave[index] == 1)
        return [np.array(run) for run in runs]

    def inside_runs(self, points: Points) -> list[Points]:
        """The stretches (two points or more) of a scene polyline that lie inside the box."""
        spans = self.inside_spans(points)
        return [points[start:stop] for start, stop in spans if stop - start > 1]

    def clip_polyline(self, points: Points) -> list[Points]:
        """`inside_runs`, each carried on to where the polyline crosses the box's edge."""
        runs = []
        for start, stop in self.inside_spans(points):
            run = list(points[start:stop])
            entry = (
                self.clip_segment(points[start - 1], points[start]) if start else None
            )
            leaves = stop < len(points)
            exit_ = (
                self.clip_segment(points[stop - 1], points[stop]) if leaves else None
            )
            run = ([entry[0]] if entry else []) + run + ([exit_[1]] if exit_ else [])
            if len(run) > 1:
                runs.append(np.array(run))
        return runs


def tick_values(axis_range: tuple[float, float, float]) -> list[float]:
    """The multiples of `step` within an axis range `(start, stop, step)`, ends included."""
    start, stop, step = axis_range
    first = math.ceil(start / step - 1e-9)
    count = math.floor(stop / step + 1e-9) - first
    return [round((first + index) * step, 10) + 0.0 for index in range(count + 1)]


def nice_step(span: float, max_ticks: int = 7) -> float:
    """The 1-2-2.5-5 tick step that cuts `span` into at most `max_ticks - 1` parts."""
    raw_step = span / (max_ticks - 1)
    magnitude = 10.0 ** math.floor(math.log10(raw_step))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)


def nice_range(
    low: float, high: float, max_ticks: int = 7
) -> tuple[float, float, float]:
    """Round `[low, high]` outward to a 1-2-5 tick step with at most `max_ticks` ticks."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        low, high = (low - 1.0, low + 1.0) if math.isfinite(low) else (-1.0, 1.0)
    step = nice_step(high - low, max_ticks)
    start, stop = math.floor(low / step) * step, math.ceil(high / step) * step
    # low / step can underflow to zero (low = −5e-324): keep the ends outside
    start -= step if start > low else 0.0
    stop += step if stop < high else 0.0
    return (start, stop, step)


def with_margin(
    extent: tuple[float, float], margin: float, max_ticks: int
) -> tuple[float, float, float]:
    """An axis over `extent` and `margin` of its span more at either end, its ticks
    those of the extent's nice range: what reaches the extent's ends (a point at
    the data's edge, a curve's tip) stands clear of the axes rather than on them."""
    low, high = extent
    spare = margin * (high - low)
    return low - spare, high + spare, nice_range(low, high, max_ticks)[2]


def segment_curves(starts: Points, ends: Points) -> Points:
    """Cubic Bézier control points, shape (4 m, 3), for m straight segments."""
    thirds = np.array([0.0, 1 / 3, 2 / 3, 1.0])[None, :, None]
    return (starts[:, None, :] + thirds * (ends - starts)[:, None, :]).reshape(-1, 3)


def polyline_curves(points: Points) -> Points:
    """Cubic Bézier control points, shape (4 (m - 1), 3), for a polyline of m points."""
    return segment_curves(points[:-1], points[1:])


def step_position(value: float, n_steps: int) -> tuple[int, float]:
    """The replay at `value` as `(recorded step, fraction of the next update done)`.

    Clamped to the run: `(0, 0.0)` before it starts and `(n_steps, 0.0)` once it ends,
    so a run that stopped early (it diverged) waits at its last step.
    """
    value = min(max(value, 0.0), float(n_steps))
    index = min(math.floor(value), n_steps)
    return index, value - index


def between_steps(
    rows: npt.NDArray[np.float64], value: float
) -> npt.NDArray[np.float64]:
    """Rows of a per-step array (one per recorded step) interpolated linearly at `value`."""
    index, fraction = step_position(value, len(rows) - 1)
    if fraction <= 0.0:
        row: npt.NDArray[np.float64] = rows[index]
        return row
    result: npt.NDArray[np.float64] = rows[index] + fraction * (
        rows[index + 1] - rows[index]
    )
    return result


def coarser(step: float) -> float:
    """The next 1-2-5 tick step up from `step` (1 → 2, 2 or 2.5 → 5, 5 → 10)."""
    magnitude = 10.0 ** math.floor(math.log10(step) + 1e-9)
    mantissa = round(step / magnitude, 6)
    return next(m for m in (2.0, 5.0, 10.0) if m > mantissa + 1e-9) * magnitude


def true_spans(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Index ranges `[start, stop)` of the runs of True in `mask`."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def spaced_apart(
    points: Points, shown: npt.NDArray[np.bool_], spacing: float
) -> npt.NDArray[np.bool_]:
    """Which of `points` (marks, in the order drawn) to draw: each `shown` one but
    those within `spacing` of one kept before it, so a crowd of marks stays marks,
    not a smear. Whether a mark is kept depends only on those before it."""
    kept = np.zeros(len(points), dtype=bool)
    for k in np.flatnonzero(shown):
        near = np.linalg.norm(points[kept] - points[k], axis=1) < spacing
        kept[k] = not near.any()
    return kept
