"""The gif writer: a palette computed from the clip itself, frames waiting on disk
until it is known, then mapped to it; loops forever. Pure PyAV: no manim import."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av

from sgd_anim.files.formats import video_stream

# A gif's palette is computed from every frame, and only then can the first frame be
# mapped to it. Holding the frames until then took 8 MB each at 1080p (3.5 GB for a
# 15-second clip, more at 4k), so they wait on disk instead, losslessly: QuickTime
# Animation (run-length coded RGB) keeps these flat frames in about 30 KB each and
# decodes them faster than any other lossless codec here.
GIF_INTERMEDIATE = ("qtrle", "rgb24", "mov")


def gif_graph(
    width: int, height: int, palette: av.VideoFrame | None
) -> av.filter.Graph:
    """Without `palette`: RGBA frames in, one 256-colour palette out (after the last).
    With it: frames in, each mapped to the palette (and dithered) out."""
    graph = av.filter.Graph()
    source = graph.add_buffer(
        width=width,
        height=height,
        format=av.VideoFormat("rgba"),
        time_base=Fraction(1, 1000),
    )
    sink = graph.add("buffersink")
    if palette is None:
        # Statistics over every frame, then one palette
        make = graph.add("palettegen", "stats_mode=full")
        source.link_to(make)
        make.link_to(sink)
    else:
        given = graph.add_buffer(
            width=palette.width,
            height=palette.height,
            format=palette.format,
            time_base=Fraction(1, 1000),
        )
        # dithering hides the colours the palette lacks
        apply = graph.add(
            "paletteuse", "dither=bayer:bayer_scale=4:diff_mode=rectangle"
        )
        source.link_to(apply, 0, 0)
        given.link_to(apply, 0, 1)
        apply.link_to(sink)
    graph.configure()
    return graph


def pulled(graph: av.filter.Graph) -> list[av.VideoFrame]:
    """Every frame `graph`'s sink holds now."""
    frames = []
    while True:
        try:
            frames.append(graph.vpull())  # the one sink is a video sink
        except (av.error.EOFError, av.error.BlockingIOError):
            return frames


class GifWriter:
    """Frames into a looping gif whose 256-colour palette is computed from the clip.

    Two passes: while the scene renders, each distinct frame adds to the palette's
    statistics and is stored losslessly beside `path`; at `close` the stored frames
    are mapped to the palette and encoded. Memory stays a few frames, at any length.
    """

    def __init__(self, path: Path, width: int, height: int, fps: float) -> None:
        self.path, self.width, self.height = path, width, height
        self.statistics = gif_graph(width, height, None)
        codec, self.stored_format, container = GIF_INTERMEDIATE
        self.stored_path = path.with_name(f"{path.stem}.frames.{container}")
        self.stored = av.open(str(self.stored_path), "w", format=container)
        frame = (width, height, self.stored_format)
        self.stored_stream = video_stream(self.stored, codec, fps, frame)
        self.repeats: list[int] = []  # how often each stored frame shows
        self.fps, self.frames_out = fps, 0
        self.frame_time = 1 / Fraction(fps).limit_denominator(1001)

    def write(self, frame: av.VideoFrame, repeats: int) -> None:
        """Add `frame` (RGBA), shown `repeats` times, to the statistics and the store."""
        index = len(self.repeats)
        frame.pts, frame.time_base = index, Fraction(1, 1000)
        self.statistics.push(frame)
        # A pull makes palettegen take the frame now (it gives nothing back until
        # the end); unpulled, every frame would wait in the graph
        pulled(self.statistics)
        stored = frame.reformat(format=self.stored_format)
        stored.pts, stored.time_base = index, self.frame_time
        self.stored.mux(self.stored_stream.encode(stored))
        self.repeats.append(repeats)

    def close(self) -> None:
        """Build the palette, map every stored frame to it, and write the gif."""
        try:
            self.stored.mux(self.stored_stream.encode(None))
        finally:
            self.stored.close()
        self.statistics.push(None)
        (palette,) = pulled(self.statistics)
        palette.pts, palette.time_base = 0, Fraction(1, 1000)
        # loop=0: repeat forever (the NETSCAPE2.0 extension with count 0)
        with (
            av.open(str(self.path), "w", format="gif", options={"loop": "0"}) as out,
            av.open(str(self.stored_path)) as stored,
        ):
            stream = video_stream(
                out, "gif", self.fps, (self.width, self.height, "pal8")
            )
            pending = deque(self.repeats)  # each mapped frame's repeats, in order
            for mapped in self.mapped_frames(stored, palette):
                for _ in range(pending.popleft()):
                    mapped.pts, mapped.time_base = self.frames_out, self.frame_time
                    self.frames_out += 1
                    out.mux(stream.encode(mapped))
            out.mux(stream.encode(None))
        self.stored_path.unlink(missing_ok=True)

    def mapped_frames(
        self, stored: av.container.InputContainer, palette: av.VideoFrame
    ) -> Iterator[av.VideoFrame]:
        """The stored frames, in order, mapped to `palette` (pal8)."""
        mapping = gif_graph(self.width, self.height, palette)
        mapping.push(palette, 1)  # the second source: the palette, once
        # and no other: else paletteuse holds every frame, waiting for the next one
        mapping.push(None, 1)
        for index, image in enumerate(stored.decode(video=0)):
            rgba = image.reformat(format="rgba")
            rgba.pts, rgba.time_base = index, Fraction(1, 1000)
            mapping.push(rgba, 0)
            yield from pulled(mapping)
        mapping.push(None)
        yield from pulled(mapping)
