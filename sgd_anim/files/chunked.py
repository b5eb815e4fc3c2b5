"""An mp4 drawn and coded in chunks, by one process or by several, each a part.

The ChunkFileWriter codes each chunk of frames (sgd_anim/files/segments.py) into a
file of its own with a fresh encoder. The SegmentRenderer counts frames and draws
and hands over only those of its process's part. With several parts, the process
built the scene and planned its beats once; at the first frame it forks a process for
the first part (sgd_anim/files/parts.py), then plays on without drawing, forking each
next part's process just before that part's first frame, and draws the last part
itself. Each forked process goes on from where it was forked, drawing its part, and
ends after its last frame. None builds the scene again, and the frames before a part
are played once, not once per part: a moving beat before them in one step, as Manim
skips an animation, unless the scene keeps history (`keeps_history`).

Every frame depends on the step clock alone, so a frame not drawn changes nothing
that a later frame shows: its updaters run, in order, as they would have. Cameras
keep some of what they drew last (scenes/camera.py: a mesh layer pre-faded the second
time the same view is painted), so each part draws the frame before its first too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple, cast

import numpy as np
import numpy.typing as npt
from manim import Mobject, Scene, config
from manim.utils.exceptions import EndSceneEarlyException

from scenes.beats import Beat
from scenes.dot_layer import DotLayer
from scenes.replay import ReplayScene
from sgd_anim.files import parts
from sgd_anim.files.encoder import FrameEncoder, StreamingFileWriter, StreamingRenderer
from sgd_anim.files.formats import FORMATS
from sgd_anim.files.segments import CHUNK_FRAMES, chunk_count, chunk_name, split_frames

EVERY_FRAME = range(sys.maxsize)  # before the beats are planned


class ChunkFileWriter(StreamingFileWriter):
    """A StreamingFileWriter that codes the frames of one part in chunk files.

    Every frame of the clip passes through `write_frame`, counted; those outside
    `frames` are dropped.
    """

    folder: Path = Path()  # where the chunk files go; set before rendering
    chunk_frames: int = CHUNK_FRAMES  # the same for every part of a clip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frame_index = 0  # frames of the clip passed so far, written or not
        self.frames = EVERY_FRAME  # this process's part
        self.part = 0  # which part it is
        self.chunk = -1  # the chunk being coded

    def begin_animation(self, allow_write: bool = False, file_path: Any = None) -> None:
        """Chunks open as their first frames come (write_frame)."""

    def write_frame(self, frame_or_renderer: Any, num_frames: int = 1) -> None:
        """Count the frame `num_frames` times; code the counts that fall in the part."""
        first = max(self.frame_index, self.frames.start)
        self.frame_index += num_frames
        end = min(self.frame_index, self.frames.stop)
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
        self.encoder = FrameEncoder(
            self.folder / chunk_name(chunk),
            config.pixel_width,
            config.pixel_height,
            config.frame_rate,
            self.video_format,
            self.alpha,
        )


class SegmentRenderer(StreamingRenderer):
    """A StreamingRenderer that draws only its part's frames (and the one before),
    forks a process for each other part, and ends the scene after its own."""

    def __init__(self, *args: Any, jobs: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.jobs = jobs
        self.parts: list[parts.Part] = []  # the processes forked, for the caller
        self.due: list[tuple[int, range]] = []  # parts not yet forked, in order
        self.forked = False  # whether this is a forked part's process
        self.total = 0  # the clip's frames, once planned
        # The clock's moving beats by their first frames: one before every frame this
        # process draws is played in one step (Manim's skipping: the updaters run
        # once, at its end). None when the scene keeps history.
        self.beats: dict[int, Beat] = {}

    def play(self, scene: Scene, *args: Any, **kwargs: Any) -> None:
        writer = self.chunk_writer
        if not self.total:  # the first play: the beats are planned by now
            schedule = getattr(scene, "schedule", None)
            if schedule is None:
                raise RuntimeError(f"{type(scene).__name__} played before planning")
            self.total = schedule.frames
            *self.due, (writer.part, writer.frames) = enumerate(
                split_frames(self.total, self.jobs, writer.chunk_frames)
            )
            if self.due and not keeps_history(scene):
                self.beats = moving_beats(schedule.beats)
        if writer.frame_index >= writer.frames.stop:
            raise EndSceneEarlyException
        skipped = self.skippable()
        self._original_skipping_status = skipped is not None
        try:
            super().play(scene, *args, **kwargs)
        finally:
            self._original_skipping_status = False
        if skipped is not None:
            played = len(np.arange(0, scene.duration, 1 / config.frame_rate))
            if played != skipped.frames:  # as Manim counts a play's frames
                raise RuntimeError(f"a beat of {skipped.frames} frames played {played}")
            writer.frame_index += skipped.frames

    def skippable(self) -> Beat | None:
        """The moving beat this play is, if none of its frames is one this process
        draws or forks a part at (the frame before a part's first)."""
        writer = self.chunk_writer
        beat = self.beats.get(writer.frame_index)
        if beat is None:
            return None
        starts = [writer.frames.start, *(frames.start for _, frames in self.due)]
        return beat if writer.frame_index + beat.frames < min(starts) else None

    def update_frame(self, *args: Any, **kwargs: Any) -> None:
        """Draw, unless the play is skipped (its static background, its held frame)."""
        if not self.skip_animations:
            super().update_frame(*args, **kwargs)

    def render(
        self,
        scene: Scene,
        time: float,
        moving_mobjects: Iterable[Mobject] | None = None,
    ) -> None:
        if self.skip_animations:  # a skipped beat's one step, to its end
            return
        writer = self.chunk_writer
        index = writer.frame_index
        self.start_parts(index + 1, scene)  # those whose frame before the first is this
        if index >= writer.frames.stop:
            raise EndSceneEarlyException
        if index + 1 >= writer.frames.start:  # the frame before the first is drawn too
            self.update_frame(scene, moving_mobjects)
        self.add_frame(self.camera.pixel_array)

    def freeze_current_frame(self, duration: float) -> None:
        """A held frame, drawn already, shown as long as Manim would."""
        held = int(duration / (1 / self.camera.frame_rate))  # as Manim counts them
        self.start_parts(self.chunk_writer.frame_index + held - 1, None)
        super().freeze_current_frame(duration)

    def start_parts(self, last: int, scene: Scene | None) -> None:
        """Fork the process of each part due that starts by frame `last`."""
        while self.due and self.due[0][1].start <= last:
            index, frames = self.due.pop(0)
            part = parts.fork_part(index)
            if part is not None:
                self.parts.append(part)
                continue
            # In the new process: from here on, it draws part `index`
            self.forked, self.due, self.parts = True, [], []
            self.chunk_writer.part, self.chunk_writer.frames = index, frames
            # Manim's own files (texts as SVG) apart: two processes writing one clash
            config.media_dir = str(self.chunk_writer.folder / f"media_{index}")
            config.progress_bar = "none"  # one bar: the parent's
            bar = getattr(scene, "time_progression", None)
            if bar is not None:
                bar.disable = True
            return

    @property
    def chunk_writer(self) -> ChunkFileWriter:
        """The writer, which counts the frames."""
        return cast(ChunkFileWriter, self.file_writer)


def keeps_history(scene: Scene) -> bool:
    """Whether some part of `scene` depends on more than its step: a DotLayer's dots,
    added step by step, are painted in the batches they came in."""
    movers = getattr(scene, "movers", [])
    return any(
        isinstance(mobject, DotLayer)
        for part in [*scene.mobjects, *movers]
        for mobject in part.get_family()
    )


def moving_beats(beats: Iterable[Beat]) -> dict[int, Beat]:
    """The beats in which the clock moves (one play each), by their first frames."""
    moving, start = {}, 0
    for beat in beats:
        if beat.moves and beat.name != "intro":
            moving[start] = beat
        start += beat.frames
    return moving


class DrawnClip(NamedTuple):
    """A clip drawn into chunk files: the scene, its last frame, its chunks in order."""

    scene: ReplayScene
    last_frame: npt.NDArray[np.uint8]
    chunks: list[Path]


def draw_chunks(
    make_scene: Callable[[SegmentRenderer], ReplayScene],
    camera_class: type[Any],
    folder: Path,
    jobs: int = 1,
) -> DrawnClip:
    """Draw the clip `make_scene` makes (given its renderer, which draws with
    `camera_class`) into chunk files in `folder`, in `jobs` processes at most; raise
    if any fails, with no process left running."""
    folder.mkdir(parents=True, exist_ok=True)
    renderer = SegmentRenderer(
        file_writer_class=ChunkFileWriter, camera_class=camera_class, jobs=jobs
    )
    scene = make_scene(renderer)
    writer = renderer.chunk_writer
    writer.video_format, writer.folder = FORMATS["mp4"], folder
    try:
        try:
            scene.render()
            writer.finish()  # (a part that ends in the play it began in is not closed)
        except BaseException as error:
            writer.abort()
            if renderer.forked:
                parts.exit_part(folder, writer.part, error)
            raise
        if renderer.forked:
            parts.exit_part(folder, writer.part)
        # This process drew the last part: its last frame is the clip's
        frame = np.array(renderer.get_frame(), dtype=np.uint8)
        parts.wait(renderer.parts, folder)
    finally:
        parts.stop(renderer.parts)
    chunks = sorted(folder.glob("chunk_*.mp4"))
    expected = chunk_count(renderer.total, writer.chunk_frames) if renderer.total else 0
    if len(chunks) != expected:
        raise RuntimeError(f"{len(chunks)} chunks coded of {expected}")
    return DrawnClip(scene, frame, chunks)
