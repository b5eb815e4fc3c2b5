"""Output formats: what each container gets, and the writers that make them.

mp4 (H.264, yuv420p) plays in PowerPoint, Keynote and browsers; webm is VP9 and can
carry alpha; mov is ProRes for editors (ProRes 4444 with alpha, which Premiere, Final
Cut and Keynote accept; Manim's own transparent mov is QuickTime Animation, which
Premiere refuses); gif gets a palette computed from the clip itself and loops forever.
Pure PyAV and numpy: no manim import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

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
            "prores_ks",
            "yuv422p10le",
            "yuva444p10le",
            {"profile": "3"},
            {"profile": "4"},
        ),
        VideoFormat("gif", "gif", "pal8", None, frame_rate=GIF_FPS),
        VideoFormat("png", "png", "rgba", "rgba"),
    )
}
ALPHA_FORMATS = sorted(name for name, fmt in FORMATS.items() if fmt.alpha_pixel_format)
# Pages that carry videos: each format and the video format inside it
PAGE_FORMATS = {"html": "mp4"}  # the lecture player (sgd_anim.files.player)


class StreamWriter:
    """RGBA frames into one coded video stream; a repeated frame is converted once."""

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
        rate = Fraction(fps).limit_denominator(1001)
        stream = self.container.add_stream(fmt.codec, rate=rate, options=options)
        if not isinstance(stream, av.VideoStream):
            raise ValueError(f"{fmt.codec} is not a video codec")
        self.stream = stream
        self.stream.width, self.stream.height = width, height
        self.stream.pix_fmt = fmt.alpha_pixel_format if alpha else fmt.pixel_format
        self.frames_written = 0

    def write(self, frame: av.VideoFrame, repeats: int) -> None:
        """Append `frame` (RGBA), shown `repeats` times."""
        converted = frame.reformat(
            format=self.stream.pix_fmt, interpolation=CHROMA_SAMPLING
        )
        for _ in range(repeats):
            converted.pts = self.frames_written
            self.frames_written += 1
            self.container.mux(self.stream.encode(converted))

    def close(self) -> None:
        """Flush the encoder and finish the file."""
        try:
            self.container.mux(self.stream.encode(None))
        finally:
            self.container.close()


class GifWriter:
    """Frames into a looping gif whose 256-colour palette is computed from the clip."""

    def __init__(self, path: Path, width: int, height: int, fps: float) -> None:
        # loop=0: repeat forever (the NETSCAPE2.0 extension with count 0)
        self.container = av.open(str(path), "w", format="gif", options={"loop": "0"})
        self.stream = self.container.add_stream(
            "gif", rate=Fraction(fps).limit_denominator(1001)
        )
        self.stream.width, self.stream.height, self.stream.pix_fmt = (
            width,
            height,
            "pal8",
        )
        self.graph = av.filter.Graph()
        source = self.graph.add_buffer(
            width=width,
            height=height,
            format=av.VideoFormat("rgba"),
            time_base=Fraction(1, 1000),
        )
        split = self.graph.add("split")
        # Statistics over every frame, then one palette; dithering hides the rest
        palette = self.graph.add("palettegen", "stats_mode=full")
        apply = self.graph.add(
            "paletteuse", "dither=bayer:bayer_scale=4:diff_mode=rectangle"
        )
        self.sink = self.graph.add("buffersink")
        source.link_to(split)
        split.link_to(palette, 0, 0)
        split.link_to(apply, 1, 0)
        palette.link_to(apply, 0, 1)
        apply.link_to(self.sink)
        self.graph.configure()
        self.milliseconds_per_frame = 1000 / fps
        self.frame_time = 1 / Fraction(fps).limit_denominator(1001)
        self.frames_in = 0

    def write(self, frame: av.VideoFrame, repeats: int) -> None:
        """Queue `frame` (RGBA), shown `repeats` times.

        The graph keeps every frame until the palette exists, so each is copied: the
        caller may reuse `frame`'s buffer.
        """
        pixels = frame.to_ndarray()
        for _ in range(repeats):
            image = av.VideoFrame.from_ndarray(pixels, format="rgba")
            image.pts = round(self.frames_in * self.milliseconds_per_frame)
            image.time_base = Fraction(1, 1000)
            self.graph.push(image)
            self.frames_in += 1

    def close(self) -> None:
        """Build the palette, map every frame to it, and finish the file."""
        try:
            self.graph.push(None)
            index = 0
            while True:
                try:
                    image = self.graph.vpull()  # the one sink is a video sink
                except (av.error.EOFError, av.error.BlockingIOError):
                    break
                image.pts, image.time_base = index, self.frame_time
                index += 1
                self.container.mux(self.stream.encode(image))
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
        return GifWriter(path, width, height, fps)
    return StreamWriter(path, width, height, fps, fmt, alpha)
