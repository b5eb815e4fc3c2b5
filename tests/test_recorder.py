"""Your own loop, recorded: the lesson's loop gives the built-in run's Trace."""

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
    options = function_options(function, config.learning_rate)
    (builtin,) = build_traces("quadratic", [config], options)
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


def function_options(function: Any, learning_rate: float) -> Any:
    """RunOptions choosing `function` and the learning rate (else one suited to f)."""
    from sgdcore.config import RunOptions

    return RunOptions(function=function, learning_rate=learning_rate)


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


# -- your own loop, as people write it -------------------------------------------

# nn.Linear computes b + x·w and sums the batch's gradient in another order than
# [x, 1] @ a, so its run wanders from the hand loop's by float32 rounding: a few ulp
# of parameters near 3, of gradients summed over 100 terms.
LINEAR_ATOL = 2e-6


def test_nn_linear_with_torch_sgd_records_the_lessons_run() -> None:
    x, y = make_line_data(100, seed=42)
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(-1.0)  # the lesson's start a = (-1, 1)
        model.bias.fill_(1.0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    recorder = Recorder(x[:, :1], y[:, None], optimizer=optimizer)
    for _ in range(100):
        loss = nn.functional.mse_loss(model(x[:, :1]), y[:, None])
        loss.backward()
        recorder.step(model, loss)
        optimizer.step()
        optimizer.zero_grad()
    mine, hand = recorder.trace(), lesson_loop()
    for name in ("params", "grad", "loss", "full_loss"):
        np.testing.assert_allclose(
            getattr(mine, name), getattr(hand, name), rtol=0, atol=LINEAR_ATOL
        )
    for name in ("batch", "epoch", "iteration", "x", "y"):
        np.testing.assert_array_equal(getattr(mine, name), getattr(hand, name))
    assert mine.meta["learning_rate"] == 0.1
    assert mine.meta["params_from"] == (
        "Linear.weight as the slope a1, Linear.bias as the intercept a2"
    )


@pytest.mark.parametrize("shape", [(), (1,), (1, 1)])
def test_w_and_b_as_a_list_record_the_lessons_run_exactly(
    shape: tuple[int, ...],
) -> None:
    x, y = make_line_data(100, seed=42)
    w = nn.Parameter(torch.full(shape, -1.0))
    b = nn.Parameter(torch.full(shape, 1.0))
    recorder = Recorder(x, y, lr=0.1)
    for _ in range(100):
        loss = mse(y, x @ torch.cat([w.reshape(1), b.reshape(1)]))
        loss.backward()
        recorder.step([w, b], loss)
        with torch.no_grad():
            for p in (w, b):
                p.sub_(0.1 * p.grad)
                p.grad.zero_()
    mine = recorder.trace()
    assert_same_arrays(mine, lesson_loop())
    assert mine.meta["params_from"] == "[slope, intercept] in order"


@pytest.mark.parametrize(
    "inputs",
    [
        lambda x: x[:, 0],  # (n,)
        lambda x: x[:, :1],  # (n, 1)
        lambda x: x[:, 0].numpy().astype(np.float64),  # numpy, (n,)
        lambda x: x[:, :1].tolist(),  # nested lists, (n, 1)
    ],
    ids=["tensor (n,)", "tensor (n, 1)", "numpy (n,)", "list (n, 1)"],
)
def test_inputs_alone_record_as_the_lessons_rows_with_ones(inputs: Any) -> None:
    x, y = make_line_data(100, seed=42)
    lesson = Recorder(x, y, lr=0.1)
    plain = Recorder(inputs(x), y[:, None], lr=0.1)
    a = nn.Parameter(torch.tensor([-1.0, 1]))
    for _ in range(20):
        loss = mse(y, x @ a)
        loss.backward()
        lesson.step(a, loss)
        plain.step(a, loss)
        with torch.no_grad():
            a.sub_(0.1 * a.grad)
            a.grad.zero_()
    assert plain.trace().equals(lesson.trace())


def test_optimizer_learning_rate_is_the_one_recorded() -> None:
    x, y = make_line_data(10)
    a = nn.Parameter(torch.zeros(2))
    optimizer = torch.optim.SGD([a], lr=0.05)
    assert Recorder(x, y, optimizer=optimizer).lr == 0.05
    assert Recorder(x, y, lr=0.05, optimizer=optimizer).lr == 0.05


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"lr": 0.1, "optimizer": "sgd"}, "must be a torch.optim.SGD .* not str"),
        ({"lr": 0.2, "optimizer": "same"}, "lr = 0.2 but the optimizer's is 0.1"),
        ({"optimizer": "momentum"}, "the optimizer has momentum=0.9; .* only its lr"),
        ({"optimizer": "adam"}, "must be a torch.optim.SGD .* not Adam"),
        ({}, "give the loop's learning rate"),
        ({"lr": True}, "lr must be a positive finite number, not True"),
    ],
)
def test_learning_rate_other_than_plain_sgd_is_refused(
    settings: dict[str, Any], words: str
) -> None:
    x, y = make_line_data(10)
    a = nn.Parameter(torch.zeros(2))
    optimizers = {
        "same": torch.optim.SGD([a], lr=0.1),
        "momentum": torch.optim.SGD([a], lr=0.1, momentum=0.9),
        "adam": torch.optim.Adam([a], lr=0.1),
    }
    if "optimizer" in settings:
        settings["optimizer"] = optimizers.get(settings["optimizer"], "sgd")
    with pytest.raises(ValueError, match=words):
        Recorder(x, y, **settings)
