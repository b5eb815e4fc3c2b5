"""Limits checked before any work: each in --help and in the one-line error.

Training and rendering are stand-ins here (conftest's `rendered`), so a refused
request is seen to refuse before either starts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from sgd_anim import limits as render_limits
from sgd_anim.limits import MAX_FRAMES, MAX_MEMORY, MAX_POINTS, MAX_STEPS, Plan, RunSize
from sgd_anim.options import FORMAT_NAMES
from sgd_anim.outputs import PARTIAL_BYTES
from sgdcore.config import RunOptions
from sgdcore.trace import save_runs
from tests.conftest import assert_usage_error, invoke, quadratic_trace

pytestmark = pytest.mark.usefixtures("in_tmp_path")


@pytest.fixture(autouse=True)
def nothing_runs(rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No torch, no manim: what reached the render, if anything did."""
    return rendered


def fit(*args: str) -> list[str]:
    """`--scene fit_line -o out.mp4` and `args`."""
    return ["--scene", "fit_line", "-o", "out.mp4", *args]


@pytest.mark.parametrize(
    ("option", "shown"),
    [
        ("--steps", f"1<=x<={MAX_STEPS}"),
        ("--epochs", f"1<=x<={MAX_STEPS}"),
        ("--n", f"2<=x<={MAX_POINTS}"),
        ("--batch-size", f"1<=x<={MAX_POINTS}"),
        ("--seed", f"0<=x<={render_limits.MAX_SEED}"),
        ("--pace", f"0<x<={render_limits.MAX_PACE}"),
        ("--lr", f"0<x<={render_limits.MAX_LR}"),
        ("--start", "±10000"),
    ],
)
def test_help_shows_each_limit(option: str, shown: str) -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    assert shown in flat[flat.index(option) :], f"{option} without {shown}"


def test_a_billion_steps_exits_2_at_most_100000(
    rendered: list[dict[str, Any]], trained: dict[str, RunOptions]
) -> None:
    result = invoke(*fit("--steps", "1000000000"))
    assert_usage_error(result, "--steps", f"at most {MAX_STEPS}", "1000000000")
    assert rendered == [] and trained == {}


def test_a_hundred_million_points_exits_2_before_training(
    trained: dict[str, RunOptions],
) -> None:
    result = invoke(*fit("--n", "100000000"))
    assert_usage_error(result, "--n", f"at most {MAX_POINTS}")
    assert trained == {}


def test_a_million_epochs_exits_2() -> None:
    result = invoke("--scene", "minibatch", "--epochs", "1000000")
    assert_usage_error(result, "--epochs", f"at most {MAX_STEPS}")


def test_epochs_times_batches_past_the_step_limit_exits_2() -> None:
    # 2,000 epochs of 100 one-point batches: 200,000 steps
    result = invoke("--scene", "minibatch", "--epochs", "2000", "--batch-size", "1")
    assert_usage_error(result, "--epochs", "200000 steps", f"at most {MAX_STEPS}")


@pytest.mark.parametrize("pace", ["1e-9", "1e-6"])
def test_a_tiny_pace_exits_2_naming_pace_and_the_frame_limit(pace: str) -> None:
    # 1e-9 once ended in "Unable to allocate 1.09 TiB"; 1e-6 queued 217 hours
    line = assert_usage_error(invoke(*fit("--pace", pace)), "--pace", "frames")
    assert f"at most {MAX_FRAMES:,}" in line


@pytest.mark.parametrize(
    ("pace", "count"),
    [
        ("5e-324", "over 10^308"),  # the count is past any float
        ("1e-308", "over 10^308"),
        ("1e-300", "over 10^303"),
        ("1e-9", "over 10^12"),
        ("0.001", "6,001,800"),
    ],
)
def test_a_tiny_pace_gives_the_frame_count_in_a_few_characters(
    pace: str, count: str
) -> None:
    # fit_line: 100 steps at 60 fps, plus 30 s of beats; 1e-300 printed 300 digits
    line = assert_usage_error(invoke(*fit("--pace", pace)), "--pace")
    assert f"make {count} frames" in line and len(line) < 200, line


def test_scene_all_checks_the_limits_of_every_scene(
    children: list[list[str]],
) -> None:
    assert_usage_error(invoke("--scene", "all", "--pace", "0.001"), "--pace")
    assert children == []


def test_a_learning_rate_past_float32_exits_2() -> None:
    # optimizers trained with it and died in torch.optim: "cannot be converted to
    # type float without overflow"
    result = invoke("--scene", "optimizers", "--lr", "1e300")
    assert_usage_error(result, "--lr", f"at most {render_limits.MAX_LR:.0f}.")


def test_a_huge_seed_names_seed() -> None:
    # It said "Overflow when unpacking long long".
    result = invoke(*fit("--seed", "99999999999999999999999"))
    assert_usage_error(result, "--seed", f"at most {render_limits.MAX_SEED}.")


@pytest.mark.parametrize("start", ["1e39,1", "-1,1e300", "nan,1", "1,inf"])
def test_a_start_past_float32_names_start(start: str) -> None:
    assert_usage_error(invoke(*fit("--start", start)), "--start")


def test_points_times_steps_past_the_trace_limit_exits_2(
    trained: dict[str, RunOptions],
) -> None:
    # Plain gradient descent records every point's index at every step: 763 MiB
    line = assert_usage_error(invoke(*fit("--n", "1000000")), "--n", "MiB")
    assert "256 MiB" in line and trained == {}


def test_runs_too_large_for_a_trace_file_exit_2_naming_save_trace() -> None:
    result = invoke(*fit("--n", "100000", "--save-trace", "run.npz"))
    assert_usage_error(result, "--save-trace", "64 MiB")


def test_a_render_past_the_memory_limit_exits_2_naming_n() -> None:
    # A million points over 30 steps: a 252 MiB trace, 3 GB of dots, 4k frames
    plan = Plan(
        "fit_line", [RunSize(30, MAX_POINTS, 2, MAX_POINTS)], 12.5, 60, 3840 * 2160
    )
    assert plan.array_bytes <= render_limits.MAX_ARRAY_BYTES < plan.memory - MAX_MEMORY
    args = ["--n", str(MAX_POINTS), "--steps", "30", "--quality", "4k"]
    assert_usage_error(invoke(*fit(*args)), "--n", "memory", "GiB")


def test_residuals_of_a_million_points_a_frame_exit_2_naming_n() -> None:
    # 38 frames of a million residuals: hours, though memory and trace would fit
    line = assert_usage_error(invoke(*fit("--n", "1000000", "--steps", "2")), "--n")
    assert "hours to draw" in line and "at most 1 hour" in line


def test_a_minibatch_of_many_points_draws_only_its_batch() -> None:
    args = ["--scene", "minibatch", "--n", "200000", "--steps", "2", "-o", "out.mp4"]
    assert invoke(*args).exit_code == 0


def test_a_saved_run_too_long_to_show_exits_2_naming_trace(tmp_path: Path) -> None:
    saved = tmp_path / "long.npz"
    save_runs(saved, [quadratic_trace(50_000)])  # 11 hours at 1.25 steps a second
    result = invoke("--scene", "lr_too_low", "--trace", str(saved))
    assert_usage_error(result, "--trace", "frames", f"at most {MAX_FRAMES:,}")


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_the_default_renders_are_far_inside_every_limit(fmt: str) -> None:
    runs = [RunSize(100, 100, 2, 100)]
    plan = Plan("fit_line", runs, 12.5, 60, 3840 * 2160, fmt=fmt)
    assert plan.frames * 10 < MAX_FRAMES
    assert plan.memory < MAX_MEMORY / 2 and plan.drawing_seconds < 1


def test_timing_and_rates_agree_with_the_renderer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(
        sys.modules, "sgd_anim.files.export"
    )  # the stand-in, for the real one
    from manim.constants import QUALITIES as MANIM_QUALITIES

    from sgd_anim.files.export import QUALITIES, staged_path
    from sgd_anim.files.formats import GIF_FPS

    for name, preset in QUALITIES.items():
        quality = MANIM_QUALITIES[preset]
        assert render_limits.FPS[name] == quality["frame_rate"]
        assert (
            render_limits.PIXELS[name]
            == quality["pixel_width"] * quality["pixel_height"]
        )
    assert render_limits.GIF_FPS == GIF_FPS
    # the beats' fixed part, bounded from above by BEATS_SECONDS
    from scenes import schedule

    ramp = schedule.FIRST_STEP_SECONDS * sum(0.5 ** (k / 3) for k in range(200))
    beats = (
        schedule.INTRO_SECONDS
        + schedule.OPENING_HOLD
        + schedule.CLOSING_HOLD
        + schedule.FAST_FORWARD_SECONDS
        + 4 * schedule.MOMENT_HOLD
        + schedule.MAX_SLOW_STEPS * schedule.FIRST_STEP_SECONDS
        + ramp
    )
    assert beats <= render_limits.BEATS_SECONDS
    name = "x" * 10 + ".mp4"
    assert len(staged_path(Path(name)).name) <= len(name) + PARTIAL_BYTES
