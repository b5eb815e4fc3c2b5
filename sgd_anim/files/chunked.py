"""An mp4 drawn and coded in chunks, all of a clip's frames or one run of them.

The ChunkFileWriter codes each chunk of frames (sgd_anim/files/segments.py) into a
file of its own with a fresh encoder. The SegmentRenderer counts frames: it plays the
whole scene, as one process rendering the whole clip would, but draws and hands over
only the frames of its part, and ends the scene after that part's last frame.

Every frame depends on the step clock alone, so a frame before the part's first need
not be drawn: only its updaters run, as they would have, in the same order. Cameras
keep some of what they drew last (scenes/camera.py: a mesh layer pre-faded the second
time the same view is painted), so the frame just before the part is drawn too, and
discarded.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from manim import Mobject, Scene, config
from manim.utils.exceptions import EndSceneEarlyException

from sgd_anim.files.encoder import (
    FrameEncoder,
    StreamingFileWriter,
    StreamingRenderer,
)
from sgd_anim.files.segments import CHUNK_FRAMES, chunk_name, split_frames

EVERY_FRAME = range(sys.maxsize)  # a process rendering the whole clip


class ChunkFileWriter(StreamingFileWriter):
    """A StreamingFileWriter that codes the frames of `part` in chunk files.

    Every frame of the clip passes through `write_frame`, counted; those outside
    `part` are dropped.
    """

    folder: Path = Path()  # where the chunk files go; set before rendering
    # Which part of how many this process renders; set before rendering. Part 0 of 1:
    # the whole clip.
    part: tuple[int, int] = (0, 1)
    chunk_frames: int = CHUNK_FRAMES  # the same for every part of a clip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frame_index = 0  # frames of the clip passed so far, written or not
        self.frames: range | None = None  # known once the scene has planned its beats
        self.chunk = -1  # the chunk being coded

    def plan(self, total: int) -> range:
        """This process's frames of a clip of `total` frames (empty: none)."""
        index, jobs = self.part
        if jobs == 1:
            self.frames = EVERY_FRAME
        else:
            parts = split_frames(total, jobs, self.chunk_frames)
            self.frames = parts[index] if index < len(parts) else range(0)
        return self.frames

    def begin_animation(self, allow_write: bool = False, file_path: Any = None) -> None:
        """Chunks open as their first frames come (write_frame)."""

    def write_frame(self, frame_or_renderer: Any, num_frames: int = 1) -> None:
        """Count the frame `num_frames` times; code the counts that fall in the part."""
        frames = self.frames if self.frames is not None else EVERY_FRAME
        first = max(self.frame_index, frames.start)
        self.frame_index += num_frames
        end = min(self.frame_index, frames.stop)
        while first < end:
            chunk = first // self.chunk_frames
            if chunk != self.chunk:
                self.open_chunk(chunk)
            shown = min(end, (chunk + 1) * self.chunk_frames) - first
            super().write_frame(frame_or_renderer, shown)
            first += shown

    def open_chunk(self, chunk: int) -> None:
        """Finish the chunk being coded and start coding `chunk` into its own file."""
        self.finish()
        self.chunk = chunk
        self.folder.mkdir(parents=True, exist_ok=True)
        self.encoder = FrameEncoder(
            self.folder / chunk_name(chunk),
            config.pixel_width,
            config.pixel_height,
            config.frame_rate,
            self.video_format,
            self.alpha,
        )


class SegmentRenderer(StreamingRenderer):
    """A StreamingRenderer that draws only the frames its ChunkFileWriter codes (and
    the one before them), and ends the scene after them."""

    def play(self, scene: Scene, *args: Any, **kwargs: Any) -> None:
        writer = self.chunk_writer
        frames = writer.frames
        if frames is None:  # the first play: the beats are planned by now
            schedule = getattr(scene, "schedule", None)
            if schedule is None:
                raise RuntimeError(f"{type(scene).__name__} played before planning")
            frames = writer.plan(schedule.frames)
            if not frames:
                raise NothingToRender
        if writer.frame_index >= frames.stop:
            raise EndSceneEarlyException
        super().play(scene, *args, **kwargs)

    def render(
        self,
        scene: Scene,
        time: float,
        moving_mobjects: Iterable[Mobject] | None = None,
    ) -> None:
        writer = self.chunk_writer
        frames = writer.frames if writer.frames is not None else EVERY_FRAME
        index = writer.frame_index
        if index >= frames.stop:
            raise EndSceneEarlyException
        if index + 1 >= frames.start:  # the frame before the part's first is drawn too
            self.update_frame(scene, moving_mobjects)
        self.add_frame(self.camera.pixel_array)

    @property
    def chunk_writer(self) -> ChunkFileWriter:
        """The writer, which counts the frames."""
        return cast(ChunkFileWriter, self.file_writer)


class NothingToRender(Exception):
    """The clip has fewer parts than processes: this one has none."""
