"""Views that follow the run: a plot's axis ranges as a function of the replay's step.

Plain numpy. A view is one pair of axis ranges per recorded step; between steps the
ranges ease from one to the next while the run moves, so a run that heads off the
chart widens the axes as it goes instead of sliding along the edge, and a run that
settles into a corner of the chart is zoomed in on, so its last hops and its holding
still can be seen. A view that never changes is `fixed`, and its plot can be drawn once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from scenes.geometry import PlotBox, nice_range, nice_step, step_position

Range = tuple[float, float, float]  # (low, high, tick step)
GROWTH_LIMIT = 1e4  # a view widens at most this many times; past it, the run diverged
MARGIN = 1.15  # room around what must be shown, as a factor of its half-width
ZOOM = 4.0  # a view zooms in this many times in one step...
SETTLED = 2 * ZOOM  # ...once the rest of the run stays within 1/SETTLED of it, so the
# point still moves visibly after the zoom, at a quarter of the new half-width at most
PLANE_ZOOM = 4.0  # the parameter plane zooms in this many times, once: its inner
# contours (each sqrt(CONTOUR_RATIO) times inside the last) still show
# room round what a lead view frames, as a share of its longer side: the first of
# these that gives its ticks a step of 1, 2 or 5
LEAD_MARGINS = (0.15, 0.2, 0.1, 0.25, 0.3)
LEAD_OUT = 3  # steps after the lead over which its view eases out to the walk's


def ease(fraction: float) -> float:
    """Smoothstep: slow in, slow out (the same easing as a hop)."""
    return fraction * fraction * (3 - 2 * fraction)


@dataclass(frozen=True)
class View:
    """Axis ranges per recorded step; row k is the view once step k is reached."""

    x: npt.NDArray[np.float64]  # (n_steps + 1, 2): low, high
    y: npt.NDArray[np.float64]  # (n_steps + 1, 2)
    corner: tuple[float, float]
    size: tuple[float, float]
    max_ticks: tuple[int, int] = (7, 6)
    limit_step: int | None = None  # the first step the view could not widen enough for
    same_ticks: bool = False  # one tick step on both axes (true-shape planes)
    eased: bool = True  # eased between steps, else at an even pace, as points move
    eased_until: int = 0  # steps before this one ease whatever `eased` says (a lead)
    # of an update whose ranges change, the share in which they ease while the
    # points wait: before the points move if the view widens, after they land if it
    # narrows; the points move in the rest, in ranges that hold (0: all together)
    settle: float = 0.0

    @property
    def fixed(self) -> bool:
        """Whether the ranges never change."""
        return bool((self.x == self.x[0]).all() and (self.y == self.y[0]).all())

    def rescales(self, index: int) -> int:
        """How the ranges change over update `index` (to step `index + 1`): 1 wider
        across, -1 narrower, 0 not at all."""
        if index + 1 >= len(self.x):
            return 0
        if (self.x[index] == self.x[index + 1]).all():
            return int(not (self.y[index] == self.y[index + 1]).all())
        span = self.x[:, 1] - self.x[:, 0]
        return 1 if span[index + 1] >= span[index] else -1

    def landing(self, index: int) -> float:
        """The share of update `index` after which its points have landed."""
        return 1.0 - self.settle if self.rescales(index) < 0 else 1.0

    def travel(self, index: int, fraction: float) -> float:
        """How far through update `index` the points are at `fraction` of it: with
        `settle`, they wait while the ranges ease, and cover the update in the rest."""
        change = self.rescales(index) if self.settle else 0
        if change > 0:
            return max(0.0, (fraction - self.settle) / (1.0 - self.settle))
        if change < 0:
            return min(1.0, fraction / (1.0 - self.settle))
        return fraction

    def y_share(self, index: int, x: npt.NDArray[np.float64], eased: float) -> float:
        """How far y's ranges have eased into update `index`'s, x's being `x`."""
        return eased

    def at_rest(self, box: PlotBox) -> bool:
        """Whether `box` has the ranges of a recorded step, not of a move between."""
        x, y = np.array(box.x_range[:2]), np.array(box.y_range[:2])
        return bool(((self.x == x).all(axis=1) & (self.y == y).all(axis=1)).any())

    def box(self, value: float) -> PlotBox:
        """The plot box at the replay's position `value` (in steps)."""
        index, fraction = step_position(value, len(self.x) - 1)
        change = self.rescales(index) if self.settle else 0
        if change > 0:
            fraction = min(fraction / self.settle, 1.0)
        elif change < 0:
            fraction = max(0.0, (fraction - 1.0 + self.settle) / self.settle)
        eased = ease(fraction) if self.eased or index < self.eased_until else fraction
        x, y = self.x[index], self.y[index]
        if fraction >= 1:  # eased all the way: the next ranges, exactly
            x, y = self.x[index + 1], self.y[index + 1]
        elif fraction > 0:
            x = x + eased * (self.x[index + 1] - x)
            y = y + self.y_share(index, x, eased) * (self.y[index + 1] - y)
        x_step = nice_step(x[1] - x[0], self.max_ticks[0])
        y_step = nice_step(y[1] - y[0], self.max_ticks[1])
        if self.same_ticks:
            x_step = y_step = min(x_step, y_step)
        return PlotBox(
            (float(x[0]), float(x[1]), x_step),
            (float(y[0]), float(y[1]), y_step),
            self.corner,
            self.size,
        )


def fixed_view(
    x_range: Range,
    y_range: Range,
    corner: tuple[float, float],
    size: tuple[float, float],
    n_steps: int,
) -> View:
    """A view that never moves."""
    x = np.tile([x_range[0], x_range[1]], (n_steps + 1, 1))
    y = np.tile([y_range[0], y_range[1]], (n_steps + 1, 1))
    return View(x.astype(np.float64), y.astype(np.float64), corner, size)


def rounded_out(low: float, high: float, max_ticks: int) -> tuple[float, float]:
    """`[low, high]` rounded outward to its tick step (so the axis ends on a tick)."""
    start, stop, _ = nice_range(low, high, max_ticks)
    return start, stop


def equal_aspect(
    centre: npt.NDArray[np.float64],
    spans: npt.NDArray[np.float64],
    size: tuple[float, float],
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Ranges around `centre` covering `spans`, widened so one unit is as long on both axes."""
    scale = min(size[0] / spans[0], size[1] / spans[1])  # scene units per data unit
    half = np.array(size) / scale / 2
    across = (centre[0] - half[0], centre[0] + half[0])
    return across, (centre[1] - half[1], centre[1] + half[1])


def settled_regions(
    stacked: npt.NDArray[np.float64], minimum: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per step k, the box around every point the paths still visit from step k on,
    and the minimum: its low and high corners, (steps, 2) each. A non-finite point
    makes the box infinite from then back."""
    finite = np.asarray(np.isfinite(stacked).all(axis=(0, 2)))[:, None]  # (steps, 1)
    with np.errstate(invalid="ignore"):
        low = np.where(finite, stacked.min(axis=0), -np.inf)  # (steps, 2)
        high = np.where(finite, stacked.max(axis=0), np.inf)
    low = np.minimum(np.minimum.accumulate(low[::-1])[::-1], minimum)
    high = np.maximum(np.maximum.accumulate(high[::-1])[::-1], minimum)
    return low, high


def plane_view(
    paths: list[npt.NDArray[np.float64]],
    minimum: npt.NDArray[np.float64],
    corner: tuple[float, float],
    size: tuple[float, float],
    explode: npt.NDArray[np.bool_] | None = None,
    also: npt.NDArray[np.float64] | None = None,
    zoom: bool = True,
) -> View:
    """The view of parameter paths at true shape, following them out and in.

    It starts on every point of every path that has not run away (marked by
    `explode`, one mask per step of the longest path), the minimum and the points
    `also` (shape (m, 2): what is drawn around the start), padded; a path that
    leaves that region widens the view as it goes, at most GROWTH_LIMIT times. Once
    every path has settled (all still to come, and the minimum, fits in 1/SETTLED of
    the view across and up) it zooms in PLANE_ZOOM times on where they settle, once,
    so the last steps can be seen. Without the `zoom` it never narrows, and widens
    at an even pace between steps, as the points move: every path drawn so far, the
    point under way included, stays in it. Both axes keep one scale.
    """
    n_rows = max(len(path) for path in paths)
    padded = [np.vstack([p, np.repeat(p[-1:], n_rows - len(p), axis=0)]) for p in paths]
    stacked = np.stack(padded)  # (runs, steps, 2)
    calm = np.ones(n_rows, dtype=bool) if explode is None else ~explode
    extra = np.zeros((0, 2)) if also is None else also
    base = np.vstack([stacked[:, calm].reshape(-1, 2), minimum[None, :], extra])
    base = base[np.isfinite(base).all(axis=1)]
    low, high = base.min(axis=0), base.max(axis=0)
    pad = 0.12 * np.maximum(high - low, 0.5)
    low, high = low - pad, high + pad
    limit = GROWTH_LIMIT * (high - low)
    ahead_low, ahead_high = settled_regions(stacked, minimum)
    focus: npt.NDArray[np.float64] | None = None  # where the view zoomed in on
    x, y = np.empty((n_rows, 2)), np.empty((n_rows, 2))
    for k in range(n_rows):
        seen = stacked[:, : k + 1].reshape(-1, 2)
        seen = seen[np.isfinite(seen).all(axis=1)]
        lo = np.minimum(low, seen.min(axis=0) - pad) if len(seen) else low
        hi = np.maximum(high, seen.max(axis=0) + pad) if len(seen) else high
        centre, spans = (lo + hi) / 2, np.minimum(hi - lo, limit)
        low, high = centre - spans / 2, centre + spans / 2  # never narrows
        ranges = np.array(equal_aspect(centre, spans, size))  # rows: x, y
        shown = ranges[:, 1] - ranges[:, 0]
        ahead = ahead_high[k] - ahead_low[k]
        if zoom and focus is None and k > 0 and (SETTLED * ahead <= shown).all():
            focus = (ahead_low[k] + ahead_high[k]) / 2
        if focus is not None:
            centre, spans = focus, shown / PLANE_ZOOM
        x[k], y[k] = equal_aspect(centre, spans, size)
    beyond = np.flatnonzero(~np.isfinite(stacked).all(axis=(0, 2)))
    limit_step = int(beyond[0]) if beyond.size else None
    return View(x, y, corner, size, (6, 6), limit_step, same_ticks=True, eased=zoom)


def lead_view(
    walk: View, frames: Sequence[npt.NDArray[np.float64]], out: int = LEAD_OUT
) -> View:
    """`walk` with steps of its own first, one per frame after the first: step k
    frames the parameters `frames[k]` (shape (m, 2)) at true shape with room round
    them, eased from one to the next. Then `walk`'s view, reached over `out` steps,
    each a smoothstep's share of the way out (a zoom out the eye can follow)."""
    lead = len(frames) - 1
    framed = [framing(shown, walk.size, walk.max_ticks) for shown in frames]
    x0, y0 = framed[-1]
    out = max(1, min(out, len(walk.x) - 1))
    weights = np.array([ease(k / out) for k in range(1, out + 1)])[:, None]
    x = np.vstack([[x for x, _ in framed], x0 + weights * (walk.x[1 : out + 1] - x0)])
    y = np.vstack([[y for _, y in framed], y0 + weights * (walk.y[1 : out + 1] - y0)])
    limit = None if walk.limit_step is None else walk.limit_step + lead
    return replace(
        walk,
        x=np.vstack([x, walk.x[out + 1 :]]),
        y=np.vstack([y, walk.y[out + 1 :]]),
        limit_step=limit,
        eased_until=lead,
    )


def framing(
    shown: npt.NDArray[np.float64],
    size: tuple[float, float],
    max_ticks: tuple[int, int],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The x and y ranges that frame `shown` (shape (m, 2)) at true shape in a plot
    of `size`, with room round them: the first of LEAD_MARGINS whose
    tick step is not a 2.5 (`1.25 1.50`: labels too wide for the plot's left)."""
    low, high = shown.min(axis=0), shown.max(axis=0)
    for margin in LEAD_MARGINS:
        spans = high - low + 2 * margin * float((high - low).max())
        x, y = equal_aspect((low + high) / 2, spans, size)
        step = min(
            nice_step(x[1] - x[0], max_ticks[0]), nice_step(y[1] - y[0], max_ticks[1])
        )
        if round(step / 10.0 ** np.floor(np.log10(step)), 6) != 2.5:
            break
    return np.array(x), np.array(y)


def line_view(
    params: npt.NDArray[np.float64],
    x_range: Range,
    y_range: Range,
    corner: tuple[float, float],
    size: tuple[float, float],
) -> View:
    """The data plot's view: the data, widened upward or downward while the model's
    line y = a₁·x + a₂ has left it (less than a third of it still in sight)."""
    x_low, x_high = x_range[0], x_range[1]
    base_low, base_high = y_range[0], y_range[1]
    span = base_high - base_low
    limit = GROWTH_LIMIT * span
    low, high = base_low, base_high
    y = np.empty((len(params), 2))
    limit_step = None
    for k, (slope, intercept) in enumerate(params):
        ends = np.array([slope * x_low + intercept, slope * x_high + intercept])
        if not np.isfinite(ends).all():
            limit_step = k if limit_step is None else limit_step
        else:
            inside = np.clip(ends, base_low, base_high)
            shown = abs(inside[1] - inside[0]) / max(abs(ends[1] - ends[0]), 1e-12)
            if shown < 1 / 3 or (ends < base_low).all() or (ends > base_high).all():
                low = max(min(low, float(ends.min()) - 0.05 * span), base_low - limit)
                high = min(
                    max(high, float(ends.max()) + 0.05 * span), base_high + limit
                )
                beyond = ends.min() < base_low - limit or ends.max() > base_high + limit
                if beyond and limit_step is None:
                    limit_step = k
        y[k] = rounded_out(low, high, 6)
    x = np.tile([x_low, x_high], (len(params), 1)).astype(np.float64)
    return View(x, y, corner, size, max_ticks=(7, 6), limit_step=limit_step)
