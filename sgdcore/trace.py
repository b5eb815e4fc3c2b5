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

On disk: an `.npz` of those arrays and `meta` as JSON in a 0-d unicode array, never
pickles; several runs (`save_runs`) go under `run0/`, `run1/`, ... and
`sgdcore.trace_file` reads them within its limits. A Trace is checked when built, so
whatever loads, a scene can replay: shapes as above, finite values before divergence,
indices in range, the meta fields scenes read typed (positive where the maths divides)
and per problem `linear_regression`: 2 parameters, x (n >= 2, 2) with a column of
ones; `quadratic`: 1 parameter, meta `curvature` > 0 and `minimum`; `function` (any
f(w)): 1 parameter, meta `function` and `formula`."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from sgdcore.trace_file import ARRAY_DTYPES as ARRAY_DTYPES
from sgdcore.trace_file import TraceFileError as TraceFileError
from sgdcore.trace_file import read_runs, write_runs

SCHEMA_VERSION = 2
PAD = -1  # in `batch`: no sample in this slot
MetaValue = str | int | float | bool | None | list[float] | list[int]
N_PARAMS = {"linear_regression": 2, "quadratic": 1, "function": 1}  # by parameter count
OPTIMIZERS = ("gd", "momentum", "adam")  # as in sgdcore.train; a test keeps them equal


def finite_number(value: object) -> float | None:
    """`value` as a float if a finite int or float (a bool is neither), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int of hundreds of digits
        return None
    return number if math.isfinite(number) else None


def is_int(value: object, least: int | None = None) -> bool:
    """True for an int (not a bool), at least `least` if given."""
    is_whole = isinstance(value, int) and not isinstance(value, bool)
    return is_whole and (least is None or value >= least)  # type: ignore[operator]


def is_positive(value: object) -> bool:
    """True for a finite number > 0."""
    return (finite_number(value) or 0.0) > 0


def is_numbers(value: object) -> bool:
    """True for a list of finite numbers."""
    return isinstance(value, list) and None not in map(finite_number, value)


# The meta fields the scenes read or show: what each must be, when present
META_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "learning_rate": (is_positive, "a positive finite number"),
    "curvature": (is_positive, "a positive finite number"),
    "minimum": (lambda value: finite_number(value) is not None, "a finite number"),
    "momentum": (lambda value: finite_number(value) is not None, "a finite number"),
    "optimizer": (lambda value: value in OPTIMIZERS, f"one of {', '.join(OPTIMIZERS)}"),
    "batch_size": (lambda value: is_int(value, 0), "a whole number >= 0"),
    "batches_per_epoch": (lambda value: is_int(value, 1), "a whole number >= 1"),
    "n": (lambda value: is_int(value, 0), "a whole number >= 0"),
    "n_steps_requested": (lambda value: is_int(value, 1), "a whole number >= 1"),
    "seed": (is_int, "a whole number"),
    "start": (is_numbers, "a list of finite numbers"),
    "betas": (is_numbers, "a list of finite numbers"),
    "true_coefficients": (is_numbers, "a list of finite numbers"),
}
REQUIRED_META = {
    "linear_regression": ("learning_rate",),
    "quadratic": ("learning_rate", "curvature", "minimum"),
    "function": ("learning_rate", "function", "formula"),
}


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
        check_shapes(self)
        check_meta(self)
        check_values(self)

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
    that is not such a file or holds a trace that fails the checks."""
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


def check_shapes(trace: Trace) -> None:
    """Raise ValueError unless every array has its dtype and consistent shapes."""
    for name, dtype in ARRAY_DTYPES.items():
        array = getattr(trace, name)
        if not isinstance(array, np.ndarray) or array.dtype != dtype:
            found = getattr(array, "dtype", type(array).__name__)
            raise ValueError(f"trace {name!r} must be {dtype.__name__}, got {found}")
    if trace.x.ndim != 2:
        raise ValueError(f"trace array 'x' must be 2-d, got shape {trace.x.shape}")
    n_records, n_params = trace.params.shape if trace.params.ndim == 2 else (0, 0)
    width = trace.batch.shape[-1] if trace.batch.ndim == 2 else -1
    expected = {
        "params": (n_records, n_params),
        "loss": (n_records,),
        "grad": (n_records, n_params),
        "full_loss": (n_records,),
        "epoch": (n_records - 1,),
        "iteration": (n_records - 1,),
        "batch": (n_records - 1, width),
        "y": (trace.x.shape[0],),
    }
    if n_records < 1 or n_params < 1:
        raise ValueError(
            f"trace params must be (steps + 1, k), not {trace.params.shape}"
        )
    for name, shape in expected.items():
        if getattr(trace, name).shape != shape:
            found = getattr(trace, name).shape
            raise ValueError(f"trace {name!r} has shape {found}, not {shape}")


def check_meta(trace: Trace) -> None:
    """Raise ValueError unless the meta holds what scenes read, typed and in range."""
    meta = trace.meta
    if not isinstance(meta, dict) or not all(isinstance(key, str) for key in meta):
        raise ValueError("trace meta must be a dict with str keys")
    version = meta.get("schema_version")
    if not is_int(version) or version != SCHEMA_VERSION:
        raise ValueError(
            f"trace schema version is {short(version)}, not {SCHEMA_VERSION}"
        )
    problem = meta.get("problem")
    if not isinstance(problem, str):
        raise ValueError("trace meta must name its 'problem'")
    if problem not in N_PARAMS:
        raise ValueError(
            f"trace problem {short(problem)} is not {' or '.join(N_PARAMS)}"
        )
    for key in REQUIRED_META[problem]:
        if key not in meta:
            raise ValueError(f"a {problem} trace's meta needs {key!r}")
    for key, (test, what) in META_RULES.items():
        if key in meta and not test(meta[key]):
            raise ValueError(
                f"trace meta {key!r} must be {what}, not {short(meta[key])}"
            )
    step, last = meta.get("diverged_at"), trace.n_steps
    if step is not None and not (is_int(step) and step in range(last + 1)):
        raise ValueError(
            f"trace meta 'diverged_at' must be null or 0..{last}, not {short(step)}"
        )


def check_values(trace: Trace) -> None:
    """Raise ValueError unless the arrays hold what the problem's maths needs."""
    n_steps, diverged_at, n_points = trace.n_steps, trace.diverged_at, len(trace.y)
    if n_steps == 0 and diverged_at != 0:
        raise ValueError("trace records no steps")
    if not np.isfinite(trace.params[0]).all():
        raise ValueError(f"trace start must be finite, got {trace.params[0].tolist()}")
    # A diverged run's last row may hold inf or nan; the rows before it may not
    settled = n_steps + 1 if diverged_at is None else diverged_at
    for name in ("params", "loss", "grad", "full_loss"):
        rows = getattr(trace, name)[:settled].reshape(settled, -1)
        bad = np.flatnonzero(~np.isfinite(rows).all(axis=1))
        if bad.size:
            raise ValueError(f"trace {name} is inf or nan at step {bad[0]}, undiverged")
    if not (np.isfinite(trace.x).all() and np.isfinite(trace.y).all()):
        raise ValueError("trace data x and y must be finite")
    batch = trace.batch
    if batch.size and not PAD <= batch.min() <= batch.max() < n_points:
        raise ValueError(f"trace batch must hold indices 0..{n_points - 1} or {PAD}")
    if min(trace.epoch.min(initial=0), trace.iteration.min(initial=0)) < 0:
        raise ValueError("trace epoch and iteration numbers must be >= 0")
    problem, n_params = trace.problem, trace.params.shape[1]
    if n_params != N_PARAMS[problem]:
        raise ValueError(
            f"a {problem} has {N_PARAMS[problem]} parameter(s), not {n_params}"
        )
    if problem == "linear_regression":
        x = trace.x
        if x.shape[1] != 2 or n_points < 2:
            raise ValueError(f"linear_regression x must be (n >= 2, 2), got {x.shape}")
        if not (x[:, 1] == 1).all() or np.ptp(x[:, 0]) == 0:
            raise ValueError("linear_regression x must be (input, 1) rows, 2+ inputs")


def short(value: object) -> str:
    """The repr of `value`, cut to a short phrase."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
