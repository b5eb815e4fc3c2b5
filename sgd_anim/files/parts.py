"""One mp4 clip on several cores: each process draws and codes a part of its frames.

`draw_chunks` forks a process for each part but the first, which this process draws
itself (a fork starts at once, with manim and the traces already loaded). Each draws
the same scene from the same traces (chunked.py: the frames before its part are
played, not drawn) and codes its frames into chunk files in one folder, which the
caller joins in order without coding them again (export.remux_faststart).

A part's process writes only into that folder, which the caller removes, however the
render ends. It ignores Ctrl-C, which reaches the whole process group: this process
stops it (SIGTERM) and waits for it on every way out, an error or an interrupt. It
dies with this process, even by SIGKILL (cleanup.end_with).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, NoReturn, cast

import numpy as np
import numpy.typing as npt
from manim import config

from scenes.replay import ReplayScene
from sgd_anim.cleanup import end_with
from sgd_anim.files.chunked import ChunkFileWriter, NothingToRender, SegmentRenderer
from sgd_anim.files.formats import FORMATS
from sgd_anim.files.segments import chunk_count

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
LAST_FRAME = "last_frame.npy"  # the clip's last frame, from the part that drew it


@dataclass
class Part:
    """A running process drawing part `index` of a clip."""

    index: int
    pid: int
    running: bool = True


class DrawnClip(NamedTuple):
    """A clip drawn into chunk files: the scene (part 0's), its last frame, its chunks."""

    scene: ReplayScene
    last_frame: npt.NDArray[np.uint8]
    chunks: list[Path]  # in order


def draw_chunks(
    make_scene: Callable[[SegmentRenderer], ReplayScene],
    camera_class: type[Any],
    folder: Path,
    jobs: int = 1,
) -> DrawnClip:
    """Draw the clip `make_scene` makes (given its renderer, which draws with
    `camera_class`) into chunk files in `folder`, in `jobs` processes at most; raise
    if any fails, with no process left running."""

    def draw(index: int) -> tuple[ReplayScene, npt.NDArray[np.uint8]]:
        renderer = SegmentRenderer(
            file_writer_class=ChunkFileWriter, camera_class=camera_class
        )
        return draw_part(make_scene(renderer), folder, index, jobs)

    folder.mkdir(parents=True, exist_ok=True)
    parts: list[Part] = []
    try:
        parts += [fork_part(index, folder, draw) for index in range(1, jobs)]
        scene, frame = draw(0)
        wait(parts, folder)
    finally:
        stop(parts)
    chunks = sorted(folder.glob("chunk_*.mp4"))
    planned = scene.schedule.frames if scene.schedule is not None else 0
    expected = chunk_count(planned, ChunkFileWriter.chunk_frames)
    if len(chunks) != expected:
        raise RuntimeError(f"{len(chunks)} chunks coded of {expected}")
    if (folder / LAST_FRAME).exists():
        frame = np.load(folder / LAST_FRAME)
    return DrawnClip(scene, frame, chunks)


def draw_part(
    scene: ReplayScene, folder: Path, index: int, jobs: int
) -> tuple[ReplayScene, npt.NDArray[np.uint8]]:
    """Render part `index` of `jobs` of `scene` into `folder`; the scene and the last
    frame drawn. A part other than the first that draws the clip's last frame saves
    it there."""
    renderer = cast(SegmentRenderer, scene.renderer)
    writer = renderer.chunk_writer
    writer.video_format, writer.folder, writer.part = (
        FORMATS["mp4"],
        folder,
        (index, jobs),
    )
    try:
        scene.render()
    except NothingToRender:
        writer.abort()
        return scene, np.zeros((0, 0, 4), np.uint8)  # no frame drawn
    except BaseException:
        writer.abort()
        raise
    frame = np.array(renderer.get_frame(), dtype=np.uint8)
    schedule = scene.schedule
    frames = writer.frames
    if index > 0 and schedule and frames is not None and frames.stop >= schedule.frames:
        np.save(folder / LAST_FRAME, frame)
    return scene, frame


def fork_part(index: int, folder: Path, draw: Callable[[int], Any]) -> Part:
    """Start a process that runs `draw(index)` and exits; a failure's message goes
    into `folder`."""
    parent = os.getpid()
    # No signal reaches the new process before it has set its own handlers
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        pid = os.fork()
        if pid == 0:
            run_part(index, parent, folder, draw)
        return Part(index, pid)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def run_part(
    index: int, parent: int, folder: Path, draw: Callable[[int], Any]
) -> NoReturn:
    """In the forked process: draw the part, leave its error in a file, and exit
    without running anything of the parent's (its clean-ups, its atexit)."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops it
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        end_with(parent)
        config.progress_bar = "none"  # one bar: the parent's
        # Manim's own files (texts as SVG) apart: two processes writing one would clash
        config.media_dir = str(folder / f"media_{index}")
        draw(index)
        code = 0
    except BaseException as error:
        with suppress(BaseException):
            message = str(error) or type(error).__name__
            error_file(folder, index).write_text(message)
    finally:
        os._exit(code)


def error_file(folder: Path, index: int) -> Path:
    """Where part `index` leaves the message of its failure."""
    return folder / f"part_{index}.error"


def wait(parts: list[Part], folder: Path) -> None:
    """Wait for every part's process to exit; raise the first failure."""
    failures = []
    for part in parts:
        _, status = os.waitpid(part.pid, 0)
        part.running = False
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            message = read_error(error_file(folder, part.index))
            failures.append(message or f"its process ended with {code}")
    if failures:
        raise RuntimeError(f"a part of the clip failed: {failures[0]}")


def read_error(path: Path) -> str:
    """The message a part left, or ''."""
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def stop(parts: list[Part]) -> None:
    """Stop the parts still running (SIGTERM ends them at once) and reap them."""
    for part in parts:
        if part.running:
            with suppress(ProcessLookupError):
                os.kill(part.pid, signal.SIGTERM)
    for part in parts:
        if part.running:
            with suppress(ChildProcessError):
                os.waitpid(part.pid, 0)
            part.running = False
