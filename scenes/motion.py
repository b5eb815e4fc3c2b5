"""How much each update changes things: what moves on screen, and the quantity a
clip is about. The schedule (scenes/schedule.py) gives screen time by these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def headline_share(
    headline: npt.NDArray[np.float64], n_steps: int
) -> npt.NDArray[np.float64]:
    """Each update's share of the headline quantity's change: shape (n_steps,).

    Several runs: each run's changes as a share of its own total, the largest taken.
    Non-finite values (a diverged run) change nothing further.
    """
    values = np.atleast_2d(np.asarray(headline, dtype=np.float64))[:, : n_steps + 1]
    if values.shape[1] < n_steps + 1:  # pad a short run with its last value
        pad = np.repeat(values[:, -1:], n_steps + 1 - values.shape[1], axis=1)
        values = np.concatenate([values, pad], axis=1)
    with np.errstate(invalid="ignore", over="ignore"):
        change = np.abs(np.diff(values, axis=1))
    change = np.where(np.isfinite(change), change, 0.0)
    total = change.sum(axis=1, keepdims=True)
    shares = np.divide(change, total, out=np.zeros_like(change), where=total > 0)
    result: npt.NDArray[np.float64] = shares.max(axis=0)
    return result


def largest_motion(
    positions: Sequence[npt.NDArray[np.float64]],
) -> npt.NDArray[np.float64]:
    """Per update, the largest distance any tracked point moves.

    Parameters
    ----------
    positions
        One array per recorded step, shape (m, 3): the tracked points at that step
        (the same m points every step; non-finite entries count as far away).

    Returns
    -------
    Shape (n_steps,): for update k, the largest move from step k to k + 1.
    """
    stacked = np.stack(positions)  # (n_steps + 1, m, 3)
    with np.errstate(invalid="ignore", over="ignore"):
        moves = np.linalg.norm(np.diff(stacked, axis=0), axis=2)  # (n_steps, m)
    moves = np.where(np.isfinite(moves), moves, math.inf)
    result: npt.NDArray[np.float64] = (
        moves.max(axis=1) if moves.shape[1] else np.zeros(len(moves))
    )
    return result
