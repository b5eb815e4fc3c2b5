"""The bench's rows for outputs other than the mp4, printed by bench_render.py: a
deck beside its mp4 (time and peak memory, each in a child process), each scene's
PNG, and minibatch's render time as its point cloud grows."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from sgd_anim.files.export import render_scene
from sgd_anim.registry import SCENES
from sgdcore.config import RunOptions

CLOUD_CASES = [(100, 10), (10_000, 1_000), (100_000, 10), (100_000, 1_000)]
DECK_SCENE = "lr_too_high"  # the deck timed beside its mp4
# A small Python between us and a render, which reports the render's peak RSS (KiB)
WEIGH = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def weighed(args: list[str]) -> tuple[float, float]:
    """`python -m sgd_anim ARGS` in a child process: its seconds and peak RSS (MiB)."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WEIGH, sys.executable, "-m", "sgd_anim", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()[-300:]}")
    return seconds, int(done.stdout.split()[-1]) / 1024


def deck_against_mp4(quality: str, folder: Path, repeats: int) -> None:
    """Print what a deck of DECK_SCENE costs beside its mp4 at `quality`: the median
    seconds and the largest peak RSS of `repeats` runs of each, and the ratios."""
    scene = ["--scene", DECK_SCENE, "--quality", quality]
    kinds = {
        "mp4": [*scene, "-o", str(folder / "clip.mp4")],
        "deck": [*scene, "--slides", "-o", str(folder / "deck.html")],
    }
    measured = {}
    for kind, args in kinds.items():
        runs = [weighed(args) for _ in range(repeats)]
        measured[kind] = (
            statistics.median(seconds for seconds, _ in runs),
            max(peak for _, peak in runs),
        )
    (mp4_seconds, mp4_peak), (deck_seconds, deck_peak) = measured.values()
    name = f"{DECK_SCENE}@{quality}"
    print(
        f"{name}.deck: {deck_seconds:.2f} s, peak {deck_peak:.0f} MiB; "
        f"mp4 {mp4_seconds:.2f} s, peak {mp4_peak:.0f} MiB (median of {repeats})"
    )
    print(
        f"{name}.deck_over_mp4: {deck_seconds / mp4_seconds:.2f} x time, "
        f"{deck_peak / mp4_peak:.2f} x peak memory"
    )


def png_rows(folder: Path, scenes: list[str], quality: str) -> None:
    """Print how long each scene's PNG (its closing frame alone) takes to render."""
    for scene in scenes:
        spec = SCENES[scene]
        traces = spec.train(RunOptions())
        begin = time.perf_counter()
        render_scene(
            spec.scene_class(),
            traces,
            folder / f"{scene}.png",
            quality,
            progress=False,
            fmt="png",
            pace=spec.pace,
        )
        seconds = time.perf_counter() - begin
        print(f"{scene}@{quality}.png: {seconds:.2f} s (render only, trained before)")


def cloud_rows(folder: Path) -> None:
    """Print minibatch's 720p30 render time at each of CLOUD_CASES, and its ratio to
    the first (n = 100 at batch 10)."""
    spec, first = SCENES["minibatch"], None
    for n, batch_size in CLOUD_CASES:
        traces = spec.train(RunOptions(n=n, batch_size=batch_size))
        begin = time.perf_counter()
        render_scene(
            spec.scene_class(),
            traces,
            folder / "cloud.mp4",
            "medium",
            progress=False,
            pace=spec.pace,
        )
        seconds = time.perf_counter() - begin
        first = first or seconds
        print(
            f"minibatch[n={n},batch={batch_size}]@medium.render: {seconds:.2f} s"
            f" ({seconds / first:.2f} x n=100 at batch 10)"
        )
