"""A PNG is the clip's closing frame, drawn alone: no beat is played to reach it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from scenes.replay import ReplayScene
from sgd_anim.files.encoder import StreamingRenderer
from sgd_anim.files.export import render_last_frame, render_scene
from sgd_anim.registry import SCENES
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA

WIDTH, HEIGHT = 427, 240
# H.264 in yuv420p rounds colours and halves chroma resolution: the mp4's last frame
# is the PNG give or take that, which on these flat frames stays above this PSNR
LEAST_PSNR_DB = 30.0
# The bound tells frames apart: against fit_line's first frame the PNG measures 16 dB,
# against its last 36 dB


def committed_runs(scene: str) -> list[Trace]:
    """The runs of the scene's first golden-frame case (committed, short)."""
    paths = sorted((CONTROL_DATA / scene).glob("*-run*.npz"))
    first_case = paths[0].name.split("-run")[0]
    return [Trace.load(path) for path in paths if path.name.startswith(first_case)]


def psnr(a: npt.NDArray[np.uint8], b: npt.NDArray[np.uint8]) -> float:
    """Peak signal-to-noise ratio of two RGB images, in dB."""
    error = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / max(error, 1e-12)))


def decoded_frames(video: Path) -> list[npt.NDArray[np.uint8]]:
    """Every frame of `video`, RGB."""
    with av.open(str(video)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


@pytest.mark.slow
def test_png_is_the_last_frame_of_the_mp4(tmp_path: Path) -> None:
    spec, traces = SCENES["fit_line"], committed_runs("fit_line")
    for fmt in ("mp4", "png"):
        render_scene(
            spec.scene_class(),
            traces,
            tmp_path / f"clip.{fmt}",
            "low",
            progress=False,
            fmt=fmt,
            pace=spec.pace,
        )
    frames = decoded_frames(tmp_path / "clip.mp4")
    with Image.open(tmp_path / "clip.png") as image:
        still = np.asarray(image.convert("RGB"))
    assert still.shape == frames[-1].shape == (480, 854, 3)
    assert psnr(still, frames[-1]) >= LEAST_PSNR_DB
    # ... and the bound tells frames apart: the first is nowhere near it
    assert psnr(still, frames[0]) < LEAST_PSNR_DB - 10


@pytest.mark.slow
@pytest.mark.parametrize("scene", list(SCENES))
def test_the_closing_frame_drawn_alone_is_the_played_one(scene: str) -> None:
    spec, traces = SCENES[scene], committed_runs(scene)
    frames = [
        render_last_frame(
            spec.scene_class(), traces, WIDTH, HEIGHT, play=play, pace=spec.pace
        )
        for play in (True, False)
    ]
    np.testing.assert_array_equal(frames[1], frames[0])


def test_png_draws_one_frame_and_plays_no_beat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[int] = []
    update_frame = StreamingRenderer.update_frame

    def counted(self: StreamingRenderer, *args: Any, **kwargs: Any) -> None:
        drawn.append(1)
        update_frame(self, *args, **kwargs)

    monkeypatch.setattr(StreamingRenderer, "update_frame", counted)
    plays: list[int] = []

    def inspect(scene: ReplayScene) -> None:
        plays.append(scene.renderer.num_plays)

    spec = SCENES["fit_line"]
    info = render_scene(
        spec.scene_class(),
        committed_runs("fit_line"),
        tmp_path / "still.png",
        "low",
        progress=False,
        fmt="png",
        inspect=inspect,
        pace=spec.pace,
    )
    assert (info.width, info.height, info.frames) == (854, 480, 1)
    assert plays == [0] and len(drawn) == 1
