"""One mp4 drawn by several processes, each a part of its frames: the same file as one
process draws, byte for byte; a failing or killed part leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import av
import numpy as np
import pytest
from manim.utils.exceptions import EndSceneEarlyException

from scenes.fit_line import FitLine
from sgd_anim.files.chunked import ChunkFileWriter, SegmentRenderer
from sgd_anim.files.export import render_scene
from sgd_anim.registry import SCENES, train_runs
from sgdcore.config import RunOptions
from tests.conftest import invoke, parse
from tests.test_interrupts import (
    STARTED_SECONDS,
    STOPPED_SECONDS,
    start,
    wait_for_folder,
)

SHORT_CHUNK = 40  # frames: a low-quality clip of a few steps holds several chunks


def render(scene: str, output: Path, jobs: int, options: RunOptions) -> int:
    """Render `scene` at low quality into `output` with `jobs` processes, with its
    poster (NAME.png) and captions; its frames."""
    spec = SCENES[scene]
    traces = train_runs(scene, options)
    info = render_scene(
        spec.scene_class(), traces, output, "low", progress=False,
        poster=output.with_suffix(".png"), captions=True, pace=spec.pace, jobs=jobs,
    )  # fmt: skip
    return info.frames


def decoded(path: Path) -> tuple[list[np.ndarray], list[int]]:
    """Every frame of the video as RGB, and the indices of its keyframes."""
    frames, keyframes = [], []
    with av.open(str(path)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            frames.append(frame.to_ndarray(format="rgb24"))
            if frame.key_frame:
                keyframes.append(index)
    return frames, keyframes


@pytest.mark.slow
@pytest.mark.parametrize(
    ("scene", "options", "skips"),
    [
        ("fit_line", RunOptions(n_steps=6), True),
        ("surface_3d", RunOptions(), True),  # a 3-D camera's kept layers
        # A DotLayer of used points, added step by step: no beat is skipped
        ("minibatch", RunOptions(n=1_000, batch_size=100, epochs=3), False),
    ],
    ids=["fit_line", "surface_3d", "minibatch-layers"],
)
def test_a_clip_drawn_in_parts_is_the_clip_drawn_whole(
    scene: str,
    options: RunOptions,
    skips: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ChunkFileWriter, "chunk_frames", SHORT_CHUNK)
    skipped: list[object] = []
    skippable = SegmentRenderer.skippable

    def spied(self: SegmentRenderer) -> object:
        beat = skippable(self)
        skipped.extend([beat] if beat else [])
        return beat

    monkeypatch.setattr(SegmentRenderer, "skippable", spied)
    whole, parts = tmp_path / "whole.mp4", tmp_path / "parts.mp4"
    frames = render(scene, whole, 1, options)
    assert frames > 3 * SHORT_CHUNK  # so three processes each draw a part
    assert render(scene, parts, 3, options) == frames
    # The parent played some beats before the last part in one step each, or none
    assert bool(skipped) == skips
    for suffix in (".mp4", ".png", ".vtt"):  # the poster is the last part's last frame
        made = parts.with_suffix(suffix).read_bytes()
        assert made == whole.with_suffix(suffix).read_bytes(), suffix
    # And so, decoded: every frame, each chunk starting on a keyframe
    pictures, keyframes = decoded(parts)
    assert len(pictures) == frames
    assert keyframes == list(range(0, frames, SHORT_CHUNK))
    with av.open(str(parts)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
    assert {p.stem for p in tmp_path.iterdir()} == {"parts", "whole"}


class FailsInItsSecondPart(FitLine):
    """fit_line, whose second part's process fails as it starts drawing."""

    def play_beat(self, *args: object, **kwargs: object) -> None:
        writer = self.renderer.file_writer
        assert isinstance(writer, ChunkFileWriter)
        frames = writer.frames
        if writer.part == 1 and writer.frame_index + 1 >= frames.start:
            raise RuntimeError("boom in part 1")
        super().play_beat(*args, **kwargs)  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_failing_part_fails_the_render_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ChunkFileWriter, "chunk_frames", SHORT_CHUNK)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    output = tmp_path / "clip.mp4"
    output.write_bytes(b"previous good file")
    traces = train_runs("fit_line", RunOptions(n_steps=6))
    with pytest.raises(RuntimeError, match="boom in part 1"):
        render_scene(
            FailsInItsSecondPart, traces, output, "low", progress=False,
            pace=SCENES["fit_line"].pace, jobs=2,
        )  # fmt: skip
    assert output.read_bytes() == b"previous good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4", "tmp"]
    assert list((tmp_path / "tmp").iterdir()) == []
    with pytest.raises(ChildProcessError):  # every part's process reaped
        os.waitpid(-1, os.WNOHANG)


def children_of(pid: int) -> list[int]:
    """The processes `pid` started that are still running."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(word) for word in path.read_text().split()] if path.exists() else []


# A step a second: over 1,000 frames at low quality, in two parts
LONG_CLIP = ["--scene", "fit_line", "--quality", "low", "--steps", "300", "--pace", "1"]


def started_part(process: subprocess.Popen[str]) -> int:
    """The PID of the first part's process, which starts at the clip's first frame."""
    deadline = time.monotonic() + STARTED_SECONDS
    while not (parts := children_of(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(parts) == 1, "no part was started"
    return parts[0]


@pytest.mark.slow
@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_an_interrupted_clip_in_parts_leaves_the_old_file_and_no_process(
    tmp_path: Path, sent: signal.Signals
) -> None:
    output, tmpdir = tmp_path / "clip.mp4", tmp_path / "tmp"
    output.write_bytes(b"previous good file")
    args = [*LONG_CLIP, "--jobs", "2", "-o", str(output)]
    # Ctrl-C reaches the whole foreground process group: the parts too
    process = start(*args, cwd=tmp_path, tmpdir=tmpdir, group=True)
    wait_for_folder(tmpdir, "sgd-render-", process)
    part = started_part(process)
    time.sleep(1)  # into the frames
    if sent == signal.SIGINT:
        os.killpg(process.pid, sent)
    else:
        process.send_signal(sent)
    _, stderr = process.communicate(timeout=STOPPED_SECONDS)
    assert process.returncode != 0
    assert "Traceback" not in stderr
    assert not Path(f"/proc/{part}").exists()  # reaped by its parent
    assert output.read_bytes() == b"previous good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4", "tmp"]
    assert list(tmpdir.iterdir()) == []


@pytest.mark.slow
def test_a_part_dies_with_its_parent_killed_outright(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    args = [*LONG_CLIP, "--jobs", "2", "-o", "clip.mp4"]
    process = start(*args, cwd=tmp_path, tmpdir=tmpdir)
    wait_for_folder(tmpdir, "sgd-render-", process)
    parts = [started_part(process)]
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=STOPPED_SECONDS)
    deadline = time.monotonic() + STOPPED_SECONDS
    while Path(f"/proc/{parts[0]}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{parts[0]}").exists()
    assert not (tmp_path / "clip.mp4").exists()


def test_a_part_renderer_draws_only_its_frames_and_the_one_before() -> None:
    drawn: list[int] = []

    class Counting(SegmentRenderer):
        def update_frame(self, *args: object, **kwargs: object) -> None:
            drawn.append(self.chunk_writer.frame_index)

    class Counter:
        """A ChunkFileWriter's frame count, and nothing written."""

        frames, frame_index = range(5, 8), 0

        def write_frame(self, frame: object, num_frames: int = 1) -> None:
            self.frame_index += num_frames

    renderer = Counting()
    renderer.file_writer = Counter()  # type: ignore[assignment]
    for _ in range(8):
        renderer.render(None, 0.0)  # type: ignore[arg-type]
    assert drawn == [4, 5, 6, 7]
    with pytest.raises(EndSceneEarlyException):  # past the part: the scene ends
        renderer.render(None, 0.0)  # type: ignore[arg-type]
    assert drawn == [4, 5, 6, 7]


@pytest.mark.parametrize("jobs", [[], ["--jobs", "3"]])
def test_scene_all_children_each_draw_their_clip_in_one_process(
    children: list[list[str]], jobs: list[str]
) -> None:
    result = invoke("--scene", "all", *jobs)
    assert result.exit_code == 0, result.output
    assert len(children) == len(SCENES)
    assert all(parse(*argv[3:]).params["jobs"] == 1 for argv in children)
