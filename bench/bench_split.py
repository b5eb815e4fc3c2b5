"""One clip on every core: `.venv/bin/python bench/bench_split.py [--scene fit_line]`.

For each scene and quality, renders the default mp4 with `--jobs 1` and with `--jobs N`
(default: the cores here), each as a user would (`python -m sgd_anim`, imports and
training included), in turns, `--repeats` times, and prints side by side the median
wall seconds, the speed-up, the seconds of video per second of rendering (>= 1 is
faster than real time), the largest peak RSS of one process, the largest PSS of all
its processes together (shared pages counted once), and whether the two files are the
same bytes (they must be). Then the parts a clip of that length is cut into
at 8 processes (sgd_anim/files/segments.py: whole chunks of 250 frames).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sgd_anim.files.export import probe_video
from sgd_anim.files.segments import split_frames
from sgd_anim.limits import FPS

CORES = len(os.sched_getaffinity(0))  # the parts the split is measured with

CASES = [("fit_line", "high"), ("fit_line", "4k")]


def tree(pid: int) -> list[int]:
    """`pid` and every process it started, still running."""
    found, index = [pid], 0
    while index < len(found):
        path = Path(f"/proc/{found[index]}/task/{found[index]}/children")
        index += 1
        try:
            found += [int(word) for word in path.read_text().split()]
        except OSError:
            continue
    return found


def kib(pid: int, field: str, name: str) -> int:
    """A `name:` line of /proc/PID/`field`, in KiB (0 once the process has gone)."""
    try:
        for line in Path(f"/proc/{pid}/{field}").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def weighed(args: list[str]) -> tuple[float, float, float]:
    """`python -m sgd_anim ARGS`: its seconds, the largest RSS of one of its processes
    and the largest sum of their PSS (pages shared after a fork counted once), MiB,
    sampled every 50 ms."""
    began = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:  # a pipe could fill and stall it
        process = subprocess.Popen(
            [sys.executable, "-m", "sgd_anim", *args],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        largest = total = 0
        while process.poll() is None:
            pids = tree(process.pid)
            largest = max(largest, *(kib(pid, "status", "VmHWM") for pid in pids))
            total = max(total, sum(kib(pid, "smaps_rollup", "Pss") for pid in pids))
            time.sleep(0.05)
        seconds = time.perf_counter() - began
        if process.returncode != 0:
            log.seek(0)
            raise SystemExit(f"{' '.join(args)} failed: {log.read().strip()[-300:]}")
    return seconds, largest / 1024, total / 1024


def compare(scene: str, quality: str, jobs: int, repeats: int, folder: Path) -> None:
    """Print one scene's serial and split renders side by side."""
    outputs = {n: folder / f"{scene}-{quality}-jobs{n}.mp4" for n in (1, jobs)}
    runs: dict[int, list[tuple[float, float, float]]] = {1: [], jobs: []}
    for _ in range(repeats):  # in turns: a busy spell slows both alike
        for n, output in outputs.items():
            args = ["--scene", scene, "--quality", quality, "--jobs", str(n)]
            runs[n].append(weighed([*args, "-o", str(output)]))
    frames = probe_video(outputs[1]).frames
    seconds = {n: statistics.median(s for s, _, _ in runs[n]) for n in runs}
    same = outputs[1].read_bytes() == outputs[jobs].read_bytes()
    video = frames / FPS[quality]
    label = f"{scene}@{quality}"
    for n in runs:
        each = " ".join(f"{s:.1f}" for s, _, _ in runs[n])
        peak = max(p for _, p, _ in runs[n])
        total = max(t for _, _, t in runs[n])
        print(
            f"{label} jobs={n}: {seconds[n]:.2f} s (runs: {each}), "
            f"{video / seconds[n]:.2f}x real time, peak {peak:.0f} MiB a process, "
            f"{total:.0f} MiB PSS in all"
        )
    print(f"{label} speed-up jobs={jobs} / jobs=1: {seconds[1] / seconds[jobs]:.2f}x")
    print(f"{label} same bytes: {same}")
    parts = [len(part) for part in split_frames(frames, 8)]
    print(f"{label} {frames} frames at 8 processes: {len(parts)} parts {parts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", action="append", help="scene (repeatable)")
    parser.add_argument("--quality", action="append", help="quality (repeatable)")
    parser.add_argument("--jobs", type=int, default=CORES)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cases = CASES
    if args.scene or args.quality:
        cases = [
            (s, q) for s in args.scene or ["fit_line"] for q in args.quality or ["high"]
        ]
    print(f"cores: {CORES}, jobs: {args.jobs}, repeats: {args.repeats}")
    with tempfile.TemporaryDirectory(prefix="bench-split-") as folder:
        for scene, quality in cases:
            compare(scene, quality, args.jobs, args.repeats, Path(folder))


if __name__ == "__main__":
    main()
