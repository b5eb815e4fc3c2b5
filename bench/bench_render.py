"""Render-speed benchmark: `.venv/bin/python bench/bench_render.py [--scene fit_line]`.

Prints `name: value unit` lines: import time apart, then for each scene at 1080p60 and
720p30 the wall time, frames, frames/s, seconds of video per second of rendering (>= 1 is
faster than real time), and the time to encode the same frames alone with the renderer's
own encoder (sgd_anim/files/encoder.py: libx264, yuv420p, H264_OPTIONS; a run of equal
frames handed over once with its count, as the renderer does), with the ratio
render / encode-only. `--scene` picks scenes (all their cases: minibatch at three sizes).
With lr_too_high among them, a slide deck of it (`--slides`: HTML and PowerPoint) is timed
beside its mp4, each in a child process, with each one's peak RSS and their ratio.


Before those: each scene's PNG at 1080p (its closing frame alone), and minibatch at
720p30 with clouds of up to 100,000 points; `--only png|clouds|videos` runs one section.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

started = time.perf_counter()
import av  # noqa: E402
import manim  # noqa: E402,F401
import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
import torch  # noqa: E402,F401

IMPORT_SECONDS = time.perf_counter() - started

from output_rows import (  # noqa: E402
    DECK_SCENE,
    cloud_rows,
    deck_against_mp4,
    png_rows,
)

from sgd_anim.files.encoder import FrameEncoder  # noqa: E402
from sgd_anim.files.export import probe_video, render_scene  # noqa: E402
from sgd_anim.registry import SCENES  # noqa: E402
from sgdcore.config import RunOptions  # noqa: E402
from sgdcore.trace import Trace  # noqa: E402


@dataclass(frozen=True)
class Case:
    """One scene to time: its points, and for slow scenes fewer steps and runs."""

    scene: str
    n: int | None = None  # None: the scene's own (100 points; 30 on a curve)
    steps: int | None = None  # None: the scene's own (or --steps)
    repeats: int | None = None  # None: --repeats

    @property
    def label(self) -> str:
        return self.scene if self.n is None else f"{self.scene}[n={self.n}]"


# minibatch at three sizes shows that cost does not follow n. surface_3d runs its full
# default run; its camera-moving frames are timed apart (turn_draw_rate).
CASES = [
    Case("fit_line"),
    Case("lr_too_high"),
    Case("lr_too_low"),
    Case("lr_just_right"),
    Case("lr_compare"),
    Case("minibatch"),
    Case("minibatch", n=1_000),
    Case("minibatch", n=10_000),
    Case("landscape"),
    Case("optimizers"),
    Case("underfit_overfit"),
    Case("validation"),
    Case("regularization"),
    Case("surface_3d"),
]
# Big clouds: minibatch at 720p30 with (n, batch size), against n = 100 at batch 10
TURN_FRAMES = 60  # surface_3d frames drawn while the camera turns, for turn_draw_rate


# Decoded frames held at once by the encode-only measure (256 MB: 32 at 1080p, 8 at 4k)
DECODED_BYTES = 256 * 1024 * 1024


def decoded_runs(
    source: av.container.InputContainer, limit: int
) -> Iterator[list[tuple[npt.NDArray[np.uint8], int]]]:
    """`source`'s frames as RGBA arrays, a run of identical frames as one (array, repeats)
    as the renderer hands them over, in batches of at most `limit` arrays."""
    batch: list[tuple[npt.NDArray[np.uint8], int]] = []
    for frame in source.decode(video=0):
        array = np.asarray(frame.to_ndarray(format="rgba"), dtype=np.uint8)
        if batch and np.array_equal(batch[-1][0], array):
            batch[-1] = (batch[-1][0], batch[-1][1] + 1)
            continue
        if len(batch) == limit:
            yield batch[:-1]  # the last may still gain repeats
            batch = batch[-1:]
        batch.append((array, 1))
    yield batch


def encode_only_seconds(video: Path, target: Path) -> float:
    """The renderer's encoder run on `video`'s decoded frames alone, timed.

    Frames are decoded a batch at a time, with the clock stopped, and encoded with
    it running; between batches the encoder finishes its queue, so at most the
    codec's own last few frames of a batch are coded while the clock is stopped.
    """
    with av.open(str(video)) as source:
        stream = source.streams.video[0]
        fps = float(stream.average_rate or 60)
        limit = max(2, DECODED_BYTES // (stream.width * stream.height * 4))
        encoder = FrameEncoder(target, stream.width, stream.height, fps)
        seconds = 0.0
        for batch in decoded_runs(source, limit):
            begin = time.perf_counter()
            for array, repeats in batch:
                encoder.put(array, repeats)
            encoder.drain()
            seconds += time.perf_counter() - begin
            batch.clear()
        begin = time.perf_counter()
        encoder.close()
        return seconds + time.perf_counter() - begin


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """The median wall time of `repeats` calls of `run`."""
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        run()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def turn_draw_rate(traces: list[Trace], quality: str) -> None:
    """Print the mesh size, and how fast surface_3d draws frames while its camera turns.

    The scene is planned, then drawn at TURN_FRAMES angles across its opening turn,
    every part redrawn each frame as in the turn (no encoding: the drawing thread's
    own rate).
    """
    from manim import tempconfig

    from scenes import surface_3d
    from scenes.bowl_geometry import RINGS, SPOKES
    from sgd_anim.files.export import QUALITIES

    print(f"surface_3d.mesh: {RINGS}x{SPOKES} faces ({RINGS * SPOKES})")
    settings = {"quality": QUALITIES[quality], "verbosity": "WARNING"}
    with tempconfig(settings):
        spec = SCENES["surface_3d"]
        scene = surface_3d.Surface3D(*traces, pace=spec.pace, plan_only=True)
        scene.setup()
        scene.construct()
        scene.add(*scene.statics, *scene.movers)
        camera = scene.surface_camera()
        thetas = np.linspace(surface_3d.START_THETA, surface_3d.HELD_THETA, TURN_FRAMES)
        begin = time.perf_counter()
        for theta in thetas:
            camera.set_theta(float(theta))
            scene.renderer.update_frame(scene)
        seconds = time.perf_counter() - begin
    size = f"{camera.pixel_width}x{camera.pixel_height}"
    print(
        f"surface_3d@{quality}.turn_draw_rate: {TURN_FRAMES / seconds:.1f} frames/s "
        f"({TURN_FRAMES} turning frames at {size}, drawing only)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scene", action="append", help="scene to time (repeatable)")
    parser.add_argument(
        "--quality", action="append", help="quality (repeatable; default high, medium)"
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed runs per figure (median)"
    )
    parser.add_argument(
        "--steps", type=int, default=None, help="steps per run (default: each scene's)"
    )
    parser.add_argument(
        "--only",
        choices=["videos", "png", "clouds"],
        help="one section: the videos, each scene's PNG at 1080p, or big clouds",
    )
    args = parser.parse_args()
    print(f"import: {IMPORT_SECONDS:.2f} s (torch, manim, av)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only in (None, "png"):
            png_rows(folder, args.scene or list(SCENES), "high")
        if args.only in (None, "clouds"):
            cloud_rows(folder)
        if args.only not in (None, "videos"):
            return
        # Burn-in: fonts, glyph atlas, encoder start-up
        burn_spec = SCENES["fit_line"]
        render_scene(
            burn_spec.scene_class(),
            burn_spec.train(RunOptions(n_steps=2)),
            folder / "burn.mp4",
            "low",
            progress=False,
            pace=burn_spec.pace,
        )
        # Renders first, so the memory peak is theirs and not the encode-only step's
        rendered = []
        chosen = (
            [case for case in CASES if case.scene in args.scene]
            if args.scene
            else CASES
        )
        for case in chosen:
            begin = time.perf_counter()
            steps = args.steps or case.steps
            traces = SCENES[case.scene].train(RunOptions(n=case.n, n_steps=steps))
            print(f"{case.label}.train: {time.perf_counter() - begin:.3f} s")
            repeats = case.repeats or args.repeats
            if case.scene == "surface_3d":
                for quality in args.quality or ["high", "medium"]:
                    turn_draw_rate(traces, quality)
            for quality in args.quality or ["high", "medium"]:
                output = folder / f"{case.label}@{quality}.mp4"

                def render_once(
                    scene: str = case.scene,
                    traces: list[Trace] = traces,
                    output: Path = output,
                    quality: str = quality,
                ) -> None:
                    spec = SCENES[scene]
                    render_scene(
                        spec.scene_class(),
                        traces,
                        output,
                        quality,
                        progress=False,
                        pace=spec.pace,
                    )

                seconds = median_seconds(render_once, repeats)
                rendered.append((f"{case.label}@{quality}", output, seconds, repeats))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak_memory_of_renders: {peak:.0f} MiB")
        for name, output, seconds, repeats in rendered:
            info = probe_video(output)
            encode = statistics.median(
                encode_only_seconds(output, folder / "encode-only.mp4")
                for _ in range(repeats)
            )
            print(f"{name}.render: {seconds:.2f} s (median of {repeats})")
            print(
                f"{name}.frames: {info.frames} frames ({info.width}x{info.height} at {info.fps:g} fps)"
            )
            print(f"{name}.render_rate: {info.frames / seconds:.1f} frames/s")
            print(
                f"{name}.realtime_factor: {info.frames / info.fps / seconds:.2f} video s per render s"
            )
            print(f"{name}.encode_only: {encode:.2f} s for {info.frames} frames")
            print(f"{name}.render_over_encode: {seconds / encode:.2f} x")
        if any(case.scene == DECK_SCENE for case in chosen):
            for quality in args.quality or ["high", "medium"]:
                deck_against_mp4(quality, folder, args.repeats)


if __name__ == "__main__":
    main()
