"""Problems the one training loop can minimise: each turns parameters into a loss."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt
import torch

from sgdcore.trace import MetaValue


class Problem(Protocol):
    """What `run_sgd` needs from a problem."""

    @property
    def name(self) -> str:
        """The problem's name, recorded in the trace."""
        ...

    @property
    def n_samples(self) -> int:
        """Number of data points; 0 for a problem without data."""
        ...

    def loss(self, params: torch.Tensor, batch_indices: torch.Tensor) -> torch.Tensor:
        """Scalar loss at `params` on the samples `batch_indices` (ignored without data)."""
        ...

    def data(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The data as float64 arrays `(x, y)`, empty for a problem without data."""
        ...

    def describe(self) -> dict[str, MetaValue]:
        """The problem's constants, for the trace's metadata."""
        ...


def mse(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean squared error, as the lesson writes it."""
    return ((y_hat - y) ** 2).mean()


@dataclass(frozen=True)
class LinearRegression:
    """Fit `y ≈ x @ a` with MSE; `x` carries a column of ones, so `a = (slope, intercept)`."""

    x: torch.Tensor  # (n, 2)
    y: torch.Tensor  # (n,)
    true_coefficients: tuple[float, float] | None = None
    name: str = field(default="linear_regression", init=False)

    @property
    def n_samples(self) -> int:
        """Number of points."""
        return int(self.x.shape[0])

    def loss(self, params: torch.Tensor, batch_indices: torch.Tensor) -> torch.Tensor:
        """MSE of the line `params` on the chosen points."""
        return mse(self.x[batch_indices] @ params, self.y[batch_indices])

    def data(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The points as float64 arrays."""
        return self.x.double().numpy(), self.y.double().numpy()

    def describe(self) -> dict[str, MetaValue]:
        """Problem name, n and the true coefficients when known."""
        meta: dict[str, MetaValue] = {"problem": self.name, "n": self.n_samples}
        if self.true_coefficients is not None:
            meta["true_coefficients"] = list(self.true_coefficients)
        return meta


@dataclass(frozen=True)
class Quadratic:
    """The lesson's quadratic `f(w) = curvature * (w - minimum)**2` in one parameter.

    Gradient descent multiplies the distance to the minimum by `1 - 2 * curvature * lr`
    each step, so it converges only for `lr < 1 / curvature`.
    """

    curvature: float = 1.0
    minimum: float = 0.0
    name: str = field(default="quadratic", init=False)

    def __post_init__(self) -> None:
        if not (np.isfinite(self.curvature) and self.curvature > 0):
            raise ValueError(
                f"curvature must be positive and finite, got {self.curvature}"
            )
        if not np.isfinite(self.minimum):
            raise ValueError(f"minimum must be finite, got {self.minimum}")

    @property
    def n_samples(self) -> int:
        """No data: 0."""
        return 0

    def loss(self, params: torch.Tensor, batch_indices: torch.Tensor) -> torch.Tensor:
        """`curvature * (w - minimum)**2` for the single parameter `w`."""
        return self.curvature * ((params - self.minimum) ** 2).sum()

    def data(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """No data: two empty arrays."""
        return np.zeros((0, 1)), np.zeros(0)

    def describe(self) -> dict[str, MetaValue]:
        """Problem name, curvature and minimum."""
        return {
            "problem": self.name,
            "curvature": self.curvature,
            "minimum": self.minimum,
        }
