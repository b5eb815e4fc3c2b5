"""Views of one run along a curve f(w): the parabola's and a sampled function's.

Plain numpy, built on scenes/view.py. The parabola's view widens with a run that
leaves and follows a run that settles inward, step after step, as far as its shown
digits can tell the steps apart; a sampled curve's view holds its valleys in sight.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from scenes.geometry import nice_step
from scenes.numbers import TINY
from scenes.view import (
    GROWTH_LIMIT,
    MARGIN,
    SETTLED,
    ZOOM,
    View,
    rounded_out,
)

ZOOM_FROM = 2.5  # the parabola's view zooms in once the rest of the run fits in
# 1/ZOOM_FROM of it (a crawl that ends halfway there never does)...
FOLLOW = 0.9  # ...then its half-width shrinks as the run's reach to this power: it
# narrows more slowly than the run closes in, so the point still closes in on the
# minimum on screen (at lr_just_right's pace, a fifth each step, by 1 − 0.2^0.1 ≈
# 15% of its distance a step)
ROUND = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)  # a zoom's first digits, of a power of ten
SETTLE = 0.4  # of an update whose view changes: the view eases, then the point hops
FLOOR = 5 * TINY  # the narrowest half-width: a w under TINY reads 0.0000, so a step
# that a readout can still tell apart is at least a fifth of it


def needs(
    distances: npt.NDArray[np.float64], first: float
) -> tuple[float, npt.NDArray[np.float64], npt.NDArray[np.float64], int | None]:
    """What a view of a run must reach, step by step: the widest it may grow to
    (GROWTH_LIMIT times `first`), each step's distance (non-finite ones without
    bound), the most any step from there on needs, and the first step that needs
    more than the limit, if any."""
    limit = GROWTH_LIMIT * first
    needed = np.where(np.isfinite(distances), np.abs(distances), np.inf)
    beyond = np.flatnonzero(needed > limit)
    ahead = np.maximum.accumulate(needed[::-1])[::-1]
    return limit, needed, ahead, (int(beyond[0]) if beyond.size else None)


def following_reach(
    distances: npt.NDArray[np.float64], first: float, closest: float
) -> tuple[npt.NDArray[np.float64], int | None]:
    """Half-widths per step: `first`, widened to keep each distance in view, and
    zoomed in once the run has settled.

    It widens at most GROWTH_LIMIT times. It zooms in (ZOOM times, once a step, never
    below `closest`) only when every distance still to come lies within 1/SETTLED of
    the current half-width: a view that zooms in while the run is still on its way
    out would read as the run coming back. Returns the half-widths and the first step
    that needed more than the limit (non-finite distances do), if any.
    """
    limit, needed, ahead, beyond = needs(distances, first)
    reach = np.empty(len(needed))
    half = first
    for k, need in enumerate(needed):
        half = max(half, min(need, limit))
        if half > closest and SETTLED * ahead[k] <= half:
            half = max(half / ZOOM, closest)
        reach[k] = half
    return reach, beyond


def settling_reach(
    distances: npt.NDArray[np.float64], first: float, closest: float
) -> tuple[npt.NDArray[np.float64], int | None]:
    """Half-widths per step: `first`, widened to keep each distance in view (at most
    GROWTH_LIMIT times), and narrowed step by step as the run settles.

    Once every distance still to come fits in 1/ZOOM_FROM of the widest view so far,
    the half-width follows that reach to the power FOLLOW, down to `closest`: it
    narrows more slowly than the run closes in, so each hop still moves the point
    toward the minimum on screen, and never while the run has farther to go (that
    would read as the run coming back). Returns the half-widths and the first step
    that needed more than the limit (non-finite distances do), if any.
    """
    limit, needed, ahead, beyond = needs(distances, first)
    reach = np.empty(len(needed))
    half = widest = first
    for k, need in enumerate(needed):
        half = max(half, min(need, limit))
        widest = max(widest, half)
        share = min(ZOOM_FROM * float(ahead[k]) / widest, 1.0)
        half = min(half, max(widest * share**FOLLOW, closest))
        reach[k] = half
    return reach, beyond


def parabola_view(
    w: npt.NDArray[np.float64],
    minimum: float,
    curvature: float,
    corner: tuple[float, float],
    size: tuple[float, float],
    floor: float = FLOOR,
    first: tuple[float, float] | None = None,
) -> View:
    """The view of a run on f(w) = c (w − w*)² that keeps the point in sight.

    It starts on what the first steps need: both sides of the minimum if the run ever
    crosses it, else only the side it walks down (so tiny steps are not lost in an
    empty half). It widens as the run does, and follows it in on the minimum as it
    settles (`settling_reach`), down to `floor` (or 1/GROWTH_LIMIT of its start): a
    panel whose readouts stop changing sooner stops there. Its height follows f over
    its width, so the curve keeps its shape. Each axis after the first view is that
    view's scaled by a round factor (`scaled`), at least as wide as the run needs:
    the zoom badge then names the factor the axes were scaled by, exactly. `first`:
    a w range the first view holds too (runs side by side starting on one view).
    """
    offsets = w - minimum
    start = abs(float(offsets[0])) or 1.0
    crosses = bool(
        (np.sign(offsets[np.isfinite(offsets)]) * np.sign(offsets[0]) < 0).any()
    )
    closest = min(max(floor, start / GROWTH_LIMIT), start)
    reach, limit_step = settling_reach(offsets, start, closest)
    side = math.copysign(1.0, float(offsets[0]) or 1.0)
    x = np.empty((len(w), 2))
    y = np.empty((len(w), 2))
    for k, half in enumerate(reach):
        if crosses:
            low, high = minimum - MARGIN * half, minimum + MARGIN * half
        else:
            near, far = minimum - 0.15 * side * half, minimum + side * MARGIN * half
            low, high = min(near, far), max(near, far)
        # the first view, then that scaled by round factors: the zoom badge says them
        if k == 0:
            if first is not None:
                low, high = min(low, first[0]), max(high, first[1])
            x[k] = rounded_out(low, high, 7)
        else:  # in no further than keeps low..high in view
            ends = np.array([low, high]) - minimum
            most = np.min((x[0] - minimum)[ends != 0] / ends[ends != 0])
            x[k] = scaled(x[0], minimum, float(most), 7)
        top = curvature * max((x[k, 0] - minimum) ** 2, (x[k, 1] - minimum) ** 2)
        y[k] = (
            rounded_out(0.0, top, 6) if k == 0 else scaled(y[0], 0.0, y[0, 1] / top, 6)
        )
    return ParabolaView(x, y, corner, size, limit_step=limit_step)


@dataclass(frozen=True)
class ParabolaView(View):
    """A view of a parabola, whose f span eases in step with w's: as far in its
    zoom (on a log scale) as w's, so the curve keeps its shape while they ease."""

    def y_share(self, index: int, x: npt.NDArray[np.float64], eased: float) -> float:
        """How far y's ranges have eased into update `index`'s, x's being `x`."""
        x_spans = np.diff(self.x[index : index + 2]).ravel()
        y_spans = np.diff(self.y[index : index + 2]).ravel()
        if x_spans[0] == x_spans[1] or y_spans[0] == y_spans[1]:
            return eased
        done = math.log((x[1] - x[0]) / x_spans[0]) / math.log(x_spans[1] / x_spans[0])
        wanted = y_spans[0] * (y_spans[1] / y_spans[0]) ** done
        return float((wanted - y_spans[0]) / (y_spans[1] - y_spans[0]))


def round_factors() -> npt.NDArray[np.float64]:
    """Every zoom, in or out, up to a billion times, that a badge writes exactly in
    whole times of two significant digits (`8×`, `25×`, `1500×`), in ascending order."""
    ins = [m * 10.0**k for k in range(10) for m in ROUND if m * 10**k >= 1]
    ins = [factor for factor in ins if factor >= 10 or factor == round(factor)]
    return np.unique(np.r_[ins, 1 / np.array(ins)])


def scaled(
    first: npt.NDArray[np.float64], centre: float, most: float, max_ticks: int
) -> npt.NDArray[np.float64]:
    """`first` (low, high) scaled about `centre` by the largest round factor
    (`round_factors`) up to `most` (below 1: out), its ends on its ticks (at most
    `max_ticks` of them)."""
    zooms = round_factors()
    for zoom in [*zooms[zooms <= most * (1 + 1e-9)][::-1], zooms[0]]:
        ends: npt.NDArray[np.float64] = centre + (first - centre) / zoom
        step = nice_step(float(ends[1] - ends[0]), max_ticks)
        if np.allclose(ends / step, np.round(ends / step), rtol=0, atol=1e-6):
            break
    return ends


def curve_view(
    w: npt.NDArray[np.float64],
    grid: npt.NDArray[np.float64],
    f: npt.NDArray[np.float64],
    corner: tuple[float, float],
    size: tuple[float, float],
) -> View:
    """The view of a run on a sampled f(w): its start and the curve's valleys, widened
    as the run leaves them and back once it has settled among them. Its height runs
    from the lowest of the curve in view to the highest point visited (the curve is
    cut there, as the parabola is)."""
    bottoms = (f <= np.r_[np.inf, f[:-1]]) & (f < np.r_[f[1:], np.inf])
    low, high = min(float(w[0]), *grid[bottoms]), max(float(w[0]), *grid[bottoms])
    centre, first = (low + high) / 2, max((high - low) / 2, 0.5)
    reach, limit_step = following_reach(w - centre, first, first)
    on_curve = np.interp(w, grid, f)  # the visited points' heights (w is in the grid)
    x, y = np.empty((len(w), 2)), np.empty((len(w), 2))
    for k, half in enumerate(reach):
        x[k] = rounded_out(centre - MARGIN * half, centre + MARGIN * half, 7)
        inside = f[(grid >= x[k, 0]) & (grid <= x[k, 1])]
        visited = on_curve[: k + 1][np.isfinite(on_curve[: k + 1])]
        top = max(float(visited.max(initial=-np.inf)), float(f[bottoms].max()))
        bottom = float(inside.min()) if inside.size else float(f.min())
        pad = 0.08 * ((top - bottom) or 1.0)
        # valleys under 1% of a runaway view's height: from 0, as the parabola's
        low = bottom - pad if bottom < -0.01 * (top - bottom) else min(bottom, 0.0)
        y[k] = rounded_out(0.0 if -pad < low < 0 else low, top + pad, 6)
    return View(x, y, corner, size, limit_step=limit_step)


def hopping_view(view: View, settle: float = SETTLE) -> View:
    """`view` for a point that hops between steps: its ranges ease while the point
    waits on the curve (before a hop if they widen, so it lands in sight; after it
    lands if they narrow, so the hop starts in sight) and hold while it hops, so
    point, curve and tangent never part. A view that zoomed in on a run that settled
    opens out again for the last step: the closing frame shows the whole way in."""
    return closing_out(replace(view, settle=settle))


def closing_out(view: View) -> View:
    """`view` with its last step's ranges its widest step's, if it ended narrower
    (zoomed in on a run that settled, the last steps held in close-up) and the run's
    end lies in that widest view: the verdict beside the whole run, from its start."""
    span = view.x[:, 1] - view.x[:, 0]
    widest = int(np.argmax(span))
    if len(span) < 3 or span[-1] >= span[widest] or widest == len(span) - 1:
        return view
    x, y = view.x.copy(), view.y.copy()
    x[-1], y[-1] = x[widest], y[widest]
    return replace(view, x=x, y=y)
