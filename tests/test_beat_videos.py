"""A deck's slides: the clip rendered once, cut into a video per beat at its boundaries."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from scenes.replay import ReplayScene
from sgd_anim.files.beat_videos import SceneBeats, render_beats
from sgd_anim.files.export import render_scene
from sgd_anim.registry import SCENES

# Two x264 encodes (crf 23) of the same picture differ by at most ~40 levels in any
# pixel (on sharp edges); frames a step apart on a moving beat, by 200 and more
SAME_PICTURE = 64  # the largest per-pixel difference, 0..255 levels
POSTER_MEAN = 3.0  # a lossless frame against its encoding: mean absolute difference


def frames_of(video: Path) -> Iterator[npt.NDArray[np.int16]]:
    """The frames of `video`, RGB, one at a time."""
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="rgb24").astype(np.int16)


def decoded(video: Path) -> list[npt.NDArray[np.int16]]:
    """Every frame of `video`, RGB."""
    return list(frames_of(video))


def difference(a: npt.NDArray[np.int16], b: npt.NDArray[np.int16]) -> int:
    """The largest difference of any pixel's channel between two RGB frames."""
    return int(np.abs(a - b).max())


@pytest.fixture(scope="module")
def lr_too_high(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[SceneBeats, Path, list[int], list[str]]:
    """lr_too_high at low quality: as a deck's beats, and as the mp4 with the beats'
    frame counts and names."""
    folder = tmp_path_factory.mktemp("beats")
    spec = SCENES["lr_too_high"]
    traces = spec.train()
    beats = render_beats(
        spec.scene_class(), traces, folder / "deck", "low", pace=spec.pace
    )
    planned: list[ReplayScene] = []
    render_scene(
        spec.scene_class(),
        traces,
        folder / "clip.mp4",
        "low",
        progress=False,
        inspect=planned.append,
        pace=spec.pace,
    )
    (scene,) = planned
    assert scene.schedule is not None
    frames = [beat.frames for beat in scene.schedule.beats]
    names = [beat.name for beat in scene.schedule.beats]
    return beats, folder / "clip.mp4", frames, names


@pytest.mark.slow
def test_each_beat_video_holds_exactly_its_beats_frames(
    lr_too_high: tuple[SceneBeats, Path, list[int], list[str]],
) -> None:
    deck, _, clip_frames, clip_names = lr_too_high
    counts = [len(decoded(beat.video)) for beat in deck.beats]
    assert counts == [beat.frames for beat in deck.beats]
    # The deck opens on the start, not on the clip's title fading in; after that
    # opening hold, its beats are the clip's
    assert clip_names[0] == "intro" and len(deck.beats) == len(clip_names) - 1
    assert counts[1:] == clip_frames[2:]


@pytest.mark.slow
def test_each_beat_video_shows_the_clips_frames_from_the_beats_start(
    lr_too_high: tuple[SceneBeats, Path, list[int], list[str]],
) -> None:
    deck, clip, clip_frames, _ = lr_too_high
    clip_decoded = frames_of(clip)
    # The clip's title fades in; the deck opens on the opening hold's picture
    starts = np.cumsum([0, *clip_frames])
    opening_start, first_move = int(starts[1]), int(starts[2])
    opening = next(islice(clip_decoded, opening_start, None))
    assert difference(decoded(deck.beats[0].video)[0], opening) < SAME_PICTURE
    # From there on, frame for frame: each slide starts where its beat does
    rest = islice(clip_decoded, first_move - opening_start - 1, None)
    compared = 0
    for index, beat in enumerate(deck.beats[1:], start=1):
        for position, frame in enumerate(frames_of(beat.video)):
            gap = difference(frame, next(rest))
            assert gap < SAME_PICTURE, f"slide {index}, frame {position}: {gap} off"
            compared += 1
    assert next(rest, None) is None  # and the slides end where the clip does
    assert compared == sum(beat.frames for beat in deck.beats[1:])


@pytest.mark.slow
def test_a_cut_one_frame_off_would_be_seen(
    lr_too_high: tuple[SceneBeats, Path, list[int], list[str]],
) -> None:
    deck, clip, clip_frames, _ = lr_too_high
    # The first steps start moving at once: their first frame is not the one before
    start = int(np.cumsum(clip_frames)[1])
    before = next(islice(frames_of(clip), start - 1, None))
    first = decoded(deck.beats[1].video)[0]
    assert difference(first, before) > 2 * SAME_PICTURE


@pytest.mark.slow
def test_each_poster_is_its_beats_last_frame(
    lr_too_high: tuple[SceneBeats, Path, list[int], list[str]],
) -> None:
    deck, *_ = lr_too_high
    moving = 0
    for index, beat in enumerate(deck.beats):
        poster = np.asarray(Image.open(beat.poster).convert("RGB"), dtype=np.int16)
        frames = decoded(beat.video)
        assert poster.shape == frames[-1].shape
        # the poster is lossless, the video's colours half-resolution: compared on
        # average, as an x264 frame's thin coloured lines differ from the source
        to_last = float(np.abs(poster - frames[-1]).mean())
        to_first = float(np.abs(poster - frames[0]).mean())
        assert to_last < POSTER_MEAN, f"slide {index}: {to_last:.2f} off its last frame"
        if difference(frames[0], frames[-1]) > SAME_PICTURE:
            assert to_last < to_first, f"slide {index}: nearer its first frame"
            moving += 1
    assert moving >= 3  # the first steps, the rest, the overshoots
