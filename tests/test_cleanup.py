"""What killed runs leave is swept by the next run; SIGTERM cleans up as Ctrl-C does.

A leftover is stale when the PID in its name is gone and it is over a minute old;
anything else (a live run's folder, a fresh one, another program's file) stays.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from sgd_anim.cleanup import (
    STALE_SECONDS,
    TEMP_FOLDER,
    interrupt,
    move_into_place,
    sigterm_as_interrupt,
    sweep_leftovers,
)
from sgd_anim.files import slides
from sgd_anim.files.export import render_scene
from sgd_anim.registry import SCENES
from tests.conftest import invoke


@pytest.fixture(scope="module")
def gone() -> int:
    """The PID of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def tmpdir_(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private TMPDIR for tempfile."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


def leftover(path: Path, folder: bool = True, age: float = STALE_SECONDS + 5) -> Path:
    """A folder (or empty file) at `path`, last changed `age` seconds ago."""
    if folder:
        path.mkdir()
        (path / "partial_movie.mp4").write_bytes(b"\0" * 64)
    else:
        path.write_bytes(b"")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_folders_of_gone_processes_are_removed(tmpdir_: Path, gone: int) -> None:
    stale = [
        leftover(tmpdir_ / f"sgd-{kind}-{gone}-abcd_123") for kind in ("render", "deck")
    ]
    sweep_leftovers()
    assert not any(path.exists() for path in stale)


def test_live_fresh_or_foreign_folders_stay(tmpdir_: Path, gone: int) -> None:
    kept = [
        leftover(tmpdir_ / f"sgd-render-{os.getpid()}-abcd1234"),  # alive
        leftover(tmpdir_ / f"sgd-render-{gone}-fresh123", age=1),  # a minute not gone
        leftover(tmpdir_ / f"other-{gone}-abcd1234"),  # not ours
        leftover(tmpdir_ / "sgd-render-abcd1234"),  # no PID (made before PIDs)
        leftover(tmpdir_ / f"sgd-render-{gone}-file1234", folder=False),
    ]
    sweep_leftovers()
    assert all(path.exists() for path in kept)


def test_staged_files_of_gone_processes_beside_outputs_are_removed(
    tmp_path: Path, tmpdir_: Path, gone: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = leftover(out / f".clip.mp4.{gone}.partial", folder=False)
    poster = leftover(out / f".clip.png.{gone}.partial", folder=False)
    kept = [
        leftover(out / f".clip.mp4.{os.getpid()}.partial", folder=False),
        leftover(out / f".clip.mp4.{gone}.partial.bak", folder=False),
        leftover(out / ".run.npz.0123456789abcdef.partial", folder=False),  # sgdcore's
        leftover(out / f".notes.txt.{gone}.partial", folder=False),
    ]
    sweep_leftovers(out)
    assert not stale.exists() and not poster.exists()
    assert all(path.exists() for path in kept)


def test_each_run_sweeps_before_it_renders(
    in_tmp_path: Path, tmpdir_: Path, gone: int, rendered: list[dict[str, Any]]
) -> None:
    stale = leftover(tmpdir_ / f"sgd-render-{gone}-abcd1234")
    staged = leftover(in_tmp_path / f".clip.mp4.{gone}.partial", folder=False)
    assert invoke("--scene", "fit_line", "-o", "clip.mp4").exit_code == 0
    assert not stale.exists() and not staged.exists() and rendered


def test_sigterm_becomes_keyboard_interrupt_and_the_old_handler_returns() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), sigterm_as_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)  # the handler runs between bytecodes, well before this ends
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_refused_request_sweeps_nothing(tmpdir_: Path, gone: int) -> None:
    stale = leftover(tmpdir_ / f"sgd-render-{gone}-abcd1234")
    assert invoke("--scene", "fit_line", "--steps", "0").exit_code == 2
    assert stale.exists()


def sigterm_handler_name(queue: multiprocessing.Queue[str]) -> None:
    """Report, from a forked child, what SIGTERM does there."""
    handler = signal.getsignal(signal.SIGTERM)
    queue.put("default" if handler == signal.SIG_DFL else repr(handler))


def test_forked_workers_do_not_inherit_sigterm_as_interrupt() -> None:
    # A deck's worker pool is forked inside the handler; a worker that turned SIGTERM
    # into KeyboardInterrupt (then ignored the next) would hang the pool's shutdown
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[str] = context.Queue()
    with sigterm_as_interrupt():
        assert signal.getsignal(signal.SIGTERM) is interrupt
        child = context.Process(target=sigterm_handler_name, args=(queue,))
        child.start()
        child.join(timeout=30)
    assert queue.get(timeout=5) == "default"


class SignalledWhileCollected:
    """An object whose __del__ is where SIGTERM lands, as in tqdm's: the handler's
    KeyboardInterrupt is raised inside __del__, which Python prints and ignores."""

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)  # the handler runs here, well before this ends


def swallowed_sigterm() -> None:
    """SIGTERM arrives, and its KeyboardInterrupt is lost in a __del__."""
    SignalledWhileCollected()  # collected at once


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_sigterm_whose_interrupt_a_del_swallowed_still_stops_the_run(
    tmp_path: Path,
) -> None:
    old, staged = tmp_path / "clip.mp4", tmp_path / ".clip.mp4.1.partial"
    old.write_text("the good file")
    staged.write_text("half a render")
    reached_the_end = False
    with pytest.raises(KeyboardInterrupt), sigterm_as_interrupt():
        swallowed_sigterm()  # no exception here: the run goes on
        with pytest.raises(KeyboardInterrupt):
            move_into_place(staged, old)  # but nothing moves into place after it
        reached_the_end = True
    # The body ran to its end, and leaving it stops the run all the same
    assert reached_the_end and old.read_text() == "the good file"
    # The next run starts afresh
    with sigterm_as_interrupt():
        move_into_place(staged, old)
    assert old.read_text() == "half a render"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_deck_stops_at_the_next_scene_after_a_swallowed_sigterm(
    tmp_path: Path, tmpdir_: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[Path] = []

    def render_beats(*args: Any) -> None:
        rendered.append(args[2])
        swallowed_sigterm()  # as a progress bar's __del__ would, mid-scene

    monkeypatch.setattr(slides, "render_beats", render_beats)
    scenes: list[Any] = [(object, [], 1.0)] * 3
    html = tmp_path / "deck" / "deck.html"
    html.parent.mkdir()
    with pytest.raises(KeyboardInterrupt), sigterm_as_interrupt():
        slides.build_deck(scenes, html, "low")
    assert len(rendered) == 1  # not the scenes after it
    assert not list(html.parent.iterdir()) and not list(tmpdir_.iterdir())


@pytest.mark.parametrize("how", ["render", "deck"])
def test_a_signal_just_as_the_work_folder_is_made_leaves_no_folder(
    how: str, tmp_path: Path, tiny_trace: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C lands the moment the folder exists: before, mkdtemp had made it and
    # returned nothing yet for the clean-up to remove
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR afresh
    made = os.mkdir

    def interrupted(path: Any, *args: Any, **kwargs: Any) -> None:
        made(path, *args, **kwargs)
        if Path(path).name.startswith("sgd-"):
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "mkdir", interrupted)
    scene = SCENES["fit_line"].scene_class()
    with pytest.raises(KeyboardInterrupt):
        if how == "render":
            render_scene(scene, tiny_trace, tmp_path / "a.mp4", "low", progress=False)
        else:
            deck = [(scene, [tiny_trace], SCENES["fit_line"].pace)]
            slides.build_deck(deck, tmp_path / "a.html", "low")
    assert not TEMP_FOLDER.search(" ".join(p.name for p in tmp_path.iterdir()))
