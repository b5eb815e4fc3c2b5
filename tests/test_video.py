"""Rendered files: decoded with PyAV and checked (failed and killed renders:
test_interrupts.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from sgdcore.trace import load_runs
from tests.conftest import REPO
from tests.planned import plan_scene, planned_frames

PYTHON = sys.executable
LOW_FPS = 15


def top_level_boxes(path: Path) -> list[str]:
    """The names of an mp4's top-level boxes, in file order."""
    data, boxes, offset = path.read_bytes(), [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        boxes.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        if size < 8:
            break
        offset += size
    return boxes


def render(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run render.py in a subprocess, as a user would."""
    command = [PYTHON, str(REPO / "render.py"), *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_low_quality_render_is_h264_yuv420p_with_expected_frames(
    tmp_path: Path,
) -> None:
    steps = 10
    result = render(
        "--scene", "fit_line", "--quality", "low", "--steps", str(steps),
        "--save-trace", "renders/run.npz", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    output = tmp_path / "renders" / "fit_line.mp4"
    assert result.stdout.strip().startswith(str(Path("renders") / "fit_line.mp4"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["renders"]
    assert sorted(p.name for p in output.parent.iterdir()) == [
        "fit_line.mp4",
        "run.npz",
    ]
    with av.open(str(output)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        # no B-frames, no CABAC: the profile every player and slide program decodes
        assert stream.codec_context.profile == "Constrained Baseline"
        frames = list(container.decode(stream))
    assert frames[0].format.name == "yuv420p"
    assert (frames[0].width, frames[0].height) == (854, 480)
    assert len(frames) == planned_frames("fit_line", output.parent / "run.npz")
    # No blank frames once the title has faded in: every frame has ink on it
    pixels = [frame.to_ndarray()[:480].astype(int) for frame in frames]
    assert all(
        image.std() > 5 for image in pixels[len(pixels) // 5 :: len(pixels) // 5]
    )
    # The opening hold (after the 1.2 s intro, as long as the plan gives it) is one
    # still picture
    beats = plan_scene("fit_line", list(load_runs(output.parent / "run.npz")), LOW_FPS)
    assert beats.schedule is not None
    intro, opening = (b.frames for b in beats.schedule.beats[:2])
    still = pixels[intro + 1 : intro + opening]  # (as still as H.264 keeps it)
    assert max(np.mean(np.abs(image - still[0]) > 8) for image in still) < 1e-3
    assert np.abs(pixels[intro + opening + 8] - still[0]).max() > 50  # then it moves
    boxes = top_level_boxes(output)
    assert boxes.index("moov") < boxes.index("mdat"), f"moov after mdat: {boxes}"


@pytest.mark.slow
def test_saved_trace_replays_to_the_same_numbers(tmp_path: Path) -> None:
    # The closing frames, drawn alone as PNGs (no clip played), compare exactly
    saved = tmp_path / "run.npz"
    common = ("--scene", "fit_line", "--quality", "low")
    first = render(
        *common, "--steps", "3", "--save-trace", str(saved), "-o", "a.png", cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr
    second = render(*common, "--trace", str(saved), "-o", "b.png", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    with Image.open(tmp_path / "a.png") as a, Image.open(tmp_path / "b.png") as b:
        last_a, last_b = np.asarray(a), np.asarray(b)
    assert last_a.shape[:2] == (480, 854)
    assert (last_a == last_b).all()


@pytest.mark.slow
@pytest.mark.parametrize(
    "scene", ["lr_too_high", "lr_too_low", "lr_just_right", "lr_compare"]
)
def test_quadratic_scene_renders_decodable_video(tmp_path: Path, scene: str) -> None:
    steps = 3
    result = render(
        "--scene", scene, "--quality", "low", "--steps", str(steps),
        "--save-trace", "run.npz", "-o", "clip.mp4", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with av.open(str(tmp_path / "clip.mp4")) as container:
        frames = list(container.decode(video=0))
    assert (frames[0].width, frames[0].height) == (854, 480)
    assert len(frames) == planned_frames(scene, tmp_path / "run.npz")


@pytest.mark.slow
def test_trace_that_diverged_on_step_one_still_renders(tmp_path: Path) -> None:
    result = render(
        "--scene",
        "lr_too_high",
        "--quality",
        "low",
        "--lr",
        "1e6",
        "--save-trace",
        "run.npz",
        "-o",
        "clip.mp4",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    from sgdcore.trace import Trace

    trace = Trace.load(tmp_path / "run.npz")
    assert trace.diverged_at == 1 and trace.n_steps == 1
    with av.open(str(tmp_path / "clip.mp4")) as container:
        assert sum(1 for _ in container.decode(video=0)) > 0


@pytest.mark.slow
def test_lr_compare_saves_its_three_runs_in_one_file(tmp_path: Path) -> None:
    result = render(
        "--scene",
        "lr_compare",
        "--quality",
        "low",
        "--steps",
        "2",
        "--save-trace",
        "run.npz",
        "-o",
        "clip.mp4",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    from sgdcore.config import JUST_RIGHT, TOO_HIGH, TOO_LOW
    from sgdcore.trace import load_runs

    rates = [trace.learning_rate for trace in load_runs(tmp_path / "run.npz")]
    assert rates == [
        TOO_LOW.learning_rate,
        JUST_RIGHT.learning_rate,
        TOO_HIGH.learning_rate,
    ]


@pytest.mark.slow
def test_minibatch_renders_one_epoch(tmp_path: Path) -> None:
    result = render(
        "--scene",
        "minibatch",
        "--quality",
        "low",
        "--epochs",
        "1",
        "--save-trace",
        "run.npz",
        "-o",
        "clip.mp4",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    from sgdcore.trace import load_runs

    sgd, gd = load_runs(tmp_path / "run.npz")
    assert sgd.n_steps == gd.n_steps == 10 and sgd.meta["batch_size"] == 10
    with av.open(str(tmp_path / "clip.mp4")) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == planned_frames("minibatch", tmp_path / "run.npz")


@pytest.mark.slow
@pytest.mark.parametrize("scene", ["landscape", "surface_3d"])
def test_loss_surface_scenes_render_decodable_video(tmp_path: Path, scene: str) -> None:
    steps = 8
    result = render(
        "--scene", scene, "--quality", "low", "--steps", str(steps),
        "--save-trace", "run.npz", "-o", "clip.mp4", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with av.open(str(tmp_path / "clip.mp4")) as container:
        frames = list(container.decode(video=0))
    assert (frames[0].width, frames[0].height) == (854, 480)
    assert len(frames) == planned_frames(scene, tmp_path / "run.npz")


@pytest.mark.slow
def test_optimizers_shows_the_chosen_ones(tmp_path: Path) -> None:
    result = render(
        "--scene",
        "optimizers",
        "--quality",
        "low",
        "--steps",
        "6",
        "--optimizers",
        "gd,adam",
        "--save-trace",
        "run.npz",
        "-o",
        "clip.mp4",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    from sgdcore.trace import load_runs

    names = [trace.meta["optimizer"] for trace in load_runs(tmp_path / "run.npz")]
    assert names == ["gd", "adam"]
    with av.open(str(tmp_path / "clip.mp4")) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == planned_frames("optimizers", tmp_path / "run.npz")


@pytest.mark.slow
def test_minibatch_takes_a_learning_rate(tmp_path: Path) -> None:
    result = render(
        "--scene",
        "minibatch",
        "--quality",
        "low",
        "--epochs",
        "1",
        "--lr",
        "0.3",
        "--format",
        "png",
        "--save-trace",
        "run.npz",
        "-o",
        "still.png",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    from sgdcore.trace import load_runs

    # the ghost GD run too
    assert [trace.learning_rate for trace in load_runs(tmp_path / "run.npz")] == [
        0.3,
        0.3,
    ]
