"""Render a scene into one finished file: private media folder, checked, moved atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt
from manim import tempconfig

from scenes.common import TraceScene
from sgdcore.trace import Trace

# Manim's own quality presets: 480p15, 720p30, 1080p60, 2160p60.
QUALITIES = {
    "low": "low_quality",
    "medium": "medium_quality",
    "high": "high_quality",
    "4k": "fourk_quality",
}


@dataclass(frozen=True)
class VideoInfo:
    """What decoding a finished video found."""

    codec: str
    pixel_format: str
    width: int
    height: int
    frames: int
    fps: float


def as_list(traces: Trace | list[Trace]) -> list[Trace]:
    """One trace or several, as a list."""
    return [traces] if isinstance(traces, Trace) else list(traces)


def probe_video(path: Path) -> VideoInfo:
    """Count the video's packets and decode its first frame; raise if unreadable."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for packet in container.demux(stream) if packet.size > 0)
        if frames == 0:
            raise ValueError(f"{path} holds no video frames")
        container.seek(0)
        first = next(container.decode(stream))
    return VideoInfo(
        codec=stream.codec_context.name,
        pixel_format=str(first.format.name),
        width=first.width,
        height=first.height,
        frames=frames,
        fps=float(stream.average_rate or 0),
    )


def remux_faststart(source: Path, target: Path) -> None:
    """Copy the video stream into `target` with the index (moov atom) at the front."""
    with av.open(str(source)) as inp, av.open(
        str(target), "w", format="mp4", options={"movflags": "+faststart"}
    ) as out:
        in_stream = inp.streams.video[0]
        out_stream = out.add_stream_from_template(in_stream)
        for packet in inp.demux(in_stream):
            if packet.dts is None:
                continue
            packet.stream = out_stream
            out.mux(packet)


def render_scene(
    scene_class: type[TraceScene],
    traces: Trace | list[Trace],
    output: Path,
    quality: str = "high",
    progress: bool = True,
    **scene_options: Any,
) -> VideoInfo:
    """Render `scene_class(trace)` to `output` (mp4); the old file survives any failure."""
    work = Path(tempfile.mkdtemp(prefix="sgd-render-"))
    staged = output.with_name(f".{output.name}.partial")
    try:
        settings = {
            "quality": QUALITIES[quality],
            "media_dir": str(work),
            "disable_caching": True,  # cache keys ignore the trace; a killed render can poison it
            "verbosity": "WARNING",
            "progress_bar": "display" if progress else "none",
            "output_file": "scene",
            "write_to_movie": True,
        }
        with tempconfig(settings):
            scene = scene_class(*as_list(traces), **scene_options)
            try:
                scene.render()
            except BaseException:
                scene.renderer.file_writer.abort()
                raise
            movie = Path(scene.renderer.file_writer.movie_file_path)
        remux_faststart(movie, staged)
        info = probe_video(staged)
        os.replace(staged, output)
        return info
    finally:
        staged.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def render_last_frame(
    scene_class: type[TraceScene],
    traces: Trace | list[Trace],
    width: int,
    height: int,
    **scene_options: Any,
) -> npt.NDArray[np.uint8]:
    """Play the scene without writing a movie and return its last frame, RGBA uint8."""
    work = Path(tempfile.mkdtemp(prefix="sgd-frame-"))
    settings = {
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": 6,
        "media_dir": str(work),
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
        "write_to_movie": False,
    }
    try:
        with tempconfig(settings):
            scene = scene_class(*as_list(traces), **scene_options)
            scene.render()
            return np.array(scene.renderer.get_frame(), dtype=np.uint8)
    finally:
        shutil.rmtree(work, ignore_errors=True)
