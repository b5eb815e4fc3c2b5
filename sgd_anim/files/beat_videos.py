"""A scene rendered once as one video per beat, each with its last frame: a deck's slides.

The clip is drawn and encoded as a video file is (encoder.py: the streaming renderer,
one pass, frames copied once), but at each beat boundary (the scene's `pause`) the
encoder finishes its file and opens the next one. Each beat's video then starts on a
keyframe and holds exactly the frames that beat shows in the clip, and its last frame,
kept from memory as a PNG, is its poster: nothing is decoded again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from manim import config, tempconfig
from PIL import Image

from scenes.replay import ReplayScene
from scenes.theme import DARK, Palette
from sgd_anim.files.encoder import StreamingFileWriter, StreamingRenderer
from sgd_anim.files.export import QUALITIES, remux_faststart
from sgdcore.trace import Trace

POSTER_COMPRESSION = (
    1  # zlib level of the posters: flat frames, fastest is small enough
)


@dataclass(frozen=True)
class BeatVideo:
    """One beat of a scene as a slide: its video, its last frame, what is said."""

    video: Path
    poster: Path  # PNG of the video's last frame
    notes: str  # the beat's sentence, for the speaker
    caption: str  # the caption shown during the beat
    frames: int  # how many frames the beat lasts (its video's frame count)


@dataclass(frozen=True)
class SceneBeats:
    """A scene rendered beat by beat."""

    heading: str  # the scene's title
    beats: list[BeatVideo]
    resolution: tuple[int, int]  # width, height in pixels


class BeatFileWriter(StreamingFileWriter):
    """A StreamingFileWriter that starts a new file at each `start_beat`."""

    # Where the beats' videos and posters go; set before rendering
    folder: Path = Path()
    stem: str = "beat"  # their names: STEM_000.mp4, STEM_000.png, ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.videos: list[tuple[Path, Path]] = []  # (video, poster) of each beat
        self.last_frame: npt.NDArray[np.uint8] | None = None

    def start_beat(self) -> None:
        """Finish the beat being written (if any); the next frames open a new file."""
        self.end_beat()
        name = f"{self.stem}_{len(self.videos):03d}.mp4"
        self.movie_file_path = self.folder / "encoded" / name

    def write_frame(self, frame_or_renderer: Any, num_frames: int = 1) -> None:
        """Hand the frame to the encoder and remember it: it may end the beat.

        The frame is the camera's own pixels, which nothing draws into again before
        the next beat's first frame: the poster is taken before then, without a copy.
        """
        super().write_frame(frame_or_renderer, num_frames)
        self.last_frame = frame_or_renderer

    def end_beat(self) -> None:
        """Close the beat's file and write its last frame as its poster."""
        if self.encoder is None:
            return
        super().finish()
        encoded = Path(self.movie_file_path)
        video = self.folder / encoded.name
        remux_faststart(encoded, video)  # its index first: a browser plays it at once
        encoded.unlink()
        poster = video.with_suffix(".png")
        image = Image.fromarray(np.asarray(self.last_frame), "RGBA").convert("RGB")
        image.save(poster, format="PNG", compress_level=POSTER_COMPRESSION)
        self.videos.append((video, poster))

    def finish(self) -> None:
        """The last beat ends with the scene."""
        self.end_beat()


def beat_scene_class(scene_class: type[ReplayScene]) -> type[ReplayScene]:
    """`scene_class` for a deck: no intro, and a new file at each beat's pause."""

    def pause(self: ReplayScene, sentence: str = "") -> None:
        cast(BeatFileWriter, self.renderer.file_writer).start_beat()

    attributes = {"in_slides": True, "pause": pause}
    return type(f"{scene_class.__name__}Deck", (scene_class,), attributes)


def render_beats(
    scene_class: type[ReplayScene],
    traces: list[Trace],
    folder: Path,
    quality: str = "high",
    palette: Palette = DARK,
    pace: float = 1.0,
) -> SceneBeats:
    """Render the scene once into `folder` as one video (and poster) per beat."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = {
        "quality": QUALITIES[quality],
        "media_dir": str(folder / "media"),
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
        "write_to_movie": True,
    }
    with tempconfig(settings):
        renderer = StreamingRenderer(
            file_writer_class=BeatFileWriter, camera_class=scene_class.renderer_camera
        )
        scene = beat_scene_class(scene_class)(
            *traces, renderer=renderer, palette=palette, pace=pace
        )
        writer = cast(BeatFileWriter, renderer.file_writer)
        writer.folder, writer.stem = folder, scene_class.__name__
        try:
            scene.render()
        except BaseException:
            writer.abort()
            raise
        resolution = (config.pixel_width, config.pixel_height)
    schedule = scene.schedule
    assert schedule is not None  # replay() planned it
    videos = writer.videos
    if len(videos) != len(schedule.beats):
        raise RuntimeError(
            f"{scene_class.__name__}: {len(schedule.beats)} beats "
            f"but {len(videos)} videos written"
        )
    beats = [
        BeatVideo(video, poster, beat.sentence, caption, beat.frames)
        for (video, poster), beat, caption in zip(
            videos, schedule.beats, schedule.captions(), strict=True
        )
    ]
    return SceneBeats(scene.heading, beats, resolution)
