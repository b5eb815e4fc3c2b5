"""Stream a scene's frames straight into one video file, cheaper than Manim's own path.

Manim 0.21 writes one partial movie per `play`, builds a fresh `av.VideoFrame` from
every RGBA array (13 ms at 1080p, more than the colour conversion itself) and converts
every repeated frame of a `wait()` again. Here one RGBA frame buffer is reused, each
distinct frame is converted once, and repeats are only re-encoded (scenes/formats.py).
"""

from __future__ import annotations

import threading
from pathlib import Path
from queue import Queue
from typing import Any

import numpy as np
import numpy.typing as npt
from manim import config
from manim.scene.scene_file_writer import SceneFileWriter

from scenes.formats import FORMATS, VideoFormat, open_writer

QUEUE_FRAMES = 8  # frames waiting for the encoder; bounds memory (8 MB each at 1080p)


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
        self.queue: Queue[tuple[npt.NDArray[np.uint8], int] | None] = Queue(QUEUE_FRAMES)
        self.thread = threading.Thread(target=self._work, name="frame-encoder", daemon=True)
        self.thread.start()

    def put(self, frame: npt.NDArray[np.uint8], repeats: int) -> None:
        """Queue `frame` (an RGBA array this encoder may keep) to be shown `repeats` times."""
        if self.error is not None:
            raise self.error
        self.queue.put((frame, repeats))

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
        except BaseException as error:  # surfaced to the rendering thread
            self.error = error
            while self.queue.get() is not None:  # drain so put() never blocks forever
                pass
        finally:
            try:
                self.writer.close()
            except BaseException as error:
                self.error = self.error or error


class StreamingFileWriter(SceneFileWriter):
    """A SceneFileWriter that streams every frame into `movie_file_path` directly."""

    encoder: FrameEncoder | None = None
    video_format: VideoFormat = FORMATS["mp4"]  # set by scenes.export before rendering
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
        """Hand a frame (and how many times it shows) to the encoder."""
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
            try:
                encoder.close()
            except Exception:  # the render's own error is the one to report
                pass
