"""The one gradient-descent loop, written the way the lesson teaches it."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

import sgdcore
from sgdcore.problems import Problem
from sgdcore.trace import SCHEMA_VERSION, MetaValue, Trace


@dataclass(frozen=True)
class SGDConfig:
    """Settings of one run; the defaults are the lesson's."""

    learning_rate: float = 0.1
    n_steps: int = 100
    start: tuple[float, ...] = (-1.0, 1.0)  # the lesson's first guess a = (-1, 1)
    batch_size: int | None = None  # None: every sample each step (plain gradient descent)
    seed: int = 42  # feeds the batch sampler; the data has its own seed
    # A loss this many times the starting loss (or 1, whichever is larger) counts as
    # diverged: by then every view has lost the point, and float32 soon overflows.
    divergence_factor: float = 1e6

    def __post_init__(self) -> None:
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(
                f"learning rate must be a positive finite number, got {self.learning_rate}"
            )
        if self.n_steps < 1:
            raise ValueError(f"steps must be at least 1, got {self.n_steps}")
        if not self.start or not all(math.isfinite(value) for value in self.start):
            raise ValueError(f"start must be finite numbers, got {self.start}")
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch size must be at least 1, got {self.batch_size}")


def full_batches(n_samples: int) -> Iterator[torch.Tensor]:
    """Every sample, every step: plain (full-batch) gradient descent."""
    everything = torch.arange(n_samples)
    while True:
        yield everything


def run_sgd(problem: Problem, config: SGDConfig = SGDConfig()) -> Trace:
    """Minimise `problem` by gradient descent and record every step in a Trace."""
    if config.batch_size is not None and config.batch_size != problem.n_samples:
        raise ValueError("mini-batches are not supported yet: batch_size must be None or n")
    params = nn.Parameter(torch.tensor(config.start, dtype=torch.float32))
    batches = full_batches(problem.n_samples)
    everything = torch.arange(problem.n_samples)
    records: dict[str, list[np.ndarray]] = {"params": [], "loss": [], "grad": [], "batch": []}
    diverged_at: int | None = None
    bound = math.inf

    for step in range(config.n_steps + 1):
        # The last record evaluates the final parameters on all samples; no update.
        is_last = step == config.n_steps
        batch_indices = everything if is_last else next(batches)
        # Forward and backward: autograd fills params.grad
        loss = problem.loss(params, batch_indices)
        loss.backward()
        assert params.grad is not None
        # Record before the update, so row t holds the state that update t starts from
        records["params"].append(params.detach().double().numpy().copy())
        records["loss"].append(np.float64(loss.item()))
        records["grad"].append(params.grad.double().numpy().copy())
        if step == 0:
            bound = config.divergence_factor * max(loss.item(), 1.0)
        # Divergence is data: stop recording at the first exploded step
        if not math.isfinite(loss.item()) or loss.item() > bound:
            diverged_at = step
            break
        if is_last:
            break
        records["batch"].append(batch_indices.numpy().astype(np.int64))
        # The update, exactly as the notebook writes it
        with torch.no_grad():
            params.sub_(config.learning_rate * params.grad)
        params.grad.zero_()

    x, y = problem.data()
    meta: dict[str, MetaValue] = {
        **problem.describe(),
        "schema_version": SCHEMA_VERSION,
        "learning_rate": config.learning_rate,
        "n_steps_requested": config.n_steps,
        "start": list(config.start),
        "batch_size": config.batch_size or problem.n_samples,
        "seed": config.seed,
        "diverged_at": diverged_at,
        "sgdcore_version": sgdcore.__version__,
        "torch_version": torch.__version__,
    }
    n_updates = len(records["loss"]) - 1
    batch_width = problem.n_samples if config.batch_size is None else config.batch_size
    return Trace(
        params=np.array(records["params"], dtype=np.float64),
        loss=np.array(records["loss"], dtype=np.float64),
        grad=np.array(records["grad"], dtype=np.float64),
        batch=np.array(records["batch"][:n_updates], dtype=np.int64).reshape(
            n_updates, batch_width
        ),
        x=x.astype(np.float64),
        y=y.astype(np.float64),
        meta=meta,
    )
