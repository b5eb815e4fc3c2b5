"""Gradient noise: every mini-batch gradient of one epoch at a point, per batch size,
and the two runs a scene shows beside them (the smallest and the largest batches).

The batches come from the training loop's own DataLoader (sgdcore.train.minibatches),
shuffled by the run's seeded generator, and each gradient from the problem's loss and
autograd, as a training step computes it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from sgdcore.config import RunOptions, SGDConfig, chosen_configs
from sgdcore.problems import Problem
from sgdcore.recording import training_points
from sgdcore.runs import make_problem, suited
from sgdcore.trace import Trace
from sgdcore.trace_schema import MAX_NOISE_SIZES
from sgdcore.train import minibatches, run_sgd


def batch_gradients(
    problem: Problem, start: Sequence[float], size: int, seed: int
) -> npt.NDArray[np.float64]:
    """The loss gradient on each batch of one epoch at `start`: shape (ceil(n / B), k).

    The batches are the first epoch's of a run with batch size `size` and `seed`.
    """
    train_index = training_points(problem)
    params = nn.Parameter(torch.tensor(list(start), dtype=torch.float32))
    batches = minibatches(train_index, size, seed)
    gradients = []
    for _ in range(math.ceil(len(train_index) / size)):
        loss = problem.loss(params, next(batches))
        loss.backward()  # type: ignore[no-untyped-call]  # torch leaves it unannotated
        assert params.grad is not None
        gradients.append(params.grad.detach().double().numpy().copy())
        params.grad.zero_()
    return np.array(gradients, dtype=np.float64)


def check_sizes(sizes: Sequence[int], n_points: int) -> None:
    """Raise ValueError unless `sizes` increase, each from 1 to the points."""
    if not 1 <= len(sizes) <= MAX_NOISE_SIZES:
        raise ValueError(f"give 1 to {MAX_NOISE_SIZES} batch sizes, not {len(sizes)}")
    if any(later <= earlier for earlier, later in pairwise(sizes)):
        raise ValueError(f"batch sizes must increase, got {','.join(map(str, sizes))}")
    if not 1 <= sizes[0] <= sizes[-1] <= n_points:
        raise ValueError(
            f"batch sizes must be between 1 and n = {n_points}, got "
            f"{','.join(map(str, sizes))}"
        )


def fitted_sizes(sizes: Sequence[int], n_points: int) -> tuple[int, ...]:
    """A scene's own batch sizes for `n_points` points: those that fit, and half the
    points in place of any that do not (40 points: 1, 5, 10 and 20)."""
    kept = [size for size in sizes if size <= n_points]
    if len(kept) < len(sizes) and n_points // 2 > max(kept, default=0):
        kept.append(n_points // 2)
    return tuple(kept)


def noise_traces(
    problem_name: str,
    defaults: Sequence[SGDConfig],
    options: RunOptions,
    scene_sizes: Sequence[int],
) -> list[Trace]:
    """Two runs from the same start, batches of the smallest and the largest of the
    batch sizes (the user's, else the scene's that fit); the first also records
    every size's batch gradients at the start."""
    configs = chosen_configs(defaults, replace(options, batch_size=None))
    problem = make_problem(problem_name, options, configs[0])
    n_points = len(training_points(problem))
    sizes = options.batch_sizes or fitted_sizes(scene_sizes, n_points)
    check_sizes(sizes, n_points)
    runs = [
        suited(replace(config, batch_size=size), problem, options)
        for config, size in zip(configs, (sizes[0], sizes[-1]), strict=True)
    ]
    traces = [run_sgd(problem, config) for config in runs]
    start, seed = runs[0].start, runs[0].seed
    gradients = [batch_gradients(problem, start, size, seed) for size in sizes]
    noisy = replace(
        traces[0],
        noise_sizes=np.array(sizes, dtype=np.int64),
        noise_grads=np.vstack(gradients),
    )
    return [noisy, *traces[1:]]
