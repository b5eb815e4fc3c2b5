"""The Trace: everything a training run recorded, and the one contract with the scenes.

numpy and the standard library only, so scenes can load a trace without torch.

Schema (version 3; a version-2 file loads with the last six empty, a version-3 file
without the noise with it empty), for a run that recorded steps 0..T (T <= the steps asked for):

=========  ==================  ====================================================
array      shape, dtype        meaning
=========  ==================  ====================================================
params     (T + 1, k) float64  parameters before update t; row 0 is the start
loss       (T + 1,) float64    loss at params[t] on batch t (step T: all samples)
grad       (T + 1, k) float64  gradient of loss[t] with respect to params[t]
full_loss  (T + 1,) float64    loss at params[t] on all samples (= loss for plain GD)
batch      (T, b) int64        sample indices behind update t, padded with PAD (-1)
                               when an epoch's last batch is smaller; b = 0 without data
epoch      (T,) int64          the epoch update t belongs to (0-based)
iteration  (T,) int64          its batch number within that epoch (0-based)
x          (n, d) float64      the data's inputs (n = 0 for a problem without data)
y          (n,) float64        the data's targets
valid_loss (T + 1,) float64    loss at params[t] on the held-out points; (0,) if none
valid_index (m,) int64         the points held out of training (in no batch); may be
                               empty
grid       (G,) float64        increasing inputs a curve is sampled at; (0,) if none
curve      (C, G) float64      the model on `grid` after each step (C = T + 1), or a
                               fixed function such as f(w) (C = 1); (0, 0) if none
noise_sizes (S,) int64         optional: batch sizes B, increasing (sgdcore.trace_noise)
noise_grads (M, k) float64     each B's batch gradients of one epoch at params[0];
                               (0, 0) if none
meta       JSON object         problem, learning_rate, batch_size, batches_per_epoch,
                               seed, n_steps_requested, diverged_at (step or null),
                               start, versions, ...
=========  ==================  ====================================================

On disk: an `.npz` of those arrays and `meta` as JSON in a 0-d unicode array, never
pickles; several runs (`save_runs`) go under `run0/`, `run1/`, ... and
`sgdcore.trace_file` reads them within its limits. A Trace is checked when built, so
whatever loads, a scene can replay: shapes as above, finite values before divergence,
indices in range, the meta fields scenes read typed (positive where the maths divides)
and per problem `linear_regression`: 2 parameters, x (n >= 2, 2) with a column of
ones; `quadratic`: 1 parameter, meta `curvature` > 0 and `minimum`; `polynomial`:
degree + 1 parameters, x (n, 1), a validation loss and the model's curve each step;
`function` (any f(w)): 1 parameter, meta `function` and `formula`, f on `grid`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from sgdcore.trace_checks import (
    N_PARAMS as N_PARAMS,
)
from sgdcore.trace_checks import (
    OPTIMIZERS as OPTIMIZERS,
)
from sgdcore.trace_checks import (
    PAD as PAD,
)
from sgdcore.trace_checks import (
    SCHEMA_VERSION as SCHEMA_VERSION,
)
from sgdcore.trace_checks import (
    MetaValue as MetaValue,
)
from sgdcore.trace_checks import check_meta, check_shapes, check_values
from sgdcore.trace_file import TraceFileError as TraceFileError
from sgdcore.trace_file import read_runs, write_runs
from sgdcore.trace_noise import check_noise_shapes, size_blocks
from sgdcore.trace_schema import ARRAY_DTYPES as ARRAY_DTYPES


@dataclass(frozen=True, eq=False)
class Trace:
    """A recorded gradient-descent run (schema in the module docstring)."""

    params: npt.NDArray[np.float64]
    loss: npt.NDArray[np.float64]
    grad: npt.NDArray[np.float64]
    full_loss: npt.NDArray[np.float64]
    batch: npt.NDArray[np.int64]
    epoch: npt.NDArray[np.int64]
    iteration: npt.NDArray[np.int64]
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    meta: dict[str, MetaValue] = field(default_factory=dict)
    valid_loss: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    valid_index: npt.NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )
    grid: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    curve: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0)))
    noise_sizes: npt.NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )
    noise_grads: npt.NDArray[np.float64] = field(
        default_factory=lambda: np.zeros((0, 0))
    )

    def __post_init__(self) -> None:
        check_shapes(self)
        check_meta(self)
        check_values(self)
        check_noise_shapes(self)

    @property
    def n_steps(self) -> int:
        """Number of updates recorded (fewer than asked for if the run diverged)."""
        return int(self.loss.shape[0] - 1)

    @property
    def problem(self) -> str:
        """Name of the problem the run minimised."""
        return str(self.meta["problem"])

    @property
    def learning_rate(self) -> float:
        """The learning rate of the run."""
        return float(self.meta["learning_rate"])  # type: ignore[arg-type]

    @property
    def train_index(self) -> npt.NDArray[np.int64]:
        """The points training used: all but `valid_index`, in order."""
        kept = np.ones(len(self.y), dtype=bool)
        kept[self.valid_index] = False
        return np.flatnonzero(kept).astype(np.int64)

    @property
    def diverged_at(self) -> int | None:
        """The step whose loss was non-finite or past the bound, or None."""
        step = self.meta.get("diverged_at")
        return None if step is None else int(step)  # type: ignore[arg-type]

    def noise_blocks(self) -> list[npt.NDArray[np.float64]]:
        """The recorded batch gradients, one (batches, k) block per `noise_sizes`."""
        return size_blocks(self)

    def save(self, path: str | Path) -> None:
        """Write the trace as an `.npz`, atomically; equal traces give equal bytes."""
        save_runs(path, [self])

    @classmethod
    def load(cls, path: str | Path) -> Trace:
        """Read a one-run trace file; raise `TraceFileError` for anything else."""
        (trace,) = traces_from(path, read_runs(path, single=True))
        return trace

    def equals(self, other: Trace) -> bool:
        """True when every array (values and dtypes) and the metadata are identical."""
        return self.meta == other.meta and all(
            np.array_equal(getattr(self, name), getattr(other, name), equal_nan=True)
            and getattr(self, name).dtype == getattr(other, name).dtype
            for name in ARRAY_DTYPES
        )


def save_runs(path: str | Path, traces: Sequence[Trace]) -> None:
    """Write 1 to MAX_RUNS traces (a scene's runs, in order) to one `.npz`.

    One trace gives the very bytes `Trace.save` writes. The write goes through a
    temporary file and a rename, so a failure never leaves a damaged file; traces
    `load_runs` would refuse (too many, too large) raise ValueError, writing nothing.
    """
    runs = [(vars(trace), json.dumps(trace.meta, sort_keys=True)) for trace in traces]
    write_runs(path, runs)


def load_runs(path: str | Path) -> list[Trace]:
    """Every trace in a file from `save_runs` or `Trace.save` (which holds one).

    Raises `TraceFileError`, one line naming the file and the problem, for anything
    that is not such a file or holds a trace that fails the checks.
    """
    return traces_from(path, read_runs(path))


def traces_from(
    path: str | Path, runs: list[tuple[dict[str, Any], Any]]
) -> list[Trace]:
    """Build each run's Trace; a failed check is a TraceFileError naming the file."""
    traces = []
    for index, (arrays, meta) in enumerate(runs):
        try:
            traces.append(Trace(meta=meta, **arrays))
        except ValueError as error:
            where = path if len(runs) == 1 else f"{path}: run {index}"
            raise TraceFileError(f"{where}: {error}") from None
    return traces
