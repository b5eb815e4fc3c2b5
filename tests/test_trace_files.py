"""Hostile and broken trace files: each refused with one line naming the
file and the problem, before anything large is read, unpacked or allocated."""

from __future__ import annotations

import io
import json
import os
import re
import struct
import threading
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sgdcore.trace import ARRAY_DTYPES, Trace, TraceFileError
from sgdcore.trace_schema import MAX_RUNS

MEMORY_BUDGET_MIB = 200  # what refusing any hostile file may add to peak memory
TIME_BUDGET_S = 1.0


class CreatesFolderWhenUnpickled:
    """An object whose unpickling has a visible side effect: it creates a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return os.mkdir, (str(self.folder),)


def assert_refused(path: Path, *words: str) -> str:
    """Trace.load refuses `path` with one line naming the file and matching `words`."""
    with pytest.raises(TraceFileError) as caught:
        Trace.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    for word in words:
        assert re.search(word, message, re.IGNORECASE), f"{word!r} not in {message!r}"
    return message


def assert_refused_cheaply(path: Path, *words: str) -> str:
    """As `assert_refused`, within the time and memory budgets (numpy's allocations
    and Python's are both traced)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = assert_refused(path, *words)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - started < TIME_BUDGET_S
    assert peak < MEMORY_BUDGET_MIB * 2**20, f"peak {peak / 2**20:.0f} MiB"
    return message


def npy(array: Any = None, descr: str = "<f8", shape: tuple[int, ...] = ()) -> bytes:
    """An .npy: `array`'s, or a header declaring `descr` and `shape` and no data."""
    stream = io.BytesIO()
    if array is None:
        header = {"descr": descr, "fortran_order": False, "shape": shape}
        np.lib.format.write_array_header_1_0(stream, header)
    else:
        np.lib.format.write_array(stream, np.asarray(array), allow_pickle=False)
    return stream.getvalue()


def members(trace: Trace, **overrides: bytes) -> dict[str, bytes]:
    """A trace's members as .npy bytes, with some replaced."""
    entries = {f"{name}.npy": npy(getattr(trace, name)) for name in ARRAY_DTYPES}
    entries["meta.npy"] = npy(np.array(json.dumps(trace.meta)))
    return {**entries, **{f"{name}.npy": data for name, data in overrides.items()}}


def raw_zip(
    entries: dict[str, bytes], patch: dict[str, dict[str, Any]] | None = None
) -> bytes:
    """A zip written by hand, its members deflated. `patch` overrides a member's
    flags, method, size, crc or packed bytes, as zipfile would never write them."""
    files, directory = b"", b""
    for name, data in entries.items():
        field: dict[str, Any] = {
            "flags": 0,
            "method": zipfile.ZIP_DEFLATED,
            "size": len(data),
            "crc": zlib.crc32(data),
            "packed": zlib.compress(data)[2:-4],  # a raw deflate stream
            **(patch or {}).get(name, {}),
        }
        sizes = (field["crc"], len(field["packed"]), field["size"], len(name), 0)
        common = struct.pack(
            "<HHHHHIIIHH", 20, field["flags"], field["method"], 0, 33, *sizes
        )
        where = struct.pack("<HHHII", 0, 0, 0, 0, len(files))
        directory += b"PK\x01\x02\x14\x00" + common + where + name.encode()
        files += b"PK\x03\x04" + common + name.encode() + field["packed"]
    count, size = len(entries), len(directory)
    return (
        files
        + directory
        + b"PK\x05\x06"
        + struct.pack("<HHHHIIH", 0, 0, count, count, size, len(files), 0)
    )


def write(path: Path, data: bytes) -> Path:
    """Write `data` to `path`, and return the path."""
    path.write_bytes(data)
    return path


# -- not trace files at all --------------------------------------------------------


def test_text_file_is_called_a_text_file(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.npz", b"step,loss\n0,8.9\n1,7.1\n")
    message = assert_refused(path, "not a saved trace", "a text file")
    assert "pickle" not in message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "an empty file"),
        (np.random.default_rng(0).bytes(4096), "not a zip archive"),
        (npy(np.zeros((3, 2))), "not a zip archive"),
    ],
    ids=["empty", "random-bytes", "npy"],
)
def test_file_that_is_not_a_zip_is_refused(
    tmp_path: Path, data: bytes, words: str
) -> None:
    assert_refused(write(tmp_path / "run.npz", data), words)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert_refused(tmp_path / "no_such_trace.npz", "no such file")


def test_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "folder.npz").mkdir()
    assert_refused(tmp_path / "folder.npz", "a folder")


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    attempt = threading.Thread(
        target=lambda: outcome.extend(try_load(fifo)), daemon=True
    )
    attempt.start()
    attempt.join(TIME_BUDGET_S)
    if attempt.is_alive():  # a reader blocked in open(): a writer sets it free
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("loading a FIFO blocked")
    assert isinstance(outcome[0], TraceFileError)
    assert "a FIFO" in str(outcome[0])


def try_load(path: Path) -> list[BaseException]:
    """The exception Trace.load raises for `path`, or none."""
    try:
        Trace.load(path)
    except BaseException as error:
        return [error]
    return []


def test_device_is_refused_without_reading() -> None:
    assert_refused_cheaply(Path("/dev/zero"), "a device")


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.npz"
    with path.open("wb") as handle:  # sparse: 65 MiB on paper, nothing on disk
        handle.truncate(65 * 2**20)
    assert_refused_cheaply(path, "65 MiB; at most 64 MiB")


# -- damaged or foreign archives -----------------------------------------------------


def test_truncated_file_is_refused(tiny_trace: Trace, tmp_path: Path) -> None:
    tiny_trace.save(tmp_path / "trace.npz")
    data = (tmp_path / "trace.npz").read_bytes()[:300]
    assert_refused(write(tmp_path / "cut.npz", data), "not a readable trace")


def test_corrupt_compressed_member_is_refused(
    tiny_trace: Trace, tmp_path: Path
) -> None:
    entries = members(tiny_trace)
    data = bytearray(raw_zip(entries))
    start = data.index(b"params.npy") + len("params.npy")
    data[start] = 0xFF  # a deflate block of the reserved type 3: "invalid block type"
    assert_refused(write(tmp_path / "corrupt.npz", bytes(data)), "readable trace")


def test_zip_that_is_not_an_npz_is_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "archive.npz", "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert_refused(tmp_path / "archive.npz", "missing meta, params")


def test_unexpected_member_is_refused(tiny_trace: Trace, tmp_path: Path) -> None:
    data = raw_zip({**members(tiny_trace), "extra.npy": npy([1.0])})
    assert_refused(write(tmp_path / "extra.npz", data), "unexpected extra.npy")


@pytest.mark.parametrize("name", ["meta", "params", "loss", "grad", "batch", "x", "y"])
def test_npz_missing_a_member_is_refused(
    tiny_trace: Trace, tmp_path: Path, name: str
) -> None:
    entries = members(tiny_trace)
    del entries[f"{name}.npy"]
    assert_refused(write(tmp_path / "partial.npz", raw_zip(entries)), "missing", name)


def test_zip_of_too_many_members_is_refused(tmp_path: Path) -> None:
    data = raw_zip({f"junk{index}.npy": b"" for index in range(1001)})
    assert_refused_cheaply(write(tmp_path / "many.npz", data), "over 1000 members")


def test_file_of_too_many_runs_is_refused(tiny_trace: Trace, tmp_path: Path) -> None:
    one = members(tiny_trace)
    runs = {
        f"run{i}/{name}": data
        for i in range(MAX_RUNS + 1)
        for name, data in one.items()
    }
    assert_refused(
        write(tmp_path / "runs.npz", raw_zip(runs)), "holds 9 runs; at most 8"
    )


# -- what the members hold ------------------------------------------------------------


@pytest.mark.parametrize("name", ["params", "x", "meta"])
def test_object_array_is_refused_without_unpickling(
    tiny_trace: Trace, tmp_path: Path, name: str
) -> None:
    sentinel = tmp_path / "unpickled"
    payload = np.empty(2, dtype=object)
    payload[:] = [CreatesFolderWhenUnpickled(sentinel), 1.0]
    stream = io.BytesIO()
    np.lib.format.write_array(stream, payload, allow_pickle=True)
    data = raw_zip(members(tiny_trace, **{name: stream.getvalue()}))
    assert_refused(write(tmp_path / "pickled.npz", data), "Python objects")
    assert not sentinel.exists()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        (
            "params",
            npy(np.zeros((3, 2), dtype=np.float32)),
            "params claims float32.*float64",
        ),
        ("params", npy(np.zeros((3, 2), dtype=">f8")), "params claims >f8"),
        ("x", npy(np.array(1.0)), "x claims float64 ()"),
        ("meta", npy(np.array(3.0)), "meta claims float64"),
        ("meta", npy(np.array(["{}", "{}"])), r"meta claims <U2 \(2,\)"),
        ("meta", npy(np.array("{not json")), "meta is not JSON"),
        ("meta", npy(np.array("[1, 2]")), "meta must be a JSON object"),
        ("params", b"\x93NUMPY\x03\x00" + bytes(8), "params.npy is not an .npy"),
    ],
    ids=[
        "f32",
        "big-endian",
        "scalar-x",
        "meta-number",
        "meta-1d",
        "meta-garbled",
        "meta-list",
        "npy-v3",
    ],
)
def test_member_of_the_wrong_kind_is_refused(
    tiny_trace: Trace, tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    path = write(tmp_path / "run.npz", raw_zip(members(tiny_trace, **{name: data})))
    assert_refused(path, words)
