"""Each problem's loss and gradient recomputed in float64 with numpy, and how far the
recorded float32 values may honestly lie from them.

numpy only: a trace is checked (sgdcore.trace_consistency) where torch is not
installed. A recorded run computed in float32 from float32 parameters and data, which
the trace holds exactly, so the recomputation differs only by float32 rounding. Each
model returns, per row, the recomputed value and a band the recorded one must lie in:
a relative part RTOL, and float32's rounding of the terms the value was summed from
(ROUNDING · eps32 · their sizes), which dominates where terms cancel (a gradient
near the minimum, a loss near 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from sgdcore.trace_checks import PAD

if TYPE_CHECKING:
    from sgdcore.trace import Trace

Array = npt.NDArray[np.float64]
EPS32 = float(np.finfo(np.float32).eps)  # 1.2e-7: one float32 rounding, relative
TINY32 = float(np.finfo(np.float32).smallest_subnormal)  # 1.4e-45: float32's least
# Relative agreement asked of every recorded value. The scenes show at most four
# significant digits, so a value within 1e-4 reads the same; float32 reductions (a
# mean over up to a million points, an optimiser's running averages over a thousand
# steps) stay below 1e-5 (the largest measured on the lesson's runs: see the tests).
RTOL = 1e-4
ROUNDING = 8  # float32 roundings a term goes through: a product, a sum, a difference
# float32 overflows past 3.4e38: a diverged run's last row may hold inf or nan where
# the exact value passes this
OVERFLOW = 1e37
CHUNK = 2**18  # elements per gathered block, bounding the memory a check takes


@dataclass(frozen=True)
class Values:
    """A problem's recomputed loss and gradient at some rows, with their bands.

    A recorded loss agrees if within [low, high]; a gradient if within `grad_slack`
    of `grad`, each component. `overflows`: float32 could not hold the row's values.
    """

    loss: Array  # (r,)
    low: Array  # (r,)
    high: Array  # (r,)
    grad: Array  # (r, k)
    grad_slack: Array  # (r, k)
    overflows: npt.NDArray[np.bool_]  # (r,)


class Model(Protocol):
    """A problem's loss and gradient at given parameters on given points."""

    def evaluate(self, params: Array, index: npt.NDArray[np.int64]) -> Values:
        """The values at each row of `params` (r, k) on the points `index` (r, b)."""
        ...


@dataclass(frozen=True)
class LeastSquares:
    """loss = mean over the row's points of (features @ p − targets)²: the line, the
    polynomial, and the quadratic c·(w − m)² as one point (√c, √c·m)."""

    features: Array  # (n, k)
    targets: Array  # (n,)

    def evaluate(self, params: Array, index: npt.NDArray[np.int64]) -> Values:
        """The mean squared error and its gradient; PAD in `index` is no point."""
        width = max(index.shape[1], 1) * max(params.shape[1], 1)
        step = max(1, CHUNK // width)
        parts = [
            self.block(params[at : at + step], index[at : at + step])
            for at in range(0, len(params), step)
        ]
        return Values(
            *(
                np.concatenate([getattr(part, name) for part in parts])
                for name in Values.__dataclass_fields__
            )
        )

    def block(self, params: Array, index: npt.NDArray[np.int64]) -> Values:
        """`evaluate` for a block of rows small enough to gather at once."""
        used = index != PAD
        safe = np.where(used, index, 0)
        features, targets = self.features[safe], self.targets[safe]  # (r, b, k), (r, b)
        count = np.maximum(used.sum(axis=1), 1)
        with np.errstate(all="ignore"):  # a diverged row may hold inf
            residual = (features @ params[:, :, None])[..., 0]
            residual = np.where(used, residual - targets, 0.0)
            size = np.abs(features) @ np.abs(params)[:, :, None]
            size = np.where(used, size[..., 0] + np.abs(targets), 0.0)
            rounding = ROUNDING * EPS32 * size + TINY32
            squares = (residual**2).sum(axis=1)
            loss = squares / count
            root, root_slack = np.sqrt(loss), np.sqrt((rounding**2).sum(axis=1) / count)
            slack = RTOL * root + root_slack
            grad = 2 * np.einsum("rbk,rb->rk", features, residual) / count[:, None]
            magnitude = RTOL * np.abs(residual) + rounding
            grad_slack = 2 * np.einsum("rbk,rb->rk", np.abs(features), magnitude)
            grad_slack /= count[:, None]
            overflows = ~(np.isfinite(squares) & (squares < OVERFLOW))
            return Values(
                loss=loss,
                low=np.maximum(root - slack, 0.0) ** 2,
                high=(root + slack) ** 2,
                grad=grad,
                grad_slack=grad_slack,
                overflows=overflows,
            )


def terms(name: str, w: Array) -> tuple[Array, Array, Array, Array]:
    """A built-in f's value, its derivative and the size of the terms of each."""
    size = np.abs(w)
    if name == "double_well":
        return (
            (w * w - 1) ** 2 + 0.3 * w,
            4 * w * (w * w - 1) + 0.3,
            (w * w + 1) ** 2 + 0.3 * size,
            4 * size * (w * w + 1) + 0.3,
        )
    if name == "bumpy":  # sin 3w: float32's 3w is off by 3|w|·eps, and so is sin
        return (
            0.5 * w * w + np.sin(3 * w),
            w + 3 * np.cos(3 * w),
            0.5 * w * w + 1 + 3 * size,
            size + 3 + 9 * size,
        )
    if name == "quartic":
        return w**4, 4 * w**3, w**4, 4 * size**3
    raise ValueError(f"no numpy form of the function {name!r}")


# The built-in functions the numpy forms above recompute, by the formula the scenes
# write (sgdcore.functions.BUILT_IN; a test keeps the two equal)
FORMULAS = {
    "(w² − 1)² + 0.3·w": "double_well",
    "w²/2 + sin 3w": "bumpy",
    "w⁴": "quartic",
}


@dataclass(frozen=True)
class BuiltInFunction:
    """A built-in f(w), recomputed from its numpy form."""

    name: str

    def evaluate(self, params: Array, index: npt.NDArray[np.int64]) -> Values:
        """f and f' at each row's w (no data: `index` is ignored)."""
        with np.errstate(all="ignore"):
            value, slope, size, slope_size = terms(self.name, params[:, 0])
            slack = RTOL * np.abs(value) + ROUNDING * EPS32 * size
            grad_slack = RTOL * np.abs(slope) + ROUNDING * EPS32 * slope_size
        return Values(
            loss=value,
            low=value - slack,
            high=value + slack,
            grad=slope[:, None],
            grad_slack=grad_slack[:, None],
            overflows=~(np.isfinite(size) & (size < OVERFLOW)),
        )


@dataclass(frozen=True)
class SampledFunction:
    """A user's f(w), known only through the curve the trace samples it on.

    Between samples f is read off the straight line through its neighbours, and
    may lie anywhere f spans over the two cells either side; its slope anywhere
    between theirs. A smooth f sampled as finely as the recorder does stays
    within that; a loss or gradient scaled or flipped does not.
    """

    grid: Array  # (G,) increasing
    curve: Array  # (G,)

    def evaluate(self, params: Array, index: npt.NDArray[np.int64]) -> Values:
        """f and f' at each row's w, read off the curve, with what the curve allows."""
        grid, curve, w = self.grid, self.curve, params[:, 0]
        inside = np.isfinite(w) & (w >= grid[0]) & (w <= grid[-1])
        cell = np.clip(np.searchsorted(grid, np.where(inside, w, grid[0])) - 1, 0, None)
        cell = np.minimum(cell, len(grid) - 2)
        slopes = np.diff(curve) / np.diff(grid)
        near = np.clip(cell[:, None] + np.arange(-2, 3), 0, len(grid) - 2)
        share = (np.where(inside, w, grid[0]) - grid[cell]) / np.diff(grid)[cell]
        value = curve[cell] + share * (curve[cell + 1] - curve[cell])
        spans = np.concatenate([curve[near], curve[near + 1]], axis=1)
        low, high = spans.min(axis=1), spans.max(axis=1)
        slope_low, slope_high = slopes[near].min(axis=1), slopes[near].max(axis=1)
        slack = RTOL * np.abs(value) + ROUNDING * EPS32 * np.abs(spans).max(axis=1)
        middle = (slope_low + slope_high) / 2
        grad_slack = (slope_high - slope_low) / 2 + RTOL * np.abs(middle)
        grad_slack += ROUNDING * EPS32 * np.abs(slopes[near]).max(axis=1)
        # Outside the curve nothing is known: any value passes
        unknown = np.where(inside, 0.0, np.inf)
        return Values(
            loss=value,
            low=np.minimum(low, value) - slack - unknown,
            high=np.maximum(high, value) + slack + unknown,
            grad=middle[:, None],
            grad_slack=(grad_slack + unknown)[:, None],
            overflows=~inside,
        )


def model_of(trace: Trace) -> Model:
    """The numpy model of the trace's problem."""
    meta, problem = trace.meta, trace.problem
    if problem == "quadratic":
        root = float(meta["curvature"]) ** 0.5  # type: ignore[arg-type]
        minimum = float(meta["minimum"])  # type: ignore[arg-type]
        return LeastSquares(np.array([[root]]), np.array([root * minimum]))
    if problem == "function":
        formula = str(meta["formula"])
        if formula in FORMULAS:
            return BuiltInFunction(FORMULAS[formula])
        return SampledFunction(trace.grid, trace.curve[0])
    if problem == "polynomial":
        return LeastSquares(polynomial_features(trace), trace.y)
    return LeastSquares(trace.x, trace.y)


def polynomial_features(trace: Trace) -> Array:
    """The Legendre features the run trained on, rounded to float32 as it held them."""
    degree = int(trace.meta["degree"])  # type: ignore[arg-type]
    features = np.polynomial.legendre.legvander(trace.x[:, 0], degree)
    return features.astype(np.float32).astype(np.float64)


def polynomial_curve(trace: Trace, rows: npt.NDArray[np.int64]) -> Array:
    """The polynomial of `params[rows]` on the trace's grid, as the recorder drew it."""
    degree = int(trace.meta["degree"])  # type: ignore[arg-type]
    basis = np.polynomial.legendre.legvander(trace.grid, degree)
    with np.errstate(all="ignore"):
        curve: Array = trace.params[rows] @ basis.T
    return curve
