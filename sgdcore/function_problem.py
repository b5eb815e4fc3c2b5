"""A function of one number, f(w), as a problem for the one training loop."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import torch

from sgdcore.functions import Function1D
from sgdcore.problems import WholeData
from sgdcore.trace import MetaValue


@dataclass(frozen=True)
class FunctionProblem(WholeData):
    """Minimise a user's or a built-in f(w) over one parameter w; no data."""

    function: Function1D
    name: str = field(default="function", init=False)

    @property
    def n_samples(self) -> int:
        """No data: 0."""
        return 0

    def loss(self, params: torch.Tensor, batch_indices: torch.Tensor) -> torch.Tensor:
        """f(w) for the single parameter w, as a scalar autograd can differentiate."""
        value = self.function.f(params)
        name = self.function.name
        if not isinstance(value, torch.Tensor) or value.numel() != 1:
            got = getattr(value, "shape", type(value).__name__)
            raise ValueError(
                f"{name}(w) must give one number as a tensor for one w, not {got}"
            )
        if not value.dtype.is_floating_point:
            raise ValueError(
                f"{name}(w) must give a real floating-point tensor, not {value.dtype}"
            )
        if params.requires_grad and torch.is_grad_enabled() and not value.requires_grad:
            raise ValueError(
                f"{name}(w) gave a tensor that does not depend on w (a constant, or "
                "detached): compute it from w with torch operations, so its gradient "
                "exists"
            )
        if bool(value.isnan().any()) and bool(params.isfinite().all()):
            at = ", ".join(f"{float(v):g}" for v in params.detach().reshape(-1))
            raise ValueError(
                f"{name}(w) is not a number at w = {at}, where w is finite: a loss "
                "that is not a number is not a divergence"
            )
        return value.sum()

    def data(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """No data: two empty arrays."""
        return np.zeros((0, 1)), np.zeros(0)

    def sample(
        self, params: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """f(w) over the range the run covers (the trace's grid and its one curve)."""
        return sample_curve(self.function, params[:, 0])

    def describe(self) -> dict[str, MetaValue]:
        """Problem name, the function's name and how the scenes write it."""
        return {
            "problem": self.name,
            "function": self.function.name,
            "formula": self.function.formula,
        }


# Samples of the drawn curve: a fine grid over what the lecture looks at (the
# function's own span and the run's calm steps), another over all the run visited
SAMPLES = 401
PAD_SHARE = 0.15  # room either side, as a share of the range


def sample_curve(
    function: Function1D, visited: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """f on an increasing grid covering the run's w (`visited`) and the function's span.

    Finely over all but the last w (a diverged run's runaway step), and again over
    everything. Returns `grid` (G,) and `curve` (1, G), both float64; samples where
    f is not finite are left out.
    """
    finite = visited[np.isfinite(visited)]
    span = np.array(function.span or (), dtype=np.float64)
    ranges = []
    for part in (visited[: max(len(visited) - 1, 1)], finite):
        part = np.concatenate([part[np.isfinite(part)], span])
        low, high = float(part.min()), float(part.max())
        pad = PAD_SHARE * max(high - low, 1.0)
        ranges.append(np.linspace(low - pad, high + pad, SAMPLES))
    grid = np.unique(np.concatenate(ranges))
    values = evaluate(function, grid)
    keep = np.isfinite(values)
    return grid[keep], values[keep][None, :]


def evaluate(
    function: Function1D, grid: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """f at every grid point, in float64: at once if f works elementwise, else one by one."""
    with torch.no_grad():
        points = torch.from_numpy(grid)
        try:
            values = function.f(points)
        except (RuntimeError, TypeError, ValueError):
            values = None
        if not isinstance(values, torch.Tensor) or values.shape != points.shape:
            values = torch.stack([function.f(w.reshape(1)).reshape(()) for w in points])
        return values.double().numpy().copy()
