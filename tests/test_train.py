"""The one training loop, checked against closed forms (normal equations, quadratic)."""

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
from sgdcore.problems import LinearRegression, Quadratic
from sgdcore.trace import PAD, SCHEMA_VERSION, Trace
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

# The quadratic f(w) = CURVATURE * (w - MINIMUM)**2, started away from its minimum.
CURVATURE = 2.0
MINIMUM = 0.5
QUADRATIC_START = 3.0


def lesson_trace(seed: int = 42, n: int = 100, **config: Any) -> Trace:
    """Gradient descent on the lesson's noisy line, with data drawn from `seed`."""
    x, y = make_line_data(n, LESSON_COEFFICIENTS, seed)
    problem = LinearRegression(x, y, LESSON_COEFFICIENTS)
    return run_sgd(problem, SGDConfig(seed=seed, **config))


def quadratic_trace(
    learning_rate: float, n_steps: int = 30, start: float = QUADRATIC_START
) -> Trace:
    """Gradient descent on the lesson's quadratic from `start`."""
    problem = Quadratic(curvature=CURVATURE, minimum=MINIMUM)
    config = SGDConfig(learning_rate=learning_rate, n_steps=n_steps, start=(start,))
    return run_sgd(problem, config)


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


# -- the quadratic: w_{t+1} - w* = (1 - 2 c lr) (w_t - w*) ----------------------


def quadratic_closed_form(
    learning_rate: float, n_steps: int, start: float = QUADRATIC_START
) -> npt.NDArray[np.float64]:
    """Distances w_t - w* for t = 0..n_steps, from the closed form."""
    ratio = 1.0 - 2.0 * CURVATURE * learning_rate
    distances: npt.NDArray[np.float64] = ratio ** np.arange(n_steps + 1) * (
        start - MINIMUM
    )
    return distances


def quadratic_divergence_step(
    learning_rate: float, start: float = QUADRATIC_START, limit: int = 200
) -> int:
    """First t with c * (w_t - w*)**2 past the divergence bound, by the closed form."""
    distances = quadratic_closed_form(learning_rate, limit, start)
    losses = CURVATURE * distances**2
    bound = DIVERGENCE_FACTOR * max(losses[0], 1.0)
    return int(np.argmax(losses > bound))


@pytest.mark.parametrize(
    "learning_rate",
    [0.1, 0.4],  # 1 - 2 c lr = 0.6 (monotone), -0.6 (overshoots, still converges)
)
def test_quadratic_lr_below_one_over_curvature_follows_closed_form(
    learning_rate: float,
) -> None:
    assert learning_rate < 1 / CURVATURE
    trace = quadratic_trace(learning_rate, n_steps=30)
    distances = quadratic_closed_form(learning_rate, 30)
    assert trace.diverged_at is None
    np.testing.assert_allclose(
        trace.params[:, 0] - MINIMUM, distances, rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL
    )
    np.testing.assert_allclose(
        trace.loss, CURVATURE * distances**2, rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL
    )
    np.testing.assert_allclose(
        trace.grad[:, 0],
        2 * CURVATURE * distances,
        rtol=FLOAT32_RTOL,
        atol=FLOAT32_ATOL,
    )
    assert abs(trace.params[-1, 0] - MINIMUM) < 1e-5


def test_quadratic_lr_half_over_curvature_converges_in_one_step() -> None:
    trace = quadratic_trace(1 / (2 * CURVATURE), n_steps=5)
    assert trace.params[0, 0] == QUADRATIC_START
    np.testing.assert_allclose(trace.params[1:, 0], MINIMUM, rtol=0, atol=FLOAT32_ATOL)
    np.testing.assert_allclose(trace.loss[1:], 0.0, rtol=0, atol=FLOAT32_ATOL)


def test_quadratic_lr_exactly_one_over_curvature_oscillates_forever() -> None:
    trace = quadratic_trace(1 / CURVATURE, n_steps=20)
    assert trace.diverged_at is None
    np.testing.assert_allclose(
        trace.params[:, 0] - MINIMUM,
        quadratic_closed_form(1 / CURVATURE, 20),
        rtol=FLOAT32_RTOL,
        atol=FLOAT32_ATOL,
    )
    np.testing.assert_allclose(
        trace.loss, trace.loss[0], rtol=FLOAT32_RTOL, atol=FLOAT32_ATOL
    )


@pytest.mark.parametrize(
    ("learning_rate", "start"),
    [
        (0.6, QUADRATIC_START),  # 1 - 2 c lr = -1.4; loss0 = 12.5 sets the bound
        (1.0, QUADRATIC_START),  # 1 - 2 c lr = -3
        (0.6, MINIMUM + 0.1),  # loss0 = 0.02 < 1, so the bound is 1e6 * 1
        (1.0, MINIMUM + 0.1),
    ],
)
def test_quadratic_lr_above_one_over_curvature_diverges_where_closed_form_says(
    learning_rate: float, start: float
) -> None:
    assert learning_rate > 1 / CURVATURE
    expected_step = quadratic_divergence_step(learning_rate, start)
    trace = quadratic_trace(learning_rate, n_steps=100, start=start)
    assert 0 < expected_step < 100
    assert trace.diverged_at == expected_step
    assert trace.n_steps == expected_step
    assert trace.meta["diverged_at"] == expected_step
    np.testing.assert_allclose(
        trace.params[:, 0] - MINIMUM,
        quadratic_closed_form(learning_rate, expected_step, start),
        rtol=FLOAT32_RTOL,
        atol=FLOAT32_ATOL,
    )


def test_quadratic_trace_has_no_data_and_empty_batches() -> None:
    trace = quadratic_trace(0.1, n_steps=4)
    assert trace.problem == "quadratic"
    assert trace.meta["curvature"] == CURVATURE
    assert trace.meta["minimum"] == MINIMUM
    assert trace.params.shape == (5, 1)
    assert trace.batch.shape == (4, 0)
    assert trace.x.shape[0] == 0
    assert trace.y.shape == (0,)


# -- mini-batches: DataLoader batches, epochs, and the loss on all points --------

SGD_LSTSQ_ATOL = 0.05  # a constant lr leaves SGD jittering around the minimum


def epochs_of(trace: Trace) -> dict[int, list[int]]:
    """Every sample index used in each epoch, padding removed."""
    seen: dict[int, list[int]] = {}
    for epoch, row in zip(trace.epoch, trace.batch, strict=True):
        seen.setdefault(int(epoch), []).extend(int(i) for i in row if i != PAD)
    return seen


def test_every_index_appears_once_per_epoch() -> None:
    trace = lesson_trace(batch_size=10, n_steps=40)
    seen = epochs_of(trace)
    assert sorted(seen) == [0, 1, 2, 3]
    for indices in seen.values():
        assert sorted(indices) == list(range(100))
    assert trace.iteration.tolist() == list(range(10)) * 4


def test_last_batch_of_an_epoch_is_smaller_and_padded() -> None:
    trace = lesson_trace(n=95, batch_size=10, n_steps=20)
    sizes = (trace.batch != PAD).sum(axis=1).tolist()
    assert sizes == ([10] * 9 + [5]) * 2
    assert trace.meta["batches_per_epoch"] == 10
    assert all(sorted(indices) == list(range(95)) for indices in epochs_of(trace).values())


def test_epochs_are_reshuffled() -> None:
    trace = lesson_trace(batch_size=10, n_steps=20)
    assert not np.array_equal(trace.batch[:10], trace.batch[10:20])


def test_same_seed_same_batches_other_seed_other_batches() -> None:
    first = lesson_trace(batch_size=10, n_steps=15)
    assert first.equals(lesson_trace(batch_size=10, n_steps=15))
    x, y = make_line_data(100, LESSON_COEFFICIENTS, 42)
    other = run_sgd(LinearRegression(x, y), SGDConfig(batch_size=10, n_steps=15, seed=7))
    assert not np.array_equal(first.batch, other.batch)


def test_batch_loss_is_the_mse_of_the_batch_and_full_loss_of_all_points() -> None:
    trace = lesson_trace(batch_size=10, n_steps=12)
    design = trace.x
    for step in range(trace.n_steps):
        members = trace.batch[step]
        residual = design @ trace.params[step] - trace.y
        np.testing.assert_allclose(trace.loss[step], np.mean(residual[members] ** 2), rtol=1e-5)
        np.testing.assert_allclose(trace.full_loss[step], np.mean(residual**2), rtol=1e-5)


def test_full_batch_full_loss_equals_loss() -> None:
    trace = lesson_trace(n_steps=10)
    assert np.array_equal(trace.full_loss, trace.loss)
    assert trace.epoch.tolist() == list(range(10)) and not trace.iteration.any()


def test_sgd_full_loss_falls_over_epochs_and_lands_near_lstsq() -> None:
    trace = lesson_trace(batch_size=10, n_steps=300, learning_rate=0.1)
    per_epoch = trace.full_loss[:-1].reshape(30, 10)[:, 0]
    assert per_epoch[0] > per_epoch[1] > per_epoch[3] > per_epoch[10]
    x = torch.tensor(trace.x)
    best = torch.linalg.lstsq(x, torch.tensor(trace.y)[:, None]).solution[:, 0].numpy()
    np.testing.assert_allclose(trace.params[-1], best, atol=SGD_LSTSQ_ATOL)


@pytest.mark.parametrize("batch_size", [0, 101])
def test_batch_size_outside_one_to_n_is_refused(batch_size: int) -> None:
    with pytest.raises(ValueError, match="batch size"):
        lesson_trace(batch_size=batch_size, n_steps=2)


def test_quadratic_refuses_mini_batches() -> None:
    with pytest.raises(ValueError, match="no data"):
        run_sgd(Quadratic(), SGDConfig(batch_size=2, start=(1.0,)))


# -- optimisers: the notebook's update by default, torch.optim by name ----------


def test_default_update_is_the_notebooks_line_bit_for_bit() -> None:
    trace = lesson_trace(n_steps=30)
    assert trace.equals(lesson_trace(n_steps=30, optimizer="gd"))
    for step in range(trace.n_steps):
        params = torch.tensor(trace.params[step], dtype=torch.float32)
        grad = torch.tensor(trace.grad[step], dtype=torch.float32)
        expected = params.sub_(0.1 * grad).double().numpy()
        assert np.array_equal(trace.params[step + 1], expected)


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_optimisers_are_deterministic_and_reach_the_minimum(name: str) -> None:
    trace = lesson_trace(n_steps=400, optimizer=name)
    assert trace.equals(lesson_trace(n_steps=400, optimizer=name))
    assert not np.array_equal(trace.params, lesson_trace(n_steps=400).params)
    x = torch.tensor(trace.x)
    best = torch.linalg.lstsq(x, torch.tensor(trace.y)[:, None]).solution[:, 0].numpy()
    np.testing.assert_allclose(trace.params[-1], best, atol=0.02)
    assert trace.meta["optimizer"] == name


def test_optimiser_hyperparameters_are_recorded() -> None:
    assert lesson_trace(n_steps=2, optimizer="momentum").meta["momentum"] == 0.9
    assert lesson_trace(n_steps=2, optimizer="adam").meta["betas"] == [0.9, 0.999]
    assert lesson_trace(n_steps=2).meta["optimizer"] == "gd"


def test_unknown_optimiser_is_refused() -> None:
    with pytest.raises(ValueError, match="optimizer must be one of"):
        SGDConfig(optimizer="rmsprop")
