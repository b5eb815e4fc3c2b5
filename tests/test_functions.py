"""Your own f(w) for the learning-rate scenes: trained, sampled, told."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sgd_anim
from scenes.function_story import FunctionStory, function_case, valleys_of
from sgdcore.functions import BUILT_IN, double_well
from sgdcore.trace import Trace
from tests.conftest import assert_usage_error, invoke

CURVE_RTOL = 1e-12  # the sampled curve is f in float64
TRAINED_RTOL = 1e-6  # the run itself is float32


@pytest.fixture(autouse=True)
def from_tmp_path(in_tmp_path: Path) -> Path:
    """Run every call from an empty folder, so no `renders/` lands in the repo."""
    return in_tmp_path


def well_run(lr: float = 0.02, steps: int = 20) -> Trace:
    """The double well from w = 2 (the scenes' start)."""
    (trace,) = sgd_anim.train("lr_too_low", function="double_well", lr=lr, steps=steps)
    return trace


def test_sampled_curve_is_f_over_the_run_and_the_function_s_span() -> None:
    trace = well_run()
    assert trace.problem == "function" and trace.curve.shape == (1, len(trace.grid))
    np.testing.assert_allclose(trace.curve[0], double_well(trace.grid), rtol=CURVE_RTOL)
    span = BUILT_IN["double_well"].span or (0.0, 0.0)
    assert trace.grid.min() < min(span[0], trace.params[:, 0].min())
    assert trace.grid.max() > max(span[1], trace.params[:, 0].max())


def test_each_step_is_w_minus_lr_times_the_derivative() -> None:
    trace, lr = well_run(), 0.02
    w = trace.params[:, 0]
    derivative = 4 * w * (w * w - 1) + 0.3  # of (w² − 1)² + 0.3 w
    np.testing.assert_allclose(trace.grad[:, 0], derivative, rtol=TRAINED_RTOL)
    np.testing.assert_allclose(w[1:], w[:-1] - lr * derivative[:-1], rtol=TRAINED_RTOL)


def test_double_well_from_the_right_stops_in_its_local_minimum() -> None:
    trace = well_run(steps=60)
    valleys = valleys_of(trace)
    # 4w³ − 4w + 0.3 = 0 at the two bottoms, found from the samples alone
    roots = np.sort(np.roots([4, 0, -4, 0.3]).real)[[0, 2]]
    np.testing.assert_allclose(valleys.w, roots, atol=np.ptp(trace.grid) / 400)
    title, verdict, _ = function_case(trace)
    assert title == "Gradient descent stops in a local minimum"
    assert "stuck at w = 0.96" in verdict and "lower: f(w) = −0.3" in verdict


def test_double_well_from_the_left_settles_in_the_lowest_valley() -> None:
    (trace,) = sgd_anim.train(
        "lr_too_low", function="double_well", start=(-2.0,), lr=0.02
    )
    assert function_case(trace)[0] == "Gradient descent settles in the lowest valley"


def test_too_high_a_learning_rate_on_the_well_diverges_and_says_so() -> None:
    (trace,) = sgd_anim.train("lr_too_high", function="double_well")
    assert trace.diverged_at is not None
    assert function_case(trace)[0] == "Learning rate too high: the run diverges"


def test_story_numbers_are_the_run_s_and_it_never_mentions_curvature() -> None:
    trace = well_run()
    story = FunctionStory(trace, function_case(trace)[1])
    opening = story.opening()
    assert "w = 2, f(w) = 9.6" in opening and "2 valleys" in opening
    assert "1/c" not in opening + story.verdict()


def test_any_torch_function_from_python_trains_and_is_sampled() -> None:
    def shifted(w: object) -> object:
        return (w - 1) ** 2  # type: ignore[operator]

    (trace,) = sgd_anim.train("lr_just_right", function=shifted)
    w = trace.params[:, 0]
    np.testing.assert_allclose(trace.loss, (w - 1) ** 2, rtol=TRAINED_RTOL)
    np.testing.assert_allclose(trace.curve[0], (trace.grid - 1) ** 2, rtol=CURVE_RTOL)
    assert (trace.meta["function"], trace.meta["formula"]) == ("shifted", "f(w)")
    assert function_case(trace)[0] == "Gradient descent settles in the lowest valley"


def test_function_giving_more_than_one_number_is_one_option_error() -> None:
    with pytest.raises(sgd_anim.OptionError, match="must give one number"):
        sgd_anim.train("lr_too_low", function=lambda w: w.repeat(3))


def test_function_by_text_is_refused_listing_the_built_in_names() -> None:
    result = invoke("--scene", "lr_too_low", "--function", "w**2")
    assert_usage_error(result, "--function", "double_well", "bumpy", "quartic")


def test_function_with_a_scene_that_is_not_a_learning_rate_scene_exits_2() -> None:
    result = invoke("--scene", "lr_compare", "--function", "bumpy")
    assert_usage_error(result, "lr_compare takes no --function")


def test_function_run_round_trips_through_a_trace_file(tmp_path: Path) -> None:
    trace = well_run()
    trace.save(tmp_path / "well.npz")
    assert Trace.load(tmp_path / "well.npz").equals(trace)


def test_lesson_s_quadratic_is_untouched_without_function() -> None:
    (trace,) = sgd_anim.train("lr_too_low")
    assert trace.problem == "quadratic" and trace.grid.size == 0
