"""Outputs checked before the render: writable folders, names that fit, distinct files.

Each case once rendered fully and then failed with exit 1; now each exits
2 in one line before anything is trained or drawn.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path
from typing import Any

import pytest

from sgd_anim.outputs import NAME_MAX, PARTIAL_BYTES
from sgdcore.config import RunOptions
from sgdcore.trace import Trace
from tests.conftest import assert_usage_error, invoke

pytestmark = pytest.mark.usefixtures("in_tmp_path")
LONGEST = NAME_MAX - PARTIAL_BYTES  # bytes in an output name, its temporary beside it


@pytest.fixture(autouse=True)
def nothing_runs(rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No torch, no manim: what reached the render, if anything did."""
    return rendered


def fit(*args: str) -> list[str]:
    """`--scene fit_line` and `args`."""
    return ["--scene", "fit_line", *args]


@pytest.mark.parametrize("folder", ["/proc", "/sys", "/proc/self"])
def test_output_under_proc_or_sys_exits_2_before_rendering(
    folder: str, rendered: list[dict[str, Any]], trained: dict[str, RunOptions]
) -> None:
    # Root passes os.access there; only a real write is refused
    result = invoke(*fit("-o", f"{folder}/clip.mp4"))
    assert_usage_error(result, "--output", "cannot write", folder)
    assert rendered == [] and trained == {}


def test_save_trace_under_proc_exits_2() -> None:
    result = invoke(*fit("-o", "clip.mp4", "--save-trace", "/proc/run.npz"))
    assert_usage_error(result, "--save-trace", "cannot write", "/proc")


def test_scene_all_into_proc_exits_2(children: list[list[str]]) -> None:
    assert_usage_error(invoke("--scene", "all", "-o", "/proc"), "--output", "/proc")
    assert children == []


def test_the_writability_probe_leaves_nothing(in_tmp_path: Path) -> None:
    assert invoke(*fit("-o", "clip.mp4")).exit_code == 0
    assert list(in_tmp_path.iterdir()) == []  # the stand-in render wrote nothing


@pytest.mark.parametrize("length", [250, 300])
def test_an_output_name_too_long_exits_2_before_rendering(
    length: int, rendered: list[dict[str, Any]]
) -> None:
    # 250 failed after the whole render and leaked the render's temporary folder
    name = "a" * (length - 4) + ".mp4"
    result = invoke(*fit("-o", name))
    assert_usage_error(result, "--output", f"at most {LONGEST}")
    assert rendered == []


def test_an_output_name_as_long_as_allowed_renders(
    rendered: list[dict[str, Any]],
) -> None:
    name = "a" * (LONGEST - 4) + ".mp4"
    assert invoke(*fit("-o", name)).exit_code == 0
    assert rendered[0]["output"] == Path(name)


def test_a_multibyte_output_name_counts_bytes() -> None:
    name = "é" * ((LONGEST - 4) // 2 + 1) + ".mp4"  # fits in characters, not in bytes
    assert_usage_error(invoke(*fit("-o", name)), "--output", "bytes")


def test_a_save_trace_name_of_300_characters_exits_2() -> None:
    result = invoke(*fit("-o", "clip.mp4", "--save-trace", "r" * 296 + ".npz"))
    assert_usage_error(result, "--save-trace", f"at most {NAME_MAX - PARTIAL_BYTES}")


def test_save_trace_onto_the_output_exits_2(in_tmp_path: Path) -> None:
    # It exited 0 after overwriting the trace with the video
    (in_tmp_path / "out").mkdir()
    result = invoke(*fit("--save-trace", "out/v.mp4", "-o", "out/v.mp4"))
    assert_usage_error(result, "--save-trace", "also the --output")


def test_trace_onto_the_output_exits_2(
    tiny_trace: Trace, in_tmp_path: Path, rendered: list[dict[str, Any]]
) -> None:
    tiny_trace.save(in_tmp_path / "same.mp4")
    before = (in_tmp_path / "same.mp4").read_bytes()
    result = invoke(*fit("--trace", "same.mp4", "-o", "same.mp4"))
    assert_usage_error(result, "--trace", "also the --output")
    assert rendered == [] and (in_tmp_path / "same.mp4").read_bytes() == before


def test_trace_onto_the_output_through_another_path_exits_2(
    tiny_trace: Trace, in_tmp_path: Path
) -> None:
    tiny_trace.save(in_tmp_path / "same.mp4")
    os.symlink(in_tmp_path / "same.mp4", in_tmp_path / "link.mp4")
    result = invoke(*fit("--trace", "link.mp4", "-o", "./same.mp4"))
    assert_usage_error(result, "--trace", "also the --output")


def test_poster_onto_a_folder_exits_2_before_rendering(
    in_tmp_path: Path, rendered: list[dict[str, Any]]
) -> None:
    (in_tmp_path / "clip.png").mkdir()
    result = invoke(*fit("-o", "clip.mp4", "--poster"))
    assert_usage_error(result, "--poster", "folder")
    assert rendered == []


def test_poster_onto_the_saved_trace_exits_2() -> None:
    result = invoke(*fit("-o", "clip.mp4", "--poster", "--save-trace", "clip.png"))
    assert_usage_error(result, "--save-trace", "also the --poster")


def test_deck_onto_the_replayed_trace_exits_2(
    tiny_trace: Trace, in_tmp_path: Path, decks: list[dict[str, Any]]
) -> None:
    tiny_trace.save(in_tmp_path / "talk.pptx")
    result = invoke(*fit("--slides", "-o", "talk.html", "--trace", "talk.pptx"))
    assert_usage_error(result, "--trace", "also the --output")
    assert decks == []


# -- special files: a new file moved onto one would replace it ------------------------


def special_file(path: Path, kind: str) -> Path:
    """A FIFO, a link to /dev/null, or a listening Unix socket at `path`."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/null")
    else:
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(path))
        listener.close()  # the socket file stays
    return path


SPECIAL_KINDS = {"fifo": "a FIFO", "device": "character device", "socket": "socket"}
SPECIAL_OUTPUTS = [
    (("-o", "clip.mp4"), "clip.mp4", "--output"),
    (("-o", "clip.png"), "clip.png", "--output"),
    (("-o", "clip.mp4", "--poster"), "clip.png", "--poster"),
    (("-o", "clip.gif", "--captions"), "clip.vtt", "--captions"),
    (("-o", "clip.webm", "--captions"), "clip.srt", "--captions"),
    (("-o", "clip.mp4", "--save-trace", "run.npz"), "run.npz", "--save-trace"),
    (("--slides", "-o", "talk.html"), "talk.html", "--output"),
    (("--slides", "-o", "talk.html"), "talk.pptx", "--output"),
]


@pytest.mark.parametrize("kind", list(SPECIAL_KINDS))
@pytest.mark.parametrize(("args", "name", "flag"), SPECIAL_OUTPUTS)
def test_an_existing_special_file_as_any_output_exits_2_and_stays(
    kind: str,
    args: tuple[str, ...],
    name: str,
    flag: str,
    in_tmp_path: Path,
    rendered: list[dict[str, Any]],
    decks: list[dict[str, Any]],
) -> None:
    path = special_file(in_tmp_path / name, kind)
    before = os.stat(path).st_mode
    assert_usage_error(invoke(*fit(*args)), flag, name, SPECIAL_KINDS[kind])
    assert rendered == [] and decks == []
    assert os.stat(path).st_mode == before  # still the same kind of file


def test_dev_null_as_save_trace_exits_2() -> None:
    result = invoke(*fit("-o", "clip.mp4", "--save-trace", "/dev/null"))
    assert_usage_error(result, "--save-trace", "/dev/null", "character device")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((), "lr_too_high.mp4"),
        (("--format", "gif"), "validation.gif"),
        (("--poster",), "minibatch.png"),
        (("--captions",), "optimizers.vtt"),
    ],
)
def test_scene_all_refuses_a_special_file_among_its_outputs(
    args: tuple[str, ...], name: str, in_tmp_path: Path, children: list[list[str]]
) -> None:
    (in_tmp_path / "out").mkdir()
    os.mkfifo(in_tmp_path / "out" / name)
    result = invoke("--scene", "all", "-o", "out", *args)
    assert_usage_error(result, name, "a FIFO")
    assert children == []


def test_a_deck_refuses_a_file_where_its_assets_folder_goes(
    in_tmp_path: Path, decks: list[dict[str, Any]]
) -> None:
    os.mkfifo(in_tmp_path / "talk_assets")
    result = invoke(*fit("--slides", "-o", "talk.html"))
    assert_usage_error(result, "--output", "talk_assets", "a FIFO")
    assert decks == []


def test_a_regular_file_and_a_link_to_one_are_still_replaced(
    in_tmp_path: Path, rendered: list[dict[str, Any]]
) -> None:
    (in_tmp_path / "old.mp4").write_bytes(b"old")
    (in_tmp_path / "link.mp4").symlink_to(in_tmp_path / "old.mp4")
    assert invoke(*fit("-o", "old.mp4")).exit_code == 0
    assert invoke(*fit("-o", "link.mp4")).exit_code == 0
    assert [call["output"] for call in rendered] == [Path("old.mp4"), Path("link.mp4")]


def test_a_deck_of_every_scene_makes_no_folder_of_its_html_name(
    in_tmp_path: Path, decks: list[dict[str, Any]]
) -> None:
    # --scene all --slides -o t.html made t.html a folder, where the deck then could
    # not go, and left it behind when interrupted
    result = invoke("--scene", "all", "--slides", "-o", "deck/t.html")
    assert result.exit_code == 0, result.output
    assert decks[0]["html"] == Path("deck/t.html")
    assert [p.name for p in in_tmp_path.iterdir()] == ["deck"]
    assert list((in_tmp_path / "deck").iterdir()) == []
