"""How curved a problem is, and the learning rate a default becomes on it.

Every default learning rate in sgdcore.config is set for the lesson's own inputs, whose
stable limit is REFERENCE_LIMIT: plain gradient descent on the points x in [−1, 1]
with an intercept, on Legendre features over [−1, 1], or on f(w) = w², diverges from
a learning rate of 1 (2/λ_max of the loss's Hessian). On another input (your points,
your f(w), a curve's noisy samples) a default keeps its share of that input's own
limit, so the run behaves there as the lesson's does on its inputs: lr_just_right
stays stable, lr_too_high still overshoots, lr_too_low still crawls.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import numpy.typing as npt
import torch

from sgdcore.config import SGDConfig
from sgdcore.function_problem import FunctionProblem, evaluate
from sgdcore.functions import Function1D

REFERENCE_LIMIT = 1.0  # 2/λ_max on the lesson's inputs, for which the defaults are set
FROM_DATA = "from the data's curvature"  # meta["lr_chosen"], for the subtitle
FROM_FUNCTION = "from the function's curvature"
RANGE_SAMPLES = 2001  # where f'' is sampled: fine enough for the built-in bumps
NO_SPAN = (-1.0, 1.0)  # the range looked at for a function that names none
SAMPLING = 1e-4  # relative: how far f'' sampled on that grid may be from the exact
# A run meant to be stable stays below this share of the steady limit, everywhere
# drawn, however gently the start slopes towards a far minimum
STEADY_SHARE = 0.9


def mse_curvature(design: npt.ArrayLike) -> float:
    """λ_max of the MSE loss's Hessian 2·XᵀX/n for the rows of `design` (n, k)."""
    rows = np.asarray(design, dtype=np.float64)
    hessian = 2.0 / len(rows) * rows.T @ rows
    return float(np.linalg.eigvalsh(hessian)[-1])


def two_digits(value: float, up: bool) -> float:
    """`value` to two significant digits, rounded up or down (0.02701 → 0.027).

    Within SAMPLING of a round value it is that value: a limit from sampled f'' is
    that close to the exact one (0.39999 is 0.4, not 0.39).
    """
    exponent = math.floor(math.log10(value)) - 1
    scaled = value / 10.0**exponent
    digits = (
        math.ceil(scaled * (1 - SAMPLING))
        if up
        else math.floor(scaled * (1 + SAMPLING))
    )
    return float(f"{digits}e{exponent}")


def chosen(
    config: SGDConfig, learning_rate: float, limit: float, reason: str
) -> SGDConfig:
    """`config` at `learning_rate`, rounded to two digits towards the run's intent
    (down for a run meant to stay below its limit, up for one meant to pass it),
    with why and the limit recorded for the trace's meta."""
    rounded = two_digits(learning_rate, up=config.learning_rate >= REFERENCE_LIMIT)
    return replace(config, learning_rate=rounded, lr_chosen=reason, lr_limit=limit)


def for_data(config: SGDConfig, design: npt.ArrayLike) -> SGDConfig:
    """`config` on the data whose training rows are `design`: its share of 2/λ_max.

    Weight decay adds its own small amount to every eigenvalue; it is left out, so
    runs with and without it, side by side, share one learning rate.
    """
    limit = 2.0 / mse_curvature(design)
    share = config.learning_rate / REFERENCE_LIMIT
    return chosen(config, share * limit, limit, FROM_DATA)


def function_limits(function: Function1D, start: float) -> tuple[float, float] | None:
    """`(steady, jump)`: two learning rates f(w) from `start` cannot exceed unharmed.

    The range looked at is the function's span (or [−1, 1]) widened to the start and
    its mirror image. `steady` is 2/max f'' over it: below it no step is unstable
    anywhere, as below 1/c on c·w². `jump` is the learning rate whose first step lands
    as far past the range's lowest point as the start is before it, as 1/c does on
    c·w²; `steady` when the start is already there or the lowest point is uphill.
    None when f bends nowhere upward there: it has no valley to be stable in.
    """
    low, high = function.span or NO_SPAN
    low, high = min(low, -abs(start)), max(high, abs(start))
    spacing = (high - low) / (RANGE_SAMPLES - 1)
    # one sample past each end, so f'' is also taken at the ends themselves
    grid = np.linspace(low - spacing, high + spacing, RANGE_SAMPLES + 2)
    f = evaluate(function, grid)
    bends = (f[2:] - 2 * f[1:-1] + f[:-2]) / spacing**2
    bends = bends[np.isfinite(bends)]
    steepest = float(bends.max()) if bends.size else 0.0
    if not steepest > 0:
        return None
    steady = 2.0 / steepest
    nearby = evaluate(function, np.array([start - spacing, start + spacing]))
    slope = float(nearby[1] - nearby[0]) / (2 * spacing)
    lowest = float(grid[np.nanargmin(np.where(np.isfinite(f), f, np.nan))])
    ahead = lowest - start
    if not (math.isfinite(slope) and slope * ahead < 0):
        return steady, steady
    return steady, 2 * abs(ahead) / abs(slope)


def for_function(config: SGDConfig, function: Function1D) -> SGDConfig:
    """`config` on f(w), from the start: its share of the jump, the 1/c the start
    sees; kept below STEADY_SHARE of the steady limit for a run meant to be stable,
    and past the steady limit too for one meant to overshoot (a share of 1 or more).
    As it is where f has no valley."""
    # f's own check first: one number for one w, or the ValueError the run would give
    FunctionProblem(function).loss(torch.tensor(config.start), torch.zeros(0))
    limits = function_limits(function, config.start[0])
    if limits is None:
        return config
    steady, jump = limits
    share = config.learning_rate / REFERENCE_LIMIT
    if share >= 1:
        limit = max(steady, jump)
        return chosen(config, share * limit, limit, FROM_FUNCTION)
    learning_rate = min(share * jump, STEADY_SHARE * steady)
    return chosen(config, learning_rate, steady, FROM_FUNCTION)
