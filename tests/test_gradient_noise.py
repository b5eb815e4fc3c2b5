"""Gradient noise: one epoch's batch gradients at a point, against independent maths.

The batch gradients come from the training loop's DataLoader and autograd; they are
checked against the full gradient worked out in float64 (torch, from the same
float32 data), and their spread against the variance of a sample mean drawn without
replacement, σ²/B · (n − B)/(n − 1), averaged over seeds. Then the trace records
them: saved, loaded, checked, refused when altered, and the CLI's --batch-sizes.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import numpy as np
import numpy.typing as npt
import pytest
import torch

from scenes.noise_geometry import noise_levels
from sgdcore.config import NOISE_RUNS, NOISE_SIZES, RunOptions
from sgdcore.data import LESSON_COEFFICIENTS, make_line_data
from sgdcore.gradient_noise import batch_gradients, fitted_sizes, noise_traces
from sgdcore.problems import LinearRegression
from sgdcore.trace import Trace, load_runs, save_runs
from sgdcore.trace_consistency import check_consistency
from tests.conftest import CONTROL_DATA, assert_usage_error, invoke

START = (-1.0, 1.0)
N = 100
RTOL_32 = 1e-5  # a float32 gradient summed over at most n points, against float64
SEEDS = range(40)
STANDARD_ERRORS = 4.0  # the measured mean of squares lies this close to the maths


def lesson_problem(n: int = N, seed: int = 0) -> LinearRegression:
    """The lesson's line-fitting problem with `n` points."""
    x, y = make_line_data(n, LESSON_COEFFICIENTS, seed)
    return LinearRegression(x, y, LESSON_COEFFICIENTS)


def full_gradient_64(problem: LinearRegression) -> npt.NDArray[np.float64]:
    """The MSE gradient on every point at START, by autograd in float64."""
    x, y = problem.x.double(), problem.y.double()
    params = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    torch.mean((x @ params - y) ** 2).backward()  # type: ignore[no-untyped-call]
    assert params.grad is not None
    return params.grad.numpy()


def point_gradients_64(problem: LinearRegression) -> npt.NDArray[np.float64]:
    """Each point's own squared-error gradient at START in float64: (n, 2)."""
    x, y = problem.x.double().numpy(), problem.y.double().numpy()
    return 2 * (x @ np.array(START) - y)[:, None] * x


@pytest.mark.parametrize("size", [1, 5, 10, 20, 50, 100])
def test_one_epochs_batch_gradients_average_to_the_full_gradient(size: int) -> None:
    problem = lesson_problem()
    gradients = batch_gradients(problem, START, size, seed=3)
    assert gradients.shape == (N // size, 2)
    np.testing.assert_allclose(
        gradients.mean(axis=0), full_gradient_64(problem), rtol=RTOL_32, atol=1e-6
    )


def test_an_epoch_with_a_smaller_last_batch_averages_to_it_weighted_by_points() -> None:
    problem, size = lesson_problem(), 30  # batches of 30, 30, 30 and 10
    gradients = batch_gradients(problem, START, size, seed=3)
    weights = np.array([30, 30, 30, 10]) / N
    full = full_gradient_64(problem)
    np.testing.assert_allclose(weights @ gradients, full, rtol=RTOL_32, atol=1e-6)
    assert not np.allclose(gradients.mean(axis=0), full, rtol=1e-3)


def test_batches_of_one_scatter_by_exactly_the_points_own_spread() -> None:
    problem = lesson_problem()
    gradients = batch_gradients(problem, START, 1, seed=5)
    points = point_gradients_64(problem)
    # every point once: the batches are the points, in the DataLoader's order
    np.testing.assert_allclose(
        np.sort(gradients[:, 1]), np.sort(points[:, 1]), rtol=RTOL_32, atol=1e-5
    )


@pytest.mark.parametrize("size", [5, 10, 50])
def test_measured_spread_is_the_variance_of_a_mean_drawn_without_replacement(
    size: int,
) -> None:
    problem = lesson_problem()
    points = point_gradients_64(problem)
    sigma2 = float(((points - points.mean(axis=0)) ** 2).sum(axis=1).mean())
    expected = sigma2 / size * (N - size) / (N - 1)
    full = full_gradient_64(problem)
    # per seed: the mean over one epoch's batches of |g_batch − g|², unbiased for it
    squares = np.array(
        [
            ((batch_gradients(problem, START, size, seed) - full) ** 2)
            .sum(axis=1)
            .mean()
            for seed in SEEDS
        ]
    )
    error = squares.std(ddof=1) / np.sqrt(len(squares))
    assert abs(squares.mean() - expected) <= STANDARD_ERRORS * error
    # and not what drawing with replacement would give, at half the points
    if size == 50:
        assert squares.mean() < sigma2 / size * 0.75


def test_the_scenes_numbers_are_the_closed_forms() -> None:
    paths = sorted((CONTROL_DATA / "gradient_noise").glob("default-run*.npz"))
    trace = Trace.load(paths[0])
    lr, n = trace.learning_rate, len(trace.y)
    problem = lesson_problem(n, seed=int(trace.meta["seed"]))  # type: ignore[arg-type]
    assert np.array_equal(problem.x.double().numpy(), trace.x)
    points = point_gradients_64(problem)
    sigma2 = float(((points - points.mean(axis=0)) ** 2).sum(axis=1).mean())
    full = -lr * full_gradient_64(problem)
    for level in noise_levels(trace):
        b = level.size
        plain = lr * np.sqrt(sigma2 / b)
        np.testing.assert_allclose(level.full, full, rtol=1e-6)
        np.testing.assert_allclose(level.mean, full, rtol=RTOL_32)  # b divides 100
        np.testing.assert_allclose(
            level.expected, plain * np.sqrt((n - b) / (n - 1)), rtol=1e-9
        )
        np.testing.assert_allclose(level.unsampled, plain, rtol=1e-9)
        np.testing.assert_allclose(
            np.trace(level.covariance), level.expected**2, rtol=1e-9
        )
        distances = ((level.steps - full) ** 2).sum(axis=1)
        np.testing.assert_allclose(level.spread, np.sqrt(distances.mean()), rtol=1e-6)


# -- the trace records them ------------------------------------------------------------


@pytest.fixture(scope="module")
def runs() -> list[Trace]:
    return noise_traces(
        "linear_regression", NOISE_RUNS, RunOptions(n_steps=5), NOISE_SIZES
    )


def test_the_runs_use_the_smallest_and_largest_batch_sizes(runs: list[Trace]) -> None:
    assert [t.meta["batch_size"] for t in runs] == [NOISE_SIZES[0], NOISE_SIZES[-1]]
    assert runs[0].noise_sizes.tolist() == list(NOISE_SIZES)
    assert len(runs[0].noise_grads) == sum(N // b for b in NOISE_SIZES)
    assert not runs[1].noise_sizes.size and runs[1].noise_grads.shape == (0, 0)
    for trace in runs:
        check_consistency(trace)


def test_saved_noise_loads_back_equal(runs: list[Trace], tmp_path: Path) -> None:
    save_runs(tmp_path / "runs.npz", runs)
    loaded = load_runs(tmp_path / "runs.npz")
    assert all(a.equals(b) for a, b in zip(runs, loaded, strict=True))
    assert loaded[0].noise_grads.dtype == np.float64
    assert loaded[0].noise_sizes.dtype == np.int64


def test_a_file_without_noise_loads_with_it_empty(
    runs: list[Trace], tmp_path: Path
) -> None:
    arrays = {
        k: v
        for k, v in vars(runs[1]).items()
        if k not in ("meta", "noise_sizes", "noise_grads")
    }

    np.savez(tmp_path / "old.npz", meta=np.array(json.dumps(runs[1].meta)), **arrays)
    old = Trace.load(tmp_path / "old.npz")
    assert old.noise_sizes.shape == (0,) and old.noise_grads.shape == (0, 0)


def test_an_altered_batch_gradient_is_refused(runs: list[Trace]) -> None:
    grads = runs[0].noise_grads.copy()
    grads[-1, 0] += 0.05  # one of B = 50's two batches
    altered = dataclasses.replace(runs[0], noise_grads=grads)
    with pytest.raises(ValueError, match="batch gradients of size 50 average to"):
        check_consistency(altered)


@pytest.mark.parametrize(
    ("sizes", "rows", "words"),
    [
        ([5, 1], 120, "must increase"),
        ([1, 500], 100, "1..100"),
        ([1, 5], 119, "has shape"),
    ],
)
def test_noise_of_the_wrong_shape_is_refused(
    runs: list[Trace], sizes: list[int], rows: int, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        dataclasses.replace(
            runs[0],
            noise_sizes=np.array(sizes, dtype=np.int64),
            noise_grads=np.zeros((rows, 2)),
        )


def test_batch_sizes_past_the_points_exit_2() -> None:
    result = invoke(
        "--scene", "gradient_noise", "--batch-sizes", "1,500", "-o", "x.mp4"
    )
    assert_usage_error(result, "batch sizes", "n = 100")


def test_batch_sizes_that_do_not_increase_exit_2() -> None:
    result = invoke("--scene", "gradient_noise", "--batch-sizes", "10,5", "-o", "x.mp4")
    assert_usage_error(result, "must increase")


def test_batch_sizes_on_another_scene_exit_2() -> None:
    result = invoke("--scene", "fit_line", "--batch-sizes", "1,5", "-o", "x.mp4")
    assert_usage_error(result, "batch-sizes")


@pytest.fixture
def no_drawing(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Renders recorded, not drawn: real training and trace files only."""
    calls: list[tuple[object, ...]] = []

    def render_scene(*args: object, **_: object) -> SimpleNamespace:
        calls.append(args)
        return SimpleNamespace(width=854, height=480, frames=1, codec="png")

    module = ModuleType("sgd_anim.files.export")
    module.render_scene = render_scene  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sgd_anim.files.export", module)
    return calls


def test_save_trace_then_trace_replays_the_batch_gradients(
    tmp_path: Path, no_drawing: list[tuple[object, ...]]
) -> None:
    saved, clip = tmp_path / "noise.npz", str(tmp_path / "noise.mp4")
    args = ["--scene", "gradient_noise", "--quality", "low", "-o", clip]
    result = invoke(
        *args, "--batch-sizes", "2,20", "--steps", "3", "--save-trace", str(saved)
    )
    assert result.exit_code == 0, result.output
    first, second = load_runs(saved)
    assert first.noise_sizes.tolist() == [2, 20] and len(first.noise_grads) == 55
    assert second.meta["batch_size"] == 20
    result = invoke(*args, "--trace", str(saved))
    assert result.exit_code == 0, result.output
    assert len(no_drawing) == 2


def test_runs_without_batch_gradients_exit_2(
    tmp_path: Path, no_drawing: list[tuple[object, ...]]
) -> None:
    plain = tmp_path / "plain.npz"
    save_runs(
        plain,
        [
            Trace.load(p)
            for p in sorted((CONTROL_DATA / "minibatch").glob("default-run*.npz"))
        ],
    )
    result = invoke(
        "--scene",
        "gradient_noise",
        "--trace",
        str(plain),
        "-o",
        str(tmp_path / "a.mp4"),
    )
    assert_usage_error(result, "no batch gradients")


def test_the_verdict_works_its_ratio_from_the_spreads_it_shows() -> None:
    from tests.planned import planned_default

    schedule = planned_default("gradient_noise").schedule
    verdict = schedule.beats[-1].sentence
    # 0.562 / 0.056 shown: 10.04 as 10; more than 1/√B says: B = 50's note says why
    assert "B = 50 scatters 10× less than B = 1, but" in verdict
    held = [beat.sentence for beat in schedule.beats if beat.name == "moment"]
    assert "not √50 ≈ 7.1×" in held[-1] and "√" not in verdict


@pytest.mark.parametrize(
    ("n", "sizes"),
    [
        (100, (1, 5, 10, 50)),
        (10_000, (1, 5, 10, 50)),
        (40, (1, 5, 10, 20)),
        (7, (1, 5)),
    ],
)
def test_the_scenes_own_sizes_fit_the_points(n: int, sizes: tuple[int, ...]) -> None:
    assert fitted_sizes(NOISE_SIZES, n) == sizes
