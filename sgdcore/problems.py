"""Problems the one training loop can minimise: each turns parameters into a loss."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt
import torch
from numpy.polynomial import legendre

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

    def held_out(self) -> torch.Tensor:
        """Indices of the points kept out of training (a validation set); may be empty."""
        ...

    def sample(
        self, params: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """`(grid, curve)` for the trace, from every recorded row of `params`."""
        ...


class WholeData:
    """What a problem without a validation set or a curve to sample answers."""

    def held_out(self) -> torch.Tensor:
        """No point is held out."""
        return torch.zeros(0, dtype=torch.int64)

    def sample(
        self, params: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """No curve: an empty grid and curve."""
        return np.zeros(0), np.zeros((0, 0))


def mse(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean squared error, as the lesson writes it."""
    return ((y_hat - y) ** 2).mean()


@dataclass(frozen=True)
class LinearRegression(WholeData):
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

    def design(self) -> npt.NDArray[np.float64]:
        """`(n, 2)`: what training multiplies the parameters by, one row a point."""
        return self.x.double().numpy()

    def describe(self) -> dict[str, MetaValue]:
        """Problem name, n and the true coefficients when known."""
        meta: dict[str, MetaValue] = {"problem": self.name, "n": self.n_samples}
        if self.true_coefficients is not None:
            meta["true_coefficients"] = list(self.true_coefficients)
        return meta


@dataclass(frozen=True)
class Quadratic(WholeData):
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


GRID_SAMPLES = 241  # where a polynomial's curve is sampled: smooth at any quality


def legendre_features(x: npt.ArrayLike, degree: int) -> npt.NDArray[np.float64]:
    """`(n, degree + 1)`: the Legendre polynomials P_0..P_degree at each x in [-1, 1].

    Unlike the powers x, x², ..., they stay between −1 and 1 and are nearly
    orthogonal on [-1, 1], so gradient descent is not held back by a
    badly conditioned problem.
    """
    features: npt.NDArray[np.float64] = legendre.legvander(
        np.asarray(x, dtype=np.float64), degree
    ).astype(np.float64)
    return features


@dataclass(frozen=True)
class PolynomialRegression:
    """Fit `y ≈ Σ c_k P_k(x)` up to `degree` with MSE, on the training points only.

    `x` and `y` are every point, `valid` the indices held out: the loss on them is
    recorded, never trained on. The parameters are the Legendre coefficients c_k.
    """

    x: torch.Tensor  # (n,) inputs in [-1, 1]
    y: torch.Tensor  # (n,)
    degree: int
    valid: torch.Tensor  # (m,) int64, sorted
    noise: float | None = None  # the noise's standard deviation, when known
    name: str = field(default="polynomial", init=False)
    features: torch.Tensor = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n_train = len(self.x) - len(self.valid)
        if not 1 <= self.degree < n_train:
            raise ValueError(
                f"the degree must be from 1 to {n_train - 1} (below the "
                f"{n_train} training points), got {self.degree}"
            )
        features = torch.from_numpy(legendre_features(self.x.numpy(), self.degree))
        object.__setattr__(self, "features", features.float())

    @property
    def n_samples(self) -> int:
        """Number of training points."""
        return int(len(self.x) - len(self.valid))

    def loss(self, params: torch.Tensor, batch_indices: torch.Tensor) -> torch.Tensor:
        """MSE of the polynomial `params` on the chosen points."""
        return mse(self.features[batch_indices] @ params, self.y[batch_indices])

    def data(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Every point (training and held out): x as (n, 1), y as (n,)."""
        return self.x.double().numpy()[:, None], self.y.double().numpy()

    def design(self) -> npt.NDArray[np.float64]:
        """`(n_train, degree + 1)`: the training points' features, one row a point."""
        kept = np.ones(len(self.x), dtype=bool)
        kept[self.valid.numpy()] = False
        return legendre_features(self.x.numpy()[kept], self.degree)

    def describe(self) -> dict[str, MetaValue]:
        """Problem name, n, degree and the noise when known."""
        meta: dict[str, MetaValue] = {
            "problem": self.name,
            "n": len(self.x),
            "degree": self.degree,
        }
        if self.noise is not None:
            meta["noise"] = self.noise
        return meta

    def held_out(self) -> torch.Tensor:
        """The validation points."""
        return self.valid

    def sample(
        self, params: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The model after every step on GRID_SAMPLES inputs across [-1, 1]."""
        grid = np.linspace(-1.0, 1.0, GRID_SAMPLES)
        curve: npt.NDArray[np.float64] = params @ legendre_features(grid, self.degree).T
        return grid, curve
