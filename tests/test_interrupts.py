"""Failed, interrupted and killed renders: the old file survives, nothing is left behind.

Each render.py child runs with its own TMPDIR, so the temporary folders it makes
(named with its PID) can be watched, and with SIGINT's default disposition, as a
user's shell gives it: a suite started from a background job or nohup inherits
SIGINT ignored, and the child would then render on through Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import av
import pytest

from scenes.fit_line import FitLine
from sgd_anim.cleanup import STALE_SECONDS
from sgd_anim.files.encoder import ENCODER_THREAD
from sgd_anim.files.export import render_scene
from sgd_anim.registry import SCENES, train_runs
from sgdcore.config import RunOptions
from tests.conftest import REPO, invoke

PYTHON = sys.executable
STARTED_SECONDS = 60  # imports and training, until the render's folder appears
STOPPED_SECONDS = 30  # from the signal until every process is gone


def default_sigint() -> None:
    """In the child before exec: SIGINT as a terminal gives it, whatever we inherited."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(
    *args: str, cwd: Path, tmpdir: Path, group: bool = False
) -> subprocess.Popen[str]:
    """Start render.py with `args`, its own TMPDIR and SIGINT's default disposition
    (`group`: in a process group of its own, as a terminal's foreground job is)."""
    tmpdir.mkdir(exist_ok=True)
    return subprocess.Popen(
        [PYTHON, str(REPO / "render.py"), *args],
        cwd=cwd,
        env={**os.environ, "TMPDIR": str(tmpdir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,  # signal.signal only: safe between fork and exec
        process_group=0 if group else None,
    )


def wait_for_folder(tmpdir: Path, prefix: str, process: subprocess.Popen[str]) -> Path:
    """The first temporary folder named `prefix*` the process makes."""
    deadline = time.monotonic() + STARTED_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        found = sorted(tmpdir.glob(f"{prefix}*"))
        if found:
            return found[0]
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"no {prefix} folder within {STARTED_SECONDS} s")


def ignored_signals(pid: int) -> int:
    """The process's mask of ignored signals, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("SigIgn:"))
    return int(line.split()[1], 16)


def test_child_gets_default_sigint_even_when_the_suite_ignores_it(
    tmp_path: Path,
) -> None:
    # What a suite started with `pytest &` in a script, or under nohup, inherits
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process = start("--list", cwd=tmp_path, tmpdir=tmp_path / "tmp")
        assert not ignored_signals(process.pid) & (1 << (signal.SIGINT - 1))
    finally:
        signal.signal(signal.SIGINT, previous)
        process.communicate(timeout=STOPPED_SECONDS)


@pytest.mark.slow
def test_failed_render_leaves_previous_output_intact(tmp_path: Path) -> None:
    class Broken(FitLine):
        def construct(self) -> None:
            super().construct()
            raise RuntimeError("boom")

    output = tmp_path / "clip.mp4"
    output.write_bytes(b"previous good file")
    with pytest.raises(RuntimeError, match="boom"):
        traces = train_runs("fit_line", RunOptions(n_steps=2))
        render_scene(
            Broken, traces, output, "low", progress=False, pace=SCENES["fit_line"].pace
        )
    assert output.read_bytes() == b"previous good file"
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]
    assert not [t for t in threading.enumerate() if t.name == ENCODER_THREAD]


@pytest.mark.slow
@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_interrupted_render_keeps_previous_output_and_next_render_works(
    tmp_path: Path, sent: signal.Signals
) -> None:
    output, tmpdir = tmp_path / "clip.mp4", tmp_path / "tmp"
    output.write_bytes(b"previous good file")
    # 4,000 steps is over 40 s of rendering at low quality: the signal lands mid-render
    args = ["--scene", "fit_line", "--quality", "low", "--steps", "4000"]
    process = start(*args, "-o", str(output), cwd=tmp_path, tmpdir=tmpdir)
    wait_for_folder(tmpdir, "sgd-render-", process)
    time.sleep(1)  # into the frames
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=STOPPED_SECONDS)
    assert process.returncode != 0
    assert "Traceback" not in stderr
    assert output.read_bytes() == b"previous good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4", "tmp"]
    assert list(tmpdir.iterdir()) == []
    again = start(
        *args[:4], "--steps", "2", "-o", str(output), cwd=tmp_path, tmpdir=tmpdir
    )
    _, stderr = again.communicate(timeout=STARTED_SECONDS)
    assert again.returncode == 0, stderr
    with av.open(str(output)) as container:
        assert container.streams.video[0].codec_context.name == "h264"


@pytest.mark.slow
def test_sigterm_during_a_deck_leaves_no_deck_folder(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    args = ["--scene", "lr_too_low", "--slides", "--quality", "low", "-o", "t.html"]
    process = start(*args, cwd=tmp_path, tmpdir=tmpdir)
    wait_for_folder(tmpdir, "sgd-deck-", process)
    time.sleep(1)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=STOPPED_SECONDS)
    assert process.returncode != 0 and "Traceback" not in stderr
    assert list(tmpdir.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]


# render.py, with SIGTERM landing in a __del__ once the deck's first scene is drawn:
# as in tqdm's, whose __del__ runs as manim drops a progress bar. Python prints the
# handler's KeyboardInterrupt there and ignores it.
SIGTERM_IN_A_DEL = """
import os, signal, sys, time
from sgd_anim.cli import main
from sgd_anim.files import slides

drawn = slides.render_beats


class Collected:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)


def render_beats(*args, **kwargs):
    beats = drawn(*args, **kwargs)
    Collected()
    print("signalled", file=sys.stderr, flush=True)
    return beats


slides.render_beats = render_beats
main()
"""


@pytest.mark.slow
def test_a_deck_whose_sigterm_a_del_swallowed_stops_and_writes_nothing(
    tmp_path: Path,
) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    args = ["--scene", "lr_too_low", "--slides", "--quality", "low", "-o", "t.html"]
    process = subprocess.run(
        [PYTHON, "-c", SIGTERM_IN_A_DEL, *args],
        cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=STARTED_SECONDS + STOPPED_SECONDS,
        preexec_fn=default_sigint,
    )
    # The interrupt was swallowed, and the command stopped all the same, as on Ctrl-C
    swallowed, after = process.stderr.split("signalled")
    assert "Exception ignored" in swallowed and "KeyboardInterrupt" in swallowed
    assert process.returncode == 1 and after.split() == ["Aborted!"], process.stderr
    assert list(tmpdir.glob("sgd-*")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]


@pytest.mark.slow
def test_sigterm_to_scene_all_stops_its_children_and_their_files(
    tmp_path: Path,
) -> None:
    tmpdir = tmp_path / "tmp"
    args = ["--scene", "all", "--quality", "low", "--jobs", "2", "-o", "out"]
    process = start(*args, cwd=tmp_path, tmpdir=tmpdir)
    child_folder = wait_for_folder(tmpdir, "sgd-render-", process)
    child = int(child_folder.name.split("-")[2])  # sgd-render-PID-XXXXXXXX
    time.sleep(1)
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=STOPPED_SECONDS)
    assert process.returncode != 0 and "Traceback" not in stderr
    # The parent waited for its children: they are gone, and so are their folders
    assert time.monotonic() - began < STOPPED_SECONDS
    assert not Path(f"/proc/{child}").exists()
    assert list(tmpdir.iterdir()) == []
    assert [
        p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")
    ] == []


@pytest.mark.slow
def test_what_a_killed_render_left_is_swept_by_the_next_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rendered: list[dict[str, object]],
) -> None:
    tmpdir = tmp_path / "tmp"
    args = ["--scene", "fit_line", "--quality", "low", "--steps", "4000"]
    process = start(*args, "-o", "clip.mp4", cwd=tmp_path, tmpdir=tmpdir)
    left = wait_for_folder(tmpdir, "sgd-render-", process)
    staged = tmp_path / f".clip.mp4.{process.pid}.partial"
    staged.write_bytes(b"")  # as if killed while moving the file into place
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=STOPPED_SECONDS)
    assert left.exists(), "SIGKILL ran the clean-up?"
    # Older than a minute, and its process gone: the next run removes both
    old = time.time() - STALE_SECONDS - 1
    for path in (left, staged):
        os.utime(path, (old, old))
    monkeypatch.setattr("tempfile.tempdir", str(tmpdir))
    monkeypatch.chdir(tmp_path)
    result = invoke("--scene", "fit_line", "-o", "clip.mp4")
    assert result.exit_code == 0, result.output
    assert not left.exists() and not staged.exists()
