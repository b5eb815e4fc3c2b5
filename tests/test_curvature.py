"""Learning rates chosen for the input: the user's points, f(w), a curve's points.

Each chosen rate is checked against its stable limit worked out independently: 2/λ_max
of the MSE loss's Hessian 2·XᵀX/n from the 2×2 eigenvalue formula (or from numpy's
SVD for a polynomial's features), and 2/max f'' from each built-in function's f''
written out by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from sgdcore.curvature import FROM_DATA, FROM_FUNCTION, STEADY_SHARE, two_digits
from sgdcore.functions import BUILT_IN, Function1D
from sgdcore.problems import legendre_features
from sgdcore.trace import Trace
from sgdcore.user_data import Points, points_from_arrays

START = 2.0  # the learning-rate scenes' start
ROUNDING = 0.9  # two digits, rounded down, keep at least this share of a rate
FLOAT32 = 1e-6  # the runs' float32 rounding, in losses and inputs
LIMIT_RTOL = 1e-4  # f'' sampled every 0.002 or so against f'' by hand


def csv_points(tmp_path: Path) -> Points:
    """A CSV whose x runs 0 to 10, read as the CLI reads --data."""
    rng = np.random.default_rng(0)
    x = np.linspace(0.0, 10.0, 50)
    y = 2 * x + 1 + rng.normal(0, 1.5, 50)
    path = tmp_path / "points.csv"
    path.write_text(
        "x,y\n" + "".join(f"{a:.3f},{b:.3f}\n" for a, b in zip(x, y, strict=True))
    )
    return points_from_arrays(np.loadtxt(path, delimiter=",", skiprows=1))


def line_limit(x: np.ndarray) -> float:
    """2/λ_max of 2·XᵀX/n for rows [x, 1], by the 2×2 eigenvalue formula."""
    a, b, d = np.mean(x * x), np.mean(x), 1.0
    largest = (a + d) / 2 + math.sqrt(((a - d) / 2) ** 2 + b * b)
    return 2 / (2 * largest)


def assert_share(trace: Trace, share: float, limit: float) -> None:
    """The run's learning rate is `share` of `limit`, rounded down to two digits."""
    assert ROUNDING * share * limit <= trace.learning_rate <= share * limit


@pytest.mark.parametrize("scene", ["fit_line", "landscape", "surface_3d"])
def test_data_from_0_to_10_gets_a_tenth_of_its_stable_limit(
    scene: str, tmp_path: Path
) -> None:
    points = csv_points(tmp_path)
    (trace,) = SCENES[scene].train(RunOptions(data=points))
    limit = line_limit(points.x)
    assert_share(trace, 0.1, limit)  # the lesson's lr 0.1 of its limit 1
    assert trace.meta["lr_chosen"] == FROM_DATA
    assert trace.meta["lr_limit"] == pytest.approx(limit, rel=FLOAT32)
    assert trace.diverged_at is None and trace.full_loss[-1] < trace.full_loss[0] / 10


def test_the_lessons_lr_diverges_on_that_data_and_a_given_lr_stands(
    tmp_path: Path,
) -> None:
    points = csv_points(tmp_path)
    (lesson,) = SCENES["fit_line"].train(RunOptions(data=points, learning_rate=0.1))
    assert lesson.diverged_at is not None and "lr_chosen" not in lesson.meta
    (given,) = SCENES["fit_line"].train(RunOptions(data=points, learning_rate=0.001))
    assert given.learning_rate == 0.001 and "lr_chosen" not in given.meta


def test_the_lessons_own_points_keep_the_lessons_lr() -> None:
    (trace,) = SCENES["fit_line"].train(RunOptions(n_steps=2))
    assert trace.learning_rate == 0.1 and "lr_chosen" not in trace.meta


def test_optimisers_on_data_keep_their_shares_and_adam_its_own_rate(
    tmp_path: Path,
) -> None:
    points = csv_points(tmp_path)
    gd, momentum, adam = SCENES["optimizers"].train(RunOptions(data=points))
    limit = line_limit(points.x)
    assert_share(gd, 0.1, limit)
    assert_share(momentum, 0.02, limit)
    assert adam.learning_rate == 0.3 and "lr_chosen" not in adam.meta
    sgd, ghost = SCENES["minibatch"].train(RunOptions(data=points))
    assert sgd.learning_rate == ghost.learning_rate == gd.learning_rate


@pytest.mark.parametrize("seed", [3, 42])
def test_a_curves_run_takes_three_quarters_of_its_stable_limit(
    seed: int,
) -> None:
    (trace,) = SCENES["validation"].train(RunOptions(seed=seed, n_steps=2))
    features = legendre_features(trace.x[trace.train_index, 0], 18)
    largest = 2 * np.linalg.svd(features, compute_uv=False)[0] ** 2 / len(features)
    assert_share(trace, 0.75, 2 / largest)
    assert trace.meta["lr_chosen"] == FROM_DATA


# f'' and f' of the built-in functions, by hand
BENDS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "double_well": lambda w: 12 * w**2 - 4,
    "bumpy": lambda w: 1 - 9 * np.sin(3 * w),
    "quartic": lambda w: 12 * w**2,
}
SLOPES: dict[str, Callable[[float], float]] = {
    "double_well": lambda w: 4 * w * (w * w - 1) + 0.3,
    "bumpy": lambda w: w + 3 * math.cos(3 * w),
    "quartic": lambda w: 4 * w**3,
}
VALUES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "double_well": lambda w: (w * w - 1) ** 2 + 0.3 * w,
    "bumpy": lambda w: w * w / 2 + np.sin(3 * w),
    "quartic": lambda w: w**4,
}


def drawn_range(function: Function1D) -> np.ndarray:
    """The span widened to the start and its mirror image, finely sampled."""
    low, high = function.span or (-1.0, 1.0)
    return np.linspace(min(low, -START), max(high, START), 100_001)


def steady_limit(name: str) -> float:
    """2/max f'' over the range drawn: no step anywhere in it is unstable below."""
    return float(2 / BENDS[name](drawn_range(BUILT_IN[name])).max())


def lowest_point(name: str) -> float:
    """Where f is lowest over the range drawn."""
    grid = drawn_range(BUILT_IN[name])
    return float(grid[np.argmin(VALUES[name](grid))])


def jump_limit(name: str) -> float:
    """The learning rate whose first step lands as far past the lowest point as the
    start is before it: 1/c of the parabola through it with the start's slope."""
    return 2 * abs(START - lowest_point(name)) / abs(SLOPES[name](START))


@pytest.mark.parametrize(
    ("scene", "share"), [("lr_just_right", 0.4), ("lr_too_low", 0.02)]
)
@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_a_stable_scene_on_a_function_keeps_its_share_and_stays_stable(
    scene: str, share: float, name: str
) -> None:
    (trace,) = SCENES[scene].train(RunOptions(function=BUILT_IN[name]))
    steady = steady_limit(name)
    assert trace.meta["lr_limit"] == pytest.approx(steady, rel=LIMIT_RTOL)
    assert trace.meta["lr_chosen"] == FROM_FUNCTION
    expected = min(share * jump_limit(name), STEADY_SHARE * steady)
    assert ROUNDING * expected <= trace.learning_rate <= expected * (1 + LIMIT_RTOL)
    assert trace.diverged_at is None and np.isfinite(trace.params).all()
    assert (np.diff(trace.loss) <= FLOAT32).all()  # every step downhill


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_lr_too_low_on_a_function_crawls(name: str) -> None:
    (trace,) = SCENES["lr_too_low"].train(RunOptions(function=BUILT_IN[name]))
    hops = np.abs(np.diff(trace.params[:, 0]))
    assert (hops < 0.05 * abs(START - lowest_point(name))).all()


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_lr_too_high_on_a_function_overshoots_its_lowest_point(name: str) -> None:
    (trace,) = SCENES["lr_too_high"].train(RunOptions(function=BUILT_IN[name]))
    limit = max(jump_limit(name), steady_limit(name))
    assert trace.learning_rate >= 1.1 * limit * (1 - LIMIT_RTOL)
    assert trace.meta["lr_limit"] == pytest.approx(limit, rel=1e-3)
    lowest, w = lowest_point(name), trace.params[:, 0]
    assert np.sign(w[1] - lowest) != np.sign(w[0] - lowest)
    assert abs(w[1] - lowest) > abs(w[0] - lowest)


def test_the_lessons_quadratic_as_a_function_gets_the_lessons_rates() -> None:
    square = Function1D("square", "w²", lambda w: w * w)
    rates = {
        scene: SCENES[scene].train(RunOptions(function=square))[0].learning_rate
        for scene in ("lr_too_low", "lr_just_right", "lr_too_high")
    }
    assert rates == {"lr_too_low": 0.02, "lr_just_right": 0.4, "lr_too_high": 1.1}


@pytest.mark.parametrize(
    ("value", "up", "rounded"),
    [(0.02701, False, 0.027), (0.1375, True, 0.14), (0.7006, False, 0.7)],
)
def test_two_digits_rounds_towards_the_runs_intent(
    value: float, up: bool, rounded: float
) -> None:
    assert two_digits(value, up) == rounded
    assert two_digits(rounded, up) == rounded
