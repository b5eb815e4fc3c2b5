"""The loss over a grid of parameters, for drawing where gradient descent walks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import torch

from sgdcore.trace import Trace


@dataclass(frozen=True)
class LossGrid:
    """MSE of the line `a0 * x + a1` at every grid point, and the least-squares minimum."""

    a0: npt.NDArray[np.float64]  # (m,) slopes
    a1: npt.NDArray[np.float64]  # (k,) intercepts
    loss: npt.NDArray[np.float64]  # (k, m): loss[i, j] at (a0[j], a1[i])
    minimum: npt.NDArray[np.float64]  # (2,) the closed-form least-squares parameters


def least_squares(trace: Trace) -> npt.NDArray[np.float64]:
    """The parameters that minimise the trace's MSE, by torch.linalg.lstsq."""
    x, y = torch.tensor(trace.x), torch.tensor(trace.y)
    solution = torch.linalg.lstsq(x, y[:, None]).solution[:, 0]
    return np.asarray(solution.numpy(), dtype=np.float64)


def loss_grid(
    traces: list[Trace], resolution: int = 101, margin: float = 0.15
) -> LossGrid:
    """The loss on a grid spanning every trace's path and the minimum, with a margin.

    Vectorised in torch: one (k, m, n) residual tensor, no Python loop over cells.
    """
    minimum = least_squares(traces[0])
    points = np.vstack(
        [t.params[np.isfinite(t.params).all(axis=1)] for t in traces] + [minimum]
    )
    low, high = points.min(axis=0), points.max(axis=0)
    pad = margin * np.maximum(high - low, 1e-3)
    a0 = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    a1 = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    x, y = torch.tensor(traces[0].x), torch.tensor(traces[0].y)
    slopes, intercepts = torch.meshgrid(
        torch.tensor(a0), torch.tensor(a1), indexing="xy"
    )
    predictions = slopes[..., None] * x[:, 0] + intercepts[..., None] * x[:, 1]
    loss = ((predictions - y) ** 2).mean(dim=-1)
    return LossGrid(a0=a0, a1=a1, loss=loss.numpy(), minimum=minimum)
