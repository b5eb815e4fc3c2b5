"""The one gradient-descent loop, written the way the lesson teaches it."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import sgdcore
from sgdcore.config import SGDConfig
from sgdcore.problems import Problem
from sgdcore.trace import PAD, SCHEMA_VERSION, MetaValue, Trace


def make_optimizer(
    params: nn.Parameter, config: SGDConfig
) -> torch.optim.Optimizer | None:
    """The torch.optim optimiser for `config`, or None for the notebook's own update."""
    decay = config.weight_decay
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


def full_batches(n_samples: int) -> Iterator[tuple[int, int, torch.Tensor]]:
    """Every sample, every step, in order: plain (full-batch) gradient descent."""
    everything = torch.arange(n_samples)
    for epoch in itertools.count():
        yield epoch, 0, everything


def minibatches(
    n_samples: int, batch_size: int, seed: int
) -> Iterator[tuple[int, int, torch.Tensor]]:
    """`(epoch, iteration, sample indices)` forever, drawn as PyTorch users draw them.

    A DataLoader over a TensorDataset, reshuffled every epoch by a seeded generator;
    the last batch of an epoch is smaller when batch_size does not divide n. The
    dataset holds sample indices so the trace can record which points each step saw.
    """
    loader = DataLoader(
        TensorDataset(torch.arange(n_samples)),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    for epoch in itertools.count():
        for iteration, (indices,) in enumerate(loader):
            yield epoch, iteration, indices


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
    batches = (
        full_batches(n_samples)
        if full_batch
        else minibatches(n_samples, width, config.seed)
    )
    params = nn.Parameter(torch.tensor(config.start, dtype=torch.float32))
    optimizer = make_optimizer(params, config)
    # The points training may use (all but the held-out ones); batches pick from them
    held_out = problem.held_out()
    pool = torch.ones(n_samples + len(held_out), dtype=torch.bool)
    pool[held_out] = False
    everything = torch.nonzero(pool).flatten()
    records: dict[str, list[Any]] = {
        name: []
        for name in (
            "params",
            "loss",
            "grad",
            "full_loss",
            "batch",
            "epoch",
            "iteration",
            "valid_loss",
        )
    }
    diverged_at: int | None = None
    bound = math.inf

    for step in range(config.n_steps + 1):
        # The last record evaluates the final parameters on all samples; no update.
        is_last = step == config.n_steps
        epoch, iteration, batch_positions = (0, 0, None) if is_last else next(batches)
        batch_indices = (
            everything if batch_positions is None else everything[batch_positions]
        )
        # Forward and backward on the batch: autograd fills params.grad
        loss = problem.loss(params, batch_indices)
        loss.backward()  # type: ignore[no-untyped-call]  # torch leaves it unannotated
        assert params.grad is not None
        # The loss on all points, to show what the noisy batch loss estimates
        if full_batch or is_last:
            full_loss = loss.item()
        else:
            with torch.no_grad():
                full_loss = problem.loss(params, everything).item()
        if len(held_out):  # measured, never trained on
            with torch.no_grad():
                records["valid_loss"].append(problem.loss(params, held_out).item())
        # Record before the update, so row t holds the state that update t starts from
        records["params"].append(params.detach().double().numpy().copy())
        records["loss"].append(loss.item())
        records["grad"].append(params.grad.double().numpy().copy())
        records["full_loss"].append(full_loss)
        if step == 0:
            bound = config.divergence_factor * max(full_loss, 1.0)
        # Divergence is data: stop recording at the first exploded step
        if not math.isfinite(full_loss) or full_loss > bound:
            diverged_at = step
            break
        if is_last:
            break
        padded = np.full(width, PAD, dtype=np.int64)
        padded[: len(batch_indices)] = batch_indices.numpy()
        records["batch"].append(padded)
        records["epoch"].append(epoch)
        records["iteration"].append(iteration)
        # The update: the notebook's own line, or a torch.optim optimiser's step
        if optimizer is None:
            with torch.no_grad():
                params.sub_(config.learning_rate * params.grad)
        else:
            optimizer.step()
        params.grad.zero_()

    x, y = problem.data()
    params_rows = np.array(records["params"], dtype=np.float64)
    grid, curve = problem.sample(params_rows)
    meta: dict[str, MetaValue] = {
        **problem.describe(),
        "schema_version": SCHEMA_VERSION,
        "learning_rate": config.learning_rate,
        "n_steps_requested": config.n_steps,
        "start": list(config.start),
        "batch_size": width,
        "batches_per_epoch": max(1, math.ceil(n_samples / width)) if width else 1,
        "seed": config.seed,
        **config.hyperparameters(),
        "diverged_at": diverged_at,
        "sgdcore_version": sgdcore.__version__,
        "torch_version": torch.__version__,
    }
    n_updates = len(records["loss"]) - 1
    return Trace(
        params=params_rows,
        loss=np.array(records["loss"], dtype=np.float64),
        grad=np.array(records["grad"], dtype=np.float64),
        full_loss=np.array(records["full_loss"], dtype=np.float64),
        batch=np.array(records["batch"][:n_updates], dtype=np.int64).reshape(
            n_updates, width
        ),
        epoch=np.array(records["epoch"][:n_updates], dtype=np.int64),
        iteration=np.array(records["iteration"][:n_updates], dtype=np.int64),
        x=x.astype(np.float64),
        y=y.astype(np.float64),
        meta=meta,
        valid_loss=np.array(records["valid_loss"], dtype=np.float64),
        valid_index=held_out.numpy().astype(np.int64),
        grid=grid.astype(np.float64),
        curve=curve.astype(np.float64),
    )
