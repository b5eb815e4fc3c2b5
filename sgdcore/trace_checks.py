"""The checks a Trace passes when built: shapes, meta and values (sgdcore.trace).

numpy and the standard library only. Each raises ValueError with one line saying
what is wrong, so a damaged or hostile file is refused before a scene reads it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from sgdcore.trace_schema import ARRAY_DTYPES

if TYPE_CHECKING:
    from sgdcore.trace import Trace

MetaValue = str | int | float | bool | None | list[float] | list[int]
SCHEMA_VERSION = 3
READABLE_VERSIONS = (2, 3)  # 3 added valid_loss, valid_index, grid and curve
PAD = -1  # in `batch`: no sample in this slot
# The problems, by parameter count (a polynomial's is its degree + 1)
N_PARAMS: dict[str, int | None] = {
    "linear_regression": 2,
    "quadratic": 1,
    "polynomial": None,
    "function": 1,  # any f(w): sgdcore.function_problem
}
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
    "betas": (
        lambda value: is_numbers(value) and len(value) == 2,
        "a list of two finite numbers",
    ),
    "true_coefficients": (is_numbers, "a list of finite numbers"),
    "degree": (lambda value: is_int(value, 0), "a whole number >= 0"),
    "weight_decay": (
        lambda value: (number := finite_number(value)) is not None and number >= 0,
        "a number >= 0",
    ),
    "decay_power": (lambda value: is_int(value, 0), "a whole number >= 0"),
    "noise": (lambda value: (finite_number(value) or 0.0) >= 0, "a number >= 0"),
}
REQUIRED_META = {
    "linear_regression": ("learning_rate",),
    "quadratic": ("learning_rate", "curvature", "minimum"),
    "polynomial": ("learning_rate", "degree"),
    "function": ("learning_rate", "function", "formula"),
}
# What each optimiser's update needs besides the learning rate, to be replayed
OPTIMIZER_META = {"gd": (), "momentum": ("momentum",), "adam": ("betas",)}


def check_shapes(trace: Trace) -> None:
    """Raise ValueError unless every array has its dtype and consistent shapes."""
    for name, dtype in ARRAY_DTYPES.items():
        array = getattr(trace, name)
        if not isinstance(array, np.ndarray) or array.dtype != dtype:
            found = getattr(array, "dtype", type(array).__name__)
            raise ValueError(f"trace {name!r} must be {dtype.__name__}, got {found}")
    for name in ("x", "curve"):
        if getattr(trace, name).ndim != 2:
            found = getattr(trace, name).shape
            raise ValueError(f"trace array {name!r} must be 2-d, got shape {found}")
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
        "valid_index": (len(trace.valid_index),),
        "grid": (len(trace.grid),),
    }
    expected["valid_loss"] = (n_records,) if trace.valid_loss.size else (0,)
    rows = 1 if trace.curve.shape[0] == 1 else n_records
    expected["curve"] = (rows, len(trace.grid)) if trace.grid.size else (0, 0)
    if n_records < 1 or n_params < 1:
        raise ValueError(
            f"trace params must be (steps + 1, k), not {trace.params.shape}"
        )
    for name, shape in expected.items():
        if getattr(trace, name).shape != shape or getattr(trace, name).ndim != len(
            shape
        ):
            found = getattr(trace, name).shape
            raise ValueError(f"trace {name!r} has shape {found}, not {shape}")


def check_meta(trace: Trace) -> None:
    """Raise ValueError unless the meta holds what scenes read, typed and in range."""
    meta = trace.meta
    if not isinstance(meta, dict) or not all(isinstance(key, str) for key in meta):
        raise ValueError("trace meta must be a dict with str keys")
    version = meta.get("schema_version")
    if not is_int(version) or version not in READABLE_VERSIONS:
        raise ValueError(
            f"trace schema version is {short(version)}, not "
            f"{' or '.join(map(str, READABLE_VERSIONS))}"
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
    for key in OPTIMIZER_META.get(str(meta.get("optimizer", "gd")), ()):
        if key not in meta:
            raise ValueError(
                f"the meta of a trace made with {meta['optimizer']} needs {key!r}"
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
    many_rows = ["valid_loss"] if trace.valid_loss.size else []
    many_rows += ["curve"] if len(trace.curve) > 1 else []
    for name in ("params", "loss", "grad", "full_loss", *many_rows):
        rows = getattr(trace, name)[:settled]
        rows = rows.reshape(settled, int(np.prod(rows.shape[1:])))  # (0,) too
        bad = np.flatnonzero(~np.isfinite(rows).all(axis=1))
        if bad.size:
            raise ValueError(f"trace {name} is inf or nan at step {bad[0]}, undiverged")
    if not (np.isfinite(trace.x).all() and np.isfinite(trace.y).all()):
        raise ValueError("trace data x and y must be finite")
    check_held_out(trace)
    check_curve(trace)
    batch = trace.batch
    if batch.size and not PAD <= batch.min() <= batch.max() < n_points:
        raise ValueError(f"trace batch must hold indices 0..{n_points - 1} or {PAD}")
    if min(trace.epoch.min(initial=0), trace.iteration.min(initial=0)) < 0:
        raise ValueError("trace epoch and iteration numbers must be >= 0")
    problem, n_params = trace.problem, trace.params.shape[1]
    wanted = N_PARAMS[problem]
    if problem == "polynomial":
        wanted = int(trace.meta["degree"]) + 1  # type: ignore[arg-type]
    if n_params != wanted:
        raise ValueError(f"a {problem} has {wanted} parameter(s), not {n_params}")
    if problem == "polynomial":
        check_polynomial(trace)
    if problem == "function" and (len(trace.grid) < 2 or len(trace.curve) != 1):
        raise ValueError("a function trace needs its f(w) sampled: grid and one curve")
    if problem == "linear_regression":
        x = trace.x
        if x.shape[1] != 2 or n_points < 2:
            raise ValueError(f"linear_regression x must be (n >= 2, 2), got {x.shape}")
        if not (x[:, 1] == 1).all() or np.ptp(x[:, 0]) == 0:
            raise ValueError("linear_regression x must be (input, 1) rows, 2+ inputs")


def check_held_out(trace: Trace) -> None:
    """Raise ValueError unless `valid_index` names distinct points no batch used."""
    held_out, n_points = trace.valid_index, len(trace.y)
    if not held_out.size:
        return
    if held_out.min() < 0 or held_out.max() >= n_points:
        raise ValueError(f"trace valid_index must hold indices 0..{n_points - 1}")
    if len(np.unique(held_out)) != len(held_out):
        raise ValueError("trace valid_index names a point twice")
    if np.isin(trace.batch, held_out).any():
        raise ValueError("trace batch uses a point valid_index holds out")


def check_curve(trace: Trace) -> None:
    """Raise ValueError unless `grid` increases and a fixed curve is finite."""
    grid = trace.grid
    if not np.isfinite(grid).all() or (np.diff(grid) <= 0).any():
        raise ValueError("trace grid must be finite and increasing")
    if len(trace.curve) == 1 and not np.isfinite(trace.curve).all():
        raise ValueError("trace curve must be finite")


def check_polynomial(trace: Trace) -> None:
    """Raise ValueError unless a polynomial run holds what its scenes draw."""
    if trace.x.shape[1] != 1 or len(trace.y) < 2:
        raise ValueError(f"polynomial x must be (n >= 2, 1), got {trace.x.shape}")
    if not trace.valid_loss.size:
        raise ValueError("a polynomial trace needs its validation loss")
    if len(trace.grid) < 2 or len(trace.curve) != trace.n_steps + 1:
        raise ValueError("a polynomial trace needs its curve at every step")


def short(value: object) -> str:
    """The repr of `value`, cut to a short phrase."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# -- what a scene's replay needs beyond a valid trace (registry.SceneSpec) --

QUADRATIC_KEYS = ("curvature", "minimum")  # the meta fields that define a quadratic
# The largest parameter or data value a replayed run may hold: training within the
# CLI's limits (starts within 1e4, lr at most 1e6) stays below 1e11, even where it
# diverges; past about 1e300 the plots' ranges overflow.
DRAWABLE = 1e12
# The least-squares loss surface_3d divides by: above 1e-12 of the data's mean square
# (the lesson's noise gives about 0.08) and 1e-100, so no ratio overflows.
FLOOR_FRACTION, SMALLEST_FLOOR = 1e-12, 1e-100


def largest_drawn(trace: Trace) -> float:
    """The largest finite magnitude among the parameters, data and quadratic minimum."""
    minimum = trace.meta.get("minimum", 0.0)
    values = [trace.params, trace.x, trace.y, np.array([minimum], dtype=np.float64)]
    finite = [np.abs(v[np.isfinite(v)]).max(initial=0.0) for v in values]
    return float(max(finite))


def has_floor(trace: Trace) -> bool:
    """Whether the least-squares loss of the data is clearly above zero."""
    fit, *_ = np.linalg.lstsq(trace.x, trace.y, rcond=None)
    floor = float(np.mean((trace.x @ fit - trace.y) ** 2))
    return floor > max(FLOOR_FRACTION * float(np.mean(trace.y**2)), SMALLEST_FLOOR)


def same_problem(trace: Trace, other: Trace) -> bool:
    """Whether two runs solve the same problem: equal data, equal quadratic."""
    constants = all(trace.meta.get(k) == other.meta.get(k) for k in QUADRATIC_KEYS)
    data = np.array_equal(trace.x, other.x) and np.array_equal(trace.y, other.y)
    return constants and data
