"""The Trace file format: exact round trips, stable bytes, refusal of anything else."""

from __future__ import annotations

import json
import os
import re
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sgdcore.presets import RunOptions, build_trace
from sgdcore.trace import ARRAY_DTYPES, SCHEMA_VERSION, Trace, TraceFileError


class CreatesFolderWhenUnpickled:
    """An object whose unpickling has a visible side effect: it creates a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return os.mkdir, (str(self.folder),)


@pytest.fixture(scope="module")
def real_trace() -> Trace:
    """A real 5-step torch run of the fit_line scene."""
    return build_trace("fit_line", RunOptions(n_steps=5))


@pytest.fixture(params=["tiny_trace", "real_trace"])
def any_trace(request: pytest.FixtureRequest) -> Trace:
    """The hand-made trace and a real one."""
    trace: Trace = request.getfixturevalue(request.param)
    return trace


def write_npz(path: Path, trace: Trace, **overrides: Any) -> Path:
    """Save `trace`'s arrays and JSON meta with plain np.savez, then apply overrides.

    An override of None drops that entry from the file.
    """
    entries: dict[str, Any] = {name: getattr(trace, name) for name in ARRAY_DTYPES}
    entries["meta"] = np.array(json.dumps(trace.meta))
    entries.update(overrides)
    kept = {name: value for name, value in entries.items() if value is not None}
    np.savez(path, **kept)
    return path


def assert_refused(path: Path, *words: str) -> TraceFileError:
    """Trace.load refuses `path` with a TraceFileError naming the file and `words`."""
    with pytest.raises(TraceFileError) as caught:
        Trace.load(path)
    message = str(caught.value)
    assert str(path) in message
    for word in words:
        assert re.search(word, message, re.IGNORECASE), f"{word!r} not in {message!r}"
    return caught.value


# -- round trips -----------------------------------------------------------------


def test_save_then_load_gives_equal_arrays_dtypes_and_meta(
    any_trace: Trace, tmp_path: Path
) -> None:
    path = tmp_path / "trace.npz"
    any_trace.save(path)
    loaded = Trace.load(path)
    for name, dtype in ARRAY_DTYPES.items():
        np.testing.assert_array_equal(getattr(loaded, name), getattr(any_trace, name))
        assert getattr(loaded, name).dtype == dtype
        assert getattr(loaded, name).shape == getattr(any_trace, name).shape
    assert loaded.meta == any_trace.meta
    assert loaded.equals(any_trace)


def test_round_trip_keeps_properties(real_trace: Trace, tmp_path: Path) -> None:
    real_trace.save(tmp_path / "trace.npz")
    loaded = Trace.load(tmp_path / "trace.npz")
    assert loaded.n_steps == real_trace.n_steps == 5
    assert loaded.problem == "linear_regression"
    assert loaded.learning_rate == real_trace.learning_rate
    assert loaded.diverged_at is None


def test_saving_twice_gives_byte_identical_files(
    any_trace: Trace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    any_trace.save(tmp_path / "first.npz")
    # A later save (a day on) must not stamp the time into the zip.
    later = time.time() + 86_400
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: later)
        any_trace.save(tmp_path / "second.npz")
    first = (tmp_path / "first.npz").read_bytes()
    assert first == (tmp_path / "second.npz").read_bytes()


def test_equal_traces_with_reordered_meta_save_identical_bytes(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    reordered = replace(tiny_trace, meta=dict(reversed(list(tiny_trace.meta.items()))))
    assert list(reordered.meta) != list(tiny_trace.meta)
    tiny_trace.save(tmp_path / "first.npz")
    reordered.save(tmp_path / "second.npz")
    first = (tmp_path / "first.npz").read_bytes()
    assert first == (tmp_path / "second.npz").read_bytes()


def test_different_traces_save_different_bytes(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    changed = replace(tiny_trace, meta={**tiny_trace.meta, "learning_rate": 0.2})
    tiny_trace.save(tmp_path / "first.npz")
    changed.save(tmp_path / "second.npz")
    first = (tmp_path / "first.npz").read_bytes()
    assert first != (tmp_path / "second.npz").read_bytes()


def test_saved_file_holds_no_object_arrays(real_trace: Trace, tmp_path: Path) -> None:
    real_trace.save(tmp_path / "trace.npz")
    with np.load(tmp_path / "trace.npz", allow_pickle=False) as archive:
        assert set(archive.files) == {"meta", *ARRAY_DTYPES}
        assert archive["meta"].dtype.kind == "U"
        assert all(archive[name].dtype != object for name in archive.files)


def test_equals_notices_a_changed_value(tiny_trace: Trace) -> None:
    params = tiny_trace.params.copy()
    params[-1, 0] += 1e-12
    assert not tiny_trace.equals(replace(tiny_trace, params=params))
    assert tiny_trace.equals(replace(tiny_trace))


# -- refused files -----------------------------------------------------------------


def test_trace_file_error_is_a_value_error() -> None:
    assert issubclass(TraceFileError, ValueError)


@pytest.mark.parametrize("key", ["params", "x", "meta"])
def test_object_array_is_refused_without_unpickling(
    real_trace: Trace, tmp_path: Path, key: str
) -> None:
    sentinel = tmp_path / "unpickled"
    payload = np.empty(2, dtype=object)
    payload[:] = [CreatesFolderWhenUnpickled(sentinel), 1.0]
    path = write_npz(tmp_path / "pickled.npz", real_trace, **{key: payload})
    assert_refused(path, "object|pickle")
    assert not sentinel.exists()


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.npz"
    path.write_bytes(np.random.default_rng(0).bytes(4096))
    assert_refused(path, "trace")


def test_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.npz"
    path.write_text("step,loss\n0,8.9\n1,7.1\n")
    assert_refused(path, "trace")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.npz"
    path.write_bytes(b"")
    assert_refused(path, "trace")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert_refused(tmp_path / "no_such_trace.npz", "no such file")


def test_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    assert_refused(folder, "trace")


def test_truncated_file_is_refused(real_trace: Trace, tmp_path: Path) -> None:
    real_trace.save(tmp_path / "trace.npz")
    path = tmp_path / "truncated.npz"
    path.write_bytes((tmp_path / "trace.npz").read_bytes()[:300])
    assert_refused(path, "trace")


def test_zip_that_is_not_an_npz_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert_refused(path, "missing")


def test_npy_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "params.npy"
    np.save(path, np.zeros((3, 2)))
    assert_refused(path, "trace")


def test_corrupt_compressed_member_is_refused(
    real_trace: Trace, tmp_path: Path
) -> None:
    path = tmp_path / "corrupt.npz"
    real_trace.save(path)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("params.npy")
    header = member.header_offset
    # Local file header: 30 fixed bytes, then the name and the extra field.
    name_length = int.from_bytes(raw[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(raw[header + 28 : header + 30], "little")
    data_start = header + 30 + name_length + extra_length
    # 0xFF opens a deflate block of the reserved type 3: "invalid block type".
    raw[data_start] = 0xFF
    path.write_bytes(bytes(raw))
    assert_refused(path, "trace")


@pytest.mark.parametrize("key", ["meta", "params", "loss", "grad", "batch", "x", "y"])
def test_npz_missing_an_entry_is_refused(
    real_trace: Trace, tmp_path: Path, key: str
) -> None:
    path = write_npz(tmp_path / "partial.npz", real_trace, **{key: None})
    assert_refused(path, "missing", key)


@pytest.mark.parametrize(
    "meta",
    [
        np.array("{not json"),
        np.array(""),
        np.array("[1, 2, 3]"),
        np.array("null"),
        np.array(3.0),
        np.array(["{}", "{}"]),
    ],
    ids=["garbled", "empty", "json-list", "json-null", "number", "1-d"],
)
def test_meta_that_is_not_a_json_object_is_refused(
    real_trace: Trace, tmp_path: Path, meta: np.ndarray
) -> None:
    path = write_npz(tmp_path / "bad_meta.npz", real_trace, meta=meta)
    assert_refused(path, "meta|json|trace")


@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, 0, "1", None])
def test_wrong_schema_version_is_refused(
    real_trace: Trace, tmp_path: Path, version: Any
) -> None:
    meta = {**real_trace.meta, "schema_version": version}
    path = write_npz(tmp_path / "old.npz", real_trace, meta=np.array(json.dumps(meta)))
    assert_refused(path, "schema")


def test_missing_schema_version_is_refused(real_trace: Trace, tmp_path: Path) -> None:
    meta = dict(real_trace.meta)
    del meta["schema_version"]
    path = write_npz(tmp_path / "old.npz", real_trace, meta=np.array(json.dumps(meta)))
    assert_refused(path, "schema")


def test_file_with_wrong_dtype_is_refused(real_trace: Trace, tmp_path: Path) -> None:
    path = write_npz(
        tmp_path / "f32.npz", real_trace, params=real_trace.params.astype(np.float32)
    )
    assert_refused(path, "params", "float64")


def test_file_with_scalar_x_is_refused(real_trace: Trace, tmp_path: Path) -> None:
    path = write_npz(tmp_path / "scalar_x.npz", real_trace, x=np.array(1.0))
    assert_refused(path, "x")


# -- the constructor's validation --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "convert"),
    [
        ("params", lambda array: array.astype(np.float32)),
        ("loss", lambda array: array.astype(np.int64)),
        ("grad", lambda array: array.astype(object)),
        ("batch", lambda array: array.astype(np.float64)),
        ("batch", lambda array: array.astype(np.int32)),
        ("x", lambda array: array.tolist()),
        ("y", lambda array: array.astype(np.float16)),
    ],
    ids=[
        "params-f32",
        "loss-int",
        "grad-object",
        "batch-float",
        "batch-i32",
        "x-list",
        "y-f16",
    ],
)
def test_wrong_dtype_raises_value_error(
    any_trace: Trace, name: str, convert: Any
) -> None:
    with pytest.raises(ValueError, match=name):
        replace(any_trace, **{name: convert(getattr(any_trace, name))})


@pytest.mark.parametrize(
    ("name", "reshape"),
    [
        ("params", lambda array: array[:, 0]),
        ("params", lambda array: array[:0]),
        ("loss", lambda array: array[:-1]),
        ("loss", lambda array: array[:, None]),
        ("grad", lambda array: array[:, :1]),
        ("grad", lambda array: array[:-1]),
        ("batch", lambda array: array[:-1]),
        ("batch", lambda array: array[0]),
        ("y", lambda array: array[:-1]),
        ("x", lambda array: array[:, 0]),
    ],
    ids=[
        "params-1d",
        "params-no-rows",
        "loss-short",
        "loss-2d",
        "grad-narrow",
        "grad-short",
        "batch-short",
        "batch-1d",
        "y-short",
        "x-1d",
    ],
)
def test_inconsistent_shapes_raise_value_error(
    any_trace: Trace, name: str, reshape: Any
) -> None:
    with pytest.raises(ValueError):
        replace(any_trace, **{name: reshape(getattr(any_trace, name))})


def test_trace_without_parameters_raises_value_error(any_trace: Trace) -> None:
    n_records = any_trace.params.shape[0]
    with pytest.raises(ValueError, match="params"):
        replace(
            any_trace, params=np.zeros((n_records, 0)), grad=np.zeros((n_records, 0))
        )


def test_meta_without_problem_raises_value_error(tiny_trace: Trace) -> None:
    meta = {key: value for key, value in tiny_trace.meta.items() if key != "problem"}
    with pytest.raises(ValueError, match="problem"):
        replace(tiny_trace, meta=meta)
