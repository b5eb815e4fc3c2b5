"""Saving traces: several runs in one file, and saves that never destroy the file
they replace (written to a temporary beside it, read back, then renamed)."""

from __future__ import annotations

import errno
import json
import resource
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sgdcore.config import TOO_HIGH, SGDConfig
from sgdcore.runs import build_traces
from sgdcore.trace import Trace, TraceFileError, load_runs, save_runs
from sgdcore.trace_schema import MAX_META_CHARS, MAX_RUNS


@pytest.fixture(scope="module")
def line_trace() -> Trace:
    """A real 5-step torch run of the lesson's line fit."""
    return build_traces("linear_regression", (SGDConfig(n_steps=5),))[0]


@pytest.fixture(scope="module")
def bowl_trace() -> Trace:
    """A real run on the quadratic at a learning rate that is too high."""
    return build_traces("quadratic", (TOO_HIGH,))[0]


# -- several runs in one file ----------------------------------------------------------


def test_several_runs_round_trip_in_order(
    tiny_trace: Trace, line_trace: Trace, bowl_trace: Trace, tmp_path: Path
) -> None:
    runs = [line_trace, tiny_trace, bowl_trace]
    save_runs(tmp_path / "runs.npz", runs)
    loaded = load_runs(tmp_path / "runs.npz")
    assert len(loaded) == 3
    assert all(back.equals(run) for back, run in zip(loaded, runs, strict=True))


def test_one_run_saves_the_same_bytes_as_trace_save(
    line_trace: Trace, tmp_path: Path
) -> None:
    line_trace.save(tmp_path / "save.npz")
    save_runs(tmp_path / "save_runs.npz", [line_trace])
    saved = (tmp_path / "save.npz").read_bytes()
    assert saved == (tmp_path / "save_runs.npz").read_bytes()
    (loaded,) = load_runs(tmp_path / "save.npz")
    assert loaded.equals(line_trace)


def test_saving_several_runs_twice_gives_identical_bytes(
    tiny_trace: Trace, bowl_trace: Trace, tmp_path: Path
) -> None:
    save_runs(tmp_path / "first.npz", [tiny_trace, bowl_trace])
    save_runs(tmp_path / "second.npz", [tiny_trace, bowl_trace])
    first = (tmp_path / "first.npz").read_bytes()
    assert first == (tmp_path / "second.npz").read_bytes()


def test_trace_load_refuses_a_file_of_several_runs(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    save_runs(tmp_path / "runs.npz", [tiny_trace] * 3)
    with pytest.raises(TraceFileError, match=r"runs\.npz: holds 3 runs"):
        Trace.load(tmp_path / "runs.npz")


@pytest.mark.parametrize("count", [0, MAX_RUNS + 1])
def test_saving_no_runs_or_too_many_raises_value_error(
    tiny_trace: Trace, tmp_path: Path, count: int
) -> None:
    with pytest.raises(ValueError, match=f"1 to {MAX_RUNS} runs"):
        save_runs(tmp_path / "runs.npz", [tiny_trace] * count)
    assert not list(tmp_path.iterdir())


def test_a_bad_run_among_several_is_named(tiny_trace: Trace, tmp_path: Path) -> None:
    path = tmp_path / "runs.npz"
    save_runs(path, [tiny_trace, tiny_trace])
    entries = dict(np.load(path))
    entries["run1/meta"] = np.array(json.dumps({**tiny_trace.meta, "problem": "?"}))
    np.savez(path, **entries)
    with pytest.raises(TraceFileError, match=r"runs\.npz: run 1: trace problem"):
        load_runs(path)


def test_file_with_a_gap_in_its_runs_is_refused(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    path = tmp_path / "runs.npz"
    save_runs(path, [tiny_trace] * 3)
    entries = {k: v for k, v in np.load(path).items() if not k.startswith("run1/")}
    np.savez(path, **entries)
    with pytest.raises(TraceFileError, match="missing run1/meta, run1/params"):
        load_runs(path)


# -- saves that never destroy ----------------------------------------------------------


@pytest.fixture
def old_file(tiny_trace: Trace, tmp_path: Path) -> Path:
    """A valid trace file that a failed save must leave as it was."""
    path = tmp_path / "run.npz"
    tiny_trace.save(path)
    return path


def assert_untouched(old_file: Path, tiny_trace: Trace) -> None:
    """The old trace file still loads as it was, alone in its folder."""
    assert Trace.load(old_file).equals(tiny_trace)
    assert [path.name for path in old_file.parent.iterdir()] == [old_file.name]


def test_save_over_the_file_size_limit_leaves_the_old_file(
    old_file: Path, tiny_trace: Trace, line_trace: Trace
) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, hard))  # Python ignores SIGXFSZ
    try:
        with pytest.raises(OSError) as caught:
            line_trace.save(old_file)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert caught.value.errno == errno.EFBIG
    assert_untouched(old_file, tiny_trace)


def test_save_interrupted_by_ctrl_c_leaves_the_old_file(
    old_file: Path,
    tiny_trace: Trace,
    line_trace: Trace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(handle: Any, **entries: Any) -> None:
        handle.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez_compressed", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_runs(old_file, [line_trace, line_trace])
    assert_untouched(old_file, tiny_trace)


def test_save_of_a_file_load_would_refuse_leaves_the_old_file(
    old_file: Path, tiny_trace: Trace, line_trace: Trace
) -> None:
    wordy = Trace(
        **{
            **vars(line_trace),
            "meta": {**line_trace.meta, "note": "ab" * MAX_META_CHARS},
        }
    )
    with pytest.raises(ValueError, match=f"cannot save {old_file}: meta claims <U"):
        wordy.save(old_file)
    assert_untouched(old_file, tiny_trace)


def test_save_into_a_missing_folder_raises_and_leaves_nothing(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError):
        tiny_trace.save(tmp_path / "no_such_folder" / "run.npz")
    assert not list(tmp_path.iterdir())


def test_save_onto_a_folder_raises_and_leaves_it(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    (tmp_path / "run.npz").mkdir()
    with pytest.raises(IsADirectoryError):
        tiny_trace.save(tmp_path / "run.npz")
    assert [path.name for path in tmp_path.iterdir()] == ["run.npz"]
    assert (tmp_path / "run.npz").is_dir()
