"""The gradient noise at the start, as numbers: each batch's step, their mean, how far
they scatter, and what the sampling maths says they should.

numpy only, from a trace's recorded batch gradients (sgdcore.trace_noise) and its
data. A batch of B of n points drawn without replacement has a mean gradient whose
covariance is Σ/B · (n − B)/(n − 1), Σ being the covariance of the n points' own
gradients; its spread (root mean square distance from the full gradient) is the
square root of that covariance's trace.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scenes.columns import format_column
from sgdcore.trace import Trace

Array = npt.NDArray[np.float64]
ELLIPSE_POINTS = 72  # corners of the drawn one-standard-deviation ellipse
SPREAD_DIGITS = 3  # significant digits of the typical spread shown


def point_gradients(trace: Trace) -> Array:
    """Each training point's own squared-error gradient at the start: (n, k)."""
    x, y = trace.x[trace.train_index], trace.y[trace.train_index]
    residual = x @ trace.params[0] - y
    gradients: Array = 2 * residual[:, None] * x
    return gradients


def sampling_covariance(trace: Trace, size: int) -> Array:
    """The covariance of a batch-of-`size` gradient drawn without replacement: (k, k)."""
    gradients = point_gradients(trace)
    n = len(gradients)
    spread = gradients - gradients.mean(axis=0)
    population: Array = spread.T @ spread / n
    return population / size * finite_correction(n, size)


def finite_correction(n: int, size: int) -> float:
    """(n − B)/(n − 1): how much less a sample of B of n points varies than B drawn
    with replacement (1 for n = 1)."""
    return (n - size) / (n - 1) if n > 1 else 0.0


def spread_of(covariance: Array) -> float:
    """The root mean square distance from the mean a covariance makes."""
    return float(np.sqrt(max(float(np.trace(covariance)), 0.0)))


@dataclass(frozen=True)
class NoiseLevel:
    """One batch size's steps at the start, in parameter units (−lr · gradient)."""

    size: int  # B
    steps: Array  # (batches, k): each batch's step
    mean: Array  # (k,): the batches' plain mean step
    full: Array  # (k,): the step on all points
    spread: float  # measured: root mean square distance of the steps from `full`
    expected: float  # the sampling maths' spread, with (n − B)/(n − 1)
    unsampled: float  # the same without it: σ/√B
    covariance: Array  # (k, k): the sampling maths' covariance of a step


def noise_levels(trace: Trace) -> list[NoiseLevel]:
    """Every recorded batch size's steps and spreads, in the order recorded."""
    lr = trace.learning_rate
    full = -lr * point_gradients(trace).mean(axis=0)
    n = len(trace.train_index)
    levels = []
    for size, gradients in zip(trace.noise_sizes, trace.noise_blocks(), strict=True):
        steps = -lr * gradients
        covariance = lr**2 * sampling_covariance(trace, int(size))
        plain = covariance / max(finite_correction(n, int(size)), 1e-300)
        distances = np.sum((steps - full) ** 2, axis=1)
        levels.append(
            NoiseLevel(
                size=int(size),
                steps=steps,
                mean=steps.mean(axis=0),
                full=full,
                spread=float(np.sqrt(distances.mean())),
                expected=spread_of(covariance),
                unsampled=spread_of(plain) if size < n else spread_of(covariance),
                covariance=covariance,
            )
        )
    return levels


def ellipse(centre: Array, covariance: Array) -> Array:
    """The one-standard-deviation ellipse of `covariance` around `centre`: (m, 2),
    closed (its last corner is its first)."""
    values, vectors = np.linalg.eigh(covariance)
    axes = vectors * np.sqrt(np.maximum(values, 0.0))
    angles = np.linspace(0.0, 2 * np.pi, ELLIPSE_POINTS + 1)
    circle = np.stack([np.cos(angles), np.sin(angles)])
    points: Array = centre[None, :] + (axes @ circle).T
    return points


def spread_decimals(levels: list[NoiseLevel]) -> int:
    """The decimals every spread of the clip is shown with, measured or expected:
    three significant digits at the measured spreads' median, 1 to 5 of them."""
    spreads = np.array([level.spread for level in levels], dtype=np.float64)
    typical = float(np.median(spreads[spreads > 0])) if (spreads > 0).any() else 1.0
    places = SPREAD_DIGITS - 1 - int(np.floor(np.log10(typical)))
    return min(max(places, 1), 5)


def shown_spreads(levels: list[NoiseLevel]) -> tuple[list[str], list[str]]:
    """The measured spreads and the sampling maths' ones, as the clip writes them."""
    places = spread_decimals(levels)
    measured = format_column([level.spread for level in levels], places)
    return measured, format_column([level.expected for level in levels], places)


def outside_share(level: NoiseLevel) -> float:
    """The share of a size's steps outside its one-standard-deviation ellipse (round
    their mean): about 0.61 for a bell-shaped cloud, more where the steps bunch."""
    offsets = level.steps - level.mean
    inverse = np.linalg.pinv(level.covariance)
    distances = np.einsum("ij,jk,ik->i", offsets, inverse, offsets)
    return float(np.mean(distances > 1.0))


def sides_pull_apart(trace: Trace) -> bool:
    """Whether, fitting a line with an intercept, one point's steps form two arms:
    points above the line raise the intercept, those below lower it, and each side
    holds at least a tenth of the points."""
    x, y = trace.x[trace.train_index], trace.y[trace.train_index]
    if x.shape[1] != 2 or not np.allclose(x[:, 1], 1.0):
        return False
    above = float(np.mean(y > x @ trace.params[0]))
    return 0.1 <= above <= 0.9


def arms_words(trace: Trace, level: NoiseLevel) -> str:
    """For the notes, where single points' steps bunch in two arms (by the side of
    the line each point lies on) and most fall outside the ellipse, which sums up
    their spread and bounds nothing: why; else ""."""
    if level.size != 1 or outside_share(level) <= 0.5 or not sides_pull_apart(trace):
        return ""
    return (
        " Most single-point steps fall outside the ellipse: each lies in one of two "
        "fans, picked by the sign of that point's error."
    )
