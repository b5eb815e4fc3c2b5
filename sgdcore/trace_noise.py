"""The gradient noise a trace may record: every mini-batch gradient of one epoch at
the start, for a few batch sizes, and the checks they pass.

numpy only. `noise_sizes` (S,) holds the batch sizes B in the order shown;
`noise_grads` (M, k) the gradients of the loss on each batch of one epoch at
`params[0]`, size after size, each size's batches in the order the DataLoader drew
them: ceil(n / B) of them for n training points, the last smaller where B does not
divide n. Both are empty for a trace that records none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from sgdcore.recompute import EPS32, ROUNDING, model_of

if TYPE_CHECKING:
    from sgdcore.trace import Trace


def batch_counts(n_points: int, size: int) -> npt.NDArray[np.int64]:
    """How many points each batch of one epoch holds: `size`, the last what is left."""
    full, rest = divmod(n_points, size)
    return np.array([size] * full + ([rest] if rest else []), dtype=np.int64)


def size_blocks(trace: Trace) -> list[npt.NDArray[np.float64]]:
    """`noise_grads` split by batch size: one (ceil(n / B), k) block per size."""
    n_points = len(trace.train_index)
    ends = np.cumsum([len(batch_counts(n_points, int(b))) for b in trace.noise_sizes])
    return list(np.split(trace.noise_grads, ends[:-1])) if len(ends) else []


def check_noise_shapes(trace: Trace) -> None:
    """Raise ValueError unless the recorded noise has the sizes and rows it claims."""
    sizes, grads = trace.noise_sizes, trace.noise_grads
    if grads.ndim != 2:
        raise ValueError(f"trace noise_grads must be 2-d, got shape {grads.shape}")
    if not sizes.size:
        if grads.size:
            raise ValueError("trace noise_grads holds gradients of no batch size")
        return
    n_points = len(trace.train_index)
    if sizes.min() < 1 or sizes.max() > n_points:
        raise ValueError(f"trace noise_sizes must be 1..{n_points}, the points used")
    if (np.diff(sizes) <= 0).any():
        raise ValueError("trace noise_sizes must increase")
    rows = sum(len(batch_counts(n_points, int(size))) for size in sizes)
    shape = (rows, trace.params.shape[1])
    if grads.shape != shape:
        raise ValueError(f"trace 'noise_grads' has shape {grads.shape}, not {shape}")
    if not np.isfinite(grads).all():
        raise ValueError("trace noise_grads must be finite")


def check_noise_mean(trace: Trace) -> None:
    """Raise ValueError unless each size's batch gradients, weighted by their points,
    average to the gradient on all training points at the start, recomputed."""
    if not trace.noise_sizes.size:
        return
    train = trace.train_index
    full = model_of(trace).evaluate(trace.params[:1], train[None, :])
    for size, grads in zip(trace.noise_sizes, size_blocks(trace), strict=True):
        weights = batch_counts(len(train), int(size)) / len(train)
        mean = weights @ grads
        # float32 summed each batch's gradient: its rounding, then the full one's
        slack = 2 * full.grad_slack[0] + ROUNDING * EPS32 * (weights @ np.abs(grads))
        off = np.flatnonzero(~(np.abs(mean - full.grad[0]) <= slack))
        if off.size:
            index = int(off[0])
            raise ValueError(
                f"the batch gradients of size {size} average to "
                f"{mean[index]:.6g} in grad[{index}], but the gradient on all points "
                f"at the start is {full.grad[0, index]:.6g}"
            )
