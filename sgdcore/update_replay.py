"""The updates a trace's optimiser makes, replayed from its recorded gradients in numpy.

torch.optim's rules, as sgdcore.train runs them ("gd" is the lesson's own line):

- gd:        p ← p − lr·g'                      g' = g + weight_decay·p
             (with a decay_power, weight decay grown with the degree: the
             coefficient of degree k decays by weight_decay·k**decay_power)
- momentum:  b ← μ·b + g',  p ← p − lr·b          (torch.optim.SGD, b starts at 0)
- adam:      m ← β₁m + (1 − β₁)g',  v ← β₂v + (1 − β₂)g'²  (both start at 0)
             p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)   (torch.optim.Adam)

numpy only. The slack of each expected step is RTOL of the step's size (the running
averages carry float32's rounding of every gradient summed into them) plus float32's
rounding of the parameters themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from sgdcore.recompute import EPS32, OVERFLOW, ROUNDING, RTOL, TINY32

if TYPE_CHECKING:
    from sgdcore.trace import Trace

Array = npt.NDArray[np.float64]
ADAM_EPS = 1e-8  # torch.optim.Adam's default ε; a trace may name its own as "eps"
BLOCK = 64  # steps per block of the running averages' closed form


def running_average(values: Array, decay: float, gain: float) -> Array:
    """a_t = decay·a_{t−1} + gain·values_t along axis 0, from a_{−1} = 0.

    Blockwise: within a block of BLOCK steps a_t is a weighted sum of the block's
    values and the previous block's last average, one matrix product per block.
    """
    n_steps = len(values)
    lags = np.arange(BLOCK)[:, None] - np.arange(BLOCK)[None, :]
    with np.errstate(all="ignore"):
        weights = np.where(lags >= 0, decay ** np.maximum(lags, 0), 0.0) * gain
        carry = decay ** np.arange(1, BLOCK + 1)
        averages = np.empty_like(values)
        last = np.zeros(values.shape[1:])
        for start in range(0, n_steps, BLOCK):
            block = values[start : start + BLOCK]
            size = len(block)
            here = weights[:size, :size] @ block + carry[:size, None] * last
            averages[start : start + size] = here
            last = here[-1]
    return averages


def expected_params(trace: Trace) -> tuple[Array, Array, npt.NDArray[np.bool_]]:
    """What each update t makes of params[t]: `(expected, slack, overflows)`.

    `expected` and `slack` are (T, k), for params[1:]; `overflows` (T, k) marks
    where float32 could not hold the step, so a diverged last row may be inf there.
    """
    meta = trace.meta
    lr = trace.learning_rate
    before, grad = trace.params[:-1], trace.grad[:-1]
    decay = decay_of(trace)
    with np.errstate(all="ignore"):
        decayed = grad + decay * before
        sizes = np.abs(grad) + decay * np.abs(before)
        optimizer = meta.get("optimizer", "gd")
        if optimizer == "momentum":
            momentum = float(meta["momentum"])  # type: ignore[arg-type]
            step = running_average(decayed, momentum, 1.0)
            size = running_average(sizes, momentum, 1.0)
        elif optimizer == "adam":
            step, size = adam_steps(trace, decayed, sizes)
        else:
            step, size = decayed, sizes
        expected = before - lr * step
        slack = RTOL * lr * size
        slack += ROUNDING * EPS32 * (np.abs(before) + np.abs(expected)) + TINY32
        overflows = ~np.isfinite(expected) | (np.abs(expected) > OVERFLOW)
        overflows |= np.abs(lr * step) > OVERFLOW
    return expected, slack, overflows


def decay_of(trace: Trace) -> Array:
    """Each parameter's weight decay, shape (k,): the trace's `weight_decay`, times
    k**decay_power for the coefficient of degree k when it names a power."""
    meta = trace.meta
    decay = float(meta.get("weight_decay") or 0.0)  # type: ignore[arg-type]
    power = int(meta.get("decay_power") or 0)  # type: ignore[arg-type]
    degrees = np.arange(trace.params.shape[1], dtype=np.float64)
    # float32, as the run held the decay
    grown: Array = (decay * degrees**power).astype(np.float32).astype(np.float64)
    return grown if power else np.full(len(degrees), decay)


def adam_steps(trace: Trace, decayed: Array, sizes: Array) -> tuple[Array, Array]:
    """Adam's step direction m̂ / (√v̂ + ε) for each update, and a bound on its size."""
    beta1, beta2 = (float(b) for b in trace.meta["betas"])  # type: ignore[union-attr]
    eps = float(trace.meta.get("eps", ADAM_EPS))  # type: ignore[arg-type]
    first = running_average(decayed, beta1, 1 - beta1)
    second = running_average(decayed**2, beta2, 1 - beta2)
    t = np.arange(1, len(decayed) + 1, dtype=np.float64)[:, None]
    correction1, correction2 = 1 - beta1**t, 1 - beta2**t
    denominator = np.sqrt(second) / np.sqrt(correction2) + eps
    step = first / correction1 / denominator
    magnitude = running_average(sizes, beta1, 1 - beta1) / correction1 / denominator
    return step, magnitude + np.abs(step)
