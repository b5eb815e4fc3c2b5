"""The loss grid: equal to the loss recomputed point by point, minimum where lstsq says."""

from __future__ import annotations

import numpy as np
import torch

from sgd_anim.registry import train_runs
from sgdcore.config import RunOptions
from sgdcore.landscape import least_squares, loss_grid

GRID_RTOL = 1e-10


def test_grid_loss_equals_pointwise_mse_at_sampled_cells() -> None:
    trace = train_runs("fit_line", RunOptions(n_steps=20))[0]
    grid = loss_grid([trace], resolution=41)
    rng = np.random.default_rng(0)
    for i, j in rng.integers(0, 41, size=(25, 2)):
        residual = trace.x @ np.array([grid.a0[j], grid.a1[i]]) - trace.y
        np.testing.assert_allclose(
            grid.loss[i, j], np.mean(residual**2), rtol=GRID_RTOL
        )


def test_lstsq_minimum_is_the_grid_argmin_to_grid_resolution() -> None:
    trace = train_runs("fit_line")[0]
    grid = loss_grid([trace], resolution=201)
    i, j = np.unravel_index(grid.loss.argmin(), grid.loss.shape)
    step = np.array([grid.a0[1] - grid.a0[0], grid.a1[1] - grid.a1[0]])
    assert np.all(np.abs(np.array([grid.a0[j], grid.a1[i]]) - grid.minimum) <= step)
    best = torch.linalg.lstsq(
        torch.tensor(trace.x), torch.tensor(trace.y)[:, None]
    ).solution
    np.testing.assert_allclose(least_squares(trace), best[:, 0].numpy())


def test_grid_spans_the_whole_path_and_the_minimum() -> None:
    trace = train_runs("fit_line")[0]
    grid = loss_grid([trace])
    for a0, a1 in [*trace.params, grid.minimum]:
        assert grid.a0[0] < a0 < grid.a0[-1] and grid.a1[0] < a1 < grid.a1[-1]
