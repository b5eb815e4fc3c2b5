"""Your own loop, recorded (issue 17): the lesson's loop gives the built-in run's Trace."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from sgd_anim import fits
from sgdcore.config import LESSON, TOO_LOW
from sgdcore.data import make_line_data
from sgdcore.functions import BUILT_IN
from sgdcore.recorder import Recorder
from sgdcore.runs import build_traces
from sgdcore.trace import ARRAY_DTYPES, Trace


def mse(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The lesson's loss."""
    return ((y_hat - y) ** 2).mean()


def lesson_loop(
    steps: int = 100, lr: float = 0.1, batch_size: int | None = None
) -> Trace:
    """The lesson's own loop (its update(), plus one line), on the lesson's data."""
    x, y = make_line_data(100, seed=42)
    a = nn.Parameter(torch.tensor([-1.0, 1]))
    recorder = Recorder(x, y, lr=lr)
    loader = DataLoader(
        TensorDataset(torch.arange(100)),
        batch_size=batch_size or 100,
        shuffle=True,
        generator=torch.Generator().manual_seed(42),
    )
    batches = (indices for _ in range(steps) for (indices,) in loader)
    for _ in range(steps):
        idx = next(batches) if batch_size else None
        rows = slice(None) if idx is None else idx
        loss = mse(y[rows], x[rows] @ a)
        loss.backward()
        recorder.step(a, loss, batch=idx)  # the one added line
        with torch.no_grad():
            a.sub_(lr * a.grad)
            a.grad.zero_()
    return recorder.trace()


def assert_same_arrays(mine: Trace, builtin: Trace) -> None:
    """Every array equal, value and dtype."""
    for name in ARRAY_DTYPES:
        ours, theirs = getattr(mine, name), getattr(builtin, name)
        assert ours.dtype == theirs.dtype, name
        np.testing.assert_array_equal(ours, theirs, err_msg=name)


def test_lesson_loop_recorded_equals_the_built_in_run_array_for_array() -> None:
    (builtin,) = build_traces("linear_regression", [LESSON])
    mine = lesson_loop()
    assert_same_arrays(mine, builtin)
    for key in ("problem", "learning_rate", "batch_size", "diverged_at", "start"):
        assert mine.meta[key] == builtin.meta[key], key


def test_minibatch_loop_recorded_equals_the_built_in_minibatch_run() -> None:
    config = replace(LESSON, n_steps=60, batch_size=10)
    (builtin,) = build_traces("linear_regression", [config])
    mine = lesson_loop(steps=60, batch_size=10)
    assert_same_arrays(mine, builtin)
    assert mine.meta["batches_per_epoch"] == builtin.meta["batches_per_epoch"] == 10


def test_recording_of_a_line_says_which_scenes_replay_it() -> None:
    assert fits(lesson_loop(steps=5)) == [
        "fit_line",
        "landscape",
        "surface_3d",
        "optimizers",
    ]


def test_diverging_loop_is_recorded_up_to_the_step_that_explodes() -> None:
    (builtin,) = build_traces("linear_regression", [replace(LESSON, learning_rate=5)])
    mine = lesson_loop(lr=5)
    assert mine.diverged_at == builtin.diverged_at is not None
    assert_same_arrays(mine, builtin)


def test_function_loop_recorded_equals_the_built_in_function_run() -> None:
    function = BUILT_IN["double_well"]
    config = TOO_LOW
    (builtin,) = build_traces("quadratic", [config], function_options(function))
    w = nn.Parameter(torch.tensor([config.start[0]]))
    recorder = Recorder(function="double_well", lr=config.learning_rate)
    for _ in range(config.n_steps):
        loss = function.f(w).sum()
        loss.backward()
        recorder.step(w, loss)
        with torch.no_grad():
            w.sub_(config.learning_rate * w.grad)
            w.grad.zero_()
    mine = recorder.trace()
    assert_same_arrays(mine, builtin)  # the sampled f(w) included
    assert fits(mine) == ["lr_too_high", "lr_too_low", "lr_just_right"]


def function_options(function: Any) -> Any:
    """RunOptions choosing `function`."""
    from sgdcore.config import RunOptions

    return RunOptions(function=function)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        (torch.zeros(3, requires_grad=True), "3 numbers; this recording fits a line"),
        ([1.0, 2.0], "must be a tensor"),
    ],
)
def test_wrong_parameters_say_plainly_what_fits(params: Any, words: str) -> None:
    x, y = make_line_data(10)
    recorder = Recorder(x, y, lr=0.1)
    with pytest.raises(ValueError, match=words):
        recorder.step(params, torch.tensor(1.0))


def test_step_before_backward_is_refused() -> None:
    x, y = make_line_data(10)
    with pytest.raises(ValueError, match="after backward"):
        Recorder(x, y, lr=0.1).step(nn.Parameter(torch.zeros(2)), torch.tensor(1.0))


def test_loop_with_another_learning_rate_than_declared_is_refused() -> None:
    x, y = make_line_data(10)
    a = nn.Parameter(torch.tensor([-1.0, 1]))
    recorder = Recorder(x, y, lr=0.1)
    for _ in range(3):
        loss = mse(x @ a, y)
        loss.backward()
        recorder.step(a, loss)
        with torch.no_grad():
            a.sub_(0.3 * a.grad)
            a.grad.zero_()
    with pytest.raises(ValueError, match="step 0 did not land on params − lr · grad"):
        recorder.trace()


def test_recorder_needs_data_or_a_function_not_both() -> None:
    with pytest.raises(ValueError, match="give data"):
        Recorder(lr=0.1)
