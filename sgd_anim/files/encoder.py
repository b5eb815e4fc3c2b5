"""Stream a scene's frames straight into one video file, cheaper than Manim's own path.

Manim 0.21 copies every finished frame (`get_frame`), writes one partial movie per
`play`, builds a fresh `av.VideoFrame` from every RGBA array (13 ms at 1080p, more than
the colour conversion itself) and converts every repeated frame of a `wait()` again.
Here the camera's pixels are copied once, straight into one of a ring of reusable
`av.VideoFrame`s, each distinct frame is converted once, and repeats are only
re-encoded (scenes/formats.py).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from pathlib import Path
from queue import Queue
from typing import Any

import av
import numpy as np
import numpy.typing as npt
from manim import Mobject, Scene, config
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter

from sgd_anim.files.formats import FORMATS, VideoFormat, open_writer, rgba_frame

QUEUE_FRAMES = 8  # frames waiting for the encoder; bounds memory (8 MB each at 1080p)
# Buffers in flight: up to QUEUE_FRAMES queued plus the one being encoded. One more
# than that is always free to fill.
RING_FRAMES = QUEUE_FRAMES + 2
ENCODER_THREAD = "frame-encoder"  # the background thread's name


class FrameEncoder:
    """Encode RGBA frames into one file of a given format, on a background thread."""

    def __init__(
        self,
        path: Path,
        width: int,
        height: int,
        fps: float,
        fmt: VideoFormat = FORMATS["mp4"],
        alpha: bool = False,
    ) -> None:
        self.writer = open_writer(path, width, height, fps, fmt, alpha)
        self.error: BaseException | None = None
        self.ring = [rgba_frame(width, height) for _ in range(RING_FRAMES)]
        self.next_buffer = 0
        self.queue: Queue[tuple[av.VideoFrame, int] | None] = Queue(QUEUE_FRAMES)
        self.thread = threading.Thread(
            target=self._work, name=ENCODER_THREAD, daemon=True
        )
        self.thread.start()

    def put(self, frame: npt.NDArray[np.uint8], repeats: int) -> None:
        """Queue a copy of `frame` (RGBA, height x width x 4) to be shown `repeats` times.

        The pixels are copied before this returns, so the caller may draw the next frame
        into the same array at once.
        """
        if self.error is not None:
            raise self.error
        image, pixels = self.ring[self.next_buffer]
        if np.shape(frame) != pixels.shape:
            raise ValueError(
                f"frame of shape {np.shape(frame)}, expected {pixels.shape}"
            )
        np.copyto(pixels, frame)
        self.next_buffer = (self.next_buffer + 1) % RING_FRAMES
        self.queue.put((image, repeats))

    def drain(self) -> None:
        """Wait until every queued frame has gone to the codec (which may still be
        coding the last few on its own threads)."""
        self.queue.join()

    def close(self) -> None:
        """Flush the encoder and close the file; re-raise a failure from the thread."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def _work(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                self.writer.write(*item)
                self.queue.task_done()
            self.queue.task_done()
        except BaseException as error:  # surfaced to the rendering thread
            self.error = error
            self.queue.task_done()
            while self.queue.get() is not None:  # drain so put() never blocks forever
                self.queue.task_done()
            self.queue.task_done()
        finally:
            try:
                self.writer.close()
            except BaseException as error:
                self.error = self.error or error


class StreamingRenderer(CairoRenderer):
    """Manim's Cairo renderer, minus a copy: each frame goes to the writer as drawn.

    `CairoRenderer.render` hands the writer `get_frame()`, a fresh copy of the camera's
    pixels (1.2 ms at 1080p). The StreamingFileWriter copies them into the encoder's
    ring before it returns, so it gets the live array instead; anything that calls
    `get_frame()` still gets a copy (Manim keeps an animation's static background so).
    """

    def render(
        self,
        scene: Scene,
        time: float,
        moving_mobjects: Iterable[Mobject] | None = None,
    ) -> None:
        if not isinstance(self.file_writer, StreamingFileWriter):
            super().render(scene, time, moving_mobjects)
            return
        self.update_frame(scene, moving_mobjects)
        self.add_frame(self.camera.pixel_array)


class StreamingFileWriter(SceneFileWriter):
    """A SceneFileWriter that streams every frame into `movie_file_path` directly."""

    encoder: FrameEncoder | None = None
    video_format: VideoFormat = FORMATS[
        "mp4"
    ]  # set by sgd_anim.files.export before rendering
    alpha: bool = False

    def begin_animation(self, allow_write: bool = False, file_path: Any = None) -> None:
        """Open the one output stream at the first animation."""
        if config.write_to_movie and allow_write and self.encoder is None:
            path = Path(self.movie_file_path)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.encoder = FrameEncoder(
                path,
                config.pixel_width,
                config.pixel_height,
                config.frame_rate,
                self.video_format,
                self.alpha,
            )

    def end_animation(self, allow_write: bool = False) -> None:
        """Nothing to close between animations: the stream runs on."""

    def write_frame(self, frame_or_renderer: Any, num_frames: int = 1) -> None:
        """Hand a frame (and how many times it shows) to the encoder, which copies it."""
        if self.encoder is not None:
            self.encoder.put(np.asarray(frame_or_renderer), num_frames)

    def finish(self) -> None:
        """Close the stream; the movie is complete at `movie_file_path`."""
        if self.encoder is not None:
            encoder, self.encoder = self.encoder, None
            encoder.close()

    def abort(self) -> None:
        """Stop the encoder thread after a failed render; its partial file is discarded."""
        if self.encoder is not None:
            encoder, self.encoder = self.encoder, None
            with contextlib.suppress(Exception):  # the render's own error is reported
                encoder.close()
