"""Which epoch and which batch within it each update of a run belongs to.

numpy only: the recorder numbers its updates with it, and the trace checks recount
them (sgdcore.trace_consistency).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sgdcore.trace_checks import PAD


def epochs_of(
    batches: list[npt.NDArray[np.int64]], width: int, n: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """`(batch, epoch, iteration)` of the updates' batches, padded to `width`.

    Returns `batch` (n_updates, width) padded with PAD, `epoch` and `iteration`
    (n_updates,), all int64.
    """
    batch = np.full((len(batches), width), PAD, dtype=np.int64)
    for step, indices in enumerate(batches):
        batch[step, : len(indices)] = indices
    epoch, iteration = epoch_numbers([len(indices) for indices in batches], n)
    return batch, epoch, iteration


def epoch_numbers(
    sizes: list[int], n: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """`(epoch, iteration)` of updates whose batches hold `sizes` points each.

    An epoch ends once its batches have seen `n` points, as a DataLoader's do.
    """
    epoch, iteration = [], []
    seen, current, index = 0, 0, 0
    for size in sizes:
        epoch.append(current)
        iteration.append(index)
        seen, index = seen + size, index + 1
        if seen >= n:  # every point seen: the next batch starts an epoch
            seen, current, index = 0, current + 1, 0
    return np.array(epoch, dtype=np.int64), np.array(iteration, dtype=np.int64)
