"""The streaming H.264 encoder: frame counts, repeats, colours, and failures."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from scenes.encoder import FrameEncoder

WIDTH, HEIGHT, FPS = 64, 48, 15
COLOUR_ATOL = 6  # yuv420p rounding on flat colour


def solid(rgb: tuple[int, int, int]) -> np.ndarray:
    """A flat RGBA frame."""
    frame = np.empty((HEIGHT, WIDTH, 4), dtype=np.uint8)
    frame[...] = (*rgb, 255)
    return frame


def test_repeats_and_order_survive_encoding(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    encoder = FrameEncoder(path, WIDTH, HEIGHT, FPS)
    plan = [((200, 40, 40), 3), ((40, 200, 40), 1), ((40, 40, 200), 5)]
    for rgb, repeats in plan:
        encoder.put(solid(rgb), repeats)
    encoder.close()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(stream)]
    expected = [rgb for rgb, repeats in plan for _ in range(repeats)]
    assert len(frames) == len(expected) == 9
    for frame, rgb in zip(frames, expected):
        np.testing.assert_allclose(frame.reshape(-1, 3).mean(axis=0), rgb, atol=COLOUR_ATOL)


def test_encoder_failure_surfaces_on_close(tmp_path: Path) -> None:
    encoder = FrameEncoder(tmp_path / "clip.mp4", WIDTH, HEIGHT, FPS)
    encoder.put(np.zeros((HEIGHT + 1, WIDTH, 4), dtype=np.uint8), 1)  # wrong size
    with pytest.raises(ValueError):
        encoder.close()
