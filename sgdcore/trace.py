"""The Trace: everything a training run recorded, and the one contract with the scenes.

numpy and the standard library only, so scenes can load a trace without torch (R1).

Schema (version 2), for a run that recorded steps 0..T (T <= the steps asked for):

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
meta       JSON object         problem, learning_rate, batch_size, batches_per_epoch,
                               seed, n_steps_requested, diverged_at (step or null),
                               start, versions, ...
=========  ==================  ====================================================

On disk it is an `.npz` with those arrays plus `meta` as a 0-d unicode array holding
JSON, read back with `allow_pickle=False`.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

SCHEMA_VERSION = 2
PAD = -1  # in `batch`: no sample in this slot
ARRAY_DTYPES = {
    "params": np.float64,
    "loss": np.float64,
    "grad": np.float64,
    "full_loss": np.float64,
    "batch": np.int64,
    "epoch": np.int64,
    "iteration": np.int64,
    "x": np.float64,
    "y": np.float64,
}
MetaValue = str | int | float | bool | None | list[float] | list[int]


class TraceFileError(ValueError):
    """A file that is not a readable trace of this schema."""


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

    def __post_init__(self) -> None:
        for name, dtype in ARRAY_DTYPES.items():
            array = getattr(self, name)
            if not isinstance(array, np.ndarray) or array.dtype != dtype:
                found = getattr(array, "dtype", type(array).__name__)
                raise ValueError(f"trace array {name!r} must be {dtype.__name__}, got {found}")
        if self.x.ndim != 2:
            raise ValueError(f"trace array 'x' must be 2-d, got shape {self.x.shape}")
        n_records, n_params = self.params.shape if self.params.ndim == 2 else (0, 0)
        expected = {
            "params": (n_records, n_params),
            "loss": (n_records,),
            "grad": (n_records, n_params),
            "full_loss": (n_records,),
            "epoch": (n_records - 1,),
            "iteration": (n_records - 1,),
            "batch": (n_records - 1, self.batch.shape[-1] if self.batch.ndim == 2 else -1),
            "y": (self.x.shape[0],),
        }
        if n_records < 1 or n_params < 1:
            raise ValueError(f"trace params must be (steps + 1, k), got {self.params.shape}")
        for name, shape in expected.items():
            if getattr(self, name).shape != shape:
                raise ValueError(
                    f"trace array {name!r} has shape {getattr(self, name).shape}, "
                    f"expected {shape}"
                )
        if self.meta.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(
                f"trace schema version {self.meta.get('schema_version')!r} is not "
                f"{SCHEMA_VERSION}"
            )
        if not isinstance(self.meta.get("problem"), str):
            raise ValueError("trace meta must name its 'problem'")

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
    def diverged_at(self) -> int | None:
        """The step whose loss was non-finite or past the bound, or None."""
        step = self.meta.get("diverged_at")
        return None if step is None else int(step)  # type: ignore[arg-type]

    def save(self, path: str | Path) -> None:
        """Write the trace as an `.npz` without pickles; equal traces give equal bytes."""
        arrays = {name: getattr(self, name) for name in ARRAY_DTYPES}
        meta = np.array(json.dumps(self.meta, sort_keys=True))
        with Path(path).open("wb") as handle:
            np.savez_compressed(handle, meta=meta, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> Trace:
        """Read a trace written by `save`; raise `TraceFileError` for anything else."""
        try:
            archive = np.load(path, allow_pickle=False)
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise TraceFileError(f"{path}: not a trace file (a bare array, not an .npz)")
            with archive:
                missing = sorted({"meta", *ARRAY_DTYPES} - set(archive.files))
                if missing:
                    raise TraceFileError(f"{path}: not a trace file (missing {missing})")
                arrays = {name: archive[name] for name in ARRAY_DTYPES}
                meta_array = archive["meta"]
            if meta_array.shape != () or meta_array.dtype.kind != "U":
                raise TraceFileError(f"{path}: trace meta must be a JSON string")
            meta = json.loads(str(meta_array))
            if not isinstance(meta, dict):
                raise TraceFileError(f"{path}: trace meta must be a JSON object")
            return cls(meta=meta, **arrays)
        except TraceFileError:
            raise
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error, json.JSONDecodeError) as error:
            raise TraceFileError(f"{path}: cannot read trace ({error})") from None
        except (ValueError, IndexError) as error:  # object arrays, bad shapes, schema
            raise TraceFileError(f"{path}: not a valid trace ({error})") from None

    def equals(self, other: Trace) -> bool:
        """True when every array (values and dtypes) and the metadata are identical."""
        return self.meta == other.meta and all(
            np.array_equal(getattr(self, name), getattr(other, name), equal_nan=True)
            and getattr(self, name).dtype == getattr(other, name).dtype
            for name in ARRAY_DTYPES
        )
