"""The Trace: exact round trips, stable bytes, and the checks that keep a trace
the scenes cannot replay from being built or loaded."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sgdcore import config
from sgdcore.config import SGDConfig
from sgdcore.function_problem import FunctionProblem
from sgdcore.problems import LinearRegression, PolynomialRegression, Quadratic
from sgdcore.runs import build_traces
from sgdcore.trace import (
    ARRAY_DTYPES,
    N_PARAMS,
    OPTIMIZERS,
    Trace,
    TraceFileError,
)


@pytest.fixture(scope="module")
def real_trace() -> Trace:
    """A real 5-step torch run of the lesson's line fit."""
    return build_traces("linear_regression", (SGDConfig(n_steps=5),))[0]


@pytest.fixture(params=["tiny_trace", "real_trace"])
def any_trace(request: pytest.FixtureRequest) -> Trace:
    """The hand-made trace and a real one."""
    trace: Trace = request.getfixturevalue(request.param)
    return trace


@pytest.fixture
def bowl_trace() -> Trace:
    """A hand-made 2-step run on the quadratic w**2 at lr 0.2: w shrinks by 0.6."""
    w = np.array([[2.0], [1.2], [0.72]])
    return Trace(
        params=w,
        loss=w[:, 0] ** 2,
        grad=2 * w,
        full_loss=w[:, 0] ** 2,
        batch=np.zeros((2, 0), dtype=np.int64),
        epoch=np.arange(2, dtype=np.int64),
        iteration=np.zeros(2, dtype=np.int64),
        x=np.zeros((0, 1)),
        y=np.zeros(0),
        meta={
            "problem": "quadratic",
            "schema_version": 2,
            "learning_rate": 0.2,
            "curvature": 1.0,
            "minimum": 0.0,
            "diverged_at": None,
        },
    )


def write_unchecked(path: Path, trace: Trace, **changes: Any) -> Path:
    """Save `trace` with np.savez, bypassing its checks: `changes` replace arrays or
    meta fields (None drops a meta field)."""
    arrays = {name: changes.get(name, getattr(trace, name)) for name in ARRAY_DTYPES}
    meta = {**trace.meta, **{k: v for k, v in changes.items() if k not in arrays}}
    meta = {key: value for key, value in meta.items() if value is not None}
    np.savez(path, meta=np.array(json.dumps(meta)), **arrays)
    return path


# -- round trips -----------------------------------------------------------------


def test_save_then_load_gives_equal_arrays_dtypes_and_meta(
    any_trace: Trace, tmp_path: Path
) -> None:
    path = tmp_path / "trace.npz"
    any_trace.save(path)
    loaded = Trace.load(path)
    for name, dtype in ARRAY_DTYPES.items():
        np.testing.assert_array_equal(getattr(loaded, name), getattr(any_trace, name))
        assert getattr(loaded, name).dtype == dtype
    assert loaded.meta == any_trace.meta
    assert loaded.equals(any_trace)


def test_round_trip_keeps_properties(real_trace: Trace, tmp_path: Path) -> None:
    real_trace.save(tmp_path / "trace.npz")
    loaded = Trace.load(tmp_path / "trace.npz")
    assert loaded.n_steps == real_trace.n_steps == 5
    assert loaded.problem == "linear_regression"
    assert loaded.learning_rate == real_trace.learning_rate
    assert loaded.diverged_at is None


def test_saving_twice_gives_byte_identical_files(
    any_trace: Trace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    any_trace.save(tmp_path / "first.npz")
    # A later save (a day on) must not stamp the time into the zip.
    monkeypatch.setattr(time, "time", lambda: 1e9 + 86_400)
    any_trace.save(tmp_path / "second.npz")
    first = (tmp_path / "first.npz").read_bytes()
    assert first == (tmp_path / "second.npz").read_bytes()


def test_equal_traces_with_reordered_meta_save_identical_bytes(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    reordered = replace(tiny_trace, meta=dict(reversed(list(tiny_trace.meta.items()))))
    tiny_trace.save(tmp_path / "first.npz")
    reordered.save(tmp_path / "second.npz")
    first = (tmp_path / "first.npz").read_bytes()
    assert first == (tmp_path / "second.npz").read_bytes()


def test_different_traces_save_different_bytes(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    changed = replace(tiny_trace, meta={**tiny_trace.meta, "learning_rate": 0.2})
    tiny_trace.save(tmp_path / "first.npz")
    changed.save(tmp_path / "second.npz")
    first = (tmp_path / "first.npz").read_bytes()
    assert first != (tmp_path / "second.npz").read_bytes()


def test_equals_notices_a_changed_value(tiny_trace: Trace) -> None:
    params = tiny_trace.params.copy()
    params[-1, 0] += 1e-12
    assert not tiny_trace.equals(replace(tiny_trace, params=params))
    assert tiny_trace.equals(replace(tiny_trace))


def test_committed_golden_frame_runs_still_load() -> None:
    paths = sorted(Path(__file__).parent.glob("control_data/*/*-run*.npz"))
    assert len(paths) >= 20
    assert all(Trace.load(path).n_steps > 0 for path in paths)


# -- the constructor's checks ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "convert"),
    [
        ("params", lambda array: array.astype(np.float32)),
        ("loss", lambda array: array.astype(np.int64)),
        ("grad", lambda array: array.astype(object)),
        ("batch", lambda array: array.astype(np.float64)),
        ("x", lambda array: array.tolist()),
        ("y", lambda array: array.astype(np.float16)),
    ],
    ids=["params-f32", "loss-int", "grad-object", "batch-float", "x-list", "y-f16"],
)
def test_wrong_dtype_raises_value_error(
    any_trace: Trace, name: str, convert: Any
) -> None:
    with pytest.raises(ValueError, match=name):
        replace(any_trace, **{name: convert(getattr(any_trace, name))})


@pytest.mark.parametrize(
    ("name", "reshape"),
    [
        ("params", lambda array: array[:, 0]),
        ("params", lambda array: array[:0]),
        ("loss", lambda array: array[:-1]),
        ("grad", lambda array: array[:, :1]),
        ("batch", lambda array: array[0]),
        ("y", lambda array: array[:-1]),
        ("x", lambda array: array[:, 0]),
    ],
    ids=[
        "params-1d",
        "params-empty",
        "loss-short",
        "grad-narrow",
        "batch-1d",
        "y",
        "x",
    ],
)
def test_inconsistent_shapes_raise_value_error(
    any_trace: Trace, name: str, reshape: Any
) -> None:
    with pytest.raises(ValueError):
        replace(any_trace, **{name: reshape(getattr(any_trace, name))})


def test_optimizers_and_problems_match_the_training_side() -> None:
    assert OPTIMIZERS == config.OPTIMIZERS
    problems = {LinearRegression.name, Quadratic.name, PolynomialRegression.name}
    problems |= {FunctionProblem.name}
    assert set(N_PARAMS) == problems


def test_a_run_that_diverged_may_end_in_inf(tiny_trace: Trace) -> None:
    params, loss = tiny_trace.params.copy(), tiny_trace.loss.copy()
    params[-1], loss[-1] = np.inf, np.nan
    meta = {**tiny_trace.meta, "diverged_at": 2}
    diverged = replace(tiny_trace, params=params, loss=loss, meta=meta)
    assert diverged.diverged_at == 2


# -- traces the scenes could not replay: refused when built and when loaded -----------

BOWL = {"curvature": 1.0, "minimum": 0.0}
BAD_META = {  # name: (which trace, meta changes (None drops a field), message words)
    "quadratic-with-2-parameters": ("tiny", {"problem": "quadratic", **BOWL}, "has 1"),
    "line-with-1-parameter": ("bowl", {"problem": "linear_regression"}, "has 2"),
    "no-learning-rate": ("tiny", {"learning_rate": None}, "needs 'learning_rate'"),
    "learning-rate-as-text": ("tiny", {"learning_rate": "0.1"}, "learning_rate"),
    "learning-rate-true": ("tiny", {"learning_rate": True}, "learning_rate"),
    "learning-rate-nan": ("tiny", {"learning_rate": float("nan")}, "learning_rate"),
    "learning-rate-10**400": ("tiny", {"learning_rate": 10**400}, "learning_rate"),
    "zero-curvature": ("bowl", {"curvature": 0}, "curvature.*positive"),
    "infinite-curvature": ("bowl", {"curvature": float("inf")}, "curvature"),
    "no-minimum": ("bowl", {"minimum": None}, "needs 'minimum'"),
    "minimum-as-list": ("bowl", {"minimum": [0.0]}, "minimum"),
    "unknown-problem": ("tiny", {"problem": "sine"}, "problem 'sine'"),
    "unknown-optimizer": ("tiny", {"optimizer": "lbfgs"}, "optimizer"),
    "no-batches-per-epoch": ("tiny", {"batches_per_epoch": 0}, "batches_per_epoch"),
    "fractional-batch-size": ("tiny", {"batch_size": 2.5}, "batch_size"),
    "diverged-after-the-end": ("tiny", {"diverged_at": 7}, "diverged_at"),
    "diverged-at-text": ("tiny", {"diverged_at": "1"}, "diverged_at"),
}
BAD_VALUES = {  # name: (array, index, value, message words)
    "infinite-start": ("params", (0, 0), np.inf, "start must be finite"),
    "infinite-params-mid-run": ("params", (1, 1), -np.inf, "params .*step 1"),
    "nan-mid-run": ("loss", 1, np.nan, "loss .*step 1"),
    "batch-index-past-the-data": ("batch", (0, 2), 3, "batch"),
    "no-column-of-ones": ("x", (0, 1), 2.0, "input, 1"),
    "one-distinct-input": ("x", (slice(None), 0), 0.5, "inputs"),
}


def assert_unreplayable(trace: Trace, path: Path, words: str, **changes: Any) -> None:
    """Building `trace` with `changes` raises ValueError, and loading it from a file
    raises a one-line TraceFileError naming the file; both match `words`."""
    arrays = {name: value for name, value in changes.items() if name in ARRAY_DTYPES}
    meta = {**trace.meta, **{k: v for k, v in changes.items() if k not in arrays}}
    meta = {key: value for key, value in meta.items() if value is not None}
    with pytest.raises(ValueError, match=words):
        replace(trace, meta=meta, **arrays)
    write_unchecked(path, trace, **changes)
    with pytest.raises(TraceFileError, match=words) as caught:
        Trace.load(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("which", "changes", "words"), BAD_META.values(), ids=BAD_META)
def test_trace_with_meta_the_scenes_cannot_use_is_refused(
    tiny_trace: Trace,
    bowl_trace: Trace,
    tmp_path: Path,
    which: str,
    changes: dict[str, Any],
    words: str,
) -> None:
    trace = tiny_trace if which == "tiny" else bowl_trace
    assert_unreplayable(trace, tmp_path / "run.npz", words, **changes)


@pytest.mark.parametrize(
    ("name", "index", "value", "words"), BAD_VALUES.values(), ids=BAD_VALUES
)
def test_trace_with_values_the_maths_cannot_use_is_refused(
    tiny_trace: Trace, tmp_path: Path, name: str, index: Any, value: Any, words: str
) -> None:
    array = getattr(tiny_trace, name).copy()
    array[index] = value
    assert_unreplayable(tiny_trace, tmp_path / "run.npz", words, **{name: array})


def test_meta_without_problem_raises_value_error(tiny_trace: Trace) -> None:
    meta = {key: value for key, value in tiny_trace.meta.items() if key != "problem"}
    with pytest.raises(ValueError, match="problem"):
        replace(tiny_trace, meta=meta)


@pytest.mark.parametrize("version", [4, 1, 0, "2", 2.0, None])
def test_wrong_schema_version_is_refused(
    tiny_trace: Trace, tmp_path: Path, version: Any
) -> None:
    path = write_unchecked(tmp_path / "old.npz", tiny_trace, schema_version=version)
    with pytest.raises(TraceFileError, match="schema"):
        Trace.load(path)
