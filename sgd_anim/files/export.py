"""Render a scene into one finished file: private media folder, checked, moved atomically."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import av
import numpy as np
import numpy.typing as npt
from manim import tempconfig
from manim.renderer.cairo_renderer import CairoRenderer
from PIL import Image

from scenes.replay import ReplayScene
from sgd_anim.cleanup import move_into_place, unused_folder
from sgd_anim.files.captions import subrip, webvtt
from sgd_anim.files.chunked import draw_chunks
from sgd_anim.files.encoder import StreamingFileWriter, StreamingRenderer
from sgd_anim.files.formats import ALPHA_FORMATS, FORMATS, VideoFormat
from sgd_anim.outputs import no_space_named
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


def remux_faststart(sources: Path | Sequence[Path], target: Path) -> None:
    """Copy the video stream into `target` with the index (moov atom) at the front.

    Several sources (chunks coded alike, each starting on a keyframe) are joined in
    order, each one's timestamps shifted to follow the one before.
    """
    sources = [sources] if isinstance(sources, Path) else list(sources)
    with av.open(
        str(target), "w", format="mp4", options={"movflags": "+faststart"}
    ) as out:
        out_stream: av.VideoStream | None = None
        offset = 0  # where this source starts, in the sources' time base
        for source in sources:
            with av.open(str(source)) as inp:
                in_stream = inp.streams.video[0]
                if out_stream is None:
                    out_stream = out.add_stream_from_template(in_stream)
                    coded = (in_stream.codec_context.extradata, in_stream.time_base)
                elif (in_stream.codec_context.extradata, in_stream.time_base) != coded:
                    raise ValueError(f"{source.name} is coded unlike {sources[0].name}")
                end = offset
                for packet in inp.demux(in_stream):
                    if packet.dts is None:
                        continue
                    packet.dts += offset
                    if packet.pts is not None:
                        packet.pts += offset
                    end = max(end, (packet.pts or packet.dts) + (packet.duration or 0))
                    packet.stream = out_stream
                    out.mux(packet)
                offset = end


def render_scene(
    scene_class: type[ReplayScene],
    traces: Trace | list[Trace],
    output: Path,
    quality: str = "high",
    progress: bool = True,
    fmt: str = "mp4",
    transparent: bool = False,
    poster: Path | None = None,
    captions: bool = False,
    inspect: Callable[[ReplayScene], None] | None = None,
    jobs: int = 1,
    **scene_options: Any,
) -> VideoInfo:
    """Render to `output` in `fmt` (and a poster PNG, and captions beside it: NAME.vtt
    and NAME.srt, the picture above a band clear for them); old files survive failure.

    `inspect`: called with the rendered scene, at its last frame (the player reads
    its plan and its readouts so). `jobs`: an mp4 is drawn by up to this many
    processes, each a part of its frames (sgd_anim/files/chunked.py), into the same
    file as one process makes; other formats, and an mp4 to `inspect`, by one.
    """
    video_format = FORMATS[fmt]
    if transparent and video_format.alpha_pixel_format is None:
        raise ValueError(
            f"{fmt} cannot be transparent; use {' or '.join(ALPHA_FORMATS)}"
        )
    # Our PID in every temporary name: a later run removes what a killed one left
    work = unused_folder("render")
    staged = staged_path(output)
    staged_poster = staged_path(poster) if poster else None
    try:
        work.mkdir(mode=0o700)
        with no_space_named(work, output.parent):  # before the clean-up frees room
            settings: dict[str, Any] = {
                "quality": QUALITIES[quality],
                "media_dir": str(work),
                "disable_caching": True,  # cache keys ignore the trace; a killed render can poison it
                "verbosity": "WARNING",
                "progress_bar": "display" if progress else "none",
                "output_file": "scene",
                "write_to_movie": video_format.is_video,
            }
            if video_format.frame_rate:
                settings["frame_rate"] = video_format.frame_rate
            with tempconfig(settings):

                def make_scene(renderer: CairoRenderer) -> ReplayScene:
                    # A PNG is the closing frame alone: no beat is played to reach it
                    return scene_class(
                        *as_list(traces),
                        transparent=transparent,
                        renderer=renderer,
                        last_frame_only=not video_format.is_video,
                        caption_band=captions,  # clear of what a player lays over it
                        **scene_options,
                    )

                if fmt == "mp4":  # in chunks, on `jobs` cores
                    drawn = draw_chunks(
                        make_scene,
                        scene_class.renderer_camera,
                        work / "chunks",
                        1 if inspect else jobs,
                    )
                    scene, last_frame, movies = drawn
                else:
                    scene, last_frame, movies = draw_stream(
                        make_scene,
                        scene_class.renderer_camera,
                        video_format,
                        transparent,
                    )
                if inspect is not None:
                    inspect(scene)
            if not video_format.is_video:
                save_png(last_frame, staged, transparent)
                info = probe_image(staged)
            else:
                if fmt == "mp4":
                    remux_faststart(movies, staged)
                else:
                    shutil.copyfile(movies[0], staged)
                info = probe_video(staged)
            if poster is not None and staged_poster is not None:
                save_png(last_frame, staged_poster, transparent)
                move_into_place(staged_poster, poster)
            move_into_place(staged, output)
            if captions and scene.schedule is not None:
                write_captions(scene.schedule.cues(), output)
            return info
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for path in (staged, staged_poster):
            if path is not None:
                with suppress(OSError):  # a clean-up that raised would hide the error
                    path.unlink(missing_ok=True)


def draw_stream(
    make_scene: Callable[[CairoRenderer], ReplayScene],
    camera_class: type[Any],
    video_format: VideoFormat,
    transparent: bool,
) -> tuple[ReplayScene, npt.NDArray[np.uint8], list[Path]]:
    """Draw the scene `make_scene` makes into one video file (none for a PNG): the
    scene, its last frame, and the file (none)."""
    renderer = StreamingRenderer(
        file_writer_class=StreamingFileWriter, camera_class=camera_class
    )
    scene = make_scene(renderer)
    writer = cast(StreamingFileWriter, renderer.file_writer)
    writer.video_format, writer.alpha = video_format, transparent
    try:
        scene.render()
    except BaseException:
        writer.abort()
        raise
    last_frame = np.array(renderer.get_frame(), dtype=np.uint8)
    movies = [Path(writer.movie_file_path)] if video_format.is_video else []
    return scene, last_frame, movies


def staged_path(path: Path) -> Path:
    """Where `path` is written before it is moved into place: `.NAME.PID.partial`."""
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


def write_captions(cues: list[tuple[float, float, str]], video: Path) -> None:
    """`video`'s captions as NAME.vtt and NAME.srt, each written atomically."""
    for path, text in (
        (video.with_suffix(".vtt"), webvtt(cues)),
        (video.with_suffix(".srt"), subrip(cues)),
    ):
        staged = staged_path(path)
        try:
            staged.write_text(text, encoding="utf-8")
            move_into_place(staged, path)
        finally:
            staged.unlink(missing_ok=True)


def save_png(frame: npt.NDArray[np.uint8], path: Path, transparent: bool) -> None:
    """Write an RGBA frame as a PNG (RGB unless transparent)."""
    image = Image.fromarray(frame, "RGBA")
    (image if transparent else image.convert("RGB")).save(path, format="PNG")


def probe_image(path: Path) -> VideoInfo:
    """Open a PNG and describe it like a one-frame video."""
    with Image.open(path) as image:
        image.load()
        return VideoInfo("png", image.mode.lower(), image.width, image.height, 1, 0.0)


def render_last_frame(
    scene_class: type[ReplayScene],
    traces: Trace | list[Trace],
    width: int,
    height: int,
    play: bool = True,
    **scene_options: Any,
) -> npt.NDArray[np.uint8]:
    """Play the scene without writing a movie and return its last frame, RGBA uint8.

    `play`: False draws the closing frame alone, as a PNG is made, no beat played.
    """
    with still_config(width, height):
        scene = scene_class(*as_list(traces), last_frame_only=not play, **scene_options)
        scene.render()
        return np.array(scene.renderer.get_frame(), dtype=np.uint8)


@contextmanager
def still_config(width: int, height: int) -> Iterator[None]:
    """Manim set up for frames with no movie: a private media folder, removed after."""
    # Our PID in its name: a later run removes what a killed one left
    work = unused_folder("frame")
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
        work.mkdir(mode=0o700)
        with tempconfig(settings):
            yield
    finally:
        shutil.rmtree(work, ignore_errors=True)
