"""The streaming H.264 encoder: frame counts, repeats, colours, and failures."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from sgd_anim.files.encoder import RING_FRAMES, FrameEncoder
from sgd_anim.files.formats import FORMATS

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
        frames = [
            frame.to_ndarray(format="rgb24") for frame in container.decode(stream)
        ]
    expected = [rgb for rgb, repeats in plan for _ in range(repeats)]
    assert len(frames) == len(expected) == 9
    for frame, rgb in zip(frames, expected, strict=True):
        np.testing.assert_allclose(
            frame.reshape(-1, 3).mean(axis=0), rgb, atol=COLOUR_ATOL
        )


def test_more_frames_than_buffers_keep_their_own_pixels(tmp_path: Path) -> None:
    # put() copies into a ring of reused buffers: every frame must come out as it was
    # put, even after its source array is overwritten and the ring has wrapped round.
    path = tmp_path / "clip.mp4"
    encoder = FrameEncoder(path, WIDTH, HEIGHT, FPS)
    shades = [(8 * k, 255 - 8 * k, (70 * k) % 256) for k in range(3 * RING_FRAMES)]
    source = np.empty((HEIGHT, WIDTH, 4), dtype=np.uint8)
    for rgb in shades:
        source[...] = (*rgb, 255)
        encoder.put(source, 1)
    source[...] = 0  # a put frame must not follow later changes to its source
    encoder.close()
    with av.open(str(path)) as container:
        frames = [
            frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)
        ]
    assert len(frames) == len(shades)
    for frame, rgb in zip(frames, shades, strict=True):
        np.testing.assert_allclose(
            frame.reshape(-1, 3).mean(axis=0), rgb, atol=COLOUR_ATOL
        )


def test_wrong_frame_size_is_refused_at_once(tmp_path: Path) -> None:
    encoder = FrameEncoder(tmp_path / "clip.mp4", WIDTH, HEIGHT, FPS)
    with pytest.raises(ValueError, match="shape"):
        encoder.put(np.zeros((HEIGHT + 1, WIDTH, 4), dtype=np.uint8), 1)
    encoder.close()


def test_encoder_failure_surfaces_on_close(tmp_path: Path) -> None:
    # H.264 in yuv420p needs even sides: libx264 refuses to open on the encoder thread
    encoder = FrameEncoder(tmp_path / "clip.mp4", WIDTH - 1, HEIGHT - 1, FPS)
    encoder.put(np.zeros((HEIGHT - 1, WIDTH - 1, 4), dtype=np.uint8), 1)
    encoder.drain()  # returns after a failure too: the failed frame counts as done
    with pytest.raises(av.error.ExternalError):
        encoder.close()


def test_drain_returns_once_every_queued_frame_is_written(tmp_path: Path) -> None:
    encoder = FrameEncoder(tmp_path / "clip.mp4", WIDTH, HEIGHT, FPS)
    for k in range(3 * RING_FRAMES):
        encoder.put(solid((k, k, k)), 2)
        if k % 7 == 0:
            encoder.drain()
            assert encoder.queue.empty()
            assert encoder.writer.frames_written == 2 * (k + 1)
    encoder.close()


@pytest.mark.parametrize(
    ("alpha", "profile", "pixel_format"),
    [(False, "HQ", "yuv422p10le"), (True, "4444", "yuva444p12le")],
)
def test_prores_repeats_are_whole_frames_at_their_own_times(
    tmp_path: Path, alpha: bool, profile: str, pixel_format: str
) -> None:
    # A repeat in ProRes is the same packet again: each must decode to the frame put,
    # at consecutive timestamps, and the file must last exactly its frames.
    path = tmp_path / "clip.mov"
    encoder = FrameEncoder(path, WIDTH, HEIGHT, FPS, FORMATS["mov"], alpha)
    plan = [
        ((200, 40, 40), 4),
        ((40, 200, 40), 1),
        ((40, 40, 200), 6),
        ((90, 90, 0), 2),
    ]
    opacity = 100 if alpha else 255
    for rgb, repeats in plan:
        frame = solid(rgb)
        frame[..., 3] = opacity
        encoder.put(frame, repeats)
    encoder.close()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "prores"
        assert stream.codec_context.profile == profile
        decoded = list(container.decode(stream))
        assert stream.duration is not None
        seconds = stream.duration * stream.time_base
    expected = [rgb for rgb, repeats in plan for _ in range(repeats)]
    assert len(decoded) == len(expected) == 13 == seconds * FPS
    assert decoded[0].format.name == pixel_format
    times = [frame.time for frame in decoded]
    assert times == pytest.approx([k / FPS for k in range(len(expected))])
    for frame, rgb in zip(decoded, expected, strict=True):
        pixels = frame.to_ndarray(format="rgba").reshape(-1, 4)
        np.testing.assert_allclose(pixels.mean(axis=0), (*rgb, opacity), atol=3)
