"""The one training loop on the lesson's line, checked against the normal equations."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import torch

import sgdcore
from sgdcore.data import LESSON_COEFFICIENTS, make_line_data
from sgdcore.problems import LinearRegression
from sgdcore.trace import SCHEMA_VERSION, Trace
from sgdcore.train import SGDConfig, run_sgd

# torch computes in float32; the closed forms run in float64 on the same values.
FLOAT32_RTOL = 1e-5
FLOAT32_ATOL = 1e-6
# One float32 update `p - lr * g` rounds twice at |p| of a few units.
UPDATE_RTOL = 1e-6
UPDATE_ATOL = 1e-6
# Converged gradient descent against the least-squares solution.
LSTSQ_ATOL = 1e-3
LESSON_START = (-1.0, 1.0)
DIVERGENCE_FACTOR = 1e6


def lesson_trace(seed: int = 42, n: int = 100, **config: Any) -> Trace:
    """Gradient descent on the lesson's noisy line, with data drawn from `seed`."""
    x, y = make_line_data(n, LESSON_COEFFICIENTS, seed)
    problem = LinearRegression(x, y, LESSON_COEFFICIENTS)
    return run_sgd(problem, SGDConfig(seed=seed, **config))


def mse_gradients(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    params: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Closed-form MSE gradient 2/n X^T (X a - y) for each row `a` of `params`."""
    residuals = x @ params.T - y[:, None]  # (n, steps)
    gradients: npt.NDArray[np.float64] = 2.0 / len(y) * (x.T @ residuals).T
    return gradients


@pytest.fixture(scope="module")
def lesson_run() -> Trace:
    """The notebook's run: lr 0.1, 100 full-batch steps from (-1, 1)."""
    return lesson_trace()


# -- the lesson's linear regression --------------------------------------------


def test_run_starts_at_the_lessons_guess(lesson_run: Trace) -> None:
    assert tuple(lesson_run.params[0]) == LESSON_START
    assert lesson_run.n_steps == 100
    assert lesson_run.params.shape == (101, 2)
    assert lesson_run.batch.shape == (100, 100)


def test_initial_loss_equals_mse_by_hand(lesson_run: Trace) -> None:
    by_hand = np.mean((lesson_run.x @ np.array(LESSON_START) - lesson_run.y) ** 2)
    np.testing.assert_allclose(
        lesson_run.loss[0], by_hand, rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL
    )


def test_every_recorded_loss_is_the_full_batch_mse_at_its_params(
    lesson_run: Trace,
) -> None:
    residuals = lesson_run.x @ lesson_run.params.T - lesson_run.y[:, None]
    np.testing.assert_allclose(
        lesson_run.loss,
        np.mean(residuals**2, axis=0),
        rtol=FLOAT32_RTOL,
        atol=FLOAT32_ATOL,
    )


def test_gradient_at_step_0_is_closed_form_mse_gradient(lesson_run: Trace) -> None:
    expected = mse_gradients(lesson_run.x, lesson_run.y, np.array([LESSON_START]))[0]
    np.testing.assert_allclose(
        lesson_run.grad[0], expected, rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL
    )


def test_every_recorded_gradient_is_closed_form_mse_gradient(
    lesson_run: Trace,
) -> None:
    expected = mse_gradients(lesson_run.x, lesson_run.y, lesson_run.params)
    np.testing.assert_allclose(
        lesson_run.grad, expected, rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL
    )


def test_every_update_is_params_minus_lr_times_grad(lesson_run: Trace) -> None:
    learning_rate = lesson_run.learning_rate
    expected = lesson_run.params[:-1] - learning_rate * lesson_run.grad[:-1]
    np.testing.assert_allclose(
        lesson_run.params[1:], expected, rtol=UPDATE_RTOL, atol=UPDATE_ATOL
    )


def test_full_batch_gd_uses_every_sample_each_step(lesson_run: Trace) -> None:
    np.testing.assert_array_equal(
        lesson_run.batch, np.tile(np.arange(100), (lesson_run.n_steps, 1))
    )


def test_gd_reaches_least_squares_solution() -> None:
    trace = lesson_trace(learning_rate=0.5, n_steps=500)
    solution = torch.linalg.lstsq(
        torch.from_numpy(trace.x), torch.from_numpy(trace.y)[:, None]
    ).solution[:, 0]
    assert trace.diverged_at is None
    np.testing.assert_allclose(
        trace.params[-1], solution.numpy(), rtol=0, atol=LSTSQ_ATOL
    )
    # Least squares lands near the true line: slope 3, intercept 2 + mean noise 0.5.
    np.testing.assert_allclose(trace.params[-1], [3.0, 2.5], rtol=0, atol=0.2)


def test_lessons_100_steps_are_not_yet_converged(lesson_run: Trace) -> None:
    solution = np.linalg.lstsq(lesson_run.x, lesson_run.y, rcond=None)[0]
    assert np.abs(lesson_run.params[-1] - solution).max() > LSTSQ_ATOL
    assert lesson_run.loss[-1] < lesson_run.loss[0]


def test_same_seed_gives_identical_traces() -> None:
    first = lesson_trace(seed=3, n_steps=20)
    again = lesson_trace(seed=3, n_steps=20)
    assert first.equals(again)


def test_different_seed_gives_different_traces() -> None:
    first = lesson_trace(seed=3, n_steps=20)
    other = lesson_trace(seed=4, n_steps=20)
    assert not first.equals(other)
    assert not np.array_equal(first.x, other.x)
    assert not np.array_equal(first.params[1:], other.params[1:])


def test_meta_records_the_run() -> None:
    trace = lesson_trace(seed=9, learning_rate=0.25, n_steps=7)
    meta = trace.meta
    assert meta["problem"] == "linear_regression"
    assert meta["learning_rate"] == 0.25
    assert meta["seed"] == 9
    assert meta["n_steps_requested"] == 7
    assert meta["start"] == list(LESSON_START)
    assert meta["schema_version"] == SCHEMA_VERSION
    assert meta["sgdcore_version"] == sgdcore.__version__
    assert meta["diverged_at"] is None
    # The meta is stored as JSON, so it must survive a JSON round trip unchanged.
    assert json.loads(json.dumps(meta)) == meta


def test_lesson_lr_does_not_diverge(lesson_run: Trace) -> None:
    assert lesson_run.diverged_at is None
    assert np.all(np.isfinite(lesson_run.loss))


def test_large_lr_diverges_and_stops_recording() -> None:
    trace = lesson_trace(learning_rate=5.0, n_steps=100)
    step = trace.diverged_at
    assert isinstance(step, int)
    assert 0 < step < 100
    assert trace.n_steps == step
    assert trace.params.shape == (step + 1, 2)
    assert trace.batch.shape == (step, 100)
    bound = DIVERGENCE_FACTOR * max(trace.loss[0], 1.0)
    exploded = trace.loss[step]
    assert not math.isfinite(exploded) or exploded > bound
    # The first exploded step: everything before it is finite and within the bound.
    assert np.all(np.isfinite(trace.loss[:step]))
    assert np.all(trace.loss[:step] <= bound)
    assert trace.meta["diverged_at"] == step
    assert trace.meta["n_steps_requested"] == 100


def test_nan_loss_counts_as_divergence() -> None:
    # lr * grad overflows float32: params become (inf, inf), and x @ params has
    # -inf + inf = nan wherever x < 0, so the loss is nan, never "> bound".
    trace = lesson_trace(learning_rate=1e39, n_steps=10)
    assert np.isnan(trace.loss[1])
    assert trace.diverged_at == 1
    assert trace.n_steps == 1


@pytest.mark.parametrize(
    "config",
    [
        {"learning_rate": 0.0},
        {"learning_rate": -1.0},
        {"learning_rate": math.nan},
        {"learning_rate": math.inf},
        {"learning_rate": -math.inf},
        {"n_steps": 0},
        {"n_steps": -3},
        {"start": (math.nan, 1.0)},
        {"start": (-1.0, math.inf)},
        {"start": ()},
        {"batch_size": 0},
        {"batch_size": -1},
    ],
    ids=lambda config: ",".join(f"{key}={value}" for key, value in config.items()),
)
def test_sgd_config_rejects_invalid_settings(config: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        SGDConfig(**config)


def test_minibatch_steps_use_batch_size_distinct_samples() -> None:
    trace = lesson_trace(batch_size=10, n_steps=5)
    assert trace.batch.shape == (5, 10)
    for row in trace.batch:
        assert len(set(row.tolist())) == 10
        assert row.min() >= 0 and row.max() < 100
    assert trace.meta["batch_size"] == 10
