"""Golden frames: the last frame of each scene against control data (manim's scheme).

Regenerate on purpose only: `.venv/bin/python -m pytest tests/test_golden_frames.py
--set_test`, then say why in the commit. `--show_diff` writes tests/diffs/<name>.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from scenes.theme import PALETTES
from sgd_anim.files.export import render_last_frame
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions
from sgdcore.functions import BUILT_IN
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA, REPO
from tests.stills import render_frame_at

WIDTH, HEIGHT = 427, 240
WELL = BUILT_IN["double_well"]
ATOL = 2  # per channel, 0-255
MISMATCH_BUDGET = 1e-3  # fraction of values allowed past ATOL: Pango glyph edges vary

# Each case: (scene, run options[, theme]); short runs keep the suite fast. The runs are
# committed beside the frames (<case>-run<i>.npz), so these tests replay them without torch
# and do not move when torch does; `--set_test` retrains and rewrites them too.
CASES: dict[str, tuple[Any, ...]] = {
    "fit_line_final": ("fit_line", RunOptions(n_steps=20)),
    "fit_line_diverged": ("fit_line", RunOptions(learning_rate=5.0, n_steps=20)),
    "lr_too_high_final": ("lr_too_high", RunOptions()),
    "lr_too_low_final": ("lr_too_low", RunOptions()),
    "lr_just_right_final": ("lr_just_right", RunOptions()),
    "lr_compare_final": ("lr_compare", RunOptions()),
    "minibatch_final": ("minibatch", RunOptions(epochs=2)),
    "landscape_final": ("landscape", RunOptions(n_steps=30)),
    "landscape_zigzag": ("landscape", RunOptions(learning_rate=0.9, n_steps=30)),
    "landscape_diverged": ("landscape", RunOptions(learning_rate=1.2, n_steps=30)),
    "optimizers_final": ("optimizers", RunOptions(n_steps=30)),
    # gradient descent diverges at step 11; momentum and Adam must still run to step 30
    "optimizers_one_diverged": (
        "optimizers",
        RunOptions(learning_rate=1.5, n_steps=30),
    ),
    "surface_3d_final": ("surface_3d", RunOptions(n_steps=20)),
    "underfit_overfit_final": ("underfit_overfit", RunOptions(n_steps=200)),
    "validation_final": ("validation", RunOptions(n_steps=150)),
    "regularization_final": ("regularization", RunOptions(n_steps=200)),
    "validation_light": ("validation", RunOptions(n_steps=150), "light"),
    "fit_line_light": ("fit_line", RunOptions(n_steps=20), "light"),
    "minibatch_light": ("minibatch", RunOptions(epochs=2), "light"),
    # a non-convex f(w): a local minimum, and a run that leaves the well
    "lr_too_low_double_well": ("lr_too_low", RunOptions(function=WELL)),
    "lr_too_high_double_well": ("lr_too_high", RunOptions(function=WELL)),
    "gradient_noise_final": ("gradient_noise", RunOptions(n_steps=10)),
    "gradient_noise_light": ("gradient_noise", RunOptions(n_steps=10), "light"),
}
# Frames mid-replay, from the runs above: (case whose runs, step). Between recorded
# steps an update is under way; these catch views mid-zoom as a diverging run widens
# the axes, and the beats' moving parts mid-hop.
MID_CASES: dict[str, tuple[str, float]] = {
    "lr_too_high_mid_zoom": ("lr_too_high_final", 6.5),
    "fit_line_diverged_mid_zoom": ("fit_line_diverged", 2.5),
    "landscape_diverged_mid_zoom": ("landscape_diverged", 20.5),
    "minibatch_mid_epoch": ("minibatch_final", 6.5),
    # past the lowest validation loss: the stop mark and the stopped model are shown
    "validation_past_the_stop": ("validation_final", 40.5),
    # the batches of 5 growing out of the point, those of 1 behind them as an ellipse
    "gradient_noise_cloud": ("gradient_noise_final", 1.5),
}


def compare_frames(
    name: str,
    frame: npt.NDArray[np.uint8],
    control: Path,
    request: pytest.FixtureRequest,
) -> None:
    """Fail when more than the budget of values differ by more than ATOL."""
    expected = np.load(control, allow_pickle=False)["frame_data"]
    assert frame.shape == expected.shape, (
        f"frame shape {frame.shape} != {expected.shape}"
    )
    difference = np.abs(frame.astype(np.int16) - expected.astype(np.int16))
    mismatch = float(np.mean(difference > ATOL))
    if request.config.getoption("--show_diff") and mismatch > 0:
        from PIL import Image

        diffs = REPO / "tests" / "diffs"
        diffs.mkdir(exist_ok=True)
        strip = np.concatenate(
            [frame, expected, (difference * 8).clip(0, 255).astype(np.uint8)], axis=1
        )
        strip[..., 3] = 255
        Image.fromarray(strip, "RGBA").save(diffs / f"{name}.png")
    print(f"{name}: {mismatch:.5%} of values differ by more than {ATOL}")
    assert mismatch <= MISMATCH_BUDGET, (
        f"{name}: {mismatch:.2%} of values differ by more than {ATOL} "
        f"(budget {MISMATCH_BUDGET:.2%}); rerun with --show_diff to see where"
    )


def committed_traces(
    scene: str, name: str, options: RunOptions, request: pytest.FixtureRequest
) -> list[Trace]:
    """The case's recorded runs; with `--set_test`, trained afresh and saved first."""
    folder = CONTROL_DATA / scene
    if request.config.getoption("--set_test"):
        folder.mkdir(parents=True, exist_ok=True)
        for index, trace in enumerate(SCENES[scene].train(options)):
            trace.save(folder / f"{name}-run{index}.npz")
    paths = sorted(folder.glob(f"{name}-run*.npz"))
    assert paths, (
        f"no recorded runs for {name} in {folder}: run with --set_test on purpose"
    )
    return [Trace.load(path) for path in paths]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_last_frame_matches_control(name: str, request: pytest.FixtureRequest) -> None:
    scene, options, *theme = CASES[name]
    palette = PALETTES[theme[0] if theme else "dark"]
    traces = committed_traces(scene, name, options, request)
    spec = SCENES[scene]
    frame = render_last_frame(
        spec.scene_class(), traces, WIDTH, HEIGHT, palette=palette, pace=spec.pace
    )
    assert frame.dtype == np.uint8 and frame.shape == (HEIGHT, WIDTH, 4)
    control = CONTROL_DATA / scene / f"{name}.npz"
    if request.config.getoption("--set_test"):
        control.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(control, frame_data=frame)
        pytest.skip(f"wrote {control.relative_to(REPO)}")
    assert control.exists(), (
        f"no control data {control}: run with --set_test on purpose"
    )
    compare_frames(name, frame, control, request)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MID_CASES))
def test_frame_mid_replay_matches_control(
    name: str, request: pytest.FixtureRequest
) -> None:
    case, step = MID_CASES[name]
    scene = CASES[case][0]
    paths = sorted((CONTROL_DATA / scene).glob(f"{case}-run*.npz"))
    traces = [Trace.load(path) for path in paths]
    spec = SCENES[scene]
    frame = render_frame_at(
        spec.scene_class(), traces, WIDTH, HEIGHT, step, pace=spec.pace
    )
    control = CONTROL_DATA / scene / f"{name}.npz"
    if request.config.getoption("--set_test"):
        np.savez_compressed(control, frame_data=frame)
        pytest.skip(f"wrote {control.relative_to(REPO)}")
    assert control.exists(), f"no control data {control}: run with --set_test"
    compare_frames(name, frame, control, request)
