"""Mini-batches from a DataLoader, epochs, the loss on all points, and torch.optim optimisers."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from sgdcore.data import LESSON_COEFFICIENTS, make_line_data
from sgdcore.problems import LinearRegression, Quadratic
from sgdcore.trace import PAD, Trace
from sgdcore.train import SGDConfig, run_sgd
from tests.test_train import lesson_trace

# -- mini-batches: DataLoader batches, epochs, and the loss on all points --------

SGD_LSTSQ_ATOL = 0.05  # a constant lr leaves SGD jittering around the minimum
NEAR_FLOOR = 0.01  # "reaches least squares": within 1% of its loss


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
    assert all(
        sorted(indices) == list(range(95)) for indices in epochs_of(trace).values()
    )


def test_epochs_are_reshuffled() -> None:
    trace = lesson_trace(batch_size=10, n_steps=20)
    assert not np.array_equal(trace.batch[:10], trace.batch[10:20])


def test_same_seed_same_batches_other_seed_other_batches() -> None:
    first = lesson_trace(batch_size=10, n_steps=15)
    assert first.equals(lesson_trace(batch_size=10, n_steps=15))
    x, y = make_line_data(100, LESSON_COEFFICIENTS, 42)
    other = run_sgd(
        LinearRegression(x, y), SGDConfig(batch_size=10, n_steps=15, seed=7)
    )
    assert not np.array_equal(first.batch, other.batch)


def test_batch_loss_is_the_mse_of_the_batch_and_full_loss_of_all_points() -> None:
    trace = lesson_trace(batch_size=10, n_steps=12)
    design = trace.x
    for step in range(trace.n_steps):
        members = trace.batch[step]
        residual = design @ trace.params[step] - trace.y
        np.testing.assert_allclose(
            trace.loss[step], np.mean(residual[members] ** 2), rtol=1e-5
        )
        np.testing.assert_allclose(
            trace.full_loss[step], np.mean(residual**2), rtol=1e-5
        )


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


def steps_to_least_squares(trace: Trace) -> int:
    """The first step from which the loss stays within 1% of least squares."""
    solution = np.linalg.lstsq(trace.x, trace.y, rcond=None)[0]
    floor = np.mean((trace.x @ solution - trace.y) ** 2)
    outside = np.flatnonzero(trace.full_loss > (1 + NEAR_FLOOR) * floor)
    return int(outside[-1]) + 1 if outside.size else 0


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 42])
def test_momentum_and_adam_reach_least_squares_in_fewer_steps(seed: int) -> None:
    gd, momentum, adam = SCENES["optimizers"].train(RunOptions(seed=seed))
    assert [gd.learning_rate, momentum.learning_rate, adam.learning_rate] == [
        0.1,
        0.02,
        0.3,
    ]
    # a fair race: momentum's steps at full speed are gradient descent's lr times
    # the gradient, lr / (1 − β)
    beta = float(momentum.meta["momentum"])  # type: ignore[arg-type]
    assert momentum.learning_rate / (1 - beta) == pytest.approx(gd.learning_rate)
    reached = [steps_to_least_squares(t) for t in (gd, momentum, adam)]
    assert reached[0] <= gd.n_steps  # all three get there within the run
    assert reached[1] < 0.8 * reached[0] and reached[2] < 0.6 * reached[0]


def test_lr_option_sets_every_optimisers_rate() -> None:
    runs = SCENES["optimizers"].train(RunOptions(learning_rate=0.2, n_steps=3))
    assert [trace.learning_rate for trace in runs] == [0.2, 0.2, 0.2]
