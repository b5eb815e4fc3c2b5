"""Record a gradient-descent run on a Problem, step by step, into its Trace.

`run_sgd` records through `ProblemRecorder`, and `sgdcore.recorder.Recorder` (a user's
own loop) is one, so both traces come from the same rows, the same divergence rule
and the same metadata. A step is recorded after `loss.backward()` and before the
update, so row t holds the state that update t starts from; `trace` adds the final
parameters' row, evaluated on every training point.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

import sgdcore
from sgdcore.config import SGDConfig
from sgdcore.epochs import epochs_of
from sgdcore.problems import Problem
from sgdcore.trace import SCHEMA_VERSION, MetaValue, Trace

Rows = dict[str, list[Any]]
ROW_NAMES = ("params", "loss", "grad", "full_loss", "valid_loss", "batch")


def training_points(problem: Problem) -> torch.Tensor:
    """The indices of the points training may use: all but the held-out ones."""
    held_out = problem.held_out()
    pool = torch.ones(problem.n_samples + len(held_out), dtype=torch.bool)
    pool[held_out] = False
    return torch.nonzero(pool).flatten()


class ProblemRecorder:
    """Collects each step's parameters, gradient, losses and batch on `problem`.

    Parameters
    ----------
    problem : what the loop minimises; its loss gives the full and validation losses.
    learning_rate : the loop's, recorded in the meta as given.
    batch_size : the batch width; None for the widest batch recorded.
    divergence_factor : a loss on all points past this times the start's (or 1,
        whichever is larger), or not finite, ends the recording: diverged.
    meta : entries for the trace's meta, added to (and overriding) the defaults.
    """

    def __init__(
        self,
        problem: Problem,
        learning_rate: float,
        *,
        batch_size: int | None = None,
        divergence_factor: float = SGDConfig.divergence_factor,
        meta: dict[str, MetaValue] | None = None,
    ) -> None:
        self.problem = problem
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.divergence_factor = divergence_factor
        self.train_index = training_points(problem)
        self.held_out = problem.held_out()
        self.rows: Rows = {name: [] for name in ROW_NAMES}
        self.diverged_at: int | None = None
        self.n_calls = 0  # steps the loop recorded, those after divergence included
        self.meta = dict(meta or {})

    @property
    def diverged(self) -> bool:
        """True once a step's loss on all points has exploded."""
        return self.diverged_at is not None

    def step(
        self,
        params: torch.Tensor,
        loss: torch.Tensor,
        batch: torch.Tensor | None = None,
    ) -> None:
        """Record one step: after `loss.backward()`, before the update moves `params`.

        `batch` holds the indices of the training points the loss saw; None: all.
        """
        if params.grad is None:
            raise ValueError("params.grad is empty: call step after loss.backward()")
        self.record(params.detach().reshape(-1), params.grad.reshape(-1), loss, batch)

    def record(
        self,
        values: torch.Tensor,
        grad: torch.Tensor,
        loss: torch.Tensor | float,
        batch: torch.Tensor | None,
    ) -> None:
        """Record one step's flat parameter `values` and `grad`, unless diverged."""
        self.n_calls += 1
        if self.diverged_at is None:  # past it, nothing is drawn: stop recording
            self.diverged_at = self.append(self.rows, values, grad, loss, batch)

    def trace(self, params: torch.Tensor) -> Trace:
        """The run as a Trace: every recorded step, then the final `params`' row."""
        if not self.rows["params"]:
            raise ValueError("nothing recorded: call step(params, loss) each step")
        rows = {name: list(values) for name, values in self.rows.items()}
        diverged_at = self.diverged_at
        if diverged_at is None:
            values = params.detach().reshape(-1)
            leaf = values.float().clone().requires_grad_(True)
            loss = self.problem.loss(leaf, self.train_index)
            loss.backward()  # type: ignore[no-untyped-call]  # torch leaves it bare
            assert leaf.grad is not None
            diverged_at = self.append(rows, values, leaf.grad, loss, None)
        return self.build(rows, diverged_at)

    def append(
        self,
        rows: Rows,
        values: torch.Tensor,
        grad: torch.Tensor,
        loss: torch.Tensor | float,
        batch: torch.Tensor | None,
    ) -> int | None:
        """Add one state's row to `rows`; its index if it diverged, else None."""
        value = float(loss.item() if isinstance(loss, torch.Tensor) else loss)
        # A mini-batch's loss only estimates the loss on all points, shown beside it
        full = value if batch is None else self.loss_on(values, self.train_index)
        if len(self.held_out):  # measured, never trained on
            rows["valid_loss"].append(self.loss_on(values, self.held_out))
        rows["params"].append(values.double().numpy().copy())
        rows["grad"].append(grad.double().numpy().copy())
        rows["loss"].append(value)
        rows["full_loss"].append(full)
        indices = self.train_index if batch is None else batch
        rows["batch"].append(indices.numpy().astype(np.int64))
        bound = self.divergence_factor * max(rows["full_loss"][0], 1.0)
        return (
            len(rows["loss"]) - 1 if not math.isfinite(full) or full > bound else None
        )

    def loss_on(self, values: torch.Tensor, indices: torch.Tensor) -> float:
        """The problem's loss at `values` on the points `indices`, without autograd."""
        with torch.no_grad():
            return float(self.problem.loss(values.float(), indices).item())

    def build(self, rows: Rows, diverged_at: int | None) -> Trace:
        """The Trace of `rows` (n_updates + 1 states, a batch per update)."""
        n_updates = len(rows["params"]) - 1
        n = self.problem.n_samples
        batches = rows["batch"][:n_updates]
        width = self.batch_size
        if width is None:
            width = max((len(indices) for indices in batches), default=n)
        batch, epoch, iteration = epochs_of(batches, width, n)
        x, y = self.problem.data()
        params = np.array(rows["params"], dtype=np.float64)
        grid, curve = self.problem.sample(params)  # a curve to draw, or empty
        meta: dict[str, MetaValue] = {
            **self.problem.describe(),
            "schema_version": SCHEMA_VERSION,
            "learning_rate": self.learning_rate,
            "n_steps_requested": max(self.n_calls, 1),
            "start": [float(value) for value in params[0]],
            "batch_size": width,
            "batches_per_epoch": max(1, math.ceil(n / width)) if width else 1,
            "diverged_at": diverged_at,
            "sgdcore_version": sgdcore.__version__,
            "torch_version": torch.__version__,
            **self.meta,
        }
        return Trace(
            params=params,
            loss=np.array(rows["loss"], dtype=np.float64),
            grad=np.array(rows["grad"], dtype=np.float64),
            full_loss=np.array(rows["full_loss"], dtype=np.float64),
            batch=batch,
            epoch=epoch,
            iteration=iteration,
            x=x.astype(np.float64),
            y=y.astype(np.float64),
            meta=meta,
            valid_loss=np.array(rows["valid_loss"], dtype=np.float64),
            valid_index=self.held_out.numpy().astype(np.int64),
            grid=grid.astype(np.float64),
            curve=curve.astype(np.float64),
        )
