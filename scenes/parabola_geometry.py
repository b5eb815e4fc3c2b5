"""The function f(w) a one-parameter run descends: the quadratic c·(w − w*)² from the
trace's constants, or a sampled curve (`--function`); and what is drawn along it, the
hops and the stretch of curve beside a tangent. Plain numpy."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from scenes.geometry import PlotBox, Points
from sgdcore.trace import Trace

HOP_SAMPLES = 16  # points along each drawn hop: smooth at 1080p, cheap to trace
HOP_HEIGHT = 0.08  # the tallest hop, as a share of the plot's height
UP = np.array([0.0, 1.0, 0.0])


def curvature_of(trace: Trace) -> float:
    """The quadratic's curvature c, from the trace's metadata."""
    return float(trace.meta["curvature"])  # type: ignore[arg-type]


def minimum_of(trace: Trace) -> float:
    """The quadratic's minimum w*, from the trace's metadata."""
    return float(trace.meta["minimum"])  # type: ignore[arg-type]


def sampled(trace: Trace) -> bool:
    """Whether the trace carries its f(w) as samples (any function, not w²)."""
    return trace.problem == "function"


def quadratic(trace: Trace, w: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The trace's f at `w`: `c * (w - w*)**2`, or its sampled curve (nan outside)."""
    if sampled(trace):
        nowhere = np.nan
        curve: npt.NDArray[np.float64] = np.interp(
            w, trace.grid, trace.curve[0], left=nowhere, right=nowhere
        )
        return curve
    return curvature_of(trace) * (w - minimum_of(trace)) ** 2


def lowest_point(trace: Trace) -> tuple[float, float]:
    """(w, f) where f is lowest: the quadratic's minimum, or the sampled curve's."""
    if sampled(trace):
        index = int(np.argmin(trace.curve[0]))
        return float(trace.grid[index]), float(trace.curve[0, index])
    return minimum_of(trace), 0.0


def curve_beside(
    trace: Trace, box: PlotBox, ends: list[Points], stroke: float
) -> Points | None:
    """Scene points along f in `box` across the scene x of `ends` (a tangent's) and a
    `stroke` width (in stroke units, a hundredth of a scene unit) past each; None
    where less than a sliver of it is in the box."""
    (left, _, right, _), (low, high) = box.scene_bounds, box.x_span
    reach = stroke / 100
    xs = np.clip([ends[0][0] - reach, ends[-1][0] + reach], left, right)
    ws = low + (xs - left) / (right - left) * (high - low)
    w = np.linspace(float(ws[0]), float(ws[1]), 24)
    with np.errstate(over="ignore", invalid="ignore"):
        f = quadratic(trace, w)
    keep = np.isfinite(f) & (f >= box.y_span[0]) & (f <= box.y_span[1])
    if keep.sum() < 2:
        return None
    points: Points = box.to_points(w[keep], f[keep])
    return points


def hop_arcs(box: PlotBox, starts: Points, ends: Points, fraction: float) -> Points:
    """Scene points, shape (m, HOP_SAMPLES, 3), along m hops up to `fraction`.

    Each hop rises by 0.3 of its length, at most `HOP_HEIGHT` of the plot's height.
    """
    s = np.linspace(0.0, fraction, HOP_SAMPLES)[None, :, None]
    length = np.linalg.norm(ends - starts, axis=1)
    height = np.minimum(0.3 * length, HOP_HEIGHT * box.size[1])[:, None, None]
    arcs: Points = (
        starts[:, None, :]
        + s * (ends - starts)[:, None, :]
        + np.sin(np.pi * s) * height * UP
    )
    return arcs
