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

`x` is the lesson's (n, 2) with a column of ones, or only the inputs, (n,) or (n, 1);
the parameters are `a`, the list `[w, b]`, or a module with one weight and one bias
such as `nn.Linear(1, 1)`, whose weight is recorded as the slope a1 and bias as the
intercept a2 (the trace's meta says so under "params_from"). The update may be the
lesson's line or `torch.optim.SGD`'s step: give `lr=` or `optimizer=`. For a
function of one number, `Recorder(function=f, lr=lr)` and a one-element `w`. Row t
holds the state update t starts from, as run_sgd records it (with the same
`ProblemRecorder`), so the lesson's loop recorded here equals the built-in run array
for array. A mini-batch loop passes `batch=indices` to each step.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np
import torch

from sgdcore.function_problem import FunctionProblem
from sgdcore.functions import as_function
from sgdcore.problems import LinearRegression
from sgdcore.recording import ProblemRecorder
from sgdcore.trace import Trace
from sgdcore.trace_consistency import check_consistency
from sgdcore.user_data import as_points
from sgdcore.user_params import FUNCTION_SCENES, LINE_SCENES, leaves_of

UPDATE_RTOL = 1e-5  # float32 rounding of p - lr * grad, with room for lr's own


class Recorder(ProblemRecorder):
    """Collects parameters, loss, gradient (and batches) from each step of a loop.

    Parameters
    ----------
    x, y : the data a line is fitted to: x (n,), (n, 1) or the lesson's (n, 2) rows
        [x, 1]; y (n,) or (n, 1).
    lr : the learning rate of the loop's update.
    optimizer : the loop's `torch.optim.SGD`, whose lr is read (instead of `lr`).
    function : f(w) to minimise instead of fitting a line: a callable or a built-in
        function's name.
    """

    def __init__(
        self,
        x: Any = None,
        y: Any = None,
        *,
        lr: float | None = None,
        optimizer: torch.optim.Optimizer | None = None,
        function: Any = None,
    ) -> None:
        if (x is None) == (function is None):
            raise ValueError(
                f"give data, Recorder(x, y, lr=...), to fit a line ({LINE_SCENES}), "
                f"or a function, Recorder(function=f, lr=...) ({FUNCTION_SCENES})"
            )
        learning_rate = learning_rate_of(lr, optimizer)
        problem = (
            line_problem(x, y)
            if x is not None
            else FunctionProblem(as_function(function))
        )
        super().__init__(
            problem, learning_rate, meta={"optimizer": "gd", "recorded": True}
        )
        self.lr = learning_rate
        self.n_params = 2 if x is not None else 1
        self.last: object = None  # the parameters last recorded; the loop moves them

    def step(self, params: object, loss: object, batch: Any = None) -> None:
        """Record one step: after `loss.backward()`, before the update moves `params`.

        `params` is a leaf tensor, a list of them (`[w, b]`) or a module such as
        `nn.Linear(1, 1)`; `batch` the indices of the points the loss saw, if not all.
        """
        leaves = leaves_of(params, self.n_params)
        if isinstance(loss, torch.Tensor) and loss.numel() != 1:
            raise ValueError(
                f"loss must be one number (a mean), not shape {tuple(loss.shape)}"
            )
        if not isinstance(loss, torch.Tensor | Real) or isinstance(loss, bool):
            raise ValueError(f"loss must be the loss tensor, not {type(loss).__name__}")
        if leaves.mapping is not None:
            self.meta["params_from"] = leaves.mapping
        self.last = params
        value = loss if isinstance(loss, torch.Tensor) else float(loss)
        self.record(leaves.values(), leaves.grad(), value, self.indices(batch))

    def trace(self, params: object = None) -> Trace:
        """The run as a Trace: each step, then the final `params` (by default those
        last recorded, which the loop's in-place update has moved on)."""
        if self.last is None:
            raise ValueError(
                "nothing recorded: call recorder.step(params, loss) each step"
            )
        final = leaves_of(
            self.last if params is None else params, self.n_params, updated=False
        )
        trace = super().trace(final.values())
        self.check_updates(trace)
        check_consistency(trace)
        return trace

    def indices(self, batch: Any) -> torch.Tensor | None:
        """The step's sample indices, checked; None for a full batch."""
        if batch is None:
            return None
        n = self.problem.n_samples
        if n == 0:
            raise ValueError("batch= needs data: a function has no samples to batch")
        wanted = f"batch must hold indices 0..{n - 1} of the data"
        try:
            given = torch.as_tensor(batch).detach().reshape(-1)
        except (TypeError, ValueError, RuntimeError):
            raise ValueError(f"{wanted}, not {type(batch).__name__}") from None
        if given.is_floating_point() or given.is_complex() or given.dtype == torch.bool:
            raise ValueError(f"{wanted}, whole numbers, not {given.dtype}")
        indices = given.numpy().astype(np.int64)
        if indices.size == 0 or indices.min() < 0 or indices.max() >= n:
            raise ValueError(wanted)
        return torch.from_numpy(indices)

    def record(
        self,
        values: torch.Tensor,
        grad: torch.Tensor,
        loss: torch.Tensor | float,
        batch: torch.Tensor | None,
    ) -> None:
        """Record a step, refusing a loss the scenes would misreport."""
        value = float(loss.item() if isinstance(loss, torch.Tensor) else loss)
        step = len(self.rows["loss"])
        if not self.diverged and self.problem.name != "function" and value < 0:
            raise ValueError(
                f"step {step}: the loss is {value:g}, but a mean squared error is "
                "never below 0: record the loss the loop minimises, mse(y, x @ a)"
            )
        if not self.diverged and math.isnan(value) and bool(values.isfinite().all()):
            raise ValueError(
                f"step {step}: the loss is not a number while the parameters are "
                "finite, so the run has not diverged: check how the loss is computed"
            )
        super().record(values, grad, loss, batch)

    def check_updates(self, trace: Trace) -> None:
        """Refuse a loop whose updates are not p ← p − lr·∇: the scenes write that out."""
        before, after = trace.params[:-1], trace.params[1:]
        moved = self.lr * trace.grad[:-1]
        # float32 rounds each operand and the result: measure against the largest
        scale = np.maximum.reduce([np.abs(before), np.abs(moved), np.abs(after)])
        with np.errstate(invalid="ignore"):  # inf - inf at a diverged last row
            off = np.abs(before - moved - after) / np.maximum(scale, 1e-30)
        bad = np.flatnonzero((off > UPDATE_RTOL).any(axis=1))
        if bad.size:
            raise ValueError(
                f"step {bad[0]} did not land on params − lr · grad with lr = {self.lr:g}:"
                " the scenes show plain gradient descent; give Recorder the loop's lr"
            )


def learning_rate_of(lr: object, optimizer: object) -> float:
    """The loop's learning rate: `lr`, or a plain `torch.optim.SGD`'s."""
    if optimizer is not None:
        found = sgd_learning_rate(optimizer)
        if lr is not None and lr != found:
            raise ValueError(
                f"lr = {lr} but the optimizer's is {found:g}; give one of them"
            )
        lr = found
    if lr is None:
        raise ValueError(
            "give the loop's learning rate: Recorder(..., lr=0.1), or "
            "Recorder(..., optimizer=opt) for a torch.optim.SGD"
        )
    rate = float(lr) if isinstance(lr, Real) and not isinstance(lr, bool) else math.nan
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError(f"lr must be a positive finite number, not {lr!r}")
    return rate


def sgd_learning_rate(optimizer: object) -> float:
    """The lr of a `torch.optim.SGD` doing plain gradient descent; else ValueError."""
    if not isinstance(optimizer, torch.optim.SGD):
        raise ValueError(
            "optimizer must be a torch.optim.SGD (the scenes show plain gradient "
            f"descent), not {type(optimizer).__name__}"
        )
    rates = set()
    for group in optimizer.param_groups:
        extras = [
            f"{key}={group[key]}"
            for key in ("momentum", "weight_decay", "maximize")
            if group.get(key)
        ]
        if extras:
            raise ValueError(
                f"the optimizer has {', '.join(extras)}; the scenes show plain "
                "gradient descent, p ← p − lr·∇, so give SGD only its lr"
            )
        rates.add(float(group["lr"]))
    if len(rates) != 1:
        raise ValueError(
            f"the optimizer's parameter groups have learning rates {sorted(rates)}; "
            "the scenes show one"
        )
    return rates.pop()


def line_problem(x: Any, y: Any) -> LinearRegression:
    """The lesson's problem on the user's data: x as (n, 2) rows [x, 1], float32."""
    try:
        x = torch.as_tensor(x).detach()
    except (TypeError, ValueError, RuntimeError):
        raise ValueError(
            f"x must be numbers: (n,), (n, 1) or the lesson's (n, 2), "
            f"not {type(x).__name__}"
        ) from None
    if x.ndim == 2 and x.shape[1] == 2:
        if not bool((x[:, 1] == 1).all()):
            raise ValueError(
                "x of shape (n, 2) must be the lesson's [x, 1] rows, ones in the "
                "second column; give a plain input column as (n,) or (n, 1)"
            )
        inputs = x[:, 0]
    elif x.ndim == 1 or (x.ndim == 2 and x.shape[1] == 1):
        inputs = x.reshape(-1)
    else:
        raise ValueError(
            f"x must be (n,), (n, 1) or the lesson's (n, 2), not {tuple(x.shape)}"
        )
    try:
        targets = torch.as_tensor(y).detach().reshape(-1)
    except (TypeError, ValueError, RuntimeError):
        raise ValueError(
            f"y must be numbers, one per point, not {type(y).__name__}"
        ) from None
    points = as_points((inputs.double().numpy(), targets.double().numpy()))
    features = torch.ones(len(points), 2)
    features[:, 0] = inputs.float()
    return LinearRegression(features, targets.float())
