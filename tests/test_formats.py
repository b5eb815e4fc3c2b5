"""Every output format, decoded and checked; combinations that cannot work exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from sgd_anim import options
from sgd_anim.files.formats import ALPHA_FORMATS, FORMATS, GIF_FPS, PAGE_FORMATS
from tests.conftest import REPO, assert_usage_error, invoke
from tests.planned import planned_frames

STEPS = 5
LOW = (854, 480)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """render.py in a subprocess, fit_line at low quality with a short run."""
    command = [sys.executable, str(REPO / "render.py"), "--quality", "low", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def decode_alpha(path: Path) -> list[np.ndarray]:
    """Every frame as RGBA, decoded with libvpx for VP9 (FFmpeg's own drops alpha)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.codec_context.name != "vp9":
            return [
                frame.to_ndarray(format="rgba") for frame in container.decode(stream)
            ]
        decoder = av.CodecContext.create("libvpx-vp9", "r")
        frames = [
            f for p in container.demux(stream) if p.size for f in decoder.decode(p)
        ]
        return [
            frame.to_ndarray(format="rgba") for frame in frames + decoder.decode(None)
        ]


def test_cli_format_lists_match_the_encoders() -> None:
    assert sorted(options.FORMAT_NAMES) == sorted([*FORMATS, *PAGE_FORMATS])
    assert sorted(options.ALPHA_FORMAT_NAMES) == ALPHA_FORMATS


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fmt", "codec", "pixel_format", "fps"),
    [
        ("webm", "vp9", "yuv420p", 15),
        ("mov", "prores", "yuv422p10le", 15),
        ("gif", "gif", None, GIF_FPS),
    ],
)
def test_video_formats_decode_with_the_right_codec_size_and_length(
    tmp_path: Path, fmt: str, codec: str, pixel_format: str | None, fps: int
) -> None:
    result = run(
        "--scene", "fit_line", "--steps", str(STEPS), "--format", fmt,
        "--save-trace", "run.npz", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    output = tmp_path / "renders" / f"fit_line.{fmt}"
    with av.open(str(output)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == codec
        frames = list(container.decode(stream))
    assert (frames[0].width, frames[0].height) == LOW
    if pixel_format:
        assert frames[0].format.name == pixel_format
    assert len(frames) == planned_frames("fit_line", tmp_path / "run.npz", fps)


@pytest.mark.slow
def test_mov_holds_the_mp4s_frames_in_prores_hq(tmp_path: Path) -> None:
    common = ["--scene", "fit_line", "--steps", "3", "--save-trace", "run.npz"]
    for name in ("clip.mp4", "clip.mov"):
        result = run(*common, "-o", name, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    with av.open(str(tmp_path / "clip.mov")) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "prores"
        assert stream.codec_context.profile == "HQ"
        assert stream.codec_context.codec_tag == "apch"
        mov = [frame.to_ndarray(format="rgb24") for frame in container.decode(stream)]
        assert stream.duration is not None
        seconds = stream.duration * stream.time_base
    with av.open(str(tmp_path / "clip.mp4")) as container:
        mp4 = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    planned = planned_frames("fit_line", tmp_path / "run.npz", 15)
    assert len(mov) == len(mp4) == planned == seconds * 15
    for ours, reference in zip(mov, mp4, strict=True):
        difference = np.abs(ours.astype(int) - reference.astype(int))
        # H.264 at crf 23 in 4:2:0 against near-lossless ProRes in 4:2:2: the
        # same picture, apart from coding noise at the sharp edges
        assert difference.mean() < 2 and np.percentile(difference, 99) < 40


@pytest.mark.slow
def test_gif_loops_forever_at_25_fps_and_stays_small(tmp_path: Path) -> None:
    result = run(
        "--scene", "fit_line", "--format", "gif", "-o", "clip.gif",
        "--save-trace", "run.npz", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    gif = tmp_path / "clip.gif"
    with Image.open(gif) as image:
        assert image.info["loop"] == 0  # NETSCAPE2.0 loop count 0: forever
        assert image.info["duration"] == 1000 // GIF_FPS
        planned = planned_frames("fit_line", tmp_path / "run.npz", GIF_FPS)
        assert image.n_frames == planned  # the lesson's run in beats, 25 fps
    assert gif.stat().st_size < 5 * 1024 * 1024


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["webm", "mov"])
def test_transparent_video_carries_alpha(tmp_path: Path, fmt: str) -> None:
    output = tmp_path / f"clip.{fmt}"
    result = run(
        "--scene",
        "lr_too_low",
        "--steps",
        "2",
        "--transparent",
        "-o",
        str(output),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    frames = decode_alpha(output)
    alpha = frames[-1][..., 3]
    assert alpha.min() < 10 and alpha.max() > 245  # clear background, opaque ink
    with av.open(str(output)) as container:
        name = container.streams.video[0].codec_context.pix_fmt
    assert fmt == "webm" or name.startswith("yuva444")  # ProRes 4444


@pytest.mark.slow
def test_png_is_the_last_frame_and_poster_sits_beside_the_video(tmp_path: Path) -> None:
    still = run("--scene", "fit_line", "--steps", "3", "-o", "last.png", cwd=tmp_path)
    assert still.returncode == 0, still.stderr
    video = run(
        "--scene",
        "fit_line",
        "--steps",
        "3",
        "-o",
        "clip.mp4",
        "--poster",
        cwd=tmp_path,
    )
    assert video.returncode == 0, video.stderr
    assert str(Path("clip.png")) in video.stdout
    with (
        Image.open(tmp_path / "last.png") as last,
        Image.open(tmp_path / "clip.png") as poster,
    ):
        assert last.size == poster.size == LOW and last.mode == "RGB"
        difference = np.abs(np.asarray(last, dtype=int) - np.asarray(poster, dtype=int))
    assert difference.max() == 0  # the same final frame either way
    with av.open(str(tmp_path / "clip.mp4")) as container:
        final = list(container.decode(video=0))[-1].to_ndarray(format="rgb24")
    assert (
        np.abs(
            final.astype(int) - np.asarray(Image.open(tmp_path / "clip.png"), dtype=int)
        ).mean()
        < 3
    )


@pytest.mark.slow
def test_scene_all_renders_every_scene_in_parallel(tmp_path: Path) -> None:
    png = ("--scene", "all", "--format", "png", "--steps", "3", "--jobs", "2")
    result = run(*png, "-o", "stills", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    from sgd_anim.registry import SCENES as CATALOG

    written = sorted(p.name for p in (tmp_path / "stills").iterdir())
    assert written == sorted(f"{name}.png" for name in CATALOG)
    assert result.stdout.count(f"/{len(CATALOG)}]") == len(CATALOG)
    for path in (tmp_path / "stills").iterdir():
        with Image.open(path) as image:
            assert image.size == LOW


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--scene", "fit_line", "--transparent"], "mp4 has no alpha"),
        (
            ["--scene", "fit_line", "--transparent", "--format", "gif"],
            "gif has no alpha",
        ),
        (["--scene", "fit_line", "-o", "clip.avi"], "must end in one of"),
        (
            ["--scene", "fit_line", "-o", "clip.mp4", "--format", "webm"],
            "does not end in .webm",
        ),
        (["--scene", "fit_line", "--format", "tiff"], "tiff"),
        (["--scene", "fit_line", "--theme", "sepia"], "sepia"),
        (["--scene", "all", "--lr", "0.2"], "cannot apply to all"),
        (["--scene", "fit_line", "--jobs", "0"], "range"),
    ],
)
def test_impossible_output_requests_exit_2(args: list[str], words: str) -> None:
    assert_usage_error(invoke(*args), words)
