"""The function f(w) a one-parameter run descends: the quadratic c·(w − w*)² from the
trace's constants, or a sampled curve (`--function`). Plain numpy."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sgdcore.trace import Trace


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
