"""Synthetic data exactly as the lesson-2 notebook makes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from sgdcore.config import held_out_count
from sgdcore.problems import LinearRegression

if TYPE_CHECKING:
    from sgdcore.user_data import Points

# The notebook's true coefficients: slope 3, intercept 2.
LESSON_COEFFICIENTS = (3.0, 2.0)


def make_line_data(
    n: int = 100,
    coefficients: tuple[float, float] = LESSON_COEFFICIENTS,
    seed: int = 42,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Make the notebook's noisy line: `x = [uniform(-1, 1), 1]`, `y = x @ a + rand(n)`.

    Parameters
    ----------
    n : number of points, at least 2.
    coefficients : the true `(slope, intercept)`.
    seed : feeds a private `torch.Generator`, so equal seeds give equal data bit for bit.

    Returns
    -------
    x : float32 tensor of shape (n, 2); column 0 uniform in [-1, 1), column 1 ones.
    y : float32 tensor of shape (n,).
    """
    if n < 2:
        raise ValueError(f"n must be at least 2 to fit a line, got {n}")
    generator = torch.Generator().manual_seed(seed)
    x = torch.ones(n, 2)
    x[:, 0].uniform_(-1.0, 1.0, generator=generator)
    y = x @ torch.tensor(coefficients) + torch.rand(n, generator=generator)
    return x, y


CURVE_FREQUENCY = 3.0  # sin(3x) on [-1, 1]: a rise, a fall and a rise; no line fits


def curve(x: torch.Tensor) -> torch.Tensor:
    """The smooth curve the lesson's last act samples: `sin(3x)`."""
    return torch.sin(CURVE_FREQUENCY * x)


CURVE_NOISE = 0.25  # standard deviation of the curve data's noise (variance 0.0625)


def make_curve_data(
    n: int = 30, noise: float = CURVE_NOISE, seed: int = 42
) -> tuple[torch.Tensor, torch.Tensor]:
    """Noisy samples of `curve`: x uniform in [-1, 1), y = curve(x) + noise · N(0, 1).

    A seeded private generator, as `make_line_data`: equal seeds, equal data.
    Returns x of shape (n,) and y of shape (n,), float32.
    """
    if n < 2:
        raise ValueError(f"n must be at least 2 to fit a curve, got {n}")
    generator = torch.Generator().manual_seed(seed)
    x = torch.empty(n).uniform_(-1.0, 1.0, generator=generator)
    y = curve(x) + noise * torch.randn(n, generator=generator)
    return x, y


def split(
    x: torch.Tensor, valid_fraction: float, seed: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Indices `(train, valid)` into `x`: a seeded random `valid_fraction` held out.

    The held-out points are drawn from inside the data's range (the smallest and
    largest x always train), so the validation loss measures how the model does
    between the points it saw, not how it extrapolates past them. Both index
    tensors are sorted, disjoint and together every index; each holds a point.
    """
    if not 0 < valid_fraction < 1:
        raise ValueError(
            f"the validation fraction must be in (0, 1), got {valid_fraction}"
        )
    n = len(x)
    if n < 3:
        raise ValueError(f"a validation set needs at least 3 points, got {n}")
    n_valid = held_out_count(n, valid_fraction)
    ends = torch.stack([x.argmin(), x.argmax()])
    inside = torch.tensor([i for i in range(n) if i not in ends.tolist()])
    order = torch.randperm(len(inside), generator=torch.Generator().manual_seed(seed))
    valid = inside[order[:n_valid]].sort().values
    kept = torch.ones(n, dtype=torch.bool)
    kept[valid] = False
    return torch.nonzero(kept).flatten(), valid


def user_points(points: Points) -> LinearRegression:
    """The user's points as the lesson's problem: rows `[x, 1]`, float32 like its data."""
    x = torch.ones(len(points), 2)
    x[:, 0] = torch.from_numpy(points.x)
    return LinearRegression(x, torch.from_numpy(points.y).float())
