"""Synthetic data exactly as the lesson-2 notebook makes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

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


def user_points(points: Points) -> LinearRegression:
    """The user's points as the lesson's problem: rows `[x, 1]`, float32 like its data."""
    x = torch.ones(len(points), 2)
    x[:, 0] = torch.from_numpy(points.x)
    return LinearRegression(x, torch.from_numpy(points.y).float())
