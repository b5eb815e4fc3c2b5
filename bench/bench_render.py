"""Render-speed benchmark: `.venv/bin/python bench/bench_render.py [--scene fit_line]`.

Prints `name: value unit` lines: import time apart, then for each scene at 1080p60 the
wall time, frames, frames/s, seconds of video per second of rendering (>= 1 is faster
than real time), and the time to encode the same frames alone with the same codec
settings (scenes/encoder.py: libx264, yuv420p, H264_OPTIONS), with the ratio
render / encode-only.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

started = time.perf_counter()
import av  # noqa: E402
import manim  # noqa: E402,F401
import torch  # noqa: E402,F401

IMPORT_SECONDS = time.perf_counter() - started

from scenes import scene_class  # noqa: E402
from scenes.encoder import FrameEncoder  # noqa: E402
from scenes.export import render_scene  # noqa: E402
from sgdcore.presets import RunOptions, build_trace  # noqa: E402


def encode_only(video: Path, target: Path) -> tuple[float, int]:
    """Decode `video` into memory, then time the renderer's encoder on those frames alone."""
    with av.open(str(video)) as source:
        frames = [frame.to_ndarray(format="rgba") for frame in source.decode(video=0)]
        rate = float(source.streams.video[0].average_rate or 60)
    height, width = frames[0].shape[:2]
    begin = time.perf_counter()
    encoder = FrameEncoder(target, width, height, rate)
    for array in frames:
        encoder.put(array, 1)
    encoder.close()
    return time.perf_counter() - begin, len(frames)


def bench_scene(name: str, options: RunOptions, folder: Path, quality: str) -> None:
    """Train, render at `quality`, then encode the same frames alone; print the figures."""
    begin = time.perf_counter()
    trace = build_trace(name, options)
    print(f"{name}.train: {time.perf_counter() - begin:.3f} s")
    output = folder / f"{name}.mp4"
    name = f"{name}@{quality}"
    begin = time.perf_counter()
    info = render_scene(scene_class(name.split("@")[0]), trace, output, quality, progress=False)
    seconds = time.perf_counter() - begin
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    video_seconds = info.frames / info.fps
    print(f"{name}.render: {seconds:.2f} s")
    print(f"{name}.frames: {info.frames} frames ({info.width}x{info.height} at {info.fps:g} fps)")
    print(f"{name}.render_rate: {info.frames / seconds:.1f} frames/s")
    print(f"{name}.realtime_factor: {video_seconds / seconds:.2f} video s per render s")
    print(f"{name}.peak_memory_after_render: {peak:.0f} MiB")
    encode_seconds, frames = encode_only(output, folder / f"{name}-encode-only.mp4")
    print(f"{name}.encode_only: {encode_seconds:.2f} s for {frames} frames")
    print(f"{name}.render_over_encode: {seconds / encode_seconds:.2f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scene", action="append", help="scene to time (repeatable)")
    parser.add_argument("--quality", action="append", help="quality (repeatable; default high, medium)")
    args = parser.parse_args()
    print(f"import: {IMPORT_SECONDS:.2f} s (torch, manim, av)")
    with tempfile.TemporaryDirectory() as folder:
        # Burn-in: fonts, glyph atlas, encoder start-up
        render_scene(scene_class("fit_line"), build_trace("fit_line", RunOptions(n_steps=2)), Path(folder) / "burn.mp4", "low", progress=False)
        for name in args.scene or ["fit_line", "lr_too_high", "lr_compare"]:
            for quality in args.quality or ["high", "medium"]:
                bench_scene(name, RunOptions(), Path(folder), quality)


if __name__ == "__main__":
    main()
