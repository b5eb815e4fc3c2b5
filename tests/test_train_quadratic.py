"""The training loop on the quadratic: w_{t+1} − w* = (1 − 2 c lr)(w_t − w*), exactly."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from sgdcore.problems import Quadratic
from sgdcore.trace import Trace
from sgdcore.train import SGDConfig, run_sgd

# torch computes in float32; the closed forms run in float64 on the same values.
FLOAT32_RTOL = 1e-5
FLOAT32_ATOL = 1e-6
DIVERGENCE_FACTOR = 1e6  # SGDConfig's default: a loss this many times the start's

# The quadratic f(w) = CURVATURE * (w - MINIMUM)**2, started away from its minimum.
CURVATURE = 2.0
MINIMUM = 0.5
QUADRATIC_START = 3.0


def quadratic_trace(
    learning_rate: float, n_steps: int = 30, start: float = QUADRATIC_START
) -> Trace:
    """Gradient descent on the lesson's quadratic from `start`."""
    problem = Quadratic(curvature=CURVATURE, minimum=MINIMUM)
    config = SGDConfig(learning_rate=learning_rate, n_steps=n_steps, start=(start,))
    return run_sgd(problem, config)


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
