"""Output formats: what each container gets, and the writers that make them.

mp4 (H.264, yuv420p) plays in PowerPoint, Keynote and browsers; webm is VP9 and can
carry alpha; mov is ProRes for editors: 422 HQ (fourcc apch) when opaque, 4444 (ap4h)
with an alpha plane when transparent. Final Cut Pro edits ProRes natively and reads a
4444 file's alpha; Premiere Pro imports every ProRes profile, 4444's alpha included, on
macOS and Windows. (Manim's own transparent mov is QuickTime Animation, which Premiere
refuses.) gif gets a palette computed from the clip itself and loops forever.
Pure PyAV and numpy: no manim import.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import av
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from sgd_anim.files.gif import GifWriter

# x264 settings. crf 23 is Manim's quality. "ultrafast" is what lets 1080p60 render
# faster than real time on two cores (x264 time per frame: medium 17 ms, veryfast 13,
# superfast 9, ultrafast 7); on these flat, sharp-edged frames it stays within 43-45 dB
# PSNR of the default preset. No "animation" tuning: on top of ultrafast it only adds
# two B-frames, which cost 15-20% more x264 time for a file 9-28% smaller (fit_line's
# 10 s at 1080p60: 2.4 MB without, 1.7 MB with); without them the stream is Constrained
# Baseline, which every player takes.
H264_OPTIONS = {"crf": "23", "preset": "ultrafast"}
# VP9 in constant-quality mode, at libvpx's fastest settings (12 ms a 720p frame here).
VP9_OPTIONS = {
    "crf": "32",
    "b": "0",
    "deadline": "realtime",
    "cpu-used": "8",
    "row-mt": "1",
}
GIF_FPS = 25  # gif delays are whole centiseconds: 25 fps is exactly 4 cs a frame
# How swscale makes the half-resolution chroma planes from RGBA. Point sampling is
# 20-30% quicker than its default (bilinear) and, on our frames, round-trips RGB no
# worse (47.5 dB PSNR against 46.9; "fast bilinear" gives 34.7).
CHROMA_SAMPLING = "POINT"
# ProRes by FFmpeg's prores_aw encoder, not prores_ks: the same profiles and fourccs,
# files no larger on these frames (fit_line at 1080p: 402 KB a frame in 422 HQ, 465 KB
# in 4444, against prores_ks's 410 and 538), and 4-5x less time a frame (about 30 ms
# of one core at 1080p, where prores_ks took 140-300).
PRORES = "prores_aw"


@dataclass(frozen=True)
class VideoFormat:
    """How one `--format` is encoded."""

    name: str
    codec: str
    pixel_format: str
    alpha_pixel_format: str | None  # None: this format cannot carry transparency
    options: dict[str, str] = field(default_factory=dict)
    alpha_options: dict[str, str] = field(default_factory=dict)
    frame_rate: float | None = None  # fixed rate (gif); None: the quality's rate
    # Every frame coded alone (ProRes): a repeated frame is its packet again, with
    # the next timestamp, and the codec may code several frames at once on threads.
    intra_only: bool = False

    @property
    def suffix(self) -> str:
        """The file name ending."""
        return f".{self.name}"

    @property
    def is_video(self) -> bool:
        """False for png, which is the last frame only."""
        return self.name != "png"


FORMATS = {
    fmt.name: fmt
    for fmt in (
        VideoFormat("mp4", "libx264", "yuv420p", None, H264_OPTIONS),
        VideoFormat("webm", "libvpx-vp9", "yuv420p", "yuva420p", VP9_OPTIONS),
        # ProRes 422 HQ when opaque (profile 3), 4444 with alpha (profile 4).
        VideoFormat(
            "mov",
            PRORES,
            "yuv422p10le",
            "yuva444p10le",
            {"profile": "3"},
            {"profile": "4"},
            intra_only=True,
        ),
        VideoFormat("gif", "gif", "pal8", None, frame_rate=GIF_FPS),
        VideoFormat("png", "png", "rgba", "rgba"),
    )
}
ALPHA_FORMATS = sorted(name for name, fmt in FORMATS.items() if fmt.alpha_pixel_format)
# Pages that carry videos: each format and the video format inside it
PAGE_FORMATS = {"html": "mp4"}  # the lecture player (sgd_anim.files.player)


def video_stream(
    container: av.container.OutputContainer,
    codec: str,
    fps: float,
    frame: tuple[int, int, str],
    options: dict[str, str] | None = None,
) -> av.VideoStream:
    """A new video stream in `container`: `frame` is its width, height, pixel format."""
    rate = Fraction(fps).limit_denominator(1001)
    stream = container.add_stream(codec, rate=rate, options=options or {})
    if not isinstance(stream, av.VideoStream):
        raise ValueError(f"{codec} is not a video codec")
    stream.width, stream.height, stream.pix_fmt = frame
    return stream


class StreamWriter:
    """RGBA frames into one coded video stream; a repeated frame is converted once,
    and in an intra-only format coded once."""

    def __init__(
        self,
        path: Path,
        width: int,
        height: int,
        fps: float,
        fmt: VideoFormat,
        alpha: bool,
    ) -> None:
        self.container = av.open(str(path), "w", format=fmt.name)
        options = {**fmt.options, **(fmt.alpha_options if alpha else {})}
        pixels = fmt.alpha_pixel_format if alpha else fmt.pixel_format
        self.stream = video_stream(
            self.container, fmt.codec, fps, (width, height, str(pixels)), options
        )
        self.frames_written = 0
        self.intra_only = fmt.intra_only
        if fmt.intra_only:  # frames are independent: code them on every core
            self.stream.thread_type = "FRAME"
            self.stream.thread_count = 0  # one thread per core
        # How often each coded frame shows, oldest first, until its packet comes out
        self.pending_repeats: deque[int] = deque()

    def write(self, frame: av.VideoFrame, repeats: int) -> None:
        """Append `frame` (RGBA), shown `repeats` times."""
        converted = frame.reformat(
            format=self.stream.pix_fmt, interpolation=CHROMA_SAMPLING
        )
        if not self.intra_only:
            for _ in range(repeats):
                converted.pts = self.frames_written
                self.frames_written += 1
                self.container.mux(self.stream.encode(converted))
            return
        converted.pts = self.frames_written + sum(self.pending_repeats)
        self.pending_repeats.append(repeats)
        self.mux_repeated(self.stream.encode(converted))

    def mux_repeated(self, packets: list[av.Packet[av.VideoStream]]) -> None:
        """Write each packet of an intra-only stream as often as its frame shows."""
        frame_time = self.stream.codec_context.time_base
        for packet in packets:
            for _ in range(self.pending_repeats.popleft()):
                # mux() keeps its own reference to the data and rebases the
                # timestamps in place, so they are set afresh for every copy
                packet.time_base = frame_time
                packet.pts = packet.dts = self.frames_written
                packet.duration = 1
                self.frames_written += 1
                self.container.mux(packet)

    def close(self) -> None:
        """Flush the encoder and finish the file."""
        try:
            if self.intra_only:
                self.mux_repeated(self.stream.encode(None))
            else:
                self.container.mux(self.stream.encode(None))
        finally:
            self.container.close()


def rgba_frame(width: int, height: int) -> tuple[av.VideoFrame, npt.NDArray[np.uint8]]:
    """An RGBA frame and a (height, width, 4) array view onto its pixels, to fill in place."""
    frame = av.VideoFrame(width, height, "rgba")
    plane = frame.planes[0]
    rows = np.frombuffer(memoryview(plane), np.uint8).reshape(height, plane.line_size)
    return frame, rows[:, : width * 4].reshape(height, width, 4)


def open_writer(
    path: Path, width: int, height: int, fps: float, fmt: VideoFormat, alpha: bool
) -> StreamWriter | GifWriter:
    """The writer for `fmt`."""
    if fmt.name == "gif":
        from sgd_anim.files.gif import GifWriter  # it writes through video_stream

        return GifWriter(path, width, height, fps)
    return StreamWriter(path, width, height, fps, fmt, alpha)
