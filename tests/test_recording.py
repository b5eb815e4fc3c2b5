"""The recorder under run_sgd: its traces equal the loop recorded by hand, row by row."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from sgdcore.config import CURVE_FIT, LESSON, TOO_HIGH, RunOptions, SGDConfig
from sgdcore.problems import Problem
from sgdcore.runs import make_problem
from sgdcore.trace import PAD
from sgdcore.train import make_optimizer, run_sgd


def batches_of(
    train: torch.Tensor, config: SGDConfig
) -> Iterator[tuple[int, int, torch.Tensor]]:
    """`(epoch, iteration, indices)` forever: all points each step, or a DataLoader's."""
    if config.batch_size is None:
        for epoch in itertools.count():
            yield epoch, 0, train
    loader = DataLoader(
        TensorDataset(train),
        batch_size=config.batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(config.seed),
    )
    for epoch in itertools.count():
        for iteration, (indices,) in enumerate(loader):
            yield epoch, iteration, indices


def recorded_by_hand(problem: Problem, config: SGDConfig) -> dict[str, Any]:
    """The run, each row appended by the loop itself (no recorder): the arrays."""
    held_out = problem.held_out()
    kept = torch.ones(problem.n_samples + len(held_out), dtype=torch.bool)
    kept[held_out] = False
    train = torch.nonzero(kept).flatten()
    width = config.batch_size or problem.n_samples
    params = nn.Parameter(torch.tensor(config.start))
    optimizer = make_optimizer(params, config)
    names = [
        "params",
        "loss",
        "grad",
        "full_loss",
        "valid_loss",
        "batch",
        "epoch",
        "iteration",
    ]
    rows: dict[str, list[Any]] = {name: [] for name in names}
    batches = batches_of(train, config)
    for step in range(config.n_steps + 1):
        last = step == config.n_steps
        epoch, iteration, indices = (0, 0, train) if last else next(batches)
        loss = problem.loss(params, indices)
        loss.backward()
        assert params.grad is not None
        with torch.no_grad():
            rows["full_loss"].append(problem.loss(params, train).item())
            if len(held_out):
                rows["valid_loss"].append(problem.loss(params, held_out).item())
        rows["params"].append(params.detach().double().numpy().copy())
        rows["grad"].append(params.grad.double().numpy().copy())
        rows["loss"].append(loss.item())
        full, start = rows["full_loss"][-1], rows["full_loss"][0]
        if not math.isfinite(full) or full > config.divergence_factor * max(start, 1):
            break
        if last:
            break
        padded = np.full(width, PAD)
        padded[: len(indices)] = indices.numpy()
        rows["batch"].append(padded)
        rows["epoch"].append(epoch)
        rows["iteration"].append(iteration)
        if optimizer is None:
            with torch.no_grad():
                params.sub_(config.learning_rate * params.grad)
        else:
            optimizer.step()
        params.grad.zero_()
    arrays = {name: np.array(values) for name, values in rows.items()}
    arrays["batch"] = arrays["batch"].reshape(len(rows["epoch"]), width)
    return arrays


RUNS = {
    "the lesson's": ("linear_regression", LESSON, {}),
    "mini-batches, a short last one": (
        "linear_regression",
        replace(LESSON, batch_size=10, n_steps=35),
        {"n": 95},
    ),
    "diverging": ("linear_regression", replace(LESSON, learning_rate=5.0), {}),
    "momentum": ("linear_regression", replace(LESSON, optimizer="momentum"), {}),
    "too high on w²": ("quadratic", TOO_HIGH, {}),
    "polynomial, held out": (
        "polynomial",
        replace(CURVE_FIT, degree=18, start=(0.0,) * 19, n_steps=60, weight_decay=0.01),
        {},
    ),
    "polynomial, mini-batches": (
        "polynomial",
        replace(CURVE_FIT, start=(0.0,) * 6, n_steps=30, batch_size=4, optimizer="gd"),
        {"seed": 3},
    ),
}


@pytest.mark.parametrize("run", RUNS.values(), ids=RUNS.keys())
def test_run_sgd_equals_the_loop_recorded_by_hand(run: Any) -> None:
    name, config, options = run
    options = RunOptions(**options)
    config = replace(config, seed=options.seed)
    trace = run_sgd(make_problem(name, options, config), config)
    by_hand = recorded_by_hand(make_problem(name, options, config), config)
    for array, expected in by_hand.items():
        found = getattr(trace, array)
        assert found.dtype == expected.dtype or not expected.size, array
        np.testing.assert_array_equal(found, expected, err_msg=array)
    step = len(by_hand["loss"]) - 1
    assert trace.diverged_at == (None if step == config.n_steps else step)
    assert trace.meta["n_steps_requested"] == config.n_steps
    assert trace.meta["start"] == list(config.start)
    assert trace.meta["batch_size"] == by_hand["batch"].shape[1]


@pytest.mark.parametrize("batch_size", [None, 10])
def test_run_whose_first_loss_overflows_is_diverged_at_step_0(
    batch_size: int | None,
) -> None:
    config = replace(LESSON, start=(1e30, 0.0), batch_size=batch_size)
    trace = run_sgd(make_problem("linear_regression", RunOptions(), config), config)
    assert trace.diverged_at == 0 and trace.n_steps == 0
    assert trace.loss.tolist() == [math.inf]
    assert trace.batch.shape == (0, batch_size or 100)
    assert trace.meta["batch_size"] == (batch_size or 100)
