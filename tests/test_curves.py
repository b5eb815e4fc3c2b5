"""The lesson's last act, in sgdcore: curve data, the split, polynomials, the effect.

The polynomial runs are checked against closed forms: least squares
(`torch.linalg.lstsq`) on the same Legendre features, the ridge solution with weight
decay, and gradient descent's own iterate (with momentum) from a flat start, which fits
each eigenvector of the Hessian at its own pace; the default settings must show
underfitting, a fit and overfitting, a validation loss that turns up and weight
decay that tames the wiggles.
"""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from sgd_anim.registry import SCENES
from sgdcore.config import CURVE_FIT, RunOptions, SGDConfig
from sgdcore.data import make_curve_data, split
from sgdcore.problems import PolynomialRegression, legendre_features
from sgdcore.trace import ARRAY_DTYPES, Trace
from sgdcore.train import run_sgd
from tests.test_trace_files import members, npy, raw_zip, write

CONVERGED = 1e-4  # relative: float32 gradient descent run to convergence
ITERATE_ATOL = 1e-4  # float32 gradient descent against its float64 closed form
SEEDS = (0, 1, 2, 3, 42)
TURNS_UP = 1.5  # the validation loss ends at least this many times its lowest


def problem(degree: int, seed: int = 42, n: int = 30) -> PolynomialRegression:
    """The scenes' data with a model of `degree`."""
    x, y = make_curve_data(n, seed=seed)
    _, valid = split(x, 0.3, seed)
    return PolynomialRegression(x, y, degree, valid)


def test_split_is_disjoint_covers_every_point_and_keeps_the_ends() -> None:
    for seed in SEEDS:
        x, _ = make_curve_data(30, seed=seed)
        train, valid = split(x, 0.3, seed)
        assert len(valid) == 9 and len(train) == 21
        assert sorted([*train.tolist(), *valid.tolist()]) == list(range(30))
        assert int(x.argmin()) in train and int(x.argmax()) in train


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_fraction_outside_zero_one_is_refused(fraction: float) -> None:
    x, _ = make_curve_data(30)
    with pytest.raises(ValueError, match="fraction"):
        split(x, fraction, 0)


def test_trace_records_the_split_and_training_never_sees_validation_points() -> None:
    built = problem(5)
    trace = run_sgd(built, replace(CURVE_FIT, degree=5, start=(0.0,) * 6, n_steps=30))
    assert trace.valid_index.tolist() == built.valid.tolist()
    assert not np.isin(trace.batch, trace.valid_index).any()
    # Changing a held-out y leaves the training run bit for bit the same
    y = built.y.clone()
    y[built.valid[0]] += 10.0
    moved = PolynomialRegression(built.x, y, 5, built.valid)
    again = run_sgd(moved, replace(CURVE_FIT, degree=5, start=(0.0,) * 6, n_steps=30))
    for name in ("params", "loss", "grad", "full_loss", "curve"):
        assert np.array_equal(getattr(trace, name), getattr(again, name)), name
    assert not np.array_equal(trace.valid_loss, again.valid_loss)


def test_losses_and_curve_are_the_models_own() -> None:
    built = problem(5)
    trace = run_sgd(built, replace(CURVE_FIT, degree=5, start=(0.0,) * 6, n_steps=20))
    features = legendre_features(trace.x[:, 0], 5)
    train, valid = trace.train_index, trace.valid_index
    for k in (0, 7, 20):
        model = features @ trace.params[k]
        assert trace.full_loss[k] == pytest.approx(
            np.mean((model[train] - trace.y[train]) ** 2), rel=1e-5
        )
        assert trace.valid_loss[k] == pytest.approx(
            np.mean((model[valid] - trace.y[valid]) ** 2), rel=1e-5
        )
        on_grid = legendre_features(trace.grid, 5) @ trace.params[k]
        np.testing.assert_allclose(trace.curve[k], on_grid, rtol=1e-12)


def least_squares(
    built: PolynomialRegression, decay: float = 0.0, power: int = 0
) -> np.ndarray:
    """The minimiser of MSE on the training points (+ Σ λ_k/2 · c_k², where the
    coefficient of degree k decays by λ_k = decay · k**power), in float64."""
    keep = torch.ones(len(built.x), dtype=torch.bool)
    keep[built.valid] = False
    features = built.features.double()[keep]
    y = built.y.double()[keep]
    if decay == 0:
        return torch.linalg.lstsq(features, y[:, None]).solution[:, 0].numpy()
    n = len(y)
    degrees = torch.arange(features.shape[1], dtype=torch.float64)
    penalty = torch.diag(decay * degrees**power)
    gram = 2 / n * features.T @ features + penalty
    return torch.linalg.solve(gram, 2 / n * features.T @ y).numpy()


@pytest.mark.parametrize(
    ("optimizer", "decay", "power"),
    [("gd", 0.0, 0), ("gd", 0.05, 0), ("gd", 0.05, 2), ("momentum", 0.05, 2)],
)
def test_converged_fit_matches_the_closed_form(
    optimizer: str, decay: float, power: int
) -> None:
    built = problem(3)
    config = SGDConfig(
        learning_rate=0.5,
        n_steps=3000,
        start=(0.0,) * 4,
        weight_decay=decay,
        decay_power=power,
        optimizer=optimizer,
        momentum=0.5,
        degree=3,
    )
    trace = run_sgd(built, config)
    np.testing.assert_allclose(
        trace.params[-1],
        least_squares(built, decay, power),
        rtol=CONVERGED,
        atol=CONVERGED,
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_defaults_underfit_fit_and_overfit(seed: int) -> None:
    line, good, wiggly = trained("underfit_overfit", seed)
    noise_variance = float(line.meta["noise"]) ** 2  # type: ignore[arg-type]
    # One training for all three, said once in the subtitle
    assert {
        (t.meta["optimizer"], t.meta["momentum"]) for t in (line, good, wiggly)
    } == {("momentum", 0.5)}
    assert line.learning_rate == good.learning_rate == wiggly.learning_rate
    # A line cannot follow the curve: both losses stay far above the noise
    assert line.full_loss[-1] > 2 * noise_variance
    assert line.valid_loss[-1] > 2 * noise_variance
    # Degree 18 fits the training points below the noise and misses the others
    assert wiggly.full_loss[-1] < noise_variance
    assert wiggly.valid_loss[-1] > good.valid_loss[-1]
    assert wiggly.valid_loss[-1] > 2 * wiggly.full_loss[-1]
    # Smooth first, as smooth as degree 5 three steps in (less up and down than
    # sin(3x) itself), and half as wiggly again by the end (seed 3 the least: 1.96
    # times; the others three to eleven times)
    true_curve = total_variation(np.sin(3 * wiggly.grid))
    assert total_variation(wiggly.curve[3]) < true_curve
    assert total_variation(wiggly.curve[-1]) > 1.5 * total_variation(wiggly.curve[3])


def test_the_default_overfit_misses_the_held_out_points_by_far() -> None:
    _, good, wiggly = trained("underfit_overfit")
    assert wiggly.valid_loss[-1] > 2 * good.valid_loss[-1]


@functools.cache
def trained(scene: str, seed: int = 42) -> list[Trace]:
    """The scene's default runs for `seed`, trained once for all the tests here."""
    return SCENES[scene].train(RunOptions(seed=seed))


def total_variation(curve: np.ndarray) -> float:
    """How far a sampled curve goes up and down in all: its wiggles, in y units."""
    return float(np.abs(np.diff(curve)).sum())


def momentum_iterate(
    features: np.ndarray, y: np.ndarray, learning_rate: float, beta: float, step: int
) -> np.ndarray:
    """Gradient descent with momentum `beta` (torch.optim.SGD's) on MSE from 0, after
    `step` steps, in closed form (float64); beta 0 is plain gradient descent.

    With H = 2/n FᵀF = V diag(λ) Vᵀ, each eigenvector's distance e to its least-squares
    coefficient follows e_k+1 = (1 + β − lr·λ) e_k − β e_k−1 from e_−1 = e_0: a 2×2
    matrix power each, so each eigenvector is fitted at its own pace, the smallest λ
    slowest.
    """
    n = len(y)
    eigenvalues, vectors = np.linalg.eigh(2 / n * features.T @ features)
    target = vectors.T @ (2 / n * features.T @ y) / eigenvalues
    left = [
        (
            np.linalg.matrix_power(
                np.array([[1 + beta - learning_rate * value, -beta], [1.0, 0.0]]), step
            )
            @ np.ones(2)
        )[0]
        for value in eigenvalues
    ]
    return vectors @ (target * (1 - np.array(left)))


def test_validation_run_is_momentums_closed_form() -> None:
    (trace,) = trained("validation")
    assert trace.meta["optimizer"] == "momentum"
    train = trace.train_index
    features = legendre_features(trace.x[train, 0], 18)
    grid_features = legendre_features(trace.grid, 18)
    for step in (3, 7, 100, trace.n_steps):
        expected = momentum_iterate(
            features, trace.y[train], trace.learning_rate, 0.5, step
        )
        np.testing.assert_allclose(trace.params[step], expected, atol=ITERATE_ATOL)
        np.testing.assert_allclose(
            trace.curve[step], grid_features @ expected, atol=10 * ITERATE_ATOL
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_validation_loss_turns_up_clearly_and_the_wiggles_grow(seed: int) -> None:
    (trace,) = trained("validation", seed)
    best = int(np.argmin(trace.valid_loss))
    assert 0 < best < trace.n_steps
    assert trace.valid_loss[-1] >= TURNS_UP * trace.valid_loss[best]
    # Smooth first: three steps in, the model goes up and down less than sin(3x)
    # itself does on [-1, 1] (3.72); it wiggles more and more with training
    wiggles = [total_variation(trace.curve[k]) for k in (3, best, trace.n_steps)]
    true_curve = total_variation(np.sin(3 * trace.grid))
    assert wiggles[0] < true_curve and wiggles == sorted(wiggles)


# Seed 3's held-out points lie where its stopped and its final model agree: its final
# model goes up and down only 16% more. The others' three to seven times as much.
@pytest.mark.parametrize("seed", [0, 1, 2, 42])
def test_the_model_at_the_stop_is_visibly_smoother_than_the_last(seed: int) -> None:
    (trace,) = trained("validation", seed)
    stopped = trace.curve[int(np.argmin(trace.valid_loss))]
    assert total_variation(trace.curve[-1]) >= 2 * total_variation(stopped)


def test_polynomial_trace_round_trips(tmp_path: Path) -> None:
    (trace,) = SCENES["validation"].train(RunOptions(n_steps=5))
    trace.save(tmp_path / "run.npz")
    assert Trace.load(tmp_path / "run.npz").equals(trace)


def test_polynomial_trace_without_its_curve_is_refused() -> None:
    (trace,) = SCENES["validation"].train(RunOptions(n_steps=5))
    with pytest.raises(ValueError, match="curve"):
        replace(trace, grid=np.zeros(0), curve=np.zeros((0, 0)))
    with pytest.raises(ValueError, match="valid_index"):
        replace(trace, valid_index=np.array([0, 0], dtype=np.int64))


def test_schema_2_file_loads_with_the_schema_3_arrays_empty(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    schema_3 = ("valid_loss", "valid_index", "grid", "curve")
    entries = members(tiny_trace)
    for name in schema_3:
        del entries[f"{name}.npy"]
    meta = {**tiny_trace.meta, "schema_version": 2}
    entries["meta.npy"] = npy(np.array(json.dumps(meta)))
    loaded = Trace.load(write(tmp_path / "old.npz", raw_zip(entries)))
    assert loaded.meta == meta
    for name in ARRAY_DTYPES:
        expected = getattr(tiny_trace, name)
        assert np.array_equal(getattr(loaded, name), expected)
        assert getattr(loaded, name).shape == expected.shape
    assert [getattr(loaded, name).size for name in schema_3] == [0, 0, 0, 0]
