"""What the Recorder refuses, or records as it is: an infinite first loss, a NaN or
negative loss, a loss other than the MSE, batches and targets that are not numbers."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn

import sgd_anim
from sgdcore.config import LESSON
from sgdcore.data import make_line_data
from sgdcore.recorder import Recorder
from sgdcore.runs import build_traces
from tests.test_recorder import assert_same_arrays, mse


def test_inf_first_loss_records_a_run_diverged_at_step_0() -> None:
    x, y = make_line_data(100, seed=42)
    a = nn.Parameter(torch.tensor([1e30, 0.0]))  # its squared error overflows float32
    recorder = Recorder(x, y, lr=0.1)
    for _ in range(3):
        loss = mse(y, x @ a)
        loss.backward()
        recorder.step(a, loss)
        with torch.no_grad():
            a.sub_(0.1 * a.grad)
            a.grad.zero_()
    mine = recorder.trace()
    assert mine.diverged_at == 0 and mine.n_steps == 0
    assert mine.loss.tolist() == [np.inf]
    assert mine.params[0].tolist() == [float(np.float32(1e30)), 0.0]
    assert mine.meta["n_steps_requested"] == 3  # the steps the loop took
    start = replace(LESSON, start=(1e30, 0.0), n_steps=3)
    (builtin,) = build_traces("linear_regression", [start])
    assert_same_arrays(mine, builtin)


def test_update_through_zero_is_plain_gradient_descent() -> None:
    # w lands 1e-4 from 0, where float32's rounding of lr·grad (near 1) is a large
    # share of w itself: still the update p − lr·grad, rounded.
    lr = 0.3
    w = nn.Parameter(torch.tensor([1 - (1 - 1e-4) / (1 - 2 * lr)]))
    recorder = Recorder(function=lambda v: (v - 1) ** 2, lr=lr)
    for _ in range(5):
        loss = ((w - 1) ** 2).sum()
        loss.backward()
        recorder.step(w, loss)
        with torch.no_grad():
            w.sub_(lr * w.grad)
            w.grad.zero_()
    trace = recorder.trace()
    assert abs(trace.params[1, 0]) < 2e-4


def loop_with_loss(change: Any, steps: int = 6) -> Recorder:
    """The lesson's loop on 20 points, recording `change(step, loss)` as the loss."""
    x, y = make_line_data(20, seed=1)
    a = nn.Parameter(torch.tensor([-1.0, 1]))
    recorder = Recorder(x, y, lr=0.1)
    for step in range(steps):
        loss = mse(x @ a, y)
        loss.backward()
        recorder.step(a, change(step, loss))
        with torch.no_grad():
            a.sub_(0.1 * a.grad)
            a.grad.zero_()
    return recorder


def test_nan_loss_while_the_parameters_move_normally_is_not_a_divergence() -> None:
    def nan_at_3(step: int, loss: torch.Tensor) -> torch.Tensor:
        return loss * float("nan") if step == 3 else loss

    with pytest.raises(ValueError, match="step 3: the loss is not a number while"):
        loop_with_loss(nan_at_3)


def test_negative_loss_is_refused() -> None:
    with pytest.raises(ValueError, match="step 0: the loss is -"):
        loop_with_loss(lambda step, loss: -loss)


def test_a_loss_other_than_the_mse_is_refused_at_its_first_step() -> None:
    recorder = loop_with_loss(lambda step, loss: loss * 20)  # a sum, not a mean
    with pytest.raises(ValueError, match=r"^step 0: loss is .* but the problem's loss"):
        recorder.trace()


def test_a_disagreeing_trace_is_a_value_error_from_recorder_and_option_error_from_api() -> (
    None
):
    # The same sentence both ways: sgdcore cannot raise sgd_anim's OptionError, which
    # is a ValueError too
    recorder = loop_with_loss(lambda step, loss: loss * 20)
    with pytest.raises(ValueError, match=r"^step 0: loss is") as from_recorder:
        recorder.trace()
    assert not isinstance(from_recorder.value, sgd_anim.OptionError)
    good = loop_with_loss(lambda step, loss: loss).trace()
    bad = replace(good, loss=good.loss * 20, full_loss=good.full_loss * 20)
    for call in (
        lambda: sgd_anim.fits(bad),
        lambda: sgd_anim.render("fit_line", trace=bad),
    ):
        with pytest.raises(sgd_anim.OptionError, match="step 0: loss is") as from_api:
            call()
        assert str(from_recorder.value) in str(from_api.value)


@pytest.mark.parametrize(
    ("batch", "words"),
    [("abc", "not str"), ([0.5, 1.2], "whole numbers"), (object(), "not object")],
)
def test_a_batch_that_is_not_indices_is_refused(batch: Any, words: str) -> None:
    x, y = make_line_data(10)
    a = nn.Parameter(torch.zeros(2))
    mse(x @ a, y).backward()
    with pytest.raises(ValueError, match=f"batch must hold indices 0..9.*{words}"):
        Recorder(x, y, lr=0.1).step(a, mse(x @ a, y), batch=batch)


@pytest.mark.parametrize("y", [None, "abc"])
def test_y_that_is_not_numbers_is_refused(y: Any) -> None:
    x, _ = make_line_data(10)
    with pytest.raises(ValueError, match="y must be numbers"):
        Recorder(x, y, lr=0.1)
