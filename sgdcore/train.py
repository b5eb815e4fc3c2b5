"""The one gradient-descent loop, written the way the lesson teaches it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from sgdcore.config import SGDConfig
from sgdcore.problems import Problem
from sgdcore.recording import ProblemRecorder
from sgdcore.trace import Trace


def make_optimizer(
    params: nn.Parameter, config: SGDConfig
) -> torch.optim.Optimizer | None:
    """The torch.optim optimiser for `config`, or None for the notebook's own update."""
    # weight decay grown with the degree is added to the gradient in the loop instead
    decay = 0.0 if config.decay_power else config.weight_decay
    if config.optimizer == "momentum":
        return torch.optim.SGD(
            [params],
            lr=config.learning_rate,
            momentum=config.momentum,
            weight_decay=decay,
        )
    if config.optimizer == "adam":
        return torch.optim.Adam(
            [params], lr=config.learning_rate, betas=config.betas, weight_decay=decay
        )
    if decay:  # the notebook's update has no weight decay; torch's SGD adds it
        return torch.optim.SGD([params], lr=config.learning_rate, weight_decay=decay)
    return None


def coefficient_decay(config: SGDConfig) -> torch.Tensor | None:
    """Weight decay grown with the degree: weight_decay · k**decay_power for the
    coefficient of degree k, or None when torch.optim applies one decay to all."""
    if not (config.weight_decay and config.decay_power):
        return None
    degrees = torch.arange(len(config.start), dtype=torch.float32)
    return config.weight_decay * degrees**config.decay_power


def minibatches(
    train_index: torch.Tensor, batch_size: int, seed: int
) -> Iterator[torch.Tensor]:
    """Batches of training-point indices forever, drawn as PyTorch users draw them.

    A DataLoader over a TensorDataset, reshuffled every epoch by a seeded generator;
    the last batch of an epoch is smaller when batch_size does not divide n. The
    dataset holds the points' indices so the trace can record which each step saw.
    """
    loader = DataLoader(
        TensorDataset(train_index),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    while True:
        for (indices,) in loader:
            yield indices


def run_sgd(problem: Problem, config: SGDConfig = SGDConfig()) -> Trace:
    """Minimise `problem` by (mini-batch) gradient descent and record every step."""
    n_samples = problem.n_samples
    full_batch = config.batch_size is None or config.batch_size == n_samples
    if not full_batch and n_samples == 0:
        raise ValueError(f"{problem.name} has no data to split into mini-batches")
    if config.batch_size is not None and config.batch_size > n_samples > 0:
        raise ValueError(
            f"batch size {config.batch_size} is larger than the {n_samples} points"
        )
    width = n_samples if full_batch else int(config.batch_size or n_samples)
    recorder = ProblemRecorder(
        problem,
        config.learning_rate,
        batch_size=width,
        divergence_factor=config.divergence_factor,
        meta={
            "n_steps_requested": config.n_steps,
            "start": list(config.start),
            "seed": config.seed,
            **config.hyperparameters(),
        },
    )
    train_index = recorder.train_index  # all points but the held-out ones
    batches: Iterator[torch.Tensor | None] = (
        itertools.repeat(None)  # every training point, every step
        if full_batch
        else minibatches(train_index, width, config.seed)
    )
    params = nn.Parameter(torch.tensor(config.start, dtype=torch.float32))
    optimizer = make_optimizer(params, config)
    decay = coefficient_decay(config)

    for _ in range(config.n_steps):
        # Draw the batch: indices of training points (None: all of them)
        batch_indices = next(batches)
        # Forward and backward on the batch: autograd fills params.grad
        loss = problem.loss(
            params, train_index if batch_indices is None else batch_indices
        )
        loss.backward()  # type: ignore[no-untyped-call]  # torch leaves it unannotated
        assert params.grad is not None
        # Record before the update, so row t holds the state that update t starts from
        recorder.step(params, loss, batch_indices)
        if recorder.diverged:  # divergence is data: stop at the first exploded step
            break
        # Weight decay per coefficient, as torch.optim adds its own: g ← g + λ_k·p_k
        if decay is not None:
            with torch.no_grad():
                params.grad.add_(decay * params)
        # The update: the notebook's own line, or a torch.optim optimiser's step
        if optimizer is None:
            with torch.no_grad():
                params.sub_(config.learning_rate * params.grad)
        else:
            optimizer.step()
        params.grad.zero_()

    # The last row: the final parameters on every training point, no update
    return recorder.trace(params)
