"""Record your own training loop into a Trace the scenes replay: one line per step.

The lesson's loop, with the one added line::

    recorder = Recorder(x, y, lr=lr)
    for t in range(100):
        loss = mse(y, x @ a)
        loss.backward()
        recorder.step(a, loss)  # after backward, before the update
        with torch.no_grad():
            a.sub_(lr * a.grad)
            a.grad.zero_()
    trace = recorder.trace()  # then sgd_anim.render("fit_line", trace=trace)

`x` is the lesson's (n, 2) with a column of ones (or only the inputs, (n,)) and `a`
its (slope, intercept); for a function of one number, `Recorder(function=f, lr=lr)`
and a one-element `w`. Row t holds the state update t starts from, as run_sgd
records it, so the lesson's loop recorded here equals the built-in run array for
array. A mini-batch loop passes `batch=indices` to each step.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

import sgdcore
from sgdcore.function_problem import FunctionProblem
from sgdcore.functions import as_function
from sgdcore.problems import LinearRegression, Problem
from sgdcore.trace import PAD, SCHEMA_VERSION, MetaValue, Trace
from sgdcore.user_data import as_points

LINE_SCENES = "fit_line, landscape, surface_3d and optimizers"
FUNCTION_SCENES = "lr_too_high, lr_too_low and lr_just_right"
DIVERGENCE_FACTOR = 1e6  # as SGDConfig's: past this times the start's loss, diverged
UPDATE_RTOL = 1e-5  # float32 rounding of p - lr * grad, with room for lr's own


class Recorder:
    """Collects parameters, loss, gradient (and batches) from each step of a loop."""

    def __init__(
        self, x: Any = None, y: Any = None, *, lr: float, function: Any = None
    ) -> None:
        if (x is None) == (function is None):
            raise ValueError(
                f"give data, Recorder(x, y, lr=...), to fit a line ({LINE_SCENES}), "
                f"or a function, Recorder(function=f, lr=...) ({FUNCTION_SCENES})"
            )
        if not (isinstance(lr, int | float) and math.isfinite(lr) and lr > 0):
            raise ValueError(f"lr must be a positive finite number, not {lr!r}")
        self.lr = float(lr)
        self.problem: Problem = (
            line_problem(x, y)
            if x is not None
            else FunctionProblem(as_function(function))
        )
        self.n_params = 2 if x is not None else 1
        self.rows: dict[str, list[Any]] = {
            name: [] for name in ("params", "loss", "grad", "full_loss", "batch")
        }
        self.last: torch.Tensor | None = None  # updated in place by the loop
        self.diverged_at: int | None = None

    def step(self, params: torch.Tensor, loss: torch.Tensor, batch: Any = None) -> None:
        """Record one step: after `loss.backward()`, before the update moves `params`."""
        if self.diverged_at is not None:
            return  # the run has left every view: nothing after this is drawn
        flat = self.checked(params)
        if params.grad is None:
            raise ValueError(
                "params.grad is empty: call recorder.step after backward()"
            )
        indices = self.indices(batch)
        value = float(loss.item())
        full = value if batch is None else self.loss_on_all(flat.detach())
        self.rows["params"].append(flat.detach().double().numpy().copy())
        self.rows["loss"].append(value)
        self.rows["grad"].append(params.grad.reshape(-1).double().numpy().copy())
        self.rows["full_loss"].append(full)
        self.rows["batch"].append(indices)
        self.last = params
        start = self.rows["full_loss"][0]
        if not math.isfinite(full) or full > DIVERGENCE_FACTOR * max(start, 1.0):
            self.diverged_at = len(self.rows["loss"]) - 1

    def trace(self, params: torch.Tensor | None = None) -> Trace:
        """The run as a Trace: each step, then the final `params` (by default the
        tensor last recorded, which the loop's in-place update has moved on)."""
        if self.last is None:
            raise ValueError(
                "nothing recorded: call recorder.step(params, loss) each step"
            )
        rows = {name: list(values) for name, values in self.rows.items()}
        if self.diverged_at is None:
            final = self.checked(self.last if params is None else params).detach()
            leaf = final.clone().requires_grad_(True)
            loss = self.problem.loss(leaf, torch.arange(self.problem.n_samples))
            loss.backward()  # type: ignore[no-untyped-call]  # torch leaves it bare
            assert leaf.grad is not None
            rows["params"].append(final.double().numpy().copy())
            rows["grad"].append(leaf.grad.double().numpy().copy())
            rows["loss"].append(float(loss.item()))
            rows["full_loss"].append(float(loss.item()))
        self.check_updates(np.array(rows["params"]), np.array(rows["grad"]))
        return self.build(rows)

    # -- checks -------------------------------------------------------------------------
    def checked(self, params: torch.Tensor) -> torch.Tensor:
        """`params` flattened, if they are as many numbers as the scenes draw."""
        if not isinstance(params, torch.Tensor):
            raise ValueError(f"params must be a tensor, not {type(params).__name__}")
        flat = params.reshape(-1)
        if flat.numel() != self.n_params:
            fits = (
                f"a line's slope and intercept, 2 numbers ({LINE_SCENES})"
                if self.n_params == 2
                else f"one number w ({FUNCTION_SCENES})"
            )
            raise ValueError(
                f"params has {flat.numel()} numbers; this recording fits {fits}"
            )
        return flat

    def indices(self, batch: Any) -> npt.NDArray[np.int64]:
        """The step's sample indices: all of them for a full batch."""
        n = self.problem.n_samples
        if batch is None:
            return np.arange(n, dtype=np.int64)
        if n == 0:
            raise ValueError("batch= needs data: a function has no samples to batch")
        indices = torch.as_tensor(batch).reshape(-1).numpy().astype(np.int64)
        if indices.size == 0 or indices.min() < 0 or indices.max() >= n:
            raise ValueError(f"batch must hold indices 0..{n - 1} of the data")
        return indices

    def loss_on_all(self, params: torch.Tensor) -> float:
        """The loss on every point (a mini-batch step's own loss sees only its batch)."""
        with torch.no_grad():
            everything = torch.arange(self.problem.n_samples)
            return float(self.problem.loss(params, everything).item())

    def check_updates(
        self, params: npt.NDArray[np.float64], grad: npt.NDArray[np.float64]
    ) -> None:
        """Refuse a loop whose updates are not p ← p − lr·∇: the scenes write that out."""
        n_updates = len(params) - 1 if self.diverged_at is None else self.diverged_at
        if n_updates < 1:
            return
        landed = params[:n_updates] - self.lr * grad[:n_updates]
        scale = np.maximum(np.abs(params[1 : n_updates + 1]), 1e-6)
        off = np.abs(landed - params[1 : n_updates + 1]) / scale
        bad = np.flatnonzero((off > UPDATE_RTOL).any(axis=1))
        if bad.size:
            raise ValueError(
                f"step {bad[0]} did not land on params − lr · grad with lr = {self.lr:g}:"
                " the scenes show plain gradient descent; give Recorder the loop's lr"
            )

    # -- the Trace ----------------------------------------------------------------------
    def build(self, rows: dict[str, list[Any]]) -> Trace:
        """The Trace of `rows` (n_updates + 1 states, a batch per update)."""
        n_updates = len(rows["params"]) - 1
        n = self.problem.n_samples
        batches = rows["batch"][:n_updates]
        width = max((len(b) for b in batches), default=n)
        batch = np.full((n_updates, width), PAD, dtype=np.int64)
        epoch, iteration = np.zeros(n_updates, np.int64), np.zeros(n_updates, np.int64)
        seen, current, index = 0, 0, 0
        for step, indices in enumerate(batches):
            batch[step, : len(indices)] = indices
            epoch[step], iteration[step] = current, index
            seen, index = seen + len(indices), index + 1
            if seen >= n:  # an epoch has passed over every point
                seen, current, index = 0, current + 1, 0
        x, y = self.problem.data()
        params = np.array(rows["params"], dtype=np.float64)
        grid, curve = self.problem.sample(params)  # f(w)'s samples; else empty
        meta: dict[str, MetaValue] = {
            **self.problem.describe(),
            "schema_version": SCHEMA_VERSION,
            "learning_rate": self.lr,
            "n_steps_requested": max(n_updates, 1),
            "start": [float(v) for v in rows["params"][0]],
            "batch_size": width,
            "batches_per_epoch": max(1, math.ceil(n / width)) if width else 1,
            "optimizer": "gd",
            "diverged_at": self.diverged_at,
            "recorded": True,  # by a user's own loop, not run_sgd
            "sgdcore_version": sgdcore.__version__,
            "torch_version": torch.__version__,
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
            grid=grid,
            curve=curve,
        )


def line_problem(x: Any, y: Any) -> LinearRegression:
    """The lesson's problem on the user's data: x as (n, 2) rows [x, 1], float32."""
    x = torch.as_tensor(x)
    if x.ndim == 2 and x.shape[1] == 2:
        if not bool((x[:, 1] == 1).all()):
            raise ValueError("x of shape (n, 2) must be the lesson's [x, 1] rows")
        inputs = x[:, 0]
    elif x.ndim == 1:
        inputs = x
    else:
        raise ValueError(f"x must be (n,) or the lesson's (n, 2), not {tuple(x.shape)}")
    targets = torch.as_tensor(y).reshape(-1)
    points = as_points((inputs.double().numpy(), targets.double().numpy()))
    features = torch.ones(len(points), 2)
    features[:, 0] = inputs.float()
    return LinearRegression(features, targets.float())
