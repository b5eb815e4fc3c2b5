"""--scene all interrupted or killed: its children end with it, and nothing is left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import av
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgd_anim.cleanup import PARENT_VARIABLE
from sgd_anim.registry import SCENES
from tests.conftest import REPO
from tests.test_interrupts import (
    PYTHON,
    STARTED_SECONDS,
    STOPPED_SECONDS,
    start,
    wait_for_folder,
)

# -- --scene all: its children end with it, however it ends ------------------------------


def children_of(pid: int) -> list[int]:
    """The live processes whose parent is `pid`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] not in "ZX":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for whoever reaps orphans does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in "ZX"


def wait_until_gone(pids: list[int]) -> None:
    """Wait until none of `pids` runs; fail after STOPPED_SECONDS."""
    deadline = time.monotonic() + STOPPED_SECONDS
    while any(alive(pid) for pid in pids):
        assert time.monotonic() < deadline, [pid for pid in pids if alive(pid)]
        time.sleep(0.1)


def two_children_rendering(
    tmp_path: Path, *extra: str
) -> tuple[subprocess.Popen[str], list[int], Path]:
    """`--scene all --jobs 2` into tmp_path/out, once both children are rendering;
    every output there already holds a previous file."""
    tmpdir, out = tmp_path / "tmp", tmp_path / "out"
    out.mkdir()
    for name in SCENES:
        (out / f"{name}.mp4").write_bytes(b"previous good file")
    args = ["--scene", "all", "--quality", "low", "--jobs", "2", "-o", "out", *extra]
    process = start(*args, cwd=tmp_path, tmpdir=tmpdir, group=True)
    deadline = time.monotonic() + STARTED_SECONDS
    while len(list(tmpdir.glob("sgd-render-*"))) < 2:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "two children never began rendering"
        time.sleep(0.1)
    return process, children_of(process.pid), out


def assert_nothing_left(tmp_path: Path, out: Path) -> None:
    """No temporary folder, no staged file, and every previous output as it was or
    replaced by a whole video (a scene a child finished before the signal came)."""
    # A child started after the test listed the children (one finished a scene
    # meanwhile) stops on the same signal but may still be cleaning up: wait for it
    deadline = time.monotonic() + STOPPED_SECONDS
    while list((tmp_path / "tmp").iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list((tmp_path / "tmp").iterdir()) == []
    for path in out.iterdir():
        assert not path.name.startswith("."), path.name
        if path.read_bytes() != b"previous good file":
            with av.open(str(path)) as video:
                stream = video.streams.video[0]
                frames = sum(1 for _ in video.decode(stream))
            assert frames > 0 and frames == stream.frames, path.name


@pytest.mark.slow
@pytest.mark.parametrize("moment", [0.0, 1.0])
def test_ctrl_c_to_scene_all_leaves_no_child_folder(
    tmp_path: Path, moment: float
) -> None:
    # Ctrl-C reaches the whole group; the parent's SIGTERM then reached children
    # still removing their folders after their own SIGINT, and cut that short
    process, children, out = two_children_rendering(tmp_path)
    time.sleep(moment)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=STOPPED_SECONDS)
    assert process.returncode != 0 and "Traceback" not in stderr, stderr
    assert "Aborted!" in stderr
    wait_until_gone(children)
    assert_nothing_left(tmp_path, out)


@pytest.mark.slow
def test_children_of_a_killed_scene_all_stop_and_replace_nothing(
    tmp_path: Path,
) -> None:
    # They rendered on and replaced two outputs 15 s after their parent was killed
    process, children, out = two_children_rendering(tmp_path)
    assert len(children) == 2, children
    process.kill()
    process.communicate(timeout=STOPPED_SECONDS)
    wait_until_gone(children)
    assert_nothing_left(tmp_path, out)


@pytest.mark.slow
def test_a_child_whose_parent_is_already_gone_renders_nothing(tmp_path: Path) -> None:
    # As if the parent died between starting the child and the child's first line
    output = tmp_path / "clip.mp4"
    output.write_bytes(b"previous good file")
    process = subprocess.run(
        [
            PYTHON,
            str(REPO / "render.py"),
            "--scene",
            "fit_line",
            "-ql",
            "-o",
            "clip.mp4",
        ],
        cwd=tmp_path,
        env={**os.environ, PARENT_VARIABLE: str(os.getpid() + 1)},  # not our PID
        capture_output=True,
        text=True,
        timeout=STARTED_SECONDS,
        check=False,
    )
    assert process.returncode != 0 and "Traceback" not in process.stderr
    assert output.read_bytes() == b"previous good file"


@pytest.mark.slow
def test_sigterm_to_scene_all_slides_leaves_no_deck_folder(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    args = ["--scene", "all", "--slides", "--quality", "low", "-o", "t.html"]
    process = start(*args, cwd=tmp_path, tmpdir=tmpdir)
    wait_for_folder(tmpdir, "sgd-deck-", process)
    time.sleep(3)  # into the first scene's frames
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=STOPPED_SECONDS)
    assert process.returncode != 0 and "Traceback" not in stderr
    assert list(tmpdir.glob("sgd-*")) == []  # (torch may leave its compile cache)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "3")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    how=st.sampled_from(["Ctrl-C to the group", "SIGTERM", "SIGKILL"]),
    moment=st.floats(0, 3),
)
def test_scene_all_stopped_any_way_at_any_moment_leaves_nothing(
    how: str, moment: float, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp_path = tmp_path_factory.mktemp("stopped")
    process, children, out = two_children_rendering(tmp_path)
    time.sleep(moment)
    if how == "Ctrl-C to the group":
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
    _, stderr = process.communicate(timeout=STOPPED_SECONDS)
    assert process.returncode != 0 and "Traceback" not in stderr, stderr
    wait_until_gone(children)
    assert_nothing_left(tmp_path, out)
