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

    An epoch ends once its batches have seen `n` points, as a DataLoader's do.
    Returns `batch` (n_updates, width) padded with PAD, `epoch` and `iteration`
    (n_updates,), all int64.
    """
    n_updates = len(batches)
    batch = np.full((n_updates, width), PAD, dtype=np.int64)
    epoch = np.zeros(n_updates, dtype=np.int64)
    iteration = np.zeros(n_updates, dtype=np.int64)
    seen, current, index = 0, 0, 0
    for step, indices in enumerate(batches):
        batch[step, : len(indices)] = indices
        epoch[step], iteration[step] = current, index
        seen, index = seen + len(indices), index + 1
        if seen >= n:  # every point seen: the next batch starts an epoch
            seen, current, index = 0, current + 1, 0
    return batch, epoch, iteration
